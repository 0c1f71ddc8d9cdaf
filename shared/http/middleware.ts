/**
 * Cross-cutting middleware: request id, JSON request log, CORS, body limit, errors.
 *
 * @module
 */
import type { Context, Hono, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import type { Config } from "../config.ts";
import type { AppEnv } from "./context.ts";
import { ApiError, errorBody, toApiError } from "./errors.ts";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Takes a sane `X-Request-Id` from the caller or makes one; echoes it back. */
export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const id = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
};

/** Client IP: first X-Forwarded-For hop (set by Supabase's gateway), else the socket. */
export function clientIp(c: Context<AppEnv>): string {
  const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || c.req.header("x-real-ip") || c.env?.remoteAddr?.hostname || "unknown";
}

/** One JSON line per request: request id, tenant, user, route, status, duration. */
export function requestLog(config: Pick<Config, "logRequests">): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    if (!config.logRequests) return;
    console.log(JSON.stringify({
      ts: new Date().toISOString(),
      level: c.res.status >= 500 ? "error" : "info",
      request_id: c.get("requestId"),
      method: c.req.method,
      route: c.req.routePath,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      tenant_id: c.get("tenantId") ?? c.get("claims")?.tenant_id ?? null,
      user_id: c.get("claims")?.sub ?? null,
      ip: clientIp(c),
    }));
  };
}

/** CORS for the configured origins only (never `*`, since credentials are allowed). */
export function corsFor(config: Pick<Config, "corsAllowedOrigins">): MiddlewareHandler<AppEnv> {
  const allowed = new Set(config.corsAllowedOrigins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    credentials: true,
    allowHeaders: [
      "authorization",
      "apikey",
      "content-type",
      "x-client-info",
      "x-tenant-id",
      "x-request-id",
      "idempotency-key",
      "x-supabase-api-version",
    ],
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    exposeHeaders: ["x-request-id", "retry-after"],
    maxAge: 600,
  });
}

/** Refuses bodies over the configured size with 413 and the error contract. */
export function limitBody(config: Pick<Config, "bodyLimitBytes">): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: config.bodyLimitBytes,
    onError: () => {
      throw new ApiError(413, "payload_too_large", "La requête est trop volumineuse.", {
        max_bytes: config.bodyLimitBytes,
      });
    },
  });
}

/** Installs the error handler and 404 handler that answer with the error contract. */
export function installErrorHandlers(app: Hono<AppEnv>): void {
  app.onError((err, c) => {
    const error = toApiError(err);
    const id = c.get("requestId") ?? crypto.randomUUID();
    if (error.status >= 500) {
      console.error(JSON.stringify({
        ts: new Date().toISOString(),
        level: "error",
        request_id: id,
        path: c.req.path,
        error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
        stack: err instanceof Error ? err.stack : undefined,
      }));
    }
    for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
    return c.json(errorBody(error, id), error.status);
  });
  app.notFound((c) => {
    const error = new ApiError(
      404,
      "route_not_found",
      `Route introuvable : ${c.req.method} ${c.req.path}`,
    );
    return c.json(errorBody(error, c.get("requestId") ?? crypto.randomUUID()), 404);
  });
}
