import { equal, ok } from "node:assert/strict";
import { cdf, expectedShortfall, normalCdf, normalQuantile, quantile } from "./distribution.ts";

const close = (a: number, b: number, tol: number) => ok(Math.abs(a - b) < tol, `${a} ≠ ${b}`);

Deno.test("quantile() of Poisson(2): P(≤3) = 0.857, P(≤4) = 0.947, so q90 = 4", () => {
  const d = { mean: 2, variance: 2 };
  equal(quantile(d, 0.5), 2);
  equal(quantile(d, 0.9), 4);
  close(cdf(d, 3), 0.857123, 1e-6);
});

Deno.test("quantile() of a negative binomial is wider than the Poisson of the same mean", () => {
  const poisson = quantile({ mean: 5, variance: 5 }, 0.95);
  const nb = quantile({ mean: 5, variance: 25 }, 0.95);
  ok(nb > poisson, `${nb} ≤ ${poisson}`);
  // NB(mean 5, size 1.25): P(0) = (1.25 / 6.25)^1.25
  close(cdf({ mean: 5, variance: 25 }, 0), Math.pow(0.2, 1.25), 1e-12);
});

Deno.test("quantile() is monotone in the level, count and normal regimes alike", () => {
  for (
    const d of [{ mean: 0.3, variance: 1 }, { mean: 40, variance: 90 }, {
      mean: 5e4,
      variance: 1e7,
    }]
  ) {
    let last = -1;
    for (const level of [0.05, 0.2, 0.5, 0.8, 0.9, 0.95, 0.99]) {
      const q = quantile(d, level);
      ok(q >= last, `level ${level}: ${q} < ${last}`);
      last = q;
    }
  }
});

Deno.test("quantile() of no demand is 0", () => {
  equal(quantile({ mean: 0, variance: 0 }, 0.99), 0);
});

Deno.test("expectedShortfall() matches the sum Σ (k − s) P(k) for a negative binomial", () => {
  const d = { mean: 4, variance: 12 };
  for (const stock of [0, 1, 3, 8]) {
    let brute = 0;
    for (let k = stock + 1; k < 400; k++) brute += (k - stock) * (cdf(d, k) - cdf(d, k - 1));
    close(expectedShortfall(d, stock), brute, 1e-6);
  }
});

Deno.test("normal helpers agree with tables", () => {
  close(normalCdf(1.2815516), 0.9, 1e-6);
  close(normalQuantile(0.975), 1.959964, 1e-5);
  close(normalQuantile(0.01), -2.326348, 1e-5);
});
