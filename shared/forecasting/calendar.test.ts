import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { dayOf, eventsBetween, hijriDate, ruleDates, SENEGAL_EVENTS } from "./calendar.ts";

const rule = (name: string) => SENEGAL_EVENTS.find((r) => r.name === name)!;

Deno.test("hijriDate() reads the Umm al-Qura date: 2024-06-16 is 10 Dhu al-Hijjah 1445", () => {
  deepStrictEqual(hijriDate(dayOf("2024-06-16")), { year: 1445, month: 12, day: 10 });
});

Deno.test("ruleDates() finds the lunar feasts of 2024 (Umm al-Qura)", () => {
  deepStrictEqual(ruleDates(rule("Tabaski"), "2024-01-01", "2024-12-31"), ["2024-06-16"]);
  deepStrictEqual(ruleDates(rule("Korité"), "2024-01-01", "2024-12-31"), ["2024-04-10"]);
  deepStrictEqual(ruleDates(rule("Ramadan"), "2024-01-01", "2024-12-31"), ["2024-03-11"]);
  deepStrictEqual(ruleDates(rule("Gamou"), "2024-01-01", "2024-12-31"), ["2024-09-15"]);
  // The lunar year is 11 days shorter: Tabaski 2025 comes 10 days earlier.
  deepStrictEqual(ruleDates(rule("Tabaski"), "2025-01-01", "2025-12-31"), ["2025-06-06"]);
});

Deno.test("ruleDates() places the solar events every year", () => {
  deepStrictEqual(ruleDates(rule("Christmas"), "2023-06-01", "2025-06-01"), [
    "2023-12-25",
    "2024-12-25",
  ]);
});

Deno.test("eventsBetween() includes windows that start before the range", () => {
  const events = eventsBetween("2024-06-17", "2024-06-30");
  equal(events.length, 1);
  deepStrictEqual(events[0], {
    name: "Tabaski",
    date: "2024-06-16",
    start: "2024-06-06",
    end: "2024-06-18",
  });
});

Deno.test("eventsBetween() lists the nine Senegalese events over a year", () => {
  const names = new Set(eventsBetween("2024-01-01", "2024-12-31").map((e) => e.name));
  equal(names.size, 9);
});

Deno.test("dayOf() rejects what is not a YYYY-MM-DD date", () => {
  throws(() => dayOf("17/06/2024"), RangeError);
  throws(() => dayOf("2024-13-01"), RangeError);
});
