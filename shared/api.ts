/**
 * The `api` function: the whole REST API under `/api/v1`, documentation included.
 * Hono's base path is the function name, as Supabase routes `/functions/v1/api/…`.
 *
 * @module
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { alertRoutes } from "./alerts/routes.ts";
import { catalogueRoutes } from "./catalogue/routes.ts";
import { auditRoutes } from "./audit/routes.ts";
import { mountDocs } from "./docs/routes.ts";
import { inventoryRoutes } from "./inventory/routes.ts";
import { orderRoutes } from "./orders/routes.ts";
import { importerRoutes } from "./importer/routes.ts";
import { IMPORT_BODY_LIMIT_BYTES } from "./importer/schemas.ts";
import type { AppEnv, Deps } from "./http/context.ts";
import {
  corsFor,
  installErrorHandlers,
  limitBody,
  requestId,
  requestLog,
} from "./http/middleware.ts";
import { createRouter } from "./http/openapi.ts";
import { tenancyRoutes } from "./tenancy/routes.ts";

/** Version of the public API, shown in the docs. */
export const API_VERSION = "1.0.0";

/** Builds the `api` function's app. */
export function createApiApp(deps: Deps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>().basePath("/api");
  app.use("*", async (c, next) => {
    c.set("deps", deps);
    await next();
  });
  // Imports take files up to 10 MiB (docs/import_export.md); every other route the default.
  const bodyLimit = limitBody(deps.config);
  const importLimit = limitBody({
    bodyLimitBytes: Math.max(IMPORT_BODY_LIMIT_BYTES, deps.config.bodyLimitBytes),
  });
  app.use(
    "*",
    requestId,
    requestLog(deps.config),
    corsFor(deps.config),
    (c, next) => (c.req.path.endsWith("/v1/imports/products") ? importLimit : bodyLimit)(c, next),
  );
  installErrorHandlers(app);

  const v1 = createRouter();
  v1.route("/", tenancyRoutes(deps));
  v1.route("/", catalogueRoutes(deps));
  v1.route("/", auditRoutes(deps));
  v1.route("/", inventoryRoutes(deps));
  v1.route("/", orderRoutes(deps));
  v1.route("/", importerRoutes(deps));
  v1.route("/", alertRoutes(deps));
  mountDocs(v1, { title: "Digiboost PME API", version: API_VERSION });
  app.route("/v1", v1);
  return app;
}
