import { ok } from "node:assert/strict";
import { weekdayProfile, weeklySeasonal } from "./seasonal.ts";

Deno.test("weeklySeasonal() reproduces a steady weekly pattern", () => {
  const pattern = [2, 10, 10, 10, 10, 20, 0];
  const days = 16 * 7;
  const y = Float64Array.from({ length: days }, (_, i) => pattern[i % 7]);
  const weekdays = Uint8Array.from({ length: days + 7 }, (_, i) => i % 7);
  const f = weeklySeasonal(y, days, 7, weekdays);
  // Shrinkage pulls each weekday slightly towards the mean; the shape stays.
  ok(f[5] > f[1] && f[1] > f[0] && f[0] > f[6], Array.from(f).join(", "));
  const total = f.reduce((a, b) => a + b, 0);
  ok(Math.abs(total - 62) < 1, `weekly total ${total}`);
});

Deno.test("weekdayProfile() is 1 everywhere without sales", () => {
  const p = weekdayProfile(new Float64Array(14), 14, new Uint8Array(14));
  ok(p.every((v) => v === 1));
});
