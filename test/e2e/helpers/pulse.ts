// Shared rig and Pulse-specific page helpers for the feature e2e tests (journey, commands, code-aware).
// One dev server + one code-server + one browser per test file; everything started is stopped by pid.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import type { CodeServer, CodeServerEnv, Profile, SourceConfig } from './env';
import { vscodeEnv } from './env';
import type { DevServer, DevServerState } from '../../helpers/devserver';
import { startDevServer } from '../../helpers/devserver';
import type { StatusBarEntry, Workbench } from './workbench';
import { openWorkbench, runCommand, screenshotDir, statusBarItem, waitFor, webviewFrame } from './workbench';
import type { Unit } from '../../../src/shared/vocabulary';
import { formatBytes, formatCount, formatValue } from '../../../src/shared/format';

/** DOM id code-server gives Pulse's workspace status-bar item. */
export const STATUS_ID = 'pulse-dev.pulse-metrics.pulse.status';

export interface RigOptions {
  /** pulse.sources for the dev server's port (`defaults` is vscode-env's pulseSources); undefined leaves the setting out. */
  readonly sources: (port: number, defaults: (port: number, opts?: { all?: boolean }) => SourceConfig[]) => SourceConfig[] | undefined;
  readonly workspaceSettings?: Record<string, unknown>;
  readonly userSettings?: Record<string, unknown>;
  /** Extra dev server arguments, e.g. `--interval-scale 0.2` for seed 001's 5 s updates every second. */
  readonly devArgs?: readonly string[];
}

/** The pieces a test file starts; stop() stops whatever was started, in reverse order. */
export class Rig {
  env: CodeServerEnv | undefined;
  vsix = '';
  profile: Profile | undefined;
  server: CodeServer | undefined;
  wb: Workbench | undefined;
  private devs: DevServer[] = [];
  private current: DevServer | undefined;

  get dev(): DevServer {
    if (!this.current) throw new Error('the dev server is not running');
    return this.current;
  }

  get page(): Page {
    if (!this.wb) throw new Error('the workbench is not open');
    return this.wb.page;
  }

  /** code-server installed and the .vsix packaged (slow only the first time). */
  async install(): Promise<void> {
    const m = await vscodeEnv();
    this.env = await m.ensureCodeServer();
    this.vsix = await m.packageVsix();
  }

  async start(opts: RigOptions): Promise<void> {
    const m = await vscodeEnv();
    if (!this.env) throw new Error('install() first');
    this.current = await startDevServer({ args: opts.devArgs ?? [] });
    this.devs.push(this.current);
    const sources = opts.sources(this.current.port, m.pulseSources);
    this.profile = m.createProfile({
      userSettings: opts.userSettings ?? {},
      workspaceSettings: { ...(sources ? { 'pulse.sources': sources } : {}), ...opts.workspaceSettings },
    });
    await m.installVsix(this.env, this.profile, this.vsix);
    this.server = await m.startCodeServer(this.env, this.profile);
    this.wb = await openWorkbench(this.server.url, this.profile.workspace);
  }

  /**
   * Call inside `describe`: before its tests, installs (slow only the first time), starts with `options()`, runs
   * `ready` (what the suite sets up on the running rig) and tidies the layout; after them, stops as `logName`.
   */
  hooks(logName: string, options: () => RigOptions, ready?: () => Promise<void> | void): void {
    before(() => this.install(), { timeout: 12 * 60_000 });
    before(async () => {
      await this.start(options());
      await ready?.();
      await tidyLayout(this.page);
    }, { timeout: 4 * 60_000 });
    after(() => this.stop(logName));
  }

  /** Starts a dev server on `port` (after the old one was stopped) and makes it the current one. */
  async startDevServerOn(port: number): Promise<DevServer> {
    this.current = await startDevServer({ port });
    this.devs.push(this.current);
    return this.current;
  }

