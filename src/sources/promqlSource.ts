// A Prometheus-compatible engine (Prometheus, Thanos, Mimir, VictoriaMetrics) over its HTTP API:
// each poll runs the source's instant queries (a few at a time, never overlapping the next poll)
// and hands the pipeline one message; the first poll after connecting also backfills the chart
// window with `query_range`, so history comes from the engine rather than from what Pulse kept.
import http from 'node:http';
import https from 'node:https';
import type { Backfill, PromqlQuery, Sample, SourceConfig } from '../core/model';
import { apiError, parseInstant, parseRange } from '../core/decode/promqlApi';
import { MAX_BACKFILL_POINTS, encodePromqlMessage } from '../core/decode/promql';
import { displayUrl, headerNames, httpGet, httpStatusReason, isFatalStatus, isHtml, requestHeaders } from './httpGet';
import type { HttpGetRequest } from './httpGet';
import { apiTime, apiUrl, promqlQueries } from './promqlQueries';
import type { TransportDeps } from './transport';
import { TransportBase } from './transportBase';

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
/** Requests in flight at once within one poll. */
const CONCURRENCY = 4;
/** What the first poll backfills: the panel's 1 h chart window. */
export const DEFAULT_BACKFILL_WINDOW_MS = 3_600_000;
/** Points per series a backfill asks for (the step follows): enough for a chart, far below the API's 11 000. */
const BACKFILL_POINTS = 720;
/** Most series kept from one query's answer. */
const MAX_SERIES_PER_QUERY = 500;
/** Most samples in one message: what the decoder takes from one message (decode.ts maxLeaves). */
const MAX_SAMPLES = 5_000;
/** Encoded bytes a backfilled point may take (time, value, separators), for fitting a message in the payload limit. */
const BYTES_PER_POINT = 64;

/** What one request came to. */
type Outcome =
  | { readonly kind: 'body'; readonly body: string; readonly bytes: number }
  | { readonly kind: 'api-error'; readonly error: string; readonly bytes: number }
  | { readonly kind: 'down'; readonly reason: string; readonly warn: boolean }
  | { readonly kind: 'fatal'; readonly reason: string }
  | { readonly kind: 'aborted' };

export class PromqlSource extends TransportBase {
  private readonly inFlight = new Set<HttpGetRequest>();
  private agent: http.Agent | undefined;
  /** Bumped by every poll and every drop: answers of an older cycle are ignored. */
  private cycle = 0;
  private polling = false;
  private needsBackfill = true;
  private readonly queries: readonly PromqlQuery[];
  protected override readonly stopMessage = 'stopped querying (by the user)';

  constructor(config: SourceConfig, deps: TransportDeps) {
    super(config, deps);
    this.queries = promqlQueries(config.promql);
  }

  protected override starting(): boolean {
    if (this.queries.length === 0) {
      this.fail('no PromQL queries: set "queries" or "selector" on this source');
      return false;
    }
    this.log('info', `querying ${displayUrl(this.config.url)} (${this.queries.length} queries) every ${this.config.pollIntervalMs} ms; headers: ${headerNames(this.headers())}`);
    return true;
  }

  private headers(): Record<string, string> {
    return requestHeaders(this.config.headers, this.deps.token, { Accept: 'application/json' });
  }

  /** One poll. */
  protected connect(): void {
    void this.poll();
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    const cycle = ++this.cycle;
    if (this.state.phase !== 'open' && !this.announceConnecting()) return;
    this.polling = true;
    try {
      await this.runCycle(cycle);
    } finally {
      if (cycle === this.cycle) this.polling = false;
    }
  }

