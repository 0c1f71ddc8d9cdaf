/**
 * Accuracy measures of the M5 competition: RMSSE scales the squared error by the mean
 * squared one-step naive difference of the in-sample history (from the first sale on),
 * so series of any size compare.
 *
 * @module
 */

/** Mean of (y_t − y_{t−1})² over `y[from..end)`; 0 when there are fewer than two days. */
export function naiveScale(y: ArrayLike<number>, from: number, end: number): number {
  if (end - from < 2) return 0;
  let sum = 0;
  for (let i = from + 1; i < end; i++) {
    const d = y[i] - y[i - 1];
    sum += d * d;
  }
  return sum / (end - from - 1);
}

/** Mean squared error of `forecast` against `actual` (same length). */
export function mse(forecast: ArrayLike<number>, actual: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < forecast.length; i++) {
    const e = actual[i] - forecast[i];
    sum += e * e;
  }
  return sum / forecast.length;
}

/** RMSSE: √(MSE ÷ scale); `NaN` when the scale is 0 (a flat history cannot be scaled). */
export function rmsse(forecast: ArrayLike<number>, actual: ArrayLike<number>, scale: number) {
  return scale > 0 ? Math.sqrt(mse(forecast, actual) / scale) : NaN;
}
