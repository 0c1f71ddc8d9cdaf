/**
 * Writing movements: every write route ends here. One statement inserts all the rows
 * of a request (a JSON array read by `jsonb_to_recordset`, in order), so the ledger
 * trigger sees them together; the stock levels after it are read in the same round
 * trip. Before that, one query finds the products and locations the rows name (under
 * RLS: another shop's ids are simply not there) and the default location.
 *
 * Problems are reported per row: the database names a row by its `position` in the
 * statement, and each route says which line (or field) of its request a row came from.
 *
 * @module
 */
import type { Tx } from "../db/client.ts";
import { ApiError, type ErrorStatus, fromDatabaseError } from "../http/errors.ts";
import type { LevelAfter, Movement, MovementInput } from "./schemas.ts";

/** A movement as inserted; the database fills the rest (and a count's quantity). */
export type MovementRow = {
  kind: Movement["kind"];
  product_id: string;
  location_id?: string;
  quantity?: number;
  counted_quantity?: number;
  unit_cost_xof?: number;
  transfer_id?: string;
  reason?: string;
  reference?: string;
  note?: string;
  idempotency_key?: string;
  occurred_at?: string;
};

/** Where a row came from in the request: its line (batches, counts), its location field. */
export type RowOrigin = { line?: number; locationField?: string };

/** One problem of a request, as listed in `error.details`. */
export type Problem = { line?: number; code: string; message: string; [key: string]: unknown };

/** The stored, signed row of a movement as a client sends it (sales and transfers out are negative). */
export function toRow(input: MovementInput): MovementRow {
  const { kind } = input;
  if (kind === "count") return { ...input };
  const quantity = kind === "sale" ? -input.quantity : input.quantity;
  return { ...input, quantity };
}

/** The error for a list of problems: status and code of the first, all in the details. */
export function rejected(status: ErrorStatus, problems: Problem[]): ApiError {
  const [first] = problems;
  const message = problems.length === 1
    ? first.message
    : `${problems.length} mouvements refusés. ${first.message}`;
  return new ApiError(status, first.code, message, problems);
}

const at = (origin: RowOrigin | undefined) => origin?.line ? { line: origin.line } : {};

