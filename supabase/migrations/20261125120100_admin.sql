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

-- One row per tenant with its people. Later migrations replace this view to add the
-- row counts of the tables they create (products, movements, alerts…).
create view admin.tenant_overview as
select
  t.id as tenant_id,
  t.name,
  t.currency,
  t.timezone,
  t.created_at,
  (select count(*) from public.memberships m where m.tenant_id = t.id) as members,
  (select count(*) from public.memberships m where m.tenant_id = t.id and m.role = 'owner') as owners,
  (select count(*) from public.invitations i
    where i.tenant_id = t.id and i.accepted_at is null and i.revoked_at is null
      and i.expires_at > now()) as pending_invitations,
  (select string_agg(u.email, ', ' order by u.email) from public.memberships m
    join auth.users u on u.id = m.user_id
    where m.tenant_id = t.id and m.role = 'owner') as owner_emails
from public.tenants t;

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
comment on view admin.tenant_overview is 'One row per tenant: members, owners, pending invitations, owner e-mails.';
comment on column admin.tenant_overview.tenant_id is 'Tenant identifier.';
comment on column admin.tenant_overview.name is 'Shop name.';
comment on column admin.tenant_overview.currency is 'Currency of the tenant amounts.';
comment on column admin.tenant_overview.timezone is 'Tenant time zone.';
comment on column admin.tenant_overview.created_at is 'When the tenant was created.';
comment on column admin.tenant_overview.members is 'Number of members (all roles).';
comment on column admin.tenant_overview.owners is 'Number of owners (never 0).';
comment on column admin.tenant_overview.pending_invitations is 'Invitations neither accepted, revoked nor expired.';
comment on column admin.tenant_overview.owner_emails is 'E-mail addresses of the owners, comma separated.';
comment on view admin.user_memberships is 'Every user with each tenant membership (one row per user without any).';
comment on column admin.user_memberships.user_id is 'User identifier (auth.users.id).';
comment on column admin.user_memberships.email is 'User e-mail.';
comment on column admin.user_memberships.signed_up_at is 'When the user signed up.';
comment on column admin.user_memberships.last_sign_in_at is 'Last successful sign-in.';
comment on column admin.user_memberships.tenant_id is 'Tenant of this membership (null when none).';
comment on column admin.user_memberships.tenant_name is 'Name of that tenant.';
comment on column admin.user_memberships.role is 'Role in that tenant.';
comment on column admin.user_memberships.joined_at is 'When the user joined that tenant.';
