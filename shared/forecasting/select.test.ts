import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { methodNamed, METHODS } from "./methods.ts";
import { backtest, errorSpread, planBacktest } from "./select.ts";
import { seededRandom } from "./random.ts";

Deno.test("planBacktest() uses 3 windows of 28 days on long histories, shorter on short", () => {
  deepStrictEqual(planBacktest(365), { horizon: 28, windows: 3 });
  deepStrictEqual(planBacktest(40), { horizon: 10, windows: 3 });
  equal(planBacktest(27), null);
});

Deno.test("backtest() ranks a weekly method first on a strong weekly pattern", () => {
  const pattern = [0, 30, 30, 30, 30, 60, 5];
  const days = 200;
  const random = seededRandom(3);
  const y = Float64Array.from(
    { length: days },
    (_, i) => pattern[i % 7] + Math.floor(3 * random()),
  );
  const weekdays = Uint8Array.from({ length: days + 28 }, (_, i) => i % 7);
  const result = backtest(y, days, weekdays, METHODS, { windows: 3, horizon: 28 }, 1);
  const best = METHODS[result.chosen[0]].name;
  ok(best === "weekly_seasonal" || best === "seasonal_naive", best);
  equal(result.errors.length, 84);
});

Deno.test("backtest() with top = 3 averages three methods", () => {
  const y = Float64Array.from({ length: 120 }, (_, i) => (i % 3 === 0 ? 2 : 0));
  const weekdays = Uint8Array.from({ length: 148 }, (_, i) => i % 7);
  const result = backtest(y, 120, weekdays, METHODS, { windows: 3, horizon: 28 }, 3);
  equal(result.chosen.length, 3);
  ok(result.chosenMse <= Math.max(...result.chosen.map((m) => result.mse[m])) + 1e-12);
});

Deno.test("errorSpread() finds exponent 1 for independent errors and 2 for a constant bias", () => {
  const random = seededRandom(9);
  const noise = Float64Array.from({ length: 28 * 30 }, () => random() - 0.5);
  ok(Math.abs(errorSpread(noise, 28).exponent - 1) < 0.15);
  deepStrictEqual(errorSpread(new Float64Array(56).fill(2), 28), { dailyVariance: 4, exponent: 2 });
});

Deno.test("methodNamed() finds a method and names the choices when it cannot", () => {
  equal(methodNamed("tsb").name, "tsb");
  try {
    methodNamed("prophet");
    ok(false);
  } catch (e) {
    ok((e as Error).message.includes("croston"));
  }
});
