import { deepStrictEqual, equal } from "node:assert/strict";
import { movingAverage, naive, seasonalNaive, ses, sesLevel } from "./simple.ts";

const y = (...v: number[]) => Float64Array.from(v);

Deno.test("naive() repeats the last day", () => {
  deepStrictEqual(Array.from(naive(y(1, 2, 5), 3, 2)), [5, 5]);
  deepStrictEqual(Array.from(naive(y(1, 2, 5), 2, 1)), [2]);
});

Deno.test("seasonalNaive() repeats the last day with the same weekday", () => {
  const history = y(1, 2, 3, 4, 5, 6, 7, 8, 9);
  const weekdays = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4]);
  deepStrictEqual(Array.from(seasonalNaive(history, 9, 3, weekdays)), [3, 4, 5]);
});

Deno.test("seasonalNaive() follows real weekdays when the index skips a closed day", () => {
  // Trading days Sun–Fri (no Saturday): the Sunday after a Friday repeats last Sunday.
  const weekdays = Uint8Array.from([0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5, 0]);
  const history = y(10, 1, 1, 1, 1, 1, 20, 1, 1, 1, 1, 1);
  deepStrictEqual(Array.from(seasonalNaive(history, 12, 1, weekdays)), [20]);
});

Deno.test("movingAverage() averages the last window, or all days when fewer", () => {
  deepStrictEqual(Array.from(movingAverage(y(9, 1, 2, 3), 4, 2, 3)), [2, 2]);
  deepStrictEqual(Array.from(movingAverage(y(1, 3), 2, 1, 28)), [2]);
});

Deno.test("sesLevel() with α = 0.5 on 2, 4, 4, 0 gives 1.75", () => {
  // l = 2 → 3 → 3.5 → 1.75
  equal(sesLevel(y(2, 4, 4, 0), 0, 4, [0.5]), 1.75);
});

Deno.test("ses() picks the constant with the least in-sample one-step error", () => {
  // A level shift: the largest α tracks it best and ends closest to the new level.
  const history = y(0, 0, 0, 0, 10, 10, 10, 10, 10, 10);
  const level = ses(history, 10, 1)[0];
  equal(level, sesLevel(history, 0, 10, [0.5]));
});
