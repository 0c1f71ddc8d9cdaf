-- RLS helpers in PL/pgSQL: the same results as the SQL versions of the tenancy
-- migration, at a fraction of the cost per call.
--
-- A `security definer` SQL function with `set search_path` is never inlined, and before
-- Postgres 18 a SQL function's body is parsed and planned again in every statement that
-- calls it. On Postgres 15 that cost ~115 µs per request for app.current_tenant_id() and
-- ~275 µs for app.current_tenant_role(), paid by every tenant request (the membership
-- check in withTenantTx, the initPlan of every tenant policy). PL/pgSQL keeps its plans
-- for the session: ~20 µs and ~30 µs. See docs/benchmarks.md (`deno task bench:rls`).
--
-- `create or replace` keeps each function's OID, owner, grants and comment; signatures,
-- volatility, `security definer` and the empty search_path are unchanged.
--
-- Sections: helper functions.

-- ===========================================================================
-- Helper functions
-- ===========================================================================

-- The tenant named by the `tenant_id` claim, or null when the claim is missing, is not a
-- uuid, or the caller is not a member of it.
create or replace function app.current_tenant_id() returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  v_claim text := auth.jwt() ->> 'tenant_id';
begin
  if v_claim is null
    or v_claim !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return null;
  end if;
  return (
    select m.tenant_id from public.memberships m
    where m.user_id = auth.uid() and m.tenant_id = v_claim::uuid
  );
end
$$;

-- The caller's role in the current tenant (from memberships, never from the claim).
create or replace function app.current_tenant_role() returns public.tenant_role
language plpgsql stable security definer set search_path = '' as $$
declare
  v_tenant uuid := app.current_tenant_id();
begin
  if v_tenant is null then
    return null;
  end if;
  return (
    select m.role from public.memberships m
    where m.user_id = auth.uid() and m.tenant_id = v_tenant
  );
end
$$;

-- True when the caller holds at least `min_role` in the current tenant.
create or replace function app.has_current_role(min_role public.tenant_role) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return coalesce(app.current_tenant_role() >= min_role, false);
end
$$;
