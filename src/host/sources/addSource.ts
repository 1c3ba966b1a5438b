// "Pulse: Add Source…": a guided quick input. Either a URL, probed to detect kind and format (a
// Prometheus-compatible engine becomes a `promql` source with a job to watch), or an OTLP receiver
// on a free loopback port, with the environment variables an OpenTelemetry app needs.

import * as vscode from 'vscode';
import type { Logger } from '../../core/model';
import type { FormatHint, SourceKind } from '../../shared/vocabulary';
import { checkUrl } from '../../core/settings/settings';
import { selectorMatchers } from '../../core/settings/promqlSettings';
import { decodeMessage } from '../../core/decode/decode';
import { freeLoopbackPort, probeUrl } from '../../sources/probe';
import { promqlLabelValues } from '../../sources/promqlDiscovery';
import { SECTION } from '../config';
import { joinSafe, plainText, safe } from '../../core/views/safeText';
import type { SafeText } from '../../core/views/safeText';
import { l10n } from '../l10n';

const SUGGESTIONS = [
  'ws://localhost:3000/api/dev/server-metrics/live',
  'http://localhost:3000/api/dev/server-metrics',
  'ws://localhost:3334/metrics',
  'http://localhost:3002/metrics/enhanced',
  'ws://localhost:8080/ws',
  'http://localhost:9090/metrics',
] as const;

/** The OTLP/HTTP standard port, offered first for a receiver. */
export const OTLP_PORT = 4318;
/** Jobs offered for a `promql` source at most (the engine may know thousands). */
const MAX_JOBS = 50;
const ALL_JOBS = '{job=~".+"}';

type Entry = Record<string, unknown>;

export async function addSource(log: Logger, existingNames: readonly string[]): Promise<boolean> {
  const what = await vscode.window.showQuickPick(
    [
      {
        label: l10n.t('Connect to a URL'),
        detail: l10n.t('A dev server’s WebSocket, event stream, JSON or Prometheus /metrics endpoint, or a Prometheus-compatible server (Prometheus, Thanos, Mimir, VictoriaMetrics)'),
        otlp: false,
      },
      { label: l10n.t('Receive OpenTelemetry (OTLP/HTTP)'), detail: l10n.t('Pulse listens on a loopback port; apps instrumented with OpenTelemetry export their metrics to it'), otlp: true },
    ],
    { title: l10n.t('Add Pulse Source'), placeHolder: l10n.t('What to add'), ignoreFocusOut: true },
  );
  if (!what) return false;
  return what.otlp ? addOtlp(existingNames) : addUrl(log, existingNames);
}

async function addUrl(log: Logger, existingNames: readonly string[]): Promise<boolean> {
  const url = await vscode.window.showInputBox({
    title: l10n.t('Add Pulse Source (1/3): URL'),
    prompt: l10n.t('URL of the metrics endpoint (ws:// or wss:// for a stream; http:// or https:// for JSON, SSE or Prometheus) or of a Prometheus-compatible server'),
    placeHolder: SUGGESTIONS[0],
    value: SUGGESTIONS[0],
    ignoreFocusOut: true,
    validateInput: (v) => {
      const trimmed = v.trim();
      if (!trimmed) return l10n.t('Enter a URL');
      const kind: SourceKind = /^wss?:/i.test(trimmed) ? 'ws' : 'http-json';
      return checkUrl(trimmed, kind);
    },
  });
  if (!url) return false;
  const target = url.trim();

  const probe = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: l10n.t('Pulse: probing {0}…', plainText(target)), cancellable: false },
    () => probeUrl(target, { maxPayloadBytes: 4 * 1024 * 1024, log }),
  );
  let kind: SourceKind;
  let format: FormatHint = 'auto';
  let selector: string | undefined;
  // Shown as the name box's prompt: the probe's text comes from the server.
  let detail: SafeText;
  if (probe.ok && probe.kind === 'promql') {
    kind = 'promql';
    selector = await pickJob(target);
    if (selector === undefined) return false;
    detail =
      probe.engine === undefined
        ? l10n.t('Detected a Prometheus-compatible server; watching {0}.', plainText(selector))
        : l10n.t('Detected a Prometheus-compatible server ({0}); watching {1}.', plainText(probe.engine), plainText(selector));
  } else if (probe.ok) {
    kind = probe.kind;
    const decoded = decodeMessage(probe.sample, 'auto', {});
    if (decoded.ok) {
      format = decoded.value.format;
      detail = l10n.t('Detected {0} with {1} format ({2} series in the first message).', plainText(kind), plainText(format), decoded.value.samples.length);
    } else {
      detail = l10n.t('Connected ({0}), but the first message did not decode: {1}. Saving with format "auto".', plainText(kind), plainText(decoded.error));
    }
  } else {
    const anyway = l10n.t('Add Anyway');
    const choice = await vscode.window.showWarningMessage(
      l10n.t('Pulse could not read {0}: {1}', plainText(target), plainText(probe.reason)),
      { modal: true, detail: l10n.t('You can add it anyway (for a server that is not running yet); Pulse will keep trying to connect.') },
      anyway,
    );
    if (choice !== anyway) return false;
    kind = /^wss?:/i.test(target) ? 'ws' : 'http-json';
    detail = l10n.t('Not probed.');
  }

  const name = await askName(l10n.t('Add Pulse Source (2/3): name'), detail, suggestedName(target), existingNames);
  if (name === undefined) return false;
  const where = await askWhere(l10n.t('Add Pulse Source (3/3): save to'));
  if (where === undefined) return false;
  const entry: Entry = { name, url: target, kind };
  if (format !== 'auto') entry.format = format;
  if (format === 'snapshot') entry.subscribe = true;
  if (selector !== undefined) entry.selector = selector;
  await save(entry, where);
  vscode.window.setStatusBarMessage(l10n.t('Pulse: added source "{0}" ({1}, {2})', plainText(name), plainText(kind), plainText(kind === 'promql' ? (selector ?? '') : format)), 4000);
  return true;
}

