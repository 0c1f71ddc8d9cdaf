/**
 * `deno task bench:forecast`: accuracy, calibration, replenishment policy and speed of
 * the forecasting engine (`shared/forecasting/`) on the Online Retail daily sales.
 *
 * - Time index: the trading days present in the file; a SKU absent on one sold 0.
 * - Series: SKUs with ≥ 100 selling days; each starts at its first sale.
 * - Four rolling origins, each forecasting the next 28 trading days, the last window
 *   ending on the last date. Metrics: mean RMSSE (M5 scale: one-step naive differences
 *   of the in-sample data from the first sale), RMSSE weighted by the revenue of the
 *   last 28 training days, bias (Σ forecast ÷ Σ actual − 1). Rows: every method alone,
 *   the project's method (backtest combination of the best 3) and plain selection.
 * - Calibration of the 90 % quantile of 7-day lead-time demand.
 * - Policy simulation on the test windows (daily review, lead time 7, start at the
 *   reorder point) against the static rule min = k × mean daily demand, up to 2 × min.
 * - Timing: the whole run, and forecasting + selection for a synthetic tenant of
 *   5,000 products × 365 days in one call and in chunks.
 *
 * Options: `--data=PATH` (default `../shared/data/online-retail/daily_sales.csv.gz`
 * from the repository root), `--products=5000 --days=365 --chunk=1000`.
 *
 * @module
 */
import { cpuUsage } from "node:process";
import { parseArgs } from "node:util";
import { forecastDemand, forecastSeries } from "../../shared/forecasting/forecast.ts";
import { firstSale, weekdaysOf } from "../../shared/forecasting/history.ts";
import { METHODS } from "../../shared/forecasting/methods.ts";
import { naiveScale, rmsse } from "../../shared/forecasting/metrics.ts";
import { orderUpToLevel } from "../../shared/forecasting/policy.ts";
import {
  type CurvePoint,
  curvePoint,
  dominates,
  emptyTotals,
  type SimTotals,
  simulate,
} from "./forecast_policy.ts";
import { syntheticTenant } from "./forecast_synthetic.ts";
import { DEFAULT_DATA, loadRetail } from "./retail_data.ts";

const HORIZON = 28;
const ORIGINS = 4;
const LEAD_TIME = 7;
const MIN_SELLING_DAYS = 100;
const TARGETS = [0.85, 0.9, 0.95, 0.98];
const CURVE_TARGETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 0.995];
const STATIC_K = [1, 2, 3, 4, 5, 7, 10, 14, 21, 28];
const STATIC_MEAN_DAYS = 91;

type Score = { name: string; rmsse: number[]; weights: number[]; forecast: number; actual: number };

function score(name: string): Score {
  return { name, rmsse: [], weights: [], forecast: 0, actual: 0 };
}

function record(s: Score, f: ArrayLike<number>, actual: Float64Array, scale: number, w: number) {
  s.rmsse.push(rmsse(f, actual, scale));
  s.weights.push(w);
  for (let i = 0; i < actual.length; i++) {
    s.forecast += f[i];
    s.actual += actual[i];
  }
}

function summary(s: Score) {
  let sum = 0;
  let wsum = 0;
  let wtotal = 0;
  s.rmsse.forEach((r, i) => {
    sum += r;
    wsum += r * s.weights[i];
    wtotal += s.weights[i];
  });
  return {
    mean: sum / s.rmsse.length,
    weighted: wsum / wtotal,
    bias: s.forecast / s.actual - 1,
  };
}

const pad = (text: string, width: number) => text.padEnd(width);
const num = (x: number, digits = 4) => x.toFixed(digits).padStart(9);
const pct = (x: number) => `${(100 * x).toFixed(1)} %`.padStart(9);

const args = parseArgs({
  args: Deno.args,
  options: {
    data: { type: "string" },
    products: { type: "string", default: "5000" },
    days: { type: "string", default: "365" },
    chunk: { type: "string", default: "1000" },
  },
});

