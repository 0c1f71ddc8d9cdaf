/**
 * The local server's side of the schedule (docs/scheduling.md):
 *
 * - on a real Postgres, pg_cron owns the schedule and `app.invoke_function(name)` does
 *   `pg_notify('invoke_function', name)`: the server LISTENs on that channel and runs
 *   the named job (trigger `notify`);
 * - on the embedded PGlite database (no pg_cron), the server runs the cron expressions
 *   of `app.job_schedules()` itself (trigger `in_process`), read from SQL so that each
 *   expression is written once.
 *
 * Either way the run goes through the job runner (lock, `job_runs`). `stop()` ends the
 * listener or timers and waits for runs in flight.
 *
 * @module
 */
import { Cron } from "croner";
import type { Deps } from "../http/context.ts";
import { runNamedJob } from "./registry.ts";
import { type JobTrigger, logJob } from "./runner.ts";

/** The channel `app.invoke_function` notifies on. */
export const INVOKE_CHANNEL = "invoke_function";

/** A job of `app.job_schedules()`. */
export type JobSchedule = { job: string; schedule: string };

/** A started scheduler. */
export type Scheduler = {
  /** `listen` (real Postgres) or `in_process` (PGlite). */
  mode: "listen" | "in_process";
  /** The schedules run in-process (empty when listening). */
  schedules: JobSchedule[];
  stop(): Promise<void>;
};

/** Reads the one schedule from the database. */
export async function readSchedules(deps: Pick<Deps, "db">): Promise<JobSchedule[]> {
  const rows = await deps.db.sql<JobSchedule[]>`
    select job, schedule from app.job_schedules() order by job`;
  return rows.map(({ job, schedule }) => ({ job, schedule }));
}

/**
 * The next time `schedule` fires strictly after `after`, in UTC as pg_cron reads it.
 * Five fields as in SQL; a sixth (leading seconds) is accepted for tests.
 */
export function nextRun(schedule: string, after: Date): Date {
  const cron = new Cron(schedule, { paused: true, timezone: "UTC" });
  try {
    const next = cron.nextRun(after);
    if (!next) throw new Error(`cron expression "${schedule}" never fires again`);
    return next;
  } finally {
    cron.stop();
  }
}

/**
 * Starts the scheduler for the process's database: LISTEN on real Postgres, in-process
 * timers on PGlite (`mode` overrides the choice; `schedules` replaces the SQL schedule,
 * for tests).
 */
export async function startScheduler(
  deps: Deps,
  options: { mode?: Scheduler["mode"]; schedules?: JobSchedule[] } = {},
): Promise<Scheduler> {
  const mode = options.mode ?? (deps.db.mode === "postgres" ? "listen" : "in_process");
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  const launch = (job: string, trigger: JobTrigger) => {
    if (stopped) return;
    const run = runNamedJob(deps, job, trigger).catch((error) =>
      logJob("error", { msg: "job not run", job, trigger, error: String(error) })
    );
    inFlight.add(run);
    run.finally(() => inFlight.delete(run));
  };
  const drain = async () => {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  };

  if (mode === "listen") {
    const listener = await deps.db.sql.listen(INVOKE_CHANNEL, (name) => launch(name, "notify"));
    logJob("info", { msg: `jobs: listening on channel ${INVOKE_CHANNEL}` });
    return {
      mode,
      schedules: [],
      async stop() {
        stopped = true;
        await listener.unlisten();
        await drain();
      },
    };
  }

  const schedules = options.schedules ?? await readSchedules(deps);
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  // setTimeout holds at most ~24.8 days; longer waits are taken in steps.
  const MAX_WAIT_MS = 60 * 60 * 1000;
  const arm = (entry: JobSchedule, next: Date) => {
    if (stopped) return;
    const wait = Math.min(Math.max(0, next.getTime() - Date.now()), MAX_WAIT_MS);
    timers.set(
      entry.job,
      setTimeout(() => {
        if (Date.now() < next.getTime()) return arm(entry, next);
        launch(entry.job, "in_process");
        arm(entry, nextRun(entry.schedule, new Date()));
      }, wait),
    );
  };
  for (const entry of schedules) arm(entry, nextRun(entry.schedule, new Date()));
  logJob("info", {
    msg: "jobs: running the schedule in-process (no pg_cron)",
    schedules,
  });
  return {
    mode,
    schedules,
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await drain();
    },
  };
}
