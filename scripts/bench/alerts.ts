/**
 * `deno task bench:alerts`: the alert evaluation (`app.evaluate_alerts`) at scale on real
 * Postgres 15.
 *
 *     deno task bench:alerts                 # 1,000 tenants × 500 products, own cluster
 *     deno task bench:alerts --quick         # 100 tenants, a sanity run
 *     DATABASE_URL=postgres://… deno task bench:alerts   # a new database there, dropped after
 *     deno task bench:alerts --patch=scratch.sql          # applies SQL (e.g. a `create or
 *                                                         # replace function`) to the bench
 *                                                         # database only, before measuring
 *
 * Options: `--tenants=N --products=N --cycles=N (incremental, default 7) --idle=N
 * (default 3) --repeats=N (rolled-back full evaluations, default 3) --changes=N (default
 * 1 % of the products) --no-explain --hold` (`--hold`: keep the database after the run,
 * until SIGINT or SIGTERM, to try changes with psql).
 *
 * One run, in order (data set: `alerts_seed.ts`):
 *
 * 1. bare SQL reference over every stock row, 3 times (`alerts_sql.ts`, `barePass`);
 * 2. the full first evaluation `app.evaluate_alerts(now(), true, null)`: `--repeats`
 *    times in a transaction rolled back, then once for real through `evaluateAlertsJob`
 *    in a separate process (`alerts_job.ts`, Twilio configured but unreachable), which
 *    reports its duration and peak RSS;
 * 3. `--cycles` incremental cycles: 1 % of the products change through one ledger
 *    statement, then the bare reference over the changed products, then
 *    `app.evaluate_alerts(now(), false, null)` (autocommit: commit included);
 * 4. `--idle` incremental cycles with nothing changed;
 * 5. one more change, evaluated by the job process (peak RSS of an incremental run);
 * 6. `EXPLAIN (ANALYZE, BUFFERS)` of the slowest statements inside a full and an
 *    incremental evaluation, through `auto_explain` (rolled back).
 *
 * Each result line carries the load average at that moment. Goals (issue 6): full ≤ 2 s,
 * incremental ≤ 0.25 s, job RSS well under 256 MB; reported, not enforced.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { createClient, type Sql } from "../../shared/db/client.ts";
import { migrate } from "../../shared/db/migrate.ts";
import { type AlertSeedCounts, seedAlerts } from "./alerts_seed.ts";
import type { JobReport } from "./alerts_job.ts";
import {
  BARE_SETUP,
  barePass,
  CHANGE_STOCK,
  type LoggedPlan,
  nestedPlans,
  timedRollback,
} from "./alerts_sql.ts";
import { throwAwayDatabase } from "./postgres.ts";
import { percentile } from "./stats.ts";

type Options = {
  tenants: number;
  products: number;
  cycles: number;
  idle: number;
  repeats: number;
  changes: number;
  explain: boolean;
  patch: string | undefined;
  hold: boolean;
  compare: string | undefined;
  timeout: number;
};

function parseOptions(args: string[]): Options {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean", default: false },
      tenants: { type: "string" },
      products: { type: "string" },
      cycles: { type: "string" },
      idle: { type: "string" },
      repeats: { type: "string" },
      changes: { type: "string" },
      "no-explain": { type: "boolean", default: false },
      patch: { type: "string" },
      hold: { type: "boolean", default: false },
      compare: { type: "string" },
      timeout: { type: "string" },
    },
  });
  const whole = (name: string, value: string | undefined, fallback: number) => {
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(`--${name} expects a whole number ≥ 1, got ${value}`);
    }
    return n;
  };
  const tenants = whole("tenants", values.tenants, values.quick ? 100 : 1_000);
  const products = whole("products", values.products, 500);
  return {
    tenants,
    products,
    cycles: whole("cycles", values.cycles, 7),
    idle: whole("idle", values.idle, 3),
    repeats: whole("repeats", values.repeats, 3),
    changes: whole("changes", values.changes, Math.max(1, Math.round(tenants * products / 100))),
    explain: !values["no-explain"],
    patch: values.patch,
    hold: values.hold,
    compare: values.compare,
    timeout: whole("timeout", values.timeout, 120_000),
  };
}

async function loadAverage(): Promise<string> {
  const text = await Deno.readTextFile("/proc/loadavg").catch(() => "? ? ?");
  return text.split(" ").slice(0, 3).join(" ");
}

async function machine(): Promise<string> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? "unknown CPU";
  const memory = Math.round(Deno.systemMemoryInfo().total / 2 ** 30);
  return `${model}, ${navigator.hardwareConcurrency} vCPU, ${memory} GiB, ${Deno.build.os} ${Deno.osRelease()}`;
}

const fmtMs = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
const spread = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return `median ${percentile(sorted, 50).toFixed(0)} ms, p95 ${
    percentile(sorted, 95).toFixed(0)
  } ms, ` +
    `min ${sorted[0].toFixed(0)}, max ${sorted[sorted.length - 1].toFixed(0)} (n=${sorted.length})`;
};

async function line(label: string, ms: number, extra = ""): Promise<void> {
  console.log(
    `  ${label.padEnd(44)} ${fmtMs(ms)}  load ${await loadAverage()}${extra ? `  ${extra}` : ""}`,
  );
}

/** Runs `evaluateAlertsJob` in its own process against `url`; returns its report. */
async function runJobProcess(url: string, full: boolean): Promise<JobReport> {
  const closedPort = (() => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    return port;
  })();
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-all",
      new URL("alerts_job.ts", import.meta.url).pathname,
      ...(full ? ["--full"] : []),
    ],
    env: {
      DATABASE_URL: url,
      DATABASE_POOL_MAX: "4",
      APP_ENV: "development",
      // Configured, but nothing listens there: every send fails with a network error.
      TWILIO_ACCOUNT_SID: "AC" + "0123456789abcdef".repeat(2),
      TWILIO_AUTH_TOKEN: "bench-token",
      TWILIO_WHATSAPP_FROM: "+14155238886",
      TWILIO_API_BASE_URL: `http://127.0.0.1:${closedPort}`,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  if (!output.success && /statement timeout/.test(new TextDecoder().decode(output.stderr))) {
    return {
      ms: TIMED_OUT,
      counts: "statement timeout",
      rssBaselineMb: 0,
      rssPeakMb: 0,
      vmHwmMb: 0,
    };
  }
  if (!output.success) {
    throw new Error(
      `job process failed (${output.code}):\n${stdout}\n${new TextDecoder().decode(output.stderr)}`,
    );
  }
  const last = stdout.trim().split("\n").at(-1) ?? "";
  return JSON.parse(last) as JobReport;
}

