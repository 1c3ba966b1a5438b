// Zero-config detection: which loopback ports answer, then which known metric paths on them deliver
// something Pulse decodes. Loopback only, short timeouts, a bounded number of probes at a time.

import net from 'node:net';
import type { Logger } from '../core/model';
import type { PortCandidate } from '../core/detect/candidates';
import type { KnownPath } from '../core/detect/paths';
import type { DetectedEndpoint } from '../core/detect/rank';
import { KNOWN_PATHS, probeUrlFor } from '../core/detect/paths';
import { decodeMessage } from '../core/decode/decode';
import { probeUrl } from './probe';

export interface DetectDeps {
  readonly log: Logger;
  readonly maxPayloadBytes: number;
  /** Loopback addresses tried per port, in order. Default 127.0.0.1 then ::1. */
  readonly hosts?: readonly string[];
  readonly connectTimeoutMs?: number;
  readonly httpTimeoutMs?: number;
  /** WebSocket probes wait longer: a snapshot server (seed 001) answers only after Pulse's subscribe at 1 s. */
  readonly wsTimeoutMs?: number;
  readonly concurrency?: number;
  readonly paths?: readonly KnownPath[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

export const DETECT_DEFAULTS = { connectTimeoutMs: 400, httpTimeoutMs: 1500, wsTimeoutMs: 2500, concurrency: 6 } as const;

const LOOPBACK = /^(127(\.\d{1,3}){3}|::1|localhost)$/;

/** Runs `work` over `items` with at most `limit` running at once; stops starting new ones once aborted. */
export async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>, signal?: AbortSignal): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++] as T;
      out.push(await work(item));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker()));
  return out;
}

/** True when something accepts a TCP connection at host:port within the timeout. */
export function portOpen(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (open: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(open);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Probes the known paths on every candidate port that answers; what decodes is returned, unranked. */
export async function detectEndpoints(ports: readonly PortCandidate[], deps: DetectDeps): Promise<DetectedEndpoint[]> {
  const hosts = deps.hosts ?? ['127.0.0.1', '::1'];
  const bad = hosts.find((h) => !LOOPBACK.test(h));
  if (bad !== undefined) throw new Error(`detection probes loopback only, not ${bad}`);
  const connectTimeoutMs = deps.connectTimeoutMs ?? DETECT_DEFAULTS.connectTimeoutMs;
  const concurrency = deps.concurrency ?? DETECT_DEFAULTS.concurrency;
  const paths = deps.paths ?? KNOWN_PATHS;

  const open = (
    await pool(
      ports,
      concurrency,
      async (candidate) => {
        for (const host of hosts) if (await portOpen(host, candidate.port, connectTimeoutMs)) return { candidate, host };
        return undefined;
      },
      deps.signal,
    )
  ).filter((x) => x !== undefined);

  const jobs = open.flatMap(({ candidate, host }) => paths.map((known) => ({ candidate, host, known })));
  let done = 0;
  deps.onProgress?.(0, jobs.length);
  const results = await pool(
    jobs,
    concurrency,
    async ({ candidate, host, known }) => {
      const found = await probeOne(candidate, host, known, deps);
      deps.onProgress?.(++done, jobs.length);
      return found;
    },
    deps.signal,
  );
  return results.filter((r) => r !== undefined);
}

async function probeOne(candidate: PortCandidate, host: string, known: KnownPath, deps: DetectDeps): Promise<DetectedEndpoint | undefined> {
  const url = probeUrlFor(host, candidate.port, known);
  const timeoutMs = known.scheme === 'ws' ? (deps.wsTimeoutMs ?? DETECT_DEFAULTS.wsTimeoutMs) : (deps.httpTimeoutMs ?? DETECT_DEFAULTS.httpTimeoutMs);
  // A closed path is the normal answer here: the probe's own complaints go to debug, not the log's warnings.
  const silent: Logger = { trace: (m) => deps.log.trace(m), debug: (m) => deps.log.debug(m), info: (m) => deps.log.debug(m), warn: (m) => deps.log.debug(m), error: (m) => deps.log.debug(m) };
  const probe = await probeUrl(url, { log: silent, maxPayloadBytes: deps.maxPayloadBytes, timeoutMs });
  if (!probe.ok) {
    deps.log.debug(`detect: ${url}: ${probe.reason}`);
    return undefined;
  }
  const decoded = decodeMessage(probe.sample, probe.kind === 'prometheus' ? 'prometheus' : 'auto', {});
  if (!decoded.ok) return undefined;
  const series = decoded.value.samples.length;
  // A polled endpoint must show metrics now; a stream may open with a greeting that carries none.
  if (series === 0 && (probe.kind === 'http-json' || probe.kind === 'prometheus')) return undefined;
  return { url, port: candidate.port, path: known.path, kind: probe.kind, format: decoded.value.format, series, fromWorkspace: candidate.fromWorkspace, reasons: candidate.reasons };
}