/** The job a `promql` source watches, as a selector; "all jobs" when the engine lists none. Undefined when dismissed. */
async function pickJob(server: string): Promise<string | undefined> {
  const jobs = await promqlLabelValues(server, 'job', [], { timeoutMs: 3_000 });
  const items: Array<{ readonly label: SafeText; readonly description: SafeText; readonly selector: string }> = [];
  for (const job of jobs.ok ? jobs.data : []) {
    const selector = jobSelector(job);
    if (selector === undefined) continue;
    items.push({ label: plainText(job, 100), description: plainText(selector, 120), selector });
    if (items.length >= MAX_JOBS) break;
  }
  items.push({ label: l10n.t('All jobs'), description: plainText(ALL_JOBS), selector: ALL_JOBS });
  if (items.length === 1) return ALL_JOBS;
  const picked = await vscode.window.showQuickPick(items, {
    title: l10n.t('Add Pulse Source (1/3): which job'),
    placeHolder: l10n.t('Pulse asks for its request rate, errors, p95 latency, memory and CPU'),
    ignoreFocusOut: true,
  });
  return picked?.selector;
}

/** `{job="<value>"}` with the value escaped as a PromQL string, or undefined when it is not a usable selector. */
export function jobSelector(job: string): string | undefined {
  const escaped = job.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  const selector = `{job="${escaped}"}`;
  return job.length > 0 && selectorMatchers(selector) !== undefined ? selector : undefined;
}

async function addOtlp(existingNames: readonly string[]): Promise<boolean> {
  const port = await freeLoopbackPort(OTLP_PORT);
  const endpoint = `http://localhost:${port}`;
  const prompt =
    port === OTLP_PORT
      ? l10n.t('Pulse will listen on {0}, this machine only.', plainText(endpoint))
      : l10n.t('Pulse will listen on {0} ({1}, the OTLP default, is in use), this machine only.', plainText(endpoint), OTLP_PORT);
  let suggested = 'OpenTelemetry';
  for (let i = 2; existingNames.includes(suggested); i++) suggested = `OpenTelemetry ${i}`;
  const name = await askName(l10n.t('Add Pulse Source (1/2): name'), prompt, suggested, existingNames);
  if (name === undefined) return false;
  const where = await askWhere(l10n.t('Add Pulse Source (2/2): save to'));
  if (where === undefined) return false;
  await save({ name, kind: 'otlp', url: endpoint }, where);
  const variables = otlpEnvironment(port);
  const copy = l10n.t('Copy Environment Variables');
  const choice = await vscode.window.showInformationMessage(
    l10n.t('Pulse: added "{0}", listening for OpenTelemetry metrics on {1}. Start your app with these two environment variables set:', plainText(name), plainText(endpoint)),
    { modal: true, detail: variables },
    copy,
  );
  if (choice === copy) {
    await vscode.env.clipboard.writeText(variables);
    vscode.window.setStatusBarMessage(l10n.t('Pulse: copied the OpenTelemetry environment variables'), 4000);
  }
  return true;
}

/** The environment an OpenTelemetry SDK needs to export metrics to a receiver on `port`, one `NAME=value` a line. */
export function otlpEnvironment(port: number): SafeText {
  return joinSafe(safe`OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:${port}`, safe`\n`, safe`OTEL_METRICS_EXPORTER=otlp`);
}

function suggestedName(target: string): string {
  try {
    const u = new URL(target);
    return `${u.hostname}:${u.port || (u.protocol.startsWith('https') || u.protocol === 'wss:' ? '443' : '80')}${u.pathname === '/' ? '' : u.pathname}`.slice(0, 64);
  } catch {
    return 'dev server';
  }
}

async function askName(title: SafeText, prompt: SafeText, value: string, existingNames: readonly string[]): Promise<string | undefined> {
  const name = await vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const n = v.trim();
      if (!n) return l10n.t('Enter a name');
      if (n.length > 64) return l10n.t('At most 64 characters');
      if (existingNames.includes(n)) return l10n.t('A source named "{0}" already exists', plainText(n));
      return undefined;
    },
  });
  return name ? name.trim() : undefined;
}

async function askWhere(title: SafeText): Promise<vscode.ConfigurationTarget | undefined> {
  const hasFolder = (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  if (!hasFolder) return vscode.ConfigurationTarget.Global;
  const where = await vscode.window.showQuickPick(
    [
      { label: l10n.t('Workspace settings'), description: l10n.t('only this project'), target: vscode.ConfigurationTarget.Workspace },
      { label: l10n.t('User settings'), description: l10n.t('every window'), target: vscode.ConfigurationTarget.Global },
    ],
    { title, ignoreFocusOut: true },
  );
  return where?.target;
}

async function save(entry: Entry, target: vscode.ConfigurationTarget): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const inspected = config.inspect<unknown[]>('sources');
  const current = target === vscode.ConfigurationTarget.Workspace ? inspected?.workspaceValue : inspected?.globalValue;
  const list = Array.isArray(current) ? [...current] : [];
  list.push(entry);
  await config.update('sources', list, target);
}
