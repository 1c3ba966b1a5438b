// The status bar's words: text, Markdown tooltip and severity, from the summary. Pure.

import type { AlertView, SummaryView } from '../protocol';
import type { SourceState } from './model';
import type { StatusMetric } from './settings';
import { formatBytes, formatCount, formatDuration, formatMs, formatPercent, formatValue } from './format';

export type StatusSeverity = 'ok' | 'warning' | 'critical';

export interface StatusSource {
  readonly name: string;
  readonly state: SourceState;
}

export interface StatusInput {
  readonly summary: SummaryView;
  readonly metrics: readonly StatusMetric[];
  readonly sources: readonly StatusSource[];
  /** Visible firing alerts (not snoozed, not dismissed, not acknowledged). */
  readonly alerts: readonly AlertView[];
  readonly now: number;
  /** Last minutes of a metric as a unicode sparkline, when known. */
  readonly spark?: (metric: StatusMetric) => string | undefined;
  /** The metric over the last 5 minutes (in the unit of the summary value), when known. */
  readonly window?: (metric: StatusMetric) => { readonly avg: number | null; readonly max: number | null } | undefined;
  /** e.g. "p95 +38 % since save", shown for a short while after a regression. */
  readonly notice?: string;
  /** Prefix for per-source items. */
  readonly label?: string;
}

export interface StatusView {
  readonly text: string;
  readonly tooltip: string;
  readonly severity: StatusSeverity;
  readonly accessibilityLabel: string;
}

const METRIC_LABEL: Readonly<Record<StatusMetric, string>> = {
  requestRate: 'Requests',
  latency: 'Latency',
  errorRate: 'Error rate',
  connections: 'WS connections',
  heap: 'Heap used',
  uptime: 'Uptime',
  cpu: 'CPU',
  pending: 'Pending requests',
};

/** The short form for the status bar, or undefined when the sources don't provide it. */
export function metricText(metric: StatusMetric, s: SummaryView): string | undefined {
  switch (metric) {
    case 'requestRate':
      return s.requestRate == null ? undefined : `${formatCount(s.requestRate)} req/s`;
    case 'latency':
      return s.latencyMs == null ? undefined : formatMs(s.latencyMs);
    case 'errorRate':
      return s.errorRatePct == null ? undefined : `${formatPercent(s.errorRatePct)} err`;
    case 'connections':
      return s.connections == null ? undefined : `${formatCount(s.connections)} conn`;
    case 'heap':
      return s.heapBytes == null ? undefined : formatBytes(s.heapBytes);
    case 'uptime':
      return s.uptimeSeconds == null ? undefined : `up ${formatDuration(s.uptimeSeconds)}`;
    case 'cpu':
      return s.cpuPct == null ? undefined : `${formatPercent(s.cpuPct)} CPU`;
    case 'pending':
      return s.pending == null ? undefined : `${formatCount(s.pending)} pending`;
  }
}

function longValue(metric: StatusMetric, s: SummaryView): string {
  switch (metric) {
    case 'requestRate':
      return s.requestRate == null ? '–' : `${formatCount(s.requestRate)} req/s`;
    case 'latency':
      return formatValue(s.latencyMs, 'ms');
    case 'errorRate':
      return formatValue(s.errorRatePct, 'percent');
    case 'connections':
      return formatValue(s.connections, 'count');
    case 'heap':
      return s.heapBytes == null ? '–' : s.heapTotalBytes ? `${formatBytes(s.heapBytes)} of ${formatBytes(s.heapTotalBytes)}` : formatBytes(s.heapBytes);
    case 'uptime':
      return s.uptimeSeconds == null ? '–' : formatDuration(s.uptimeSeconds);
    case 'cpu':
      return formatValue(s.cpuPct, 'percent');
    case 'pending':
      return formatValue(s.pending, 'count');
  }
}

function windowValue(metric: StatusMetric, v: number): string {
  switch (metric) {
    case 'requestRate':
      return `${formatCount(v)} req/s`;
    case 'latency':
      return formatMs(v);
    case 'errorRate':
    case 'cpu':
      return formatPercent(v);
    case 'heap':
      return formatBytes(v);
    case 'uptime':
      return formatDuration(v);
    case 'connections':
    case 'pending':
      return formatCount(v);
  }
}

