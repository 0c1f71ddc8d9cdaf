/**
 * The `alerts-evaluate` job's work: one set-based evaluation of every tenant's alert
 * rules (SQL function `app.evaluate_alerts`, one transaction: alerts, history and outbox
 * rows together), then, after commit, the dispatch of the notifications due. The
 * scheduling around it (advisory lock, `job_runs`) is the job runner's (shared/jobs).
 *
 * @module
 */
import { withServiceTx } from "../db/tx.ts";
import type { Deps } from "../http/context.ts";
import {
  DEFAULT_LIMIT,
  type DispatchOptions,
  dispatchOutbox,
  type DispatchSummary,
} from "../notifications/dispatcher.ts";
import type { JobCounts } from "../jobs/runner.ts";

/** Counts of one run, stored in `job_runs` (every count set). */
export type AlertJobCounts = Required<Omit<JobCounts, "details">> & Pick<JobCounts, "details">;

/** Options of one evaluation (tests pass a clock). */
export type AlertJobOptions = {
  /** Evaluation time (default: the database's clock). */
  now?: Date;
  /** Re-check every product, not only those queued since the last run. */
  full?: boolean;
  /** The `job_runs` row of this run, recorded on the outbox rows. */
  runId?: number;
};

/** What `app.evaluate_alerts` returns. */
export type EvaluationCounts = {
  tenants: number;
  checked_products: number;
  alerts_opened: number;
  alerts_updated: number;
  alerts_resolved: number;
  messages_queued: number;
};

/**
 * Evaluates once: the products queued by stock, product or rule changes since the last
 * run (the migration queues those that existed before it), or every product with `full`.
 */
export async function evaluateAlerts(
  deps: Pick<Deps, "db">,
  options: AlertJobOptions = {},
): Promise<EvaluationCounts & { full: boolean; ms: number }> {
  const started = performance.now();
  const full = options.full ?? false;
  const [counts] = await withServiceTx(deps.db.sql, (tx) =>
    tx<EvaluationCounts[]>`
      select tenants, checked_products, alerts_opened, alerts_updated, alerts_resolved,
        messages_queued
      from app.evaluate_alerts(coalesce(${options.now ?? null}::timestamptz, now()), ${full},
        ${options.runId ?? null}::bigint)`);
  return { ...counts, full, ms: Math.round(performance.now() - started) };
}

/**
 * Evaluates all tenants' alerts, then — after that transaction committed — dispatches
 * the notifications due (this run's digests, and earlier messages whose retry, quiet
 * hours or budget delay is over). A dispatch failure never undoes the evaluation: the
 * messages stay in the outbox for the next run.
 */
export async function evaluateAlertsJob(
  deps: Deps,
  options: AlertJobOptions & { dispatch?: DispatchOptions } = {},
): Promise<AlertJobCounts> {
  const evaluation = await evaluateAlerts(deps, options);
  const started = performance.now();
  const dispatch = await dispatchUntilDone(deps, { now: options.now, ...options.dispatch });
  return {
    tenants: evaluation.tenants,
    alerts_opened: evaluation.alerts_opened,
    alerts_resolved: evaluation.alerts_resolved,
    messages_queued: evaluation.messages_queued,
    messages_sent: dispatch.sent,
    errors: dispatch.failed,
    details: {
      full: evaluation.full,
      checked_products: evaluation.checked_products,
      alerts_updated: evaluation.alerts_updated,
      evaluation_ms: evaluation.ms,
      dispatch: { ...dispatch, ms: Math.round(performance.now() - started) },
    },
  };
}

/** Wall-clock budget of the dispatch inside one run (hosted functions allow 150 s or more). */
export const DISPATCH_BUDGET_MS = 60_000;

/**
 * Dispatch passes until a pass claims less than its limit (nothing more is due) or the
 * budget is spent; what is left waits for the next run.
 */
async function dispatchUntilDone(
  deps: Deps,
  options: DispatchOptions,
): Promise<DispatchSummary & { passes: number }> {
  const limit = options.limit ?? DEFAULT_LIMIT;
  // One clock for the whole dispatch: a message retried during this run is due after
  // it, so each message is tried at most once per run (an unreachable Twilio costs one
  // attempt per message, not a minute of retries).
  const now = options.now ?? new Date();
  const started = performance.now();
  const total = { claimed: 0, sent: 0, deferred: 0, retried: 0, failed: 0, cancelled: 0 };
  let passes = 0;
  while (true) {
    const pass = await dispatchOutbox(deps, { ...options, now, limit });
    passes++;
    for (const key of Object.keys(total) as (keyof DispatchSummary)[]) total[key] += pass[key];
    if (pass.claimed < limit || performance.now() - started > DISPATCH_BUDGET_MS) break;
  }
  return { ...total, passes };
}
