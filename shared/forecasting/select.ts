/**
 * Per-series choice by rolling-origin backtest: every method forecasts the last few
 * windows of the history from the data before each window; the methods are ranked by
 * their mean squared error over those windows, and the forecast is the equal-weight
 * mean of the best `top` (with `top = 1` it is plain selection). The same windows give
 * the errors of the chosen forecast, from which the spread of demand is modelled.
 *
 * @module
 */
import type { Method } from "./method.ts";

/** Backtest design: `windows` windows of `horizon` days, ending at the end of the history. */
export type BacktestPlan = { windows: number; horizon: number };

/** What the backtest found for one series. */
export type Backtest = {
  plan: BacktestPlan;
  /** First day of each window. */
  origins: number[];
  /** Backtest MSE of each method, in the order of the methods given. */
  mse: Float64Array;
  /** Indices of the chosen methods, best first. */
  chosen: number[];
  /** MSE of the chosen combination. */
  chosenMse: number;
  /** Daily errors (actual − forecast) of the chosen combination, window after window. */
  errors: Float64Array;
};

/** Windows for `n` days of history: up to 3 × 28 days, never more than a quarter each. */
export function planBacktest(n: number, maxHorizon = 28, maxWindows = 3): BacktestPlan | null {
  const horizon = Math.min(maxHorizon, Math.floor(n / 4));
  if (horizon < 7) return null;
  return { horizon, windows: Math.min(maxWindows, Math.floor(n / horizon) - 1) };
}

/** Runs the backtest of `methods` on `y[0..end)` and picks the best `top`. */
export function backtest(
  y: Float64Array,
  end: number,
  weekdays: Uint8Array,
  methods: readonly Method[],
  plan: BacktestPlan,
  top: number,
): Backtest {
  const { windows, horizon } = plan;
  const origins: number[] = [];
  for (let w = windows; w >= 1; w--) origins.push(end - w * horizon);
  const forecasts: Float64Array[][] = methods.map(() => []);
  const mse = new Float64Array(methods.length);
  for (let m = 0; m < methods.length; m++) {
    let sum = 0;
    for (const origin of origins) {
      const f = methods[m].forecast(y, origin, horizon, weekdays);
      forecasts[m].push(f);
      for (let i = 0; i < horizon; i++) {
        const e = y[origin + i] - f[i];
        sum += e * e;
      }
    }
    mse[m] = sum / (origins.length * horizon);
  }
  const ranked = [...mse.keys()].sort((a, b) => mse[a] - mse[b] || a - b);
  const chosen = ranked.slice(0, Math.max(1, Math.min(top, methods.length)));
  const errors = new Float64Array(origins.length * horizon);
  let sum = 0;
  origins.forEach((origin, w) => {
    for (let i = 0; i < horizon; i++) {
      let f = 0;
      for (const m of chosen) f += forecasts[m][w][i];
      const e = y[origin + i] - f / chosen.length;
      errors[w * horizon + i] = e;
      sum += e * e;
    }
  });
  return { plan, origins, mse, chosen, chosenMse: sum / errors.length, errors };
}

/**
 * Spread of the chosen forecast's errors: variance of a one-day error, and the exponent
 * `a` with which the variance of a `k`-day total grows (`v₁ · kᵃ`, 1 ≤ a ≤ 2: 1 for
 * independent days, 2 for a level error that persists), measured on `span`-day totals.
 */
export function errorSpread(
  errors: Float64Array,
  horizon: number,
  span = 7,
): { dailyVariance: number; exponent: number } {
  let v1 = 0;
  for (const e of errors) v1 += e * e;
  v1 /= errors.length;
  const k = Math.min(span, horizon);
  if (k < 2 || v1 === 0) return { dailyVariance: v1, exponent: 1 };
  let vk = 0;
  let count = 0;
  for (let start = 0; start < errors.length; start += horizon) {
    for (let s = start; s + k <= start + horizon; s++) {
      let total = 0;
      for (let i = s; i < s + k; i++) total += errors[i];
      vk += total * total;
      count++;
    }
  }
  vk /= count;
  const exponent = Math.log(vk / v1) / Math.log(k);
  return { dailyVariance: v1, exponent: Math.min(2, Math.max(1, exponent)) };
}
