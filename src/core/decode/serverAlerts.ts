// Alerts a snapshot-protocol server raised itself (seed 001's detectAnomalies), validated and given stable ids.
import { formatPercent } from '../../shared/format';
import { field, finiteNumber, isObject, objectField, parseTimestamp, printable, truncate } from './values';
import type { JsonObject } from './values';
import type { ServerAlert } from '../model';
import type { Severity } from '../../shared/vocabulary';
import { SEVERITIES } from '../../shared/vocabulary';
import { isOneOf } from '../../shared/check';

const MAX_ALERTS = 100;
const MAX_ALERT_ID = 200;
const MAX_ALERT_MESSAGE = 500;
const MAX_KIND = 64;
const MAX_ALERT_LABELS = 10;
const MAX_LABEL = 64;

/**
 * Seed 001 sends `{id, type, severity, value}` with a fresh UUID on every update, so an alert's identity
 * is its `type` (+ metric and labels), never the server's id. Alerts without a `type` (older shapes)
 * keep the server's id, or one hashed from their metric and message.
 */
export function decodeServerAlerts(raw: readonly unknown[]): ServerAlert[] {
  const alerts: ServerAlert[] = [];
  for (let i = 0; i < raw.length && alerts.length < MAX_ALERTS; i++) {
    const a = raw[i];
    if (!isObject(a)) continue;
    const alert = decodeAlert(a);
    if (alert !== undefined) alerts.push(alert);
  }
  return alerts;
}

function decodeAlert(a: JsonObject): ServerAlert | undefined {
  const kind = sanitizeKind(field(a, 'type'));
  const rawMetric = field(a, 'metric');
  const metric = typeof rawMetric === 'string' && rawMetric.length > 0 ? truncate(rawMetric, MAX_ALERT_ID) : undefined;
  const value = finiteNumber(field(a, 'value'), true);
  const rawMessage = field(a, 'message');
  // A text Pulse writes is formatted when first read (the server repeats its alerts on every update).
  let message: string | undefined;
  if (typeof rawMessage === 'string' && rawMessage.trim().length > 0) message = truncate(printable(rawMessage), MAX_ALERT_MESSAGE);
  else if (kind !== undefined) message = undefined;
  else if (metric !== undefined) message = `Server alert on ${metric}`;
  else return undefined;

  const labels = alertLabels(objectField(a, 'labels'));
  let id: string;
  if (kind !== undefined) {
    const labelText = labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
    id = truncate(`server:${kind}${metric === undefined ? '' : `:${metric}`}${labelText}`, MAX_ALERT_ID);
  } else {
    const rawId = field(a, 'id');
    id =
      typeof rawId === 'string' && rawId.length > 0 && rawId.length <= MAX_ALERT_ID
        ? rawId
        : typeof rawId === 'number' && Number.isFinite(rawId)
          ? String(rawId)
          : `server:${metric ?? 'alert'}:${hash(message ?? '')}`;
  }
  const rawSeverity = field(a, 'severity');
  const severity: Severity = isOneOf(rawSeverity, SEVERITIES) ? rawSeverity : 'warning';
  const threshold = finiteNumber(field(a, 'threshold'), true);
  const timestamp = parseTimestamp(field(a, 'timestamp'));
  return {
    id,
    severity,
    get message(): string {
      message ??= messageFor(kind ?? '', value);
      return message;
    },
    ...(kind === undefined ? {} : { kind }),
    ...(metric === undefined ? {} : { metric }),
    ...(value === undefined ? {} : { value }),
    ...(threshold === undefined ? {} : { threshold }),
    ...(timestamp === undefined ? {} : { timestamp }),
  };
}

/** The server's `type`, bounded to letters, digits and `_.:-` (others become `_`); undefined if empty. */
function sanitizeKind(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const kind = raw.trim().slice(0, MAX_KIND).replace(/[^A-Za-z0-9_.:-]/g, '_');
  return kind === '' ? undefined : kind;
}

/** Seed 001's two kinds: latency_spike's value is percent over baseline, error_rate's the error rate in percent. */
function messageFor(kind: string, value: number | undefined): string {
  if (kind === 'latency_spike') {
    return value === undefined ? 'Latency spike' : `Latency spike: ${value >= 0 ? '+' : ''}${formatPercent(value)} over baseline`;
  }
  if (kind === 'error_rate') return value === undefined ? 'Error rate high' : `Error rate ${formatPercent(value)}`;
  const words = kind.replace(/[_.:-]+/g, ' ').trim();
  const title = words === '' ? 'Server alert' : `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
  return value === undefined ? title : `${title}: ${String(Math.round(value * 1000) / 1000)}`;
}

/** String labels, sorted by key, bounded; anything else is ignored. */
function alertLabels(raw: JsonObject | undefined): Array<[string, string]> {
  if (!raw) return [];
  const out: Array<[string, string]> = [];
  for (const key of Object.keys(raw).sort()) {
    if (out.length >= MAX_ALERT_LABELS) break;
    const v = raw[key];
    if (key.length === 0 || key.length > MAX_LABEL) continue;
    if (typeof v === 'string') out.push([key, truncate(v, MAX_LABEL)]);
    else if (typeof v === 'number' && Number.isFinite(v)) out.push([key, String(v)]);
  }
  return out;
}

/** FNV-1a, hex: a stable id for an alert the server sent without one. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
