/**
 * Boots a whole local stack for one test file: a fresh database (in-memory PGlite by
 * default; with DATABASE_URL, a new database on that server cloned from a migrated
 * template), migrations, and the local server on a free port.
 *
 * @module
 */
import postgres from "postgres";
import { type Config, loadConfig } from "../../shared/config.ts";
import { createClient, type Database, openDatabase, type Sql } from "../../shared/db/client.ts";
import { migrate, readMigrations } from "../../shared/db/migrate.ts";
import { bootLocal, type LocalStack } from "../../shared/server/boot.ts";

/** A running stack: its base URL, a superuser client, its config. */
export type TestStack = LocalStack & {
  url: string;
  sql: Sql;
  config: Config;
  close(): Promise<void>;
};

/** Test configuration: quiet, no demo seed, overridable. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    APP_ENV: "test",
    LOG_REQUESTS: "false",
    SEED_DEMO: "false",
    DATABASE_URL: undefined,
    ...overrides,
  });
}

async function templateName(): Promise<string> {
  const migrations = await readMigrations();
  const shim = await Deno.readTextFile(
    new URL("../../supabase/shim/local_supabase.sql", import.meta.url),
  );
  const text = shim + migrations.map((m) => m.checksum).join("");
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  const hex = Array.from(new Uint8Array(digest).slice(0, 6), (b) => b.toString(16).padStart(2, "0"))
    .join("");
  return `digiboost_tmpl_${hex}`;
}

/** Creates a fresh database on the DATABASE_URL server, cloned from a migrated template. */
export async function freshPostgresDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  const template = await templateName();
  const name = `digiboost_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  try {
    const reserved = await admin.reserve();
    try {
      await reserved`select pg_advisory_lock(hashtext('digiboost.test-template'))`;
      const [exists] = await reserved`select 1 from pg_database where datname = ${template}`;
      if (!exists) {
        // Built under a scratch name and renamed once migrated, so a run killed halfway
        // never leaves a half-migrated template behind for the next run to clone.
        const building = `${template}_building`;
        await reserved.unsafe(`drop database if exists "${building}" with (force)`);
        await reserved.unsafe(`create database "${building}"`);
        const sql = createClient(withDatabase(serverUrl, building), { max: 1 });
        try {
          await migrate(sql);
        } catch (error) {
          await sql.end();
          await reserved.unsafe(`drop database if exists "${building}" with (force)`);
          throw error;
        }
        await sql.end();
        await reserved.unsafe(`alter database "${building}" rename to "${template}"`);
      }
      await reserved.unsafe(`create database "${name}" template "${template}"`);
      await reserved`select pg_advisory_unlock(hashtext('digiboost.test-template'))`;
    } finally {
      reserved.release();
    }
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(serverUrl, name),
    async drop() {
      const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
      await sql.end();
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Opens a fresh database for one test file (PGlite in memory, or a new PG database). */
export async function openTestDatabase(): Promise<{ db: Database; cleanup(): Promise<void> }> {
  const serverUrl = Deno.env.get("DATABASE_URL");
  if (serverUrl) {
    const fresh = await freshPostgresDatabase(serverUrl);
    const db = await openDatabase({
      databaseUrl: fresh.url,
      pgliteDataDir: "",
      databasePoolMax: 10,
    });
    return {
      db,
      async cleanup() {
        await db.close();
        await fresh.drop();
      },
    };
  }
  const db = await openDatabase({
    databaseUrl: undefined,
    pgliteDataDir: "memory://",
    databasePoolMax: 1,
  });
  return { db, cleanup: () => db.close() };
}

/** Boots the stack for a test file. Call once per file; `close()` in the last test. */
export async function startStack(overrides: Record<string, string> = {}): Promise<TestStack> {
  const config = testConfig(overrides);
  const { db, cleanup } = await openTestDatabase();
  const stack = await bootLocal(config, db);
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (request, info) => stack.fetch(request, { remoteAddr: info.remoteAddr as Deno.NetAddr }),
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  return {
    ...stack,
    url,
    sql: db.sql,
    config,
    async close() {
      await server.shutdown();
      await cleanup();
    },
  };
}
