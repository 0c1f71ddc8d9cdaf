/**
 * SQL of the notification side of the alerts API: WhatsApp recipients (consent
 * timestamps kept by the database clock), the tenant's notification settings (defaults
 * when it has no row) and the test message queued in the outbox.
 *
 * Recipients and settings run inside `withTenantTx` (managers and owners, by RLS too);
 * the outbox is written by the service role only, so {@link queueTestMessage} takes the
 * service path and is given the tenant the caller was verified in.
 *
 * @module
 */
import type postgres from "postgres";
import type { Tx } from "../db/client.ts";
import { errors } from "../http/errors.ts";

type Fragment = postgres.Fragment;

const recipientNotFound = () => errors.notFound("Destinataire introuvable.", "recipient_not_found");

const recipientColumns = (tx: Tx) =>
  tx`
  id, user_id, display_name, phone_e164, language, opted_in, opted_in_at, opted_out_at,
  alert_types, notify_resolved, to_char(quiet_hours_start, 'HH24:MI') as quiet_hours_start,
  to_char(quiet_hours_end, 'HH24:MI') as quiet_hours_end, last_inbound_at, active, created_at,
  updated_at`;

/** A recipient as the API takes it, phone already in E.164 (undefined: not given). */
export type RecipientValues = {
  display_name?: string;
  phone?: string;
  user_id?: string | null;
  opted_in?: boolean;
  alert_types?: string[] | null;
  notify_resolved?: boolean;
  quiet_hours_start?: string | null;
  quiet_hours_end?: string | null;
  active?: boolean;
};

/** The tenant's recipients, by name. */
export async function listRecipients(tx: Tx, tenantId: string) {
  const rows = await tx`
    select ${recipientColumns(tx)} from public.notification_recipients
    where tenant_id = ${tenantId} order by display_name, id`;
  return { data: [...rows] };
}

/** One recipient of the tenant, or 404. */
export async function getRecipient(tx: Tx, tenantId: string, id: string) {
  const [row] = await tx<{ opted_in: boolean; active: boolean; display_name: string }[]>`
    select ${recipientColumns(tx)} from public.notification_recipients
    where tenant_id = ${tenantId} and id = ${id}`;
  if (!row) throw recipientNotFound();
  return row;
}

/** Creates a recipient; consent given now sets opted_in_at. */
export async function createRecipient(tx: Tx, tenantId: string, values: RecipientValues) {
  const optedIn = values.opted_in ?? false;
  const [row] = await tx`
    insert into public.notification_recipients (tenant_id, user_id, display_name, phone_e164,
      opted_in, opted_in_at, alert_types, notify_resolved, quiet_hours_start, quiet_hours_end,
      active)
    values (${tenantId}, ${values.user_id ?? null}, ${values.display_name!}, ${values.phone!},
      ${optedIn}, case when ${optedIn}::boolean then now() end,
      ${values.alert_types ? tx.array(values.alert_types) : null}::text[],
      ${values.notify_resolved ?? false}, ${values.quiet_hours_start ?? null}::time,
      ${values.quiet_hours_end ?? null}::time, ${values.active ?? true})
    returning ${recipientColumns(tx)}`;
  return row;
}

/**
 * Changes the given fields of recipient `id`, or 404. Consent recorded (false → true)
 * sets opted_in_at and clears opted_out_at; withdrawn (true → false) sets opted_out_at.
 */
