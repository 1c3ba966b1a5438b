// The status bar summary: one item for the workspace, or one per source when asked. Updates are
// coalesced (at most every 500 ms) and the text is only set when it actually changed.

import * as vscode from 'vscode';
import type { Pipeline } from '../core/pipeline';
import type { StatusMetric } from '../core/settings/settings';
import type { SeriesInfo } from '../core/series/store';
import type { StatusSeverity, StatusView } from '../core/views/statusText';
import { statusView } from '../core/views/statusText';
import { sparkline } from '../shared/format';
import { aggregate } from '../core/series/aggregate';
import { convertUnit } from '../core/series/units';
import { labelBreakdown, STATUS_ROLE } from '../core/views/headline';
import { plainText } from '../core/views/safeText';
import { l10n } from './l10n';

export const STATUS_INTERVAL_MS = 500;
const SPARK_WINDOW_MS = 5 * 60_000;


/**
 * The one series whose history stands for a headline metric: an unlabeled one, or the only one. A
 * headline made of several labeled series (heap summed over services) has no single history.
 */
function headlineSeries(series: readonly SeriesInfo[], metric: StatusMetric): SeriesInfo | undefined {
  const role = STATUS_ROLE[metric];
  let only: SeriesInfo | undefined;
  let count = 0;
  for (const x of series) {
    if (x.role !== role) continue;
    if (x.labels.length === 0) return x;
    only = x;
    count++;
  }
  return count === 1 ? only : undefined;
}

export interface StatusOptions {
  readonly metrics: readonly StatusMetric[];
  readonly perSource: boolean;
}

export class StatusBar implements vscode.Disposable {
  private readonly items = new Map<string, vscode.StatusBarItem>();
  private readonly lastText = new Map<string, string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ticker: ReturnType<typeof setInterval>;
  private lastUpdate = 0;
  private notice: { text: string; until: number } | undefined;
  /** Text updates so far (the traffic benchmark reads it). */
  updates = 0;

  constructor(
    private readonly pipeline: Pipeline,
    private options: StatusOptions,
  ) {
    // Countdowns ("reconnecting in 3 s") and notices expire without any message arriving.
    this.ticker = setInterval(() => this.schedule(), 1000);
  }

  configure(options: StatusOptions): void {
    this.options = options;
    this.render();
  }

  /** Shows e.g. "p95 +38 % since save" until `until`. */
  showNotice(text: string, until: number): void {
    this.notice = { text, until };
    this.schedule();
  }

  /** Takes a notice down before it expires (the save it was about is fixed or superseded). */
  clearNotice(): void {
    if (this.notice === undefined) return;
    this.notice = undefined;
    this.schedule();
  }

  schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastUpdate + STATUS_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, wait);
  }

  /** What the items show now (also used by tests and the tooltip). */
  views(now = Date.now()): Map<string, StatusView> {
    const runtimes = this.pipeline.sources();
    const out = new Map<string, StatusView>();
    if (runtimes.length === 0) return out;
    const all = this.pipeline.store.list();
    const alerts = this.pipeline.alerts.firing();
    const notice = this.notice && this.notice.until > now ? this.notice.text : undefined;
    const groups = this.options.perSource && runtimes.length > 1 ? runtimes.map((rt) => [rt.config.id, [rt]] as const) : [['all', runtimes] as const];
    for (const [key, members] of groups) {
      const ids = new Set(members.map((m) => m.config.id));
      const series = key === 'all' ? all : all.filter((s) => ids.has(s.sourceId));
      out.set(
        key,
        statusView({
          summary: key === 'all' ? this.pipeline.headline() : this.pipeline.sourceHeadline(key),
          metrics: this.options.metrics,
          sources: members.map((m) => ({ name: m.config.name, state: m.state, errors: { count: m.errorCount, lastAt: m.lastErrorAt, last: m.lastReportedError } })),
          alerts: key === 'all' ? alerts : alerts.filter((a) => ids.has(a.sourceId)),
          now,
          notice,
          label: key === 'all' ? undefined : members[0]?.config.name,
          l10n,
          breakdown: (metric) => labelBreakdown(series, members.map((m) => m.config.id), metric),
          window: (metric) => {
            if (metric === 'uptime') return undefined;
            const s = headlineSeries(series, metric);
            const a = s ? aggregate(this.pipeline.store, s.id, SPARK_WINDOW_MS, now) : undefined;
            if (!s || !a) return undefined;
            const to = metric === 'latency' ? 'ms' : metric === 'errorRate' || metric === 'cpu' ? 'percent' : s.unit;
            return { avg: a.avg === null ? null : convertUnit(a.avg, s.unit, to), max: a.max === null ? null : convertUnit(a.max, s.unit, to) };
          },
          spark: (metric) => {
            const s = headlineSeries(series, metric);
            if (!s) return undefined;
            return sparkline(this.pipeline.store.points(s.id, now - SPARK_WINDOW_MS, now, 'rate', 40).v, 20);
          },
        }),
      );
    }
    return out;
  }

  private render(): void {
    this.lastUpdate = Date.now();
    const views = this.views();
    for (const [key, item] of this.items) {
      if (!views.has(key)) {
        item.dispose();
        this.items.delete(key);
        this.lastText.delete(key);
      }
    }
    let priority = 100;
    for (const [key, view] of views) {
      let item = this.items.get(key);
      if (!item) {
        item = vscode.window.createStatusBarItem(key === 'all' ? 'pulse.status' : `pulse.status.${key}`, vscode.StatusBarAlignment.Left, priority);
        item.name = key === 'all' ? 'Pulse' : l10n.t('Pulse: {0}', plainText(key));
        item.command = { title: l10n.t('Open Metrics Panel'), command: 'pulse.openPanel' };
        this.items.set(key, item);
        item.show();
      }
      priority--;
      const signature = `${view.text}\u0000${view.severity}\u0000${view.tooltip}`;
      if (this.lastText.get(key) === signature) continue;
      this.lastText.set(key, signature);
      this.updates++;
      item.text = view.text;
      item.accessibilityInformation = { label: view.accessibilityLabel, role: 'button' };
      const tooltip = new vscode.MarkdownString(view.tooltip, true);
      tooltip.isTrusted = false;
      tooltip.supportHtml = false;
      item.tooltip = tooltip;
      item.backgroundColor = background(view.severity);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    clearInterval(this.ticker);
    for (const item of this.items.values()) item.dispose();
    this.items.clear();
  }
}

function background(severity: StatusSeverity): vscode.ThemeColor | undefined {
  if (severity === 'critical') return new vscode.ThemeColor('statusBarItem.errorBackground');
  if (severity === 'warning') return new vscode.ThemeColor('statusBarItem.warningBackground');
  return undefined;
}
