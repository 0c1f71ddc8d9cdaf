/**
 * The job process of `deno task bench:alerts`: runs `evaluateAlertsJob` once, the way the
 * `alerts-evaluate` function does (config from the environment, `createDeps`, the
 * project's database client), and reports its duration and peak memory as one JSON
 * line: the largest `Deno.memoryUsage().rss` sampled every 5 ms, and the kernel's
 * high-water mark (`VmHWM` in /proc/self/status), which also covers synchronous work.
 *
 *     DATABASE_URL=… deno run -A scripts/bench/alerts_job.ts [--full]
 *
 * @module
 */
import { loadConfig } from "../../shared/config.ts";
import { openDatabase } from "../../shared/db/client.ts";
import { createDeps } from "../../shared/deps.ts";
import { evaluateAlertsJob } from "../../shared/alerts/job.ts";

/** What the job process prints. */
export type JobReport = {
  ms: number;
  counts: unknown;
  rssBaselineMb: number;
  rssPeakMb: number;
  vmHwmMb: number;
};

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

async function vmHwm(): Promise<number> {
  const status = await Deno.readTextFile("/proc/self/status").catch(() => "");
  const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

async function main(): Promise<void> {
  const full = Deno.args.includes("--full");
  const baseline = Deno.memoryUsage().rss;
  let peak = baseline;
  const timer = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 5);
  const config = loadConfig();
  const db = await openDatabase(config, { allowEmbedded: false });
  try {
    const deps = createDeps(config, db);
    const started = performance.now();
    const counts = await evaluateAlertsJob(deps, { full });
    const ms = performance.now() - started;
    peak = Math.max(peak, Deno.memoryUsage().rss);
    const report: JobReport = {
      ms,
      counts,
      rssBaselineMb: mb(baseline),
      rssPeakMb: mb(peak),
      vmHwmMb: mb(await vmHwm()),
    };
    console.log(JSON.stringify(report));
  } finally {
    clearInterval(timer);
    await db.close();
  }
}

if (import.meta.main) await main();
