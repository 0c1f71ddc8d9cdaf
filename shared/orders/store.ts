/**
 * Orders in the database: one descriptor per kind (tables, the column that tells
 * ordered from done, whether receipts are listed), reads of whole orders as JSON, and
 * the writes. The rules (draft-only lines, transitions, stock through the ledger, lead
 * times) live in the orders migration; errors raised there reach the client as they are,
 * with a refused request line named by `line` (1 = the first element of `lines`).
 *
 * @module
 */
import type { Tx } from "../db/client.ts";
import { ApiError, errors, fromDatabaseError } from "../http/errors.ts";

/** What differs between sales and purchase orders in SQL. */
export type OrderKind = {
  name: "sales_order" | "purchase_order";
  orders: string;
  lines: string;
  /** Line column of the agreed amount (price or cost). */
  amount: "unit_price_xof" | "unit_cost_xof";
  receipts: boolean;
  notFound: string;
};

export const SALES: OrderKind = {
  name: "sales_order",
  orders: "sales_orders",
  lines: "sales_order_lines",
  amount: "unit_price_xof",
  receipts: false,
  notFound: "Commande client introuvable.",
};

export const PURCHASES: OrderKind = {
  name: "purchase_order",
  orders: "purchase_orders",
  lines: "purchase_order_lines",
  amount: "unit_cost_xof",
  receipts: true,
  notFound: "Commande fournisseur introuvable.",
};

const table = (tx: Tx, name: string) => tx`${tx("public")}.${tx(name)}`;

/** The JSON of whole orders (header, lines, receipts for purchases) for `where`. */
function ordersJson(tx: Tx, kind: OrderKind) {
  return tx`(to_jsonb(o) - 'tenant_id') || jsonb_build_object(
    'lines', (select coalesce(jsonb_agg(to_jsonb(l) - 'tenant_id' - 'order_id' - 'created_at'
        - 'updated_at' - 'line_no' order by l.line_no), '[]')
      from ${table(tx, kind.lines)} l where l.tenant_id = o.tenant_id and l.order_id = o.id)
    ${
    kind.receipts
      ? tx`, 'receipts', (select coalesce(jsonb_agg(jsonb_build_object('id', r.id,
          'line_id', r.line_id, 'product_id', r.product_id, 'movement_id', r.movement_id,
          'quantity', r.quantity, 'unit_cost_xof', r.unit_cost_xof, 'received_at', r.received_at,
          'lead_time_days', r.lead_time_days) order by r.received_at, r.id), '[]')
        from public.purchase_receipts r where r.tenant_id = o.tenant_id and r.order_id = o.id)`
      : tx``
  })`;
}

/** One order of the tenant, or 404 (another tenant's id included). */
export async function getOrder(tx: Tx, kind: OrderKind, tenantId: string, id: string) {
  const [row] = await tx<{ order: Record<string, unknown> }[]>`
    select ${ordersJson(tx, kind)} as order from ${table(tx, kind.orders)} o
    where o.tenant_id = ${tenantId} and o.id = ${id}`;
  if (!row) throw errors.notFound(kind.notFound, `${kind.name}_not_found`);
  return row.order;
}

/** A page of orders, newest first unless `sort` says otherwise. */
export async function listOrders(
  tx: Tx,
  kind: OrderKind,
  tenantId: string,
  query: { limit: number; offset: number; sort: string; status?: string; supplier_id?: string },
) {
  const where = tx`o.tenant_id = ${tenantId}
    ${query.status ? tx`and o.status::text = ${query.status}` : tx``}
    ${query.supplier_id ? tx`and o.supplier_id = ${query.supplier_id}` : tx``}`;
  const direction = query.sort.startsWith("-") ? tx`desc` : tx`asc`;
  const [rows, [{ total }]] = await Promise.all([
    tx<{ order: Record<string, unknown> }[]>`
      select ${ordersJson(tx, kind)} as order from ${table(tx, kind.orders)} o where ${where}
      order by o.ordered_at ${direction}, o.id ${direction}
      limit ${query.limit} offset ${query.offset}`,
    tx<{ total: number }[]>`
      select count(*)::int as total from ${table(tx, kind.orders)} o where ${where}`,
  ]);
  return {
    data: rows.map((row) => row.order),
    page: { limit: query.limit, offset: query.offset, total },
  };
}

type LineInput = { product_id: string; quantity: number } & Record<string, unknown>;

