/**
 * `deno task bench:ledger`: stock ledger throughput and the product list with stock.
 *
 * On a throw-away Postgres (a private cluster with default settings, fsync on, or a new
 * database on `DATABASE_URL`'s server), with the real shim and migrations, in one run:
 *
 * - (a) bare SQL, as superuser with no HTTP, JWT or RLS: 1,000-row statements of
 *   movements through the ledger's statement-level trigger, one after another; and
 *   single-row autocommit inserts at concurrency 10;
 * - (b) `POST /api/v1/movements/batch` (1,000 movements a request) on the real local
 *   server, sustained, then a check that every stock level equals what was sent;
 * - (c) `POST /api/v1/movements` (one sale) at concurrency 10: throughput and p95;
 * - (d) `GET /api/v1/products` (the product list with `stock_on_hand`, filtered and
 *   paginated) for a tenant of 5,000 products and 1,000,000 movements among 49 others
 *   (`seed:large`): p95 at concurrency 1 and 10.
 *
 * Movement mix of (a)–(c): 95 % sales of 1–3 units, 5 % receipts with a unit cost, on
 * 1,000 products of one shop at its default location (each (b) client on its own
 * products, as separate tills would be). `--quick` runs smaller counts; `--embedded`
 * runs the same on in-memory PGlite in this process (smaller data, no targets).
 * Exits 1 when a stock check fails; targets are reported, not enforced.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { openDatabase, type Sql } from "../../shared/db/client.ts";
import { createClient } from "../../shared/db/client.ts";
import { migrate } from "../../shared/db/migrate.ts";
import { seedLarge } from "../seed_large.ts";
import { seedTenant } from "../seed/large.ts";
import { loadRetail } from "./retail_data.ts";
import { throwAwayDatabase } from "./postgres.ts";
import {
  cpuPerRequest,
  load,
  ownerToken,
  sampleCpu,
  send,
  type ServerUnderTest,
  startChildServer,
  startInProcessServer,
} from "./ledger_server.ts";
import { ms, summarise } from "./stats.ts";

type Sizes = {
  products: number;
  sqlBatches: number;
  singleRows: number;
  httpBatches: number;
  httpClients: number;
  singlePosts: number;
  listProducts: number;
  listMovements: number;
  others: number;
  otherProducts: number;
  otherMovements: number;
  listRequests: number;
};

const FULL: Sizes = {
  products: 1_000,
  sqlBatches: 100,
  singleRows: 20_000,
  httpBatches: 200,
  httpClients: 4,
  singlePosts: 10_000,
  listProducts: 5_000,
  listMovements: 1_000_000,
  others: 49,
  otherProducts: 200,
  otherMovements: 10_000,
  listRequests: 2_000,
};
const QUICK: Sizes = {
  ...FULL,
  sqlBatches: 20,
  singleRows: 3_000,
  httpBatches: 30,
  singlePosts: 2_000,
  listMovements: 200_000,
  otherMovements: 2_000,
  listRequests: 500,
};
const EMBEDDED: Sizes = {
  products: 200,
  sqlBatches: 10,
  singleRows: 1_000,
  httpBatches: 10,
  httpClients: 1,
  singlePosts: 1_000,
  listProducts: 5_000,
  listMovements: 200_000,
  others: 49,
  otherProducts: 50,
  otherMovements: 500,
  listRequests: 300,
};

const rate = (count: number, seconds: number) => Math.round(count / seconds);
const fmt = (value: number) => value.toLocaleString("en");

/** One movement of the mix: a sale of 1–3 units, or one receipt in 20. */
type Line = { kind: "sale" | "receipt"; product: number; quantity: number };
function line(products: number[], rng = Math.random): Line {
  const product = products[Math.floor(rng() * products.length)];
  if (rng() < 0.05) return { kind: "receipt", product, quantity: 10 + Math.floor(rng() * 40) };
  return { kind: "sale", product, quantity: 1 + Math.floor(rng() * 3) };
}

/** Expected level per product index (what was sent, signed). */
class Expected {
  levels: number[];
  constructor(size: number, opening: number) {
    this.levels = new Array(size).fill(opening);
  }
  add(l: Line) {
    this.levels[l.product] += l.kind === "sale" ? -l.quantity : l.quantity;
  }
}

