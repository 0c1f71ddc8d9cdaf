/**
 * The orders API, mounted under `/v1`: sales orders, purchase orders, the service rate
 * and observed lead times. The rules (transitions, stock through the ledger, what the
 * service rate counts) live in the orders migration; see docs/orders.md.
 *
 * @module
 */
import type { Deps } from "../http/context.ts";
import { createRouter } from "../http/openapi.ts";
import { purchaseOrderRoutes } from "./purchases.ts";
import { salesOrderRoutes } from "./sales.ts";
import { orderStatsRoutes } from "./stats.ts";

/** Routes of the orders API (mounted under /v1 by the api function). */
export function orderRoutes(deps: Deps) {
  const app = createRouter();
  app.route("/", salesOrderRoutes(deps));
  app.route("/", purchaseOrderRoutes(deps));
  app.route("/", orderStatsRoutes(deps));
  return app;
}
