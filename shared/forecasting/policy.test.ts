import { equal, ok, throws } from "node:assert/strict";
import { expectedFillRate, orderUpToLevel } from "./policy.ts";
import { negativeBinomial, seededRandom } from "./random.ts";

const forecast = { daily: new Array(30).fill(4), spread: { dailyVariance: 12, exponent: 1 } };

Deno.test("expectedFillRate() rises with the order-up-to level towards 1", () => {
  let last = 0;
  for (const level of [0, 10, 20, 30, 40, 60]) {
    const f = expectedFillRate(forecast, level, 7);
    ok(f >= last, `level ${level}: ${f} < ${last}`);
    last = f;
  }
  ok(last > 0.99);
  equal(expectedFillRate({ ...forecast, daily: new Array(30).fill(0) }, 0, 7), 1);
});

Deno.test("orderUpToLevel() is the smallest level reaching the target fill rate", () => {
  for (const target of [0.85, 0.9, 0.95, 0.98]) {
    const level = orderUpToLevel(forecast, target, 7);
    ok(expectedFillRate(forecast, level, 7) >= target);
    ok(expectedFillRate(forecast, level - 1, 7) < target);
  }
  throws(() => orderUpToLevel(forecast, 1, 7), RangeError);
});

/** Fill rate of order-up-to `level` under daily review, lead time 7, NB(4, variance 12) demand. */
function simulatedFillRate(level: number, lostSales: boolean): number {
  const random = seededRandom(5);
  let net = level;
  const pipeline = new Array(7).fill(0);
  let demand = 0;
  let served = 0;
  for (let t = 0; t < 50000; t++) {
    net += pipeline.shift()!;
    const d = negativeBinomial(random, 4, 2);
    const s = Math.min(d, Math.max(0, net));
    net -= lostSales ? s : d;
    demand += d;
    served += s;
    const position = net + pipeline.reduce((a, b) => a + b, 0);
    pipeline.push(Math.max(0, level - position));
  }
  return served / demand;
}

Deno.test("orderUpToLevel() gives the target fill rate in a simulation with backorders", () => {
  for (const target of [0.9, 0.95]) {
    const fill = simulatedFillRate(orderUpToLevel(forecast, target, 7), false);
    ok(Math.abs(fill - target) < 0.015, `target ${target}: fill rate ${fill}`);
  }
});

Deno.test("orderUpToLevel() errs on the safe side when unmet demand is lost", () => {
  const fill = simulatedFillRate(orderUpToLevel(forecast, 0.9, 7), true);
  ok(fill >= 0.9 && fill < 0.97, `fill rate ${fill}`);
});
