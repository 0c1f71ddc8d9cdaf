/**
 * Stock-out prediction from a demand forecast and the stock on hand: the day the
 * expected cumulative demand reaches the stock (the expected stock-out date), and the
 * probability that demand reaches the stock within the horizon (or within any number
 * of days), from the forecast's count distribution.
 *
 * @module
 */
import { cdf } from "./distribution.ts";
import { type DemandForecast, totalDemand } from "./forecast.ts";

/** When a product is expected to run out, and how likely that is within the horizon. */
export type StockoutPrediction = {
  /** 0-based horizon day during which the expected demand uses up the stock; null: not within the horizon. */
  expectedDay: number | null;
  /** ISO date of `expectedDay` when horizon dates were given. */
  expectedDate: string | null;
  /** P(demand over the horizon ≥ stock on hand). */
  probability: number;
  /** Days considered. */
  horizon: number;
};

/** P(total demand of the first `days` days ≥ `stock`). */
export function stockoutProbability(
  forecast: Pick<DemandForecast, "daily" | "spread">,
  stock: number,
  days: number,
): number {
  if (stock <= 0) return 1;
  return Math.max(0, Math.min(1, 1 - cdf(totalDemand(forecast, 0, days), Math.ceil(stock) - 1)));
}

/**
 * Predicts the stock-out of `stock` units under `forecast`. `dates` (optional) are the
 * ISO dates of the horizon days.
 */
export function predictStockout(
  forecast: Pick<DemandForecast, "daily" | "spread">,
  stock: number,
  dates?: readonly string[],
): StockoutPrediction {
  if (!Number.isFinite(stock)) throw new RangeError(`expected a finite stock, got ${stock}`);
  const horizon = forecast.daily.length;
  let expectedDay: number | null = null;
  if (stock <= 0) expectedDay = 0;
  else {
    let cumulative = 0;
    for (let d = 0; d < horizon; d++) {
      cumulative += forecast.daily[d];
      if (cumulative >= stock) {
        expectedDay = d;
        break;
      }
    }
  }
  return {
    expectedDay,
    expectedDate: expectedDay !== null && dates ? dates[expectedDay] ?? null : null,
    probability: stockoutProbability(forecast, stock, horizon),
    horizon,
  };
}
