/**
 * Calendar uplift: how much an event (Tabaski, Korité, a declared sale…) moves a
 * product's demand, learned from the product's own history across past occurrences,
 * and applied to the forecast. The history is deseasonalised first (event days divided
 * by their uplift) so the base methods see ordinary days, then the horizon days that
 * fall in an event window are multiplied back.
 *
 * Per event, the uplift is Σ demand on the window days ÷ Σ baseline, where the baseline
 * of an occurrence is the mean of the 28 ordinary days before its window (at least 14 of
 * them in the history, after the first sale); it is shrunk towards 1 by 7 baseline days
 * so that one noisy occurrence does not swing it. A day in several windows belongs to the
 * first event in the rules' order.
 *
 * @module
 */
import { type CalendarEvent, type EventRule, eventsBetween, SENEGAL_EVENTS } from "./calendar.ts";
import { type DemandForecast, forecastDemand, type ForecastOptions } from "./forecast.ts";
import { firstSale, HistoryError, validateHistory } from "./history.ts";

/** A learned uplift: demand in the event's windows ÷ ordinary demand. */
export type Uplift = { name: string; factor: number; occurrences: number; days: number };

/** Days of ordinary demand a baseline is taken from, and the fewest accepted. */
export const BASELINE_DAYS = 28;
export const MIN_BASELINE_DAYS = 14;
/** Baseline days of pseudo-evidence pulling an uplift towards 1. */
export const UPLIFT_SHRINK_DAYS = 7;

/** For each of `dates`, the event whose window holds it (first rule wins), or null. */
export function eventOfDays(
  dates: readonly string[],
  events: readonly CalendarEvent[],
  rules: readonly EventRule[] = SENEGAL_EVENTS,
): (CalendarEvent | null)[] {
  const rank = new Map(rules.map((r, i) => [r.name, i]));
  const ordered = [...events].sort((a, b) =>
    (rank.get(a.name) ?? rules.length) - (rank.get(b.name) ?? rules.length)
  );
  return dates.map((d) => ordered.find((e) => e.start <= d && d <= e.end) ?? null);
}

/** Learns the uplift of each event with at least one usable occurrence in the history. */
export function learnUplifts(
  history: ArrayLike<number>,
  dates: readonly string[],
  rules: readonly EventRule[] = SENEGAL_EVENTS,
): Uplift[] {
  const n = history.length;
  if (n === 0) return [];
  const labels = eventOfDays(
    dates.slice(0, n),
    eventsBetween(dates[0], dates[n - 1], rules),
    rules,
  );
  const first = firstSale(history);
  if (first < 0) return [];
  const totals = new Map<string, { actual: number; expected: number; occ: number; days: number }>();
  let i = 0;
  while (i < n) {
    const event = labels[i];
    if (!event) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && labels[j] === event) j++;
    // Occurrence: days i..j-1. Baseline: up to 28 ordinary days before i, after the first sale.
    let sum = 0;
    let count = 0;
    for (let k = i - 1; k >= first && count < BASELINE_DAYS; k--) {
      if (labels[k]) continue;
      sum += history[k];
      count++;
    }
    const complete = j < n || dates[n - 1] >= event.end;
    if (count >= MIN_BASELINE_DAYS && complete && i > first) {
      let actual = 0;
      for (let k = i; k < j; k++) actual += history[k];
      const t = totals.get(event.name) ?? { actual: 0, expected: 0, occ: 0, days: 0 };
      t.actual += actual;
      t.expected += (sum / count) * (j - i);
      t.occ++;
      t.days += j - i;
      totals.set(event.name, t);
    }
    i = j;
  }
  const out: Uplift[] = [];
  for (const [name, t] of totals) {
    if (t.expected <= 0) continue;
    const prior = UPLIFT_SHRINK_DAYS * (t.expected / t.days);
    out.push({
      name,
      factor: (t.actual + prior) / (t.expected + prior),
      occurrences: t.occ,
      days: t.days,
    });
  }
  return out;
}

/** Factor of each date: the uplift of the event holding it, 1 otherwise. */
export function upliftFactors(
  dates: readonly string[],
  uplifts: readonly Uplift[],
  rules: readonly EventRule[] = SENEGAL_EVENTS,
): Float64Array {
  const factors = new Float64Array(dates.length).fill(1);
  if (dates.length === 0 || uplifts.length === 0) return factors;
  const byName = new Map(uplifts.map((u) => [u.name, u.factor]));
  const labels = eventOfDays(dates, eventsBetween(dates[0], dates[dates.length - 1], rules), rules);
  labels.forEach((e, i) => {
    if (e && byName.has(e.name)) factors[i] = byName.get(e.name)!;
  });
  return factors;
}

/** A forecast with the calendar: the uplifts learned and applied. */
export type CalendarForecast = DemandForecast & { uplifts: Uplift[] };

/**
 * Forecasts with the Senegalese calendar (or `rules`): `dates` must cover the history
 * and the horizon (and the lead time when longer).
 */
export function forecastWithCalendar(
  history: ArrayLike<unknown>,
  options: ForecastOptions & { dates: readonly string[]; rules?: readonly EventRule[] },
): CalendarForecast {
  const values = validateHistory(history);
  const n = values.length;
  const h = Math.max(options.horizon ?? 28, options.leadTime ?? 7);
  if (options.dates.length < n + h) {
    throw new HistoryError(
      `expected ${n + h} dates (history and horizon), got ${options.dates.length}`,
    );
  }
  const rules = options.rules ?? SENEGAL_EVENTS;
  const uplifts = learnUplifts(values, options.dates, rules);
  const factors = upliftFactors(options.dates.slice(0, n + h), uplifts, rules);
  const adjusted = values.map((v, i) => v / factors[i]);
  const forecast = forecastDemand(adjusted, { ...options, multipliers: factors.subarray(n) });
  return { ...forecast, uplifts };
}
