/**
 * The outbox's SQL for the dispatcher: claiming due rows, deferring them while Twilio is
 * not configured, renewing a row's lease while reading what the decision needs (the
 * recipient, the tenant's settings and clock), writing an outcome, recording an opt-out.
 *
 * Every statement runs in its own short service transaction; a lease (`locked_until`) is
 * the claim's token: the renewal and the outcome only apply while it is unchanged, so a
 * row another dispatcher took over is never written by two.
 *
 * @module
 */
import type { Sql, Tx } from "../db/client.ts";
import { withServiceTx } from "../db/tx.ts";
import type { OutboxKind } from "./render.ts";

/** What the quiet hours and the daily budget depend on, as read for one row. */
export type ScheduleFacts = {
  kind: OutboxKind;
  urgent: boolean;
  /** The tenant lets a stock-out through the quiet hours. */
  overrides_quiet_hours: boolean;
  /** Now is within the recipient's (else the tenant's) quiet hours, in the tenant's zone. */
  quiet_now: boolean;
  /** The end of the quiet hours now in progress (or next), ISO 8601. */
  quiet_end_now: string;
  /** The next local midnight falls within the quiet hours. */
  quiet_at_midnight: boolean;
  /** The end of the quiet hours that contain the next midnight. */
  quiet_end_after_midnight: string;
  /** The next local midnight (start of the next budget day). */
  next_midnight: string;
  /** Messages of the tenant sent since local midnight. */
  sent_today: number;
  daily_budget: number;
};

/** How long a claimed row is ours; far above one send's timeout (10 s). */
export const LEASE_MS = 5 * 60_000;

/** A claimed row and what is needed to decide about it. */
export type RowContext = ScheduleFacts & {
  id: string;
  tenant_id: string;
  recipient_id: string;
  kind: OutboxKind;
  payload: Record<string, unknown>;
  attempts: number;
  phone_e164: string;
  active: boolean;
  opted_in: boolean;
  opted_out_at: string | null;
  last_inbound_at: string | null;
  shop_name: string;
};

/** The due rows' ids: pending and due, or sending with an expired lease. */
type Due = { now: Date; limit: number; ids: number[] | undefined };

/** Claims due rows, oldest first: `sending`, with a lease that is their token. */
export async function claimDue(sql: Sql, due: Due): Promise<{ id: string; lease: string }[]> {
  const lease = new Date(due.now.getTime() + LEASE_MS).toISOString();
  const rows = await withServiceTx(sql, (tx) =>
    tx<{ id: string; next_attempt_at: string }[]>`
      with due as (${dueRows(tx, due)})
      update public.notification_outbox o
      set status = 'sending', locked_until = ${lease}::timestamptz
      from due where o.id = due.id
      returning o.id::text as id, o.next_attempt_at`);
  return [...rows]
    .sort((a, b) =>
      a.next_attempt_at.localeCompare(b.next_attempt_at) || Number(a.id) - Number(b.id)
    )
    .map((row) => ({ id: row.id, lease }));
}

/** Without credentials: due rows stay pending until `next`, with the reason, attempts untouched. */
export async function deferDue(sql: Sql, due: Due, next: Date, message: string): Promise<number> {
  const rows = await withServiceTx(sql, (tx) =>
    tx`
      with due as (${dueRows(tx, due)})
      update public.notification_outbox o
      set status = 'pending', locked_until = null, deferred_reason = 'not_configured',
        next_attempt_at = ${next.toISOString()}::timestamptz, last_error = ${message.slice(0, 1000)}
      from due where o.id = due.id
      returning o.id`);
  return rows.length;
}

function dueRows(tx: Tx, due: Due) {
  const now = due.now.toISOString();
  const ids = due.ids ? due.ids.map(String) : null;
  return tx`
    select o.id from public.notification_outbox o
    where ((o.status = 'pending' and o.next_attempt_at <= ${now}::timestamptz)
        or (o.status = 'sending' and o.locked_until < ${now}::timestamptz))
      and (${ids}::bigint[] is null or o.id = any(${ids}::bigint[]))
    order by o.next_attempt_at, o.id
    limit ${due.limit}
    for update skip locked`;
}

