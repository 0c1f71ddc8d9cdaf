/**
 * The outbox dispatcher: sends the due rows of `public.notification_outbox` to Twilio,
 * after the transaction that queued them committed, and records each outcome.
 *
 * One pass:
 * 1. **Claim** (one short transaction): rows `pending` and due, plus `sending` rows whose
 *    lease (`locked_until`) expired — a dispatcher that crashed mid-send — `for update
 *    skip locked`, oldest first, up to `limit`; they become `sending` with a lease.
 * 2. **Per row**, in order: a short transaction renews the lease *only if it is still
 *    ours* (compare-and-set on `locked_until`, so a row another dispatcher took over is
 *    skipped) and reads the recipient, the tenant's settings and clock; then the row is
 *    cancelled (recipient inactive, without consent or opted out), deferred (quiet
 *    hours, daily budget), failed (outside the 24-hour window without a template) or
 *    sent; the outcome is written in another short transaction. No transaction is open
 *    during the HTTP call.
 * 3. **Outcomes**: accepted → Twilio's status (`queued`), SID, `sent_at`; retryable
 *    failure (429, 5xx, network) → `pending` again at the backoff time of `retry.ts`,
 *    until the attempts run out; permanent failure → `failed` (21610 also records the
 *    recipient's opt-out).
 *
 * Without Twilio credentials nothing is sent and nothing is lost: due rows stay `pending`
 * with `deferred_reason = 'not_configured'`, retried every 5 minutes, attempts untouched.
 *
 * @module
 */
import type { Sql } from "../db/client.ts";
import type { Deps } from "../http/context.ts";
import {
  claimDue,
  currentAttempts,
  deferDue,
  type Fields,
  finish,
  LEASE_MS,
  recordOptOut,
  renewAndRead,
  type RowContext,
  type ScheduleFacts,
} from "./outbox.ts";
import { renderBody, renderTemplateVariables } from "./render.ts";
import { WhatsAppClient } from "./whatsapp/client.ts";
import type { OutboundMessage, SendResult } from "./whatsapp/client.ts";
import { type SendFailure, TwilioErrorCode } from "./whatsapp/errors.ts";
import { messageKindFor } from "./whatsapp/session_window.ts";
import { nextAttempt } from "./whatsapp/retry.ts";
import { twilioSettings } from "./whatsapp/settings.ts";

export { LEASE_MS, type ScheduleFacts } from "./outbox.ts";

/** What one pass did. */
export type DispatchSummary = {
  claimed: number;
  sent: number;
  deferred: number;
  retried: number;
  failed: number;
  cancelled: number;
};

/** One client per process and configuration: the SDK client is heavy to build. */
const clients = new WeakMap<object, WhatsAppClient>();

function clientFor(
  config: object,
  settings: ConstructorParameters<typeof WhatsAppClient>[0],
): WhatsAppClient {
  let client = clients.get(config);
  if (!client) clients.set(config, client = new WhatsAppClient(settings));
  return client;
}

/** Options of one pass. */
export type DispatchOptions = {
  /** The clock (tests); default the real time, read at each step. */
  now?: Date;
  /** Only these outbox rows (the test-message endpoint sends its own at once). */
  ids?: number[];
  /** Most rows claimed in this pass (default {@link DEFAULT_LIMIT}). */
  limit?: number;
  /** Overrides the client built from the configuration (tests). */
  client?: WhatsAppClient;
};

/**
 * Whether an `alerts` message waits, and until when. Replies and tests go at once. During
 * quiet hours it waits for their end, unless it is urgent (a stock-out) and the tenant
 * allows that; once the day's budget is spent it waits for the next local midnight, or
 * for the end of the quiet hours then in progress.
 */
export function decideSchedule(
  facts: ScheduleFacts,
): { reason: "quiet_hours" | "budget"; at: string } | null {
  if (facts.kind !== "alerts") return null;
  const overrides = facts.urgent && facts.overrides_quiet_hours;
  if (facts.quiet_now && !overrides) return { reason: "quiet_hours", at: facts.quiet_end_now };
  if (facts.sent_today >= facts.daily_budget) {
    return {
      reason: "budget",
      at: facts.quiet_at_midnight && !overrides
        ? facts.quiet_end_after_midnight
        : facts.next_midnight,
    };
  }
  return null;
}

/**
 * After a failed attempt (`attempts` counts it): try again at the backoff time of
 * `retry.ts`, or stop — a permanent failure, or the last allowed attempt.
 */
export function decideFailure(
  failure: SendFailure,
  attempts: number,
  now: Date,
): { retry: true; at: string } | { retry: false; why: "permanent" | "max_attempts" } {
  const decision = nextAttempt({ attempts, now, retryable: failure.retryable });
  return decision.retry
    ? { retry: true, at: decision.at.toISOString() }
    : { retry: false, why: decision.reason };
}

