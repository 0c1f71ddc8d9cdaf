/**
 * `forecastDemand()`: the engine's entry point for one product. It validates the
 * history, starts it at the first sale, chooses or combines methods by rolling-origin
 * backtest, and returns the daily mean, quantiles per day, over the horizon and over
 * the lead time, with the method and backtest error it used. Histories too short to
 * backtest, or without any sale, fall back and say so in `fallback`.
 *
 * @module
 */
import { type CountDistribution, quantile } from "./distribution.ts";
import { firstSale, validateHistory, weekdaysOf } from "./history.ts";
import { naiveScale } from "./metrics.ts";
import { METHODS } from "./methods.ts";
import type { Method } from "./method.ts";
import { backtest, errorSpread, planBacktest } from "./select.ts";

/** Options of {@link forecastDemand}. */
export type ForecastOptions = {
  /** Days to forecast (default 28). */
  horizon?: number;
  /** Lead time in days for the lead-time quantiles (default 7). */
  leadTime?: number;
  /** Quantile levels (default 0.5, 0.8, 0.9, 0.95, 0.98). */
  levels?: readonly number[];
  /** ISO dates of the history days followed by the horizon days (default: consecutive). */
  dates?: readonly string[];
  /** How many of the best backtested methods to average (default 3; 1 = selection). */
  top?: number;
  /** Methods to choose from (default: all of {@link METHODS}). */
  methods?: readonly Method[];
  /** Factor for each horizon day's mean (calendar uplifts); 1 where missing. */
  multipliers?: ArrayLike<number>;
};

/** Why the engine did not backtest. */
export type Fallback = { reason: "no_sales" | "short_history"; message: string };

/** Error model of the forecast: variance of a k-day total = dailyVariance · k^exponent. */
export type Spread = { dailyVariance: number; exponent: number };

/** A probabilistic demand forecast for one product. */
export type DemandForecast = {
  /** `combination`, `selection`, `fallback_mean` or `zero`. */
  method: string;
  /** Methods averaged, best first. */
  components: string[];
  /** RMSSE of the chosen forecast on the backtest windows (null without backtest). */
  backtestRmsse: number | null;
  fallback: Fallback | null;
  /** Days of history used (from the first sale). */
  historyDays: number;
  /** Expected demand of each horizon day. */
  daily: number[];
  /** Per level (as a string such as "0.9"), the quantile of each horizon day. */
  dailyQuantiles: Record<string, number[]>;
  /** Total over the horizon: mean and quantiles. */
  horizonTotal: { days: number; mean: number; quantiles: Record<string, number> };
  /** Total over the lead time: mean and quantiles. */
  leadTime: { days: number; mean: number; quantiles: Record<string, number> };
  spread: Spread;
};

/** Default quantile levels. */
export const DEFAULT_LEVELS: readonly number[] = [0.5, 0.8, 0.9, 0.95, 0.98];

/** Distribution of total demand over `days` days from day `from` of the forecast. */
export function totalDemand(
  forecast: Pick<DemandForecast, "daily" | "spread">,
  from: number,
  days: number,
): CountDistribution {
  let mean = 0;
  for (let i = from; i < from + days; i++) {
    mean += forecast.daily[Math.min(i, forecast.daily.length - 1)] ?? 0;
  }
  const { dailyVariance, exponent } = forecast.spread;
  return { mean, variance: Math.max(mean, dailyVariance * Math.pow(days, exponent)) };
}

/** Forecasts demand from `history` (units a day, oldest first). */
export function forecastDemand(
  history: ArrayLike<unknown>,
  options: ForecastOptions = {},
): DemandForecast {
  const values = validateHistory(history);
  const horizon = options.horizon ?? 28;
  const leadTime = options.leadTime ?? 7;
  if (!(Number.isInteger(horizon) && horizon >= 1)) {
    throw new RangeError(`expected a horizon of at least 1 day, got ${horizon}`);
  }
  if (!(Number.isInteger(leadTime) && leadTime >= 1)) {
    throw new RangeError(`expected a lead time of at least 1 day, got ${leadTime}`);
  }
  const h = Math.max(horizon, leadTime);
  const weekdays = weekdaysOf(values.length, h, options.dates);
  const first = firstSale(values);
  const start = first < 0 ? values.length : first;
  return forecastSeries(values.subarray(start), weekdays.subarray(start), {
    ...options,
    horizon,
    leadTime,
  });
}

