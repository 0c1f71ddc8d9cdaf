/**
 * SQL of the alerts API. Every function here runs inside `withTenantTx` (row-level
 * security applies; the explicit `tenant_id` filters help the planner use the indexes
 * that lead with it), except {@link queueTestMessage} and {@link readOutboxMessage},
 * which take the service path and filter by the verified tenant themselves.
 *
 * The lifecycle (acknowledge, snooze, resolve) is the migration's SQL functions; the
 * constraint errors a caller can fix are translated here into the error contract.
 *
 * @module
 */
import type postgres from "postgres";
import type { AccessClaims } from "../auth/jwt.ts";
import type { Tx } from "../db/client.ts";
import { type TenantContext, type TenantRole, withTenantTx } from "../db/tx.ts";
import type { Deps } from "../http/context.ts";
import { ApiError, errors } from "../http/errors.ts";

type Fragment = postgres.Fragment;

const alertNotFound = () => errors.notFound("Alerte introuvable.", "alert_not_found");
const ruleNotFound = () => errors.notFound("Règle introuvable.", "rule_not_found");

const field = (status: 404 | 409 | 422, code: string, message: string, name: string) => () =>
  new ApiError(status, code, message, { field: name });

/** Constraints of the alerts and notifications migrations whose violation the caller can fix. */
const CONSTRAINTS: Record<string, () => ApiError> = {
  notification_recipients_member_fkey: field(
    422,
    "user_not_member",
    "Cet utilisateur n'est pas membre de la boutique.",
    "user_id",
  ),
  alert_rules_scope_key: field(
    409,
    "rule_exists",
    "Une règle existe déjà pour ce type d'alerte dans cette portée.",
    "alert_type",
  ),
  alert_rules_alert_type_fkey: field(
    422,
    "unknown_alert_type",
    "Type d'alerte inconnu.",
    "alert_type",
  ),
  alert_rules_category_fkey: field(
    422,
    "category_not_found",
    "Catégorie introuvable dans cette boutique.",
    "category_id",
  ),
  alert_rules_product_fkey: field(
    422,
    "product_not_found",
    "Produit introuvable dans cette boutique.",
    "product_id",
  ),
  notification_recipients_phone_key: field(
    409,
    "phone_taken",
    "Ce numéro est déjà celui d'un destinataire de la boutique.",
    "phone",
  ),
  notification_recipients_user_id_fkey: field(
    422,
    "user_not_member",
    "Cet utilisateur n'est pas membre de la boutique.",
    "user_id",
  ),
};

/** Translates a constraint violation into the alerts API's error, or returns it unchanged. */
export function alertsError(error: unknown): unknown {
  if (typeof error !== "object" || error === null) return error;
  const { code, constraint_name } = error as { code?: unknown; constraint_name?: unknown };
  if (code !== "23505" && code !== "23503" && code !== "23514") return error;
  const known = typeof constraint_name === "string" ? CONSTRAINTS[constraint_name] : undefined;
  return known ? known() : error;
}

/** Who calls: the verified claims and the tenant the request names. */
export type Caller = { var: { claims: AccessClaims; tenantId: string | undefined } };

/**
 * Runs `fn` in the caller's tenant with at least `minRole` (under RLS), translating the
 * alerts API's constraint errors.
 */
export async function inTenant<T>(
  deps: Deps,
  caller: Caller,
  minRole: TenantRole,
  fn: (tx: Tx, tenant: TenantContext) => Promise<T>,
): Promise<T> {
  try {
    return await withTenantTx(deps.db.sql, caller.var.claims, caller.var.tenantId, fn, minRole);
  } catch (error) {
    throw alertsError(error);
  }
}

// ---------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------

const alertColumns = (tx: Tx) =>
  tx`
  a.id::float8 as id, a.alert_type, t.title_fr as type_title, a.severity, a.status,
  a.product_id, p.sku as product_sku, p.name as product_name,
  a.location_id, l.name as location_name, a.context, a.notify,
  a.first_seen_at, a.last_seen_at, a.acknowledged_at, a.acknowledged_by, a.snoozed_until,
  a.resolved_at, a.resolved_by, a.resolution, a.created_at, a.updated_at`;

const alertFrom = (tx: Tx) =>
  tx`
  public.alerts a
  join public.alert_types t on t.code = a.alert_type
  left join public.products p on p.tenant_id = a.tenant_id and p.id = a.product_id
  left join public.locations l on l.tenant_id = a.tenant_id and l.id = a.location_id`;