const INSERT_UNNEST = `
  insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity,
    unit_cost_xof)
  select $1::uuid, u.product_id, $2::uuid, u.kind::public.movement_kind, u.quantity,
    case when u.kind = 'receipt' then 500 end
  from unnest($3::uuid[], $4::text[], $5::int[]) with ordinality as u(product_id, kind, quantity, ord)
  order by u.ord`;

type Shop = {
  id: string;
  locationId: string;
  productIds: string[];
  token: string;
  expected: Expected;
};

/** A shop of `products` products with 1,000,000 units of each in stock. */
async function makeShop(
  sql: Sql,
  products: number,
  retail: Awaited<ReturnType<typeof loadRetail>>,
) {
  const opening = 1_000_000;
  const seeded = await seedTenant(sql, retail.series, {
    name: `Boutique banc d'essai ${Date.now().toString(36)}`,
    email: `banc-${crypto.randomUUID().slice(0, 8)}@bench.digiboost.sn`,
    products,
    movements: 0,
    seed: 7,
  });
  const rows = await sql<{ id: string }[]>`
    select id from public.products where tenant_id = ${seeded.id} order by sku`;
  const productIds = rows.map((r) => r.id);
  await sql.unsafe(INSERT_UNNEST, [
    seeded.id,
    seeded.locationId,
    productIds,
    productIds.map(() => "receipt"),
    productIds.map(() => opening),
  ]);
  await sql`analyze public.stock_levels`;
  return {
    id: seeded.id,
    locationId: seeded.locationId,
    productIds,
    token: await ownerToken(seeded.owner, seeded.id),
    expected: new Expected(products, opening),
  } satisfies Shop;
}

async function bareSql(sql: Sql, shop: Shop, sizes: Sizes, cpuSql?: Sql) {
  const all = shop.productIds.map((_, i) => i);
  const batches = Array.from(
    { length: sizes.sqlBatches },
    () => Array.from({ length: 1000 }, () => line(all)),
  );
  const began = performance.now();
  const latencies: number[] = [];
  for (const batch of batches) {
    const start = performance.now();
    await sql.unsafe(INSERT_UNNEST, [
      shop.id,
      shop.locationId,
      batch.map((l) => shop.productIds[l.product]),
      batch.map((l) => l.kind),
      batch.map((l) => l.kind === "sale" ? -l.quantity : l.quantity),
    ], { prepare: true });
    latencies.push(performance.now() - start);
    batch.forEach((l) => shop.expected.add(l));
  }
  const seconds = (performance.now() - began) / 1000;
  const batchRate = rate(sizes.sqlBatches * 1000, seconds);
  const s = summarise(latencies);
  console.log(
    `(a) bare SQL, ${sizes.sqlBatches} × 1,000-row statements, sequential: ` +
      `${fmt(batchRate)} movements/s (statement p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms)`,
  );

  // The same statements from `httpClients` connections at once, each on its own products
  // (as (b) sends them): the reference for the batch endpoint's ratio.
  const clients = sizes.httpClients;
  const slices = Array.from({ length: clients }, (_, w) => all.filter((i) => i % clients === w));
  const parallel = await load(sizes.sqlBatches, clients, async (_, w) => {
    const batch = Array.from({ length: 1000 }, () => line(slices[w]));
    await sql.unsafe(INSERT_UNNEST, [
      shop.id,
      shop.locationId,
      batch.map((l) => shop.productIds[l.product]),
      batch.map((l) => l.kind),
      batch.map((l) => l.kind === "sale" ? -l.quantity : l.quantity),
    ], { prepare: true });
    batch.forEach((l) => shop.expected.add(l));
  });
  const parallelRate = rate(sizes.sqlBatches * 1000, parallel.seconds);
  console.log(
    `(a) bare SQL, the same statements from ${clients} connections on separate products: ` +
      `${fmt(parallelRate)} movements/s`,
  );

  const singles = Array.from({ length: sizes.singleRows }, () => line(all));
  const cpu = await sampleCpu(undefined, cpuSql);
  const single = await load(singles.length, 10, async (i) => {
    const l = singles[i];
    await sql`insert into public.stock_movements (tenant_id, product_id, location_id, kind,
      quantity, unit_cost_xof)
      values (${shop.id}, ${shop.productIds[l.product]}, ${shop.locationId}, ${l.kind},
        ${l.kind === "sale" ? -l.quantity : l.quantity}, ${l.kind === "receipt" ? 500 : null})`;
  });
  singles.forEach((l) => shop.expected.add(l));
  const ss = summarise(single.latencies);
  console.log(
    `(a) bare SQL, single-row autocommit inserts at concurrency 10: ` +
      `${fmt(rate(singles.length, single.seconds))}/s (mean ${ms(ss.mean)} ms, p95 ${
        ms(ss.p95)
      } ms)`,
  );
  console.log(`    ${cpuPerRequest(cpu, await sampleCpu(undefined, cpuSql), singles.length)}`);
  return { batchRate, parallelRate, singleRate: rate(singles.length, single.seconds) };
}

