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

/** Counts of one run, stored in `job_runs`. */
export type AlertJobCounts = {
  tenants: number;
  alerts_opened: number;
  alerts_resolved: number;
  messages_queued: number;
  messages_sent: number;
  errors: number;
  details?: Record<string, unknown>;
};

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

/** Evaluates all tenants' alerts, then dispatches due notifications. */
export async function evaluateAlertsJob(
  deps: Deps,
  options: AlertJobOptions = {},
): Promise<AlertJobCounts> {
  const evaluation = await evaluateAlerts(deps, options);
  return {
    tenants: evaluation.tenants,
    alerts_opened: evaluation.alerts_opened,
    alerts_resolved: evaluation.alerts_resolved,
    messages_queued: evaluation.messages_queued,
    messages_sent: 0,
    errors: 0,
    details: {
      full: evaluation.full,
      checked_products: evaluation.checked_products,
      alerts_updated: evaluation.alerts_updated,
      evaluation_ms: evaluation.ms,
    },
  };
}
