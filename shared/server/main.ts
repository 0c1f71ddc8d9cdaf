/**
 * `deno task start`: the local server on http://localhost:8000 — embedded PGlite in
 * `.data/` unless DATABASE_URL is set, demo data in development, and the scheduled jobs
 * (docs/scheduling.md).
 *
 * @module
 */
import { ConfigError, loadConfig } from "../config.ts";
import { MigrationChecksumError } from "../db/migrate.ts";
import { bootLocal } from "./boot.ts";

try {
  const config = loadConfig();
  const stack = await bootLocal(config, undefined, { jobs: true });
  const where = stack.db.mode === "embedded"
    ? `embedded PGlite in ${config.pgliteDataDir} (psql: ${stack.db.url})`
    : "DATABASE_URL";
  const server = Deno.serve({
    port: config.port,
    hostname: "0.0.0.0",
    onListen: ({ port }) => {
      console.log(JSON.stringify({
        ts: new Date().toISOString(),
        level: "info",
        msg: `Digiboost PME listening on http://localhost:${port} (${config.appEnv})`,
        database: where,
        migrations_applied: stack.migrations,
        docs: `http://localhost:${port}/api/v1/docs`,
      }));
    },
  }, (request, info) => stack.fetch(request, { remoteAddr: info.remoteAddr as Deno.NetAddr }));
  const shutdown = async () => {
    await server.shutdown();
    await stack.scheduler?.stop();
    await stack.db.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", shutdown);
  Deno.addSignalListener("SIGTERM", shutdown);
} catch (error) {
  if (error instanceof ConfigError || error instanceof MigrationChecksumError) {
    console.error(error.message);
    Deno.exit(1);
  }
  throw error;
}
