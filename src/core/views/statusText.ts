// The status bar's words: text, Markdown tooltip and severity, from the summary. Pure: the words come
// through the Translator it is given (the host's l10n), English without one.

import type { AlertView, SourceState, SummaryView } from '../../shared/views';
import type { StatusMetric } from '../settings/settings';
import { formatBytes, formatCount, formatDuration, formatMs, formatPercent, formatValue } from '../../shared/format';
import { composedMarkdown, english, markdownText, plainText as safePlainText, translator } from './safeText';
import type { SafeMarkdown, SafeText, Translator } from './safeText';

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
  /** Our words in the user's language (the host's l10n); English when absent. */
  readonly l10n?: Translator;
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

const ENGLISH = translator(english);

/** One of our formatted values ("1.2k", "45 ms") as a translation value. */
const val = (text: string): SafeText => safePlainText(text, 120);

function metricLabel(l10n: Translator, metric: StatusMetric): string {
  switch (metric) {
    case 'requestRate':
      return l10n.t('Requests');
    case 'latency':
      return l10n.t('Latency');
    case 'errorRate':
      return l10n.t('Error rate');
    case 'connections':
      return l10n.t('WS connections');
    case 'heap':
      return l10n.t('Heap used');
    case 'uptime':
      return l10n.t('Uptime');
    case 'cpu':
      return l10n.t('CPU');
    case 'pending':
      return l10n.t('Pending requests');
    case 'subscribers':
      return l10n.t('Subscribers');
    case 'goroutines':
      return l10n.t('Goroutines');
    case 'jobs':
      return l10n.t('Jobs completed');
  }
}

const reqRate = (l10n: Translator, n: number) => l10n.t('{0} req/s', val(formatCount(n)));
const jobRate = (l10n: Translator, n: number) => l10n.t('{0} jobs/s', val(formatCount(n)));

/** The short form for the status bar, or undefined when the sources don't provide it. */
export function metricText(metric: StatusMetric, s: SummaryView, l10n: Translator = ENGLISH): string | undefined {
  switch (metric) {
    case 'requestRate':
      return s.requestRate == null ? undefined : reqRate(l10n, s.requestRate);
    case 'latency':
      return s.latencyMs == null ? undefined : formatMs(s.latencyMs);
    case 'errorRate':
      return s.errorRatePct == null ? undefined : l10n.t('{0} err', val(formatPercent(s.errorRatePct)));
    case 'connections':
      return s.connections == null ? undefined : l10n.t('{0} conn', val(formatCount(s.connections)));
    case 'heap':
      return s.heapBytes == null ? undefined : formatBytes(s.heapBytes);
    case 'uptime':
      return s.uptimeSeconds == null ? undefined : l10n.t('up {0}', val(formatDuration(s.uptimeSeconds)));
    case 'cpu':
      return s.cpuPct == null ? undefined : l10n.t('{0} CPU', val(formatPercent(s.cpuPct)));
    case 'pending':
      return s.pending == null ? undefined : l10n.t('{0} pending', val(formatCount(s.pending)));
    case 'subscribers':
      return s.subscribers == null ? undefined : l10n.t('{0} subs', val(formatCount(s.subscribers)));
    case 'goroutines':
      return s.goroutines == null ? undefined : l10n.t('{0} gor', val(formatCount(s.goroutines)));
    case 'jobs':
      return s.jobRate == null ? undefined : jobRate(l10n, s.jobRate);
  }
}

function longValue(l10n: Translator, metric: StatusMetric, s: SummaryView): string {
  switch (metric) {
    case 'requestRate':
      return s.requestRate == null ? '–' : reqRate(l10n, s.requestRate);
    case 'latency':
      return formatValue(s.latencyMs, 'ms');
    case 'errorRate':
      return formatValue(s.errorRatePct, 'percent');
    case 'connections':
      return formatValue(s.connections, 'count');
    case 'heap':
      return s.heapBytes == null ? '–' : s.heapTotalBytes ? l10n.t('{0} of {1}', val(formatBytes(s.heapBytes)), val(formatBytes(s.heapTotalBytes))) : formatBytes(s.heapBytes);
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
      return s.jobRate == null ? '–' : jobRate(l10n, s.jobRate);
  }
}

