/**
 * The catalogue API: products, categories, suppliers and locations, each with the
 * same six routes (see `crud.ts`), mounted under `/v1`.
 *
 * @module
 */
import type { Deps } from "../http/context.ts";
import { createRouter } from "../http/openapi.ts";
import { categoryRoutes } from "./categories.ts";
import { locationRoutes } from "./locations.ts";
import { productRoutes } from "./products.ts";
import { supplierRoutes } from "./suppliers.ts";

/** Routes of the catalogue (mounted under /v1 by the api function). */
export function catalogueRoutes(deps: Deps) {
  const app = createRouter();
  app.route("/", productRoutes(deps));
  app.route("/", categoryRoutes(deps));
  app.route("/", supplierRoutes(deps));
  app.route("/", locationRoutes(deps));
  return app;
}
