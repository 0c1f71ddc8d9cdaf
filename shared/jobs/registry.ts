/**
 * The scheduled jobs by name. A job's name is also its Edge Function's name and its row
 * in `app.job_schedules()` (the schedule itself lives in SQL only).
 *
 * @module
 */
import { evaluateAlertsJob } from "../alerts/job.ts";
import { purgeExpired } from "./maintenance.ts";
import type { Deps } from "../http/context.ts";
import { type JobCounts, type JobRun, type JobTrigger, runJob } from "./runner.ts";

/** One job's work, given the process's dependencies and its run. */
export type Job = (deps: Deps, run: { runId: number; trigger: JobTrigger }) => Promise<JobCounts>;

/** Every scheduled job. */
export const JOBS: Record<string, Job> = {
  "alerts-evaluate": (deps, { runId }) => evaluateAlertsJob(deps, { runId }),
  maintenance: (deps) => purgeExpired(deps),
};

/** Raised for a job name that is not in {@link JOBS}. */
export class UnknownJobError extends Error {
  constructor(readonly job: string) {
    super(`unknown job "${job}" (known: ${Object.keys(JOBS).join(", ")})`);
    this.name = "UnknownJobError";
  }
}

/** Runs the job named `job` through the runner (lock, `job_runs`). */
export async function runNamedJob(
  deps: Deps,
  job: string,
  trigger: JobTrigger,
): Promise<JobRun> {
  const work = Object.hasOwn(JOBS, job) ? JOBS[job] : undefined;
  if (!work) throw new UnknownJobError(job);
  return await runJob(deps, { job, trigger }, (run) => work(deps, run));
}
