/**
 * Baselines for regular demand: naive, seasonal naive (weekly), moving average and
 * simple exponential smoothing (SES) with its smoothing constant chosen in-sample.
 *
 * @module
 */
import { flat } from "./method.ts";

/** Naive: every future day repeats the last observed day. */
export function naive(y: Float64Array, end: number, h: number): Float64Array {
  return flat(end > 0 ? y[end - 1] : 0, h);
}

/**
 * Seasonal naive (weekly): each future day repeats the last observed day with the same
 * weekday; a weekday never seen in the history falls back to the last day.
 */
export function seasonalNaive(
  y: Float64Array,
  end: number,
  h: number,
  weekdays: Uint8Array,
): Float64Array {
  const last = new Float64Array(7).fill(NaN);
  for (let i = end - 1, seen = 0; i >= 0 && i >= end - 21 && seen < 7; i--) {
    if (Number.isNaN(last[weekdays[i]])) {
      last[weekdays[i]] = y[i];
      seen++;
    }
  }
  const out = new Float64Array(h);
  const fallback = end > 0 ? y[end - 1] : 0;
  for (let i = 0; i < h; i++) {
    const v = last[weekdays[end + i]];
    out[i] = Number.isNaN(v) ? fallback : v;
  }
  return out;
}

/** Moving average of the last `window` days (all days when fewer). */
export function movingAverage(y: Float64Array, end: number, h: number, window = 28): Float64Array {
  const from = Math.max(0, end - window);
  let sum = 0;
  for (let i = from; i < end; i++) sum += y[i];
  return flat(end > from ? sum / (end - from) : 0, h);
}

/** Smoothing constants SES tries; the one with the least in-sample one-step error wins. */
export const SES_ALPHAS: readonly number[] = [0.05, 0.1, 0.2, 0.3, 0.5];

/**
 * SES level of `y[from..end)`: starts at the first value, then `l ← l + α (y − l)`.
 * With `alphas` of several values, returns the level of the constant whose one-step
 * in-sample squared error was smallest.
 */
export function sesLevel(
  y: Float64Array,
  from: number,
  end: number,
  alphas: readonly number[] = SES_ALPHAS,
): number {
  if (end <= from) return 0;
  let best = Infinity;
  let bestLevel = y[from];
  for (const alpha of alphas) {
    let level = y[from];
    let sse = 0;
    for (let i = from + 1; i < end; i++) {
      const e = y[i] - level;
      sse += e * e;
      level += alpha * e;
    }
    if (sse < best) {
      best = sse;
      bestLevel = level;
    }
  }
  return bestLevel;
}

/** Simple exponential smoothing, constant chosen in-sample from {@link SES_ALPHAS}. */
export function ses(y: Float64Array, end: number, h: number): Float64Array {
  return flat(sesLevel(y, 0, end), h);
}
