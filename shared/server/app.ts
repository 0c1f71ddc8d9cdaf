/**
 * The local server's router: Supabase's URL layout on one port.
 *
 * - `/functions/v1/<name>/…` → function `<name>` (as the Supabase gateway routes it);
 * - `/api/v1/…` → the `api` function (the product's public paths);
 * - `/auth/v1/…` → the local GoTrue subset;
 * - `/health` (exact body) and `/health/ready` (database check).
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type { Hono as HonoApp } from "hono";
import { FUNCTIONS } from "../functions.ts";
import type { AppEnv, Deps } from "../http/context.ts";
import { installErrorHandlers, requestId } from "../http/middleware.ts";

/** Optional extra apps mounted by the local server (e.g. the GoTrue subset). */
export type LocalApps = { auth?: HonoApp<AppEnv> };

/** Builds the local server's fetch handler. */
export function createLocalServer(deps: Deps, extra: LocalApps = {}): Hono<AppEnv> {
  const functions = Object.fromEntries(
    Object.entries(FUNCTIONS).map(([name, factory]) => [name, factory(deps)]),
  );
  const app = new Hono<AppEnv>();
  app.use("*", requestId);
  installErrorHandlers(app);

  app.get("/health", (c) => c.json({ status: "ok", environment: deps.config.appEnv }));
  app.get("/health/ready", async (c) => {
    const started = performance.now();
    try {
      await deps.db.sql`select 1`;
      return c.json({
        status: "ok",
        environment: deps.config.appEnv,
        database: { status: "ok", mode: deps.db.mode, ms: Math.round(performance.now() - started) },
      });
    } catch (error) {
      return c.json({
        status: "unavailable",
        environment: deps.config.appEnv,
        database: { status: "error", mode: deps.db.mode, error: String(error) },
      }, 503);
    }
  });

  const forward = (name: string, path: string, c: Context<AppEnv>) => {
    const target = functions[name];
    const url = new URL(c.req.raw.url);
    url.pathname = path;
    const { method, headers, body } = c.req.raw;
    // A fresh request (not `new Request(url, raw)`): copying the raw request's signal
    // would trip Deno.serve's legacy-abort warning on every call.
    const init = { method, headers, body, duplex: "half" } as RequestInit;
    return target.fetch(new Request(url, init), c.env);
  };

  app.all("/functions/v1/:name{[a-z0-9_-]+}/*", (c) => {
    const name = c.req.param("name");
    if (!functions[name]) return c.notFound();
    const rest = c.req.path.slice(`/functions/v1`.length);
    return forward(name, rest, c);
  });
  app.all("/functions/v1/:name{[a-z0-9_-]+}", (c) => {
    const name = c.req.param("name");
    if (!functions[name]) return c.notFound();
    return forward(name, `/${name}`, c);
  });
  app.all("/api/*", (c) => forward("api", c.req.path, c));
  if (extra.auth) app.route("/auth/v1", extra.auth);
  return app;
}
