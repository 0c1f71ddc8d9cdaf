/**
 * Transactions the way PostgREST runs them: claims in `request.jwt.claims` and
 * `role = authenticated` for the transaction only, so every statement is subject to
 * row-level security. Service work has its own, explicitly named path.
 *
 * @module
 */
import type { AccessClaims } from "../auth/jwt.ts";
import { errors } from "../http/errors.ts";
import type { Sql, Tx } from "./client.ts";

/** A tenant role, ordered viewer < manager < owner. */
export type TenantRole = "viewer" | "manager" | "owner";
const RANK: Record<TenantRole, number> = { viewer: 1, manager: 2, owner: 3 };

/** The tenant a request acts in, as verified against memberships. */
export type TenantContext = { id: string; role: TenantRole };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `role` is at least `min`. */
export function roleAtLeast(role: TenantRole, min: TenantRole): boolean {
  return RANK[role] >= RANK[min];
}

/**
 * Runs `fn` as the authenticated user, under RLS, for routes that are not about one
 * tenant (my profile, my tenants, creating a tenant). A tenant the request still names
 * (`tenantId` from `X-Tenant-Id`, or the token's `tenant_id` claim) must be one of the
 * user's: otherwise 403, as on tenant routes — a stale or foreign tenant claim is never
 * silently ignored. Returns the verified tenant, if any, alongside.
 */
export async function withUserTx<T>(
  sql: Sql,
  claims: AccessClaims,
  tenantId: string | undefined,
  fn: (tx: Tx, tenant: TenantContext | null) => Promise<T>,
): Promise<T> {
  const requested = tenantId ?? claims.tenant_id;
  if (!requested) {
    return await sql.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(claims)}, true),
        set_config('role', 'authenticated', true)`;
      return await fn(tx, null);
    }) as T;
  }
  return await inTenant(sql, claims, requested, "viewer", fn);
}

/**
 * Runs `fn` as the authenticated user acting in one tenant: `tenantId` (from the path or
 * the `X-Tenant-Id` header) or else the token's `tenant_id` claim. Membership and role
 * are read from the database in the same transaction; the claims the policies see carry
 * the verified tenant and role. Not a member → 403; below `minRole` → 403.
 */
export async function withTenantTx<T>(
  sql: Sql,
  claims: AccessClaims,
  tenantId: string | undefined,
  fn: (tx: Tx, tenant: TenantContext) => Promise<T>,
  minRole: TenantRole = "viewer",
): Promise<T> {
  const requested = tenantId ?? claims.tenant_id;
  if (!requested) {
    throw errors.forbidden(
      "Aucune boutique sélectionnée : créez une boutique ou indiquez X-Tenant-Id.",
      "no_tenant",
    );
  }
  return await inTenant(sql, claims, requested, minRole, fn);
}

async function inTenant<T>(
  sql: Sql,
  claims: AccessClaims,
  requested: string,
  minRole: TenantRole,
  fn: (tx: Tx, tenant: TenantContext) => Promise<T>,
): Promise<T> {
  if (!UUID.test(requested)) {
    throw errors.badRequest("Identifiant de boutique invalide.", {
      field: "X-Tenant-Id",
      expected: "uuid",
    });
  }
  return await sql.begin(async (tx) => {
    const scoped = JSON.stringify({ ...claims, tenant_id: requested, tenant_role: null });
    // One statement: claims + role switch, then the membership lookup, which reads from
    // `session` and so runs after it. (Two pipelined statements cost a second server
    // flush and client wake-up; see docs/benchmarks.md.) `materialized` keeps the lookup
    // from being inlined into both output columns, which would run it twice.
    const [membership] = await tx<{ role: TenantRole | null }[]>`
      with session as materialized (
        select set_config('request.jwt.claims', ${scoped}, true) as claims,
          set_config('role', 'authenticated', true) as role
      ), membership as materialized (
        select app.current_tenant_role() as role from session
      )
      select m.role, set_config('request.jwt.claims',
        jsonb_set(${scoped}::text::jsonb, '{tenant_role}', to_jsonb(m.role))::text, true)
      from membership m`;
    const role = membership?.role;
    if (!role) {
      throw errors.forbidden("Vous n'êtes pas membre de cette boutique.", "not_a_member");
    }
    if (!roleAtLeast(role, minRole)) {
      throw errors.forbidden(
        `Action réservée au rôle ${minRole} ou supérieur (votre rôle : ${role}).`,
        "insufficient_role",
      );
    }
    return await fn(tx, { id: requested, role });
  }) as T;
}

/**
 * Service path: runs `fn` as `service_role` (bypasses RLS). For cron jobs, webhooks
 * and admin scripts only; every query in `fn` must filter by tenant itself.
 */
export async function withServiceTx<T>(sql: Sql, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return await sql.begin(async (tx) => {
    await tx`select set_config('role', 'service_role', true),
      set_config('request.jwt.claims', '{"role":"service_role"}', true)`;
    return await fn(tx);
  }) as T;
}
