/**
 * Boots the local stack in one process: database (embedded or real), shim and
 * migrations, optional demo seed, the local server's router and, when asked
 * (`deno task start`; never by default, so tests start no timers), the scheduled jobs.
 *
 * @module
 */
import { createAuthApp } from "../gotrue/routes.ts";
import type { Config } from "../config.ts";
import { type Database, openDatabase } from "../db/client.ts";
import { migrate } from "../db/migrate.ts";
import { createDeps } from "../deps.ts";
import type { Deps } from "../http/context.ts";
import { type Scheduler, startScheduler } from "../jobs/scheduler.ts";
import { createLocalServer } from "./app.ts";

const SEED = new URL("../../supabase/seed.sql", import.meta.url);

/** A booted local stack. */
export type LocalStack = {
  deps: Deps;
  db: Database;
  fetch: (
    request: Request,
    env?: { remoteAddr?: { hostname: string } },
  ) => Response | Promise<Response>;
  migrations: string[];
  /** The scheduled jobs' listener or timers, when started (`jobs: true`). */
  scheduler?: Scheduler;
};

/** What {@link bootLocal} starts besides the router. */
export type BootOptions = {
  /**
   * Start the scheduled jobs: LISTEN for `app.invoke_function` notifications on real
   * Postgres, the cron expressions in-process on PGlite. Off by default.
   */
  jobs?: boolean;
};

/** Loads supabase/seed.sql (idempotent). */
export async function seedDemo(db: Database): Promise<void> {
  const seed = await Deno.readTextFile(SEED);
  await db.sql.begin((tx) => tx.unsafe(seed));
}

/** Opens the database, migrates, seeds when configured and builds the router. */
export async function bootLocal(
  config: Config,
  db?: Database,
  options: BootOptions = {},
): Promise<LocalStack> {
  const database = db ?? await openDatabase(config);
  const migrations = await migrate(database.sql);
  if (config.seedDemo) await seedDemo(database);
  const deps = createDeps(config, database);
  // The local auth subset signs HS256 tokens: without a secret (JWKS only, i.e. tokens
  // come from a hosted Supabase Auth) it is not mounted and /auth/v1 is a 404.
  const app = createLocalServer(deps, { auth: config.jwtSecret ? createAuthApp(deps) : undefined });
  const scheduler = options.jobs ? await startScheduler(deps) : undefined;
  return {
    deps,
    db: database,
    fetch: (request, env) => app.fetch(request, env),
    migrations,
    scheduler,
  };
}
