/**
 * `deno task bench:rls`: what row-level security costs a typical dashboard list query.
 *
 * On a throw-away Postgres (a private cluster, or a new database on `DATABASE_URL`'s
 * server) with the real shim and migrations, 2 tenants × 50,000 rows in a representative
 * tenant table, it times the same page query two ways, interleaved:
 *
 * - **rls**: `withTenantTx` — begin, claims + `role authenticated`, membership check,
 *   the query with no tenant filter of its own (the policy supplies it), commit;
 * - **service**: `withServiceTx` — begin, `role service_role` (bypasses RLS), the query
 *   with an explicit `tenant_id = $3`, commit;
 *
 * at concurrency 1 and 8 (pool of 10), prints p50/p95/p99 and the p95 ratio, shows both
 * generic plans (EXPLAIN ANALYZE, BUFFERS, as the respective roles) and exits 1 when a
 * ratio exceeds the threshold (1.3) or the RLS plan does not use the tenant index. Options: `--iterations=5000 --warmup=500
 * --concurrency=1,8 --rows=50000 --tenants=2 --threshold=1.3`.
 *
 * @module
 */
import { createClient, type Sql, type Tx } from "../../shared/db/client.ts";
import { migrate } from "../../shared/db/migrate.ts";
import { withServiceTx, withTenantTx } from "../../shared/db/tx.ts";
import { type BenchTenant, type Cursor, sampleCursors, seedBenchData } from "./dataset.ts";
import { throwAwayDatabase } from "./postgres.ts";
import { ms, summarise, type Summary } from "./stats.ts";

/** The page query: the next 50 items by name after a keyset cursor. */
export const LIST_COLUMNS = "select id, sku, name, qty, unit_price_xof, updated_at";
/** RLS variant: no tenant filter of its own (as a supabase-js `.from()` query has none). */
export const LIST_RLS = `${LIST_COLUMNS} from public.bench_items
  where (name, id) > ($1, $2::uuid)
  order by name, id limit 50`;
/** Service variant: the same text plus the explicit tenant filter the service path must add. */
export const LIST_SERVICE = `${LIST_COLUMNS} from public.bench_items
  where tenant_id = $3::uuid and (name, id) > ($1, $2::uuid)
  order by name, id limit 50`;

type Variant = "rls" | "service";
/** Set by Ctrl-C: workers stop taking tasks so the run can clean up. */
let stopping = false;
type Task = { variant: Variant; tenant: BenchTenant; cursor: Cursor };
type Options = {
  iterations: number;
  warmup: number;
  concurrency: number[];
  rows: number;
  tenants: number;
  threshold: number;
};

function parseOptions(args: string[]): Options {
  const options: Options = {
    iterations: 5000,
    warmup: 500,
    concurrency: [1, 8],
    rows: 50_000,
    tenants: 2,
    threshold: 1.3,
  };
  for (const arg of args) {
    const match = /^--([a-z]+)=(.+)$/.exec(arg);
    const key = match?.[1] as keyof Options | undefined;
    if (!match || !key || !(key in options)) {
      throw new Error(
        `Unknown argument ${arg}; expected --${Object.keys(options).join("=…, --")}=…`,
      );
    }
    const values = match[2].split(",").map(Number);
    if (values.some((value) => !Number.isFinite(value) || value <= 0)) {
      throw new Error(`--${key} expects positive numbers, got ${match[2]}`);
    }
    if (key === "concurrency") options.concurrency = values;
    else options[key] = values[0];
  }
  return options;
}

/** Runs one task through the real transaction helpers; returns the row count. */
async function runTask(sql: Sql, task: Task): Promise<number> {
  const { cursor, tenant } = task;
  if (task.variant === "rls") {
    return await withTenantTx(sql, tenant.claims, tenant.id, async (tx) => {
      const rows = await tx.unsafe(LIST_RLS, [cursor.name, cursor.id], { prepare: true });
      return rows.length;
    });
  }
  return await withServiceTx(sql, async (tx) => {
    const rows = await tx.unsafe(LIST_SERVICE, [cursor.name, cursor.id, tenant.id], {
      prepare: true,
    });
    return rows.length;
  });
}

