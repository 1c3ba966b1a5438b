// Host strings are data: markup in them is shown as text, long ones are cut, bidi controls are removed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { panelRig } from '../panelRig';
import { BIDI, HUGE, hostileSnapshot, IMG } from '../fixtures/hostile';

const BIDI_RE = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

describe('hostile host data', () => {
  const openPanel = panelRig();

  it('renders markup as escaped, truncated text and never creates elements or command links from it', async () => {
    const p = await openPanel();
    await p.send({ type: 'didSnapshot', snapshot: hostileSnapshot() });
    // Pin everything so chart titles and legends show the hostile names too.
    for (const pin of await p.page.locator('[data-action="pin"]').all()) await pin.click();
    await p.settle();
    const req = (await p.posted()).filter((m) => m.type === 'requestHistory').at(-1);
    assert.ok(req && req.type === 'requestHistory');
    await p.send({ type: 'didLoadHistory', requestId: req.requestId, window: req.window, mode: req.mode, series: req.ids.map((id) => ({ id, t: [1, 2], v: [1, 2] })) });
    // A comparison whose every string is hostile.
    await p.page.locator('.annotation[data-annotation-id="an-huge"] [data-action="compare"]').click();
    const cmp = (await p.posted()).filter((m) => m.type === 'compare').at(-1);
    assert.ok(cmp && cmp.type === 'compare');
    const hostileRow = { id: IMG, label: `${BIDI}${IMG}`, unit: 'ms', before: 1, after: 2, deltaPct: 100, noise: 0, verdict: 'regressed' };
    await p.send({ type: 'didCompare', requestId: cmp.requestId, annotation: hostileSnapshot().annotations[2], rows: [hostileRow, { ...hostileRow, id: HUGE, label: HUGE }] });
    assert.equal(await p.page.locator('table[data-table="compare"] tr[data-verdict="regressed"]').count(), 2);
    const caption = (await p.text('table[data-table="compare"] caption'));
    assert.ok(caption.startsWith('Around: AAAA') && caption.length < 200, `caption is cut (${caption.length} chars)`);
    assert.equal(await p.text('table[data-table="compare"] tr[data-verdict="regressed"] td[data-col="metric"]'), `safeeviltxt.exe${IMG}`);

    // Annotation labels are text: markup shown, bidi removed, 100 KB cut (the full text is not in the title either).
    assert.equal(await p.page.locator('.annotation').count(), 3);
    assert.equal(await p.text('.annotation[data-annotation-id="an-bidi"] .annotation-label'), 'Switched to branch safeeviltxt.exe');
    assert.ok((await p.text('.annotation:first-child .annotation-label')).length <= 160);
    assert.ok((await p.page.locator('.annotation-list').innerText()).includes(`Saved ${IMG}`));

    // Go to handler: offered only for paths the host accepts (starting with '/', at most 2048 chars), labelled with
    // cleaned text, posting the path as is.
    await p.clearPosted();
    const goTo = p.page.locator('[data-table="endpoints"] [data-action="go-to-handler"]');
    assert.equal(await goTo.count(), 1);
    const label = (await goTo.getAttribute('aria-label')) ?? '';
    assert.ok(label.startsWith(`Go to handler for /safeeviltxt.exe${IMG}xxx`) && label.length < 160 && !BIDI_RE.test(label), label.slice(0, 80));
    await goTo.click();
    const go = (await p.posted()).filter((m) => m.type === 'goToHandler');
    assert.equal(go.length, 1);
    assert.ok(go[0]?.type === 'goToHandler' && go[0].method === null && go[0].path.length > 1500 && go[0].path.includes(IMG));
    assert.equal(await p.page.locator('.alert[data-alert-id="al2"] [data-action="go-to-handler"]').count(), 1);

    // Open the snooze menus and wait a little for any handler that would fire.
    for (const b of await p.page.locator('[data-action="snooze-menu"]:visible').all()) await b.click();
    await p.settle();

    assert.equal(await p.page.evaluate('window.__xss'), undefined);
    assert.equal(await p.page.locator('img').count(), 0);
    assert.equal(await p.page.locator('script').count(), 1); // only the panel's own bundle
    assert.equal(await p.page.locator('a').count(), 0);
    assert.equal(await p.page.locator('[href^="command:"], [src^="javascript:"], [href^="javascript:"]').count(), 0);
    assert.equal(await p.page.locator('[onerror], [onclick], [onload]').count(), 0);

    const text = await p.page.locator('body').innerText();
    assert.ok(text.includes(IMG), 'markup is shown as text');
    assert.doesNotMatch(text, BIDI_RE);
    assert.ok(text.includes('safeeviltxt.exe'));
    // A hostile server error on a source row is text too, cut to one short line.
    const rowError = await p.text('.source[data-source-id="s2"] .source-error');
    assert.ok(rowError.includes(`Server error: ${IMG}`) && rowError.length <= 160 && !BIDI_RE.test(rowError), rowError);
    assert.ok(text.length < 40_000, `long strings are cut (page text is ${text.length} chars)`);

    // Every element's own text is at most 300 chars; titles hold at most 1000.
    const longest = await p.page.evaluate(`(() => {
      let text = 0, title = 0;
      for (const el of document.querySelectorAll('body *')) {
        for (const n of el.childNodes) if (n.nodeType === 3) text = Math.max(text, n.textContent.length);
        if (el.hasAttribute('title')) title = Math.max(title, el.getAttribute('title').length);
      }
      return { text, title };
    })()`) as { text: number; title: number };
    assert.ok(longest.text <= 300, `longest text node ${longest.text}`);
    assert.ok(longest.title <= 1000 && longest.title > 200, `longest title ${longest.title}`);
    const cut = await p.page.locator('td[data-col="path"]').first().textContent();
    assert.ok(cut?.endsWith('…') && cut.length === 200);

    assert.deepEqual(await p.cspViolations(), []);
    assert.deepEqual(p.errors, []);
    await p.screenshot('hostile-dark');
  });
});
