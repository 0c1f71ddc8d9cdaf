/**
 * Rate limits of the local auth endpoints, on the shared in-memory limiters
 * (`deps.limits`, sized by `AUTH_RATE_LIMIT_*`): sign-in attempts per client IP
 * (`ip:<ip>`, every `/token` grant as in GoTrue) and per e-mail address
 * (`email:<address>`, so one account cannot be guessed at from many addresses);
 * sign-ups per client IP (`signup:ip:<ip>`). Over the limit: GoTrue's 429
 * `over_request_rate_limit`, with `Retry-After`.
 *
 * @module
 */
import type { RateLimiter } from "../http/rate_limit.ts";
import { gotrueErrors } from "./errors.ts";

/** Limiter keys, by what they count. */
export const limitKeys = {
  tokenIp: (ip: string) => `ip:${ip}`,
  email: (email: string) => `email:${email.toLowerCase()}`,
  signupIp: (ip: string) => `signup:ip:${ip}`,
};

/** Counts one attempt under `key`; throws the 429 once the limit is passed. */
export function enforceLimit(limiter: RateLimiter, key: string): void {
  const retryAfterSeconds = limiter.hit(key);
  if (retryAfterSeconds > 0) throw gotrueErrors.rateLimited(retryAfterSeconds);
}
