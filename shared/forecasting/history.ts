/**
 * Sales history as the forecasting engine accepts it: daily demand, one number a day,
 * finite and non-negative. Anything else is rejected with a {@link HistoryError}
 * naming the first bad day, so a corrupt import never turns into a silent forecast.
 *
 * @module
 */

/** Thrown when a demand history cannot be forecast: says what was expected and what was got. */
export class HistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HistoryError";
  }
}

/**
 * Checks `history` (daily demand, oldest first) and returns it as a `Float64Array`.
 * Throws a {@link HistoryError} on a value that is not a finite number ≥ 0.
 */
export function validateHistory(history: ArrayLike<unknown>): Float64Array {
  if (history === null || typeof history !== "object" || typeof history.length !== "number") {
    throw new HistoryError(`expected an array of daily demand, got ${typeof history}`);
  }
  const values = new Float64Array(history.length);
  for (let i = 0; i < history.length; i++) {
    const v = history[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new HistoryError(
        `expected a finite number of units on day ${i}, got ${
          typeof v === "number" ? String(v) : typeof v
        }`,
      );
    }
    if (v < 0) {
      throw new HistoryError(
        `expected demand ≥ 0 on day ${i}, got ${v} (returns and corrections belong in the ledger, not in demand)`,
      );
    }
    values[i] = v;
  }
  return values;
}

/** Index of the first day with a sale, or -1 when there is none. */
export function firstSale(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (values[i] > 0) return i;
  return -1;
}

/**
 * Weekday (0 = Sunday … 6 = Saturday) of each day, for `n` history days followed by
 * `h` future days. With `dates` (ISO `YYYY-MM-DD`, at least `n + h` of them) the weekdays
 * are read from the dates — a trading-day index may skip days; without, the days are
 * taken as consecutive and the last history day as weekday `(n - 1) % 7`.
 */
export function weekdaysOf(n: number, h: number, dates?: readonly string[]): Uint8Array {
  const out = new Uint8Array(n + h);
  if (dates) {
    if (dates.length < n + h) {
      throw new HistoryError(`expected ${n + h} dates (history and horizon), got ${dates.length}`);
    }
    for (let i = 0; i < n + h; i++) {
      const day = Date.parse(`${dates[i]}T00:00:00Z`);
      if (!Number.isFinite(day)) {
        throw new HistoryError(`expected a date YYYY-MM-DD at ${i}, got ${dates[i]}`);
      }
      out[i] = new Date(day).getUTCDay();
    }
  } else {
    for (let i = 0; i < n + h; i++) out[i] = i % 7;
  }
  return out;
}
