// The panel in another language: the real panel HTML carrying a pseudo-locale bundle (every message of
// l10n/bundle.l10n.json as ⟦…⟧) and lang="de". Every text node and every aria-label, title and placeholder
// of a panel full of sources, gauges, charts, tables, alerts, rules and a comparison is translated or is
// data (names, paths, numbers, units from the snapshot): no English word of ours is left.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompareRowView } from '../../../src/shared/views';
import type { WebviewMessage } from '../../../src/shared/requests';
import type { Harness, Panel } from '../harness';
import { root, startHarness } from '../harness';
import { renderPanelHtml } from '../../../src/host/panel/panelHtml';
import { NOW, snapshot, summary } from '../fixtures/snapshot';
import { history } from '../fixtures/deltas';

const english = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
const pseudo = Object.fromEntries(Object.keys(english).map((m) => [m, `⟦${m}⟧`]));
const CHARTS = ['api:http.latency', 'api:http.requests', 'api:endpoint.p95{path=/api/users}'];
const SNAPSHOT = snapshot({ configProblems: ['pulse.sources[2].url is not a URL'] });

/** The #app element as the host writes it with this bundle: the real encoding, not a test copy of it. */
function appElement(bundle: Record<string, string>): string {
  const html = renderPanelHtml({ cspSource: 'http://127.0.0.1', nonce: 'AAAAAAAAAAAAAAAAAAAAAA==', scriptUri: 'x', styleUri: 'y', l10nBundle: bundle });
  const app = /<div id="app"[^>]*><\/div>/.exec(html)?.[0];
  if (app === undefined || !app.includes('data-l10n=')) throw new Error('the host writes the bundle into #app');
  return app;
}

/** Serves the page as the host would for a German VS Code with `bundle`. */
async function openTranslated(h: Harness, bundle: Record<string, string>): Promise<Panel> {
  const p = await h.newPanel({ width: 1300, height: 1000 });
  await p.page.route(/\/\?theme=/, async (route) => {
    const res = await route.fetch();
    const html = (await res.text()).replace('<div id="app"></div>', appElement(bundle)).replace('<html lang="en">', '<html lang="de">');
    await route.fulfill({ response: res, body: html });
  });
  await p.open('dark');
  return p;
}

function lastRequest<T extends WebviewMessage['type']>(msgs: readonly WebviewMessage[], type: T): Extract<WebviewMessage, { type: T }> | undefined {
  return msgs.filter((m): m is Extract<WebviewMessage, { type: T }> => m.type === type).at(-1);
}

const compareRows: CompareRowView[] = [
  { id: 'p95', label: 'http.latency', unit: 'ms', before: 80, after: 110.5, deltaPct: 38.1, noise: 2, verdict: 'regressed' },
  { id: 'rps', label: 'http.requests', unit: 'per_second', before: 180, after: 181, deltaPct: 0.5, noise: 3, verdict: 'same' },
  { id: 'err', label: 'http.errorRate', unit: 'percent', before: 2, after: 1, deltaPct: -50, noise: 0.1, verdict: 'improved' },
  { id: 'heap', label: 'memory.heapUsed', unit: 'bytes', before: null, after: null, deltaPct: null, noise: 0, verdict: 'no-data' },
];

/** A panel with everything drawn: charts (one split by label), their tables open, a snooze menu open, a comparison. */
async function populate(p: Panel): Promise<void> {
  await p.send({ type: 'didSnapshot', snapshot: SNAPSHOT });
  for (const id of CHARTS) await p.page.locator(`tr[data-series-id="${id.replace(/"/g, '\\"')}"] [data-action="pin"]`).click();
  await p.page.locator('.chart').nth(CHARTS.length - 1).waitFor();
  await p.settle();
  const req = lastRequest(await p.posted(), 'requestHistory');
  assert.ok(req, 'the charts asked for history');
  await p.send({ type: 'didLoadHistory', requestId: req.requestId, window: req.window, mode: req.mode, series: history(req.ids) });
  await p.send({ type: 'didUpdate', delta: { now: NOW + 500, summary: { ...summary, latencyMs: 1200.5 } } });
  for (const t of await p.page.locator('[data-action="show-table"]').all()) await t.click();
  await p.page.locator('[data-action="snooze-menu"]').first().click();
  await p.page.locator('[data-action="compare-last-save"]').click();
  const compare = lastRequest(await p.posted(), 'compare');
  assert.ok(compare, 'the comparison was asked for');
  await p.send({ type: 'didCompare', requestId: compare.requestId, annotation: SNAPSHOT.annotations.at(-1) ?? null, rows: compareRows });
  await p.page.locator('[data-section="endpoints"] input.filter').fill('zzz-no-match');
  await p.page.waitForTimeout(50);
  await p.settle();
}

// Fields holding our vocabulary ('counter', 'critical', 'resolved', 'above'…): words the panel must translate.
const VOCABULARY = new Set(['kind', 'unit', 'phase', 'severity', 'origin', 'direction', 'verdict', 'role', 'state']);