  private async runCycle(cycle: number): Promise<void> {
    const outcomes = await this.all(this.queries.map((q) => apiUrl(this.config.url, 'query', [['query', q.query]])), 1);
    if (cycle !== this.cycle) return;
    const fatal = outcomes.find((o) => o.kind === 'fatal');
    if (fatal?.kind === 'fatal') return this.fail(fatal.reason);
    if (outcomes.some((o) => o.kind === 'aborted')) return;
    const answered = outcomes.some((o) => o.kind === 'body' || o.kind === 'api-error');
    if (!answered) {
      const down = outcomes.find((o) => o.kind === 'down');
      return this.retry(down?.kind === 'down' ? down.reason : 'no answer', down?.kind === 'down' && down.warn);
    }

    const errors: string[] = [];
    let bytes = 0;
    const samples: Sample[] = [];
    this.queries.forEach((q, i) => {
      const o = outcomes[i];
      if (o === undefined) return;
      if (o.kind === 'body' || o.kind === 'api-error') bytes += o.bytes;
      const parsed = o.kind === 'body' ? parseInstant(o.body, { maxSeries: MAX_SERIES_PER_QUERY, maxPoints: MAX_SERIES_PER_QUERY }) : undefined;
      if (parsed?.ok) {
        for (const s of parsed.data) samples.push({ name: q.name, labels: s.labels, value: s.v, kind: 'gauge', unit: q.unit ?? 'none', ...(q.role ? { role: q.role } : {}) });
        if (parsed.dropped > 0) errors.push(`query "${q.name}": ${parsed.dropped} series over the limit of ${MAX_SERIES_PER_QUERY} or malformed, dropped`);
      } else {
        errors.push(`query "${q.name}": ${describe(o, parsed?.ok === false ? parsed.error : undefined)}`);
      }
    });

    if (samples.length > MAX_SAMPLES) {
      errors.push(`${samples.length} series in all; kept the first ${MAX_SAMPLES}`);
      samples.length = MAX_SAMPLES;
    }

    let backfill: Backfill[] = [];
    if (this.needsBackfill) {
      const filled = await this.backfill(cycle, errors);
      if (cycle !== this.cycle || filled === undefined) return;
      backfill = thinned(filled.series, Math.min(MAX_BACKFILL_POINTS, Math.floor(this.deps.maxPayloadBytes / BYTES_PER_POINT)));
      bytes += filled.bytes;
      if (filled.answered) this.needsBackfill = false;
    }

    if (!this.answered(`querying ${displayUrl(this.config.url)}: ok`)) return;
    this.receive({ payload: encodePromqlMessage({ samples, backfill, errors }), bytes, receivedAt: this.now() });
    // A listener may have stopped or restarted polling meanwhile.
    if (cycle === this.cycle && this.state.phase === 'open' && !this.pending()) {
      this.polling = false;
      this.schedule(this.config.pollIntervalMs);
    }
  }

  /** `query_range` of every query over the backfill window; undefined when the cycle was aborted. */
  private async backfill(cycle: number, errors: string[]): Promise<{ series: Backfill[]; bytes: number; answered: boolean } | undefined> {
    const windowMs = this.deps.backfillWindowMs ?? DEFAULT_BACKFILL_WINDOW_MS;
    const end = this.now();
    const stepSeconds = Math.max(1, Math.ceil(windowMs / 1000 / BACKFILL_POINTS));
    const params = (q: PromqlQuery): Array<readonly [string, string]> => [
      ['query', q.query],
      ['start', apiTime(end - windowMs)],
      ['end', apiTime(end)],
      ['step', String(stepSeconds)],
    ];
    const outcomes = await this.all(
      this.queries.map((q) => apiUrl(this.config.url, 'query_range', params(q))),
      2,
    );
    if (cycle !== this.cycle || outcomes.some((o) => o.kind === 'aborted')) return undefined;
    const series: Backfill[] = [];
    let bytes = 0;
    let answered = false;
    this.queries.forEach((q, i) => {
      const o = outcomes[i];
      if (o === undefined) return;
      if (o.kind === 'body' || o.kind === 'api-error') {
        bytes += o.bytes;
        answered = true;
      }
      const parsed = o.kind === 'body' ? parseRange(o.body, { maxSeries: MAX_SERIES_PER_QUERY, maxPoints: MAX_SERIES_PER_QUERY * BACKFILL_POINTS * 2 }) : undefined;
      if (parsed?.ok) {
        for (const s of parsed.data) series.push({ name: q.name, labels: s.labels, kind: 'gauge', unit: q.unit ?? 'none', ...(q.role ? { role: q.role } : {}), t: s.t, v: s.v });
      } else {
        const error = `history of "${q.name}": ${describe(o, parsed?.ok === false ? parsed.error : undefined)}`;
        // The instant query usually failed the same way: say it once.
        if (!errors.some((e) => e.endsWith(error.slice(error.indexOf(':'))))) errors.push(error);
      }
    });
    return { series, bytes, answered };
  }

