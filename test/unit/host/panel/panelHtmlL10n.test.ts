// The panel's l10n bundle travels in the HTML as an escaped data attribute: no inline script (the CSP allows
// none), nothing in a message can end the attribute or open a tag, and the page reads back exactly the bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderPanelHtml } from '../../../../src/host/panel/panelHtml';

const base = { cspSource: 'https://file+.vscode-resource.vscode-cdn.net', nonce: 'AAAAAAAAAAAAAAAAAAAAAA==', scriptUri: 's.js', styleUri: 's.css' };

/** What the browser's dataset gives back for the attribute (HTML entity decoding of the five escapes). */
function readBack(html: string): unknown {
  const raw = /<div id="app" data-l10n="([^"]*)"><\/div>/.exec(html)?.[1];
  assert.ok(raw !== undefined, 'the bundle is in #app');
  return JSON.parse(raw.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

test('the bundle round-trips through the attribute, quotes and markup escaped', () => {
  const bundle = { Pause: 'Pausieren', 'Snooze alert: {0}': '"><script>alert(1)</script> {0} & \'x\'' };
  const html = renderPanelHtml({ ...base, lang: 'de', l10nBundle: bundle });
  assert.deepEqual(readBack(html), bundle);
  assert.equal(html.match(/<script/g)?.length, 1, 'only the nonce script');
  assert.ok(html.includes('<html lang="de">'));
});

test('in English (no bundle) #app has no attribute', () => {
  assert.ok(renderPanelHtml(base).includes('<div id="app"></div>'));
});