/** Rows per pass: 50 sends of ≤ 10 s each stay inside an Edge Function's wall clock. */
export const DEFAULT_LIMIT = 50;
/** When to look again while Twilio is not configured (or its credentials are refused). */
export const NOT_CONFIGURED_RETRY_MS = 5 * 60_000;

/** The statuses Twilio may answer that the outbox knows; anything else is stored as queued. */
const OUTBOX_STATUSES = new Set(["queued", "sent", "delivered", "read"]);

type Outcome = keyof Omit<DispatchSummary, "claimed">;

/** Sends what is due; never throws for a failed send (each outcome is on its row). */
export async function dispatchOutbox(
  deps: Deps,
  options: DispatchOptions = {},
): Promise<DispatchSummary> {
  const sql = deps.db.sql;
  const clock = () => options.now ?? new Date();
  const limit = Math.max(1, Math.min(options.limit ?? DEFAULT_LIMIT, 1000));
  const summary: DispatchSummary = {
    claimed: 0,
    sent: 0,
    deferred: 0,
    retried: 0,
    failed: 0,
    cancelled: 0,
  };
  if (options.ids && options.ids.length === 0) return summary;

  const settings = twilioSettings(deps.config.twilio);
  let client = options.client;
  if (!client) {
    if (!settings.configured) {
      const now = clock();
      const next = new Date(now.getTime() + NOT_CONFIGURED_RETRY_MS);
      const deferred = await deferDue(
        sql,
        { now, limit, ids: options.ids },
        next,
        settings.message,
      );
      return { ...summary, claimed: deferred, deferred };
    }
    client = clientFor(deps.config.twilio, settings);
  }

  const claimed = await claimDue(sql, { now: clock(), limit, ids: options.ids });
  summary.claimed = claimed.length;
  let refusedCredentials: string | undefined;
  for (const row of claimed) {
    try {
      const outcome = await dispatchRow(sql, row, {
        client,
        clock,
        contentSid: deps.config.twilio.alertsContentSid,
        refusedCredentials,
        onRefusedCredentials: (message) => (refusedCredentials = message),
      });
      if (outcome) summary[outcome]++;
    } catch (error) {
      // The database failed us (the send itself never throws): the row stays `sending`
      // and is taken over when its lease expires; the other rows go on.
      logError("dispatch_row_failed", row.id, error);
    }
  }
  return summary;
}

type RowOptions = {
  client: WhatsAppClient;
  clock: () => Date;
  contentSid: string | undefined;
  /** Set once Twilio refused the credentials in this pass: the rest waits without sending. */
  refusedCredentials: string | undefined;
  onRefusedCredentials: (message: string) => void;
};

/** One claimed row, from the lease renewal to its outcome. Never throws. */
async function dispatchRow(
  sql: Sql,
  claimed: { id: string; lease: string },
  options: RowOptions,
): Promise<Outcome | undefined> {
  const now = options.clock();
  const lease = new Date(now.getTime() + LEASE_MS).toISOString();
  let row: RowContext | undefined;
  try {
    row = await renewAndRead(sql, claimed.id, claimed.lease, lease, now);
  } catch (error) {
    // A row that cannot be read (say, an invalid tenant time zone) is retried later,
    // never dropped; the attempts bound how long.
    logError("dispatch_read_failed", claimed.id, error);
    const message = `Could not prepare the message: ${errorText(error)}`;
    const failure: SendFailure = { retryable: true, reason: "network", message };
    return await finishAfterFailure(sql, claimed.id, claimed.lease, 1, now, failure, {}, {
      lastError: message,
    });
  }
  if (!row) return undefined; // Another dispatcher took it over.
  const write = (fields: Fields, attemptsAdded = 0) =>
    finish(sql, row!.id, lease, fields, attemptsAdded);

  const refusal = recipientRefusal(row);
  if (refusal) {
    return await write({ status: "cancelled", deferred_reason: null, last_error: refusal })
      ? "cancelled"
      : undefined;
  }
  if (options.refusedCredentials) {
    return await write(notConfigured(now, options.refusedCredentials)) ? "deferred" : undefined;
  }
  const schedule = decideSchedule(row);
  if (schedule) {
    return await write({
        status: "pending",
        deferred_reason: schedule.reason,
        next_attempt_at: schedule.at,
      })
      ? "deferred"
      : undefined;
  }

  let message: OutboundMessage;
  let stored: { message_kind: "freeform" | "template"; body: string };
  try {
    const built = buildMessage(row, now, options.contentSid);
    if ("failure" in built) {
      return await finishAfterFailure(sql, row.id, lease, 0, now, built.failure, built.stored);
    }
    ({ message, stored } = built);
  } catch (error) {
    return await write({
        status: "failed",
        failed_at: now.toISOString(),
        deferred_reason: null,
        last_error: `Could not write the message: ${errorText(error)}`,
      })
      ? "failed"
      : undefined;
  }

  const result: SendResult = await options.client.send(message);
  const after = options.clock();
  if (result.ok) {
    const status = OUTBOX_STATUSES.has(result.message.status) ? result.message.status : "queued";
    const written = await finish(sql, row.id, lease, {
      status,
      provider_sid: result.message.sid,
      sent_at: after.toISOString(),
      deferred_reason: null,
      error_code: null,
      last_error: null,
      ...stored,
    }, 1);
    if (!written) logError("dispatch_sent_but_not_recorded", row.id, result.message.sid);
    return "sent";
  }
  const failure = result.failure;
  if (failure.reason === "authentication") {
    const text = `Twilio refused the credentials (${failure.code ?? failure.httpStatus}): ` +
      `${failure.message}. Check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN; notifications stay queued.`;
    options.onRefusedCredentials(text);
    return await write(notConfigured(after, text, failure.code)) ? "deferred" : undefined;
  }
  if (failure.reason === "opted_out") await recordOptOut(sql, row, after);
  return await finishAfterFailure(sql, row.id, lease, 1, after, failure, stored, {
    attemptsBefore: row.attempts,
  });
}

