/**
 * `deno task alerts:trigger`: runs one alerts evaluation now, through the job runner
 * (lock, `job_runs` row with trigger `manual`), and prints that row as JSON:
 *
 *     deno task alerts:trigger                              # embedded PGlite (.data/)
 *     DATABASE_URL=postgres://… deno task alerts:trigger    # any Postgres
 *
 * With DATABASE_URL the database must already be migrated. Without it, PGlite's folder
 * can be opened by one process only: when the local server answers at SUPABASE_URL
 * (default http://localhost:8000), the run goes through its
 * `POST /functions/v1/alerts-evaluate` with a service-role token signed with the local
 * JWT secret (still trigger `manual`); otherwise the script opens the embedded database
 * in `PGLITE_DATA_DIR` and applies pending migrations first, as the server would.
 *
 * Exit codes: 0 the run succeeded (or was skipped: another run held the lock); 1 the run
 * failed or the database could not be reached; 2 bad configuration.
 *
 * @module
 */
import { signAccessToken } from "../shared/auth/jwt.ts";
import { type Config, ConfigError, loadConfig } from "../shared/config.ts";
import { openDatabase } from "../shared/db/client.ts";
import { migrate } from "../shared/db/migrate.ts";
import { createDeps } from "../shared/deps.ts";
import { runNamedJob } from "../shared/jobs/registry.ts";
import type { JobRun } from "../shared/jobs/runner.ts";

/** Runs the job through the local server's function; null when no server answers. */
async function throughServer(config: Config): Promise<JobRun | null> {
  const health = await fetch(`${config.supabaseUrl}/health`, { signal: AbortSignal.timeout(1000) })
    .then(async (response) => (await response.body?.cancel(), response.ok))
    .catch(() => false);
  if (!health) return null;
  if (!config.jwtSecret) {
    throw new Error(`a server answers at ${config.supabaseUrl} but no JWT secret is configured`);
  }
  const token = await signAccessToken({ sub: "service_role", role: "service_role" }, config);
  const response = await fetch(`${config.supabaseUrl}/functions/v1/alerts-evaluate`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ trigger: "manual" }),
  });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(`${config.supabaseUrl} answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body as JobRun;
}

let code = 0;
try {
  const config = loadConfig();
  const viaServer = config.databaseUrl ? null : await throughServer(config);
  if (viaServer) {
    console.log(JSON.stringify(viaServer, null, 2));
    Deno.exit(viaServer.status === "failed" ? 1 : 0);
  }
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