/** The evaluation timeout (ms) of this run: a slow plan is reported, not waited for. */
let timeoutMs = 120_000;
const TIMED_OUT = Number.POSITIVE_INFINITY;

/** One evaluation in autocommit (commit included); `ms` is Infinity on timeout. */
async function evaluate(
  sql: Sql,
  full: boolean,
): Promise<{ ms: number; counts: Record<string, number> }> {
  const started = performance.now();
  try {
    const [counts] = await sql.begin(async (tx) => {
      await tx.unsafe(`set local statement_timeout = ${timeoutMs}`);
      return await tx.unsafe(`select * from app.evaluate_alerts(now(), ${full}, null)`);
    });
    return { ms: performance.now() - started, counts: { ...counts } };
  } catch (error) {
    if ((error as { code?: string }).code !== "57014") throw error;
    return { ms: TIMED_OUT, counts: { timed_out_after_ms: timeoutMs } };
  }
}

/** A first full evaluation, rolled back: every alert (and its history) removed first. */
async function firstFullRolledBack(sql: Sql): Promise<number> {
  try {
    return await timedRollback(
      sql,
      `select * from app.evaluate_alerts(now(), true, null)`,
      `set local statement_timeout = ${timeoutMs};
       delete from public.notification_outbox; delete from public.alert_events;
       delete from public.alerts;`,
    );
  } catch (error) {
    if ((error as { code?: string }).code !== "57014") throw error;
    return TIMED_OUT;
  }
}

async function change(sql: Sql, count: number): Promise<number> {
  const started = performance.now();
  await sql.unsafe(CHANGE_STOCK, [count]);
  const ms = performance.now() - started;
  await sql.unsafe(`truncate public.bench_changed;
    insert into public.bench_changed select tenant_id, product_id from public.alert_dirty_products;
    analyze public.bench_changed;`);
  return ms;
}

