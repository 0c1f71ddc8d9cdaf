/**
 * Boots the local stack in one process: database (embedded or real), shim and
 * migrations, optional demo seed, and the local server's router.
 *
 * @module
 */
import { createAuthApp } from "../gotrue/routes.ts";
import type { Config } from "../config.ts";
import { type Database, openDatabase } from "../db/client.ts";
import { migrate } from "../db/migrate.ts";
import { createDeps } from "../deps.ts";
import type { Deps } from "../http/context.ts";
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
};

/** Loads supabase/seed.sql (idempotent). */
export async function seedDemo(db: Database): Promise<void> {
  const seed = await Deno.readTextFile(SEED);
  await db.sql.begin((tx) => tx.unsafe(seed));
}

/** Opens the database, migrates, seeds when configured and builds the router. */
export async function bootLocal(config: Config, db?: Database): Promise<LocalStack> {
  const database = db ?? await openDatabase(config);
  const migrations = await migrate(database.sql);
  if (config.seedDemo) await seedDemo(database);
  const deps = createDeps(config, database);
  // The local auth subset signs HS256 tokens: without a secret (JWKS only, i.e. tokens
  // come from a hosted Supabase Auth) it is not mounted and /auth/v1 is a 404.
  const app = createLocalServer(deps, { auth: config.jwtSecret ? createAuthApp(deps) : undefined });
  return {
    deps,
    db: database,
    fetch: (request, env) => app.fetch(request, env),
    migrations,
  };
}
