/**
 * Builds the dependencies of one process from its configuration.
 *
 * @module
 */
import { createTokenVerifier } from "./auth/jwt.ts";
import type { Config } from "./config.ts";
import type { Database } from "./db/client.ts";
import type { Deps } from "./http/context.ts";
import { RateLimiter } from "./http/rate_limit.ts";

/** Wires configuration and database into the shared dependencies. */
export function createDeps(config: Config, db: Database): Deps {
  const windowMs = config.authRateLimitWindowSeconds * 1000;
  return {
    config,
    db,
    verifyToken: createTokenVerifier(config),
    limits: {
      authPerIp: new RateLimiter(config.authRateLimitPerIp, windowMs),
      authPerUser: new RateLimiter(config.authRateLimitPerUser, windowMs),
    },
  };
}
