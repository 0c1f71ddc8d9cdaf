-- admin.tenant_overview: one row per tenant with its people and the size of its data,
-- for operators in Supabase Studio. Defined once, after every table it counts; a
-- migration that adds a table worth counting replaces it (`create or replace view`,
-- new columns appended at the end) and comments the new columns.
--
-- Sections: view · grants · comments.

-- ===========================================================================
-- View
-- ===========================================================================
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
    where m.tenant_id = t.id and m.role = 'owner') as owner_emails,
  (select count(*) from public.products p where p.tenant_id = t.id) as products,
  (select count(*) from public.products p
    where p.tenant_id = t.id and p.active and p.archived_at is null) as active_products,
  (select count(*) from public.suppliers s where s.tenant_id = t.id) as suppliers,
  (select count(*) from public.locations l where l.tenant_id = t.id) as locations,
  (select count(*) from public.stock_movements sm where sm.tenant_id = t.id) as movements,
  (select max(sl.last_movement_at) from public.stock_levels sl where sl.tenant_id = t.id)
    as last_movement_at
from public.tenants t;

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on admin.tenant_overview from public, anon, authenticated;
grant select on admin.tenant_overview to service_role;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on view admin.tenant_overview is 'One row per tenant: members, owners, pending invitations, owner e-mails, catalogue and ledger sizes.';
comment on column admin.tenant_overview.tenant_id is 'Tenant identifier.';
comment on column admin.tenant_overview.name is 'Shop name.';
comment on column admin.tenant_overview.currency is 'Currency of the tenant amounts.';
comment on column admin.tenant_overview.timezone is 'Tenant time zone.';
comment on column admin.tenant_overview.created_at is 'When the tenant was created.';
comment on column admin.tenant_overview.members is 'Number of members (all roles).';
comment on column admin.tenant_overview.owners is 'Number of owners (never 0).';
comment on column admin.tenant_overview.pending_invitations is 'Invitations neither accepted, revoked nor expired.';
comment on column admin.tenant_overview.owner_emails is 'E-mail addresses of the owners, comma separated.';
comment on column admin.tenant_overview.products is 'Products in the catalogue (archived included).';
comment on column admin.tenant_overview.active_products is 'Products active and not archived.';
comment on column admin.tenant_overview.suppliers is 'Suppliers.';
comment on column admin.tenant_overview.locations is 'Shops and warehouses.';
comment on column admin.tenant_overview.movements is 'Stock movements recorded (the ledger).';
comment on column admin.tenant_overview.last_movement_at is
  'Latest occurred_at among the tenant''s movements.';
