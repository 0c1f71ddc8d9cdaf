/**
 * Methods for intermittent demand: Croston (1972), the Syntetos–Boylan approximation
 * (SBA, 2005) and Teunter–Syntetos–Babai (TSB, 2011), with the constants of the
 * literature (α = β = 0.1).
 *
 * Croston smooths the non-zero demand sizes `z` and the intervals `q` between them
 * separately (each SES started at its first value; the first interval counts from the
 * start of the history, `q₁ = t₁ + 1`) and forecasts `ẑ / q̂` a day; SBA multiplies that
 * by `1 − α/2` to remove Croston's bias. TSB smooths the probability of a sale `p`
 * every day (`p ← p + β (1{y>0} − p)`) and the size `z` on sale days only
 * (`z ← z + α (y − z)`), starting from the history's share of sale days and its mean
 * size, and forecasts `p · z`, so a product that stopped selling fades out.
 *
 * @module
 */
import { flat } from "./method.ts";

/** Default smoothing constant for sizes and intervals (Croston, SBA, TSB). */
export const INTERMITTENT_ALPHA = 0.1;
/** Default smoothing constant for the probability of a sale (TSB). */
export const TSB_BETA = 0.1;

/** Croston's smoothed size and interval of `y[0..end)`; `null` when there is no sale. */
export function crostonState(
  y: Float64Array,
  end: number,
  alpha = INTERMITTENT_ALPHA,
): { size: number; interval: number } | null {
  let size = NaN;
  let interval = NaN;
  let last = -1;
  for (let i = 0; i < end; i++) {
    if (y[i] <= 0) continue;
    const q = i - last;
    if (last < 0) {
      size = y[i];
      interval = q;
    } else {
      size += alpha * (y[i] - size);
      interval += alpha * (q - interval);
    }
    last = i;
  }
  return last < 0 ? null : { size, interval };
}

/** Croston: smoothed size ÷ smoothed interval. */
export function croston(y: Float64Array, end: number, h: number, alpha = INTERMITTENT_ALPHA) {
  const s = crostonState(y, end, alpha);
  return flat(s ? s.size / s.interval : 0, h);
}

/** SBA: Croston × (1 − α/2). */
export function sba(y: Float64Array, end: number, h: number, alpha = INTERMITTENT_ALPHA) {
  const s = crostonState(y, end, alpha);
  return flat(s ? (1 - alpha / 2) * s.size / s.interval : 0, h);
}

/** TSB: smoothed probability of a sale × smoothed size of a sale. */
export function tsb(
  y: Float64Array,
  end: number,
  h: number,
  alpha = INTERMITTENT_ALPHA,
  beta = TSB_BETA,
): Float64Array {
  let sales = 0;
  let units = 0;
  for (let i = 0; i < end; i++) {
    if (y[i] > 0) {
      sales++;
      units += y[i];
    }
  }
  if (sales === 0) return flat(0, h);
  let p = sales / end;
  let z = units / sales;
  for (let i = 0; i < end; i++) {
    if (y[i] > 0) {
      p += beta * (1 - p);
      z += alpha * (y[i] - z);
    } else {
      p -= beta * p;
    }
  }
  return flat(p * z, h);
}
