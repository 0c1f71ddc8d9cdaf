/**
 * `GET /auth/v1/user` (the signed-in user, as GoTrue serialises it) and
 * `POST /auth/v1/logout?scope=global|local|others` (204; deletes sessions, which
 * revokes their refresh tokens). Access tokens already issued stay valid until they
 * expire, as with GoTrue; `GET /user` refuses them at once (`session_not_found`).
 *
 * @module
 */
import type { Handler } from "hono";
import type { AppEnv, Deps } from "../http/context.ts";
import { authenticate } from "./authenticate.ts";
import { withAuthAdminTx } from "./db.ts";
import { gotrueErrors } from "./errors.ts";
import { logout as deleteSessions, type LogoutScope } from "./sessions.ts";
import { userJson } from "./users.ts";

/** `GET /user`. */
export function getUser(deps: Deps): Handler<AppEnv> {
  return async (c) => {
    const { claims, user } = await authenticate(c, deps);
    const aud = Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
    if (!aud) throw gotrueErrors.validation("Token audience doesn't match request audience");
    return c.json(userJson(user), 200);
  };
}

const SCOPES = new Map<string, LogoutScope>([
  ["", "global"],
  ["global", "global"],
  ["local", "local"],
  ["others", "others"],
]);

/** `POST /logout`. */
export function logout(deps: Deps): Handler<AppEnv> {
  return async (c) => {
    const { user, session } = await authenticate(c, deps);
    const requested = c.req.query("scope") ?? "";
    const scope = SCOPES.get(requested);
    if (!scope) {
      throw gotrueErrors.validation(`Unsupported logout scope ${JSON.stringify(requested)}`);
    }
    await withAuthAdminTx(deps.db.sql, (tx) => deleteSessions(tx, user.id, scope, session?.id));
    return c.body(null, 204);
  };
}
