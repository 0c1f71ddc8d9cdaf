/**
 * A seeded pseudo-random generator: the same numbers for the same seed, for tests,
 * simulations and reproducible schedules (where `Math.random` would not repeat).
 *
 * @module
 */

/** A source of numbers in [0, 1), like `Math.random`. */
export type Random = () => number;

/** mulberry32: a 32-bit seeded generator, good enough for simulation and bootstraps. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
