/**
 * The `maintenance` job: daily housekeeping in SQL (`app.purge_expired`): idempotency
 * keys older than 7 days, finished job runs older than 90 days.
 *
 * @module
 */
import { withServiceTx } from "../db/tx.ts";
import type { Deps } from "../http/context.ts";
import type { JobCounts } from "./runner.ts";

/** Purges what has expired; the counts go to the run's `details`. */
export async function purgeExpired(
  deps: Pick<Deps, "db">,
  now?: Date,
): Promise<JobCounts> {
  const [purged] = await withServiceTx(
    deps.db.sql,
    (tx) =>
      tx<{ idempotency_keys: number; job_runs: number }[]>`
      select idempotency_keys, job_runs
      from app.purge_expired(coalesce(${now ?? null}::timestamptz, now()))`,
  );
  return { details: { purged } };
}
