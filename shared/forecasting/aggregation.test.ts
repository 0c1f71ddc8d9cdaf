import { equal, ok } from "node:assert/strict";
import { adida, adidaLevel, imapa, meanInterval } from "./aggregation.ts";
import { sesLevel } from "./simple.ts";

const close = (a: number, b: number) => ok(Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

Deno.test("meanInterval() is days ÷ sales, rounded", () => {
  equal(meanInterval(Float64Array.from([1, 0, 0, 2, 0, 0]), 6), 3);
  equal(meanInterval(new Float64Array(4), 4), 1);
});

Deno.test("adidaLevel() sums buckets back from the origin and spreads the SES level", () => {
  // 9 days, k = 2: the oldest day is left out; buckets 0+2, 0+0, 4+0, 3+1 = 2, 0, 4, 4.
  const y = Float64Array.from([7, 0, 2, 0, 0, 4, 0, 3, 1]);
  close(adidaLevel(y, 9, 2), sesLevel(Float64Array.from([2, 0, 4, 4]), 0, 4) / 2);
  close(adida(y, 9, 1, 2)[0], adidaLevel(y, 9, 2));
});

Deno.test("imapa() averages ADIDA over levels 1…K", () => {
  const y = Float64Array.from([1, 0, 2, 0, 0, 4, 0, 3, 1, 0, 0, 2]);
  const expected = (adidaLevel(y, 12, 1) + adidaLevel(y, 12, 2) + adidaLevel(y, 12, 3)) / 3;
  close(imapa(y, 12, 1, 3)[0], expected);
});

Deno.test("ADIDA with too few buckets falls back to the mean", () => {
  close(adidaLevel(Float64Array.from([1, 2, 3]), 3, 2), 2);
});
