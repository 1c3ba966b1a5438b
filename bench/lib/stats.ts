// Medians, quartiles and the interleaved A/B method every timing figure uses.

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (b - a) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export interface Spread {
  readonly median: number;
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), q1: quantile(values, 0.25), q3: quantile(values, 0.75), min: Math.min(...values), max: Math.max(...values) };
}

export interface AbOptions {
  readonly rounds: number;
  readonly warmup: number;
  /** One round of Pulse; returns its measure (ms, or a rate). */
  a(round: number): number | Promise<number>;
  /** One round of the baseline, same measure. */
  b(round: number): number | Promise<number>;
}

export interface AbResult {
  readonly a: readonly number[];
  readonly b: readonly number[];
  /** a / b per round. */
  readonly ratios: readonly number[];
  readonly ratio: Spread;
}

/**
 * Warm-up rounds (discarded), then A and B alternated, starting with A on even rounds and B on odd
 * ones (ABBAABBA…), so a machine getting busier or calmer hits both sides alike.
 */
export async function interleaved(options: AbOptions): Promise<AbResult> {
  for (let i = 0; i < options.warmup; i++) {
    await options.a(-1);
    await options.b(-1);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < options.rounds; i++) {
    if (i % 2 === 0) {
      a.push(await options.a(i));
      b.push(await options.b(i));
    } else {
      b.push(await options.b(i));
      a.push(await options.a(i));
    }
  }
  const ratios = a.map((x, i) => x / (b[i] ?? NaN));
  return { a, b, ratios, ratio: spread(ratios) };
}

export function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc');
  collect();
  collect();
}

export function nowMs(): number {
  return performance.now();
}
