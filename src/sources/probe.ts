// "Add Source": look at a URL once and say what kind of source it is, with a sample message; a
// Prometheus-compatible engine is recognised by its HTTP API; a free port for an OTLP receiver.
import net from 'node:net';
import type { Logger, SourceConfig } from '../core/model';
import type { SourceKind } from '../shared/vocabulary';
import { displayUrl, errorMessage, httpGet, httpStatusReason, isHtml, mediaType, printable, requestHeaders } from './httpGet';
import { apiUrl } from './promqlQueries';
import { SseParser } from './sseSource';
import { WsSource } from './wsSource';

export type ProbeResult =
  /** `engine`: for kind promql, what the engine says it is (e.g. "Prometheus 2.45.3"), when it says. */
  | { readonly ok: true; readonly kind: SourceKind; readonly sample: string; readonly contentType: string; readonly engine?: string }
  /** `unreachable`: nothing answered at all (refused, timed out), so no other path there is worth asking. */
  | { readonly ok: false; readonly reason: string; readonly unreachable?: boolean };

export interface ProbeDeps {
  readonly log: Logger;
  readonly maxPayloadBytes: number;
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** How long to wait for a first message (WebSocket, SSE) or a response (HTTP). Default 3 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_PROBE_TIMEOUT_MS = 3_000;
const PROMETHEUS_LINE = /^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* |[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^\n]*\})? +[-+]?([0-9.]+([eE][-+]?[0-9]+)?|NaN|Inf)\b)/m;

export async function probeUrl(url: string, deps: ProbeDeps): Promise<ProbeResult> {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return { ok: false, reason: `Invalid URL "${displayUrl(url)}"` };
  }
  if (protocol === 'ws:' || protocol === 'wss:') return probeWebSocket(url, deps);
  if (protocol === 'http:' || protocol === 'https:') {
    const plain = await probeHttp(url, deps);
    if (plain.ok ? !(plain.kind === 'http-json' && isApiAnswer(plain.sample)) : plain.unreachable === true) return plain;
    // Not a metrics endpoint (an engine's root answers with its HTML UI): perhaps a PromQL engine.
    return (await probePromql(url, deps)) ?? plain;
  }
  return { ok: false, reason: `Unsupported URL "${displayUrl(url)}": use ws://, wss://, http:// or https://` };
}

function probeWebSocket(url: string, deps: ProbeDeps): Promise<ProbeResult> {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const config: SourceConfig = { id: 'probe', name: 'probe', url, kind: 'ws', format: 'auto', pollIntervalMs: 0, headers: deps.headers ?? {}, scope: 'user' };
  const source = new WsSource(config, { log: deps.log, maxPayloadBytes: deps.maxPayloadBytes, token: deps.token, handshakeTimeoutMs: timeoutMs });
  return new Promise<ProbeResult>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: ProbeResult): void => {
      clearTimeout(timer);
      source.dispose();
      resolve(result);
    };
    source.onDidReceive((received) => finish({ ok: true, kind: 'ws', sample: received.payload, contentType: '' }));
    source.onDidChangeState((state) => {
      if (state.phase === 'open') {
        // The wait for a first message starts once the socket is open (subscribe goes out after 1 s of silence).
        clearTimeout(timer);
        timer = setTimeout(() => finish({ ok: false, reason: `Connected to ${displayUrl(url)} but no message arrived within ${timeoutMs / 1000} s` }), timeoutMs);
      } else if (state.phase === 'failed' || state.phase === 'reconnecting') {
        finish({ ok: false, reason: state.reason });
      }
    });
    timer = setTimeout(() => finish({ ok: false, reason: `No WebSocket connection to ${displayUrl(url)} within ${timeoutMs / 1000} s` }), timeoutMs * 2);
    source.start();
  });
}