function unique(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = JSON.stringify(problem);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Fills in the default location and checks that every product and location exists in
 * the tenant (404 per row otherwise) and that no client key is already taken (409).
 */
async function resolveReferences(
  tx: Tx,
  tenantId: string,
  rows: MovementRow[],
  origins: RowOrigin[],
): Promise<MovementRow[]> {
  const productIds = [...new Set(rows.map((row) => row.product_id))];
  const locationIds = [...new Set(rows.flatMap((row) => row.location_id ?? []))];
  const keys = rows.flatMap((row) => row.idempotency_key ?? []);
  const [found] = await tx<
    { products: string[]; locations: string[]; default_location: string; taken: string[] }[]
  >`
    select
      (select coalesce(array_agg(p.id), '{}') from public.products p
        where p.tenant_id = ${tenantId} and p.id = any(${productIds}::uuid[])) as products,
      (select coalesce(array_agg(l.id), '{}') from public.locations l
        where l.tenant_id = ${tenantId} and l.id = any(${locationIds}::uuid[])) as locations,
      (select l.id from public.locations l
        where l.tenant_id = ${tenantId} and l.is_default) as default_location,
      ${
    keys.length === 0 ? tx`'{}'::text[]` : tx`(select coalesce(array_agg(m.idempotency_key), '{}')
        from public.stock_movements m
        where m.tenant_id = ${tenantId} and m.idempotency_key = any(${keys}::text[]))`
  } as taken`;
  const products = new Set(found.products);
  const locations = new Set(found.locations);
  const taken = new Set(found.taken);
  const missing: Problem[] = [];
  const duplicates: Problem[] = [];
  rows.forEach((row, index) => {
    const origin = origins[index];
    if (!products.has(row.product_id)) {
      missing.push({
        ...at(origin),
        code: "product_not_found",
        message: "Produit introuvable dans cette boutique.",
        field: "product_id",
        product_id: row.product_id,
      });
    }
    if (row.location_id !== undefined && !locations.has(row.location_id)) {
      missing.push({
        ...at(origin),
        code: "location_not_found",
        message: "Emplacement introuvable dans cette boutique.",
        field: origin?.locationField ?? "location_id",
        location_id: row.location_id,
      });
    }
    if (row.idempotency_key !== undefined && taken.has(row.idempotency_key)) {
      duplicates.push({
        ...at(origin),
        code: "duplicate_movement",
        message: "Un mouvement avec cette clé est déjà enregistré.",
        field: "idempotency_key",
        idempotency_key: row.idempotency_key,
      });
    }
  });
  if (missing.length > 0) throw rejected(404, unique(missing));
  if (duplicates.length > 0) throw rejected(409, duplicates);
  return rows.map((row) => ({ ...row, location_id: row.location_id ?? found.default_location }));
}

/**
 * A database error with its problems attributed to the request's lines: the ledger
 * trigger names rows by position (1 = the first row inserted).
 */
function attribute(error: unknown, origins: RowOrigin[]): unknown {
  const pg = error as { code?: string; constraint_name?: string };
  if (pg?.code === "23505" && pg.constraint_name === "stock_movements_tenant_idempotency_key_key") {
    return rejected(409, [{
      code: "duplicate_movement",
      message: "Un mouvement avec cette clé est déjà enregistré.",
      field: "idempotency_key",
    }]);
  }
  const api = fromDatabaseError(error);
  if (!api || !Array.isArray(api.details)) return api ?? error;
  const problems = api.details.map((detail: { position?: number } & Problem) => {
    const { position, ...problem } = detail;
    return { ...at(origins[(position ?? 0) - 1]), ...problem };
  });
  return new ApiError(api.status, api.code, api.message, problems);
}

const FULL = (tx: Tx) =>
  tx`id::float8 as id, kind, product_id, location_id, quantity, counted_quantity,
    unit_cost_xof::float8 as unit_cost_xof, transfer_id, reason, reference, note,
    idempotency_key, occurred_at, created_by, created_at`;
const SUMMARY = (tx: Tx) => tx`id::float8 as id, quantity`;

/** What the insert returns: whole movements, or only id and signed quantity. */
export type Returning = "full" | "summary";
type Returned<R extends Returning> = R extends "full" ? Movement
  : { id: number; quantity: number };

/**
 * Inserts `rows` (in this order) in one statement and returns them with the stock
 * levels after it. `origins[i]` says where row i came from, for the errors.
 */
export async function recordMovements<R extends Returning>(
  tx: Tx,
  tenantId: string,
  rows: MovementRow[],
  origins: RowOrigin[],
  returning: R,
): Promise<{ movements: Returned<R>[]; levels: LevelAfter[] }> {
  const resolved = await resolveReferences(tx, tenantId, rows, origins);
  const pairs = [...new Set(resolved.map((row) => `${row.product_id}|${row.location_id}`))]
    .map((pair) => pair.split("|"));
  try {
    const [movements, levels] = await Promise.all([
      tx<Returned<R>[]>`
        insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity,
          counted_quantity, unit_cost_xof, transfer_id, reason, reference, note,
          idempotency_key, occurred_at)
        select ${tenantId}, r.product_id, r.location_id, r.kind, r.quantity, r.counted_quantity,
          r.unit_cost_xof, r.transfer_id, r.reason, r.reference, r.note, r.idempotency_key,
          coalesce(r.occurred_at, now())
        from rows from (jsonb_to_recordset(${JSON.stringify(resolved)}::text::jsonb) as (
          product_id uuid, location_id uuid, kind public.movement_kind, quantity integer,
          counted_quantity integer, unit_cost_xof bigint, transfer_id uuid, reason text,
          reference text, note text, idempotency_key text, occurred_at timestamptz
        )) with ordinality as r(product_id, location_id, kind, quantity, counted_quantity,
          unit_cost_xof, transfer_id, reason, reference, note, idempotency_key, occurred_at,
          ord)
        order by r.ord
        returning ${returning === "full" ? FULL(tx) : SUMMARY(tx)}`,
      // Sent in the same round trip; runs after the insert, so it sees the new levels.
      tx<LevelAfter[]>`
        select l.product_id, l.location_id, l.quantity::float8 as quantity
        from public.stock_levels l
        join unnest(${pairs.map((p) => p[0])}::uuid[], ${pairs.map((p) => p[1])}::uuid[])
          as p(product_id, location_id) using (product_id, location_id)
        where l.tenant_id = ${tenantId}
        order by l.product_id, l.location_id`,
    ]);
    return { movements: [...movements], levels: [...levels] };
  } catch (error) {
    throw attribute(error, origins);
  }
}
