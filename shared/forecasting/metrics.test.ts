import { equal, ok } from "node:assert/strict";
import { mse, naiveScale, rmsse } from "./metrics.ts";

Deno.test("naiveScale() is the mean squared one-step difference", () => {
  // differences 2, −1, 3 → (4 + 1 + 9) / 3
  equal(naiveScale([1, 3, 2, 5], 0, 4), 14 / 3);
  equal(naiveScale([0, 0, 1, 3, 2, 5], 2, 6), 14 / 3);
  equal(naiveScale([7], 0, 1), 0);
});

Deno.test("rmsse() is √(MSE ÷ scale), NaN without a scale", () => {
  equal(mse([1, 1], [2, 4]), 5);
  equal(rmsse([1, 1], [2, 4], 5), 1);
  ok(Number.isNaN(rmsse([1], [1], 0)));
});