const started = performance.now();
const cpuStart = cpuUsage();
const data = await loadRetail(args.values.data ?? DEFAULT_DATA);
const loaded = performance.now();
const T = data.dates.length;
const series = data.series.filter((s) => s.sellingDays >= MIN_SELLING_DAYS);
const allWeekdays = weekdaysOf(T, 0, data.dates);
const origins = Array.from({ length: ORIGINS }, (_, k) => T - (ORIGINS - k) * HORIZON);

const scores = METHODS.map((m) => score(m.name));
const project = score("project: combination of best 3 (backtest)");
const selection = score("variant: selection of best 1 (backtest)");
const hindsight = score("bound: best method per series in hindsight");
const perfectLevel = score("bound: the test window's own mean (flat)");
let covered = 0;
let cases = 0;
const coveredAt = new Map<number, [number, number]>(origins.map((o) => [o, [0, 0]]));
const policyTotals = new Map<number, SimTotals>(CURVE_TARGETS.map((t) => [t, emptyTotals()]));
const staticTotals = new Map<number, SimTotals>(STATIC_K.map((k) => [k, emptyTotals()]));
const componentCount = new Map<string, number>();
let skipped = 0;

for (const s of series) {
  const first = firstSale(s.quantity);
  for (const origin of origins) {
    const n = origin - first;
    const y = s.quantity.subarray(first, origin);
    const scale = naiveScale(y, 0, n);
    if (n < 2 || !(scale > 0)) {
      skipped++;
      continue;
    }
    const weekdays = allWeekdays.subarray(first, origin + HORIZON);
    const actual = s.quantity.subarray(origin, origin + HORIZON);
    let weight = 0;
    for (let i = Math.max(first, origin - 28); i < origin; i++) weight += s.revenue[i];
    let bestError = Infinity;
    let best: Float64Array | null = null;
    for (let m = 0; m < METHODS.length; m++) {
      const f = METHODS[m].forecast(y, n, HORIZON, weekdays);
      record(scores[m], f, actual, scale, weight);
      const error = scores[m].rmsse[scores[m].rmsse.length - 1];
      if (error < bestError) [bestError, best] = [error, f];
    }
    record(hindsight, best!, actual, scale, weight);
    let actualTotal = 0;
    for (const v of actual) actualTotal += v;
    record(
      perfectLevel,
      new Float64Array(HORIZON).fill(actualTotal / HORIZON),
      actual,
      scale,
      weight,
    );
    const options = { horizon: HORIZON, leadTime: LEAD_TIME + 1, levels: [0.9] };
    const best1 = forecastSeries(y, weekdays, { ...options, top: 1 });
    record(selection, best1.daily, actual, scale, weight);
    const combined = forecastSeries(y, weekdays, options);
    record(project, combined.daily, actual, scale, weight);
    for (const c of combined.components) componentCount.set(c, (componentCount.get(c) ?? 0) + 1);

    // Calibration: 90 % quantile of the demand over the first 7 days.
    const lead = forecastSeries(y, weekdays, { ...options, leadTime: LEAD_TIME, top: 3 });
    let leadActual = 0;
    for (let i = 0; i < LEAD_TIME; i++) leadActual += actual[i];
    cases++;
    const at = coveredAt.get(origin)!;
    at[1]++;
    if (leadActual <= lead.leadTime.quantiles["0.9"]) {
      covered++;
      at[0]++;
    }

    // Policies on the test window.
    for (const target of CURVE_TARGETS) {
      const level = orderUpToLevel(combined, target, LEAD_TIME, 1);
      simulate(actual, level, level, LEAD_TIME, s.unitPrice, policyTotals.get(target)!);
    }
    let recent = 0;
    const from = Math.max(0, n - STATIC_MEAN_DAYS);
    for (let i = from; i < n; i++) recent += y[i];
    const meanDaily = recent / (n - from);
    for (const k of STATIC_K) {
      const min = Math.round(k * meanDaily);
      simulate(actual, min, 2 * min, LEAD_TIME, s.unitPrice, staticTotals.get(k)!);
    }
  }
}
const accuracyDone = performance.now();

