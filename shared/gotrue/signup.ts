/**
 * `POST /auth/v1/signup` with e-mail and password, as GoTrue answers it when
 * `MAILER_AUTOCONFIRM` is on (no e-mail is sent locally): the user is created
 * confirmed and signed in at once, and the body is a session.
 *
 * GoTrue's checks, in its order: no e-mail and no phone → anonymous sign-in, disabled
 * (422); no password (400); password over 72 bytes (400) or under 6 (422
 * `weak_password`); e-mail and phone together (400); phone sign-up, disabled (400);
 * malformed e-mail (400 `validation_failed`); e-mail taken (422 `user_already_exists`).
 *
 * @module
 */
import type { Handler } from "hono";
import type { AppEnv, Deps } from "../http/context.ts";
import { clientIp } from "../http/middleware.ts";
import { withAuthAdminTx } from "./db.ts";
import { GoTrueError, gotrueErrors } from "./errors.ts";
import { enforceLimit, limitKeys } from "./limits.ts";
import { hashPassword } from "./passwords.ts";
import { passwordWeakness, readBody, SignupBody, validateEmail } from "./schemas.ts";
import { issueSession } from "./access_tokens.ts";
import { findUserByEmail, insertEmailUser } from "./users.ts";

const userExists = () => new GoTrueError(422, "user_already_exists", "User already registered");

/** The sign-up handler. */
export function signup(deps: Deps): Handler<AppEnv> {
  const { sql } = deps.db;
  return async (c) => {
    const ip = clientIp(c);
    enforceLimit(deps.limits.authPerIp, limitKeys.signupIp(ip));
    const body = await readBody(c, SignupBody);
    if (body.email === "" && body.phone === "") {
      throw new GoTrueError(422, "anonymous_provider_disabled", "Anonymous sign-ins are disabled");
    }
    if (body.password === "") {
      throw gotrueErrors.validation("Signup requires a valid password");
    }
    const weakness = passwordWeakness(body.password);
    if (weakness) throw gotrueErrors.weakPassword(weakness.message, weakness.reasons);
    if (body.email !== "" && body.phone !== "") {
      throw gotrueErrors.validation(
        "Only an email address or phone number should be provided on signup.",
      );
    }
    if (body.email === "") {
      throw new GoTrueError(400, "phone_provider_disabled", "Phone signups are disabled");
    }
    const email = validateEmail(body.email);
    const existing = await withAuthAdminTx(sql, (tx) => findUserByEmail(tx, email));
    if (existing) throw userExists();

    // Hash outside the transaction: bcrypt is the slow part.
    const passwordHash = await hashPassword(body.password);
    try {
      const session = await withAuthAdminTx(sql, async (tx) => {
        const user = await insertEmailUser(tx, { email, passwordHash, data: body.data });
        return await issueSession(tx, deps.config, user, { method: "password", ip });
      });
      return c.json(session, 200);
    } catch (error) {
      // Two sign-ups for one address at once: the unique index decides.
      if ((error as { code?: string }).code === "23505") throw userExists();
      throw error;
    }
  };
}