function body(shop: Shop, l: Line) {
  return l.kind === "sale"
    ? { kind: "sale", product_id: shop.productIds[l.product], quantity: l.quantity }
    : {
      kind: "receipt",
      product_id: shop.productIds[l.product],
      quantity: l.quantity,
      unit_cost_xof: 500,
    };
}

async function httpBatches(server: ServerUnderTest, shop: Shop, sizes: Sizes, cpuSql?: Sql) {
  const clients = sizes.httpClients;
  // Client w sends movements of products ≡ w (mod clients): separate tills, no shared levels.
  const slices = Array.from(
    { length: clients },
    (_, w) => shop.productIds.map((_, i) => i).filter((i) => i % clients === w),
  );
  const url = `${server.url}/api/v1/movements/batch`;
  // Warm-up: one request per client (connections, prepared statements, JIT).
  await load(clients, clients, async (_, w) => {
    const lines = Array.from({ length: 1000 }, () => line(slices[w]));
    await send(url, shop.token, "POST", { movements: lines.map((l) => body(shop, l)) }, 201);
    lines.forEach((l) => shop.expected.add(l));
  });
  const cpu = await sampleCpu(server.pid, cpuSql);
  const run = await load(sizes.httpBatches, clients, async (_, w) => {
    const lines = Array.from({ length: 1000 }, () => line(slices[w]));
    await send(url, shop.token, "POST", { movements: lines.map((l) => body(shop, l)) }, 201);
    lines.forEach((l) => shop.expected.add(l));
  });
  const r = rate(sizes.httpBatches * 1000, run.seconds);
  const s = summarise(run.latencies);
  console.log(
    `(b) POST /movements/batch, ${sizes.httpBatches} × 1,000 movements, ${clients} clients: ` +
      `${fmt(r)} movements/s (request p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms)`,
  );
  console.log(`    ${cpuPerRequest(cpu, await sampleCpu(server.pid, cpuSql), sizes.httpBatches)}`);
  return r;
}

async function singlePosts(server: ServerUnderTest, shop: Shop, sizes: Sizes, cpuSql?: Sql) {
  const all = shop.productIds.map((_, i) => i);
  const url = `${server.url}/api/v1/movements`;
  const sales = Array.from({ length: sizes.singlePosts }, () => {
    const l = line(all);
    return { ...l, kind: "sale" as const };
  });
  await load(200, 10, async () => {
    const l = { kind: "sale" as const, product: all[0], quantity: 1 };
    await send(url, shop.token, "POST", body(shop, l), 201);
    shop.expected.add(l);
  });
  const cpu = await sampleCpu(server.pid, cpuSql);
  const run = await load(sales.length, 10, async (i) => {
    await send(url, shop.token, "POST", body(shop, sales[i]), 201);
  });
  sales.forEach((l) => shop.expected.add(l));
  const s = summarise(run.latencies);
  const r = rate(sales.length, run.seconds);
  console.log(
    `(c) POST /movements, ${fmt(sales.length)} sales at concurrency 10: ${fmt(r)}/s ` +
      `(p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms, p99 ${ms(s.p99)} ms)`,
  );
  console.log(`    ${cpuPerRequest(cpu, await sampleCpu(server.pid, cpuSql), sales.length)}`);
  return { rate: r, p95: s.p95 };
}