/** Shortest history (days from the first sale) that is backtested. */
export const MIN_BACKTEST_DAYS = 28;

/**
 * The engine on a validated series that starts at its first sale (`y` may be empty);
 * `weekdays` covers the history and `max(horizon, leadTime)` more days.
 */
export function forecastSeries(
  y: Float64Array,
  weekdays: Uint8Array,
  options: ForecastOptions & { horizon: number; leadTime: number },
): DemandForecast {
  const { horizon, leadTime } = options;
  const levels = options.levels ?? DEFAULT_LEVELS;
  const methods = options.methods ?? METHODS;
  const n = y.length;
  const h = Math.max(horizon, leadTime);
  let daily: Float64Array;
  let spread: Spread;
  let method: string;
  let components: string[] = [];
  let backtestRmsse: number | null = null;
  let fallback: Fallback | null = null;
  const plan = n >= MIN_BACKTEST_DAYS ? planBacktest(n) : null;
  if (n === 0) {
    method = "zero";
    daily = new Float64Array(h);
    spread = { dailyVariance: 0, exponent: 1 };
    fallback = { reason: "no_sales", message: "no sale in the history: demand forecast is 0" };
  } else if (!plan) {
    let sum = 0;
    let sumSq = 0;
    for (const v of y) {
      sum += v;
      sumSq += v * v;
    }
    const mean = sum / n;
    const variance = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : mean * mean;
    method = "fallback_mean";
    daily = new Float64Array(h).fill(mean);
    // Too little history to measure errors: assume at least twice the Poisson spread
    // and a level that may be wrong (variance grows with the square of the days).
    spread = { dailyVariance: Math.max(2 * mean, variance), exponent: 2 };
    fallback = {
      reason: "short_history",
      message: `only ${n} day(s) since the first sale (backtest needs ${MIN_BACKTEST_DAYS}): ` +
        `forecast is the mean of those days, with a wide spread`,
    };
  } else {
    const top = options.top ?? 3;
    const result = backtest(y, n, weekdays, methods, plan, top);
    components = result.chosen.map((m) => methods[m].name);
    method = components.length > 1 ? "combination" : "selection";
    daily = new Float64Array(h);
    for (const m of result.chosen) {
      const f = methods[m].forecast(y, n, h, weekdays);
      for (let i = 0; i < h; i++) daily[i] += Math.max(0, f[i]) / result.chosen.length;
    }
    const scale = naiveScale(y, 0, n);
    backtestRmsse = scale > 0 ? Math.sqrt(result.chosenMse / scale) : null;
    spread = errorSpread(result.errors, plan.horizon);
  }
  if (options.multipliers) {
    for (let i = 0; i < h && i < options.multipliers.length; i++) {
      daily[i] *= options.multipliers[i];
    }
  }
  const out = Array.from(daily.subarray(0, horizon));
  const result: DemandForecast = {
    method,
    components,
    backtestRmsse,
    fallback,
    historyDays: n,
    daily: Array.from(daily),
    dailyQuantiles: {},
    horizonTotal: { days: horizon, mean: 0, quantiles: {} },
    leadTime: { days: leadTime, mean: 0, quantiles: {} },
    spread,
  };
  const horizonDist = totalDemand(result, 0, horizon);
  const leadDist = totalDemand(result, 0, leadTime);
  result.horizonTotal.mean = horizonDist.mean;
  result.leadTime.mean = leadDist.mean;
  for (const level of levels) {
    const key = String(level);
    result.dailyQuantiles[key] = out.map((_, i) => quantile(totalDemand(result, i, 1), level));
    result.horizonTotal.quantiles[key] = quantile(horizonDist, level);
    result.leadTime.quantiles[key] = quantile(leadDist, level);
  }
  result.daily = out;
  return result;
}
