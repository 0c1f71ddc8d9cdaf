/**
 * The local GoTrue subset the local server mounts under `/auth/v1`: what supabase-js
 * needs for e-mail and password accounts (sign-up, sign-in, refresh with rotation,
 * current user, sign-out) plus the settings and JWKS documents. Hosted, Supabase Auth
 * answers these paths; the bodies, status codes and error shapes here are its own.
 *
 * See docs/auth.md for what is covered and what is not.
 *
 * @module
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import type { AppEnv, Deps } from "../http/context.ts";
import { requestLog } from "../http/middleware.ts";
import { API_VERSION_HEADER, GoTrueError, gotrueErrorResponse } from "./errors.ts";
import { signup } from "./signup.ts";
import { health, jwks, settings } from "./settings.ts";
import { token } from "./grants.ts";
import { getUser, logout } from "./user.ts";

const ROUTES: Record<string, string[]> = {
  "/health": ["GET"],
  "/settings": ["GET"],
  "/.well-known/jwks.json": ["GET"],
  "/signup": ["POST"],
  "/token": ["POST"],
  "/user": ["GET"],
  "/logout": ["POST"],
};

/** Builds the /auth/v1 app. */
export function createAuthApp(deps: Deps): Hono<AppEnv> {
  const { config } = deps;
  const allowed = new Set(config.corsAllowedOrigins);
  const app = new Hono<AppEnv>();
  app.onError((error, c) => gotrueErrorResponse(error, c));
  app.use(
    "*",
    requestLog(config),
    cors({
      origin: (origin) => (allowed.has(origin) ? origin : null),
      credentials: true,
      allowHeaders: [
        "Accept",
        "Authorization",
        "Content-Type",
        "X-Client-IP",
        "X-Client-Info",
        "X-JWT-AUD",
        "apikey",
        API_VERSION_HEADER,
      ],
      allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
      // auth-js reads the API version from the response: browsers must be allowed to.
      exposeHeaders: [API_VERSION_HEADER, "Retry-After", "X-Request-Id", "x-sb-error-code"],
      maxAge: 600,
    }),
    bodyLimit({
      maxSize: config.bodyLimitBytes,
      onError: () => {
        throw new GoTrueError(
          413,
          "request_entity_too_large",
          `Request body too large (max ${config.bodyLimitBytes} bytes)`,
        );
      },
    }),
  );

  app.get("/health", health);
  app.get("/settings", settings);
  app.get("/.well-known/jwks.json", jwks);
  app.post("/signup", signup(deps));
  app.post("/token", token(deps));
  app.get("/user", getUser(deps));
  app.post("/logout", logout(deps));

  // What GoTrue's router (chi) answers otherwise: 405 on a known path, else 404.
  app.all("*", (c) => {
    const path = c.req.path.replace(/^\/auth\/v1/, "").replace(/(.)\/+$/, "$1");
    if (ROUTES[path] && Object.hasOwn(ROUTES, path)) return c.body(null, 405);
    return c.text("404 page not found\n", 404);
  });
  return app;
}
