/**
 * Latency statistics for the benchmarks: nearest-rank percentiles over samples in
 * milliseconds.
 *
 * @module
 */

/** p50/p95/p99, mean and count of a set of latencies, in milliseconds. */
export type Summary = { n: number; mean: number; p50: number; p95: number; p99: number };

/** The nearest-rank `p`-th percentile (0 < p ≤ 100) of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) throw new Error("percentile() of no samples");
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Summarises latencies (any order). */
export function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, x) => sum + x, 0) / sorted.length;
  return {
    n: sorted.length,
    mean,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

/** Milliseconds with three decimals. */
export function ms(value: number): string {
  return value.toFixed(3);
}
