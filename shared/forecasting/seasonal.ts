/**
 * A weekly-seasonal method for fast movers: a day-of-week profile (multiplicative,
 * from the last 26 weeks, shrunk towards 1 by two pseudo-weeks of average days) times
 * a daily level from SES on 7-day totals (counted back from the origin, so the level
 * carries no weekly pattern whichever weekday the history ends on). Weekdays come
 * from the calendar, so a shop closed on Saturdays or a trading-day index with gaps
 * is handled.
 *
 * @module
 */
import { adidaLevel } from "./aggregation.ts";
import { flat } from "./method.ts";

/** Days the weekday profile is estimated from. */
export const PROFILE_DAYS = 182;
/** Pseudo-observations pulling each weekday's index towards 1. */
export const PROFILE_SHRINK = 2;

/** Weekday indices (mean 1 on an average day) of `y[0..end)`, shrunk towards 1. */
export function weekdayProfile(y: Float64Array, end: number, weekdays: Uint8Array): Float64Array {
  const sums = new Float64Array(7);
  const counts = new Float64Array(7);
  const from = Math.max(0, end - PROFILE_DAYS);
  let total = 0;
  for (let i = from; i < end; i++) {
    sums[weekdays[i]] += y[i];
    counts[weekdays[i]]++;
    total += y[i];
  }
  const profile = new Float64Array(7).fill(1);
  if (total <= 0) return profile;
  const mean = total / (end - from);
  for (let w = 0; w < 7; w++) {
    profile[w] = (sums[w] + PROFILE_SHRINK * mean) / (counts[w] + PROFILE_SHRINK) / mean;
  }
  return profile;
}

/** Weekly-seasonal forecast: level from SES on 7-day totals × weekday index. */
export function weeklySeasonal(
  y: Float64Array,
  end: number,
  h: number,
  weekdays: Uint8Array,
): Float64Array {
  if (end === 0) return flat(0, h);
  const profile = weekdayProfile(y, end, weekdays);
  const level = adidaLevel(y, end, 7);
  const out = new Float64Array(h);
  for (let i = 0; i < h; i++) out[i] = level * profile[weekdays[end + i]];
  return out;
}
