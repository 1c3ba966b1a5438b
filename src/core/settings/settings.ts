// The one typed reading of Pulse's `pulse.*` settings. Pure: the host passes in what
// `workspace.getConfiguration('pulse')` holds, so every wrong type is handled (and tested) here.

import type { PromqlSettings, SourceConfig } from '../model';
import type { FormatHint, SourceKind } from '../../shared/vocabulary';
import { FORMAT_HINTS, SOURCE_KINDS } from '../../shared/vocabulary';
import { isOneOf, isRecord } from '../../shared/check';
import { parseOverrides } from '../decode/overrides';
import type * as KindSettings from './kindSettings';

/** The otlp and promql kinds' settings are a bundle of their own (dist/kindSettings.js), loaded when such a source is configured. */
function kindSettings(): typeof KindSettings {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy, synchronous load on purpose
  return require('./kindSettings.js') as typeof KindSettings;
}

/** How a source's labelled CPU series (per core, per service) make its CPU headline. */
export const CPU_ACROSS_LABELS = ['max', 'avg', 'sum'] as const;
export type CpuAcrossLabels = (typeof CPU_ACROSS_LABELS)[number];

/** What `pulse.statusBar.metrics` may list (package.json's enum says the same, in the same order). */
export const STATUS_METRICS = ['requestRate', 'latency', 'errorRate', 'connections', 'heap', 'uptime', 'cpu', 'pending', 'subscribers', 'goroutines', 'jobs'] as const;
export type StatusMetric = (typeof STATUS_METRICS)[number];
export const DEFAULT_STATUS_METRICS: readonly StatusMetric[] = ['requestRate', 'latency', 'errorRate', 'connections', 'heap'];

export interface PulseSettings {
  readonly sources: readonly SourceConfig[];
  /** Raw `pulse.thresholds`; parsed by core/thresholds with per-rule problems. */
  readonly thresholds: unknown;
  readonly defaultThresholds: boolean;
  readonly statusBarMetrics: readonly StatusMetric[];
  readonly statusBarPerSource: boolean;
  /** How labelled CPU series (per core or service) make the CPU headline. */
  readonly cpuAcrossLabels: CpuAcrossLabels;
  readonly rawMinutes: number;
  readonly downsampledHours: number;
  readonly maxPayloadBytes: number;
  readonly maxSeriesPerSource: number;
  readonly noDataMode: 'alert' | 'keepLast';
  readonly noDataAfterSeconds: number;
  readonly notifyCritical: boolean;
  /** One line per problem, each naming the setting. */
  readonly problems: readonly string[];
}

/** What the host reads: `get` for plain values, and sources split by where they were set. */
export interface SettingsInput {
  get(key: string): unknown;
  userSources: unknown;
  workspaceSources: unknown;
}

// promql and otlp are implied by the source kind, never set as a format.
const FORMATS: readonly FormatHint[] = FORMAT_HINTS.filter((f) => f !== 'promql' && f !== 'otlp');
const SOURCE_KEYS = new Set(['name', 'url', 'kind', 'format', 'pollIntervalMs', 'headers', 'subscribe', 'units', 'roles', 'queries', 'selector', 'port', 'allowNonLoopback']);
const MAX_SOURCES = 32;

