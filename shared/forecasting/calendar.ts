/**
 * The Senegalese calendar of events that move demand: Tabaski, Korité, Ramadan,
 * Tamkharit, Magal de Touba, Gamou (lunar, from ICU's `islamic-umalqura` calendar in
 * `Intl.DateTimeFormat`), Christmas, New Year and the school start (solar), plus the
 * events an owner declares. Each event has a window of days around it where demand
 * moves (the shopping before Tabaski, the whole month of Ramadan…).
 *
 * Lunar dates are the Umm al-Qura computation; in Senegal the date follows the local
 * moon sighting and is often one day later, so windows are a few days wide and an owner
 * can declare the exact date.
 *
 * @module
 */

/** An event occurrence: its day and the window (inclusive ISO dates) where demand moves. */
export type CalendarEvent = { name: string; date: string; start: string; end: string };

/** A recurring event: a Hijri or Gregorian month/day and its window in days around it. */
export type EventRule = {
  name: string;
  calendar: "hijri" | "gregorian";
  month: number;
  day: number;
  /** Days before the date that belong to the window. */
  before: number;
  /** Days after the date (for Ramadan, the length of the month). */
  after: number;
};

/** Default events and windows (owners may declare more, or other windows). */
export const SENEGAL_EVENTS: readonly EventRule[] = [
  { name: "Tabaski", calendar: "hijri", month: 12, day: 10, before: 10, after: 2 },
  { name: "Korité", calendar: "hijri", month: 10, day: 1, before: 7, after: 1 },
  { name: "Ramadan", calendar: "hijri", month: 9, day: 1, before: 2, after: 28 },
  { name: "Tamkharit", calendar: "hijri", month: 1, day: 10, before: 2, after: 0 },
  { name: "Magal de Touba", calendar: "hijri", month: 2, day: 18, before: 4, after: 1 },
  { name: "Gamou", calendar: "hijri", month: 3, day: 12, before: 3, after: 1 },
  { name: "Christmas", calendar: "gregorian", month: 12, day: 25, before: 7, after: 0 },
  { name: "New Year", calendar: "gregorian", month: 1, day: 1, before: 3, after: 0 },
  { name: "School start", calendar: "gregorian", month: 10, day: 1, before: 14, after: 7 },
];

const DAY = 86_400_000;
const hijriFormat = new Intl.DateTimeFormat("en-u-ca-islamic-umalqura", {
  timeZone: "UTC",
  year: "numeric",
  month: "numeric",
  day: "numeric",
});

/** Hijri (Umm al-Qura) year, month (1 = Muharram) and day of a UTC day. */
export function hijriDate(time: number): { year: number; month: number; day: number } {
  const parts = hijriFormat.formatToParts(new Date(time));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part("year"), month: part("month"), day: part("day") };
}

/** Milliseconds of an ISO date at 00:00 UTC; throws on anything else. */
export function dayOf(date: string): number {
  const time = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isFinite(time)) {
    throw new RangeError(`expected a date YYYY-MM-DD, got ${date}`);
  }
  return time;
}

/** ISO date of a UTC time. */
export function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/** The days in `[from, to]` on which `rule` falls (no window). */
export function ruleDates(rule: EventRule, from: string, to: string): string[] {
  const out: string[] = [];
  const first = dayOf(from);
  const last = dayOf(to);
  if (rule.calendar === "gregorian") {
    for (let y = new Date(first).getUTCFullYear(); y <= new Date(last).getUTCFullYear(); y++) {
      const t = Date.UTC(y, rule.month - 1, rule.day);
      if (t >= first && t <= last) out.push(isoDate(t));
    }
    return out;
  }
  for (let t = first; t <= last; t += DAY) {
    const h = hijriDate(t);
    if (h.month === rule.month && h.day === rule.day) out.push(isoDate(t));
  }
  return out;
}

const cache = new Map<string, CalendarEvent[]>();

/**
 * Every occurrence of `rules` whose window touches `[from, to]` (windows may begin before
 * `from` or end after `to`), sorted by date. Results for the default rules are cached
 * (every product of a tenant asks for the same range).
 */
export function eventsBetween(
  from: string,
  to: string,
  rules: readonly EventRule[] = SENEGAL_EVENTS,
): CalendarEvent[] {
  const key = rules === SENEGAL_EVENTS ? `${from}|${to}` : null;
  const cached = key ? cache.get(key) : undefined;
  if (cached) return cached;
  const events: CalendarEvent[] = [];
  for (const rule of rules) {
    const widen = (rule.before + rule.after + 1) * DAY;
    const dates = ruleDates(rule, isoDate(dayOf(from) - widen), isoDate(dayOf(to) + widen));
    for (const date of dates) {
      const start = isoDate(dayOf(date) - rule.before * DAY);
      const end = isoDate(dayOf(date) + rule.after * DAY);
      if (end >= from && start <= to) events.push({ name: rule.name, date, start, end });
    }
  }
  events.sort((a, b) => a.date.localeCompare(b.date) || a.name.localeCompare(b.name));
  if (key) {
    if (cache.size > 64) cache.clear();
    cache.set(key, events);
  }
  return events;
}
