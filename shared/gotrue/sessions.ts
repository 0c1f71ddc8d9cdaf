/**
 * Sessions and refresh tokens in `auth.sessions` / `auth.refresh_tokens`, with
 * GoTrue's rotation rules (`internal/tokens/service.go`, legacy 12-character tokens):
 *
 * - every refresh revokes the token used and issues a child (`parent` = old token);
 * - a revoked token that is the parent of the session's active token may be replayed
 *   (the client lost the last response): the active token is returned, none is made;
 * - any other revoked token is accepted only within the reuse interval after it was
 *   revoked; past it, every token of the session is revoked and the answer is
 *   `refresh_token_already_used`;
 * - signing out deletes sessions, and their refresh tokens with them (cascade).
 *
 * @module
 */
import type { Tx } from "../db/client.ts";

/**
 * Seconds a revoked refresh token stays usable (`GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL`;
 * Supabase projects default to 10).
 */
export const REFRESH_TOKEN_REUSE_INTERVAL_SECONDS = 10;

/** A row of `auth.sessions`. */
export type SessionRow = {
  id: string;
  user_id: string;
  created_at: string;
  aal: string | null;
  not_after: string | null;
};

/** A row of `auth.refresh_tokens`. */
export type RefreshTokenRow = {
  id: string;
  token: string;
  user_id: string;
  revoked: boolean;
  parent: string | null;
  session_id: string | null;
  updated_at: string;
};

/** Logout scopes, as `POST /logout?scope=…` names them. */
export type LogoutScope = "global" | "local" | "others";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/**
 * A new refresh token as GoTrue's `crypto.SecureAlphanumeric(12)` makes them: 8 random
 * bytes in lower-case base32, cut to 12 characters.
 */
export function newRefreshToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = ((value & 0xff) << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.slice(0, 12);
}

/** Creates a session for a user. */
export async function createSession(tx: Tx, userId: string): Promise<SessionRow> {
  const [session] = await tx<SessionRow[]>`
    insert into auth.sessions (user_id, aal) values (${userId}, 'aal1')
    returning id, user_id, created_at, aal, not_after`;
  return session;
}

/** Finds a session by id. */
export async function findSession(tx: Tx, id: string): Promise<SessionRow | undefined> {
  const [session] = await tx<SessionRow[]>`
    select id, user_id, created_at, aal, not_after from auth.sessions where id = ${id}`;
  return session;
}

/** Issues a refresh token in a session (a child of `parent` when rotating). */
export async function createRefreshToken(
  tx: Tx,
  session: Pick<SessionRow, "id" | "user_id">,
  parent: string | null = null,
): Promise<string> {
  const token = newRefreshToken();
  await tx`insert into auth.refresh_tokens (instance_id, token, user_id, parent, session_id)
    values ('00000000-0000-0000-0000-000000000000', ${token}, ${session.user_id}, ${parent},
      ${session.id})`;
  return token;
}

/** Finds a refresh token and locks it (concurrent refreshes of it wait). */
export async function lockRefreshToken(
  tx: Tx,
  token: string,
): Promise<RefreshTokenRow | undefined> {
  const [row] = await tx<RefreshTokenRow[]>`
    select id::text, token, user_id, revoked, parent, session_id, updated_at
    from auth.refresh_tokens where token = ${token} for update`;
  return row;
}

/** The session's active refresh token: the newest one not revoked. */
export async function activeRefreshToken(
  tx: Tx,
  sessionId: string,
): Promise<RefreshTokenRow | undefined> {
  const [row] = await tx<RefreshTokenRow[]>`
    select id::text, token, user_id, revoked, parent, session_id, updated_at
    from auth.refresh_tokens
    where session_id = ${sessionId} and revoked is false
    order by id desc limit 1`;
  return row;
}

/** Revokes one refresh token. */
export async function revokeRefreshToken(tx: Tx, id: string): Promise<void> {
  await tx`update auth.refresh_tokens set revoked = true, updated_at = now()
    where id = ${id}::bigint`;
}

/** Revokes every refresh token of a session (reuse detected). */
export async function revokeSessionTokens(tx: Tx, sessionId: string): Promise<void> {
  await tx`update auth.refresh_tokens set revoked = true, updated_at = now()
    where session_id = ${sessionId} and revoked = false`;
}

/** True once a revoked token is past the reuse interval. */
export function reuseWindowClosed(token: RefreshTokenRow, now = Date.now()): boolean {
  const revokedAt = new Date(token.updated_at).getTime();
  return now > revokedAt + REFRESH_TOKEN_REUSE_INTERVAL_SECONDS * 1000;
}

/** Marks a session as refreshed. */
export async function touchSession(tx: Tx, id: string): Promise<void> {
  await tx`update auth.sessions set updated_at = now() where id = ${id}`;
}

/**
 * Signs a user out: `local` deletes the current session, `others` every other session,
 * `global` (or no session in the token) all of them. Refresh tokens go with their
 * sessions.
 */
export async function logout(
  tx: Tx,
  userId: string,
  scope: LogoutScope,
  sessionId: string | undefined,
): Promise<void> {
  if (sessionId && scope === "local") {
    await tx`delete from auth.sessions where id = ${sessionId}`;
  } else if (sessionId && scope === "others") {
    await tx`delete from auth.sessions where user_id = ${userId} and id <> ${sessionId}`;
  } else {
    await tx`delete from auth.sessions where user_id = ${userId}`;
  }
}