function windowValue(l10n: Translator, metric: StatusMetric, v: number): string {
  switch (metric) {
    case 'requestRate':
      return reqRate(l10n, v);
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
      return jobRate(l10n, v);
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

function stateWord(l10n: Translator, state: SourceState, now: number): string {
  switch (state.phase) {
    case 'idle':
      return l10n.t('idle');
    case 'connecting':
      return l10n.t('connecting…');
    case 'open':
      return l10n.t('connected');
    case 'reconnecting':
      return l10n.t('reconnecting in {0} s', Math.max(0, Math.ceil((state.retryAt - now) / 1000)));
    case 'closed':
      return l10n.t('disconnected');
    case 'failed':
      return l10n.t('failed');
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
function sourceErrorLine(l10n: Translator, name: string, errors: NonNullable<StatusSource['errors']>, now: number): string {
  const count = errors.count === 1 ? l10n.t('1 error') : l10n.t('{0} errors', val(formatCount(errors.count)));
  const counted = errors.lastAt === null ? count : l10n.t('{0}, last {1} ago', count, val(formatDuration((now - errors.lastAt) / 1000)));
  const what = errors.last === null ? '' : ` — ${escapeMarkdown(errors.last, 160)}`;
  return `- $(warning) ${escapeMarkdown(name, 64)}: ${counted}${what}`;
}

export function statusView(input: StatusInput): StatusView {
  const { summary, now } = input;
  const l10n = input.l10n ?? ENGLISH;
  const parts = input.metrics.map((m) => metricText(m, summary, l10n)).filter((x): x is string => x !== undefined);
  const anyOpen = input.sources.some((s) => s.state.phase === 'open');
  let body: string;
  if (input.sources.length === 0) body = l10n.t('Pulse: no source');
  else if (!anyOpen) {
    const reconnecting = input.sources.find((s) => s.state.phase === 'reconnecting');
    const first = reconnecting ?? input.sources[0];
    body = first ? (input.sources.length === 1 ? stateWord(l10n, first.state, now) : `${plainText(first.name)} ${stateWord(l10n, first.state, now)}`) : 'Pulse';
    if (parts.length > 0) body = `${body} · ${parts.join(' · ')}`;
  } else body = parts.length > 0 ? parts.join(' · ') : l10n.t('waiting for data');
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
    lines.push(`| ${l10n.t('Source')} | ${l10n.t('State')} |`, '| --- | --- |');
    for (const s of input.sources) {
      const reason = s.state.phase === 'failed' || s.state.phase === 'reconnecting' ? ` — ${escapeMarkdown(s.state.reason, 100)}` : '';
      lines.push(`| ${escapeMarkdown(s.name, 64)} | ${stateWord(l10n, s.state, now)}${reason} |`);
    }
    lines.push('');
    for (const s of input.sources) if (s.errors && s.errors.count > 0) lines.push(sourceErrorLine(l10n, s.name, s.errors, now));
    if (input.sources.some((s) => s.errors && s.errors.count > 0)) lines.push('');
  }
  lines.push(`| ${l10n.t('Metric')} | ${l10n.t('Now')} | ${l10n.t('5 min avg')} | ${l10n.t('5 min max')} | ${l10n.t('Trend')} |`, '| --- | ---: | ---: | ---: | --- |');
  for (const m of input.metrics) {
    const w = input.window?.(m);
    const avg = w?.avg != null ? windowValue(l10n, m, w.avg) : '';
    const max = w?.max != null ? windowValue(l10n, m, w.max) : '';
    lines.push(`| ${metricLabel(l10n, m)} | ${longValue(l10n, m, summary)} | ${avg} | ${max} | ${input.spark?.(m) ?? ''} |`);
    const byLabel = input.breakdown?.(m) ?? [];
    if (byLabel.length > 1) {
      const top = [...byLabel].sort((a, b) => b.value - a.value);
      for (const p of top.slice(0, MAX_BREAKDOWN)) lines.push(`| ↳ ${escapeMarkdown(p.label, 80)} | ${windowValue(l10n, m, p.value)} | | | |`);
      if (top.length > MAX_BREAKDOWN) lines.push(`| ↳ ${l10n.t('…and {0} more', top.length - MAX_BREAKDOWN)} | | | | |`);
    }
  }
  if (input.alerts.length > 0) {
    lines.push('', `**${l10n.t('Firing alerts ({0})', input.alerts.length)}**`, '');
    for (const a of input.alerts.slice(0, 8)) {
      lines.push(`- ${a.severity === 'critical' ? '$(error)' : '$(warning)'} ${escapeMarkdown(a.message)}`);
    }
    if (input.alerts.length > 8) lines.push(`- ${l10n.t('…and {0} more', input.alerts.length - 8)}`);
  }
  if (input.notice) lines.push('', `$(arrow-up) ${escapeMarkdown(input.notice)}`);
  lines.push('', l10n.t('Click to open the metrics panel.'));

  const firing = input.alerts.length > 0 ? `, ${l10n.t('{0} alerts firing', input.alerts.length)}` : '';
  const accessibilityLabel = `Pulse ${prefix}${body.replace(/\$\([^)]*\)\s*/g, '')}${firing}`;
  return { text, tooltip: composedMarkdown(lines.join('\n')), severity, accessibilityLabel };
}
