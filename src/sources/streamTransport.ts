// What the WebSocket and SSE sources share on top of the transport base: announcing an attempt,
// and retrying after a connection ended, with the backoff reset when it had been healthy.
import { wasHealthy } from './backoff';
import { displayUrl, headerNames, httpStatusReason, isFatalStatus } from './httpGet';
import { TransportBase } from './transportBase';

export abstract class StreamTransport extends TransportBase {
  /** Log and announce a connection attempt; false when a state listener stopped or disposed us. */
  protected connecting(headers: Record<string, string>): boolean {
    const attempt = this.backoff.attempt;
    this.log('info', `connecting to ${displayUrl(this.config.url)}${attempt > 0 ? ` (retry ${attempt})` : ''}; headers: ${headerNames(headers)}`);
    return this.announceConnecting();
  }

  /** The connection ended or never opened: schedule the next attempt (unless it is gone already). */
  protected abstract lost(reason: string): void;

  /** The server answered the handshake with an error status: fail for good on 401/403/404, else warn and retry. */
  protected refused(status: number): void {
    const reason = httpStatusReason(status, this.config.url);
    if (isFatalStatus(status)) {
      this.fail(reason);
    } else {
      this.warn(reason);
      this.lost(reason);
    }
  }

  /** A connection that opened at `openedAt` (if it did) ended: drop it and schedule the next attempt. */
  protected retryAfterLoss(reason: string, openedAt: number | undefined, received: boolean, minDelayMs = 0): void {
    const endedAt = this.now();
    this.drop(false);
    if (wasHealthy(openedAt, endedAt, received)) this.backoff.reset();
    this.retryLater(reason, minDelayMs, 'retrying in', endedAt);
  }
}