  /** GETs every URL, CONCURRENCY at a time; `slower` multiplies the timeout (range queries). */
  private async all(urls: readonly string[], slower: number): Promise<Outcome[]> {
    const out = new Array<Outcome>(urls.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < urls.length; i = next++) out[i] = await this.get(urls[i] ?? '', slower);
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, urls.length) }, worker));
    return out;
  }

  private async get(url: string, slower: number): Promise<Outcome> {
    const secure = url.startsWith('https:');
    this.agent ??= secure ? new https.Agent({ keepAlive: true, maxSockets: CONCURRENCY }) : new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const request = httpGet(url, {
      headers: this.headers(),
      timeoutMs: (this.deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) * slower,
      maxBytes: this.deps.maxPayloadBytes,
      agent: this.agent,
    });
    this.inFlight.add(request);
    const result = await request.result;
    this.inFlight.delete(request);
    const shown = displayUrl(this.config.url);
    if (!result.ok) {
      switch (result.kind) {
        case 'aborted':
          return { kind: 'aborted' };
        case 'bad-url':
          return { kind: 'fatal', reason: `Cannot query ${shown}: ${result.message}` };
        case 'network':
          return { kind: 'down', reason: `${result.message} (${shown})`, warn: false };
        case 'timeout':
        case 'too-large':
          return { kind: 'down', reason: `${result.message} (${shown})`, warn: true };
      }
    }
    // Prometheus answers bad queries with 400/422/503 and a JSON error: that is the query's problem, not the server's.
    const error = result.status >= 400 ? apiError(result.body) : undefined;
    if (error !== undefined) return { kind: 'api-error', error, bytes: result.bytes };
    if (isFatalStatus(result.status)) return { kind: 'fatal', reason: httpStatusReason(result.status, this.config.url) };
    if (result.status < 200 || result.status > 299) return { kind: 'down', reason: httpStatusReason(result.status, this.config.url), warn: true };
    if (isHtml(result.contentType, result.body)) return { kind: 'down', reason: `server returned HTML, not the Prometheus API, from ${shown}: check the URL`, warn: true };
    return { kind: 'body', body: result.body, bytes: result.bytes };
  }

  /** Nobody answered: back off, but never poll faster than the configured interval; backfill again once back. */
  private retry(reason: string, warn: boolean): void {
    this.polling = false;
    this.needsBackfill = true;
    this.retryPoll(reason, warn, 'next query in');
  }

  /** Abandon this cycle: its pending answers are ignored, every request in flight is aborted, history is asked for again. */
  protected drop(): void {
    this.cycle++;
    this.polling = false;
    this.needsBackfill = true;
    for (const request of [...this.inFlight]) request.abort();
    this.inFlight.clear();
    this.agent?.destroy();
    this.agent = undefined;
  }
}

/** Every series keeps every k-th point (its newest always), so all of them fit in `budget` points. */
export function thinned(series: readonly Backfill[], budget: number): Backfill[] {
  const total = series.reduce((n, s) => n + s.t.length, 0);
  if (total <= budget) return [...series];
  const stride = Math.ceil(total / Math.max(1, budget));
  return series.map((s) => {
    const keep = (_: number, i: number): boolean => (s.t.length - 1 - i) % stride === 0;
    return { ...s, t: s.t.filter(keep), v: s.v.filter(keep) };
  });
}

function describe(o: Outcome, parseError: string | undefined): string {
  switch (o.kind) {
    case 'api-error':
      return o.error;
    case 'down':
    case 'fatal':
      return o.reason;
    case 'aborted':
      return 'aborted';
    case 'body':
      return parseError ?? 'unreadable answer';
  }
}