/** Pairs (rls, service) on the same tenant and cursor, each pair in random order. */
function schedule(
  pairs: number,
  tenants: BenchTenant[],
  cursors: Map<string, Cursor[]>,
): Task[] {
  const tasks: Task[] = [];
  for (let i = 0; i < pairs; i++) {
    const tenant = tenants[Math.floor(Math.random() * tenants.length)];
    const list = cursors.get(tenant.id)!;
    const cursor = list[Math.floor(Math.random() * list.length)];
    const order: Variant[] = Math.random() < 0.5 ? ["rls", "service"] : ["service", "rls"];
    for (const variant of order) tasks.push({ variant, tenant, cursor });
  }
  return tasks;
}

/** Runs `tasks` with `concurrency` workers; returns latencies (ms) per variant. */
async function measure(
  sql: Sql,
  tasks: Task[],
  concurrency: number,
): Promise<Record<Variant, number[]>> {
  const samples: Record<Variant, number[]> = { rls: [], service: [] };
  let next = 0;
  const worker = async () => {
    while (!stopping && next < tasks.length) {
      const task = tasks[next++];
      const start = performance.now();
      await runTask(sql, task);
      samples[task.variant].push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return samples;
}

/** Checks that both variants return the same rows, and that RLS hides the other tenant. */
async function verify(sql: Sql, tenants: BenchTenant[], cursors: Map<string, Cursor[]>) {
  for (const tenant of tenants) {
    const visible = await withTenantTx(
      sql,
      tenant.claims,
      tenant.id,
      async (tx) =>
        (await tx`select count(*)::int as n, count(distinct tenant_id)::int as t
        from public.bench_items`)[0],
    );
    const own = await withServiceTx(
      sql,
      async (tx) =>
        (await tx`select count(*)::int as n from public.bench_items
        where tenant_id = ${tenant.id}`)[0].n,
    );
    if (visible.n !== own || visible.t !== 1) {
      throw new Error(
        `RLS check: expected ${own} rows of 1 tenant for ${tenant.name}, got ${visible.n} rows of ${visible.t}`,
      );
    }
    for (const cursor of cursors.get(tenant.id)!.slice(0, 20)) {
      const rls = await withTenantTx(
        sql,
        tenant.claims,
        tenant.id,
        (tx) => tx.unsafe(LIST_RLS, [cursor.name, cursor.id]),
      );
      const service = await withServiceTx(
        sql,
        (tx) => tx.unsafe(LIST_SERVICE, [cursor.name, cursor.id, tenant.id]),
      );
      if (JSON.stringify(rls) !== JSON.stringify(service)) {
        throw new Error(`The two variants returned different pages after ${cursor.name}`);
      }
    }
  }
}

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the generic plan, the one a prepared statement settles on
 * after five executions and the one the timed runs use.
 */
async function explain(tx: Tx, query: string, params: string[]): Promise<string[]> {
  const literals = params.map((value) => `'${value.replaceAll("'", "''")}'`).join(", ");
  await tx`set local plan_cache_mode = force_generic_plan`;
  await tx.unsafe(`prepare bench_plan as ${query}`);
  try {
    const rows = await tx.unsafe(`explain (analyze, buffers) execute bench_plan(${literals})`);
    return rows.map((row) => String(row["QUERY PLAN"]));
  } finally {
    await tx.unsafe("deallocate bench_plan");
  }
}

/** Prints both plans as their roles run them; true when the RLS plan is the expected one. */
async function showPlans(sql: Sql, tenant: BenchTenant, cursor: Cursor): Promise<boolean> {
  const rlsPlan = await withTenantTx(
    sql,
    tenant.claims,
    tenant.id,
    (tx) => explain(tx, LIST_RLS, [cursor.name, cursor.id]),
  );
  const servicePlan = await withServiceTx(
    sql,
    (tx) => explain(tx, LIST_SERVICE, [cursor.name, cursor.id, tenant.id]),
  );
  console.log(
    "\nGeneric plan, EXPLAIN (ANALYZE, BUFFERS), rls variant as authenticated (withTenantTx):",
  );
  for (const line of rlsPlan) console.log(`  ${line}`);
  console.log(
    "\nGeneric plan, EXPLAIN (ANALYZE, BUFFERS), service variant as service_role (withServiceTx):",
  );
  for (const line of servicePlan) console.log(`  ${line}`);

  const text = rlsPlan.join("\n");
  // Postgres 15 names the initPlan's output $0; 18 names it (InitPlan 1).col1.
  const initPlan = /InitPlan/.test(text);
  const indexed = /Index (Only )?Scan using bench_items_tenant_name_idx/.test(text) &&
    /Index Cond: \(\(tenant_id = (\$\d+|\(InitPlan \d+\)\.col\d+)\)/.test(text);
  const noTenantFilter = !/Filter: .*tenant_id/.test(text);
  console.log(
    `\nRLS plan: initPlan for app.current_tenant_id() ${initPlan ? "yes" : "NO"}; ` +
      `tenant_id in the Index Cond of bench_items_tenant_name_idx ${indexed ? "yes" : "NO"}; ` +
      `no per-row tenant Filter ${noTenantFilter ? "yes" : "NO"}`,
  );
  return initPlan && indexed && noTenantFilter;
}

function row(label: string, s: Summary): string {
  return `  ${label.padEnd(8)} ${String(s.n).padStart(6)} ${ms(s.p50).padStart(9)} ${
    ms(s.p95).padStart(9)
  } ${ms(s.p99).padStart(9)} ${ms(s.mean).padStart(9)}`;
}

/** CPU model, vCPUs, memory and kernel, for the report. */
async function machine(): Promise<string> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo").catch(() => "");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? "unknown CPU";
  const memory = Math.round(Deno.systemMemoryInfo().total / 2 ** 30);
  return `${model}, ${navigator.hardwareConcurrency} vCPU, ${memory} GiB, ${Deno.build.os} ${Deno.osRelease()}`;
}

async function main(): Promise<number> {
  const options = parseOptions(Deno.args);
  const began = performance.now();
  const db = await throwAwayDatabase();
  const sql = createClient(db.url, { max: 10 });
  // Ctrl-C stops the runs and still removes the throw-away cluster or database (a second
  // Ctrl-C exits at once).
  const interrupted = () => stopping ? Deno.exit(130) : void (stopping = true);
  Deno.addSignalListener("SIGINT", interrupted);
  try {
    const [{ version }] = await sql<{ version: string }[]>`select version()`;
    console.log(`Postgres: ${version}\nDatabase: ${db.origin}`);
    console.log(`Machine: ${await machine()}`);
    console.log(`Client: Deno ${Deno.version.deno}, postgres.js pool max 10`);
    await migrate(sql);
    const tenants = await seedBenchData(sql, options.tenants, options.rows);
    const cursors = new Map<string, Cursor[]>();
    for (const tenant of tenants) cursors.set(tenant.id, await sampleCursors(sql, tenant.id, 1000));
    console.log(
      `Dataset: public.bench_items, ${options.tenants} tenants × ${options.rows} rows ` +
        `(database ready in ${((performance.now() - began) / 1000).toFixed(1)} s)`,
    );
    console.log(`Query (rls):     ${LIST_RLS.replace(/\s+/g, " ")}`);
    console.log(`Query (service): ${LIST_SERVICE.replace(/\s+/g, " ")}`);
    await verify(sql, tenants, cursors);

    // Warm-up: opens the pool's connections and prepares both statements on each.
    const warmup = Math.max(...options.concurrency, 10);
    await measure(sql, schedule(options.warmup, tenants, cursors), warmup);

    const plansOk = await showPlans(sql, tenants[0], cursors.get(tenants[0].id)![0]);

    let pass = plansOk;
    for (const concurrency of options.concurrency) {
      const samples = await measure(
        sql,
        schedule(options.iterations, tenants, cursors),
        concurrency,
      );
      if (stopping) {
        console.log("\nInterrupted: no verdict.");
        return 130;
      }
      const rls = summarise(samples.rls);
      const service = summarise(samples.service);
      const ratio = rls.p95 / service.p95;
      const ok = ratio <= options.threshold;
      pass &&= ok;
      console.log(
        [
          `\nConcurrency ${concurrency} (${options.iterations} iterations per variant, interleaved)`,
          `  variant       n   p50 ms    p95 ms    p99 ms   mean ms`,
          row("rls", rls),
          row("service", service),
          `  p95 ratio rls/service = ${ratio.toFixed(3)} (threshold ${options.threshold}) ${
            ok ? "PASS" : "FAIL"
          }; p50 ratio ${(rls.p50 / service.p50).toFixed(3)}`,
        ].join("\n"),
      );
    }
    console.log(
      `\n${pass ? "PASS" : "FAIL"} (total ${((performance.now() - began) / 1000).toFixed(1)} s)`,
    );
    return pass ? 0 : 1;
  } finally {
    Deno.removeSignalListener("SIGINT", interrupted);
    await sql.end({ timeout: 5 });
    await db.drop();
  }
}

if (import.meta.main) Deno.exit(await main());
