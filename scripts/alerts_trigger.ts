/**
 * `deno task alerts:trigger`: runs one alerts evaluation now, through the job runner
 * (lock, `job_runs` row with trigger `manual`), and prints that row as JSON:
 *
 *     deno task alerts:trigger                              # embedded PGlite (.data/)
 *     DATABASE_URL=postgres://… deno task alerts:trigger    # any Postgres
 *
 * Without DATABASE_URL it opens the embedded database in `PGLITE_DATA_DIR` and applies
 * pending migrations first, as the server would; PGlite's folder can be opened by one
 * process only, so stop `deno task start` first (or, with the server running, call
 * `POST /functions/v1/alerts-evaluate` with a service-role token; docs/scheduling.md).
 * With DATABASE_URL the database must already be migrated.
 *
 * Exit codes: 0 the run succeeded (or was skipped: another run held the lock); 1 the run
 * failed or the database could not be reached; 2 bad configuration.
 *
 * @module
 */
import { ConfigError, loadConfig } from "../shared/config.ts";
import { openDatabase } from "../shared/db/client.ts";
import { migrate } from "../shared/db/migrate.ts";
import { createDeps } from "../shared/deps.ts";
import { runNamedJob } from "../shared/jobs/registry.ts";

let code = 0;
try {
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    if (db.mode === "embedded") await migrate(db.sql);
    const run = await runNamedJob(createDeps(config, db), "alerts-evaluate", "manual");
    console.log(JSON.stringify(run, null, 2));
    if (run.status === "failed") code = 1;
  } finally {
    await db.close();
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    code = 2;
  } else {
    console.error(`alerts:trigger: ${error instanceof Error ? error.message : error}`);
    code = 1;
  }
}
Deno.exit(code);