  async stop(logName: string): Promise<void> {
    const failures: unknown[] = [];
    const attempt = async (f: () => Promise<void> | void): Promise<void> => {
      try {
        await f();
      } catch (e) {
        failures.push(e);
      }
    };
    await attempt(() => this.wb?.close());
    await attempt(() => this.server?.stop());
    for (const d of this.devs) await attempt(() => d.stop());
    await attempt(() => {
      if (this.server && existsSync(this.server.logFile)) {
        mkdirSync(screenshotDir, { recursive: true });
        copyFileSync(this.server.logFile, join(screenshotDir, `${logName}-code-server.log`));
      }
    });
    await attempt(() => this.profile?.cleanup());
    if (failures.length > 0) throw new AggregateError(failures, `stopping the ${logName} rig`);
  }
}

/** A rig with no pulse.* settings at all, whose project names its dev server's port in .env (detection reads it). */
export function hooksWithEnvPortOnly(rig: Rig, logName: string): void {
  rig.hooks(logName, () => ({ sources: () => undefined }), () => {
    if (!rig.profile) throw new Error('no profile');
    writeFileSync(join(rig.profile.workspace, '.env'), `PORT=${rig.dev.port}\n`);
  });
}

// ---------------------------------------------------------------------------------------------
// What the dev server sent: GET /__control/state, polled in the background.

export interface Sample {
  readonly at: number;
  readonly state: DevServerState;
}

