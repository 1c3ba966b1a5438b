import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeMarkdown, metricText, statusView } from '../../../../src/core/views/statusText';
import { formatBytes, formatCount, formatMs, formatPercent } from '../../../../src/shared/format';
import type { AlertView, SummaryView } from '../../../../src/shared/views';

const summary: SummaryView = {
  requestRate: 1234,
  latencyMs: 45.2,
  errorRatePct: 0.4,
  connections: 52,
  pending: 3,
  subscribers: 6,
  heapBytes: 52 * 1024 * 1024,
  heapTotalBytes: 128 * 1024 * 1024,
  rssBytes: null,
  cpuPct: 12.5,
  uptimeSeconds: 3725,
  goroutines: 42,
  jobRate: 0.5,
};

function alert(severity: 'warning' | 'critical', message: string): AlertView {
  return { id: message, ruleId: 'r', seriesId: 's', sourceId: 'a', origin: 'rule', severity, state: 'firing', message, since: 0, value: 1, peak: 1, threshold: 1, unit: 'ms', acknowledged: false, snoozedUntil: null, snoozedUntilRestart: false, resolvedAt: null };
}

test('the text shows the chosen metrics formatted for humans, in order', () => {
  const v = statusView({ summary, metrics: ['requestRate', 'latency', 'errorRate', 'connections', 'heap', 'uptime'], sources: [{ name: 'api', state: { phase: 'open', since: 0 } }], alerts: [], now: 0 });
  assert.equal(v.text, `$(pulse) ${formatCount(1234)} req/s · ${formatMs(45.2)} · ${formatPercent(0.4)} err · 52 conn · ${formatBytes(52 * 1024 * 1024)} · up 1h 02m`);
  assert.equal(v.severity, 'ok');
  assert.ok(v.tooltip.includes('| Requests |'));
  assert.ok(!v.accessibilityLabel.includes('$('));
});

test('the tooltip shows the 5-minute window next to the current value', () => {
  const v = statusView({ summary, metrics: ['latency', 'heap'], sources: [{ name: 'a', state: { phase: 'open', since: 0 } }], alerts: [], now: 0, window: (m) => (m === 'latency' ? { avg: 40, max: 120 } : undefined) });
  assert.ok(v.tooltip.includes(`| Latency | ${formatMs(45.2)} | ${formatMs(40)} | ${formatMs(120)} |`), v.tooltip);
  assert.ok(v.tooltip.includes('| Heap used |'));
});

test('metrics a source does not provide are left out', () => {
  const empty: SummaryView = { ...summary, requestRate: null, latencyMs: null };
  assert.equal(metricText('requestRate', empty), undefined);
  const v = statusView({ summary: empty, metrics: ['requestRate', 'latency', 'cpu'], sources: [{ name: 'a', state: { phase: 'open', since: 0 } }], alerts: [], now: 0 });
  assert.ok(!v.text.includes('req/s'));
  assert.ok(v.text.includes('CPU'));
});

test('connection state: reconnecting shows a countdown and a spinning icon', () => {
  const v = statusView({ summary, metrics: [], sources: [{ name: 'api', state: { phase: 'reconnecting', retryAt: 5_400, attempt: 2, reason: 'ECONNREFUSED' } }], alerts: [], now: 1_000 });
  assert.ok(v.text.startsWith('$(sync~spin)'), v.text);
  assert.ok(v.text.includes('reconnecting in 5 s'), v.text);
  const failed = statusView({ summary, metrics: [], sources: [{ name: 'api', state: { phase: 'failed', reason: 'HTTP 401' } }], alerts: [], now: 0 });
  assert.ok(failed.text.startsWith('$(error)'));
  assert.ok(failed.tooltip.includes('HTTP 401'));
});

test('severity follows the worst firing alert', () => {
  const base = { summary, metrics: [], sources: [{ name: 'a', state: { phase: 'open', since: 0 } as const }], now: 0 };
  assert.equal(statusView({ ...base, alerts: [alert('warning', 'w')] }).severity, 'warning');
  assert.equal(statusView({ ...base, alerts: [alert('warning', 'w'), alert('critical', 'c')] }).severity, 'critical');
  assert.ok(statusView({ ...base, alerts: [alert('critical', 'c')] }).text.includes('$(bell-dot) 1'));
});

