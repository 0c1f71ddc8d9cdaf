/**
 * Ledger API: `GET /products/{id}/ledger`, a product's movements with the balance after
 * each one (at one location, or over all of them), newest first by default, paginated.
 * The balance is a running sum in occurred_at order (ties in recording order), so a
 * movement dated in the past takes its place in the history.
 *
 * @module
 */
import type { z } from "@hono/zod-openapi";
import { IdParams } from "../catalogue/crud.ts";
import type { Tx } from "../db/client.ts";
import { withTenantTx } from "../db/tx.ts";
import type { Deps } from "../http/context.ts";
import { errors } from "../http/errors.ts";
import {
  AUTHED_ERRORS,
  createRouter,
  errorResponses,
  jsonResponse,
  userRoute,
} from "../http/openapi.ts";
import { type LedgerEntrySchema, LedgerQuery, LedgerSchema } from "./read_schemas.ts";

type Query = z.output<typeof LedgerQuery>;
type LedgerEntry = z.output<typeof LedgerEntrySchema>;

const productLedger = userRoute({
  method: "get",
  path: "/products/{id}/ledger",
  tags: ["Stock"],
  summary: "Mouvements d'un produit avec le solde après chacun, paginés",
  request: { params: IdParams, query: LedgerQuery },
  responses: {
    200: jsonResponse(LedgerSchema, "Une page du grand livre du produit"),
    ...errorResponses(...AUTHED_ERRORS, 404),
  },
});

async function ledgerPage(tx: Tx, tenantId: string, productId: string, query: Query) {
  const location = query.location_id ? tx`and m.location_id = ${query.location_id}` : tx``;
  const direction = query.sort === "occurred_at" ? tx`asc` : tx`desc`;
  const [[product], rows, [{ total }]] = await Promise.all([
    tx<{ id: string; sku: string; name: string; unit: string }[]>`
      select id, sku, name, unit from public.products
      where tenant_id = ${tenantId} and id = ${productId}`,
    tx<LedgerEntry[]>`
      select * from (
        select m.id::float8 as id, m.kind, m.product_id, m.location_id, m.quantity,
          m.counted_quantity, m.unit_cost_xof::float8 as unit_cost_xof, m.transfer_id,
          m.reason, m.reference, m.note, m.idempotency_key, m.occurred_at, m.created_by,
          m.created_at,
          (sum(m.quantity) over (order by m.occurred_at, m.id))::float8 as balance
        from public.stock_movements m
        where m.tenant_id = ${tenantId} and m.product_id = ${productId} ${location}
      ) ledger
      order by occurred_at ${direction}, id ${direction}
      limit ${query.limit} offset ${query.offset}`,
    tx<{ total: number }[]>`
      select count(*)::int as total from public.stock_movements m
      where m.tenant_id = ${tenantId} and m.product_id = ${productId} ${location}`,
  ]);
  if (!product) throw errors.notFound("Produit introuvable.", "product_not_found");
  return {
    product,
    location_id: query.location_id ?? null,
    data: [...rows],
    page: { limit: query.limit, offset: query.offset, total },
  };
}

/** Routes of the ledger API (mounted under /v1). */
export function ledgerRoutes(deps: Deps) {
  const { sql } = deps.db;
  const app = createRouter();

  app.openapi(productLedger, async (c) => {
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
    const ledger = await withTenantTx(
      sql,
      c.var.claims,
      c.var.tenantId,
      (tx, tenant) => ledgerPage(tx, tenant.id, id, query),
    );
    return c.json(ledger, 200);
  });

  return app;
}
