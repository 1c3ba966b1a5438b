// The metrics panel's HTML shell with a strict Content Security Policy. Pure: no vscode import,
// so it can be unit-tested and served by the webview test harness exactly as the extension serves it.
import { randomBytes } from 'node:crypto';
import { resolveLocale } from '../../shared/format';

export interface PanelHtmlOptions {
  /** webview.cspSource: the origin the webview's resources are served from. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly scriptUri: string;
  readonly styleUri: string;
  readonly codiconsUri?: string;
  readonly title?: string;
  /** VS Code's display language; the webview formats numbers in it (anything Intl does not know becomes `en`). */
  readonly lang?: string;
  /** vscode.l10n.bundle (undefined in English): the panel's own words, read by webview/ui/l10nStart.ts. */
  readonly l10nBundle?: { readonly [message: string]: string };
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

// HTML escaping does not stop `;` or quotes from adding CSP directives, so these are checked instead.
// A space-separated list of host sources or 'self' (code-server's cspSource is "'self' https://*.vscode-cdn.net").
const CSP_TOKEN = String.raw`(?:'self'|[A-Za-z0-9*][A-Za-z0-9+.\-*:/_%]*)`;
const CSP_SOURCE = new RegExp(`^${CSP_TOKEN}(?: ${CSP_TOKEN})*$`);
const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  if (!CSP_SOURCE.test(cspSource)) throw new Error('renderPanelHtml: cspSource is not a valid CSP source expression');
  if (!NONCE.test(nonce)) throw new Error('renderPanelHtml: nonce must be base64 of at least 12 bytes');
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "connect-src 'none'",
  ].join('; ');
}

export function renderPanelHtml(o: PanelHtmlOptions): string {
  const csp = contentSecurityPolicy(o.cspSource, o.nonce);
  const nonce = escapeHtml(o.nonce);
  const codicons = o.codiconsUri
    ? `\n    <link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeHtml(o.codiconsUri)}" nonce="${nonce}">`
    : '';
  return `<!DOCTYPE html>
<html lang="${escapeHtml(resolveLocale(o.lang))}">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="stylesheet" href="${escapeHtml(o.styleUri)}" nonce="${nonce}">${codicons}
    <title>${escapeHtml(o.title ?? 'Pulse Metrics')}</title>
  </head>
  <body>
    <div id="app"${o.l10nBundle ? ` data-l10n="${escapeHtml(JSON.stringify(o.l10nBundle))}"` : ''}></div>
    <script nonce="${nonce}" src="${escapeHtml(o.scriptUri)}"></script>
  </body>
</html>
`;
}
