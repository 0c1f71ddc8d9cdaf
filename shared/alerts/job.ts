/**
 * The `alerts-evaluate` job's work: one set-based evaluation of every tenant's alert
 * rules (SQL function `app.evaluate_alerts`), then the outbox dispatch of the
 * notifications it queued. The scheduling around it (advisory lock, `job_runs`) is the
 * job runner's (shared/jobs).
 *
 * @module
 */
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
export type AlertJobOptions = { now?: Date; full?: boolean; runId?: number };

/** Evaluates all tenants' alerts, then dispatches due notifications. */
export function evaluateAlertsJob(
  _deps: Deps,
  _options: AlertJobOptions = {},
): Promise<AlertJobCounts> {
  // Placeholder until the alerts migration lands (same session).
  return Promise.resolve({
    tenants: 0,
    alerts_opened: 0,
    alerts_resolved: 0,
    messages_queued: 0,
    messages_sent: 0,
    errors: 0,
  });
}
