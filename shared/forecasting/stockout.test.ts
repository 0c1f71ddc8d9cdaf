import { equal, ok, throws } from "node:assert/strict";
import { predictStockout, stockoutProbability } from "./stockout.ts";

const steady = { daily: new Array(10).fill(2), spread: { dailyVariance: 2, exponent: 1 } };
const dates = Array.from({ length: 10 }, (_, i) => `2026-12-${String(i + 1).padStart(2, "0")}`);

Deno.test("predictStockout() dates the day the expected demand uses up the stock", () => {
  // 2 a day: 7 units last through day 3 (8 units by the end of day 3, 0-based).
  const p = predictStockout(steady, 7, dates);
  equal(p.expectedDay, 3);
  equal(p.expectedDate, "2026-12-04");
  equal(p.horizon, 10);
  // Exactly used up at the end of day 2 counts as running out that day.
  equal(predictStockout(steady, 6).expectedDay, 2);
});

Deno.test("predictStockout() with stock beyond the horizon's demand: no date, small probability", () => {
  const p = predictStockout(steady, 40);
  equal(p.expectedDay, null);
  equal(p.expectedDate, null);
  ok(p.probability < 0.01, String(p.probability));
});

Deno.test("predictStockout() of an empty or negative stock is today, certain", () => {
  for (const stock of [0, -3]) {
    const p = predictStockout(steady, stock, dates);
    equal(p.expectedDay, 0);
    equal(p.probability, 1);
  }
});

Deno.test("predictStockout() without demand never runs out", () => {
  const none = { daily: new Array(5).fill(0), spread: { dailyVariance: 0, exponent: 1 } };
  const p = predictStockout(none, 1);
  equal(p.expectedDay, null);
  equal(p.probability, 0);
});

Deno.test("stockoutProbability() falls as stock rises and rises with the days", () => {
  let last = 1;
  for (const stock of [1, 5, 10, 15, 20, 25]) {
    const p = stockoutProbability(steady, stock, 10);
    ok(p <= last, `stock ${stock}: ${p} > ${last}`);
    last = p;
  }
  ok(stockoutProbability(steady, 10, 3) < stockoutProbability(steady, 10, 8));
  // Poisson(20) over 10 days: P(D ≥ 20) ≈ 0.5297
  ok(Math.abs(stockoutProbability(steady, 20, 10) - 0.5297) < 1e-3);
});

Deno.test("predictStockout() rejects a stock that is not a number", () => {
  throws(() => predictStockout(steady, Number.NaN), RangeError);
});
