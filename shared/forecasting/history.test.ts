import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { firstSale, HistoryError, validateHistory, weekdaysOf } from "./history.ts";

Deno.test("validateHistory() accepts whole and fractional non-negative demand", () => {
  deepStrictEqual(Array.from(validateHistory([0, 2, 0.5])), [0, 2, 0.5]);
  deepStrictEqual(validateHistory([]).length, 0);
});

Deno.test("validateHistory() rejects negative demand, naming the day", () => {
  throws(() => validateHistory([1, 0, -3]), (e: Error) => {
    ok(e instanceof HistoryError);
    ok(e.message.includes("day 2") && e.message.includes("-3"), e.message);
    return true;
  });
});

Deno.test("validateHistory() rejects corrupt values: NaN, Infinity, strings, null", () => {
  for (const bad of [[1, NaN], [Infinity], ["3"], [null]]) {
    throws(() => validateHistory(bad as unknown[]), HistoryError);
  }
  throws(() => validateHistory(null as unknown as unknown[]), HistoryError);
});

Deno.test("firstSale() finds the first day with a sale, -1 when none", () => {
  equal(firstSale([0, 0, 4, 0]), 2);
  equal(firstSale([0, 0]), -1);
});

Deno.test("weekdaysOf() reads weekdays from dates (gaps allowed) or counts days", () => {
  // 2011-12-09 is a Friday, the next trading day 2011-12-11 a Sunday.
  deepStrictEqual(Array.from(weekdaysOf(2, 1, ["2011-12-08", "2011-12-09", "2011-12-11"])), [
    4,
    5,
    0,
  ]);
  deepStrictEqual(Array.from(weekdaysOf(3, 5)), [0, 1, 2, 3, 4, 5, 6, 0]);
  throws(() => weekdaysOf(2, 1, ["2011-12-08"]), HistoryError);
  throws(() => weekdaysOf(1, 0, ["yesterday"]), HistoryError);
});
