// Serves the real panel HTML (renderPanelHtml, real CSP and nonce) from a local HTTP server standing in for
// the webview's cspSource, and drives it in headless Chromium with a stub acquireVsCodeApi.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import type { HostMessage } from '../../src/shared/protocol';
import type { WebviewMessage } from '../../src/shared/requests';
import { makeNonce, renderPanelHtml } from '../../src/host/panel/panelHtml';
import type { ThemeName } from './theme';
import { isThemeName, THEME_KIND, themeCss } from './theme';

export const root = join(__dirname, '..', '..');
export const outputDir = join(root, 'test-output', 'webview');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((e) => newestMtime(join(path, e))));
}

/** Builds the bundles unless dist/ is newer than every webview source. */
export function ensureBuilt(): void {
  const sources = Math.max(newestMtime(join(root, 'webview')), newestMtime(join(root, 'src', 'shared')));
  const built = () => {
    try {
      return Math.min(statSync(join(root, 'dist', 'webview.js')).mtimeMs, statSync(join(root, 'dist', 'webview.css')).mtimeMs);
    } catch {
      return 0;
    }
  };
  if (built() >= sources) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, encoding: 'utf8' });
  // esbuild.mjs also builds the host bundle; only the webview bundle matters here.
  if (built() < sources) throw new Error(`webview build failed:\n${r.stderr}`);
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.map': 'application/json', '.svg': 'image/svg+xml', '.ttf': 'font/ttf' };

export interface PanelServer {
  readonly origin: string;
  close(): Promise<void>;
}

/** GET / → the panel HTML (plus a theme stylesheet link, as VS Code adds its theme); /dist and /media → files. */
export async function startServer(): Promise<PanelServer> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/') {
      const nonce = makeNonce();
      const asked = url.searchParams.get('theme');
      const theme: ThemeName = isThemeName(asked) ? asked : 'dark';
      const html = renderPanelHtml({ cspSource: origin, nonce, scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/dist/webview.css` })
        .replace('</head>', `  <link rel="stylesheet" href="${origin}/theme/${theme}.css" nonce="${nonce}">\n  </head>`)
        .replace('<body>', `<body class="${THEME_KIND[theme]}" data-vscode-theme-kind="${THEME_KIND[theme]}">`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html);
      return;
    }
    const theme = /^\/theme\/([a-z-]+)\.css$/.exec(url.pathname);
    if (theme && isThemeName(theme[1])) {
      res.writeHead(200, { 'content-type': 'text/css' });
      res.end(themeCss(theme[1]));
      return;
    }
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
    if (!(rel.startsWith(`dist${sep}`) || rel.startsWith(`media${sep}`)) || rel.includes('..')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(root, rel));
      res.writeHead(200, { 'content-type': TYPES[extname(rel)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
}

// Runs in the page before its scripts: the stand-in for VS Code's webview API, recording what the page posts,
// keeping getState/setState across reloads (sessionStorage), and recording CSP violations.
const STUB = `(() => {
  const posted = [];
  const csp = [];
  Object.defineProperty(window, '__posted', { value: posted });
  Object.defineProperty(window, '__csp', { value: csp });
  document.addEventListener('securitypolicyviolation', (e) => csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi called twice');
    acquired = true;
    return {
      postMessage: (m) => posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => JSON.parse(sessionStorage.getItem('vscodeState') ?? 'null'),
      setState: (s) => { sessionStorage.setItem('vscodeState', JSON.stringify(s)); return s; },
    };
  };
})();`;

export interface CspViolation {
  readonly directive: string;
  readonly blocked: string;
  readonly sample: string;
}

export class Panel {
  /** Uncaught errors in the page. */
  readonly errors: string[] = [];

  constructor(
    readonly page: Page,
    private readonly origin: string,
  ) {
    page.on('pageerror', (err) => this.errors.push(String(err)));
  }

  async open(theme: ThemeName = 'dark'): Promise<void> {
    await this.page.goto(`${this.origin}/?theme=${theme}`);
    await this.page.waitForFunction('window.__posted.length > 0');
  }

  async reload(): Promise<void> {
    await this.page.reload();
    await this.page.waitForFunction('window.__posted.length > 0');
  }

  /** Sends a message as the host would (any value: malformed ones included), then waits for the frame it causes. */
  async send(msg: HostMessage | unknown): Promise<void> {
    await this.page.evaluate(`window.postMessage(${JSON.stringify(msg)}, '*')`);
    await this.settle();
  }

  /** Lets pending message events run and the next animation frames render. */
  async settle(): Promise<void> {
    await this.page.evaluate('new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined))), 0))');
  }

  async posted(): Promise<WebviewMessage[]> {
    return (await this.page.evaluate('window.__posted.slice()')) as WebviewMessage[];
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate('window.__posted.length = 0');
  }

  async cspViolations(): Promise<CspViolation[]> {
    return (await this.page.evaluate('window.__csp.slice()')) as CspViolation[];
  }

  /** Runs `fn` (JavaScript source of a function) on the first element matching `selector`, in the page. */
  async evalOn(selector: string, fn: string): Promise<unknown> {
    return this.page.evaluate(`(${fn})(document.querySelector(${JSON.stringify(selector)}))`);
  }

  async text(selector: string): Promise<string> {
    return ((await this.page.locator(selector).first().textContent()) ?? '').trim();
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(outputDir, { recursive: true });
    await this.page.evaluate('window.scrollTo(0, 0)');
    await this.page.screenshot({ path: join(outputDir, `${name}-top.png`) });
    await this.page.screenshot({ path: join(outputDir, `${name}.png`), fullPage: true });
  }
}

export interface Harness {
  readonly browser: Browser;
  readonly server: PanelServer;
  newPanel(opts?: { width?: number; height?: number }): Promise<Panel>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  ensureBuilt();
  const server = await startServer();
  const browser = await launch();
  return {
    browser,
    server,
    async newPanel(opts = {}) {
      const context = await browser.newContext({ viewport: { width: opts.width ?? 1200, height: opts.height ?? 900 }, deviceScaleFactor: 1 });
      await context.addInitScript({ content: STUB });
      return new Panel(await context.newPage(), server.origin);
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