test('untrusted text in the tooltip is inert', () => {
  const evil = '[click](command:workbench.action.quit) <img src=x onerror=alert(1)> $(zap) \u202Eevil\nline';
  const out = escapeMarkdown(evil);
  assert.ok(!out.includes('](command:'));
  assert.ok(!/(^|[^\\])</.test(out), out);
  assert.ok(!out.includes('\u202E'));
  assert.ok(!out.includes('\n'));
  assert.ok(!/[^\\]\$\(/.test(out));
  assert.ok(escapeMarkdown('x'.repeat(100_000)).length < 400);
  const v = statusView({ summary, metrics: [], sources: [{ name: evil, state: { phase: 'open', since: 0 } }], alerts: [alert('critical', evil)], now: 0 });
  assert.ok(!v.tooltip.includes('](command:'));
});

test('a regression notice is shown in the text and the tooltip', () => {
  const v = statusView({ summary, metrics: ['latency'], sources: [{ name: 'a', state: { phase: 'open', since: 0 } }], alerts: [], now: 0, notice: 'p95 +38 % since save' });
  assert.ok(v.text.includes('p95 +38 % since save'));
  assert.ok(v.tooltip.includes('p95 \\+38 % since save'));
});

test('subscribers, goroutines and the job rate can be status bar metrics (seeds 000, 003, 004)', () => {
  const v = statusView({ summary, metrics: ['subscribers', 'goroutines', 'jobs'], sources: [{ name: 'a', state: { phase: 'open', since: 0 } }], alerts: [], now: 0, window: (m) => (m === 'jobs' ? { avg: 0.25, max: 2 } : undefined) });
  assert.equal(v.text, '$(pulse) 6 subs · 42 gor · 0.5 jobs/s');
  assert.ok(v.tooltip.includes('| Subscribers | 6 |'), v.tooltip);
  assert.ok(v.tooltip.includes('| Goroutines | 42 |'), v.tooltip);
  assert.ok(v.tooltip.includes('| Jobs completed | 0.5 jobs/s | 0.25 jobs/s | 2 jobs/s |'), v.tooltip);
  const none = statusView({ summary: { ...summary, subscribers: null, goroutines: null, jobRate: null }, metrics: ['subscribers', 'goroutines', 'jobs'], sources: [{ name: 'a', state: { phase: 'open', since: 0 } }], alerts: [], now: 0 });
  assert.equal(none.text, '$(pulse) waiting for data');
});

test('the tooltip lists a labelled headline per label, biggest first, at most five', () => {
  const parts = Array.from({ length: 7 }, (_, i) => ({ label: `service=s${i}`, value: (i + 1) * 1024 * 1024 }));
  const v = statusView({ summary, metrics: ['heap', 'cpu'], sources: [{ name: 'a', state: { phase: 'open', since: 0 } }], alerts: [], now: 0, breakdown: (m) => (m === 'heap' ? parts : [{ label: 'cpu_id=0', value: 12.5 }]) });
  const rows = v.tooltip.split('\n').filter((line) => line.startsWith('| ↳'));
  assert.deepEqual(rows, [
    `| ↳ service=s6 | ${formatBytes(7 * 1024 * 1024)} | | | |`,
    `| ↳ service=s5 | ${formatBytes(6 * 1024 * 1024)} | | | |`,
    `| ↳ service=s4 | ${formatBytes(5 * 1024 * 1024)} | | | |`,
    `| ↳ service=s3 | ${formatBytes(4 * 1024 * 1024)} | | | |`,
    `| ↳ service=s2 | ${formatBytes(3 * 1024 * 1024)} | | | |`,
    '| ↳ …and 2 more | | | | |',
  ]);
  assert.ok(v.tooltip.indexOf('| Heap used |') < v.tooltip.indexOf('| ↳ service=s6'), 'under its metric');
});
