/**
 * One postgres.js client per process, for both database modes: a real Postgres from
 * `DATABASE_URL`, or the embedded PGlite database when no URL is configured.
 *
 * @module
 */
import postgres from "postgres";
import { type Config, ConfigError } from "../config.ts";
import { startEmbedded } from "./embedded.ts";

/** The postgres.js client type used across the project. */
export type Sql = postgres.Sql;
/** A transaction handle inside `sql.begin`. */
export type Tx = postgres.TransactionSql;

/** An open database: its client, how it runs, and how to close it. */
export type Database = {
  sql: Sql;
  mode: "embedded" | "postgres";
  /** Connection URL (for the embedded mode, the loopback socket). */
  url: string;
  close(): Promise<void>;
};

/** Creates a postgres.js client with the project's settings. */
export function createClient(url: string, options: { max?: number } = {}): Sql {
  const pooled = /pooler\.supabase\.com|:6543\//.test(url);
  return postgres(url, {
    max: options.max ?? 10,
    // Supabase's transaction pooler does not keep prepared statements.
    prepare: !pooled,
    onnotice: () => {},
    idle_timeout: 30,
    connect_timeout: 10,
    connection: { application_name: "digiboost" },
    types: {
      // timestamptz as ISO 8601 strings: what the API returns and the docs describe.
      timestamptz: {
        to: 1184,
        from: [1184],
        serialize: (value: unknown) => value instanceof Date ? value.toISOString() : value,
        parse: (value: string) => new Date(value).toISOString(),
      },
    },
  });
}

/**
 * Opens the database the configuration names. Embedded mode boots PGlite in
 * `config.pgliteDataDir` (or `memory://`), and uses one connection: PGlite is a
 * single backend, and pglite-socket only keeps transactions apart, not the messages
 * of two connections' extended-protocol queries.
 */
export async function openDatabase(
  config: Pick<Config, "databaseUrl" | "pgliteDataDir" | "databasePoolMax"> & {
    pglitePort?: number;
  },
  options: { allowEmbedded?: boolean } = {},
): Promise<Database> {
  if (!config.databaseUrl && options.allowEmbedded === false) {
    throw new ConfigError([
      "DATABASE_URL (or SUPABASE_DB_URL): required here; only the local server embeds PGlite",
    ]);
  }
  if (config.databaseUrl) {
    const sql = createClient(config.databaseUrl, { max: config.databasePoolMax });
    return { sql, mode: "postgres", url: config.databaseUrl, close: () => sql.end({ timeout: 5 }) };
  }
  const embedded = await startEmbedded(config.pgliteDataDir, config.pglitePort ?? 0);
  const sql = createClient(embedded.url, { max: 1 });
  return {
    sql,
    mode: "embedded",
    url: embedded.url,
    async close() {
      await sql.end({ timeout: 5 });
      await embedded.stop();
    },
  };
}
