/**
 * The stock ledger API, mounted under `/v1`: movements (one or a batch), transfers,
 * stock counts, stock levels and a product's ledger. The rules (signs, transfers,
 * counts, negative stock, average cost, append-only) live in the ledger migration;
 * these routes validate, call the database and shape the answers.
 *
 * @module
 */
import type { Deps } from "../http/context.ts";
import { createRouter } from "../http/openapi.ts";
import { ledgerRoutes } from "./ledger.ts";
import { movementRoutes } from "./movements.ts";
import { stockCountRoutes } from "./stock_counts.ts";
import { stockLevelRoutes } from "./stock_levels.ts";
import { transferRoutes } from "./transfers.ts";

/** Routes of the stock ledger (mounted under /v1 by the api function). */
export function inventoryRoutes(deps: Deps) {
  const app = createRouter();
  app.route("/", movementRoutes(deps));
  app.route("/", transferRoutes(deps));
  app.route("/", stockCountRoutes(deps));
  app.route("/", stockLevelRoutes(deps));
  app.route("/", ledgerRoutes(deps));
  return app;
}