/** Inserts lines into an order (the database refuses them unless it is a draft). */
async function insertLines(
  tx: Tx,
  kind: OrderKind,
  tenantId: string,
  orderId: string,
  lines: LineInput[],
) {
  if (lines.length === 0) return [];
  const rows = lines.map((line) => ({
    tenant_id: tenantId,
    order_id: orderId,
    product_id: line.product_id,
    quantity_ordered: line.quantity,
    [kind.amount]: line[kind.amount] ?? null,
  }));
  return await tx<{ id: string }[]>`
    insert into ${table(tx, kind.lines)} ${tx(rows)} returning id`;
}

/** Creates an order with its lines; the location defaults to the tenant's default one. */
export async function createOrder(
  tx: Tx,
  kind: OrderKind,
  tenantId: string,
  input: { lines: LineInput[] } & Record<string, unknown>,
) {
  const { lines, ...header } = input;
  const row = Object.fromEntries(Object.entries(header).filter(([, v]) => v !== undefined));
  if (row.location_id === undefined) {
    const [found] = await tx<{ id: string }[]>`
      select id from public.locations where tenant_id = ${tenantId} and is_default`;
    row.location_id = found?.id;
  }
  const [created] = await tx<{ id: string }[]>`
    insert into ${table(tx, kind.orders)} ${tx({ ...row, tenant_id: tenantId })}
    returning id`.catch(mapMissing);
  await insertLines(tx, kind, tenantId, created.id, lines).catch(mapMissing);
  return await getOrder(tx, kind, tenantId, created.id);
}

/** Adds a line to a draft order. */
export async function addLine(
  tx: Tx,
  kind: OrderKind,
  tenantId: string,
  orderId: string,
  line: LineInput,
) {
  await getOrder(tx, kind, tenantId, orderId);
  await insertLines(tx, kind, tenantId, orderId, [line]).catch(mapMissing);
  return await getOrder(tx, kind, tenantId, orderId);
}

/** Changes a line of a draft order (404 when the line is not the order's). */
export async function updateLine(
  tx: Tx,
  kind: OrderKind,
  tenantId: string,
  ids: { id: string; line_id: string },
  patch: Record<string, unknown>,
) {
  await getOrder(tx, kind, tenantId, ids.id);
  const set: Record<string, unknown> = {};
  if (patch.quantity !== undefined) set.quantity_ordered = patch.quantity;
  if (patch[kind.amount] !== undefined) set[kind.amount] = patch[kind.amount];
  const updated = await tx`update ${table(tx, kind.lines)} set ${tx(set)}
    where tenant_id = ${tenantId} and order_id = ${ids.id} and id = ${ids.line_id} returning id`;
  if (updated.length === 0) throw errors.notFound("Ligne introuvable.", "line_not_found");
  return await getOrder(tx, kind, tenantId, ids.id);
}

/**
 * Calls a transition function (`public.<fn>(id, …args)`) and returns the order after
 * it. Problems the database lists by `position` get the request's `line` instead.
 */
export async function transition(
  tx: Tx,
  kind: OrderKind,
  tenantId: string,
  orderId: string,
  call: (tx: Tx) => Promise<unknown>,
) {
  try {
    await call(tx);
  } catch (error) {
    const api = fromDatabaseError(error);
    if (!api || !Array.isArray(api.details)) throw error;
    const details = api.details.map(({ position, ...rest }: { position?: number }) => ({
      ...(position ? { line: position } : {}),
      ...rest,
    }));
    throw new ApiError(api.status, api.code, api.message, details);
  }
  return await getOrder(tx, kind, tenantId, orderId);
}

/** A missing product, supplier or location (foreign key in the tenant) is a 404. */
function mapMissing(error: unknown): never {
  const api = fromDatabaseError(error);
  if (api?.code === "reference_not_found") {
    const constraint = String((api.details as { constraint?: string })?.constraint ?? "");
    const what = constraint.includes("product")
      ? ["product_not_found", "Produit introuvable dans cette boutique."]
      : constraint.includes("supplier")
      ? ["supplier_not_found", "Fournisseur introuvable dans cette boutique."]
      : ["location_not_found", "Emplacement introuvable dans cette boutique."];
    throw new ApiError(404, what[0], what[1], { constraint });
  }
  if (api?.code === "conflict") {
    throw errors.conflict("duplicate_product", "Ce produit figure déjà dans la commande.");
  }
  throw error;
}
