/**
 * A throw-away Postgres for benchmarks: either a new database on the server that
 * `DATABASE_URL` names, or a whole cluster of its own (initdb into a temporary folder,
 * a free port on 127.0.0.1, run as the `postgres` system user). Both are removed by
 * `drop()`.
 *
 * @module
 */
import postgres from "postgres";

/** A database that exists only for the benchmark run. */
export type ThrowAwayDatabase = {
  url: string;
  /** Where it runs, for the report ("own cluster" or the DATABASE_URL host). */
  origin: string;
  drop(): Promise<void>;
};

const PG_BIN = Deno.env.get("PG_BIN") ?? "/usr/lib/postgresql/15/bin";

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    const text = new TextDecoder().decode(out.stderr) + new TextDecoder().decode(out.stdout);
    throw new Error(`${cmd} ${args.join(" ")} failed with code ${out.code}:\n${text}`);
  }
}

/** Runs a Postgres binary as the `postgres` user when we are root (initdb refuses root). */
function asPostgres(binary: string, args: string[]): [string, string[]] {
  const path = `${PG_BIN}/${binary}`;
  return Deno.uid() === 0 ? ["runuser", ["-u", "postgres", "--", path, ...args]] : [path, args];
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Starts a private cluster in a temporary folder; `drop()` stops it and deletes it.
 * `settings` are extra server settings (`name=value`).
 */
export async function startCluster(settings: string[] = []): Promise<ThrowAwayDatabase> {
  const dir = await Deno.makeTempDir({ prefix: "digiboost-bench-pg-" });
  const data = `${dir}/data`;
  try {
    if (Deno.uid() === 0) await run("chown", ["postgres:postgres", dir]);
    await run(...asPostgres("initdb", [
      "-D",
      data,
      "-U",
      "postgres",
      "-A",
      "trust",
      "-E",
      "UTF8",
      "--locale=C.UTF-8",
      "--no-sync",
    ]));
    const port = freePort();
    await run(...asPostgres("pg_ctl", [
      "-D",
      data,
      "-l",
      `${dir}/server.log`,
      "-w",
      "-o",
      [`-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`, ...settings.map((s) => `-c ${s}`)]
        .join(" "),
      "start",
    ]));
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      origin: `own throw-away cluster (${PG_BIN}, 127.0.0.1:${port}, default settings)`,
      async drop() {
        try {
          await run(...asPostgres("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]));
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      },
    };
  } catch (error) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  }
}

/** Creates a new database on the `serverUrl` server; `drop()` drops it. */
export async function createDatabase(serverUrl: string): Promise<ThrowAwayDatabase> {
  const name = `digiboost_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    origin: `database ${name} on ${url.host} (DATABASE_URL)`,
    async drop() {
      const sql = postgres(serverUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end();
      }
    },
  };
}

/** A throw-away database: on `DATABASE_URL`'s server if set, else in a private cluster. */
export async function throwAwayDatabase(): Promise<ThrowAwayDatabase> {
  const serverUrl = Deno.env.get("DATABASE_URL");
  return serverUrl ? await createDatabase(serverUrl) : await startCluster();
}
