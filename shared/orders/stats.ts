/**
 * Order statistics: the service rate (fill rate = delivered ÷ ordered, by product or by
 * order day) and the observed supplier lead times (count, mean, p50, p90). Both are SQL
 * functions of the orders migration, run under the caller's row-level security.
 *
 * @module
 */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/middleware.ts";
import { withTenantTx } from "../db/tx.ts";
import type { Deps } from "../http/context.ts";
import {
  AUTHED_ERRORS,
  bearer,
  createRouter,
  errorResponses,
  jsonResponse,
} from "../http/openapi.ts";
import { LeadTimeQuery, LeadTimeSchema, ServiceRateQuery, ServiceRateSchema } from "./schemas.ts";

const serviceRate = createRoute({
  method: "get",
  path: "/service-rate",
  tags: ["Commandes clients"],
  summary: "Taux de service (livré ÷ commandé) par produit ou par jour de commande",
  description: "Commandes soldées seulement (livrées ou annulées) dont la date de commande, dans " +
    "le fuseau de la boutique, est entre from et to inclus. Annulation par la boutique : le " +
    "reste compte comme non livré ; annulation par le client : seul le livré compte (commandé = " +
    "livré). Brouillons et commandes en cours : exclus jusqu'à leur clôture.",
  security: bearer,
  middleware: [requireUser] as const,
  request: { query: ServiceRateQuery },
  responses: {
    200: jsonResponse(ServiceRateSchema, "Taux de service"),
    ...errorResponses(...AUTHED_ERRORS),
  },
});

const leadTimes = createRoute({
  method: "get",
  path: "/lead-times",
  tags: ["Commandes fournisseurs"],
  summary: "Délais de livraison observés par fournisseur et produit (n, moyenne, p50, p90)",
  description: "Un délai par réception : de l'envoi de la commande à la réception, en jours. " +
    "Une ligne par fournisseur × produit, et une par fournisseur tous produits (product_id null).",
  security: bearer,
  middleware: [requireUser] as const,
  request: { query: LeadTimeQuery },
  responses: {
    200: jsonResponse(LeadTimeSchema, "Statistiques de délai"),
    ...errorResponses(...AUTHED_ERRORS),
  },
});

type Rate = {
  product_id: string | null;
  day: string | null;
  lines: number;
  quantity_ordered: number;
  quantity_delivered: number;
  fill_rate: number;
};

/** Routes of the order statistics (mounted under /v1). */
export function orderStatsRoutes(deps: Deps) {
  const { sql } = deps.db;
  const app = createRouter();

  app.openapi(serviceRate, async (c) => {
    const query = c.req.valid("query");
    const rows = await withTenantTx(sql, c.var.claims, c.var.tenantId, (tx) =>
      tx<Rate[]>`
        select product_id, to_char(day, 'YYYY-MM-DD') as day, lines::int as lines,
          quantity_ordered::float8 as quantity_ordered,
          quantity_delivered::float8 as quantity_delivered, fill_rate::float8 as fill_rate
        from public.service_rate(${query.from}::date, ${query.to}::date, ${query.group_by})`);
    const ordered = rows.reduce((sum, row) => sum + row.quantity_ordered, 0);
    const delivered = rows.reduce((sum, row) => sum + row.quantity_delivered, 0);
    return c.json({
      from: query.from,
      to: query.to,
      group_by: query.group_by,
      total: {
        quantity_ordered: ordered,
        quantity_delivered: delivered,
        fill_rate: ordered === 0 ? null : Math.round(delivered / ordered * 10_000) / 10_000,
      },
      data: [...rows],
    }, 200);
  });

  app.openapi(leadTimes, async (c) => {
    const query = c.req.valid("query");
    const rows = await withTenantTx(sql, c.var.claims, c.var.tenantId, (tx) =>
      tx`
        select supplier_id, product_id, receipts::int as receipts,
          mean_days::float8 as mean_days, p50_days::float8 as p50_days,
          p90_days::float8 as p90_days, min_days::float8 as min_days,
          max_days::float8 as max_days
        from public.lead_time_stats(${query.supplier_id ?? null}::uuid,
          ${query.product_id ?? null}::uuid)`);
    return c.json({ data: [...rows] } as never, 200);
  });

  return app;
}