function printPlans(title: string, plans: LoggedPlan[], top = 4): void {
  const isCall = (p: LoggedPlan) =>
    /^Query Text: set statement_timeout[^;]*; select \* from app\.evaluate_alerts/.test(p.text);
  const nested = plans.filter((p) => !isCall(p));
  const total = plans.find(isCall);
  console.log(
    `\n${title}: ${nested.length} statements of ≥ 1 ms logged` +
      (total
        ? `, whole call ${total.ms.toFixed(0)} ms under auto_explain (analyze adds overhead)`
        : " (the call did not finish)"),
  );
  console.log(
    "  slowest: " + nested.slice(0, 8).map((p) => {
      const first = p.text.split("\n").find((l) => l.startsWith("Query Text:")) ?? "";
      return `\n    ${p.ms.toFixed(0).padStart(6)} ms  ${
        first.slice(12, 110).replace(/\s+/g, " ")
      }`;
    }).join(""),
  );
  for (const plan of nested.slice(0, top)) {
    console.log(`\n--- ${plan.ms.toFixed(1)} ms ---\n${plan.text}`);
  }
}

type PhaseResult = { full: number[]; incremental: number[]; bare: number[]; idle: number[] };

/** Full (rolled back), incremental cycles with the bare reference, idle cycles. */
async function measurePhase(sql: Sql, options: Options, label: string): Promise<PhaseResult> {
  console.log(`\n[${label}] Full first evaluation app.evaluate_alerts(now(), true, null)`);
  const full: number[] = [];
  for (let i = 0; i < options.repeats; i++) {
    full.push(await firstFullRolledBack(sql));
    await line(`full, rolled back ${i + 1}/${options.repeats}`, full[i]);
  }
  console.log(`\n[${label}] Incremental cycles: ${options.changes} products change, then evaluate`);
  const incremental: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < options.cycles; i++) {
    const changeMs = await change(sql, options.changes);
    bare.push(await barePass(sql, true));
    const result = await evaluate(sql, false);
    incremental.push(result.ms);
    await line(
      `cycle ${i + 1}: change ${changeMs.toFixed(0)} ms, bare ${bare[i].toFixed(0)} ms, evaluate`,
      result.ms,
      JSON.stringify(result.counts),
    );
  }
  console.log(`  evaluate:  ${spread(incremental)}\n  bare:      ${spread(bare)}`);
  console.log(`\n[${label}] Idle incremental cycles (nothing changed)`);
  const idle: number[] = [];
  for (let i = 0; i < options.idle; i++) {
    const result = await evaluate(sql, false);
    idle.push(result.ms);
    await line(`idle ${i + 1}`, result.ms, JSON.stringify(result.counts));
  }
  console.log(`  idle:      ${spread(idle)}`);
  return { full, incremental, bare, idle };
}

async function explainPhase(url: string, sql: Sql, options: Options, label: string) {
  if (!options.explain) return;
  const guard = `set statement_timeout = ${timeoutMs}; `;
  const run = (q: string) =>
    nestedPlans(url, guard + q).catch((error) => {
      console.log(`  (${label}: ${(error as Error).message})`);
      return [] as LoggedPlan[];
    });
  console.log(`\n[${label}] Plans (auto_explain, analyze + buffers, rolled back)`);
  printPlans(
    `[${label}] Full evaluation`,
    await run(`select * from app.evaluate_alerts(now(), true, null)`),
  );
  await change(sql, options.changes);
  printPlans(
    `[${label}] Incremental evaluation`,
    await run(`select * from app.evaluate_alerts(now(), false, null)`),
  );
}

function summaryLines(label: string, r: PhaseResult, options: Options): string[] {
  return [
    `  [${label}] full first evaluation (rolled back): ${spread(r.full)} (goal ≤ 2000)`,
    `  [${label}] incremental (${options.changes} changed): ${spread(r.incremental)} (goal ≤ 250)`,
    `  [${label}] idle incremental: ${spread(r.idle)}`,
    `  [${label}] bare reference, changed rows: ${spread(r.bare)}`,
  ];
}

