/**
 * A synthetic tenant for the performance part of `deno task bench:forecast`: products
 * with a year of daily history, a mix of fast movers with a weekly pattern and
 * intermittent slow movers, drawn from a seeded generator.
 *
 * @module
 */
import { negativeBinomial, type Random, seededRandom } from "../../shared/forecasting/random.ts";

/** `products` series of `days` days (seeded; same seed, same tenant). */
export function syntheticTenant(products: number, days: number, seed = 7): Float64Array[] {
  const random: Random = seededRandom(seed);
  const out: Float64Array[] = [];
  for (let p = 0; p < products; p++) {
    const fast = random() < 0.3;
    const mean = fast ? 2 + 40 * random() : 0.05 + 0.8 * random();
    const size = fast ? 2 + 10 * random() : 0.3 + random();
    const weekly = Array.from({ length: 7 }, () => (fast ? 0.6 + 0.8 * random() : 1));
    const y = new Float64Array(days);
    for (let t = 0; t < days; t++) y[t] = negativeBinomial(random, mean * weekly[t % 7], size);
    out.push(y);
  }
  return out;
}