function show(x: unknown): string {
  let text: string;
  try {
    text = typeof x === 'string' ? JSON.stringify(x) : (JSON.stringify(x) ?? String(x));
  } catch {
    text = String(x);
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/** A stable id from the name: lowercase, safe characters only. */
export function sourceId(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return id || 'source';
}

function kindFromUrl(url: URL): SourceKind {
  return url.protocol === 'ws:' || url.protocol === 'wss:' ? 'ws' : 'http-json';
}

/** Checks one URL. Returns the reason it can't be used, or undefined. */
export function checkUrl(raw: string, kind: SourceKind): string | undefined {
  // Problems are shown in a notification and the panel: never repeat a password from the URL.
  const shown = show(raw.replace(/(\/\/)[^/?#@\s]*@/, '$1…@'));
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${shown} is not a valid URL`;
  }
  const ws = url.protocol === 'ws:' || url.protocol === 'wss:';
  const http = url.protocol === 'http:' || url.protocol === 'https:';
  if (!ws && !http) return `${shown}: only ws://, wss://, http:// and https:// are supported`;
  if (kind === 'ws' && !ws) return `${shown}: kind "ws" needs a ws:// or wss:// URL`;
  if (kind !== 'ws' && !http) return `${shown}: kind "${kind}" needs an http:// or https:// URL`;
  if (url.username || url.password) return `${shown}: credentials in the URL are not allowed; use "Pulse: Set Source Token…"`;
  return undefined;
}

function parseSourceList(value: unknown, scope: 'user' | 'workspace', setting: string, taken: Set<string>, problems: string[]): SourceConfig[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(`${setting} must be an array of sources, got ${show(value)}; no sources from it are used`);
    return [];
  }
  const out: SourceConfig[] = [];
  value.slice(0, MAX_SOURCES).forEach((raw: unknown, i) => {
    const where = `${setting}[${i}]`;
    if (!isRecord(raw)) {
      problems.push(`${where} must be an object with name, url and kind, got ${show(raw)}; skipped`);
      return;
    }
    const entry = raw.kind === 'otlp' ? kindSettings().otlpEntry(raw, where, scope, problems) : raw;
    const unknownKeys = Object.keys(entry).filter((k) => !SOURCE_KEYS.has(k));
    if (unknownKeys.length > 0) problems.push(`${where}: unknown ${unknownKeys.length === 1 ? 'property' : 'properties'} ${unknownKeys.map(show).join(', ')} ignored`);
    const name = typeof entry.name === 'string' ? entry.name.trim().slice(0, 64) : '';
    if (!name) {
      problems.push(`${where}: "name" must be a non-empty string; skipped`);
      return;
    }
    const label = `${where} ("${name}")`;
    if (typeof entry.url !== 'string') {
      problems.push(`${label}: "url" must be a string; skipped`);
      return;
    }
    let kind: SourceKind;
    if (entry.kind === undefined && (entry.queries !== undefined || entry.selector !== undefined)) {
      kind = 'promql';
    } else if (entry.kind === undefined) {
      try {
        kind = kindFromUrl(new URL(entry.url));
      } catch {
        kind = 'http-json';
      }
    } else if (isOneOf(entry.kind, SOURCE_KINDS)) {
      kind = entry.kind;
    } else {
      problems.push(`${label}: "kind" must be one of ${SOURCE_KINDS.join(', ')}, got ${show(entry.kind)}; skipped`);
      return;
    }
    const urlProblem = checkUrl(entry.url, kind);
    if (urlProblem) {
      problems.push(`${label}: ${urlProblem}; skipped`);
      return;
    }
    let format: FormatHint = 'auto';
    if (entry.format !== undefined) {
      if (isOneOf(entry.format, FORMATS)) format = entry.format;
      else problems.push(`${label}: "format" must be one of ${FORMATS.join(', ')}, got ${show(entry.format)}; using auto`);
    }
    let pollIntervalMs = 2000;
    if (entry.pollIntervalMs !== undefined) {
      const p = entry.pollIntervalMs;
      if (typeof p === 'number' && Number.isFinite(p) && p >= 250 && p <= 3_600_000) pollIntervalMs = Math.round(p);
      else problems.push(`${label}: "pollIntervalMs" must be a number from 250 to 3600000, got ${show(p)}; using 2000`);
    }
    const headers: Record<string, string> = Object.create(null) as Record<string, string>;
    if (entry.headers !== undefined) {
      if (!isRecord(entry.headers)) problems.push(`${label}: "headers" must be an object of strings; ignored`);
      else {
        for (const [k, v] of Object.entries(entry.headers)) {
          if (typeof v !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/.test(k) || /[\r\n]/.test(v)) {
            problems.push(`${label}: header ${show(k)} must be a valid header name with a single-line string value; ignored`);
          } else headers[k] = v;
        }
      }
    }
    let subscribe: boolean | undefined;
    if (entry.subscribe !== undefined) {
      if (typeof entry.subscribe === 'boolean') subscribe = entry.subscribe;
      else problems.push(`${label}: "subscribe" must be true or false; detecting it instead`);
    }
    const overrides = parseOverrides(entry.units, entry.roles, label, problems);
    let promql: PromqlSettings | undefined;
    if (kind === 'promql') {
      promql = kindSettings().parsePromqlSettings(entry.queries, entry.selector, label, problems);
      if (!promql) return;
      format = 'promql';
    } else if (entry.queries !== undefined || entry.selector !== undefined) {
      problems.push(`${label}: "queries" and "selector" are for kind "promql"; ignored`);
    }
    let id = sourceId(name);
    for (let n = 2; taken.has(id); n++) id = `${sourceId(name)}-${n}`;
    taken.add(id);
    out.push({ id, name, url: entry.url, kind, format, pollIntervalMs, headers, ...(subscribe === undefined ? {} : { subscribe }), ...(overrides ? { overrides } : {}), ...(promql ? { promql } : {}), ...(kind === 'otlp' && entry.allowNonLoopback === true ? { allowNonLoopback: true } : {}), scope });
  });
  if (value.length > MAX_SOURCES) problems.push(`${setting}: only the first ${MAX_SOURCES} sources are used`);
  return out;
}

function numberSetting(input: SettingsInput, key: string, fallback: number, min: number, max: number, problems: string[]): number {
  const v = input.get(key);
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) return v;
  problems.push(`pulse.${key} must be a number from ${min} to ${max}, got ${show(v)}; using ${fallback}`);
  return fallback;
}

function booleanSetting(input: SettingsInput, key: string, fallback: boolean, problems: string[]): boolean {
  const v = input.get(key);
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'boolean') return v;
  problems.push(`pulse.${key} must be true or false, got ${show(v)}; using ${String(fallback)}`);
  return fallback;
}

export function readSettings(input: SettingsInput): PulseSettings {
  const problems: string[] = [];
  const taken = new Set<string>();
  const sources = [
    ...parseSourceList(input.userSources, 'user', 'pulse.sources (user settings)', taken, problems),
    ...parseSourceList(input.workspaceSources, 'workspace', 'pulse.sources (workspace settings)', taken, problems),
  ];

  let statusBarMetrics: readonly StatusMetric[] = DEFAULT_STATUS_METRICS;
  const sb = input.get('statusBar.metrics');
  if (sb !== undefined && sb !== null) {
    if (Array.isArray(sb) && sb.every((m) => isOneOf(m, STATUS_METRICS))) statusBarMetrics = [...new Set(sb as StatusMetric[])];
    else problems.push(`pulse.statusBar.metrics must be a list of ${STATUS_METRICS.join(', ')}, got ${show(sb)}; using the default`);
  }

  let cpuAcrossLabels: CpuAcrossLabels = 'max';
  const cpu = input.get('statusBar.cpuAcrossLabels');
  if (cpu !== undefined && cpu !== null) {
    if (isOneOf(cpu, CPU_ACROSS_LABELS)) cpuAcrossLabels = cpu;
    else problems.push(`pulse.statusBar.cpuAcrossLabels must be one of ${CPU_ACROSS_LABELS.map((x) => `"${x}"`).join(', ')}, got ${show(cpu)}; using "max"`);
  }

  const noData = input.get('noData.mode');
  let noDataMode: 'alert' | 'keepLast' = 'alert';
  if (noData !== undefined && noData !== null) {
    if (noData === 'alert' || noData === 'keepLast') noDataMode = noData;
    else problems.push(`pulse.noData.mode must be "alert" or "keepLast", got ${show(noData)}; using "alert"`);
  }

  return {
    sources,
    thresholds: input.get('thresholds'),
    defaultThresholds: booleanSetting(input, 'defaultThresholds', true, problems),
    statusBarMetrics,
    statusBarPerSource: booleanSetting(input, 'statusBar.perSource', false, problems),
    cpuAcrossLabels,
    rawMinutes: Math.round(numberSetting(input, 'history.rawMinutes', 15, 1, 120, problems)),
    downsampledHours: Math.round(numberSetting(input, 'history.downsampledHours', 24, 1, 168, problems)),
    maxPayloadBytes: Math.round(numberSetting(input, 'limits.maxPayloadMB', 4, 0.1, 64, problems) * 1024 * 1024),
    maxSeriesPerSource: Math.round(numberSetting(input, 'limits.maxSeriesPerSource', 2000, 10, 100_000, problems)),
    noDataMode,
    noDataAfterSeconds: numberSetting(input, 'noData.afterSeconds', 15, 1, 3600, problems),
    notifyCritical: booleanSetting(input, 'notifications.critical', true, problems),
    problems,
  };
}

/** True for loopback hosts; workspace-defined sources elsewhere need the user's confirmation once. */
export function isLoopbackUrl(raw: string): boolean {
  try {
    const host = new URL(raw).hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  } catch {
    return false;
  }
}
