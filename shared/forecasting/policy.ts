/**
 * Replenishment levels from a demand forecast, for a periodic-review order-up-to
 * policy: the stock position is reviewed after the day's sales every `reviewDays`, and
 * an order placed then can be sold from `leadTime` days later (ordered Monday evening
 * with a lead time of 7, on the shelf the next Monday morning). The level is the
 * smallest stock position whose expected fill rate (share of demand served from stock)
 * reaches the target, with the protection interval `P = leadTime − 1 + reviewDays`:
 * `fill rate = 1 − (E[(D_P − S)⁺] − E[(D_{P−R} − S)⁺]) / E[D_R]`.
 *
 * @module
 */
import { expectedShortfall, quantile } from "./distribution.ts";
import { type DemandForecast, totalDemand } from "./forecast.ts";

/** Expected fill rate of order-up-to level `level`. */
export function expectedFillRate(
  forecast: Pick<DemandForecast, "daily" | "spread">,
  level: number,
  leadTime: number,
  reviewDays = 1,
): number {
  const before = leadTime - 1;
  const demandR = totalDemand(forecast, before, reviewDays).mean;
  if (demandR <= 0) return 1;
  const short = expectedShortfall(totalDemand(forecast, 0, before + reviewDays), level) -
    expectedShortfall(totalDemand(forecast, 0, before), level);
  return Math.max(0, Math.min(1, 1 - short / demandR));
}

/** The smallest whole order-up-to level whose expected fill rate reaches `target`. */
export function orderUpToLevel(
  forecast: Pick<DemandForecast, "daily" | "spread">,
  target: number,
  leadTime: number,
  reviewDays = 1,
): number {
  if (!(target > 0 && target < 1)) throw new RangeError(`expected 0 < target < 1, got ${target}`);
  let low = 0;
  let high = Math.max(1, quantile(totalDemand(forecast, 0, leadTime - 1 + reviewDays), 0.9999));
  if (expectedFillRate(forecast, low, leadTime, reviewDays) >= target) return 0;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (expectedFillRate(forecast, mid, leadTime, reviewDays) >= target) high = mid;
    else low = mid;
  }
  return high;
}