/** Renews the lease if it is still ours, and reads what the decision needs. */
export async function renewAndRead(
  sql: Sql,
  id: string,
  token: string,
  lease: string,
  now: Date,
): Promise<RowContext | undefined> {
  const at = now.toISOString();
  const [row] = await withServiceTx(sql, (tx) =>
    tx<RowContext[]>`
      with renewed as (
        update public.notification_outbox set locked_until = ${lease}::timestamptz
        where id = ${id}::bigint and status = 'sending' and locked_until = ${token}::timestamptz
        returning id, tenant_id, recipient_id, kind, payload, urgent, attempts
      )
      select o.id::text as id, o.tenant_id, o.recipient_id, o.kind, o.payload, o.urgent,
        o.attempts, r.phone_e164, r.active, r.opted_in, r.opted_out_at, r.last_inbound_at,
        t.name as shop_name,
        coalesce(s.daily_budget, 50) as daily_budget,
        coalesce(s.stock_out_overrides_quiet_hours, true) as overrides_quiet_hours,
        case when q.qs = q.qe then false
          when q.qs < q.qe then l.ln::time >= q.qs and l.ln::time < q.qe
          else l.ln::time >= q.qs or l.ln::time < q.qe end as quiet_now,
        (case when l.ln::time < q.qe then l.ln::date + q.qe else l.ln::date + 1 + q.qe end)
          at time zone t.timezone as quiet_end_now,
        case when q.qs = q.qe then false when q.qs < q.qe then q.qs = '00:00'::time
          else q.qe > '00:00'::time end as quiet_at_midnight,
        ((l.ln::date + 1) + q.qe) at time zone t.timezone as quiet_end_after_midnight,
        (l.ln::date + 1)::timestamp at time zone t.timezone as next_midnight,
        (select count(*)::int from public.notification_outbox x
          where x.tenant_id = o.tenant_id
            and x.sent_at >= l.ln::date::timestamp at time zone t.timezone
            and x.sent_at < (l.ln::date + 1)::timestamp at time zone t.timezone) as sent_today
      from renewed o
      join public.notification_recipients r on r.tenant_id = o.tenant_id and r.id = o.recipient_id
      join public.tenants t on t.id = o.tenant_id
      left join public.notification_settings s on s.tenant_id = o.tenant_id
      cross join lateral (
        select coalesce(r.quiet_hours_start, s.quiet_hours_start, '21:00'::time) as qs,
          coalesce(r.quiet_hours_end, s.quiet_hours_end, '07:00'::time) as qe
      ) q
      cross join lateral (select ${at}::timestamptz at time zone t.timezone as ln) l`);
  return row;
}

/** Columns an outcome writes. */
export type Fields = {
  status?: string;
  deferred_reason?: string | null;
  next_attempt_at?: string;
  provider_sid?: string;
  sent_at?: string;
  failed_at?: string;
  error_code?: number | null;
  last_error?: string | null;
  message_kind?: "freeform" | "template";
  body?: string;
};

/** Attempts so far. */
export async function currentAttempts(sql: Sql, id: string): Promise<number> {
  const [row] = await sql<{ attempts: number }[]>`
    select attempts from public.notification_outbox where id = ${id}::bigint`;
  return row?.attempts ?? 0;
}

/** Writes an outcome if the row is still ours; false when another dispatcher took it over. */
export async function finish(
  sql: Sql,
  id: string,
  lease: string,
  fields: Fields,
  attemptsAdded: number,
): Promise<boolean> {
  const clean: Fields = fields.last_error
    ? { ...fields, last_error: fields.last_error.slice(0, 1000) }
    : fields;
  const columns = Object.keys(clean) as (keyof Fields)[];
  const rows = await withServiceTx(sql, (tx) =>
    tx`
      update public.notification_outbox
      set ${tx(clean, ...columns)}, locked_until = null, attempts = attempts + ${attemptsAdded}
      where id = ${id}::bigint and status = 'sending' and locked_until = ${lease}::timestamptz
      returning id`);
  return rows.length === 1;
}

/** Twilio says the person opted out (21610): recorded as a STOP would be (until START). */
export async function recordOptOut(
  sql: Sql,
  row: Pick<RowContext, "tenant_id" | "recipient_id">,
  now: Date,
): Promise<void> {
  await withServiceTx(sql, (tx) =>
    tx`
      update public.notification_recipients
      set opted_in = false, opted_out_at = coalesce(opted_out_at, ${now.toISOString()}::timestamptz)
      where tenant_id = ${row.tenant_id} and id = ${row.recipient_id}`);
}