// An alert's history and the messages that spoke of it (the outbox rows whose alert_ids
// contain it). Recipients are visible to managers only: a viewer sees a null name.
const detailColumns = (tx: Tx) =>
  tx`
  coalesce((
    select jsonb_agg(jsonb_build_object('id', e.id, 'event', e.event, 'actor_id', e.actor_id,
      'source', e.source, 'details', e.details, 'occurred_at', e.occurred_at) order by e.id)
    from public.alert_events e where e.tenant_id = a.tenant_id and e.alert_id = a.id
  ), '[]'::jsonb) as events,
  coalesce((
    select jsonb_agg(jsonb_build_object('id', o.id, 'recipient_id', o.recipient_id,
      'recipient_name', r.display_name, 'status', o.status, 'message_kind', o.message_kind,
      'created_at', o.created_at, 'sent_at', o.sent_at, 'delivered_at', o.delivered_at,
      'read_at', o.read_at, 'error_code', o.error_code, 'last_error', o.last_error)
      order by o.id)
    from public.notification_outbox o
    left join public.notification_recipients r
      on r.tenant_id = o.tenant_id and r.id = o.recipient_id
    where o.tenant_id = a.tenant_id and o.alert_ids @> array[a.id]
  ), '[]'::jsonb) as notifications`;

/** Filters of the open alerts list. */
export type OpenQuery = {
  limit: number;
  offset: number;
  type?: string;
  severity?: string;
  status?: string;
  product_id?: string;
  location_id?: string;
  include_snoozed: boolean;
};

/** Filters of the history. */
export type HistoryQuery = {
  limit: number;
  offset: number;
  from?: string;
  to?: string;
  type?: string;
  status?: string;
  product_id?: string;
};

const optional = (tx: Tx, value: string | undefined, condition: (v: string) => Fragment) =>
  value === undefined ? tx`` : condition(value);

async function page(
  tx: Tx,
  query: { limit: number; offset: number },
  where: Fragment,
  columns: Fragment,
  order: Fragment,
) {
  const [rows, [{ total }]] = await Promise.all([
    tx`select ${columns} from ${alertFrom(tx)} where ${where} order by ${order}
      limit ${query.limit} offset ${query.offset}`,
    tx<{ total: number }[]>`select count(*)::int as total from public.alerts a where ${where}`,
  ]);
  return { data: [...rows], page: { limit: query.limit, offset: query.offset, total } };
}

/** Open alerts (active and acknowledged), most severe first, then the latest seen. */
export function listOpenAlerts(tx: Tx, tenantId: string, query: OpenQuery) {
  const where = tx`a.tenant_id = ${tenantId} and a.status <> 'resolved'
    ${optional(tx, query.type, (v) => tx`and a.alert_type = ${v}`)}
    ${optional(tx, query.severity, (v) => tx`and a.severity = ${v}::public.alert_severity`)}
    ${optional(tx, query.status, (v) => tx`and a.status = ${v}::public.alert_status`)}
    ${optional(tx, query.product_id, (v) => tx`and a.product_id = ${v}::uuid`)}
    ${optional(tx, query.location_id, (v) => tx`and a.location_id = ${v}::uuid`)}
    ${
    query.include_snoozed ? tx`` : tx`and (a.snoozed_until is null or a.snoozed_until <= now())`
  }`;
  return page(
    tx,
    query,
    where,
    alertColumns(tx),
    tx`a.severity desc, a.last_seen_at desc, a.id desc`,
  );
}

/** Every alert over time (resolved included), newest first, with events and messages. */
export function listAlertHistory(tx: Tx, tenantId: string, query: HistoryQuery) {
  const where = tx`a.tenant_id = ${tenantId}
    ${optional(tx, query.from, (v) => tx`and a.first_seen_at >= ${v}::timestamptz`)}
    ${optional(tx, query.to, (v) => tx`and a.first_seen_at < ${v}::timestamptz`)}
    ${optional(tx, query.type, (v) => tx`and a.alert_type = ${v}`)}
    ${optional(tx, query.status, (v) => tx`and a.status = ${v}::public.alert_status`)}
    ${optional(tx, query.product_id, (v) => tx`and a.product_id = ${v}::uuid`)}`;
  return page(
    tx,
    query,
    where,
    tx`${alertColumns(tx)}, ${detailColumns(tx)}`,
    tx`a.first_seen_at desc, a.id desc`,
  );
}