/** Every level equals what was sent, and the sum of the ledger rows. */
async function checkLevels(sql: Sql, shop: Shop): Promise<boolean> {
  const rows = await sql<{ product_id: string; level: string; ledger: string }[]>`
    select l.product_id, l.quantity::text as level,
      (select sum(m.quantity) from public.stock_movements m
        where m.tenant_id = l.tenant_id and m.product_id = l.product_id
          and m.location_id = l.location_id)::text as ledger
    from public.stock_levels l where l.tenant_id = ${shop.id}`;
  const byProduct = new Map(rows.map((r) => [r.product_id, r]));
  let wrong = 0;
  shop.productIds.forEach((id, i) => {
    const row = byProduct.get(id);
    const expected = String(shop.expected.levels[i]);
    if (!row || row.level !== expected || row.ledger !== expected) wrong++;
  });
  console.log(
    `    stock check: ${shop.productIds.length - wrong}/${shop.productIds.length} levels equal ` +
      `to what was sent and to the sum of their movements${wrong ? " — MISMATCH" : " (exact)"}`,
  );
  return wrong === 0;
}

async function productList(sql: Sql, server: ServerUnderTest, sizes: Sizes, cpuSql?: Sql) {
  const began = performance.now();
  const { main } = await seedLarge(sql, {
    products: sizes.listProducts,
    movements: sizes.listMovements,
    tenants: sizes.others,
    backgroundProducts: sizes.otherProducts,
    backgroundMovements: sizes.otherMovements,
    seed: 1,
  });
  const [counts] = await sql<{ tenants: number; movements: number }[]>`
    select (select count(*)::int from public.tenants) as tenants,
      (select count(*)::int from public.stock_movements) as movements`;
  console.log(
    `(d) data: ${fmt(main.products)} products and ${fmt(main.movements)} movements ` +
      `(${main.days} days) in the measured shop; ${counts.tenants} tenants, ` +
      `${fmt(counts.movements)} movements in all; seeded in ` +
      `${((performance.now() - began) / 1000).toFixed(1)} s`,
  );
  const token = await ownerToken(main.owner, main.id);
  const categories = await sql<{ id: string }[]>`
    select id from public.categories where tenant_id = ${main.id}`;
  const words = ["riz", "huile", "lait", "savon", "jumbo", "kirene", "cafe", "sucre", "the vert"];
  const pages = Math.max(1, Math.floor(main.products / 50));
  const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];
  const queries: [string, () => string][] = [
    ["low_stock=true&sort=stock_on_hand", () => `low_stock=true&sort=stock_on_hand&limit=50`],
    [
      "low_stock=true&offset=0..150",
      () => `low_stock=true&limit=50&offset=${50 * Math.floor(Math.random() * 4)}`,
    ],
    ["q=<word>", () => `q=${encodeURIComponent(pick(words))}&limit=50`],
    [
      "category_id&sort=-stock_on_hand",
      () => `category_id=${pick(categories).id}&sort=-stock_on_hand&limit=50`,
    ],
    [
      "sort=name&offset=random",
      () => `sort=name&limit=50&offset=${50 * Math.floor(Math.random() * pages)}`,
    ],
  ];
  const url = `${server.url}/api/v1/products?`;
  let byKind = new Map<string, number[]>();
  const get = async () => {
    const [kind, query] = pick(queries);
    const start = performance.now();
    await send(url + query(), token, "GET", undefined, 200);
    byKind.set(kind, [...byKind.get(kind) ?? [], performance.now() - start]);
  };
  await load(100, 10, get);
  const result: Record<number, number> = {};
  for (const concurrency of [1, 10]) {
    byKind = new Map();
    const cpu = await sampleCpu(server.pid, cpuSql);
    const run = await load(sizes.listRequests, concurrency, get);
    const s = summarise(run.latencies);
    result[concurrency] = s.p95;
    console.log(
      `(d) GET /products, 5 query shapes mixed, concurrency ${concurrency}: ` +
        `${fmt(rate(sizes.listRequests, run.seconds))}/s, ` +
        `p50 ${ms(s.p50)} ms, p95 ${ms(s.p95)} ms, p99 ${ms(s.p99)} ms`,
    );
    console.log(
      `    ${cpuPerRequest(cpu, await sampleCpu(server.pid, cpuSql), sizes.listRequests)}`,
    );
    for (const [kind, latencies] of byKind) {
      const k = summarise(latencies);
      console.log(
        `      ${kind.padEnd(34)} n ${String(k.n).padStart(5)}  p50 ${ms(k.p50)} ms  p95 ${
          ms(k.p95)
        } ms`,
      );
    }
  }
  return result;
}

