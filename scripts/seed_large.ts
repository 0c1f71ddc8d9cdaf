/**
 * `deno task seed:large`: a large demo tenant for benchmarks and the later issues —
 * N products with French names and XOF prices and M stock movements with real,
 * intermittent demand (Online Retail profiles, see `seed/demand.ts`), written through
 * the ledger's trigger in statements of 10,000 rows. Optional background tenants.
 *
 *     deno task seed:large [--products=5000] [--movements=1000000] [--tenants=0]
 *       [--background-products=200] [--background-movements=10000] [--seed=1]
 *
 * Against `DATABASE_URL` when set (Postgres 15+; about a minute for the defaults),
 * else the embedded database in `PGLITE_DATA_DIR` (`.data/pglite`; stop the local
 * server first), where the defaults are 500 products and 50,000 movements because
 * PGlite is much slower. Prints the tenant, its owner's email and a token command.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../shared/config.ts";
import { openDatabase, type Sql } from "../shared/db/client.ts";
import { migrate } from "../shared/db/migrate.ts";
import { loadRetail } from "./bench/retail_data.ts";
import { analyzeSeeded, type SeededTenant, seedTenant } from "./seed/large.ts";

/** What to create. */
export type SeedOptions = {
  products: number;
  movements: number;
  tenants: number;
  backgroundProducts: number;
  backgroundMovements: number;
  seed: number;
  log?: (line: string) => void;
};

/** Creates the main tenant and the background tenants; analyzes; returns the main one. */
export async function seedLarge(
  sql: Sql,
  options: SeedOptions,
): Promise<{ main: SeededTenant; background: SeededTenant[]; seconds: number }> {
  const log = options.log ?? (() => {});
  const began = performance.now();
  const retail = (await loadRetail()).series;
  const run = `${Date.now().toString(36)}`;
  const background: SeededTenant[] = [];
  for (let i = 0; i < options.tenants; i++) {
    background.push(
      await seedTenant(sql, retail, {
        name: `Boutique de quartier ${i + 1} (${run})`,
        email: `proprietaire-${run}-${i + 1}@seed.digiboost.sn`,
        products: options.backgroundProducts,
        movements: options.backgroundMovements,
        seed: options.seed * 1000 + i + 1,
      }),
    );
    if ((i + 1) % 10 === 0 || i + 1 === options.tenants) {
      log(`  background tenants: ${i + 1}/${options.tenants}`);
    }
  }
  let last = 0;
  const main = await seedTenant(sql, retail, {
    name: `Supérette Dakar Plateau (${run})`,
    email: `gerant-${run}@seed.digiboost.sn`,
    products: options.products,
    movements: options.movements,
    seed: options.seed,
    onProgress: (written, total) => {
      if (written - last >= 100_000 || written === total) {
        last = written;
        const rate = written / ((performance.now() - began) / 1000);
        log(
          `  movements: ${written.toLocaleString("en")}/${total.toLocaleString("en")} ` +
            `(${Math.round(rate).toLocaleString("en")}/s overall)`,
        );
      }
    },
  });
  await analyzeSeeded(sql);
  return { main, background, seconds: (performance.now() - began) / 1000 };
}

function positive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new Error(`--${name} expects a whole number ≥ 0, got ${value}`);
  }
  return number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      products: { type: "string" },
      movements: { type: "string" },
      tenants: { type: "string" },
      "background-products": { type: "string" },
      "background-movements": { type: "string" },
      seed: { type: "string" },
    },
  });
  const config = loadConfig();
  const embedded = !config.databaseUrl;
  const options: SeedOptions = {
    products: positive("products", values.products, embedded ? 500 : 5_000),
    movements: positive("movements", values.movements, embedded ? 50_000 : 1_000_000),
    tenants: positive("tenants", values.tenants, 0),
    backgroundProducts: positive("background-products", values["background-products"], 200),
    backgroundMovements: positive("background-movements", values["background-movements"], 10_000),
    seed: positive("seed", values.seed, 1),
    log: (line) => console.log(line),
  };
  if (options.products < 1) throw new Error("--products must be at least 1");
  if (embedded && options.movements > 100_000) {
    console.warn(
      `Warning: ${options.movements.toLocaleString("en")} movements into embedded PGlite ` +
        "take a long time (PGlite writes at a few thousand movements/s); set DATABASE_URL " +
        "for Postgres.",
    );
  }
  const db = await openDatabase(config);
  try {
    await migrate(db.sql);
    console.log(
      `Seeding ${embedded ? `embedded PGlite (${config.pgliteDataDir})` : "DATABASE_URL"}: ` +
        `${options.products} products, ${options.movements} movements, ` +
        `${options.tenants} background tenants`,
    );
    const { main, seconds } = await seedLarge(db.sql, options);
    console.log(
      `Done in ${seconds.toFixed(1)} s: tenant "${main.name}" (${main.id}), ` +
        `${main.products} products, ${main.movements} movements over ${main.days} days.\n` +
        `Owner: ${main.owner.email}. Token: deno task token --email ${main.owner.email}`,
    );
  } finally {
    await db.close();
  }
}

if (import.meta.main) await main();
