/**
 * Bearer-token authentication for user routes, declared per route
 * (`createRoute({ middleware: [requireUser] })`) so public routes stay public.
 *
 * @module
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/context.ts";
import { errors } from "../http/errors.ts";

/**
 * Requires a valid user access token (`role: authenticated`). No token or the anon key
 * → 401; a service-role key on a user route → 403 (service work has its own paths).
 * Keeps `X-Tenant-Id` for `withTenantTx`.
 */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw errors.unauthenticated();
  const claims = await c.var.deps.verifyToken(match[1]);
  if (claims.role === "anon") throw errors.unauthenticated();
  if (claims.role !== "authenticated") {
    throw errors.forbidden(
      "Un jeton d'utilisateur est requis pour cette route.",
      "user_token_required",
    );
  }
  c.set("claims", claims);
  c.set("tenantId", c.req.header("x-tenant-id") || undefined);
  await next();
});
