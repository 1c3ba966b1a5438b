// Polls an HTTP endpoint (JSON or Prometheus text). One request at a time: the next poll is
// scheduled only when the previous one has finished, so a slow server is never piled on.
import http from 'node:http';
import https from 'node:https';
import { displayUrl, headerNames, httpGet, httpStatusReason, isFatalStatus, isHtml, mediaType, requestHeaders } from './httpGet';
import type { HttpGetRequest, HttpGetResult } from './httpGet';
import { TransportBase } from './transportBase';

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;
const ACCEPT: Readonly<Record<'http-json' | 'prometheus', string>> = {
  'http-json': 'application/json, */*;q=0.5',
  prometheus: 'text/plain;version=0.0.4;q=1.0, application/openmetrics-text;version=1.0.0;q=0.5, */*;q=0.1',
};

export class PollSource extends TransportBase {
  private inFlight: HttpGetRequest | undefined;
  private agent: http.Agent | undefined;
  protected override readonly stopMessage = 'stopped polling (by the user)';

  protected override starting(): boolean {
    this.log('info', `polling ${displayUrl(this.config.url)} every ${this.config.pollIntervalMs} ms; headers: ${headerNames(this.headers())}`);
    return true;
  }

  protected override pending(): boolean {
    return super.pending() || this.inFlight !== undefined;
  }

  private headers(): Record<string, string> {
    const accept = this.config.kind === 'prometheus' ? ACCEPT.prometheus : ACCEPT['http-json'];
    return requestHeaders(this.config.headers, this.deps.token, { Accept: accept });
  }

  /** One poll. */
  protected connect(): void {
    if (this.state.phase !== 'open' && !this.announceConnecting()) return;
    const secure = this.config.url.startsWith('https:');
    this.agent ??= secure ? new https.Agent({ keepAlive: true, maxSockets: 1 }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
    const request = httpGet(this.config.url, {
      headers: this.headers(),
      timeoutMs: this.deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      maxBytes: this.deps.maxPayloadBytes,
      agent: this.agent,
    });
    this.inFlight = request;
    void request.result.then((result) => {
      if (this.inFlight !== request) return;
      this.inFlight = undefined;
      this.handle(result);
    });
  }

  private handle(result: HttpGetResult): void {
    const shown = displayUrl(this.config.url);
    if (!result.ok) {
      switch (result.kind) {
        case 'aborted':
          return;
        case 'bad-url':
          this.fail(`Cannot poll ${shown}: ${result.message}`);
          return;
        case 'network':
          this.retry(`${result.message} (${shown})`, false);
          return;
        case 'timeout':
        case 'too-large':
          this.retry(`${result.message} (${shown})`, true);
          return;
      }
    }
    if (isFatalStatus(result.status)) {
      this.fail(httpStatusReason(result.status, this.config.url));
      return;
    }
    if (result.status < 200 || result.status > 299) {
      this.retry(httpStatusReason(result.status, this.config.url), true);
      return;
    }
    if (isHtml(result.contentType, result.body)) {
      this.retry(`server returned HTML, not metrics (content-type ${mediaType(result.contentType) || 'none'}) from ${shown}: check the URL`, true);
      return;
    }
    if (!this.answered(`polling ${shown}: ok`)) return;
    this.receive({ payload: result.body, bytes: result.bytes, receivedAt: this.now() });
    // A listener may have stopped or restarted polling meanwhile.
    if (this.state.phase === 'open' && !this.pending()) this.schedule(this.config.pollIntervalMs);
  }

  private retry(reason: string, warn: boolean): void {
    this.retryPoll(reason, warn, 'next poll in');
  }

  /** Abort the request in flight. */
  protected drop(): void {
    const request = this.inFlight;
    this.inFlight = undefined;
    request?.abort();
    this.agent?.destroy();
    this.agent = undefined;
  }
}
