import { deepStrictEqual, ok } from "node:assert/strict";
import { negativeBinomial, poisson, seededRandom } from "./random.ts";

Deno.test("seededRandom() repeats its sequence for a seed", () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  deepStrictEqual([a(), a(), a()], [b(), b(), b()]);
});

Deno.test("poisson() and negativeBinomial() draw with the right mean and variance", () => {
  const random = seededRandom(1);
  const draws = (f: () => number) => {
    const xs = Array.from({ length: 20000 }, f);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    return { mean, variance };
  };
  const p = draws(() => poisson(random, 3));
  ok(Math.abs(p.mean - 3) < 0.05 && Math.abs(p.variance - 3) < 0.15, JSON.stringify(p));
  const nb = draws(() => negativeBinomial(random, 4, 2)); // variance 4 + 16 / 2 = 12
  ok(Math.abs(nb.mean - 4) < 0.1 && Math.abs(nb.variance - 12) < 0.8, JSON.stringify(nb));
});