/** Every string in the snapshot and the comparison but our vocabulary: what the panel may show untranslated. */
function dataStrings(): string[] {
  const out = new Set<string>(['Pulse']);
  const walk = (x: unknown): void => {
    if (typeof x === 'string') out.add(x);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (typeof x === 'object' && x !== null) for (const [k, v] of Object.entries(x)) if (!(VOCABULARY.has(k) && typeof v === 'string')) walk(v);
  };
  walk(SNAPSHOT);
  walk(compareRows);
  return [...out].filter((s) => /[A-Za-z]/.test(s)).sort((a, b) => b.length - a.length);
}

// Units and number formatting that format.ts writes after a number (1.2k, 45 ms, 3 KiB, 1d 02h, 12 %).
const UNIT_WORD = /^\d*(ms|s|B|KiB|MiB|GiB|TiB|k|M|G|d|h|m)$/;

/** The English words of ours left in `text` once translated parts (⟦…⟧), data and units are taken out. */
function leftovers(text: string, data: readonly string[]): string[] {
  let rest = text;
  // Translated messages nest (a translated value inside a translated message): remove from the inside out.
  for (let before = ''; before !== rest; ) {
    before = rest;
    rest = rest.replace(/⟦[^⟦⟧]*⟧/g, ' ');
  }
  for (const d of data) rest = rest.split(d).join(' ');
  // A long value the panel cut short ends in "…": its beginning is data too.
  for (const d of data) if (d.length > 12) rest = rest.replace(new RegExp(`${d.slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S*…`, 'g'), ' ');
  return rest.split(/[\s·—–,;:()"“”/=|[\]{}<>+\-−%…▲▼↳]+/).filter((w) => /[A-Za-z]/.test(w) && !UNIT_WORD.test(w));
}

interface Found {
  readonly where: string;
  readonly text: string;
}

/**
 * The text of every element holding a text node (outside script/style: whole, since a translated message may
 * hold elements, as in "⟦{0} could not connect to {1}⟧"), and every aria-label, title, placeholder and aria-valuetext.
 */
async function texts(p: Panel): Promise<Found[]> {
  return (await p.page.evaluate(`(() => {
    const out = [];
    const path = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || seen.has(parent) || parent.closest('script, style') || !n.textContent.trim()) continue;
      seen.add(parent);
      out.push({ where: path(parent), text: parent.textContent });
    }
    for (const el of document.body.querySelectorAll('*')) {
      for (const a of ['aria-label', 'title', 'placeholder', 'aria-valuetext']) {
        const v = el.getAttribute(a);
        if (v && v.trim()) out.push({ where: path(el) + '[' + a + ']', text: v });
      }
    }
    return out;
  })()`)) as Found[];
}

describe('the panel in the display language', () => {
  let h: Harness | undefined;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h?.close();
  });

  it('every word of ours is translated: only data, numbers and units stay as they are', async () => {
    assert.ok(h);
    const p = await openTranslated(h, pseudo);
    await populate(p);
    const found = await texts(p);
    assert.ok(found.length > 300, `texts found: ${found.length}`);
    // The parts this proves something about are there (and translated).
    for (const sel of ['.gauge-label', '.section-title', '.chart-table caption', '.compare-table th', '.alert .btn', '.snooze-menu .btn', '.failure', '.banner', '.thresholds-table th', '.sortable .muted']) {
      const t = await p.text(sel);
      assert.match(t, /⟦/, `${sel}: ${t}`);
    }
    const data = dataStrings();
    const english = found.map((f) => ({ ...f, words: leftovers(f.text, data) })).filter((f) => f.words.length > 0);
    assert.deepEqual(english, [], 'untranslated UI text');
    // Numbers and times follow the display language (lang="de"): a decimal comma.
    assert.match(await p.text('.gauge[data-metric="latency"] .gauge-value'), /^1,2\d? s$/);
    assert.deepEqual(await p.cspViolations(), []);
    assert.deepEqual(p.errors, []);
    await p.screenshot('panel-pseudo-locale');
  });

  it('the check catches a word left in English (the same panel without a bundle fails it)', async () => {
    assert.ok(h);
    const p = await openTranslated(h, { Alerts: '⟦Alerts⟧' });
    await populate(p);
    const data = dataStrings();
    const english = (await texts(p)).filter((f) => leftovers(f.text, data).length > 0).map((f) => f.text);
    assert.ok(english.includes('Charts'), 'an untranslated section title is caught');
    assert.ok(english.some((t) => t.startsWith('Pin a series')), 'an untranslated hint is caught');
    assert.ok(!english.includes('⟦Alerts⟧'));
  });

  it('a bundle that is not a map of strings is ignored: the panel stays English and works', async () => {
    assert.ok(h);
    const p = await h.newPanel();
    await p.page.route(/\/\?theme=/, async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, body: (await res.text()).replace('<div id="app"></div>', '<div id="app" data-l10n="{&quot;Charts&quot;: 1, &quot;Alerts&quot;: [2], &quot;Series&quot;: &quot;⟦Series⟧&quot;"></div>') });
    });
    await p.open('dark');
    await p.send({ type: 'didSnapshot', snapshot: SNAPSHOT });
    assert.equal(await p.text('[data-section="charts"] .section-title'), 'Charts');
    assert.equal(await p.text('[data-section="series"] .section-title'), 'Series', 'malformed JSON: nothing from it is used');
    assert.deepEqual(p.errors, []);
  });
});
