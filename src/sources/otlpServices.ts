// Splits one OTLP export by the service that sent it (`service.name`), so that each service becomes a
// source of its own. Not by `service.instance.id`: the Java agent and .NET SDK make a new one per process,
// so a restarted app would become a new source (no restart seen, history cut); instances stay apart by
// their `instance` label. Untrusted: names are bounded and made printable here.
import { field, isObject, objectField } from '../core/decode/values';
import type { JsonObject } from '../core/decode/values';
import { printable } from './httpGet';

/** Services one export may name; resources beyond them stay with the receiver's own source. */
const MAX_GROUPS = 32;
const MAX_NAME = 256;

export interface ServiceGroup {
  /** The `service.name`, printable; undefined when the resource names no service. */
  readonly service: string | undefined;
  /** An ExportMetricsServiceRequest holding only this service's resourceMetrics. */
  readonly request: { readonly resourceMetrics: unknown[] };
}

/** The request's resourceMetrics grouped by service, in order of first appearance; undefined when it has none to group. */
export function splitByService(request: unknown): readonly ServiceGroup[] | undefined {
  if (!isObject(request)) return undefined;
  const all = field(request, 'resourceMetrics');
  if (!Array.isArray(all)) return undefined;
  const groups = new Map<string | undefined, unknown[]>();
  for (const rm of all) {
    let service = isObject(rm) ? serviceOf(objectField(rm, 'resource')) : undefined;
    if (!groups.has(service) && groups.size >= MAX_GROUPS) service = undefined;
    const list = groups.get(service) ?? [];
    list.push(rm);
    groups.set(service, list);
  }
  return [...groups].map(([service, resourceMetrics]) => ({ service, request: { resourceMetrics } }));
}

function serviceOf(resource: JsonObject | undefined): string | undefined {
  if (resource === undefined) return undefined;
  const attributes = field(resource, 'attributes');
  if (!Array.isArray(attributes)) return undefined;
  return stringAttribute(attributes, 'service.name');
}

function stringAttribute(attributes: readonly unknown[], key: string): string | undefined {
  for (const kv of attributes) {
    if (!isObject(kv) || field(kv, 'key') !== key) continue;
    const value = objectField(kv, 'value');
    const text = value === undefined ? undefined : field(value, 'stringValue');
    if (typeof text !== 'string') return undefined;
    const clean = printable(text.slice(0, MAX_NAME)).trim();
    return clean === '' ? undefined : clean;
  }
  return undefined;
}