/** Why the recipient may not be written to, if so. */
function recipientRefusal(row: RowContext): string | null {
  if (!row.active) return "Recipient is inactive: message not sent.";
  if (row.opted_out_at) return "Recipient opted out (STOP): message not sent.";
  if (!row.opted_in) return "Recipient has not opted in to WhatsApp messages: message not sent.";
  return null;
}

type Built =
  | { message: OutboundMessage; stored: { message_kind: "freeform" | "template"; body: string } }
  | { failure: SendFailure; stored: Partial<Fields> };

/** Freeform inside the 24-hour window, the approved template outside it. */
function buildMessage(row: RowContext, now: Date, contentSid: string | undefined): Built {
  const input = { kind: row.kind, payload: row.payload, shopName: row.shop_name };
  const lastInbound = row.last_inbound_at ? new Date(row.last_inbound_at) : null;
  if (messageKindFor(lastInbound, now) === "freeform") {
    const body = renderBody(input);
    return {
      message: { kind: "freeform", to: row.phone_e164, body },
      stored: { message_kind: "freeform", body },
    };
  }
  const variables = renderTemplateVariables(input);
  if (!contentSid || !variables) {
    return {
      failure: {
        retryable: false,
        reason: "outside_session_window",
        code: TwilioErrorCode.OUTSIDE_SESSION_WINDOW,
        message: !contentSid
          ? "Outside the 24-hour WhatsApp session window and no approved template is configured " +
            "(TWILIO_CONTENT_SID_ALERTS): Twilio would refuse a freeform message (63016)."
          : `Outside the 24-hour WhatsApp session window: a ${row.kind} message has no template ` +
            "(63016).",
      },
      stored: { message_kind: "template" },
    };
  }
  return {
    message: { kind: "template", to: row.phone_e164, contentSid, variables },
    stored: { message_kind: "template", body: JSON.stringify(variables) },
  };
}

function notConfigured(now: Date, message: string, code?: number): Fields {
  return {
    status: "pending",
    deferred_reason: "not_configured",
    next_attempt_at: new Date(now.getTime() + NOT_CONFIGURED_RETRY_MS).toISOString(),
    last_error: message,
    ...(code === undefined ? {} : { error_code: code }),
  };
}

/** Writes a retry or a failure after a failed (or impossible) send. */
async function finishAfterFailure(
  sql: Sql,
  id: string,
  lease: string,
  attemptsAdded: number,
  now: Date,
  failure: SendFailure,
  stored: Partial<Fields>,
  known: { attemptsBefore?: number; lastError?: string } = {},
): Promise<Outcome | undefined> {
  const attempts = known.attemptsBefore ?? await currentAttempts(sql, id);
  const decision = decideFailure(failure, attempts + attemptsAdded, now);
  const fields: Fields = {
    ...stored,
    error_code: failure.code ?? null,
    last_error: known.lastError ??
      describeFailure(failure, decision.retry ? undefined : decision.why),
    ...(decision.retry
      ? { status: "pending", deferred_reason: "retry", next_attempt_at: decision.at }
      : { status: "failed", deferred_reason: null, failed_at: now.toISOString() }),
  };
  const written = await finish(sql, id, lease, fields, attemptsAdded);
  if (!written) return undefined;
  return decision.retry ? "retried" : "failed";
}

function describeFailure(failure: SendFailure, stopped?: "permanent" | "max_attempts"): string {
  const code = failure.code ?? failure.httpStatus;
  let text = `${failure.reason}${code ? ` (${code})` : ""}: ${failure.message}`;
  if (stopped === "max_attempts") text = `Gave up after the last attempt. ${text}`;
  if (failure.moreInfo) text += ` ${failure.moreInfo}`;
  return text.slice(0, 1000);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function logError(event: string, id: string, detail: unknown): void {
  console.error(
    JSON.stringify({ level: "error", event, outbox_id: id, detail: errorText(detail) }),
  );
}
