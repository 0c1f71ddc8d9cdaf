/**
 * Count distributions for demand over a number of days: a negative binomial with the
 * forecast's mean and the error variance (Poisson when the variance is not above the
 * mean; a normal approximation when the counts are so large the probabilities
 * underflow). Quantiles, CDF and expected shortfall are what reorder points and
 * stock-out probabilities need.
 *
 * @module
 */

/** Demand over some days, as mean and variance in units. */
export type CountDistribution = { mean: number; variance: number };

type Shape =
  | { kind: "zero" }
  | { kind: "normal"; mean: number; sd: number }
  | { kind: "count"; p0: number; ratio: (k: number) => number };

function shape(d: CountDistribution): Shape {
  const mean = d.mean;
  if (!(mean > 1e-12)) return { kind: "zero" };
  const variance = Math.max(d.variance, mean);
  if (variance <= mean * (1 + 1e-9)) {
    if (mean > 700) return { kind: "normal", mean, sd: Math.sqrt(mean) };
    return { kind: "count", p0: Math.exp(-mean), ratio: (k) => mean / (k + 1) };
  }
  const r = (mean * mean) / (variance - mean);
  const p = r / (r + mean);
  const logP0 = r * Math.log(p);
  if (logP0 < -700) return { kind: "normal", mean, sd: Math.sqrt(variance) };
  return { kind: "count", p0: Math.exp(logP0), ratio: (k) => ((k + r) / (k + 1)) * (1 - p) };
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 -
    (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t +
        0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Inverse standard normal CDF (Acklam's rational approximation). */
export function normalQuantile(q: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269];
  const a4 = -30.66479806614716, a5 = 2.506628277459239;
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972];
  const b4 = -13.28068155288572;
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734];
  const c4 = 4.374664141464968, c5 = 2.938163982698783;
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  if (q <= 0) return -Infinity;
  if (q >= 1) return Infinity;
  if (q < 0.02425 || q > 1 - 0.02425) {
    const s = Math.sqrt(-2 * Math.log(q < 0.5 ? q : 1 - q));
    const v = (((((c[0] * s + c[1]) * s + c[2]) * s + c[3]) * s + c4) * s + c5) /
      ((((d[0] * s + d[1]) * s + d[2]) * s + d[3]) * s + 1);
    return q < 0.5 ? v : -v;
  }
  const s = q - 0.5;
  const r = s * s;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a4) * r + a5) * s /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b4) * r + 1);
}

/** The smallest whole number of units `k` with P(demand ≤ k) ≥ `level`. */
export function quantile(d: CountDistribution, level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`expected 0 < level < 1, got ${level}`);
  const s = shape(d);
  if (s.kind === "zero") return 0;
  if (s.kind === "normal") {
    return Math.max(0, Math.ceil(s.mean + s.sd * normalQuantile(level) - 0.5));
  }
  let pk = s.p0;
  let cdf = pk;
  let k = 0;
  while (cdf < level && k < 1e7) {
    pk *= s.ratio(k);
    k++;
    cdf += pk;
    if (pk === 0 && cdf < level) break;
  }
  return k;
}

/** P(demand ≤ k). */
export function cdf(d: CountDistribution, k: number): number {
  if (k < 0) return 0;
  const s = shape(d);
  if (s.kind === "zero") return 1;
  if (s.kind === "normal") return normalCdf((Math.floor(k) + 0.5 - s.mean) / s.sd);
  let pk = s.p0;
  let total = pk;
  for (let i = 0; i < Math.floor(k); i++) {
    pk *= s.ratio(i);
    total += pk;
  }
  return Math.min(1, total);
}

/** Expected units of demand above `stock`: E[(D − stock)⁺]. */
export function expectedShortfall(d: CountDistribution, stock: number): number {
  if (stock <= 0) return Math.max(0, d.mean) - Math.max(0, stock);
  const s = shape(d);
  if (s.kind === "zero") return 0;
  if (s.kind === "normal") {
    const z = (stock - s.mean) / s.sd;
    const pdf = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    return s.sd * (pdf - z * (1 - normalCdf(z)));
  }
  // E[(D − s)⁺] = mean − Σ_{k<s} P(D > k)
  let pk = s.p0;
  let below = pk;
  let sum = 0;
  for (let k = 0; k < Math.floor(stock); k++) {
    sum += 1 - below;
    pk *= s.ratio(k);
    below += pk;
  }
  return Math.max(0, d.mean - sum);
}
