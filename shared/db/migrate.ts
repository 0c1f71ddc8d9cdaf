/**
 * Migration runner: installs the local Supabase shim where objects are missing, then
 * applies `supabase/migrations/*.sql` in file-name order, each once, in its own
 * transaction, recording name and checksum. An applied migration whose file changed
 * stops the runner (edit history by adding a migration, never by rewriting one).
 *
 * Hosted projects use `supabase db push` instead; this runner is for the embedded
 * database, local Postgres and CI.
 *
 * @module
 */
import type { Sql } from "./client.ts";

const SUPABASE_DIR = new URL("../../supabase/", import.meta.url);

/** A migration file with its version (the timestamp prefix) and checksum. */
export type Migration = { version: string; name: string; sql: string; checksum: string };

/** Raised when an applied migration's file no longer matches what was applied. */
export class MigrationChecksumError extends Error {
  constructor(readonly migration: string, recorded: string, current: string) {
    super(
      `Migration ${migration} was changed after it was applied (recorded checksum ${
        recorded.slice(0, 12)
      }…, file now ${current.slice(0, 12)}…). ` +
        "Restore the file and put the change in a new migration.",
    );
    this.name = "MigrationChecksumError";
  }
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Reads the migration files from `dir` (defaults to `supabase/migrations/`). */
export async function readMigrations(
  dir: URL = new URL("migrations/", SUPABASE_DIR),
): Promise<Migration[]> {
  const migrations: Migration[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const match = entry.isFile ? /^(\d{14})_([a-z0-9_]+)\.sql$/.exec(entry.name) : null;
    if (!match) continue;
    const sql = await Deno.readTextFile(new URL(entry.name, dir));
    migrations.push({ version: match[1], name: entry.name, sql, checksum: await sha256(sql) });
  }
  return migrations.sort((a, b) => a.version.localeCompare(b.version));
}

/** Installs the local Supabase shim (a no-op where Supabase's own objects exist). */
export async function installShim(sql: Sql): Promise<void> {
  const shim = await Deno.readTextFile(new URL("shim/local_supabase.sql", SUPABASE_DIR));
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('digiboost.shim'))`;
    await tx.unsafe(shim);
  });
}

/**
 * Applies pending migrations; returns the names applied by this call. Safe to run
 * from several processes at once (an advisory lock serialises them).
 */
export async function migrate(
  sql: Sql,
  options: { dir?: URL; shim?: boolean } = {},
): Promise<string[]> {
  if (options.shim !== false) await installShim(sql);
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('digiboost.migrations'))`;
    await tx.unsafe(`
      create schema if not exists app;
      create table if not exists app.schema_migrations (
        version text primary key,
        name text not null,
        checksum text not null,
        applied_at timestamptz not null default now()
      );
      comment on table app.schema_migrations is
        'Migrations applied by the local runner (hosted projects use supabase_migrations).';
      comment on column app.schema_migrations.version is 'Timestamp prefix of the migration file.';
      comment on column app.schema_migrations.name is 'Migration file name.';
      comment on column app.schema_migrations.checksum is 'SHA-256 of the file as applied.';
      comment on column app.schema_migrations.applied_at is 'When it was applied.';
    `);
  });
  const migrations = await readMigrations(options.dir);
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext('digiboost.migrations'))`;
      const [row] = await tx<{ checksum: string }[]>`
        select checksum from app.schema_migrations where version = ${migration.version}`;
      if (row) {
        if (row.checksum !== migration.checksum) {
          throw new MigrationChecksumError(migration.name, row.checksum, migration.checksum);
        }
        return false;
      }
      await tx.unsafe(migration.sql);
      await tx`insert into app.schema_migrations (version, name, checksum)
        values (${migration.version}, ${migration.name}, ${migration.checksum})`;
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}