/** Makes untrusted text inert in a Markdown tooltip: no links, no HTML, no table breaks, one line. */
export function escapeMarkdown(text: string, max = 160): string {
  // eslint-disable-next-line no-control-regex
  const oneLine = text.replace(/[\u0000-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ');
  const cut = oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
  return cut.replace(/[\\`*_{}[\]()#+\-.!|<>&~:$]/g, (c) => `\\${c}`);
}

/** Untrusted text for the status bar's plain text (no Markdown there): no control or bidi characters. */
function plainText(text: string, max = 64): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function stateWord(state: SourceState, now: number): string {
  switch (state.phase) {
    case 'idle':
      return 'idle';
    case 'connecting':
      return 'connecting…';
    case 'open':
      return 'connected';
    case 'reconnecting':
      return `reconnecting in ${Math.max(0, Math.ceil((state.retryAt - now) / 1000))} s`;
    case 'closed':
      return 'disconnected';
    case 'failed':
      return 'failed';
  }
}

function connectionIcon(sources: readonly StatusSource[]): string {
  if (sources.length === 0) return '$(pulse)';
  if (sources.some((s) => s.state.phase === 'open')) {
    return sources.every((s) => s.state.phase === 'open') ? '$(pulse)' : '$(warning)';
  }
  if (sources.some((s) => s.state.phase === 'reconnecting' || s.state.phase === 'connecting')) return '$(sync~spin)';
  if (sources.some((s) => s.state.phase === 'failed')) return '$(error)';
  return '$(debug-disconnect)';
}

export function statusView(input: StatusInput): StatusView {
  const { summary, now } = input;
  const parts = input.metrics.map((m) => metricText(m, summary)).filter((t): t is string => t !== undefined);
  const anyOpen = input.sources.some((s) => s.state.phase === 'open');
  let body: string;
  if (input.sources.length === 0) body = 'Pulse: no source';
  else if (!anyOpen) {
    const reconnecting = input.sources.find((s) => s.state.phase === 'reconnecting');
    const first = reconnecting ?? input.sources[0];
    body = first ? (input.sources.length === 1 ? stateWord(first.state, now) : `${plainText(first.name)} ${stateWord(first.state, now)}`) : 'Pulse';
    if (parts.length > 0) body = `${body} · ${parts.join(' · ')}`;
  } else body = parts.length > 0 ? parts.join(' · ') : 'waiting for data';
  if (input.notice) body = `${body} · $(arrow-up) ${input.notice}`;
  const prefix = input.label ? `${plainText(input.label)}: ` : '';
  const critical = input.alerts.filter((a) => a.severity === 'critical').length;
  const warnings = input.alerts.filter((a) => a.severity === 'warning').length;
  const severity: StatusSeverity = critical > 0 ? 'critical' : warnings > 0 ? 'warning' : 'ok';
  const alertBadge = input.alerts.length > 0 ? ` $(bell-dot) ${input.alerts.length}` : '';
  const text = `${connectionIcon(input.sources)} ${prefix}${body}${alertBadge}`;

  const lines: string[] = [];
  lines.push(`**Pulse**${input.label ? ` — ${escapeMarkdown(input.label)}` : ''}`, '');
  if (input.sources.length > 0) {
    lines.push('| Source | State |', '| --- | --- |');
    for (const s of input.sources) {
      const reason = s.state.phase === 'failed' || s.state.phase === 'reconnecting' ? ` — ${escapeMarkdown(s.state.reason, 100)}` : '';
      lines.push(`| ${escapeMarkdown(s.name, 64)} | ${stateWord(s.state, now)}${reason} |`);
    }
    lines.push('');
  }
  lines.push('| Metric | Now | 5 min avg | 5 min max | Trend |', '| --- | ---: | ---: | ---: | --- |');
  for (const m of input.metrics) {
    const w = input.window?.(m);
    const avg = w?.avg != null ? windowValue(m, w.avg) : '';
    const max = w?.max != null ? windowValue(m, w.max) : '';
    lines.push(`| ${METRIC_LABEL[m]} | ${longValue(m, summary)} | ${avg} | ${max} | ${input.spark?.(m) ?? ''} |`);
  }
  if (input.alerts.length > 0) {
    lines.push('', `**Firing alerts (${input.alerts.length})**`, '');
    for (const a of input.alerts.slice(0, 8)) {
      lines.push(`- ${a.severity === 'critical' ? '$(error)' : '$(warning)'} ${escapeMarkdown(a.message)}`);
    }
    if (input.alerts.length > 8) lines.push(`- …and ${input.alerts.length - 8} more`);
  }
  if (input.notice) lines.push('', `$(arrow-up) ${escapeMarkdown(input.notice)}`);
  lines.push('', 'Click to open the metrics panel.');

  const accessibilityLabel = `Pulse ${prefix}${body.replace(/\$\([^)]*\)\s*/g, '')}${input.alerts.length > 0 ? `, ${input.alerts.length} alerts firing` : ''}`;
  return { text, tooltip: lines.join('\n'), severity, accessibilityLabel };
}
