/**
 * Runs a command against a throw-away Postgres 15 cluster:
 *
 *     deno run -A scripts/with_postgres.ts deno task test     # = deno task test:pg
 *     deno run -A scripts/with_postgres.ts psql               # poke around
 *
 * It creates a cluster in a temporary folder (initdb, trust auth, 127.0.0.1 only, a
 * free port, `shared_preload_libraries = 'pg_cron'` when pg_cron is installed), runs
 * the command with `DATABASE_URL` and `PGHOST`/`PGPORT`/`PGUSER`/`PGDATABASE` pointing
 * at it, then stops the cluster and deletes the folder — also when the command fails
 * or the script is interrupted. The exit code is the command's.
 *
 * Postgres refuses to run as root: as root, the server commands run as the `postgres`
 * user (`runuser`). `PG_BIN` overrides the binaries' folder (default
 * `/usr/lib/postgresql/15/bin`, else whatever `initdb` is on PATH). `PG_KEEP=1` leaves
 * the folder in place for a post-mortem (its `postgres.log` has the server log).
 * With pg_cron, `create extension pg_cron` is done in the `postgres` database (the
 * `cron.database_name`), so `cron.job` is there to schedule and inspect.
 *
 * @module
 */

const DEFAULT_BIN = "/usr/lib/postgresql/15/bin";

function fail(message: string): never {
  console.error(`with_postgres: ${message}`);
  Deno.exit(2);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command; throws with its output when it does not succeed. */
async function run(cmd: string[], options: { cwd?: string } = {}): Promise<string> {
  const output = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd: options.cwd,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  if (!output.success) throw new Error(`${cmd.join(" ")} exited with ${output.code}:\n${text}`);
  return text;
}

async function binDir(): Promise<string> {
  const fromEnv = Deno.env.get("PG_BIN");
  if (fromEnv) return fromEnv;
  if (await exists(`${DEFAULT_BIN}/initdb`)) return DEFAULT_BIN;
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir && await exists(`${dir}/initdb`)) return dir;
  }
  fail(
    `initdb not found in ${DEFAULT_BIN} nor on PATH (apt-get install postgresql-15, or set PG_BIN)`,
  );
}

/** A port nobody listens on right now (the OS picks it). */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

if (Deno.args.length === 0) {
  fail("usage: deno run -A scripts/with_postgres.ts <command> [args…]");
}

const bin = await binDir();
const asRoot = Deno.uid() === 0;
// Server-side commands run as `postgres` when we are root (initdb/postgres refuse root).
const asOwner = (cmd: string[]) => asRoot ? ["runuser", "-u", "postgres", "--", ...cmd] : cmd;

const dir = await Deno.makeTempDir({ prefix: "digiboost-pg-" });
const data = `${dir}/data`;
const log = `${dir}/postgres.log`;
if (asRoot) await run(["chown", "postgres:", dir]);

let started = false;
let cleaning: Promise<void> | undefined;
/** Stops the server and removes the folder; every caller waits for the same run. */
function cleanup(): Promise<void> {
  cleaning ??= stopAndRemove();
  return cleaning;
}
async function stopAndRemove(): Promise<void> {
  if (started) {
    await run(asOwner([`${bin}/pg_ctl`, "-D", data, "-m", "immediate", "-w", "stop"]), { cwd: dir })
      .catch((error) => console.error(`with_postgres: ${error.message}`));
  }
  if (Deno.env.get("PG_KEEP") === "1") {
    console.error(`with_postgres: kept ${dir}`);
    return;
  }
  await Deno.remove(dir, { recursive: true }).catch(() => undefined);
}

let child: Deno.ChildProcess | undefined;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  Deno.addSignalListener(signal, async () => {
    try {
      child?.kill(signal);
    } catch {
      // already gone
    }
    await cleanup();
    Deno.exit(130);
  });
}

/**
 * Starts the server on a free port and returns the port. The port is free when picked
 * but could be taken before Postgres binds it: then it tries another (later lines of
 * postgresql.conf win).
 */
async function start(hasCron: boolean): Promise<number> {
  for (let attempt = 1;; attempt++) {
    const port = freePort();
    const settings = [
      `listen_addresses = '127.0.0.1'`,
      `port = ${port}`,
      `unix_socket_directories = '${dir}'`,
      `max_connections = 300`,
      `log_min_messages = warning`,
      ...(hasCron
        ? [`shared_preload_libraries = 'pg_cron'`, `cron.database_name = 'postgres'`]
        : []),
    ];
    await Deno.writeTextFile(`${data}/postgresql.conf`, `\n${settings.join("\n")}\n`, {
      append: true,
    });
    // Marked before starting: a start that times out may still leave a server running.
    started = true;
    try {
      await run(asOwner([`${bin}/pg_ctl`, "-D", data, "-l", log, "-w", "-t", "60", "start"]), {
        cwd: dir,
      });
      return port;
    } catch (error) {
      const serverLog = await Deno.readTextFile(log).catch(() => "");
      if (attempt >= 3 || !/could not bind|Address already in use/.test(serverLog)) throw error;
    }
  }
}

let code = 1;
try {
  await run(
    asOwner([
      `${bin}/initdb`,
      "-D",
      data,
      "-U",
      "postgres",
      "--auth=trust",
      "--encoding=UTF8",
      "--locale=C.UTF-8",
      "--no-sync",
    ]),
    { cwd: dir },
  );
  const libDir = (await run([`${bin}/pg_config`, "--pkglibdir"]).catch(() => "")).trim();
  const hasCron = libDir !== "" && await exists(`${libDir}/pg_cron.so`);
  if (!hasCron) console.error("with_postgres: pg_cron not installed; starting without it");
  const port = await start(hasCron);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  if (hasCron) {
    // pg_cron lives in the database cron.database_name names; jobs for other databases
    // are scheduled from there with cron.schedule_in_database().
    await run([`${bin}/psql`, url, "-X", "-q", "-c", "create extension pg_cron"]);
  }
  console.error(`with_postgres: Postgres (${bin}) on ${url}, data in ${data}`);
  child = new Deno.Command(Deno.args[0], {
    args: Deno.args.slice(1),
    env: {
      DATABASE_URL: url,
      PGHOST: "127.0.0.1",
      PGPORT: String(port),
      PGUSER: "postgres",
      PGDATABASE: "postgres",
      PG_BIN: bin,
    },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  code = (await child.status).code;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  if (await exists(log)) console.error(await Deno.readTextFile(log));
  code = 2;
} finally {
  await cleanup();
}
Deno.exit(code);
