// One bounded HTTP GET shared by the polling transport and the "Add Source" probe, plus the small
// helpers every transport uses to describe URLs and statuses without leaking secrets.
import http from 'node:http';
import https from 'node:https';
import { StringDecoder } from 'node:string_decoder';

export interface HttpGetOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** No progress (connect, headers, a body chunk) for this long aborts the request. */
  readonly timeoutMs: number;
  /** The whole exchange may take at most this long, so a body dripping a byte at a time ends too. Default 4 × timeoutMs. */
  readonly deadlineMs?: number;
  readonly maxBytes: number;
  readonly agent?: http.Agent | false;
  /** Stop reading early once the body so far is enough (e.g. the first server-sent event of an endless stream). */
  readonly enough?: (contentType: string, bodySoFar: string) => boolean;
}

export interface HttpResponse {
  readonly ok: true;
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly bytes: number;
}

export type HttpFailureKind = 'bad-url' | 'timeout' | 'too-large' | 'network' | 'aborted';

export interface HttpFailure {
  readonly ok: false;
  readonly kind: HttpFailureKind;
  readonly message: string;
}

export type HttpGetResult = HttpResponse | HttpFailure;

export interface HttpGetRequest {
  readonly result: Promise<HttpGetResult>;
  abort(): void;
}

export function httpGet(url: string, options: HttpGetOptions): HttpGetRequest {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return settledRequest({ ok: false, kind: 'bad-url', message: `invalid URL ${displayUrl(url)}` });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return settledRequest({ ok: false, kind: 'bad-url', message: `expected an http:// or https:// URL, got ${displayUrl(url)}` });
  }

  let finish: (result: HttpGetResult) => void = () => undefined;
  const result = new Promise<HttpGetResult>((resolve) => (finish = resolve));
  let done = false;
  let idleTimer: NodeJS.Timeout | undefined;
  let req: http.ClientRequest | undefined;

  const settle = (outcome: HttpGetResult, destroy: boolean): void => {
    if (done) return;
    done = true;
    clearTimeout(idleTimer);
    clearTimeout(deadlineTimer);
    // A fully read response leaves its socket to the agent for reuse.
    if (destroy) req?.destroy();
    finish(outcome);
  };
  const fail = (kind: HttpFailureKind, message: string): void => settle({ ok: false, kind, message }, true);
  const seconds = (ms: number): string => `${+(ms / 1000).toFixed(1)} s`;
  let phase: 'response' | 'body' = 'response';
  const touch = (): void => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(
      () => fail('timeout', phase === 'response' ? `no response within ${seconds(options.timeoutMs)}` : `response body stalled for ${seconds(options.timeoutMs)}`),
      options.timeoutMs,
    );
  };
  const deadlineMs = options.deadlineMs ?? options.timeoutMs * 4;
  const deadlineTimer = setTimeout(() => fail('timeout', `response not complete within ${seconds(deadlineMs)}`), deadlineMs);
  touch();

  try {
    const request = target.protocol === 'https:' ? https.request : http.request;
    req = request(target, { method: 'GET', headers: { ...options.headers }, agent: options.agent });
  } catch (error) {
    // Invalid header characters and the like throw synchronously.
    fail('bad-url', `cannot send the request: ${errorMessage(error)}`);
    return { result, abort: () => undefined };
  }
  req.on('error', (error) => fail('network', describeNetworkError(error)));
  req.on('response', (res) => {
    phase = 'body';
    touch();
    const status = res.statusCode ?? 0;
    const contentType = headerValue(res.headers['content-type']);
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > options.maxBytes) {
      res.resume();
      fail('too-large', `response of ${formatMiB(declared)} is larger than the ${formatMiB(options.maxBytes)} limit`);
      return;
    }
    const chunks: Buffer[] = [];
    const decoder = options.enough ? new StringDecoder('utf8') : undefined;
    let text = '';
    let bytes = 0;
    const complete = (early: boolean): void => {
      const body = decoder ? text + decoder.end() : Buffer.concat(chunks).toString('utf8');
      settle({ ok: true, status, contentType, body, bytes }, early);
    };
    res.on('data', (chunk: Buffer) => {
      if (done) return;
      bytes += chunk.length;
      if (bytes > options.maxBytes) {
        fail('too-large', `response larger than the ${formatMiB(options.maxBytes)} limit`);
        return;
      }
      touch();
      if (decoder && options.enough) {
        text += decoder.write(chunk);
        if (options.enough(contentType, text)) complete(true);
      } else {
        chunks.push(chunk);
      }
    });
    res.on('end', () => complete(false));
    res.on('error', (error) => fail('network', describeNetworkError(error)));
    res.on('aborted', () => fail('network', 'the server closed the connection mid-response'));
  });
  req.end();

  return { result, abort: () => fail('aborted', 'aborted') };
}

function settledRequest(outcome: HttpGetResult): HttpGetRequest {
  return { result: Promise.resolve(outcome), abort: () => undefined };
}

function headerValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

/** `text/html; charset=utf-8` → `text/html`. */
export function mediaType(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

export function isHtml(contentType: string, body?: string): boolean {
  const type = mediaType(contentType);
  if (type === 'text/html' || type === 'application/xhtml+xml') return true;
  if (body === undefined) return false;
  return /^\s*<(!doctype html|html[\s>])/i.test(body.slice(0, 512));
}

/** Statuses that retrying will not fix: the user has to change the URL or the token. */
export function isFatalStatus(status: number): boolean {
  return status === 401 || status === 403 || status === 404;
}

export function httpStatusReason(status: number, url: string): string {
  // The server's own status text is not trusted; Node's table is.
  const text = http.STATUS_CODES[status];
  const base = `HTTP ${status}${text ? ` ${text}` : ''} from ${displayUrl(url)}`;
  switch (status) {
    case 401:
      return `${base}: set a token with 'Pulse: Set Source Token'`;
    case 403:
      return `${base}: the token was refused, check it with 'Pulse: Set Source Token'`;
    case 404:
      return `${base}: check the URL's path`;
    default:
      return base;
  }
}

const SECRET_PARAM = /token|key|secret|auth|pass|session|sig/i;

/** A URL safe to log or show: no user info, secret-looking query values hidden, bounded length. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const key of [...u.searchParams.keys()]) if (SECRET_PARAM.test(key)) u.searchParams.set(key, '…');
    return clip(u.toString(), 200);
  } catch {
    return clip(printable(url), 200);
  }
}

/** Text from the network or the user, fit for a log line or a state reason: no control or bidi characters. */
export function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
    const bidi = code === 0x200e || code === 0x200f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
    if (!control && !bidi) out += ch;
  }
  return out;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The configured headers plus the bearer token. Header values are secret-ish: log only the names. */
export function requestHeaders(headers: Readonly<Record<string, string>>, token: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = { ...extra };
  for (const [name, value] of Object.entries(headers)) out[name] = value;
  if (token) out.Authorization = `Bearer ${token}`;
  return out;
}

export function headerNames(headers: Readonly<Record<string, string>>): string {
  const names = Object.keys(headers);
  return names.length === 0 ? 'none' : names.join(', ');
}

export function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return `${mib >= 10 ? Math.round(mib) : +mib.toFixed(2)} MiB`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeNetworkError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running?)';
    case 'ECONNRESET':
      return 'connection reset by the server';
    case 'ENOTFOUND':
      return 'host not found';
    default:
      return errorMessage(error);
  }
}
