/**
 * The shape every forecasting method shares: it reads daily demand `y[0..end)` (oldest
 * first, starting at the first sale) and returns the expected demand of each of the next
 * `h` days. `weekdays` gives the weekday of every day, history and horizon
 * (`weekdays.length ≥ end + h`), for the methods that know about the week.
 *
 * @module
 */

/** A point forecast of the next `h` days from `y[0..end)`. */
export type ForecastFn = (
  y: Float64Array,
  end: number,
  h: number,
  weekdays: Uint8Array,
) => Float64Array;

/** A named method. */
export type Method = { name: string; forecast: ForecastFn };

/** A forecast of `h` days all equal to `value`. */
export function flat(value: number, h: number): Float64Array {
  return new Float64Array(h).fill(value);
}
