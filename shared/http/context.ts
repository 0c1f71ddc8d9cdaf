/**
 * What every handler can reach: configuration, database, token verifier, limiters.
 *
 * @module
 */
import type { AccessClaims, TokenVerifier } from "../auth/jwt.ts";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import type { RateLimiter } from "./rate_limit.ts";

/** Dependencies shared by the apps of one process. */
export type Deps = {
  config: Config;
  db: Database;
  verifyToken: TokenVerifier;
  limits: { authPerIp: RateLimiter; authPerUser: RateLimiter };
};

/** Hono environment of every app in the project. */
export type AppEnv = {
  Variables: {
    deps: Deps;
    requestId: string;
    claims: AccessClaims;
    tenantId: string | undefined;
  };
  Bindings: { remoteAddr?: { hostname: string } };
};
