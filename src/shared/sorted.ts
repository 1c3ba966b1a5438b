// Binary search over ascending numbers, shared by the persisted runs (host) and chart decimation (webview).

/** The first index whose value is ≥ t (values ascending); values.length when none. */
export function lowerBound(values: readonly number[], t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] ?? Infinity) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
