/**
 * `POST /auth/v1/token?grant_type=password|refresh_token`, as GoTrue answers them.
 *
 * Password: an unknown e-mail and a wrong password are the same
 * `400 invalid_credentials` (and take as long: a decoy bcrypt comparison). Refresh:
 * the token is rotated (see ./sessions.ts for GoTrue's reuse rules); a signed-out
 * session's tokens are gone, so they answer `refresh_token_not_found`. Other grants
 * (`pkce`, `id_token`, `web3`) are not part of the local subset.
 *
 * @module
 */
import type { Context, Handler } from "hono";
import type { AppEnv, Deps } from "../http/context.ts";
import { clientIp } from "../http/middleware.ts";
import { withAuthAdminTx } from "./db.ts";
import { GoTrueError, gotrueErrors, OAuthError } from "./errors.ts";
import { enforceLimit, limitKeys } from "./limits.ts";
import { verifyAgainstDecoy, verifyPassword } from "./passwords.ts";
import { PasswordGrantBody, passwordWeakness, readBody, RefreshGrantBody } from "./schemas.ts";
import {
  activeRefreshToken,
  createRefreshToken,
  findSession,
  lockRefreshToken,
  reuseWindowClosed,
  revokeRefreshToken,
  revokeSessionTokens,
  touchSession,
} from "./sessions.ts";
import {
  generateAccessToken,
  issueSession,
  type SessionResponse,
  sessionResponse,
} from "./access_tokens.ts";
import { findUserByEmail, findUserById, isBanned } from "./users.ts";

/** The token endpoint: dispatches on `grant_type` after the per-IP limit. */
export function token(deps: Deps): Handler<AppEnv> {
  return async (c) => {
    const grant = c.req.query("grant_type") ?? "";
    if (grant !== "password" && grant !== "refresh_token") {
      throw new GoTrueError(400, "invalid_credentials", "unsupported_grant_type");
    }
    enforceLimit(deps.limits.authPerIp, limitKeys.tokenIp(clientIp(c)));
    return grant === "password" ? await passwordGrant(c, deps) : await refreshGrant(c, deps);
  };
}

async function passwordGrant(c: Context<AppEnv>, deps: Deps): Promise<Response> {
  const body = await readBody(c, PasswordGrantBody);
  if (body.email !== "" && body.phone !== "") {
    throw gotrueErrors.validation(
      "Only an email address or phone number should be provided on login.",
    );
  }
  if (body.phone !== "") {
    throw new GoTrueError(422, "phone_provider_disabled", "Phone logins are disabled");
  }
  if (body.email === "") throw gotrueErrors.validation("missing email or phone");
  const emailKey = limitKeys.email(body.email);
  enforceLimit(deps.limits.authPerUser, emailKey);

  const { sql } = deps.db;
  const user = await withAuthAdminTx(sql, (tx) => findUserByEmail(tx, body.email));
  if (!user || !user.encrypted_password) {
    await verifyAgainstDecoy(body.password);
    throw gotrueErrors.invalidCredentials();
  }
  if (isBanned(user)) throw new GoTrueError(400, "user_banned", "User is banned");
  if (!await verifyPassword(body.password, user.encrypted_password)) {
    throw gotrueErrors.invalidCredentials();
  }
  let weakness;
  try {
    weakness = passwordWeakness(body.password);
  } catch {
    weakness = undefined; // GoTrue only logs a failed strength check on sign-in
  }
  if (!user.email_confirmed_at) {
    throw new GoTrueError(400, "email_not_confirmed", "Email not confirmed");
  }
  const session = await withAuthAdminTx(
    sql,
    (tx) => issueSession(tx, deps.config, user, { method: "password", ip: clientIp(c) }),
  );
  deps.limits.authPerUser.reset(emailKey);
  return c.json(weakness ? { ...session, weak_password: weakness } : session, 200);
}

/** What the refresh transaction decided. */
type RefreshOutcome =
  | { kind: "issued"; body: SessionResponse }
  | { kind: "reused" };

async function refreshGrant(c: Context<AppEnv>, deps: Deps): Promise<Response> {
  const body = await readBody(c, RefreshGrantBody);
  if (body.refresh_token === "") throw new OAuthError("invalid_request", "refresh_token required");
  const notFound = () =>
    new GoTrueError(
      400,
      "refresh_token_not_found",
      "Invalid Refresh Token: Refresh Token Not Found",
    );
  // GoTrue's legacy tokens are exactly 12 characters; nothing else is looked up.
  if (body.refresh_token.length !== 12) throw notFound();

  const outcome = await withAuthAdminTx(deps.db.sql, async (tx): Promise<RefreshOutcome> => {
    const token = await lockRefreshToken(tx, body.refresh_token);
    if (!token) throw notFound();
    const user = await findUserById(tx, token.user_id);
    if (!user) throw notFound();
    if (isBanned(user)) {
      throw new GoTrueError(400, "user_banned", "Invalid Refresh Token: User Banned");
    }
    const session = token.session_id ? await findSession(tx, token.session_id) : undefined;
    if (!session) {
      throw new GoTrueError(
        400,
        "session_not_found",
        "Invalid Refresh Token: No Valid Session Found",
      );
    }
    if (session.not_after && new Date(session.not_after).getTime() <= Date.now()) {
      throw new GoTrueError(400, "session_expired", "Invalid Refresh Token: Session Expired");
    }

    let issued: string | undefined;
    if (token.revoked) {
      const active = await activeRefreshToken(tx, session.id);
      if (active && active.parent === token.token) {
        issued = active.token; // the client lost the last answer: give it again
      } else if (reuseWindowClosed(token)) {
        await revokeSessionTokens(tx, session.id);
        return { kind: "reused" }; // committed, then refused
      }
    }
    if (!issued) {
      await revokeRefreshToken(tx, token.id);
      issued = await createRefreshToken(tx, session, token.token);
    }
    const access = await generateAccessToken(tx, deps.config, user, session, {
      method: "token_refresh",
      ip: clientIp(c),
    });
    await touchSession(tx, session.id);
    return { kind: "issued", body: sessionResponse(access, issued, user) };
  });
  if (outcome.kind === "reused") {
    throw new GoTrueError(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
  }
  return c.json(outcome.body, 200);
}
