// Driving a real VS Code workbench (code-server) with Playwright and Debian's Chromium.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Frame, Page } from 'playwright-core';
import { repoRoot } from './env';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface Workbench {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns something other than undefined, or throws after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForSelector('.monaco-workbench', { timeout: timeoutMs });
  await page.waitForSelector('.part.statusbar', { timeout: timeoutMs });
}

/** Opens `folder` in the code-server at `url` (http://127.0.0.1:PORT) in headless Chromium. */
export async function openWorkbench(url: string, folder: string, opts: { headless?: boolean } = {}): Promise<Workbench> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: opts.headless ?? true });
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${url.replace(/\/$/, '')}/?folder=${encodeURIComponent(folder)}`);
    await waitForWorkbench(page);
    return { browser, page, close: () => browser.close() };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

const quickInput = '.quick-input-widget .quick-input-box input';

async function openCommandPalette(page: Page): Promise<void> {
  const input = page.locator(quickInput);
  // F1 is swallowed while focus sits in some widgets (or before the workbench has focus),
  // so fall back to the other shortcut and to clicking into the editor area first.
  const attempts: (() => Promise<void>)[] = [
    () => page.keyboard.press('F1'),
    () => page.keyboard.press('Control+Shift+P'),
    async () => {
      await page.locator('.part.editor').click({ position: { x: 20, y: 20 } }).catch(() => undefined);
      await page.keyboard.press('F1');
    },
  ];
  for (const attempt of attempts) {
    await attempt();
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error('The command palette did not open');
}

/**
 * A dialog or modal editor over the workbench makes the palette inert. Closes it and says what it was
 * (printed, so a run that met one shows it; the caller's own assertions still decide the test).
 */
async function closeBlocker(page: Page): Promise<string | undefined> {
  const dialog = page.locator('.monaco-dialog-box').first();
  if (await dialog.isVisible().catch(() => false)) {
    const text = (await dialog.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    process.stderr.write(`[e2e] a dialog was open over the workbench: ${text}\n`);
    return `dialog: ${text}`;
  }
  const modal = page.locator('.modal-editor-part').first();
  if (await modal.isVisible().catch(() => false)) {
    const title = (await modal.locator('.modal-editor-header').innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
    await modal.locator('.modal-editor-header .codicon-close').first().click({ timeout: 5000 }).catch(() => undefined);
    await modal.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    process.stderr.write(`[e2e] a modal editor was open over the workbench: ${title}\n`);
    return `modal editor: ${title}`;
  }
  return undefined;
}

function exactly(text: string): RegExp {
  return new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
}

/**
 * Runs a command by its palette title, e.g. "Pulse: Show Log" (the row must match exactly).
 * The palette lists the commands known when it opens, so while extensions are still
 * registering it is closed and reopened until the command shows up or `timeoutMs` passes.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const input = page.locator(quickInput);
  const row = page
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: exactly(title) }) })
    .first();
  const deadline = Date.now() + timeoutMs;
  const seen: string[] = [];
  for (;;) {
    await page.keyboard.press('Escape');
    const blocker = await closeBlocker(page);
    if (blocker) seen.push(blocker);
    try {
      await openCommandPalette(page);
      await input.fill(`>${title}`, { timeout: 5000 });
      await row.waitFor({ state: 'visible', timeout: 3000 });
      break;
    } catch {
      if (Date.now() > deadline) {
        const offered = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
        await page.keyboard.press('Escape');
        const blocked = seen.length > 0 ? `; in the way: ${seen.join(' | ')}` : '';
        throw new Error(`No command "${title}" in the palette (offered: ${offered.join(' | ') || 'nothing'})${blocked}`);
      }
    }
  }
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
}

export interface StatusBarEntry {
  id: string;
  text: string;
  ariaLabel: string;
  /** Codicon names in the text, e.g. ["pulse"] for `$(pulse)`. */
  icons: string[];
  /** Computed background colour of the item (e.g. "rgb(…)" or "rgba(0, 0, 0, 0)"). */
  background: string;
  color: string;
  className: string;
}

// Page-side code runs in the browser; tsconfig.json has no DOM lib, so name only what it uses.
interface PageElement {
  id: string;
  className: string;
  innerText: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
}
interface PageGlobals {
  document: { querySelectorAll(selector: string): Iterable<PageElement> };
  getComputedStyle(el: PageElement): { backgroundColor: string; color: string };
}

/**
 * The first status-bar entry whose DOM id or text contains `idOrText` (case-insensitive).
 * code-server gives an extension's item the DOM id `<publisher>.<name>.<item id>` (just
 * `<publisher>.<name>` when created without an id), e.g. `pulse-dev.pulse-metrics.pulse.status`.
 * The tooltip is a custom hover, not a title attribute: see statusBarTooltip().
 */
export async function statusBarItem(page: Page, idOrText: string): Promise<StatusBarEntry | undefined> {
  return page.evaluate((needle) => {
    const w = globalThis as unknown as PageGlobals;
    const n = needle.toLowerCase();
    const items = [...w.document.querySelectorAll('.part.statusbar .statusbar-item')];
    const item =
      items.find((el) => el.id.toLowerCase().includes(n)) ?? items.find((el) => (el.innerText || '').toLowerCase().includes(n));
    if (!item) return undefined;
    const label = item.querySelector('.statusbar-item-label') ?? item;
    // No named helpers in here: tsx's keepNames would wrap them in a __name() the page lacks.
    const own = w.getComputedStyle(item).backgroundColor;
    const background = own === 'transparent' || own === 'rgba(0, 0, 0, 0)' ? w.getComputedStyle(label).backgroundColor : own;
    return {
      id: item.id,
      text: (label.innerText || item.innerText || '').trim(),
      ariaLabel: label.getAttribute('aria-label') ?? item.getAttribute('aria-label') ?? '',
      icons: [...label.querySelectorAll('.codicon')]
        .map((el) => /codicon-([\w-]+)/.exec(el.className)?.[1] ?? '')
        .filter((name) => name !== ''),
      background,
      color: w.getComputedStyle(label).color,
      className: item.className,
    };
  }, idOrText);
}

/** Hovers a status-bar entry and returns the text of the hover that opens (its tooltip). */
export async function statusBarTooltip(page: Page, idOrText: string, timeoutMs = 15_000): Promise<string> {
  const entry = await waitForStatusBarItem(page, idOrText, () => true, timeoutMs);
  await page.mouse.move(0, 0);
  await page.locator(`.part.statusbar [id="${entry.id}"]`).hover();
  const hover = page.locator('.workbench-hover, .monaco-hover-content').filter({ hasText: /\S/ }).first();
  await hover.waitFor({ state: 'visible', timeout: timeoutMs });
  const text = (await hover.innerText()).replace(/\u00a0/g, ' ');
  await page.mouse.move(0, 0);
  return text;
}

/** Waits until a status-bar entry exists and satisfies `ok`. */
export function waitForStatusBarItem(
  page: Page,
  idOrText: string,
  ok: (e: StatusBarEntry) => boolean = () => true,
  timeoutMs = 30_000,
): Promise<StatusBarEntry> {
  return waitFor(`status bar item "${idOrText}"`, async () => {
    const entry = await statusBarItem(page, idOrText);
    return entry && ok(entry) ? entry : undefined;
  }, timeoutMs);
}

/** The (nested) iframe that contains `selector`: webview content lives two iframes deep. */
export function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  return waitFor(`a frame containing ${selector}`, async () => {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const found = await frame.$(selector).catch(() => null);
      if (found) return frame;
    }
    return undefined;
  }, timeoutMs);
}

export const screenshotDir = join(repoRoot, 'test-output', 'e2e');
let shotCount = 0;

/** Saves test-output/e2e/NN-name.png (numbered in the order taken) and returns its path. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  shotCount += 1;
  const file = join(screenshotDir, `${String(shotCount).padStart(2, '0')}-${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Edits a settings.json on disk (VS Code picks the change up through its file watcher).
 * `undefined` values remove the key; a function gets the whole object and returns the new one.
 */
export function editSettingsJson(
  file: string,
  patch: Record<string, unknown> | ((settings: Record<string, unknown>) => Record<string, unknown>),
): Record<string, unknown> {
  let current: Record<string, unknown> = {};
  try {
    current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // A missing or empty file starts from {}.
  }
  let next: Record<string, unknown>;
  if (typeof patch === 'function') {
    next = patch(current);
  } else {
    next = Object.fromEntries(
      Object.entries({ ...current, ...patch }).filter(([, v]) => v !== undefined),
    );
  }
  writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`);
  return next;
}

/** "Developer: Reload Window", then waits for the new workbench. */
export async function reloadWindow(page: Page): Promise<void> {
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 60_000 });
  await runCommand(page, 'Developer: Reload Window');
  await navigated;
  await page.waitForLoadState('domcontentloaded');
  await waitForWorkbench(page);
}

const outputPanel = '.part.panel[data-active-composite="workbench.panel.output"]';

/** The text the Output panel currently shows (only rendered lines; Monaco's nbsp become spaces). */
export async function readOutput(page: Page): Promise<string> {
  const lines = page.locator(`${outputPanel} .monaco-editor .view-lines`).first();
  await lines.waitFor({ state: 'visible', timeout: 15_000 });
  return (await lines.innerText()).replace(/\u00a0/g, ' ');
}

/** The channel the Output panel shows, e.g. "Pulse". */
export function outputChannel(page: Page): Promise<string> {
  return page.locator(`${outputPanel} select[aria-label="Switch Output"]`).first().inputValue({ timeout: 15_000 });
}

/** Waits until the Output panel's visible text contains `text`. */
export function waitForOutput(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<string> {
  return waitFor(`output containing ${String(text)}`, async () => {
    const out = await readOutput(page).catch(() => '');
    const hit = typeof text === 'string' ? out.includes(text) : text.test(out);
    return hit ? out : undefined;
  }, timeoutMs);
}

/** Text of the visible notification toasts. */
export function notifications(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
}
