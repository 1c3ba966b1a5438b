// The cut-off search both tiers use to fit their newest data into a byte budget.

/**
 * Finds the smallest cut-off in [lo, hi] for which `size(cut)` ≤ budget, `size` non-increasing.
 * Returns undefined when even `hi` does not fit.
 */
export function smallestFitting(lo: number, hi: number, budget: number, size: (cut: number) => number, integer: boolean): number | undefined {
  if (size(hi) > budget) return undefined;
  if (size(lo) <= budget) return lo;
  let a = lo; // does not fit
  let b = hi; // fits
  for (let i = 0; i < 80 && (integer ? b - a > 1 : b > a && b - a > Math.abs(b) * 1e-15); i++) {
    const mid = integer ? Math.floor((a + b) / 2) : a + (b - a) / 2;
    if (mid === a || mid === b) break;
    if (size(mid) <= budget) b = mid;
    else a = mid;
  }
  return b;
}
