import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { forecastDemand } from "./forecast.ts";
import { HistoryError } from "./history.ts";
import { negativeBinomial, poisson, type Random, seededRandom } from "./random.ts";

Deno.test("forecastDemand() of an all-zero history is 0 and says there was no sale", () => {
  const f = forecastDemand(new Array(90).fill(0), { horizon: 14 });
  equal(f.method, "zero");
  equal(f.fallback?.reason, "no_sales");
  ok(f.daily.every((v) => v === 0));
  equal(f.leadTime.quantiles["0.95"], 0);
});

Deno.test("forecastDemand() of a new product with 3 days falls back to their mean, and says so", () => {
  const f = forecastDemand([2, 0, 4], { horizon: 7, leadTime: 7 });
  equal(f.method, "fallback_mean");
  equal(f.fallback?.reason, "short_history");
  ok(f.fallback!.message.includes("3 day"), f.fallback!.message);
  deepStrictEqual(f.daily, new Array(7).fill(2));
  equal(f.backtestRmsse, null);
  // A wide upper tail: well above the mean of 14 units.
  ok(f.leadTime.quantiles["0.9"] > 20, JSON.stringify(f.leadTime));
});

Deno.test("forecastDemand() starts the history at the first sale", () => {
  // One sale after years of zeros is a new product with 1 day of history.
  const history = [...new Array(700).fill(0), 5];
  const f = forecastDemand(history);
  equal(f.historyDays, 1);
  equal(f.method, "fallback_mean");
  equal(f.daily[0], 5);
});

Deno.test("forecastDemand() of a single sale long ago forecasts little demand", () => {
  const history = [3, ...new Array(200).fill(0)];
  const f = forecastDemand(history);
  ok(f.method === "combination", f.method);
  ok(f.daily[0] < 0.1, String(f.daily[0]));
  ok(f.leadTime.quantiles["0.5"] === 0);
});

Deno.test("forecastDemand() rejects negative or corrupt history with a HistoryError", () => {
  throws(() => forecastDemand([1, 2, -1]), HistoryError);
  throws(() => forecastDemand([1, Number.NaN]), HistoryError);
  throws(() => forecastDemand([1, "2"] as unknown[]), HistoryError);
  throws(() => forecastDemand([1, 2], { horizon: 0 }), RangeError);
});

Deno.test("forecastDemand() quantiles rise with the level, per day, over the horizon and lead time", () => {
  const random = seededRandom(11);
  const history = Array.from({ length: 200 }, () => negativeBinomial(random, 3, 1.5));
  const f = forecastDemand(history, { horizon: 28, leadTime: 10 });
  const levels = Object.keys(f.leadTime.quantiles).map(Number).sort((a, b) => a - b);
  for (let i = 1; i < levels.length; i++) {
    const [lo, hi] = [String(levels[i - 1]), String(levels[i])];
    ok(f.leadTime.quantiles[hi] >= f.leadTime.quantiles[lo]);
    ok(f.horizonTotal.quantiles[hi] >= f.horizonTotal.quantiles[lo]);
    ok(f.dailyQuantiles[hi].every((q, d) => q >= f.dailyQuantiles[lo][d]));
  }
  equal(f.daily.length, 28);
  equal(f.leadTime.days, 10);
  ok(f.components.length === 3 && f.backtestRmsse! > 0);
});

/** Share of simulated products whose next-7-day demand is ≤ the forecast's 90 % quantile. */
function coverage(draw: (random: Random, mean: number) => number, seed: number) {
  const random = seededRandom(seed);
  let covered = 0;
  const products = 300;
  for (let p = 0; p < products; p++) {
    const mean = 0.2 + 6 * random();
    const series = Array.from({ length: 180 + 7 }, () => draw(random, mean));
    const f = forecastDemand(series.slice(0, 180), { horizon: 7, leadTime: 7, levels: [0.9] });
    const actual = series.slice(180).reduce((a, b) => a + b, 0);
    if (actual <= f.leadTime.quantiles["0.9"]) covered++;
  }
  return covered / products;
}

Deno.test("the 90 % lead-time quantile covers about 90 % of simulated Poisson demand", () => {
  const c = coverage((random, mean) => poisson(random, mean), 21);
  ok(c >= 0.85 && c <= 0.95, `coverage ${c}`);
});

Deno.test("the 90 % lead-time quantile covers about 90 % of simulated negative binomial demand", () => {
  const c = coverage((random, mean) => negativeBinomial(random, mean, 0.8), 22);
  ok(c >= 0.85 && c <= 0.95, `coverage ${c}`);
});
