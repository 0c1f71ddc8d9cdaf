/**
 * The catalogue of methods the engine chooses from, each under a stable name (the name
 * is stored with a forecast and printed by the benchmark).
 *
 * @module
 */
import { adida, imapa } from "./aggregation.ts";
import { croston, sba, tsb } from "./intermittent.ts";
import type { Method } from "./method.ts";
import { weeklySeasonal } from "./seasonal.ts";
import { movingAverage, naive, seasonalNaive, ses } from "./simple.ts";

/** Every method, in the order the benchmark prints them. */
export const METHODS: readonly Method[] = [
  { name: "naive", forecast: (y, end, h) => naive(y, end, h) },
  { name: "seasonal_naive", forecast: seasonalNaive },
  { name: "moving_average_28", forecast: (y, end, h) => movingAverage(y, end, h, 28) },
  { name: "ses", forecast: (y, end, h) => ses(y, end, h) },
  { name: "croston", forecast: (y, end, h) => croston(y, end, h) },
  { name: "sba", forecast: (y, end, h) => sba(y, end, h) },
  { name: "tsb", forecast: (y, end, h) => tsb(y, end, h) },
  { name: "adida", forecast: (y, end, h) => adida(y, end, h) },
  { name: "imapa", forecast: (y, end, h) => imapa(y, end, h) },
  { name: "weekly_seasonal", forecast: weeklySeasonal },
];

/** The method called `name`; throws when there is none. */
export function methodNamed(name: string): Method {
  const method = METHODS.find((m) => m.name === name);
  if (!method) {
    throw new Error(
      `expected one of ${METHODS.map((m) => m.name).join(", ")}, got method "${name}"`,
    );
  }
  return method;
}
