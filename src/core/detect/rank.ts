// Orders what a detection run found, picks the best endpoint per server, and turns a pick into a setting.

import type { FormatHint, SourceKind } from '../../shared/vocabulary';

export interface DetectedEndpoint {
  readonly url: string;
  readonly port: number;
  readonly path: string;
  readonly kind: SourceKind;
  /** What the first message decoded as; `auto` when it did not decode. */
  readonly format: FormatHint;
  /** Series in the first message. */
  readonly series: number;
  readonly fromWorkspace: boolean;
  readonly reasons: readonly string[];
}

export interface RankedEndpoint extends DetectedEndpoint {
  /** The best endpoint of its port: pre-selected in the pick. */
  readonly recommended: boolean;
}

// A stream beats polling; a server's own format beats generic JSON.
const KIND_RANK: Readonly<Partial<Record<SourceKind, number>>> = { ws: 0, sse: 1, 'http-json': 2, prometheus: 2 };
const FORMAT_RANK: Readonly<Partial<Record<FormatHint, number>>> = { bun: 0, snapshot: 0, daemon: 0, 'go-stats': 1, prometheus: 1, json: 2, auto: 3 };

function compare(a: DetectedEndpoint, b: DetectedEndpoint): number {
  return (
    Number(b.fromWorkspace) - Number(a.fromWorkspace) ||
    a.port - b.port ||
    (FORMAT_RANK[a.format] ?? 3) - (FORMAT_RANK[b.format] ?? 3) ||
    (KIND_RANK[a.kind] ?? 3) - (KIND_RANK[b.kind] ?? 3) ||
    b.series - a.series ||
    a.path.localeCompare(b.path)
  );
}

/** Workspace ports first, then by port; within a port the best endpoint first and marked recommended. */
export function rankEndpoints(found: readonly DetectedEndpoint[], configuredUrls: readonly string[] = []): RankedEndpoint[] {
  const configured = new Set(configuredUrls.map(normalUrl));
  const fresh = found.filter((e) => !configured.has(normalUrl(e.url)));
  const sorted = [...fresh].sort(compare);
  const seenPorts = new Set<number>();
  return sorted.map((e) => {
    const recommended = !seenPorts.has(e.port);
    seenPorts.add(e.port);
    return { ...e, recommended };
  });
}

/** The same endpoint whether written with localhost, 127.0.0.1 or ::1, with or without a trailing slash. */
export function normalUrl(raw: string): string {
  try {
    const u = new URL(raw);
    const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    const loopback = host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
    const port = u.port || (u.protocol === 'https:' || u.protocol === 'wss:' ? '443' : '80');
    return `${u.protocol}//${loopback ? 'loopback' : host}:${port}${u.pathname.replace(/\/+$/, '') || '/'}${u.search}`;
  } catch {
    return raw;
  }
}

export interface SourceSetting {
  name: string;
  url: string;
  kind: SourceKind;
  format?: FormatHint;
  subscribe?: boolean;
}

/** A `pulse.sources` entry for an endpoint, named uniquely among `taken`. */
export function toSourceSetting(e: DetectedEndpoint, taken: readonly string[]): SourceSetting {
  const base = `${e.format === 'auto' ? e.kind : e.format} :${e.port}${e.path}`.slice(0, 60);
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base} ${i}`;
  const entry: SourceSetting = { name, url: e.url, kind: e.kind };
  if (e.format !== 'auto') entry.format = e.format;
  if (e.format === 'snapshot') entry.subscribe = true;
  return entry;
}
