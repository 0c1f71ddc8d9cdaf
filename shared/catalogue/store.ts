/**
 * SQL shared by the catalogue resources: one page of a filtered, sorted list with its
 * total; find, insert, update, archive, restore and delete one row. Every statement
 * runs inside `withTenantTx`, so row-level security applies; the explicit `tenant_id`
 * filters only help the planner use the indexes that lead with it.
 *
 * Database errors that mean something to the caller (a taken SKU, a category of
 * another shop, a supplier still in use) are translated here into the error contract.
 *
 * @module
 */
import type postgres from "postgres";
import type { AccessClaims } from "../auth/jwt.ts";
import type { Sql, Tx } from "../db/client.ts";
import { type TenantContext, type TenantRole, withTenantTx } from "../db/tx.ts";
import { ApiError } from "../http/errors.ts";
import { parseSort, type SortParam } from "./crud.ts";
import { defined } from "./fields.ts";

/** A piece of SQL built with the transaction's tagged template. */
export type Fragment = postgres.Fragment;

/** How the shared SQL reaches one catalogue table. */
export type Resource<Row extends object, SortKey extends string> = {
  /** The table, e.g. tx`public.products`. */
  table: (tx: Tx) => Fragment;
  /** The columns the API returns, in its types (amounts as numbers). */
  columns: (tx: Tx) => Fragment;
  /** The expression each sort key orders by (the id breaks ties). */
  sorts: Record<SortKey, (tx: Tx) => Fragment>;
  /** 404 for an id that is not in the tenant. */
  notFound: () => ApiError;
  /** 409 for a hard delete of a row something still refers to. */
  inUse: () => ApiError;
  /** Only for typing rows. */
  row?: Row;
};

/** Column values for postgres.js's insert and update helpers. */
type Columns = Record<string, postgres.ParameterOrJSON<never>>;

/** What a list route asks for, after validation. */
export type ListQuery<SortKey extends string> = {
  limit: number;
  offset: number;
  sort: SortParam<SortKey>;
  archived: "exclude" | "include" | "only";
};

/** A page of rows and where it sits in the whole list. */
export type Page<Row extends object> = {
  data: Row[];
  page: { limit: number; offset: number; total: number };
};

const field = (status: 409 | 422, code: string, message: string, name: string) => () =>
  new ApiError(status, code, message, { field: name });

/** Constraints of the catalogue migration whose violation the caller can fix. */
const CONSTRAINTS: Record<string, () => ApiError> = {
  products_tenant_sku_key: field(
    409,
    "sku_taken",
    "Cette référence (SKU) est déjà utilisée par un autre produit de la boutique " +
      "(éventuellement archivé).",
    "sku",
  ),
  products_tenant_barcode_key: field(
    409,
    "barcode_taken",
    "Ce code-barres est déjà utilisé par un autre produit de la boutique.",
    "barcode",
  ),
  categories_tenant_name_key: field(
    409,
    "category_name_taken",
    "Une catégorie porte déjà ce nom dans la boutique (éventuellement archivée).",
    "name",
  ),
  locations_tenant_name_key: field(
    409,
    "location_name_taken",
    "Un emplacement porte déjà ce nom dans la boutique (éventuellement archivé).",
    "name",
  ),
  products_category_fkey: field(
    422,
    "category_not_found",
    "Catégorie introuvable dans cette boutique.",
    "category_id",
  ),
  products_supplier_fkey: field(
    422,
    "supplier_not_found",
    "Fournisseur introuvable dans cette boutique.",
    "supplier_id",
  ),
  products_check: field(
    422,
    "max_stock_below_reorder_point",
    "Le stock maximum doit être supérieur ou égal au point de commande.",
    "max_stock",
  ),
};

/**
 * Translates a constraint violation into the catalogue's error, or returns the error
 * unchanged. While deleting, a foreign-key violation means the row is still in use.
 */
export function catalogueError(error: unknown, deleting?: { inUse: () => ApiError }): unknown {
  if (typeof error !== "object" || error === null) return error;
  const { code, constraint_name } = error as { code?: unknown; constraint_name?: unknown };
  if (code === "23503" && deleting) return deleting.inUse();
  if (code !== "23505" && code !== "23503" && code !== "23514") return error;
  const known = typeof constraint_name === "string" ? CONSTRAINTS[constraint_name] : undefined;
  return known ? known() : error;
}

/** Who calls: the verified claims and the tenant the request names, if any. */
export type Caller = { var: { claims: AccessClaims; tenantId: string | undefined } };

/**
 * Runs `fn` in the caller's tenant with at least `minRole` (viewer reads, manager
 * writes), translating the catalogue's constraint errors.
 */