const verdict = (ok: boolean) => ok ? "MET" : "NOT MET";

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { quick: { type: "boolean" }, embedded: { type: "boolean" } },
  });
  const embedded = values.embedded === true;
  const sizes = embedded ? EMBEDDED : values.quick ? QUICK : FULL;
  const began = performance.now();
  const retail = await loadRetail();

  let sql: Sql;
  let server: ServerUnderTest;
  let cleanup: () => Promise<void>;
  if (embedded) {
    const db = await openDatabase({
      databaseUrl: undefined,
      pgliteDataDir: "memory://",
      databasePoolMax: 1,
    });
    sql = db.sql;
    server = await startInProcessServer(db);
    cleanup = async () => {
      await server.stop();
      await db.close();
    };
  } else {
    const db = await throwAwayDatabase();
    sql = createClient(db.url, { max: 10 });
    try {
      await migrate(sql);
      server = await startChildServer(db.url);
    } catch (error) {
      await sql.end();
      await db.drop();
      throw error;
    }
    console.log(`Database: ${db.origin}`);
    cleanup = async () => {
      await server.stop();
      await sql.end();
      await db.drop();
    };
  }
  try {
    const [{ version }] = await sql<{ version: string }[]>`select version()`;
    const [{ fsync }] = await sql<{ fsync: string }[]>`select current_setting('fsync') as fsync`;
    console.log(`Postgres: ${version} (fsync ${fsync})\nServer: ${server.describe}`);
    console.log(`Client: Deno ${Deno.version.deno}, fetch; sizes ${JSON.stringify(sizes)}\n`);

    const shop = await makeShop(sql, sizes.products, retail);
    // PGlite's backend pid is not a process of this machine: no Postgres CPU there.
    const cpuSql = embedded ? undefined : sql;
    const bare = await bareSql(sql, shop, sizes, cpuSql);
    const batch = await httpBatches(server, shop, sizes, cpuSql);
    const single = await singlePosts(server, shop, sizes, cpuSql);
    const exact = await checkLevels(sql, shop);
    const list = await productList(sql, server, sizes, cpuSql);

    const ratio = batch / bare.batchRate;
    const parallelRatio = batch / bare.parallelRate;
    console.log(`\nSummary${embedded ? " (embedded PGlite: no targets)" : ""}:`);
    console.log(
      `  (a) bare SQL: ${fmt(bare.batchRate)} movements/s in 1,000-row statements; ` +
        `${fmt(bare.parallelRate)}/s from ${sizes.httpClients} connections; ` +
        `${fmt(bare.singleRate)}/s single-row at concurrency 10`,
    );
    console.log(
      `  (b) batch endpoint: ${fmt(batch)} movements/s, ${ratio.toFixed(2)} of sequential ` +
        `bare SQL, ${parallelRatio.toFixed(2)} of bare SQL from as many connections ` +
        `[target ≥ 25,000/s and ≥ 0.4: ${
          verdict(batch >= 25_000 && Math.min(ratio, parallelRatio) >= 0.4)
        }]; ` +
        `stock exact: ${exact ? "yes" : "NO"}`,
    );
    console.log(
      `  (c) single POST: ${fmt(single.rate)}/s, p95 ${ms(single.p95)} ms ` +
        `[target ≥ 1,500/s and p95 ≤ 10 ms: ${verdict(single.rate >= 1500 && single.p95 <= 10)}]`,
    );
    console.log(
      `  (d) product list: p95 ${ms(list[1])} ms at concurrency 1, ${ms(list[10])} ms at 10 ` +
        `[target p95 ≤ 15 ms: ${verdict(list[1] <= 15)} at 1, ${verdict(list[10] <= 15)} at 10]`,
    );
    console.log(`  total time ${((performance.now() - began) / 1000).toFixed(0)} s`);
    return exact ? 0 : 1;
  } finally {
    await cleanup();
  }
}

if (import.meta.main) Deno.exit(await main());
