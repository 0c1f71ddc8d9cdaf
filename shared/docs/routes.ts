/**
 * API documentation: `openapi.json` generated from the routes' zod schemas, Swagger UI
 * at `docs` and ReDoc at `redoc`, with their assets served from the npm packages
 * (`swagger-ui-dist`, `redoc`) — no CDN.
 *
 * @module
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../http/context.ts";
import { errors } from "../http/errors.ts";

// Importing the package manifests makes Deno install both packages; their files are
// then read from the local npm cache that import.meta.resolve points at.
import "swagger-ui-dist/package.json" with { type: "json" };
import "redoc/package.json" with { type: "json" };

const ASSETS: Record<string, { file: string; type: string }> = {
  "swagger-ui.css": {
    file: import.meta.resolve("swagger-ui-dist/swagger-ui.css"),
    type: "text/css; charset=utf-8",
  },
  "swagger-ui-bundle.js": {
    file: import.meta.resolve("swagger-ui-dist/swagger-ui-bundle.js"),
    type: "text/javascript; charset=utf-8",
  },
  "redoc.standalone.js": {
    file: import.meta.resolve("redoc/bundles/redoc.standalone.js"),
    type: "text/javascript; charset=utf-8",
  },
};
const cache = new Map<string, Uint8Array>();

async function asset(name: string): Promise<Uint8Array | undefined> {
  const entry = ASSETS[name];
  if (!entry) return undefined;
  let bytes = cache.get(name);
  if (!bytes) {
    bytes = await Deno.readFile(new URL(entry.file));
    cache.set(name, bytes);
  }
  return bytes;
}

const swaggerPage = (specUrl: string, assets: string) =>
  `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Digiboost PME — API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${assets}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="${assets}/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: "#swagger-ui",
  persistAuthorization: true, deepLinking: true, validatorUrl: null });</script>
</body></html>`;

const redocPage = (specUrl: string, assets: string) =>
  `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Digiboost PME — API (ReDoc)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><div id="redoc"></div>
<script src="${assets}/redoc.standalone.js"></script>
<script>Redoc.init(${JSON.stringify(specUrl)}, {}, document.getElementById("redoc"));</script>
</body></html>`;

/**
 * Adds `/openapi.json`, `/docs`, `/redoc` and `/docs/assets/*` to `app` (whose base
 * path is the API version prefix). Links are relative so the pages work both at
 * `/api/v1/docs` and at `/functions/v1/api/v1/docs`.
 */
export function mountDocs(app: OpenAPIHono<AppEnv>, info: { title: string; version: string }) {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "Jeton d'accès Supabase (auth/v1/token). X-Tenant-Id choisit la boutique.",
  });
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: info.title,
      version: info.version,
      description: "API REST de Digiboost PME. Erreurs : " +
        '`{"error":{"code","message","details","request_id"}}`.',
    },
    servers: [{ url: new URL(c.req.url).pathname.replace(/\/openapi\.json$/, "") }],
  }));
  app.get("/docs", (c) => c.html(swaggerPage("openapi.json", "docs/assets")));
  app.get("/redoc", (c) => c.html(redocPage("openapi.json", "docs/assets")));
  app.get("/docs/assets/:name", async (c) => {
    const bytes = await asset(c.req.param("name"));
    if (!bytes) throw errors.notFound("Fichier introuvable.");
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": ASSETS[c.req.param("name")].type,
      "cache-control": "public, max-age=86400",
    });
  });
}