export async function inTenant<T>(
  sql: Sql,
  caller: Caller,
  minRole: TenantRole,
  fn: (tx: Tx, tenant: TenantContext) => Promise<T>,
  deleting?: { inUse: () => ApiError },
): Promise<T> {
  try {
    return await withTenantTx(sql, caller.var.claims, caller.var.tenantId, fn, minRole);
  } catch (error) {
    throw catalogueError(error, deleting);
  }
}

/**
 * One page of `resource` in `tenantId`: rows matching `filters` (SQL starting with
 * `and`, or empty) and the archived filter, ordered by the sort key then id, with the
 * total of matching rows. Both queries are pipelined in one round trip.
 */
export async function listPage<Row extends object, K extends string>(
  tx: Tx,
  resource: Resource<Row, K>,
  tenantId: string,
  query: ListQuery<K>,
  filters: (tx: Tx) => Fragment,
): Promise<Page<Row>> {
  const { key, descending } = parseSort(query.sort);
  const direction = () => descending ? tx`desc` : tx`asc`;
  const archived = () =>
    query.archived === "exclude"
      ? tx`and archived_at is null`
      : query.archived === "only"
      ? tx`and archived_at is not null`
      : tx``;
  const where = () => tx`tenant_id = ${tenantId} ${archived()} ${filters(tx)}`;
  const [rows, [{ total }]] = await Promise.all([
    tx<Row[]>`
      select ${resource.columns(tx)} from ${resource.table(tx)}
      where ${where()}
      order by ${resource.sorts[key](tx)} ${direction()}, id ${direction()}
      limit ${query.limit} offset ${query.offset}`,
    tx<{ total: number }[]>`
      select count(*)::int as total from ${resource.table(tx)} where ${where()}`,
  ]);
  return { data: [...rows], page: { limit: query.limit, offset: query.offset, total } };
}

/** `and <name matches q>` ignoring case and accents, or nothing without `q`. */
export function nameSearch(tx: Tx, q: string | undefined): Fragment {
  return q ? tx`and app.fold_search(name) like (select app.search_pattern(${q}))` : tx``;
}

/** The row `id` of the tenant, or 404 (also for another tenant's id). */
export async function findOne<Row extends object>(
  tx: Tx,
  resource: Resource<Row, string>,
  tenantId: string,
  id: string,
): Promise<Row> {
  const [row] = await tx<Row[]>`
    select ${resource.columns(tx)} from ${resource.table(tx)}
    where tenant_id = ${tenantId} and id = ${id}`;
  if (!row) throw resource.notFound();
  return row;
}

/** Inserts a row in the tenant; keys left undefined take the database default. */
export async function insertOne<Row extends object>(
  tx: Tx,
  resource: Resource<Row, string>,
  tenantId: string,
  values: Record<string, unknown>,
): Promise<Row> {
  const row = { ...defined(values), tenant_id: tenantId } as Columns;
  const [created] = await tx<Row[]>`
    insert into ${resource.table(tx)} ${tx(row)} returning ${resource.columns(tx)}`;
  return created;
}

/** Updates the given columns of row `id`, or 404. */
export async function updateOne<Row extends object>(
  tx: Tx,
  resource: Resource<Row, string>,
  tenantId: string,
  id: string,
  values: Record<string, unknown>,
): Promise<Row> {
  const changes = defined(values) as Columns;
  const [row] = Object.keys(changes).length === 0
    ? [await findOne(tx, resource, tenantId, id)]
    : await tx<Row[]>`
      update ${resource.table(tx)} set ${tx(changes)}
      where tenant_id = ${tenantId} and id = ${id}
      returning ${resource.columns(tx)}`;
  if (!row) throw resource.notFound();
  return row;
}

/**
 * Archives row `id` (keeping the first archiving time) or brings it back from the
 * archive; 404 when the tenant has no such row.
 */
export async function setArchived<Row extends object>(
  tx: Tx,
  resource: Resource<Row, string>,
  tenantId: string,
  id: string,
  archived: boolean,
): Promise<Row> {
  const [row] = await tx<Row[]>`
    update ${resource.table(tx)}
    set archived_at = ${archived ? tx`coalesce(archived_at, now())` : tx`null`}
    where tenant_id = ${tenantId} and id = ${id}
    returning ${resource.columns(tx)}`;
  if (!row) throw resource.notFound();
  return row;
}

/**
 * Deletes row `id` for good, or 404. Rows something refers to (a category with
 * products, later a product with movements) make the foreign keys refuse: the caller
 * passes the resource as `deleting` to {@link inTenant} to answer 409.
 */
export async function deleteOne(
  tx: Tx,
  resource: Resource<object, string>,
  tenantId: string,
  id: string,
): Promise<void> {
  const rows = await tx`
    delete from ${resource.table(tx)} where tenant_id = ${tenantId} and id = ${id} returning id`;
  if (rows.length === 0) throw resource.notFound();
}
