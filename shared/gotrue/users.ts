/**
 * Users in `auth.users`, read and written as GoTrue does, and their JSON as GoTrue
 * returns it (`internal/models/user.go`): `email`/`phone` as strings ("" when absent),
 * optional timestamps omitted when null, `identities` always an array.
 *
 * @module
 */
import type { Tx } from "../db/client.ts";

/** GoTrue's `uuid.Nil`, the instance id of every user it creates. */
const NIL_UUID = "00000000-0000-0000-0000-000000000000";

/** The columns of `auth.users` the local subset uses (hosted has more). */
export type UserRow = {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: string | null;
  phone: string | null;
  phone_confirmed_at?: string | null;
  last_sign_in_at: string | null;
  raw_app_meta_data: Record<string, unknown> | null;
  raw_user_meta_data: Record<string, unknown> | null;
  is_anonymous: boolean | null;
  banned_until: string | null;
  deleted_at: string | null;
  created_at: string;
  updated_at: string;
};

/** The audience GoTrue gives new users (`GOTRUE_JWT_AUD`). */
export const USER_AUDIENCE = "authenticated";

/** Finds a user by e-mail (case-insensitive) in the `authenticated` audience. */
export async function findUserByEmail(tx: Tx, email: string): Promise<UserRow | undefined> {
  const [user] = await tx<UserRow[]>`
    select * from auth.users
    where lower(email) = ${email.toLowerCase()} and aud = ${USER_AUDIENCE}
      and deleted_at is null
    limit 1`;
  return user;
}

/** Finds a user by id. */
export async function findUserById(tx: Tx, id: string): Promise<UserRow | undefined> {
  const [user] = await tx<UserRow[]>`select * from auth.users where id = ${id}`;
  return user;
}

/**
 * Creates a confirmed e-mail user (local auth auto-confirms, as GoTrue does with
 * `MAILER_AUTOCONFIRM`): app metadata names the provider, user metadata is the
 * sign-up `data` plus `email_verified: true`.
 */
export async function insertEmailUser(
  tx: Tx,
  input: { email: string; passwordHash: string; data: Record<string, unknown> },
): Promise<UserRow> {
  const appMetadata = { provider: "email", providers: ["email"] };
  const userMetadata = { ...input.data, email_verified: true };
  const [user] = await tx<UserRow[]>`
    insert into auth.users (instance_id, aud, role, email, encrypted_password,
      email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
    values (${NIL_UUID}, ${USER_AUDIENCE}, 'authenticated', ${input.email.toLowerCase()},
      ${input.passwordHash}, now(), ${JSON.stringify(appMetadata)}::text::jsonb,
      ${JSON.stringify(userMetadata)}::text::jsonb, now(), now())
    returning *`;
  return user;
}

/** Records a sign-in; returns the updated row. */
export async function touchLastSignIn(tx: Tx, id: string): Promise<UserRow> {
  const [user] = await tx<UserRow[]>`
    update auth.users set last_sign_in_at = now(), updated_at = now()
    where id = ${id} returning *`;
  return user;
}

/** True while `banned_until` is in the future. */
export function isBanned(user: UserRow, now = Date.now()): boolean {
  return user.banned_until !== null && new Date(user.banned_until).getTime() > now;
}

/** The user as GoTrue serialises it. */
export function userJson(user: UserRow): Record<string, unknown> {
  const confirmedAt = [user.email_confirmed_at, user.phone_confirmed_at ?? null]
    .filter((t): t is string => t !== null)
    .sort((a, b) => new Date(a).getTime() - new Date(b).getTime())[0];
  return withoutNulls({
    id: user.id,
    aud: user.aud ?? "",
    role: user.role ?? "",
    email: user.email ?? "",
    email_confirmed_at: user.email_confirmed_at,
    phone: user.phone ?? "",
    phone_confirmed_at: user.phone_confirmed_at ?? null,
    confirmed_at: confirmedAt ?? null,
    last_sign_in_at: user.last_sign_in_at,
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    identities: user.email ? [emailIdentity(user)] : [],
    created_at: user.created_at,
    updated_at: user.updated_at,
    banned_until: user.banned_until,
    deleted_at: user.deleted_at,
    is_anonymous: user.is_anonymous ?? false,
  });
}

/**
 * The e-mail identity GoTrue keeps in `auth.identities`. The local shim has no such
 * table, so it is derived from the user row (its `identity_id` is the user's id).
 */
function emailIdentity(user: UserRow): Record<string, unknown> {
  return withoutNulls({
    identity_id: user.id,
    id: user.id,
    user_id: user.id,
    identity_data: {
      email: user.email,
      email_verified: user.email_confirmed_at !== null,
      phone_verified: false,
      sub: user.id,
    },
    provider: "email",
    last_sign_in_at: user.last_sign_in_at,
    created_at: user.created_at,
    updated_at: user.updated_at,
    email: user.email,
  });
}

function withoutNulls(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null));
}
