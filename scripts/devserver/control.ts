// Misbehaviour modes, switched on by tests and demos with POST /__control/mode.
// Modes add up (latency and errors at once); `normal` clears them all.

export interface ModeState {
  latency?: { readonly ms: number; readonly path?: string };
  errors?: { readonly rate: number };
  heap?: { readonly bytes: number; readonly allocate: boolean };
  connections?: { readonly count: number };
  garbage?: true;
  stall?: true;
  flap?: true;
  huge?: { readonly bytes: number };
  http500?: true;
  html?: true;
  slowBody?: true;
  unauthorized?: { readonly token?: string };
  reset?: true;
  nested?: { readonly depth: number };
  cardinality?: { readonly count: number };
  evil?: true;
  serverError?: { readonly message: string };
  /** SSE events spread their JSON over several `data:` lines, as some servers do. */
  multiline?: true;
}

export const MODE_NAMES = [
  'normal',
  'latency',
  'errors',
  'heap',
  'connections',
  'garbage',
  'stall',
  'flap',
  'huge',
  'http500',
  'html',
  'slow-body',
  'unauthorized',
  'reset',
  'nested',
  'cardinality',
  'evil',
  'serverError',
  'multiline',
] as const;
export type ModeName = (typeof MODE_NAMES)[number];

export type ModeRequestResult = { readonly ok: true; readonly mode: ModeName } | { readonly ok: false; readonly error: string };

export class Modes {
  state: ModeState = {};
  /** Memory really held for `heap` with allocate: true, so the runtime's own numbers move too. */
  private ballast: unknown[] = [];

  /** Applies `{ mode, ...params }`; `{ mode, off: true }` switches one mode off. */
  apply(body: unknown): ModeRequestResult {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, error: 'expected a JSON object { mode, ...params }' };
    const params = body as Record<string, unknown>;
    const mode = params.mode;
    if (typeof mode !== 'string' || !(MODE_NAMES as readonly string[]).includes(mode)) {
      return { ok: false, error: `unknown mode; one of ${MODE_NAMES.join(', ')}` };
    }
    const name = mode as ModeName;
    const off = params.off === true;
    const s = this.state;
    try {
      switch (name) {
        case 'normal':
          this.state = {};
          this.ballast = [];
          break;
        case 'latency': {
          const path = params.path === undefined ? undefined : text(params.path, 'path', 200);
          s.latency = off ? undefined : { ms: num(params.ms, 'ms', 0, 60_000), ...(path !== undefined ? { path } : {}) };
          break;
        }
        case 'errors':
          s.errors = off ? undefined : { rate: num(params.rate, 'rate', 0, 1) };
          break;
        case 'heap': {
          if (off) {
            s.heap = undefined;
            this.ballast = [];
            break;
          }
          const bytes = num(params.bytes, 'bytes', 0, 8 * 1024 ** 3);
          const allocate = params.allocate === true;
          s.heap = { bytes, allocate };
          this.ballast = allocate ? allocateHeap(Math.min(bytes, 512 * 1024 ** 2)) : [];
          break;
        }
        case 'connections':
          s.connections = off ? undefined : { count: Math.round(num(params.count, 'count', 0, 1_000_000)) };
          break;
        case 'huge':
          s.huge = off ? undefined : { bytes: Math.round(num(params.bytes ?? 50 * 1024 ** 2, 'bytes', 1, 256 * 1024 ** 2)) };
          break;
        case 'nested':
          s.nested = off ? undefined : { depth: Math.round(num(params.depth ?? 10_000, 'depth', 1, 1_000_000)) };
          break;
        case 'cardinality':
          s.cardinality = off ? undefined : { count: Math.round(num(params.count ?? 10_000, 'count', 1, 200_000)) };
          break;
        case 'unauthorized': {
          const token = params.token === undefined ? undefined : text(params.token, 'token', 500);
          s.unauthorized = off ? undefined : token !== undefined ? { token } : {};
          break;
        }
        case 'serverError':
          s.serverError = off ? undefined : { message: params.message === undefined ? 'metrics backend unavailable' : text(params.message, 'message', 200_000) };
          break;
        case 'garbage':
        case 'stall':
        case 'flap':
        case 'http500':
        case 'html':
        case 'reset':
        case 'evil':
        case 'multiline':
          s[name] = off ? undefined : true;
          break;
        case 'slow-body':
          s.slowBody = off ? undefined : true;
          break;
      }
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    return { ok: true, mode: name };
  }

  /** Extra latency for a demo endpoint path, ms. */
  latencyFor(path: string): number {
    const latency = this.state.latency;
    if (!latency) return 0;
    return latency.path === undefined || latency.path === path ? latency.ms : 0;
  }

  active(): string[] {
    return Object.entries(this.state)
      .filter(([, v]) => v !== undefined)
      .map(([k]) => k);
  }
}

function num(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`${name} must be a number from ${min} to ${max}`);
  }
  return value;
}

function text(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string' || value.length > max) throw new Error(`${name} must be a string of at most ${max} characters`);
  return value;
}

/** Roughly `bytes` of live JS heap, in 1 MiB arrays of doubles. */
function allocateHeap(bytes: number): unknown[] {
  const chunks: unknown[] = [];
  const perChunk = 128 * 1024; // doubles → 1 MiB
  for (let left = bytes; left > 0; left -= perChunk * 8) chunks.push(new Array<number>(perChunk).fill(Math.random()));
  return chunks;
}