/** One alert of the tenant with its events and messages, or 404. */
export async function getAlert(tx: Tx, tenantId: string, id: string) {
  const [row] = await tx`
    select ${alertColumns(tx)}, ${detailColumns(tx)} from ${alertFrom(tx)}
    where a.tenant_id = ${tenantId} and a.id = ${id}::bigint`;
  if (!row) throw alertNotFound();
  return row;
}

/** What a person may do to an open alert, through the migration's functions. */
export type AlertAction =
  | { action: "acknowledge"; note?: string }
  | { action: "resolve"; note?: string }
  | { action: "snooze"; until?: string | null; minutes?: number; note?: string };

/** Applies `change` to alert `id` (404/409/422/403 come from SQL) and reads it back. */
export async function changeAlert(tx: Tx, tenantId: string, id: string, change: AlertAction) {
  const note = change.note ?? null;
  if (change.action === "acknowledge") {
    await tx`select public.acknowledge_alert(${id}::bigint, ${note})`;
  } else if (change.action === "resolve") {
    await tx`select public.resolve_alert(${id}::bigint, ${note})`;
  } else {
    const until = change.minutes !== undefined
      ? tx`now() + make_interval(mins => ${change.minutes}::int)`
      : tx`${change.until ?? null}::timestamptz`;
    await tx`select public.snooze_alert(${id}::bigint, ${until}, ${note})`;
  }
  return await getAlert(tx, tenantId, id);
}

/** The alert types, in urgency order. */
export async function listAlertTypes(tx: Tx) {
  const rows = await tx`
    select code, title_fr, description_fr, default_severity, default_params, incremental
    from public.alert_types order by sort_order, code`;
  return { data: [...rows] };
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

const ruleColumns = (tx: Tx) =>
  tx`id, alert_type, category_id, product_id, enabled, severity, notify, params, created_at,
    updated_at`;

/** Values of a rule as the API takes them (undefined: not given). */
export type RuleValues = {
  alert_type?: string;
  category_id?: string;
  product_id?: string;
  enabled?: boolean | null;
  severity?: string | null;
  notify?: boolean | null;
  params?: Record<string, number | null>;
};

type Columns = Record<string, postgres.ParameterOrJSON<never>>;

/**
 * Column values for postgres.js's insert and update helpers; keys left undefined are not
 * written. `params` goes as an object: postgres.js serialises it for the jsonb column.
 */
function columnValues(values: Record<string, unknown>): Columns {
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined),
  ) as Columns;
}

/** The tenant's rules: tenant defaults first, then category and product overrides. */
export async function listRules(tx: Tx, tenantId: string) {
  const rows = await tx`
    select ${ruleColumns(tx)} from public.alert_rules where tenant_id = ${tenantId}
    order by alert_type, (category_id is not null), (product_id is not null), created_at, id`;
  return { data: [...rows] };
}

/** One rule of the tenant, or 404. */
export async function getRule(tx: Tx, tenantId: string, id: string) {
  const [row] = await tx<{ alert_type: string }[]>`
    select ${ruleColumns(tx)} from public.alert_rules where tenant_id = ${tenantId} and id = ${id}`;
  if (!row) throw ruleNotFound();
  return row;
}

/** Creates a rule in the tenant (params: `{}` unless given). */
export async function createRule(tx: Tx, tenantId: string, values: RuleValues) {
  const row: Columns = { params: {}, ...columnValues(values), tenant_id: tenantId };
  const [created] = await tx`
    insert into public.alert_rules ${tx(row)} returning ${ruleColumns(tx)}`;
  return created;
}

/** Changes the given settings of rule `id` (params replaced as a whole), or 404. */
export async function updateRule(tx: Tx, tenantId: string, id: string, values: RuleValues) {
  const [row] = await tx`
    update public.alert_rules set ${tx(columnValues(values))}
    where tenant_id = ${tenantId} and id = ${id} returning ${ruleColumns(tx)}`;
  if (!row) throw ruleNotFound();
  return row;
}

/** Deletes rule `id`, or 404. */
export async function deleteRule(tx: Tx, tenantId: string, id: string): Promise<void> {
  const rows = await tx`
    delete from public.alert_rules where tenant_id = ${tenantId} and id = ${id} returning id`;
  if (rows.length === 0) throw ruleNotFound();
}