console.log(`# Forecasting benchmark (deno task bench:forecast)\n`);
console.log(
  `data: ${T} trading days ${data.dates[0]} … ${data.dates[T - 1]}, ${data.series.length} SKUs, ` +
    `${series.length} with ≥ ${MIN_SELLING_DAYS} selling days; origins at trading days ` +
    `${origins.join(", ")} (${origins.map((o) => data.dates[o]).join(", ")}), ` +
    `${HORIZON} days each; ${project.rmsse.length} series × origin forecasts ` +
    `(${skipped} skipped: no scale before the origin)\n`,
);
console.log(`| ${pad("method", 44)} | mean RMSSE | weighted RMSSE |      bias |`);
console.log(`|${"-".repeat(46)}|-----------:|---------------:|----------:|`);
const rows = [...scores, project, selection, hindsight, perfectLevel].map((s) => ({
  name: s.name,
  ...summary(s),
}));
for (const r of rows) {
  console.log(
    `| ${pad(r.name, 44)} | ${num(r.mean)}  | ${num(r.weighted)}      | ${pct(r.bias)} |`,
  );
}
const baselines = rows.slice(0, METHODS.length);
const bestMean = baselines.reduce((a, b) => (b.mean < a.mean ? b : a));
const bestWeighted = baselines.reduce((a, b) => (b.weighted < a.weighted ? b : a));
const p = rows[METHODS.length];
const gainMean = 1 - p.mean / bestMean.mean;
const gainWeighted = 1 - p.weighted / bestWeighted.weighted;
console.log(
  `\nbest baseline by mean RMSSE: ${bestMean.name} (${bestMean.mean.toFixed(4)}); ` +
    `project ${(100 * gainMean).toFixed(1)} % better`,
);
console.log(
  `best baseline by weighted RMSSE: ${bestWeighted.name} (${bestWeighted.weighted.toFixed(4)}); ` +
    `project ${(100 * gainWeighted).toFixed(1)} % better`,
);
const accuracyMet = gainMean >= 0.03 && gainWeighted >= 0.03;
console.log(
  `(the two "bound" rows look at the test window and are not forecasts: they show how much ` +
    `any choice among these methods, or any flat forecast, could gain)`,
);
console.log(`target ≥ 3 % better on both: ${accuracyMet ? "MET" : "NOT MET"}`);
console.log(
  `methods in the project's combinations: ${
    [...componentCount].sort((a, b) => b[1] - a[1]).map(([m, c]) => `${m} ${c}`).join(", ")
  }`,
);

const coverage = covered / cases;
const calibrationMet = coverage >= 0.88 && coverage <= 0.92;
console.log(
  `\ncalibration: the 90 % quantile of 7-day lead-time demand covered the actual in ` +
    `${covered} of ${cases} cases = ${(100 * coverage).toFixed(1)} % ` +
    `(target 88–92 %): ${calibrationMet ? "MET" : "NOT MET"}; by origin: ${
      [...coveredAt].map(([o, [c, n]]) => `${data.dates[o]} ${(100 * c / n).toFixed(1)} %`)
        .join(", ")
    }`,
);

