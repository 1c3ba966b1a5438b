// "Add Source": look at a URL once and say what kind of source it is, with a sample message.
import type { Logger, SourceConfig } from '../core/model';
import type { SourceKind } from '../shared/vocabulary';
import { displayUrl, errorMessage, httpGet, httpStatusReason, isHtml, mediaType, requestHeaders } from './httpGet';
import { SseParser } from './sseSource';
import { WsSource } from './wsSource';

export type ProbeResult =
  | { readonly ok: true; readonly kind: SourceKind; readonly sample: string; readonly contentType: string }
  | { readonly ok: false; readonly reason: string };

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
  if (protocol === 'http:' || protocol === 'https:') return probeHttp(url, deps);
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
    return { ok: false, reason: errorMessage(error) };
  }
  const shown = displayUrl(url);
  if (!result.ok) return { ok: false, reason: `${result.message} (${shown})` };
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
