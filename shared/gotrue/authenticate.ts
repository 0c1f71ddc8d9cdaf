/**
 * GoTrue's `requireAuthentication` for `/user` and `/logout`: a bearer token signed
 * with the project's HS256 secret, whose `sub` names an existing user and whose
 * `session_id` (when present) names a live session. Issuer and audience are not
 * checked here, as in GoTrue (`GET /user` checks the audience itself).
 *
 * Errors are GoTrue's: no token → 401 `no_authorization`; a bad signature or an
 * expired token → 403 `bad_jwt`; a signed-out session → 403 `session_not_found`,
 * which supabase-js reads as "signed out".
 *
 * @module
 */
import type { Context } from "hono";
import { errors as joseErrors, type JWTPayload, jwtVerify } from "jose";
import type { AppEnv, Deps } from "../http/context.ts";
import { withAuthAdminTx } from "./db.ts";
import { GoTrueError } from "./errors.ts";
import { findSession, type SessionRow } from "./sessions.ts";
import { findUserById, isBanned, type UserRow } from "./users.ts";

/** The caller of an authenticated endpoint. */
export type Authenticated = { claims: JWTPayload; user: UserRow; session?: SessionRow };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** Authenticates the request's bearer token or throws GoTrue's error. */
export async function authenticate(c: Context<AppEnv>, deps: Deps): Promise<Authenticated> {
  const match = /^bearer (\S+)$/i.exec(c.req.header("authorization") ?? "");
  if (!match) {
    throw new GoTrueError(401, "no_authorization", "This endpoint requires a valid Bearer token");
  }
  const claims = await verify(match[1], deps.config.jwtSecret);
  const sub = claims.sub;
  if (!sub) throw new GoTrueError(403, "bad_jwt", "invalid claim: missing sub claim");
  if (!UUID.test(sub)) {
    throw new GoTrueError(400, "bad_jwt", "invalid claim: sub claim must be a UUID");
  }
  const sessionId = typeof claims.session_id === "string" ? claims.session_id : "";
  if (sessionId && sessionId !== NIL_UUID && !UUID.test(sessionId)) {
    throw new GoTrueError(403, "bad_jwt", "invalid claim: session_id claim must be a UUID");
  }
  const { user, session } = await withAuthAdminTx(deps.db.sql, async (tx) => ({
    user: await findUserById(tx, sub),
    session: sessionId && sessionId !== NIL_UUID ? await findSession(tx, sessionId) : undefined,
  }));
  if (!user) {
    throw new GoTrueError(403, "user_not_found", "User from sub claim in JWT does not exist");
  }
  if (sessionId && sessionId !== NIL_UUID && !session) {
    throw new GoTrueError(
      403,
      "session_not_found",
      "Session from session_id claim in JWT does not exist",
    );
  }
  if (isBanned(user)) throw new GoTrueError(403, "user_banned", "User is banned");
  return { claims, user, session };
}

async function verify(token: string, secret: string | undefined): Promise<JWTPayload> {
  try {
    if (!secret) throw new joseErrors.JOSEAlgNotAllowed("no HS256 secret configured");
    const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ["HS256"],
    });
    return payload;
  } catch (error) {
    throw new GoTrueError(
      403,
      "bad_jwt",
      `invalid JWT: unable to parse or verify signature, ${describe(error)}`,
    );
  }
}

/** jose's failure in the words of golang-jwt, which GoTrue's messages quote. */
function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "token has invalid claims: token is expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return error.claim === "nbf"
      ? "token has invalid claims: token is not valid yet"
      : `token has invalid claims: ${error.message}`;
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return "token signature is invalid: signature is invalid";
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return "token is unverifiable: signing method is invalid";
  }
  return "token is malformed: could not parse token";
}
