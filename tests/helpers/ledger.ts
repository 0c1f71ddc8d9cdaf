/**
 * What the stock ledger tests share: the shapes of the API's answers, a client of
 * POST /movements and two reads of the database's truth (a stock level, a tenant's
 * number of movements).
 *
 * @module
 */
import type { Sql } from "../../shared/db/client.ts";
import { call, type ErrorBody } from "./fixtures.ts";

export { type ErrorBody, paths } from "./fixtures.ts";

/** A movement as the API returns it. */
export type Movement = {
  id: number;
  kind: string;
  product_id: string;
  location_id: string;
  quantity: number;
  counted_quantity: number | null;
  unit_cost_xof: number | null;
  transfer_id: string | null;
  reason: string | null;
  reference: string | null;
  note: string | null;
  idempotency_key: string | null;
  occurred_at: string;
  created_by: string | null;
  created_at: string;
};

/** A stock level after a write. */
export type LevelAfter = { product_id: string; location_id: string; quantity: number };

/** What POST /movements answers. */
export type MovementResult = { movement: Movement; stock_level: LevelAfter };

/** A client of POST /movements on the stack at `url`. */
export const movementPoster =
  (url: string) => (token: string, body: unknown, headers: Record<string, string> = {}) =>
    call<MovementResult & ErrorBody>(url, "POST", "/api/v1/movements", { token, body, headers });

/** The stock of a product at a location (0 when the pair has never moved). */
export async function levelOf(sql: Sql, productId: string, locationId: string): Promise<number> {
  const [row] = await sql<{ quantity: number }[]>`
    select quantity::float8 as quantity from public.stock_levels
    where product_id = ${productId} and location_id = ${locationId}`;
  return row?.quantity ?? 0;
}

/** How many movements a tenant has. */
export async function movementCount(sql: Sql, tenantId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from public.stock_movements where tenant_id = ${tenantId}`;
  return row.n;
}
