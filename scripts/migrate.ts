/**
 * `deno task migrate`: applies the local Supabase shim and the pending
 * `supabase/migrations/*.sql` to the database at `DATABASE_URL` (or
 * `SUPABASE_DB_URL`), with the same runner the local server uses at boot, and prints
 * what it applied.
 *
 * Exit codes: 0 applied or already up to date; 1 a migration failed or an applied
 * migration's file was edited (the message names it); 2 no database URL.
 *
 * The embedded PGlite database needs no command: `deno task start` migrates it at boot.
 *
 * @module
 */
import { createClient } from "../shared/db/client.ts";
import { migrate, MigrationChecksumError, readMigrations } from "../shared/db/migrate.ts";

/** The URL without its password, fit for a log line. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable URL)";
  }
}

const url = Deno.env.get("DATABASE_URL") || Deno.env.get("SUPABASE_DB_URL");
if (!url || !/^postgres(ql)?:\/\//.test(url)) {
  console.error(
    "migrate: DATABASE_URL must name the database to migrate (postgres://user@host:port/db); " +
      `got ${JSON.stringify(url ?? null)}. The embedded database is migrated by deno task start.`,
  );
  Deno.exit(2);
}

const sql = createClient(url, { max: 1 });

/** Names what failed: the first migration not recorded as applied, else the shim. */
async function failedStep(): Promise<string> {
  try {
    const rows = await sql<{ version: string }[]>`select version from app.schema_migrations`;
    const done = new Set(rows.map((r) => r.version));
    const next = (await readMigrations()).find((m) => !done.has(m.version));
    return next ? `migration ${next.name}` : "the runner";
  } catch {
    return "the shim";
  }
}
let code = 0;
try {
  const total = (await readMigrations()).length;
  const applied = await migrate(sql);
  if (applied.length === 0) {
    console.log(`migrate: ${redact(url)} is up to date (${total} migrations already applied)`);
  } else {
    console.log(`migrate: applied ${applied.length} of ${total} migrations to ${redact(url)}:`);
    for (const name of applied) console.log(`  + ${name}`);
  }
} catch (error) {
  code = 1;
  if (error instanceof MigrationChecksumError) {
    console.error(`migrate: ${error.message}`);
  } else {
    const e = error as { message?: string; detail?: string; hint?: string };
    console.error(`migrate: ${await failedStep()} failed on ${redact(url)}: ${e.message ?? error}`);
    if (e.detail) console.error(`  detail: ${e.detail}`);
    if (e.hint) console.error(`  hint: ${e.hint}`);
  }
} finally {
  await sql.end({ timeout: 5 });
}
Deno.exit(code);
