// When the host holds more series than it sends (seriesTotal), the series list says so and its filter asks the host to search them all.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HostMessage } from '../../../src/shared/protocol';
import type { WebviewMessage } from '../../../src/shared/requests';
import type { Panel } from '../harness';
import { outputDir } from '../harness';
import { panelRig } from '../panelRig';
import { NOW, series, seriesList, snapshot } from '../fixtures/snapshot';

const TOTAL = seriesList.length + 5000;
const snap = (): HostMessage => ({ type: 'didSnapshot', snapshot: snapshot({ seriesTotal: TOTAL }) });
const searches = (msgs: readonly WebviewMessage[]) => msgs.filter((m) => m.type === 'searchSeries');

/** Polls what the page posted (the page's CSP forbids string predicates) until it holds `n` searches. */
async function searchesPosted(p: Panel, n: number): Promise<WebviewMessage[]> {
  for (let waited = 0; waited < 5000; waited += 50) {
    const found = searches(await p.posted());
    if (found.length >= n) return found;
    await p.page.waitForTimeout(50);
  }
  throw new Error(`expected ${n} searchSeries posts, got ${searches(await p.posted()).length}`);
}

describe('series beyond those the panel holds', () => {
  before(() => {
    mkdirSync(outputDir, { recursive: true });
  });
  const opened = panelRig();

  const note = (p: Panel) => p.text('[data-section="series"] .table-more');
  const filter = (p: Panel) => p.page.locator('[data-section="series"] input.filter');

  it('shows no note when every series is held', async () => {
    const p = await opened();
    await p.send({ type: 'didSnapshot', snapshot: snapshot() });
    assert.equal(await p.page.locator('[data-section="series"] .table-more').isHidden(), true);
  });

  it('notes the series not shown, posts the typed filter once typing pauses, and lists the series a delta brings', async () => {
    const p = await opened();
    await p.send(snap());
    assert.equal(await note(p), `5000 of ${TOTAL} series not shown — the filter searches all of them`);
    assert.deepEqual(searches(await p.posted()), [], 'nothing searched before typing');

    // Typing quickly posts one search, with the whole query.
    await filter(p).pressSequentially('tenant-42', { delay: 15 });
    await searchesPosted(p, 1);
    await p.page.waitForTimeout(400);
    assert.deepEqual(searches(await p.posted()), [{ type: 'searchSeries', query: 'tenant-42' }]);
    assert.match(await note(p), /5000 of/);
    assert.equal(await p.page.locator('[data-table="series"] tbody tr').count(), 0);

    // The host answers with the series the query found (upserted), the total unchanged.
    const found = [1, 2, 3].map((i) => series(`api:queue.lag{tenant=tenant-42,shard=${i}}`, 'queue.lag', { labels: [['tenant', 'tenant-42'], ['shard', String(i)]], unit: 'ms', value: 10 * i }));
    await p.send({ type: 'didUpdate', delta: { now: NOW + 300, series: found, seriesTotal: TOTAL } });
    const rows = p.page.locator('[data-table="series"] tbody tr');
    assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-series-id'))), found.map((s) => s.id));
    assert.match(await p.text(`[data-table="series"] tr[data-series-id="${found[1]?.id ?? ''}"] td.labels`), /tenant=tenant-42, shard=2/);
    assert.equal(await note(p), `4997 of ${TOTAL} series not shown — the filter searches all of them`);
    assert.equal(await p.page.locator('[data-section="series"] p.muted', { hasText: 'No series match' }).isHidden(), true);
    await p.page.locator('[data-section="series"]').screenshot({ path: join(outputDir, 'series-search-dark.png') });

    // Clearing the filter searches again with an empty query (the host goes back to its fair share).
    await filter(p).fill('');
    assert.deepEqual((await searchesPosted(p, 2)).at(-1), { type: 'searchSeries', query: '' });
    assert.equal(await rows.count(), seriesList.length + found.length);
    assert.deepEqual(p.errors, []);
  });

  it('a total that drops to what is held hides the note', async () => {
    const p = await opened();
    await p.send(snap());
    assert.match(await note(p), /5000 of/);
    await p.send({ type: 'didUpdate', delta: { now: NOW + 100, seriesTotal: seriesList.length } });
    assert.equal(await p.page.locator('[data-section="series"] .table-more').isHidden(), true);
  });

  it('re-posts a filter restored after a reload, so the host searches for it again', async () => {
    const p = await opened();
    await p.send(snap());
    await filter(p).fill('queue');
    await searchesPosted(p, 1);
    await p.reload();
    assert.deepEqual(await searchesPosted(p, 1), [{ type: 'searchSeries', query: 'queue' }]);
    assert.equal(await filter(p).inputValue(), 'queue');
  });

  it('filters by label selector (=, !=, =~, !~), says what is wrong with a malformed one, and sends it to the host', async () => {
    const p = await opened();
    await p.send(snap());
    const rowIds = () => p.page.locator('[data-table="series"] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-series-id')));
    const api = (name: string, paths: string[]) => paths.map((path) => `api:${name}{path=${path}}`);
    const noMatch = p.page.locator('[data-section="series"] p.muted', { hasText: 'Filter not understood' });

    await filter(p).fill('endpoint.p95{path=~"/api/.*"}');
    await p.settle();
    assert.deepEqual((await rowIds()).sort(), api('endpoint.p95', ['/api/users', '/api/orders', '/api/search', '/api/login']).sort());

    await filter(p).fill('endpoint.requests{path!~"/api/.*", method="GET"}');
    await p.settle();
    assert.deepEqual((await rowIds()).sort(), api('endpoint.requests', ['/health', '/static/app.js']).sort());

    await filter(p).fill('{path="/health"}');
    await p.settle();
    assert.deepEqual((await rowIds()).sort(), ['api:endpoint.p95{path=/health}', 'api:endpoint.requests{path=/health}']);

    await filter(p).fill('{method!="GET", path=""}');
    await p.settle();
    assert.ok((await rowIds()).includes('api:http.requests') && !(await rowIds()).some((id) => id?.includes('{')), 'a missing label reads as empty');

    await filter(p).fill('endpoint.p95{path=~"(a+)+"}');
    await p.settle();
    assert.deepEqual(await rowIds(), []);
    assert.match(await noMatch.textContent() ?? '', /nested quantifiers/);

    // Plain text works as before.
    await filter(p).fill('path=/api/us');
    await p.settle();
    assert.deepEqual((await rowIds()).sort(), ['api:endpoint.p95{path=/api/users}', 'api:endpoint.requests{path=/api/users}']);
    assert.equal(await noMatch.count(), 0);

    await p.page.waitForTimeout(400);
    assert.deepEqual(searches(await p.posted()).at(-1), { type: 'searchSeries', query: 'path=/api/us' });
    assert.deepEqual(p.errors, []);
  });
});