/** Keeps the dev server's recent states so a reading in the UI can be matched to what was sent around then. */
export class ServerSampler {
  private samples: Sample[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private busy = false;

  constructor(private readonly dev: () => DevServer) {}

  start(intervalMs = 200): void {
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      this.dev()
        .state()
        .then((state) => {
          this.samples.push({ at: Date.now(), state });
          if (this.samples.length > 600) this.samples.splice(0, this.samples.length - 600);
        })
        .catch(() => undefined) // the server is down on purpose in some steps
        .finally(() => {
          this.busy = false;
        });
    }, intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** States seen in the last `ms`. */
  recent(ms = 6000): DevServerState[] {
    const since = Date.now() - ms;
    return this.samples.filter((s) => s.at >= since).map((s) => s.state);
  }
}

export type BunPick = (s: DevServerState) => number | undefined;

export const BUN: Readonly<Record<'heap' | 'connections' | 'pending', { pick: BunPick; unit: Unit }>> = {
  heap: { pick: (s) => s.bun?.memory.heapUsed, unit: 'bytes' },
  connections: { pick: (s) => s.bun?.websockets.pendingConnections, unit: 'count' },
  pending: { pick: (s) => s.bun?.http.pendingRequests, unit: 'count' },
};

/** formatValue of each recent server value: what the UI may legitimately show right now. */
export function expectedTexts(sampler: ServerSampler, pick: BunPick, unit: Unit, ms = 6000): Set<string> {
  const out = new Set<string>();
  for (const s of sampler.recent(ms)) {
    const v = pick(s);
    if (v !== undefined) out.add(formatValue(v, unit));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The panel (a webview two iframes deep). Frames are looked up afresh: a hidden webview is destroyed.

export const PANEL_READY = '.gauges .gauge';

export function panel(page: Page, selector = PANEL_READY, timeoutMs = 60_000): Promise<Frame> {
  return webviewFrame(page, selector, timeoutMs);
}

export interface GaugeReading {
  readonly text: string;
  readonly level: string;
}

export async function readGauge(page: Page, metric: string): Promise<GaugeReading | undefined> {
  const sel = `.gauge[data-metric="${metric}"]`;
  const frame = await panel(page, sel, 30_000);
  const g = frame.locator(sel).first();
  try {
    const text = ((await g.locator('.gauge-value').textContent({ timeout: 5000 })) ?? '').trim();
    const level = (await g.getAttribute('data-level', { timeout: 5000 })) ?? '';
    return { text, level };
  } catch {
    return undefined; // the frame went away between lookups
  }
}

/** Waits until a gauge shows one of the values the server sent recently (and, optionally, a level). */
export async function waitForGaugeMatchingServer(
  page: Page,
  sampler: ServerSampler,
  metric: keyof typeof BUN,
  opts: { level?: string; timeoutMs?: number } = {},
): Promise<GaugeReading> {
  const { pick, unit } = BUN[metric];
  let last: GaugeReading | undefined;
  let wanted = new Set<string>();
  try {
    return await waitFor(`gauge ${metric} to match the server`, async () => {
      last = await readGauge(page, metric);
      wanted = expectedTexts(sampler, pick, unit);
      if (!last || !wanted.has(last.text)) return undefined;
      if (opts.level !== undefined && last.level !== opts.level) return undefined;
      return last;
    }, opts.timeoutMs ?? 45_000);
  } catch (e) {
    throw new Error(`${(e as Error).message}: gauge shows ${JSON.stringify(last)}, server sent ${JSON.stringify([...wanted])}${opts.level ? `, level wanted ${opts.level}` : ''}`, { cause: e });
  }
}

/** Count of elements matching `selector` in the panel (0 when the panel is not there). */
export async function countInPanel(page: Page, selector: string): Promise<number> {
  const frame = await panel(page).catch(() => undefined);
  if (!frame) return 0;
  return frame.locator(selector).count().catch(() => 0);
}

export async function sourceState(page: Page, name: string): Promise<{ state: string; text: string } | undefined> {
  const frame = await panel(page, 'li.source').catch(() => undefined);
  if (!frame) return undefined;
  const row = frame.locator('li.source').filter({ has: frame.locator('.source-name', { hasText: new RegExp(`^${name}$`) }) }).first();
  try {
    const state = (await row.getAttribute('data-state', { timeout: 3000 })) ?? '';
    const text = ((await row.locator('.source-state').textContent({ timeout: 3000 })) ?? '').trim();
    return { state, text };
  } catch {
    return undefined;
  }
}

export function waitForSourceState(page: Page, name: string, state: string, timeoutMs = 60_000): Promise<{ state: string; text: string }> {
  return waitFor(`source "${name}" in the panel to be ${state}`, async () => {
    const s = await sourceState(page, name);
    return s?.state === state ? s : undefined;
  }, timeoutMs);
}

/** Pins the series row named `name` (exact) in the series table; returns its series id. */
export async function pinSeries(page: Page, name: string): Promise<string> {
  const frame = await panel(page, 'table[data-table=series] tr[data-series-id]');
  const row = frame.locator('table[data-table=series] tr[data-series-id]').filter({ has: frame.locator('td.name', { hasText: new RegExp(`^${name.replace(/\./g, '\\.')}$`) }) }).first();
  await row.waitFor({ state: 'attached', timeout: 30_000 });
  const id = await row.getAttribute('data-series-id');
  if (!id) throw new Error(`no series row for ${name}`);
  const pin = row.locator('[data-action=pin]');
  if ((await pin.getAttribute('aria-pressed')) !== 'true') await pin.click();
  return id;
}

export function chartSelector(seriesId: string): string {
  return `.chart[data-series-id="${seriesId.replace(/["\\]/g, '\\$&')}"]`;
}

/** data-points of the pinned chart for `seriesId`, or undefined when it is not shown. */
export async function chartPoints(page: Page, seriesId: string): Promise<number | undefined> {
  const sel = chartSelector(seriesId);
  const frame = await panel(page, sel, 5000).catch(() => undefined);
  if (!frame) return undefined;
  const v = await frame.locator(sel).first().getAttribute('data-points', { timeout: 3000 }).catch(() => null);
  return v === null ? undefined : Number(v);
}

// ---------------------------------------------------------------------------------------------
// Status bar

export function pulseStatus(page: Page): Promise<StatusBarEntry | undefined> {
  return statusBarItem(page, STATUS_ID);
}

export function waitForPulseStatus(page: Page, what: string, ok: (e: StatusBarEntry) => boolean, timeoutMs = 45_000): Promise<StatusBarEntry> {
  let last: StatusBarEntry | undefined;
  return waitFor(`Pulse status bar: ${what}`, async () => {
    last = await pulseStatus(page);
    return last && ok(last) ? last : undefined;
  }, timeoutMs).catch((e: unknown) => {
    throw new Error(`${(e as Error).message}; last: "${last?.text}" class="${last?.className}"`, { cause: e });
  });
}

export type Severity = 'ok' | 'warning' | 'critical';

export function severityOf(e: StatusBarEntry): Severity {
  if (e.className.split(/\s+/).includes('error-kind')) return 'critical';
  if (e.className.split(/\s+/).includes('warning-kind')) return 'warning';
  return 'ok';
}

/**
 * The status text shows the heap and connections the server sent (formatted as src/shared/format.ts
 * does), and no request rate: seed 000's live message has no request counter. Returns the entry.
 */
export async function waitForStatusMatchingServer(page: Page, sampler: ServerSampler, timeoutMs = 45_000): Promise<StatusBarEntry> {
  let why = '';
  let last: StatusBarEntry | undefined;
  try {
    return await waitFor('the status bar to show the server\'s numbers', async () => {
      last = await pulseStatus(page);
      if (!last) return undefined;
      const recent = sampler.recent();
      const heaps = new Set(recent.flatMap((s) => (s.bun ? [formatBytes(s.bun.memory.heapUsed)] : [])));
      const conns = new Set(recent.flatMap((s) => (s.bun ? [`${formatCount(s.bun.websockets.pendingConnections)} conn`] : [])));
      const parts = last.text.split(' · ').map((p) => p.trim());
      const heapOk = parts.some((p) => [...heaps].some((h) => p === h || p.startsWith(`${h} `)));
      const connOk = parts.some((p) => conns.has(p));
      const rate = /([\d.]+)(k?) req\/s/.exec(last.text);
      const rateOk = rate === null;
      why = `heap ${heapOk} (want one of ${[...heaps].join(' | ')}), conn ${connOk} (want ${[...conns].join(' | ')}), no req/s ${rateOk} (shown ${rate?.[0] ?? 'none'})`;
      return heapOk && connOk && rateOk ? last : undefined;
    }, timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message}: "${last?.text}" — ${why}`, { cause: e });
  }
}

// ---------------------------------------------------------------------------------------------
// Workbench bits

const quickInput = '.quick-input-widget';

export async function quickInputVisible(page: Page, timeoutMs = 15_000): Promise<void> {
  await page.locator(`${quickInput} .quick-input-box input`).waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Title + message of the open quick input (e.g. an input box's prompt). */
export async function quickInputText(page: Page): Promise<string> {
  const parts = await page.locator(`${quickInput} .quick-input-title, ${quickInput} .quick-input-message`).allInnerTexts();
  return parts.join(' | ');
}

/** Waits for an input box / quick pick whose title contains `title`. */
export async function waitForQuickInput(page: Page, title: string | RegExp, timeoutMs = 30_000): Promise<void> {
  await waitFor(`a quick input titled ${String(title)}`, async () => {
    const visible = await page.locator(`${quickInput} .quick-input-box input`).isVisible().catch(() => false);
    if (!visible) return undefined;
    const t = await page.locator(`${quickInput} .quick-input-title`).innerText().catch(() => '');
    return (typeof title === 'string' ? t.includes(title) : title.test(t)) ? true : undefined;
  }, timeoutMs);
}

export async function fillQuickInput(page: Page, value: string): Promise<void> {
  const input = page.locator(`${quickInput} .quick-input-box input`);
  await input.fill(value);
}

/** Clicks the quick pick row whose label matches. */
export async function pickQuickItem(page: Page, label: string | RegExp, timeoutMs = 15_000): Promise<void> {
  const row = page.locator(`${quickInput} .quick-input-list .monaco-list-row`).filter({ has: page.locator('.label-name', { hasText: label }) }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs });
  await row.click();
}

/** Accessible labels of the visible quick pick rows (label, then description and detail). */
export async function quickItems(page: Page): Promise<string[]> {
  const rows = page.locator(`${quickInput} .quick-input-list .monaco-list-row`);
  const out: string[] = [];
  for (let i = 0; i < (await rows.count()); i++) out.push((await rows.nth(i).getAttribute('aria-label')) ?? '');
  return out;
}

/** Text of the toasts that carry an error icon. */
export async function errorToasts(page: Page): Promise<string[]> {
  return page
    .locator('.notifications-toasts .notification-list-item')
    .filter({ has: page.locator('.codicon-error') })
    .locator('.notification-list-item-message')
    .allInnerTexts();
}

/** Waits for a toast whose message matches. */
export function waitForToast(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<string> {
  return waitFor(`a notification ${String(text)}`, async () => {
    const all = await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
    return all.find((m) => (typeof text === 'string' ? m.includes(text) : text.test(m)));
  }, timeoutMs);
}

/** Closes all toasts (so the next step's screenshot and toast checks start clean). */
export async function clearToasts(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
}

/** The title of the active editor tab in the active group (e.g. "server.ts"). */
export async function activeTabTitle(page: Page): Promise<string> {
  return ((await page.locator('.part.editor .editor-group-container.active .tab.active').first().getAttribute('data-resource-name', { timeout: 10_000 })) ?? '').trim();
}

/** Opens the workspace file `name` with Go to File and waits until it is the active editor. */
export async function openFile(page: Page, name: string): Promise<void> {
  await runCommand(page, 'Go to File...');
  await fillQuickInput(page, name);
  await pickQuickItem(page, name);
  await waitFor(`${name} to be the active editor`, async () => ((await activeTabTitle(page).catch(() => '')) === name ? true : undefined));
}

/** "Ln 36, Col 1" from the status bar, as numbers. */
export async function cursorPosition(page: Page): Promise<{ line: number; column: number } | undefined> {
  const text = await page.locator('.part.statusbar [id="status.editor.selection"]').innerText({ timeout: 5000 }).catch(() => '');
  const m = /Ln (\d+), Col (\d+)/.exec(text);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}

/** The text of the line the cursor is on in the active editor (the line whose top matches the current-line highlight). */
export async function cursorLineText(page: Page): Promise<string | undefined> {
  const editor = page.locator('.part.editor .editor-group-container.active .monaco-editor').first();
  // Monaco puts each overlay and each text line in a div positioned by `top`.
  const overlay = editor.locator('.view-overlays > div').filter({ has: page.locator('.current-line') }).first();
  const style = await overlay.getAttribute('style', { timeout: 5000 }).catch(() => null);
  const top = style ? /top:\s*([\d.]+)px/.exec(style)?.[1] : undefined;
  if (top === undefined) return undefined;
  const lines = editor.locator('.view-lines .view-line');
  const n = await lines.count();
  for (let i = 0; i < n; i++) {
    const s = await lines.nth(i).getAttribute('style');
    if (s && new RegExp(`top:\\s*${top.replace('.', '\\.')}px`).test(s)) return (await lines.nth(i).innerText()).replace(/\u00a0/g, ' ');
  }
  return undefined;
}

/** Hides the bottom panel (Output, Terminal…) when it is shown. */
export async function closeBottomPanel(page: Page): Promise<void> {
  if (await page.locator('.part.panel.basepanel').first().isVisible().catch(() => false)) {
    await runCommand(page, 'View: Toggle Panel Visibility', 10_000);
    await page.locator('.part.panel.basepanel').first().waitFor({ state: 'hidden', timeout: 10_000 });
  }
}

/**
 * After "Go to Handler": waits until `file` is the active editor with the cursor on `line`, picking
 * the `file` entry when Pulse offers a list of close matches. Screenshot + details on failure.
 */
export async function waitForHandlerOpened(page: Page, file: string, line: number, timeoutMs = 30_000): Promise<void> {
  let seen = '';
  try {
    await waitFor(`${file}:${line} to open`, async () => {
      const widget = page.locator(`${quickInput}`);
      const title = (await widget.isVisible().catch(() => false)) ? await widget.locator('.quick-input-title').innerText().catch(() => '') : '';
      if (/^Handlers for/.test(title)) {
        const items = await quickItems(page);
        const mine = items.findIndex((i) => i.startsWith(`${file}:`));
        if (mine >= 0) await page.locator(`${quickInput} .quick-input-list .monaco-list-row`).nth(mine).click();
      }
      const tab = await activeTabTitle(page).catch(() => '');
      const pos = await cursorPosition(page);
      seen = `tab "${tab}", cursor ${JSON.stringify(pos)}, quick input "${title}"`;
      return tab === file && pos?.line === line ? true : undefined;
    }, timeoutMs);
  } catch (e) {
    const toasts = await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts().catch(() => []);
    await page.screenshot({ path: join(screenshotDir, `FAILED-go-to-handler-${Date.now()}.png`) }).catch(() => undefined);
    throw new Error(`${(e as Error).message}: ${seen}; toasts: ${JSON.stringify(toasts)}`, { cause: e });
  }
}

/** Leaves only what the test is about on screen: no secondary side bar, no bottom panel. */
export async function tidyLayout(page: Page, opts: { closeSidebar?: boolean } = {}): Promise<void> {
  await runCommand(page, 'View: Close Secondary Side Bar', 10_000).catch(() => undefined);
  await closeBottomPanel(page);
  if (opts.closeSidebar) await runCommand(page, 'View: Close Primary Side Bar', 10_000).catch(() => undefined);
}

/** The Settings editor opens as a modal over the editors in this code-server; closes it. */
export async function closeModalEditor(page: Page): Promise<void> {
  const modal = page.locator('.modal-editor-part').first();
  await modal.locator('.modal-editor-header .codicon-close').first().click({ timeout: 10_000 });
  await modal.waitFor({ state: 'hidden', timeout: 10_000 });
}

export function waitForStatusSeverity(page: Page, severity: Severity, timeoutMs = 45_000): Promise<StatusBarEntry> {
  return waitForPulseStatus(page, `severity ${severity}`, (e) => severityOf(e) === severity, timeoutMs);
}


// ---------------------------------------------------------------------------------------------
// Status-bar messages (window.setStatusBarMessage): routine confirmations, shown for a few seconds.

/** Texts of the status-bar entries other than Pulse's own item (where setStatusBarMessage renders). */
async function statusBarMessages(page: Page): Promise<{ id: string; text: string }[]> {
  const items = page.locator('.part.statusbar .statusbar-item');
  const out: { id: string; text: string }[] = [];
  for (let i = 0; i < (await items.count().catch(() => 0)); i++) {
    const item = items.nth(i);
    const id = (await item.getAttribute('id', { timeout: 1000 }).catch(() => null)) ?? '';
    if (id === STATUS_ID) continue;
    const text = ((await item.innerText({ timeout: 1000 }).catch(() => '')) || '').replace(/\u00a0/g, ' ').trim();
    if (text) out.push({ id, text });
  }
  return out;
}

/**
 * Waits for a status-bar message matching `text` (VS Code renders setStatusBarMessage as the entry
 * `status.extensionMessage`); fails if the same text shows up as a toast instead.
 */
export async function waitForStatusMessage(page: Page, text: string | RegExp, timeoutMs = 15_000): Promise<string> {
  const hit = (m: string): boolean => (typeof text === 'string' ? m.includes(text) : text.test(m));
  let seen: string[] = [];
  const found = await waitFor(`a status-bar message ${String(text)}`, async () => {
    const all = await statusBarMessages(page);
    seen = all.map((e) => `#${e.id}: ${e.text}`);
    return all.find((e) => e.id.includes('extensionMessage') && hit(e.text))?.text;
  }, timeoutMs).catch((e: unknown) => {
    throw new Error(`${(e as Error).message}; status bar: ${seen.join(' | ')}`, { cause: e });
  });
  const toasts = await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  if (toasts.some(hit)) throw new Error(`"${found}" is also a toast`);
  return found;
}
