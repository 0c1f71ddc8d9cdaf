/**
 * Inventory simulation for `deno task bench:forecast`: daily review, orders arrive
 * after a fixed lead time, unmet demand is lost. Two policies: order-up-to the level
 * the forecast gives for a target fill rate, and the static rule of thumb
 * min = k × average daily demand, order up to 2 × min when the position is at or
 * below min. Both start with stock on hand equal to their reorder point.
 *
 * @module
 */

/** Totals of one simulation (add them up over series and windows). */
export type SimTotals = { demand: number; served: number; stockValueDays: number; days: number };

/** A zero total. */
export function emptyTotals(): SimTotals {
  return { demand: 0, served: 0, stockValueDays: 0, days: 0 };
}

/**
 * Simulates `demand` (one value a day) under an (s, S) policy with daily review:
 * when on hand + on order ≤ `reorderPoint`, order up to `orderUpTo`. Stock starts at
 * `reorderPoint`; `unitValue` values the end-of-day stock. Adds into `totals`.
 */
export function simulate(
  demand: ArrayLike<number>,
  reorderPoint: number,
  orderUpTo: number,
  leadTime: number,
  unitValue: number,
  totals: SimTotals,
): void {
  const arrivals = new Float64Array(demand.length + leadTime + 1);
  let onHand = reorderPoint;
  let onOrder = 0;
  for (let t = 0; t < demand.length; t++) {
    onHand += arrivals[t];
    onOrder -= arrivals[t];
    const served = Math.min(onHand, demand[t]);
    onHand -= served;
    totals.demand += demand[t];
    totals.served += served;
    const position = onHand + onOrder;
    if (position <= reorderPoint) {
      const order = orderUpTo - position;
      if (order > 0) {
        arrivals[t + leadTime] += order;
        onOrder += order;
      }
    }
    totals.stockValueDays += onHand * unitValue;
    totals.days++;
  }
}

/** A point of a fill-rate curve. */
export type CurvePoint = { label: string; fillRate: number; stockValue: number };

/**
 * Fill rate and average stock value of totals: the stock value summed over series,
 * averaged over the `windowDays` simulated days (windows × days per window).
 */
export function curvePoint(label: string, totals: SimTotals, windowDays: number): CurvePoint {
  return {
    label,
    fillRate: totals.demand > 0 ? totals.served / totals.demand : 1,
    stockValue: totals.stockValueDays / windowDays,
  };
}

/**
 * Whether `curve` dominates `point`: at `point`'s stock value (interpolating between
 * the curve's points, which need not be sorted) the curve's fill rate is at least as
 * high; beyond the curve's range only a curve point cheaper and better counts.
 */
export function dominates(curve: readonly CurvePoint[], point: CurvePoint): boolean {
  const sorted = [...curve].sort((a, b) => a.stockValue - b.stockValue);
  if (sorted.some((c) => c.stockValue <= point.stockValue && c.fillRate >= point.fillRate)) {
    return true;
  }
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1];
    const b = sorted[i];
    if (point.stockValue >= a.stockValue && point.stockValue <= b.stockValue) {
      const w = (point.stockValue - a.stockValue) / (b.stockValue - a.stockValue || 1);
      return a.fillRate + w * (b.fillRate - a.fillRate) >= point.fillRate;
    }
  }
  return false;
}
