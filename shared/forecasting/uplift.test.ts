import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { eventsBetween } from "./calendar.ts";
import { poisson, seededRandom } from "./random.ts";
import { eventOfDays, forecastWithCalendar, learnUplifts, upliftFactors } from "./uplift.ts";

/** ISO dates from `from`, `count` consecutive days. */
function days(from: string, count: number): string[] {
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from(
    { length: count },
    (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10),
  );
}

/** Poisson(5) demand, × `uplift` on Tabaski window days, seeded. */
function tabaskiSeries(dates: string[], uplift: number, seed = 1): number[] {
  const random = seededRandom(seed);
  const labels = eventOfDays(dates, eventsBetween(dates[0], dates[dates.length - 1]));
  return dates.map((_, i) => poisson(random, labels[i]?.name === "Tabaski" ? 5 * uplift : 5));
}

Deno.test("learnUplifts() recovers a known Tabaski uplift of 3 and no Korité uplift", () => {
  const dates = days("2021-01-01", 3 * 365);
  const uplifts = learnUplifts(tabaskiSeries(dates, 3), dates);
  const tabaski = uplifts.find((u) => u.name === "Tabaski")!;
  equal(tabaski.occurrences, 3);
  equal(tabaski.days, 39);
  // Shrunk towards 1 by 7 baseline days: expected about (3 × 39 + 7) / (39 + 7) ≈ 2.7.
  ok(tabaski.factor > 2.4 && tabaski.factor < 3.1, String(tabaski.factor));
  const korite = uplifts.find((u) => u.name === "Korité")!;
  ok(Math.abs(korite.factor - 1) < 0.15, String(korite.factor));
});

Deno.test("learnUplifts() learns nothing for an event the product has not lived through", () => {
  const dates = days("2024-07-01", 200); // after Tabaski 2024, before Tabaski 2025
  const uplifts = learnUplifts(tabaskiSeries(dates, 3), dates);
  equal(uplifts.find((u) => u.name === "Tabaski"), undefined);
});

Deno.test("upliftFactors() is the event's factor inside its window and 1 elsewhere", () => {
  const dates = ["2024-06-05", "2024-06-06", "2024-06-18", "2024-06-19"];
  const factors = upliftFactors(dates, [{ name: "Tabaski", factor: 2, occurrences: 1, days: 13 }]);
  deepStrictEqual(Array.from(factors), [1, 2, 2, 1]);
});

Deno.test("forecastWithCalendar() raises the forecast on the coming Tabaski window only", () => {
  const history = days("2022-01-01", 1236); // up to 2025-05-20
  const horizon = 28; // 2025-05-21 … 2025-06-17; Tabaski 2025-06-06, window 05-27 … 06-08
  const dates = days("2022-01-01", 1236 + horizon);
  const all = tabaskiSeries(dates, 3, 4);
  const f = forecastWithCalendar(all.slice(0, history.length), { dates, horizon });
  const day = (date: string) => f.daily[dates.indexOf(date) - history.length];
  const ratio = day("2025-06-01") / day("2025-05-22");
  ok(ratio > 2.2 && ratio < 3.3, `ratio ${ratio}`);
  ok(Math.abs(day("2025-06-12") / day("2025-05-22") - 1) < 0.2);
  ok(f.uplifts.some((u) => u.name === "Tabaski"));
  // The base methods saw deseasonalised history: ordinary days stay near 5.
  ok(Math.abs(day("2025-05-22") - 5) < 1, String(day("2025-05-22")));
});
