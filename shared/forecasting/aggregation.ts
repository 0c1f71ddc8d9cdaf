/**
 * Temporal aggregation for intermittent demand: ADIDA (Nikolopoulos et al., 2011) sums
 * the days into buckets of `k`, forecasts the bucket totals with SES and spreads the
 * result evenly over the days; IMAPA (Petropoulos & Kourentzes, 2015) averages ADIDA
 * over the levels `1…K`. The default level is the mean interval between sales, rounded.
 * Buckets are counted back from the forecast origin, so the last bucket is complete.
 *
 * @module
 */
import { flat } from "./method.ts";
import { sesLevel } from "./simple.ts";

/** Mean number of days between sales of `y[0..end)`, rounded, at least 1. */
export function meanInterval(y: Float64Array, end: number): number {
  let sales = 0;
  for (let i = 0; i < end; i++) if (y[i] > 0) sales++;
  return sales === 0 ? 1 : Math.max(1, Math.round(end / sales));
}

/** Daily level forecast by ADIDA at aggregation level `k`. */
export function adidaLevel(y: Float64Array, end: number, k: number): number {
  const buckets = Math.floor(end / k);
  if (buckets < 2) {
    let sum = 0;
    for (let i = 0; i < end; i++) sum += y[i];
    return end > 0 ? sum / end : 0;
  }
  const totals = new Float64Array(buckets);
  for (let b = 0; b < buckets; b++) {
    const from = end - (buckets - b) * k;
    let sum = 0;
    for (let i = from; i < from + k; i++) sum += y[i];
    totals[b] = sum;
  }
  return sesLevel(totals, 0, buckets) / k;
}

/** ADIDA at level `k` (default: the mean interval between sales). */
export function adida(y: Float64Array, end: number, h: number, k?: number): Float64Array {
  return flat(adidaLevel(y, end, k ?? meanInterval(y, end)), h);
}

/** IMAPA: the mean of ADIDA over levels 1…K (default K: the mean interval, at least 2). */
export function imapa(y: Float64Array, end: number, h: number, maxLevel?: number): Float64Array {
  const top = maxLevel ?? Math.max(2, meanInterval(y, end));
  let sum = 0;
  for (let k = 1; k <= top; k++) sum += adidaLevel(y, end, k);
  return flat(sum / top, h);
}