const windowDays = ORIGINS * HORIZON;
const ours: CurvePoint[] = CURVE_TARGETS.map((t) =>
  curvePoint(`target ${(100 * t).toFixed(1)} %`, policyTotals.get(t)!, windowDays)
);
const rule: CurvePoint[] = STATIC_K.map((k) =>
  curvePoint(`k = ${k}`, staticTotals.get(k)!, windowDays)
);
console.log(
  `\npolicy simulation: review after each day's sales; an order arrives ${LEAD_TIME} trading ` +
    `days later, before that day's sales; stock starts at the reorder point; unmet demand is ` +
    `lost; stock value = mean on-hand (end of day) × unit price, summed ` +
    `over series, averaged over the ${windowDays} test days`,
);
console.log(`\n| forecast order-up-to     | realised fill rate | avg stock value (GBP) |`);
console.log(`|--------------------------|-------------------:|----------------------:|`);
for (const c of ours) {
  console.log(
    `| ${pad(c.label, 24)} | ${pct(c.fillRate).padStart(18)} | ${
      c.stockValue.toFixed(0).padStart(21)
    } |`,
  );
}
console.log(
  `\n| static min = k × mean (last ${STATIC_MEAN_DAYS} d), up to 2 × min | fill rate | avg stock value (GBP) | dominated |`,
);
console.log(
  `|---------------------------------------------|----------:|----------------------:|:---------:|`,
);
let dominatedAll = true;
for (const c of rule) {
  const d = dominates(ours, c);
  dominatedAll &&= d;
  console.log(
    `| ${pad(c.label, 43)} | ${pct(c.fillRate)} | ${c.stockValue.toFixed(0).padStart(21)} | ${
      d ? "yes" : "NO"
    }       |`,
  );
}
const within = TARGETS.map((t) => ({
  t,
  fill: policyTotals.get(t)!.served / policyTotals.get(t)!.demand,
}));
const fillMet = within.filter((w) => w.t === 0.9 || w.t === 0.95).every((w) =>
  Math.abs(w.fill - w.t) <= 0.02
);
console.log(
  `\nfill rate vs target: ${
    within.map((w) => `${(100 * w.t).toFixed(0)} % → ${(100 * w.fill).toFixed(1)} %`).join(", ")
  }; within ±2 points at 90 and 95 %: ${fillMet ? "MET" : "NOT MET"}`,
);
console.log(
  `forecast curve dominates the static rule at every point: ${dominatedAll ? "MET" : "NOT MET"}`,
);

// Speed.
const products = Number(args.values.products);
const days = Number(args.values.days);
const chunk = Number(args.values.chunk);
const tenant = syntheticTenant(products, days);
const cpuMs = (u: { user: number; system: number }) => (u.user + u.system) / 1000;
function forecastAll(list: Float64Array[]) {
  const wall = performance.now();
  const cpu = cpuUsage();
  for (const y of list) forecastDemand(y, { horizon: 28, leadTime: 7 });
  return { wall: performance.now() - wall, cpu: cpuMs(cpuUsage(cpu)) };
}
const one = forecastAll(tenant);
const chunks: { wall: number; cpu: number }[] = [];
for (let i = 0; i < tenant.length; i += chunk) chunks.push(forecastAll(tenant.slice(i, i + chunk)));
const worstChunk = Math.max(...chunks.map((c) => c.cpu));
const totalWall = performance.now() - started;
console.log(
  `\ntiming: data load ${((loaded - started) / 1000).toFixed(1)} s, accuracy + calibration + ` +
    `policies ${((accuracyDone - loaded) / 1000).toFixed(1)} s; whole run ` +
    `${(totalWall / 1000).toFixed(1)} s wall, ${
      (cpuMs(cpuUsage(cpuStart)) / 1000).toFixed(1)
    } s CPU ` +
    `(target ≤ 30 s): ${totalWall <= 30_000 ? "MET" : "NOT MET"}`,
);
console.log(
  `synthetic tenant ${products} products × ${days} days, forecasting + selection: one call ` +
    `${one.cpu.toFixed(0)} ms CPU (${one.wall.toFixed(0)} ms wall; target ≤ 1,500 ms): ` +
    `${one.cpu <= 1500 ? "MET" : "NOT MET"}; in chunks of ${chunk}: worst chunk ` +
    `${worstChunk.toFixed(0)} ms CPU (target ≤ 1,000 ms): ${
      worstChunk <= 1000 ? "MET" : "NOT MET"
    }`,
);