export async function updateRecipient(
  tx: Tx,
  tenantId: string,
  id: string,
  values: RecipientValues,
) {
  const sets: Fragment[] = [];
  const set = (name: string, value: Fragment) => sets.push(tx`${tx(name)} = ${value}`);
  if (values.display_name !== undefined) set("display_name", tx`${values.display_name}`);
  if (values.phone !== undefined) set("phone_e164", tx`${values.phone}`);
  if (values.user_id !== undefined) set("user_id", tx`${values.user_id}::uuid`);
  if (values.alert_types !== undefined) {
    set(
      "alert_types",
      tx`${values.alert_types ? tx.array(values.alert_types) : null}::text[]`,
    );
  }
  if (values.notify_resolved !== undefined) {
    set("notify_resolved", tx`${values.notify_resolved}`);
  }
  if (values.quiet_hours_start !== undefined) {
    set("quiet_hours_start", tx`${values.quiet_hours_start}::time`);
    set("quiet_hours_end", tx`${values.quiet_hours_end ?? null}::time`);
  }
  if (values.active !== undefined) set("active", tx`${values.active}`);
  if (values.opted_in !== undefined) {
    const v = values.opted_in;
    set("opted_in", tx`${v}`);
    set(
      "opted_in_at",
      tx`case when ${v}::boolean and not opted_in then now() else opted_in_at end`,
    );
    set(
      "opted_out_at",
      tx`case when ${v}::boolean then case when opted_in then opted_out_at end
        when opted_in then now() else opted_out_at end`,
    );
  }
  const assignments = sets.reduce((all, one) => tx`${all}, ${one}`);
  const [row] = await tx`
    update public.notification_recipients set ${assignments}
    where tenant_id = ${tenantId} and id = ${id} returning ${recipientColumns(tx)}`;
  if (!row) throw recipientNotFound();
  return row;
}

/** Deletes recipient `id` (its messages go with it), or 404. */
export async function deleteRecipient(tx: Tx, tenantId: string, id: string): Promise<void> {
  const rows = await tx`
    delete from public.notification_recipients
    where tenant_id = ${tenantId} and id = ${id} returning id`;
  if (rows.length === 0) throw recipientNotFound();
}

// ---------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------

/** Settings as the API takes them (undefined: not given). */
export type SettingsValues = {
  daily_budget?: number;
  quiet_hours_start?: string;
  quiet_hours_end?: string;
  stock_out_overrides_quiet_hours?: boolean;
};

/** The tenant's settings, or the migration's defaults when it has no row. */
export async function getSettings(tx: Tx, tenantId: string) {
  const [row] = await tx`
    select s.daily_budget, to_char(s.quiet_hours_start, 'HH24:MI') as quiet_hours_start,
      to_char(s.quiet_hours_end, 'HH24:MI') as quiet_hours_end,
      s.stock_out_overrides_quiet_hours, s.updated_at
    from public.notification_settings s where s.tenant_id = ${tenantId}`;
  return row ?? {
    daily_budget: 50,
    quiet_hours_start: "21:00",
    quiet_hours_end: "07:00",
    stock_out_overrides_quiet_hours: true,
    updated_at: null,
  };
}

/** Writes the given settings (the others keep their value, or the default). */
export async function putSettings(tx: Tx, tenantId: string, values: SettingsValues) {
  const given = Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined),
  ) as Record<string, string | number | boolean>;
  const names = Object.keys(given);
  const conflict = names.length === 0
    ? tx`do nothing`
    : tx`do update set ${
      names.map((n) => tx`${tx(n)} = excluded.${tx(n)}`).reduce((all, one) => tx`${all}, ${one}`)
    }`;
  await tx`
    insert into public.notification_settings ${tx({ tenant_id: tenantId, ...given })}
    on conflict (tenant_id) ${conflict}`;
  return await getSettings(tx, tenantId);
}

// ---------------------------------------------------------------------------
// Test message
// ---------------------------------------------------------------------------

const outboxColumns = (tx: Tx) =>
  tx`
  id::float8 as id, recipient_id, kind, status, message_kind, deferred_reason, attempts,
  provider_sid, error_code, last_error, created_at, sent_at`;

/** Queues a test message for `recipientId` (service role: the caller is verified). */
export async function queueTestMessage(
  tx: Tx,
  tenantId: string,
  recipientId: string,
  text: string,
): Promise<number> {
  const [{ id }] = await tx<{ id: number }[]>`
    insert into public.notification_outbox (tenant_id, recipient_id, kind, payload)
    values (${tenantId}, ${recipientId}, 'test', jsonb_build_object('text', ${text}::text))
    returning id::float8 as id`;
  return id;
}

/** One outbox message of the tenant, or 404. */
export async function readOutboxMessage(tx: Tx, tenantId: string, id: number) {
  const [row] = await tx`
    select ${outboxColumns(tx)} from public.notification_outbox
    where tenant_id = ${tenantId} and id = ${id}`;
  if (!row) throw errors.notFound("Message introuvable.", "message_not_found");
  return row;
}
