/**
 * The server under test for `bench:ledger`, and a small in-process load generator.
 *
 * - Postgres: the real local server (`shared/server/main.ts`, as `deno task start`
 *   runs it) in a child process on a free port with `DATABASE_URL`, so the load
 *   generator does not share its JavaScript thread;
 * - embedded PGlite: `bootLocal` and `Deno.serve` in this process, because PGlite is one
 *   backend that only its own process can reach safely (one connection).
 *
 * @module
 */
import { signAccessToken } from "../../shared/auth/jwt.ts";
import { loadConfig } from "../../shared/config.ts";
import type { Database, Sql } from "../../shared/db/client.ts";
import { bootLocal } from "../../shared/server/boot.ts";

/** A running server: its base URL and how to stop it. */
export type ServerUnderTest = {
  url: string;
  describe: string;
  /** The server's process when it runs apart from the load generator. */
  pid?: number;
  stop(): Promise<void>;
};

const ENV = {
  APP_ENV: "development",
  LOG_REQUESTS: "false",
  SEED_DEMO: "false",
  DATABASE_POOL_MAX: "10",
};

/** The configuration the server runs with (local HS256 secret). */
export const benchConfig = (databaseUrl?: string) =>
  loadConfig({ ...ENV, DATABASE_URL: databaseUrl, PGLITE_DATA_DIR: "memory://" });

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function waitForHealth(url: string, child: Deno.ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  child.status.then(() => exited = true);
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`${url}/health`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`The server at ${url} did not answer /health within 60 s (exited: ${exited})`);
}

/** Starts `shared/server/main.ts` in a child process against `databaseUrl`. */
export async function startChildServer(databaseUrl: string): Promise<ServerUnderTest> {
  const port = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", new URL("../../shared/server/main.ts", import.meta.url).pathname],
    env: { ...ENV, DATABASE_URL: databaseUrl, PORT: String(port) },
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child);
  } catch (error) {
    child.kill("SIGTERM");
    await child.status;
    throw error;
  }
  return {
    url,
    pid: child.pid,
    describe: `child process: deno run shared/server/main.ts (DATABASE_URL, pool 10), ${url}`,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
    },
  };
}

/** Boots the local stack on `db` in this process (embedded PGlite). */
export async function startInProcessServer(db: Database): Promise<ServerUnderTest> {
  const stack = await bootLocal(benchConfig(), db);
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (request, info) => stack.fetch(request, { remoteAddr: info.remoteAddr as Deno.NetAddr }),
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    describe: `in-process bootLocal + Deno.serve on embedded PGlite, port ${server.addr.port}`,
    stop: () => server.shutdown(),
  };
}

/** An owner's access token for `tenantId`, as the custom access token hook would make it. */
export async function ownerToken(
  user: { id: string; email: string },
  tenantId: string,
): Promise<string> {
  return await signAccessToken({
    sub: user.id,
    email: user.email,
    role: "authenticated",
    session_id: crypto.randomUUID(),
    tenant_id: tenantId,
  }, benchConfig());
}

/**
 * Runs `count` tasks with `concurrency` workers; `task(i)` returns nothing or throws.
 * Returns each task's latency (ms) and the wall time (s).
 */
export async function load(
  count: number,
  concurrency: number,
  task: (index: number, worker: number) => Promise<void>,
): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const began = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, worker) => {
    while (next < count) {
      const index = next++;
      const start = performance.now();
      await task(index, worker);
      latencies.push(performance.now() - start);
    }
  }));
  return { latencies, seconds: (performance.now() - began) / 1000 };
}

/** Sends JSON; throws with the body unless the status is `expected`. */
export async function send(
  url: string,
  token: string,
  method: string,
  body: unknown,
  expected: number,
): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== expected) {
    throw new Error(`${method} ${url}: expected ${expected}, got ${response.status}: ${text}`);
  }
  return JSON.parse(text);
}

/** CPU seconds (user + system) of a process, from /proc (0 when unreadable). */
async function cpuOf(pid: number | "self"): Promise<number> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the name.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of the benchmark database's backends, by pid (`pg_stat_activity` of the
 * current database: the server's pool and the benchmark's own connections; other
 * clusters on the machine and background processes are left out).
 */
async function cpuOfBackends(sql?: Sql): Promise<Map<number, number>> {
  const byPid = new Map<number, number>();
  if (!sql) return byPid;
  const rows = await sql<{ pid: number }[]>`
    select pid from pg_stat_activity where datname = current_database()`;
  for (const { pid } of rows) byPid.set(pid, await cpuOf(pid));
  return byPid;
}

/** CPU seconds so far of the server under test, Postgres and this load generator. */
export type CpuSample = { server: number; postgres: Map<number, number>; client: number };

/** Samples CPU use; the difference of two samples says where a phase's time went. */
export async function sampleCpu(serverPid?: number, sql?: Sql): Promise<CpuSample> {
  return {
    server: serverPid ? await cpuOf(serverPid) : 0,
    postgres: await cpuOfBackends(sql),
    client: await cpuOf("self"),
  };
}

/**
 * "CPU per request: server … ms, Postgres … ms, load generator … ms". Postgres is the
 * sum over the database's backends alive at the end (background writers, WAL writer
 * and autovacuum are left out, so it is a lower bound).
 */
export function cpuPerRequest(before: CpuSample, after: CpuSample, requests: number): string {
  let postgres = 0;
  for (const [pid, seconds] of after.postgres) {
    postgres += seconds - (before.postgres.get(pid) ?? 0);
  }
  const per = (seconds: number) => (seconds * 1000 / requests).toFixed(2);
  return `CPU per request: server ${per(after.server - before.server)} ms, Postgres ${
    per(postgres)
  } ms, load generator ${per(after.client - before.client)} ms`;
}
