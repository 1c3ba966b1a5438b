// Page helpers for the charts e2e test: the panel's chart cards, the Pulse view's Sources pane and the walkthrough.
import type { Frame, Locator, Page } from 'playwright-core';
import { chartSelector, panel } from './pulse';
import { waitFor } from './workbench';

export const CHART = '.chart[data-series-id]';

/** Series ids of the panel's charts, in the order shown (empty when the panel shows none). */
export async function chartIds(page: Page): Promise<string[]> {
  const frame = await panel(page, '[data-section="charts"]', 30_000);
  return frame.locator(CHART).evaluateAll((els) => els.map((e) => e.getAttribute('data-series-id') ?? ''));
}

/** Waits until the panel's chart list has not changed for `quietMs` (sources that connect late add their defaults). */
export async function settledChartIds(page: Page, quietMs = 4000, timeoutMs = 60_000): Promise<string[]> {
  let last = '';
  let since = Date.now();
  return waitFor(`the chart list to settle for ${quietMs} ms`, async () => {
    const ids = await chartIds(page).catch(() => []);
    const key = JSON.stringify(ids);
    if (key !== last) {
      last = key;
      since = Date.now();
      return undefined;
    }
    return ids.length > 0 && Date.now() - since >= quietMs ? ids : undefined;
  }, timeoutMs);
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The chart's plot area (uPlot's .u-over) in page coordinates, scrolled into view. */
export async function plotBox(frame: Frame, seriesId: string): Promise<Box> {
  const over = frame.locator(`${chartSelector(seriesId)} .u-over`).first();
  await over.scrollIntoViewIfNeeded({ timeout: 10_000 });
  const box = await over.boundingBox();
  if (!box) throw new Error(`no plot for ${seriesId}`);
  return box;
}

/** Seconds of the day from a legend time such as "7:05:12 PM" (a test does not run across midnight). */
export function secondsOfDay(text: string): number | undefined {
  const m = /(\d+):(\d\d):(\d\d)\s*([AP]M)?/i.exec(text);
  if (!m) return undefined;
  let h = Number(m[1]) % (m[4] ? 12 : 24);
  if (m[4]?.toUpperCase() === 'PM') h += 12;
  return h * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

export async function legendTime(frame: Frame, seriesId: string): Promise<string> {
  return ((await frame.locator(`${chartSelector(seriesId)} .legend-time`).first().textContent({ timeout: 5000 })) ?? '').trim();
}

/** Moves the pointer to `frac` of the plot's width and returns the legend's time there (seconds of day). */
export async function timeAt(page: Page, frame: Frame, seriesId: string, frac: number): Promise<number> {
  const box = await plotBox(frame, seriesId);
  await page.mouse.move(box.x + box.width * frac, box.y + box.height / 2, { steps: 2 });
  const text = await waitFor(`a time in ${seriesId}'s legend`, async () => {
    const t = await legendTime(frame, seriesId);
    return secondsOfDay(t) === undefined ? undefined : t;
  }, 5000);
  return secondsOfDay(text) ?? Number.NaN;
}

/** Where the crosshair stands in the chart, as a fraction of the plot's width (undefined when not shown). */
export async function crosshairAt(frame: Frame, seriesId: string): Promise<number | undefined> {
  const v = await frame.locator(`${chartSelector(seriesId)} .u-cursor-x`).first().evaluate((e) => {
    const over = e.closest('.u-over');
    if (!over) return null;
    const o = over.getBoundingClientRect();
    const r = e.getBoundingClientRect();
    const x = (r.left + r.right) / 2 - o.left;
    return x >= 0 && x <= o.width && r.height > 0 ? x / o.width : null;
  }).catch(() => null);
  return v ?? undefined;
}

// ---------------------------------------------------------------------------------------------
// Workbench: editor tabs, the Pulse view, the walkthrough.

export function editorTab(page: Page, title: string | RegExp): Locator {
  return page.locator('.part.editor .tab').filter({ hasText: title }).first();
}

/** Closes the editor tab titled `title` with its close button and waits until it is gone. */
export async function closeTab(page: Page, title: string | RegExp): Promise<void> {
  const tab = editorTab(page, title);
  await tab.hover();
  await tab.locator('.tab-actions .action-label').first().click({ timeout: 10_000 });
  await tab.waitFor({ state: 'detached', timeout: 15_000 });
}

/** Clicks the Pulse icon in the activity bar and waits for the side bar to show the Pulse container. */
export async function showPulseView(page: Page): Promise<void> {
  const icon = page.locator('.part.activitybar .action-item .action-label[aria-label^="Pulse"]').first();
  await icon.waitFor({ state: 'visible', timeout: 30_000 });
  const title = page.locator('.part.sidebar .composite.title', { hasText: /pulse/i }).first();
  if (!(await title.isVisible().catch(() => false))) await icon.click();
  await title.waitFor({ state: 'visible', timeout: 15_000 });
}

export function sidebarPane(page: Page, title: string): Locator {
  return page.locator('.part.sidebar .pane').filter({ has: page.locator('.pane-header', { hasText: new RegExp(title, 'i') }) }).first();
}

/** The descriptions ("connected · 1 msg/s"…) of the Sources tree's rows, by name. */
export async function sourceRows(page: Page): Promise<Map<string, string>> {
  const rows = sidebarPane(page, 'Sources').locator('.pane-body .monaco-list-row');
  const out = new Map<string, string>();
  for (let i = 0; i < (await rows.count()); i++) {
    const name = ((await rows.nth(i).locator('.label-name').first().innerText({ timeout: 2000 }).catch(() => '')) || '').trim();
    const description = ((await rows.nth(i).locator('.label-description').first().innerText({ timeout: 2000 }).catch(() => '')) || '').trim();
    out.set(name, description);
  }
  return out;
}

/** A step of the open walkthrough (VS Code renders each as button.getting-started-step). */
export function walkthroughStep(page: Page, stepId: string): Locator {
  return page.locator(`.part.editor button.getting-started-step[data-step-id$="${stepId}"]`).first();
}

/** Whether each of `stepIds` is checked off in the open walkthrough. */
export async function walkthroughDone(page: Page, stepIds: readonly string[]): Promise<Record<string, boolean>> {
  const out: Record<string, boolean> = {};
  // The step's checkbox (data-done-step-id) is what VS Code updates as a completion event fires.
  for (const id of stepIds) out[id] = (await page.locator(`.part.editor [data-done-step-id$="${id}"]`).first().getAttribute('aria-checked', { timeout: 10_000 })) === 'true';
  return out;
}

/** Expands a walkthrough step and clicks the button in its description labelled `label`. */
export async function runWalkthroughButton(page: Page, stepId: string, label: string): Promise<void> {
  const step = walkthroughStep(page, stepId);
  // Clicking an expanded step would land on its description; the next unfinished step is expanded already.
  if ((await step.getAttribute('aria-expanded', { timeout: 10_000 })) !== 'true') await step.click();
  await waitFor(`step ${stepId} to expand`, async () => ((await step.getAttribute('aria-expanded')) === 'true' ? true : undefined), 10_000);
  const exact = new RegExp(`^\\s*${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await step.locator('.monaco-button, a, button').filter({ hasText: exact }).first().click({ timeout: 10_000 });
}
