/**
 * SQL of `deno task bench:alerts`: the bare set-based reference pass, the 1 % change
 * between cycles, and the capture of nested plans with `auto_explain`.
 *
 * @module
 */
import postgres from "postgres";
import type { Sql } from "../../shared/db/client.ts";

/**
 * The reference: the two stock conditions alone (stock ≤ 0, stock ≤ reorder point),
 * upserted into a scratch table with the same kind of one-open-row index as
 * `public.alerts`, then every open row of the scope not seen by this pass resolved.
 * No rules, no context, no history, no outbox, no broadcast.
 */
export const BARE_SETUP = `
  create table public.bench_bare (
    id bigint generated always as identity primary key,
    tenant_id uuid not null, alert_type text not null, product_id uuid not null,
    location_id uuid not null, status text not null default 'active',
    first_seen_at timestamptz not null, last_seen_at timestamptz not null,
    resolved_at timestamptz
  );
  create unique index bench_bare_open_key
    on public.bench_bare (tenant_id, alert_type, product_id, location_id)
    where status <> 'resolved';
  create table public.bench_changed (tenant_id uuid not null, product_id uuid not null,
    primary key (tenant_id, product_id));`;

/** One bare pass over every stock row (`changedOnly`: the products in bench_changed). */
export async function barePass(sql: Sql, changedOnly: boolean): Promise<number> {
  const scope = changedOnly
    ? "join public.bench_changed c on c.tenant_id = l.tenant_id and c.product_id = l.product_id"
    : "";
  const resolveScope = changedOnly
    ? `and exists (select 1 from public.bench_changed c
         where c.tenant_id = b.tenant_id and c.product_id = b.product_id)`
    : "";
  const started = performance.now();
  await sql.begin(async (tx) => {
    const [{ now }] = await tx<{ now: string }[]>`select now()::text as now`;
    await tx.unsafe(
      `insert into public.bench_bare as b (tenant_id, alert_type, product_id, location_id,
         first_seen_at, last_seen_at)
       select l.tenant_id, case when l.quantity <= 0 then 'stock_out' else 'low_stock' end,
         l.product_id, l.location_id, $1::timestamptz, $1::timestamptz
       from public.stock_levels l
       join public.products p on p.tenant_id = l.tenant_id and p.id = l.product_id
       ${scope}
       where l.quantity <= p.reorder_point
       order by 1, 2, 3, 4
       on conflict (tenant_id, alert_type, product_id, location_id) where status <> 'resolved'
       do update set last_seen_at = excluded.last_seen_at`,
      [now],
    );
    await tx.unsafe(
      `update public.bench_bare b set status = 'resolved', resolved_at = $1::timestamptz
       where b.status <> 'resolved' and b.last_seen_at < $1::timestamptz ${resolveScope}`,
      [now],
    );
  });
  return performance.now() - started;
}

/**
 * Changes `count` random products through the ledger, in one statement, as a day of
 * trade does: most stock above the reorder point sells 1–3 units (85 %), some sells down
 * to the reorder point (5 %) or to 0 (10 %); stock at or below the reorder point is
 * mostly replenished (60 %: a receipt up to 3× the reorder point), else sells one more.
 */
export const CHANGE_STOCK = `
  with picked as (
    select l.tenant_id, l.product_id, l.location_id, l.quantity, p.reorder_point as rp
    from public.stock_levels l
    join public.products p on p.tenant_id = l.tenant_id and p.id = l.product_id
    order by random()
    limit $1
  ), pick as (
    -- A draw of its own: a random() in the list above would be the sort key itself, and
    -- the 1 % picked would all have the smallest draws.
    select k.*, random() as u from picked k
  )
  insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity,
    unit_cost_xof, reference)
  select k.tenant_id, k.product_id, k.location_id, m.kind, m.quantity,
    case when m.kind = 'receipt' then 400 end, 'BENCH-CYCLE'
  from pick k
  cross join lateral (select
      case when k.quantity <= 0 or (k.quantity <= k.rp and k.u < 0.6)
        then 'receipt' else 'sale' end::public.movement_kind as kind,
      case
        when k.quantity <= k.rp and k.u < 0.6 then k.rp * 3 - k.quantity + 1
        when k.quantity <= 0 then 1
        when k.quantity <= k.rp then -1
        when k.u < 0.10 then -k.quantity
        when k.u < 0.15 then -(k.quantity - k.rp)
        else -least(k.quantity, 1 + floor(k.u * 3)::int)
      end as quantity
  ) m
  order by k.tenant_id, k.product_id`;

/** A statement `auto_explain` logged: its duration and plan text. */
export type LoggedPlan = { ms: number; text: string };

class Rollback extends Error {}

/**
 * Runs `query` in a transaction that is rolled back, with `auto_explain` logging the
 * plan (analyze, buffers) of every nested statement of 1 ms or more to this client;
 * returns them, slowest first. Needs a superuser (`load`). The timings include the instrumentation.
 */
export async function nestedPlans(url: string, query: string): Promise<LoggedPlan[]> {
  const plans: LoggedPlan[] = [];
  const client = postgres(url, {
    max: 1,
    onnotice: (notice) => {
      const match = /^duration: ([\d.]+) ms\s+plan:\n([\s\S]*)$/.exec(String(notice.message));
      if (match) plans.push({ ms: Number(match[1]), text: match[2] });
    },
  });
  try {
    await client.begin(async (tx) => {
      await tx.unsafe(`load 'auto_explain'`);
      await tx.unsafe(`
        set local auto_explain.log_min_duration = 1;
        set local auto_explain.log_nested_statements = on;
        set local auto_explain.log_analyze = on;
        set local auto_explain.log_buffers = on;
        set local auto_explain.log_triggers = on;
        set local client_min_messages = log;`);
      await tx.unsafe(query);
      throw new Rollback();
    }).catch((error) => {
      // A timeout still leaves the plans of the statements that finished.
      if (!(error instanceof Rollback)) console.log(`  (auto_explain run: ${error.message})`);
    });
  } finally {
    await client.end({ timeout: 5 });
  }
  return plans.sort((a, b) => b.ms - a.ms);
}

/** Times `query` in a transaction that is rolled back, after an untimed `setup`. */
export async function timedRollback(sql: Sql, query: string, setup = ""): Promise<number> {
  let ms = 0;
  await sql.begin(async (tx) => {
    if (setup) await tx.unsafe(setup);
    const started = performance.now();
    await tx.unsafe(query);
    ms = performance.now() - started;
    throw new Rollback();
  }).catch((error) => {
    if (!(error instanceof Rollback)) throw error;
  });
  return ms;
}
