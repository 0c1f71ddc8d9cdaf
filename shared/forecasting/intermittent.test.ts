import { equal, ok } from "node:assert/strict";
import { croston, crostonState, sba, tsb } from "./intermittent.ts";

const close = (a: number, b: number, tol = 1e-9) => ok(Math.abs(a - b) < tol, `${a} ≠ ${b}`);
const series = Float64Array.from([0, 3, 0, 0, 5, 0, 2]);

Deno.test("crostonState() smooths sizes 3, 5, 2 and intervals 2, 3, 2 (α = 0.1)", () => {
  // sizes: 3 → 3 + 0.1 (5 − 3) = 3.2 → 3.2 + 0.1 (2 − 3.2) = 3.08
  // intervals (first counted from the start): 2 → 2.1 → 2.1 + 0.1 (2 − 2.1) = 2.09
  const s = crostonState(series, 7)!;
  close(s.size, 3.08);
  close(s.interval, 2.09);
});

Deno.test("croston() forecasts size ÷ interval = 3.08 / 2.09 a day", () => {
  const f = croston(series, 7, 3);
  equal(f.length, 3);
  close(f[0], 3.08 / 2.09);
  close(f[2], 3.08 / 2.09);
});

Deno.test("sba() is Croston × (1 − α/2) = 0.95 × 3.08 / 2.09 = 1.4", () => {
  close(sba(series, 7, 1)[0], 1.4);
});

Deno.test("tsb() updates the probability every day and the size on sale days", () => {
  // p₀ = 3/7, z₀ = 10/3; day by day (β = α = 0.1):
  // 0: p = 0.385714; 1: p = 0.447143, z = 3.3; 2: p = 0.402429; 3: p = 0.362186;
  // 4: p = 0.425967, z = 3.47; 5: p = 0.383370; 6: p = 0.445033, z = 3.323
  close(tsb(series, 7, 1)[0], 0.4450333857142857 * 3.323, 1e-9);
});

Deno.test("tsb() fades a product that stopped selling; Croston does not", () => {
  const stopped = new Float64Array(60);
  stopped[0] = 5;
  stopped[1] = 5;
  ok(tsb(stopped, 60, 1)[0] < 0.05);
  close(croston(stopped, 60, 1)[0], 5);
});

Deno.test("intermittent methods forecast 0 without a sale", () => {
  const zeros = new Float64Array(10);
  equal(croston(zeros, 10, 1)[0], 0);
  equal(sba(zeros, 10, 1)[0], 0);
  equal(tsb(zeros, 10, 1)[0], 0);
});
