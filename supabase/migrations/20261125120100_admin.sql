-- Admin schema: read-only views for operators working in Supabase Studio (or psql).
-- Not exposed to anon or authenticated; Studio connects as postgres.
--
-- Sections: schema · views · grants · comments.

-- ===========================================================================
-- Schema
-- ===========================================================================
create schema if not exists admin;
revoke all on schema admin from public, anon, authenticated;
grant usage on schema admin to service_role;

-- ===========================================================================
-- Views
-- ===========================================================================

-- Users with the tenants they belong to, for support questions ("who can see this shop?").
create view admin.user_memberships as
select
  u.id as user_id,
  u.email,
  u.created_at as signed_up_at,
  u.last_sign_in_at,
  m.tenant_id,
  t.name as tenant_name,
  m.role,
  m.created_at as joined_at
from auth.users u
left join public.memberships m on m.user_id = u.id
left join public.tenants t on t.id = m.tenant_id;

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on all tables in schema admin from public, anon, authenticated;
grant select on all tables in schema admin to service_role;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on schema admin is 'Operator views for Supabase Studio; not reachable with user tokens.';
comment on view admin.user_memberships is 'Every user with each tenant membership (one row per user without any).';
comment on column admin.user_memberships.user_id is 'User identifier (auth.users.id).';
comment on column admin.user_memberships.email is 'User e-mail.';
comment on column admin.user_memberships.signed_up_at is 'When the user signed up.';
comment on column admin.user_memberships.last_sign_in_at is 'Last successful sign-in.';
comment on column admin.user_memberships.tenant_id is 'Tenant of this membership (null when none).';
comment on column admin.user_memberships.tenant_name is 'Name of that tenant.';
comment on column admin.user_memberships.role is 'Role in that tenant.';
comment on column admin.user_memberships.joined_at is 'When the user joined that tenant.';
