// Which endpoint "Go to Handler" should look for, from an endpoint row or an alert's series. Pure.
import type { WebviewMessage } from '../../src/shared/requests';
import { labelsOfSeriesId } from '../sections/seriesId';
import { safeText } from '../ui/text';

export interface HandlerTarget {
  /** Upper-case HTTP method, or null when unknown (any method matches). */
  readonly method: string | null;
  readonly path: string;
}

const MAX_PATH = 2048;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f]/;

/** A target the host will accept (see parseWebviewMessage), or null: paths must start with '/'. */
export function handlerTarget(method: string | null | undefined, path: string): HandlerTarget | null {
  if (!path.startsWith('/') || path.length > MAX_PATH || CONTROL.test(path)) return null;
  const upper = typeof method === 'string' ? method.toUpperCase() : '';
  return { method: /^[A-Z]{1,10}$/.test(upper) ? upper : null, path };
}

/** The endpoint an alert's series is about: its `path` (or `route`) label, and `method` when present. */
export function handlerTargetOfSeries(seriesId: string | null): HandlerTarget | null {
  if (seriesId == null) return null;
  const labels = labelsOfSeriesId(seriesId);
  if (!labels) return null;
  const get = (k: string) => labels.find(([key]) => key === k)?.[1];
  const path = get('path') ?? get('route');
  return path === undefined ? null : handlerTarget(get('method') ?? null, path);
}

/** "GET /api/users" (shortened for labels). */
export function targetText(t: HandlerTarget): string {
  return safeText(t.method ? `${t.method} ${t.path}` : t.path, 120);
}

export function goToHandlerMessage(t: HandlerTarget): WebviewMessage {
  return { type: 'goToHandler', method: t.method, path: t.path };
}
