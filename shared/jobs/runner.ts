/**
 * The job runner: every run of a scheduled job, wherever it started, goes through
 * {@link runJob}, which records it in `job_runs` and never lets two runs of one job
 * overlap. On a real Postgres the guard is an advisory lock (so it spans processes: the
 * local server, `deno task alerts:trigger`, an Edge Function), taken in a transaction
 * that one pool connection keeps open for the whole run; on the embedded PGlite
 * database, which one process owns, it is an in-process set of running jobs.
 *
 * @module
 */
import type { Database, Sql } from "../db/client.ts";
import { withServiceTx } from "../db/tx.ts";
import type { Deps } from "../http/context.ts";

/** What started a run (column `job_runs.trigger`). */
export type JobTrigger = "cron" | "notify" | "in_process" | "manual" | "http";

/** What a job's work reports; stored in its `job_runs` row. */
export type JobCounts = {
  tenants?: number;
  alerts_opened?: number;
  alerts_resolved?: number;
  messages_queued?: number;
  messages_sent?: number;
  errors?: number;
  details?: Record<string, unknown>;
};

/** A `job_runs` row. */
export type JobRun = {
  id: number;
  job: string;
  trigger: JobTrigger;
  status: "running" | "succeeded" | "failed" | "skipped";
  started_at: string;
  finished_at: string | null;
  tenants: number;
  alerts_opened: number;
  alerts_resolved: number;
  messages_queued: number;
  messages_sent: number;
  errors: number;
  error: string | null;
  details: Record<string, unknown>;
};

/** A job's work; `runId` is its `job_runs` row. */
export type JobWork = (run: { runId: number; trigger: JobTrigger }) => Promise<JobCounts>;

/** Jobs running now per embedded database (PGlite: one process owns the database). */
const runningEmbedded = new WeakMap<Database, Set<string>>();

/** The advisory lock key of a job (two int4 halves: a namespace and the job's hash). */
const LOCK_NAMESPACE = 0x6a6f6273; // "jobs"

const COUNT_COLUMNS = [
  "tenants",
  "alerts_opened",
  "alerts_resolved",
  "messages_queued",
  "messages_sent",
  "errors",
] as const;

/** Logs one JSON line (stdout for info, stderr for errors). */
export function logJob(level: "info" | "warn" | "error", fields: Record<string, unknown>): void {
  const line = JSON.stringify({ ts: new Date().toISOString(), level, ...fields });
  if (level === "info") console.log(line);
  else console.error(line);
}

/**
 * Runs `work` as one run of `job`: inserts a `running` row, takes the job's lock (held
 * by another run → the row ends `skipped` and `work` is not called), runs the work and
 * ends the row `succeeded` with its counts or `failed` with the error text. A failing
 * work is logged, never thrown; only a database failure of the bookkeeping itself is.
 * Returns the final row.
 */
export async function runJob(
  deps: Pick<Deps, "db">,
  { job, trigger }: { job: string; trigger: JobTrigger },
  work: JobWork,
): Promise<JobRun> {
  const { db } = deps;
  const [{ id }] = await withServiceTx(db.sql, (tx) =>
    tx<{ id: number }[]>`
      insert into public.job_runs (job, trigger) values (${job}, ${trigger}) returning id::int`);
  const lock = await acquire(db, job);
  if (!lock) {
    const run = await finish(db.sql, id, { status: "skipped" });
    logJob("info", { msg: "job skipped: another run holds the lock", job, trigger, run_id: id });
    return run;
  }
  try {
    const counts = await work({ runId: id, trigger });
    const run = await finish(db.sql, id, { status: "succeeded", counts });
    logJob("info", {
      msg: "job succeeded",
      job,
      trigger,
      run_id: id,
      ms: elapsedMs(run),
      ...Object.fromEntries(COUNT_COLUMNS.map((c) => [c, run[c]])),
    });
    return run;
  } catch (error) {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    logJob("error", {
      msg: "job failed",
      job,
      trigger,
      run_id: id,
      error: text,
      stack: error instanceof Error ? error.stack : undefined,
    });
    return await finish(db.sql, id, { status: "failed", error: text });
  } finally {
    await lock.release();
  }
}

type Lock = { release(): Promise<void> };

/** Takes the job's lock without waiting; null when another run holds it. */
async function acquire(db: Database, job: string): Promise<Lock | null> {
  if (db.mode === "embedded") {
    let running = runningEmbedded.get(db);
    if (!running) runningEmbedded.set(db, running = new Set());
    if (running.has(job)) return null;
    running.add(job);
    return {
      release: () => {
        running.delete(job);
        return Promise.resolve();
      },
    };
  }
  // A transaction-scoped lock, held by keeping its transaction open on one connection
  // until the run ends. Not a session lock (pg_try_advisory_lock): behind Supabase's
  // transaction pooler (port 6543, what Edge Functions use) consecutive statements of
  // one client connection may reach different server sessions, so a session lock
  // could be taken on one and "released" on another. The transaction takes no other
  // lock and, in read committed, holds no snapshot while it waits.
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let transaction!: Promise<unknown>;
  const locked = await new Promise<boolean>((resolve, reject) => {
    transaction = db.sql.begin(async (tx) => {
      const [row] = await tx<{ locked: boolean }[]>`
        select pg_try_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext(${job})) as locked`;
      resolve(row.locked);
      if (row.locked) await released;
    });
    transaction.catch(reject);
  });
  if (!locked) {
    await transaction;
    return null;
  }
  return {
    async release() {
      release();
      await transaction.catch((error) =>
        logJob("warn", {
          msg: "job lock: transaction ended with an error",
          job,
          error: String(error),
        })
      );
    },
  };
}

async function finish(
  sql: Sql,
  id: number,
  outcome: { status: JobRun["status"]; counts?: JobCounts; error?: string },
): Promise<JobRun> {
  const counts = outcome.counts ?? {};
  const value = (name: (typeof COUNT_COLUMNS)[number]) => {
    const n = counts[name] ?? 0;
    if (!Number.isInteger(n) || n < 0) {
      throw new Error(`job_runs.${name}: expected a non-negative integer, got ${n}`);
    }
    return n;
  };
  const [run] = await withServiceTx(sql, (tx) =>
    tx<JobRun[]>`
      update public.job_runs set
        status = ${outcome.status},
        finished_at = clock_timestamp(),
        tenants = ${value("tenants")},
        alerts_opened = ${value("alerts_opened")},
        alerts_resolved = ${value("alerts_resolved")},
        messages_queued = ${value("messages_queued")},
        messages_sent = ${value("messages_sent")},
        errors = ${value("errors")},
        error = ${outcome.error ?? null},
        details = ${tx.json((counts.details ?? {}) as never)}
      where id = ${id}
      returning id::int, job, trigger, status, started_at, finished_at, tenants, alerts_opened,
        alerts_resolved, messages_queued, messages_sent, errors, error, details`);
  return run;
}

function elapsedMs(run: JobRun): number {
  return run.finished_at ? Date.parse(run.finished_at) - Date.parse(run.started_at) : 0;
}
