/**
 * Stock levels API: `GET /stock-levels`, the stock of each product at each location
 * that has had movements, with the product's reorder point and weighted average cost.
 * Filters: product, location, low stock (at or below the reorder point), search by
 * product name or SKU, archived products; sort and limit/offset pagination with a total.
 *
 * @module
 */
import type { z } from "@hono/zod-openapi";
import type { Tx } from "../db/client.ts";
import { withTenantTx } from "../db/tx.ts";
import type { Deps } from "../http/context.ts";
import {
  AUTHED_ERRORS,
  createRouter,
  errorResponses,
  jsonResponse,
  userRoute,
} from "../http/openapi.ts";
import { parseSort } from "../catalogue/crud.ts";
import {
  STOCK_LEVEL_SORTS,
  StockLevelPageSchema,
  StockLevelQuery,
  type StockLevelSchema,
} from "./read_schemas.ts";

type Query = z.output<typeof StockLevelQuery>;
type StockLevel = z.output<typeof StockLevelSchema>;

const listStockLevels = userRoute({
  method: "get",
  path: "/stock-levels",
  tags: ["Stock"],
  summary: "Stocks par produit et emplacement : filtres (produit, emplacement, stock faible), " +
    "tri, pagination",
  description: "Un couple produit × emplacement sans aucun mouvement n'a pas de ligne (stock 0).",
  request: { query: StockLevelQuery },
  responses: {
    200: jsonResponse(StockLevelPageSchema, "Une page de stocks"),
    ...errorResponses(...AUTHED_ERRORS),
  },
});

const SORTS: Record<typeof STOCK_LEVEL_SORTS[number], (tx: Tx) => ReturnType<Tx>> = {
  sku: (tx) => tx`lower(p.sku)`,
  name: (tx) => tx`p.name_search`,
  quantity: (tx) => tx`l.quantity`,
  updated_at: (tx) => tx`l.updated_at`,
};

function where(tx: Tx, tenantId: string, query: Query) {
  const archived = query.archived === "exclude"
    ? tx`and p.archived_at is null`
    : query.archived === "only"
    ? tx`and p.archived_at is not null`
    : tx``;
  return tx`l.tenant_id = ${tenantId} ${archived}
    ${query.product_id ? tx`and l.product_id = ${query.product_id}` : tx``}
    ${query.location_id ? tx`and l.location_id = ${query.location_id}` : tx``}
    ${
    query.low_stock === undefined
      ? tx``
      : query.low_stock
      ? tx`and l.quantity <= p.reorder_point`
      : tx`and l.quantity > p.reorder_point`
  }
    ${
    query.q
      ? tx`and (p.name_search like (select app.search_pattern(${query.q}))
        or lower(p.sku) like (select app.search_pattern(${query.q})))`
      : tx``
  }`;
}

/** One page of stock levels and the total matching the filters (one round trip). */
async function stockLevelPage(tx: Tx, tenantId: string, query: Query) {
  const { key, descending } = parseSort(query.sort);
  const direction = () => descending ? tx`desc` : tx`asc`;
  const from = () =>
    tx`public.stock_levels l
    join public.products p on p.tenant_id = l.tenant_id and p.id = l.product_id`;
  const [rows, [{ total }]] = await Promise.all([
    tx<StockLevel[]>`
      select l.product_id, p.sku, p.name as product_name, p.unit, l.location_id,
        loc.name as location_name, l.quantity::float8 as quantity, p.reorder_point,
        l.quantity <= p.reorder_point as low_stock,
        round(c.average_unit_cost_xof, 2)::float8 as average_unit_cost_xof,
        round(l.quantity * c.average_unit_cost_xof)::float8 as value_xof,
        l.last_movement_at, l.updated_at
      from ${from()}
      join public.locations loc on loc.tenant_id = l.tenant_id and loc.id = l.location_id
      left join public.product_costs c on c.tenant_id = l.tenant_id and c.product_id = l.product_id
      where ${where(tx, tenantId, query)}
      order by ${SORTS[key](tx)} ${direction()}, l.product_id ${direction()},
        l.location_id ${direction()}
      limit ${query.limit} offset ${query.offset}`,
    tx<{ total: number }[]>`
      select count(*)::int as total from ${from()} where ${where(tx, tenantId, query)}`,
  ]);
  return { data: [...rows], page: { limit: query.limit, offset: query.offset, total } };
}

/** Routes of the stock levels API (mounted under /v1). */
export function stockLevelRoutes(deps: Deps) {
  const { sql } = deps.db;
  const app = createRouter();

  app.openapi(listStockLevels, async (c) => {
    const query = c.req.valid("query");
    const page = await withTenantTx(
      sql,
      c.var.claims,
      c.var.tenantId,
      (tx, tenant) => stockLevelPage(tx, tenant.id, query),
    );
    return c.json(page, 200);
  });

  return app;
}
