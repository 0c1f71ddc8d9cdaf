/**
 * How the local auth server reaches the database: as `supabase_auth_admin`, the role
 * Supabase Auth itself connects as (grants on `auth.*`, execute on the access token
 * hook, read on memberships through its own policy). Never as `authenticated`: auth
 * work happens before there is a user to apply row-level security for.
 *
 * @module
 */
import type { Sql, Tx } from "../db/client.ts";

/** Runs `fn` in one transaction as role `supabase_auth_admin`. */
export async function withAuthAdminTx<T>(sql: Sql, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return await sql.begin(async (tx) => {
    await tx`set local role supabase_auth_admin`;
    return await fn(tx);
  }) as T;
}
