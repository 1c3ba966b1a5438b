import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeNonce, renderPanelHtml } from '../../../../src/host/panel/panelHtml';

function csp(html: string): string {
  const m = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
  assert.ok(m?.[1], 'a CSP meta tag');
  return m[1].replace(/&#39;/g, "'");
}

test('strict CSP: nothing by default, scripts only by nonce, no inline or eval, no network', () => {
  const nonce = makeNonce();
  const html = renderPanelHtml({ cspSource: "'self' https://*.vscode-cdn.net", nonce, scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/dist/webview.js', styleUri: 'https://file+.vscode-resource.vscode-cdn.net/dist/webview.css' });
  const policy = csp(html);
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, new RegExp(`script-src 'nonce-${nonce.replace(/[+/=]/g, (c) => `\\${c}`)}'`));
  assert.match(policy, /connect-src 'none'/);
  assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval/);
  assert.ok(html.includes(`nonce="${nonce}"`), 'the script carries the nonce');
  assert.doesNotMatch(html, /<script(?![^>]*nonce=)/, 'every script has the nonce');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline handlers');
});

test('nonces are fresh and long enough; injected CSP sources are refused', () => {
  const a = makeNonce();
  assert.notEqual(a, makeNonce());
  assert.ok(a.length >= 22);
  assert.throws(() => renderPanelHtml({ cspSource: "'self'; script-src *", nonce: a, scriptUri: 'x', styleUri: 'y' }));
  assert.throws(() => renderPanelHtml({ cspSource: 'https://x', nonce: "a' 'unsafe-eval", scriptUri: 'x', styleUri: 'y' }));
});

test('the page carries VS Code display language for number formatting; an unknown one becomes en', () => {
  const page = (lang?: string) => renderPanelHtml({ cspSource: 'https://x', nonce: makeNonce(), scriptUri: 'x', styleUri: 'y', lang });
  assert.match(page('de'), /<html lang="de">/);
  assert.match(page('pt-br'), /<html lang="pt-BR">/);
  assert.match(page('"><script>'), /<html lang="en">/);
  assert.match(page(), /<html lang="en">/);
});