async function probeHttp(url: string, deps: ProbeDeps): Promise<ProbeResult> {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const headers = requestHeaders(deps.headers ?? {}, deps.token, {
    Accept: 'application/json, text/event-stream;q=0.9, text/plain;q=0.8, */*;q=0.5',
  });
  let firstEvent: string | undefined;
  const parser = new SseParser(deps.maxPayloadBytes, {
    event: (event) => (firstEvent ??= event.data),
    retry: () => undefined,
    oversized: () => undefined,
  });
  let fed = 0;
  const request = httpGet(url, {
    headers,
    timeoutMs,
    deadlineMs: timeoutMs,
    maxBytes: deps.maxPayloadBytes,
    agent: false,
    enough: (contentType, body) => {
      if (mediaType(contentType) !== 'text/event-stream') return false;
      parser.feed(body.slice(fed));
      fed = body.length;
      return firstEvent !== undefined;
    },
  });
  let result;
  try {
    result = await request.result;
  } catch (error) {
    return { ok: false, reason: errorMessage(error), unreachable: true };
  }
  const shown = displayUrl(url);
  if (!result.ok) return { ok: false, reason: `${result.message} (${shown})`, unreachable: result.kind === 'network' || result.kind === 'timeout' };
  if (result.status < 200 || result.status > 299) return { ok: false, reason: httpStatusReason(result.status, url) };
  const type = mediaType(result.contentType);
  if (type === 'text/event-stream') {
    if (firstEvent === undefined) return { ok: false, reason: `The event stream at ${shown} sent no event within ${timeoutMs / 1000} s` };
    return { ok: true, kind: 'sse', sample: firstEvent, contentType: result.contentType };
  }
  if (isHtml(result.contentType, result.body)) return { ok: false, reason: `${shown} returned an HTML page, not metrics: check the URL` };
  if (type.includes('json') || looksLikeJson(result.body)) return { ok: true, kind: 'http-json', sample: result.body, contentType: result.contentType };
  if (PROMETHEUS_LINE.test(result.body)) return { ok: true, kind: 'prometheus', sample: result.body, contentType: result.contentType };
  return { ok: false, reason: `${shown} returned ${type || 'content'} that is neither JSON, Prometheus text nor an event stream` };
}

function looksLikeJson(body: string): boolean {
  const start = body.trimStart()[0];
  if (start !== '{' && start !== '[') return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

const MAX_ENGINE_CHARS = 60;

/**
 * A Prometheus-compatible engine (Prometheus, Thanos, Mimir, VictoriaMetrics) at `url` (its root or
 * API prefix): `/api/v1/status/buildinfo`, or else the instant query `1`, answers with the API's
 * `{"status":"success"}` envelope. Undefined when neither does.
 */
export async function probePromql(url: string, deps: ProbeDeps): Promise<ProbeResult | undefined> {
  let buildinfo: string;
  let query: string;
  try {
    buildinfo = apiUrl(url, 'status/buildinfo');
    query = apiUrl(url, 'query', [['query', '1']]);
  } catch {
    return undefined;
  }
  const info = await getApi(buildinfo, deps);
  if (info !== undefined) {
    const data = (info.json as { data?: unknown }).data;
    const version = typeof data === 'object' && data !== null ? (data as { version?: unknown }).version : undefined;
    const engine = typeof version === 'string' && version.length > 0 ? `version ${printable(version).slice(0, MAX_ENGINE_CHARS)}` : undefined;
    return { ok: true, kind: 'promql', sample: info.body, contentType: 'application/json', ...(engine === undefined ? {} : { engine }) };
  }
  const answer = await getApi(query, deps);
  if (answer === undefined) return undefined;
  const data = (answer.json as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null || (data as { resultType?: unknown }).resultType !== 'scalar') return undefined;
  return { ok: true, kind: 'promql', sample: answer.body, contentType: 'application/json' };
}

/** A 2xx JSON answer in the Prometheus API's success envelope, or undefined. */
async function getApi(url: string, deps: ProbeDeps): Promise<{ readonly body: string; readonly json: object } | undefined> {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  try {
    const result = await httpGet(url, {
      headers: requestHeaders(deps.headers ?? {}, deps.token, { Accept: 'application/json' }),
      timeoutMs,
      deadlineMs: timeoutMs,
      maxBytes: Math.min(deps.maxPayloadBytes, 1024 * 1024),
      agent: false,
    }).result;
    if (!result.ok || result.status < 200 || result.status > 299 || !isApiAnswer(result.body)) return undefined;
    return { body: result.body, json: JSON.parse(result.body) as object };
  } catch {
    return undefined;
  }
}

function isApiAnswer(body: string): boolean {
  if (!looksLikeJson(body)) return false;
  const json = JSON.parse(body) as unknown;
  return typeof json === 'object' && json !== null && !Array.isArray(json) && (json as { status?: unknown }).status === 'success' && 'data' in json;
}

/**
 * A loopback port for an OTLP receiver: `preferred` (4318, the OTLP default) when nothing listens
 * there on 127.0.0.1, else one the system picks free.
 */
export async function freeLoopbackPort(preferred: number): Promise<number> {
  return (await tryListen(preferred)) ?? (await tryListen(0)) ?? preferred;
}

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const address = server.address();
      const got = typeof address === 'object' && address !== null ? address.port : undefined;
      server.close(() => resolve(got));
    });
  });
}
