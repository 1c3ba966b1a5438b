// The status bar's words: text, Markdown tooltip and severity, from the summary. Pure.

import type { AlertView, SourceState, SummaryView } from '../../shared/views';
import type { StatusMetric } from '../settings/settings';
import { formatBytes, formatCount, formatDuration, formatMs, formatPercent, formatValue } from '../../shared/format';
import { composedMarkdown, markdownText, plainText as safePlainText } from './safeText';
import type { SafeMarkdown } from './safeText';

export type StatusSeverity = 'ok' | 'warning' | 'critical';

export interface StatusSource {
  readonly name: string;
  readonly state: SourceState;
  /** Errors the source reported (decode failures, server `error` messages, transport warnings). */
  readonly errors?: { readonly count: number; readonly lastAt: number | null; readonly last: string | null };
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
  /** The labelled series a headline is made of (e.g. heap per service), in the summary's unit. */
  readonly breakdown?: (metric: StatusMetric) => readonly LabelValue[] | undefined;
  /** e.g. "p95 +38 % since save", shown for a short while after a regression. */
  readonly notice?: string;
  /** Prefix for per-source items. */
  readonly label?: string;
}

export interface LabelValue {
  /** e.g. `service=api, cpu_id=0`. */
  readonly label: string;
  readonly value: number;
}

const MAX_BREAKDOWN = 5;

export interface StatusView {
  readonly text: string;
  /** Markdown: every untrusted part escaped. */
  readonly tooltip: SafeMarkdown;
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
  subscribers: 'Subscribers',
  goroutines: 'Goroutines',
  jobs: 'Jobs completed',
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
    case 'subscribers':
      return s.subscribers == null ? undefined : `${formatCount(s.subscribers)} subs`;
    case 'goroutines':
      return s.goroutines == null ? undefined : `${formatCount(s.goroutines)} gor`;
    case 'jobs':
      return s.jobRate == null ? undefined : `${formatCount(s.jobRate)} jobs/s`;
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
    case 'subscribers':
      return formatValue(s.subscribers, 'count');
    case 'goroutines':
      return formatValue(s.goroutines, 'count');
    case 'jobs':
      return s.jobRate == null ? '–' : `${formatCount(s.jobRate)} jobs/s`;
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
    case 'jobs':
      return `${formatCount(v)} jobs/s`;
    case 'connections':
    case 'pending':
    case 'subscribers':
    case 'goroutines':
      return formatCount(v);
  }
}

/** Makes untrusted text inert in a Markdown tooltip: no links, no HTML, no table breaks, one line. */
export function escapeMarkdown(text: string, max = 160): SafeMarkdown {
  return markdownText(text, max);
}

/** Untrusted text for the status bar's plain text (no Markdown there, but $(icon) syntax): see safeText. */
function plainText(text: string, max = 64): string {
  return safePlainText(text, max);
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

/** "$(warning) api: 3 errors, last 12s ago — Server error: …" (server text escaped). */
function sourceErrorLine(name: string, errors: NonNullable<StatusSource['errors']>, now: number): string {
  const count = `${formatCount(errors.count)} ${errors.count === 1 ? 'error' : 'errors'}`;
  const when = errors.lastAt === null ? '' : `, last ${formatDuration((now - errors.lastAt) / 1000)} ago`;
  const what = errors.last === null ? '' : ` — ${escapeMarkdown(errors.last, 160)}`;
  return `- $(warning) ${escapeMarkdown(name, 64)}: ${count}${when}${what}`;
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
  if (input.notice) body = `${body} · $(arrow-up) ${plainText(input.notice, 120)}`;
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
    for (const s of input.sources) if (s.errors && s.errors.count > 0) lines.push(sourceErrorLine(s.name, s.errors, now));
    if (input.sources.some((s) => s.errors && s.errors.count > 0)) lines.push('');
  }
  lines.push('| Metric | Now | 5 min avg | 5 min max | Trend |', '| --- | ---: | ---: | ---: | --- |');
  for (const m of input.metrics) {
    const w = input.window?.(m);
    const avg = w?.avg != null ? windowValue(m, w.avg) : '';
    const max = w?.max != null ? windowValue(m, w.max) : '';
    lines.push(`| ${METRIC_LABEL[m]} | ${longValue(m, summary)} | ${avg} | ${max} | ${input.spark?.(m) ?? ''} |`);
    const byLabel = input.breakdown?.(m) ?? [];
    if (byLabel.length > 1) {
      const top = [...byLabel].sort((a, b) => b.value - a.value);
      for (const p of top.slice(0, MAX_BREAKDOWN)) lines.push(`| ↳ ${escapeMarkdown(p.label, 80)} | ${windowValue(m, p.value)} | | | |`);
      if (top.length > MAX_BREAKDOWN) lines.push(`| ↳ …and ${top.length - MAX_BREAKDOWN} more | | | | |`);
    }
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
  return { text, tooltip: composedMarkdown(lines.join('\n')), severity, accessibilityLabel };
}
