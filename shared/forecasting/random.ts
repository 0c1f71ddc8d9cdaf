/**
 * The count distributions the tests and benchmarks simulate from, drawn from a seeded
 * generator (`shared/random.ts`, re-exported here). Deterministic for a given seed;
 * never `Math.random`.
 *
 * @module
 */
import type { Random } from "../random.ts";

export { type Random, seededRandom } from "../random.ts";

/** A standard normal draw (Box–Muller). */
export function normal(random: Random): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A Gamma(shape, 1) draw (Marsaglia–Tsang, with the boost for shape < 1). */
export function gamma(random: Random, shape: number): number {
  if (shape < 1) return gamma(random, shape + 1) * Math.pow(random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Poisson(mean) draw (inversion for small means, normal approximation above 500). */
export function poisson(random: Random, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 500) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

/** A negative binomial draw with the given mean and size `r` (variance mean + mean²/r). */
export function negativeBinomial(random: Random, mean: number, size: number): number {
  if (mean <= 0) return 0;
  return poisson(random, gamma(random, size) * (mean / size));
}
