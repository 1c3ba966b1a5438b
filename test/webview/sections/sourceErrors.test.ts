// A source's reported errors on its header row, in headless Chromium: count, time and text, shown as text only.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceView } from '../../../src/shared/views';
import { panelRig } from '../panelRig';
import { NOW, snapshot, sources } from '../fixtures/snapshot';

const HOSTILE = 'Server error: <b id="injected">bold</b><img src=x onerror="window.__xss=1">\nsecond line \u202Egnp.exe';

function withWorker(o: Partial<SourceView>): SourceView[] {
  return sources.map((s) => (s.id === 'worker' ? { ...s, ...o } : s));
}

describe('source error row', () => {
  const opened = panelRig();

  it('shows the count, how long ago and the text, as text, with the exact time in the tooltip', async () => {
    const p = await opened();
    const at = NOW - 5 * 60_000;
    await p.send({ type: 'didSnapshot', snapshot: snapshot({ sources: withWorker({ errorCount: 1234, lastErrorAt: at, lastError: HOSTILE }) }) });
    const row = p.page.locator('.source[data-source-id="worker"] .source-error');
    assert.equal(await row.isVisible(), true);
    // Markup stays text, the newline becomes a space, the bidi override is gone.
    assert.equal(await row.innerText(), '1.2k errors · last 5 min ago: Server error: <b id="injected">bold</b><img src=x onerror="window.__xss=1"> second line gnp.exe');
    assert.equal(await p.evalOn('.source[data-source-id="worker"] .source-error', '(el) => el.childElementCount'), 0);
    assert.equal(await p.page.locator('#injected, .panel-header img').count(), 0);
    assert.equal(await p.page.evaluate('window.__xss'), undefined);
    assert.equal(await row.getAttribute('data-error-count'), '1234');
    const exact = await p.page.evaluate(`new Date(${at}).toLocaleString()`);
    assert.equal(await row.getAttribute('title'), `1.2k errors, last at ${String(exact)}: Server error: <b id="injected">bold</b><img src=x onerror="window.__xss=1"> second line gnp.exe`);
    // Sources without errors show no error line.
    for (const id of ['api', 'edge']) assert.equal(await p.page.locator(`.source[data-source-id="${id}"] .source-error`).isHidden(), true, id);

    await p.screenshot('source-error-dark');
    assert.deepEqual(await p.cspViolations(), []);
    assert.deepEqual(p.errors, []);
  });

  it('follows deltas: one error reads singular, with no text it shows the count and time, and a reset hides it', async () => {
    const p = await opened();
    await p.send({ type: 'didSnapshot', snapshot: snapshot() });
    const row = p.page.locator('.source[data-source-id="worker"] .source-error');
    assert.equal(await row.innerText(), '3 errors · last 1 min ago: Could not decode a message: invalid JSON at position 0');

    await p.send({ type: 'didUpdate', delta: { now: NOW + 100, sources: withWorker({ errorCount: 1, lastErrorAt: NOW, lastError: 'Refused a 9 MiB message' }) } });
    assert.equal(await row.innerText(), '1 error · last just now: Refused a 9 MiB message');
    await p.send({ type: 'didUpdate', delta: { now: NOW + 200, sources: withWorker({ errorCount: 2, lastErrorAt: NOW - 30_000, lastError: null }) } });
    assert.equal(await row.innerText(), '2 errors · last 30 s ago');
    await p.send({ type: 'didUpdate', delta: { now: NOW + 300, sources: withWorker({ errorCount: 0, lastErrorAt: null, lastError: null }) } });
    assert.equal(await row.isHidden(), true);
    assert.equal(await row.getAttribute('data-error-count'), null);
    assert.equal(await row.getAttribute('title'), null);
    assert.deepEqual(p.errors, []);
  });

  it('a long error line is cut, and does not widen a narrow panel', async () => {
    const p = await opened({ width: 560 });
    const long = `Could not decode a message: ${'x'.repeat(5000)}`;
    await p.send({ type: 'didSnapshot', snapshot: snapshot({ sources: withWorker({ lastError: long }) }) });
    const row = p.page.locator('.source[data-source-id="worker"] .source-error');
    const line = await row.innerText();
    assert.ok(line.length <= 160 && line.endsWith('…'), line);
    assert.ok(((await row.getAttribute('title')) ?? '').length <= 1000);
    // The row shrinks to the panel: no horizontal scrolling, and its Retry button stays in view.
    const overflow = await p.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    assert.equal(overflow, 0);
    const box = await p.page.locator('.source[data-source-id="worker"] [data-action="reconnect"]').boundingBox();
    assert.ok(box && box.x + box.width <= 560, JSON.stringify(box));
    await p.screenshot('source-error-narrow-dark');
  });

  it('in a wide panel the whole of a usual error line shows, in the light theme too', async () => {
    const p = await opened({ theme: 'light' });
    await p.send({ type: 'didSnapshot', snapshot: snapshot() });
    // Not cut by the CSS ellipsis: the element is as wide as its text.
    const cut = await p.evalOn('.source[data-source-id="worker"] .source-error', '(el) => el.scrollWidth - el.clientWidth');
    assert.equal(cut, 0);
    await p.screenshot('source-error-light');
    assert.deepEqual(await p.cspViolations(), []);
  });
});
