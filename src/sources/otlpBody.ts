// Reads one OTLP/HTTP request body within a byte budget, gunzipping it when sent gzipped; the budget
// holds for the decompressed body too, so a small gzip bomb is refused before it grows.
import type { IncomingMessage } from 'node:http';
import zlib from 'node:zlib';
import { formatMiB } from './httpGet';

export type BodyOutcome =
  | { readonly ok: true; readonly body: Buffer; readonly wireBytes: number }
  | { readonly ok: false; readonly status: 400 | 413; readonly reason: string }
  /** The client went away mid-body: nobody to answer. */
  | { readonly ok: false; readonly status: 0; readonly reason: string };

export function readBody(req: IncomingMessage, maxBytes: number, gzip: boolean): Promise<BodyOutcome> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (outcome: BodyOutcome): void => {
      if (done) return;
      done = true;
      req.removeListener('data', onData);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        finish({ ok: false, status: 413, reason: `body larger than the ${formatMiB(maxBytes)} limit (pulse.limits.maxPayloadMB)` });
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', (error) => finish({ ok: false, status: 0, reason: error.message }));
    req.once('close', () => {
      if (!req.complete) finish({ ok: false, status: 0, reason: 'request aborted' });
    });
    req.once('end', () => {
      if (done) return;
      const raw = Buffer.concat(chunks, size);
      if (!gzip) {
        finish({ ok: true, body: raw, wireBytes: size });
        return;
      }
      zlib.gunzip(raw, { maxOutputLength: maxBytes }, (error, body) => {
        if (error === null) finish({ ok: true, body, wireBytes: size });
        else if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') finish({ ok: false, status: 413, reason: `gzipped body inflates past the ${formatMiB(maxBytes)} limit (pulse.limits.maxPayloadMB)` });
        else finish({ ok: false, status: 400, reason: `invalid gzip body: ${error.message}` });
      });
    });
  });
}