async function main(): Promise<void> {
  const options = parseOptions(Deno.args);
  timeoutMs = options.timeout;
  const began = performance.now();
  const db = await throwAwayDatabase();
  const seedSql = createClient(db.url, { max: 1 });
  let sql = createClient(db.url, { max: 4 });
  try {
    const [{ version }] = await sql<{ version: string }[]>`select version()`;
    console.log(`Postgres: ${version}\nDatabase: ${db.origin}\nMachine: ${await machine()}`);
    console.log(`Deno ${Deno.version.deno}; load at start ${await loadAverage()}`);
    await migrate(sql);
    console.log(`\nSeeding ${options.tenants} tenants × ${options.products} products`);
    const counts: AlertSeedCounts = await seedAlerts(seedSql, {
      tenants: options.tenants,
      products: options.products,
      chunk: 50,
      log: (l) => console.log(l),
    });
    console.log(`  ${JSON.stringify(counts)}`);
    await sql.unsafe(BARE_SETUP);
    if (options.patch) {
      await sql.unsafe(await Deno.readTextFile(options.patch));
      console.log(`  applied --patch=${options.patch} to the bench database`);
    }
    // The job process gets the timeout too (new connections of this database).
    await sql.unsafe(`do $$ begin
      execute format('alter database %I set statement_timeout = %s', current_database(), ${timeoutMs});
    end $$`);
    await sql.end({ timeout: 5 });
    sql = createClient(db.url, { max: 4 });
    console.log(`Database ready in ${((performance.now() - began) / 1000).toFixed(1)} s`);
    console.log(`Evaluation timeout: ${timeoutMs} ms (a longer one is reported as Infinity)`);

    console.log(`\n1. Bare SQL reference (stock_out + low_stock upsert, then resolve), all rows`);
    for (let i = 0; i < 3; i++) {
      await line(
        `bare, all rows, pass ${i + 1}${i === 0 ? " (inserts)" : " (updates)"}`,
        await barePass(sql, false),
      );
    }

    console.log(`\n2. First full evaluation, committed, through evaluateAlertsJob (own process)`);
    const fullJob = await runJobProcess(db.url, true);
    await line(
      "full, committed, evaluateAlertsJob",
      fullJob.ms,
      `RSS peak ${fullJob.rssPeakMb} MB (VmHWM ${fullJob.vmHwmMb} MB, baseline ${fullJob.rssBaselineMb} MB)`,
    );
    console.log(`  counts: ${JSON.stringify(fullJob.counts)}`);
    const [outbox] = await sql`
      select count(*)::int as rows, coalesce(sum(cardinality(alert_ids)), 0)::int as alerts,
        (select count(*)::int from public.alerts where status <> 'resolved') as open_alerts
      from public.notification_outbox`;
    console.log(`  outbox: ${JSON.stringify(outbox)}`);
    const fullAgain = await evaluate(sql, true);
    await line("full again (steady state)", fullAgain.ms, JSON.stringify(fullAgain.counts));
    // evaluateAlertsJob runs a full evaluation until one run succeeded; mark one.
    await sql`insert into public.job_runs (job, trigger, status, finished_at)
      values ('alerts-evaluate', 'manual', 'succeeded', now())`;

    const label = options.patch ? "patched" : "as migrated";
    const base = await measurePhase(sql, options, label);

    console.log(`\n3. Incremental run through evaluateAlertsJob (own process)`);
    await change(sql, options.changes);
    const incJob = await runJobProcess(db.url, false);
    await line(
      "incremental, committed, evaluateAlertsJob",
      incJob.ms,
      `RSS peak ${incJob.rssPeakMb} MB (VmHWM ${incJob.vmHwmMb} MB, baseline ${incJob.rssBaselineMb} MB)`,
    );
    console.log(`  counts: ${JSON.stringify(incJob.counts)}`);
    await explainPhase(db.url, sql, options, label);

    let compared: PhaseResult | undefined;
    if (options.compare) {
      await sql.unsafe(await Deno.readTextFile(options.compare));
      console.log(`\n4. Applied --compare=${options.compare} to the bench database`);
      compared = await measurePhase(sql, options, "compare");
      await explainPhase(db.url, sql, options, "compare");
    }

    console.log(
      `\nSummary (${options.tenants} tenants × ${options.products} products, load ${await loadAverage()})`,
    );
    for (const l of summaryLines(label, base, options)) console.log(l);
    if (compared) { for (const l of summaryLines("compare", compared, options)) console.log(l); }
    console.log(`  first full via evaluateAlertsJob: ${fullJob.ms.toFixed(0)} ms`);
    console.log(
      `  job RSS peak (VmHWM): full ${fullJob.vmHwmMb} MB, incremental ${incJob.vmHwmMb} MB (goal well under 256)`,
    );
    console.log(`  total ${((performance.now() - began) / 1000).toFixed(0)} s`);
    if (options.hold) {
      console.log(`\nHolding the database for experiments: ${db.url} (SIGINT or SIGTERM drops it)`);
      await new Promise<void>((resolve) => {
        Deno.addSignalListener("SIGINT", resolve);
        Deno.addSignalListener("SIGTERM", resolve);
      });
    }
  } finally {
    await seedSql.end({ timeout: 5 });
    await sql.end({ timeout: 5 });
    await db.drop();
  }
}

if (import.meta.main) await main();
