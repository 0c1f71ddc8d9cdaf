-- Schema-wide rules every migration must keep: tables and keys of the tenancy model,
-- row-level security on every public table, exact policies, privileges of the API
-- roles, and a comment on everything an admin sees in Supabase Studio.
begin;
select plan(45);

-- ---------------------------------------------------------------------------
-- Schemas, tables, keys
-- ---------------------------------------------------------------------------
select has_schema('app', 'schema app exists (internal helpers)');
select has_schema('admin', 'schema admin exists (operator views)');

select has_table('public', 'tenants', 'public.tenants exists');
select has_table('public', 'memberships', 'public.memberships exists');
select has_table('public', 'invitations', 'public.invitations exists');

select col_is_pk('public', 'tenants', 'id', 'tenants: primary key id');
select col_is_pk('public', 'memberships', array['tenant_id', 'user_id'],
  'memberships: primary key (tenant_id, user_id)');
select col_is_pk('public', 'invitations', 'id', 'invitations: primary key id');

select col_not_null('public', 'tenants', 'name', 'tenants.name is not null');
select col_not_null('public', 'tenants', 'currency', 'tenants.currency is not null');
select col_not_null('public', 'tenants', 'timezone', 'tenants.timezone is not null');
select col_not_null('public', 'tenants', 'settings', 'tenants.settings is not null');
select col_not_null('public', 'memberships', 'role', 'memberships.role is not null');
select col_not_null('public', 'invitations', 'tenant_id', 'invitations.tenant_id is not null');
select col_not_null('public', 'invitations', 'email', 'invitations.email is not null');
select col_not_null('public', 'invitations', 'token_hash', 'invitations.token_hash is not null');
select col_not_null('public', 'invitations', 'expires_at', 'invitations.expires_at is not null');
select col_is_unique('public', 'invitations', 'token_hash', 'invitation token hashes are unique');

select enum_has_labels('public', 'tenant_role', array['viewer', 'manager', 'owner'],
  'tenant_role is ordered viewer < manager < owner');
select col_type_is('public', 'memberships', 'role', 'tenant_role', 'memberships.role is a tenant_role');
select fk_ok('public', 'memberships', 'tenant_id', 'public', 'tenants', 'id',
  'memberships.tenant_id references tenants');
select fk_ok('public', 'invitations', 'tenant_id', 'public', 'tenants', 'id',
  'invitations.tenant_id references tenants');

-- ---------------------------------------------------------------------------
-- Row-level security everywhere, policies exactly as designed
-- ---------------------------------------------------------------------------
select is_empty($$
  select c.oid::regclass::text
  from pg_class c
  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
    and not c.relrowsecurity
$$, 'every table in public has row level security enabled');

select is_empty($$
  select c.oid::regclass::text
  from pg_class c
  join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped
  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
    and not exists (select 1 from pg_index i where i.indrelid = c.oid and i.indkey[0] = a.attnum)
$$, 'every public table with tenant_id has an index leading with tenant_id');

select is_empty($$
  select c.oid::regclass::text
  from pg_class c
  where c.relnamespace = 'public'::regnamespace and c.relkind = 'v'
    and not coalesce(c.reloptions && array['security_invoker=true', 'security_invoker=on'], false)
$$, 'every view in public is security_invoker (RLS applies to the caller)');

select is_empty($$
  select pol.polname || ' on ' || pol.polrelid::regclass::text
  from pg_policy pol
  join pg_class c on c.oid = pol.polrelid
  where c.relnamespace = 'public'::regnamespace and pol.polroles @> array[0::oid]
$$, 'no policy in public applies to PUBLIC: each names its roles');

select policies_are('public', 'tenants', array['tenants_select', 'tenants_update'],
  'tenants has exactly its select and update policies');
select policies_are('public', 'memberships',
  array['memberships_select', 'memberships_update', 'memberships_delete',
    'memberships_auth_admin_read'],
  'memberships has exactly its select, update, delete and auth-admin policies');
select policies_are('public', 'invitations', array['invitations_select', 'invitations_update'],
  'invitations has exactly its select and update policies');
select policy_roles_are('public', 'memberships', 'memberships_auth_admin_read',
  array['supabase_auth_admin'], 'only supabase_auth_admin reads memberships through the hook policy');

select is_empty($$
  select p.oid::regprocedure::text
  from pg_proc p
  where p.pronamespace in ('public'::regnamespace, 'app'::regnamespace, 'admin'::regnamespace)
    and p.prosecdef
    and not exists (select 1 from unnest(p.proconfig) s where s like 'search_path=%')
$$, 'every security definer function pins its search_path');

-- ---------------------------------------------------------------------------
-- Privileges of the API roles
-- ---------------------------------------------------------------------------
select is_empty($$
  select c.oid::regclass::text
  from pg_class c
  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm')
    and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')
    and has_table_privilege('anon', c.oid, 'select, insert, update, delete, truncate, references, trigger')
$$, 'anon holds no privilege on any table or view in public');

select is_empty($$
  select p.oid::regprocedure::text
  from pg_proc p
  where p.pronamespace in ('public'::regnamespace, 'app'::regnamespace, 'admin'::regnamespace)
    and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
    and has_function_privilege('anon', p.oid, 'execute')
$$, 'anon can execute no function of public, app or admin');

select results_eq($$
  select p.proname::text collate "default"
  from pg_proc p
  where p.pronamespace = 'public'::regnamespace
    and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
    and has_function_privilege('authenticated', p.oid, 'execute')
  order by 1
$$, array['accept_invitation', 'acknowledge_alert', 'cancel_purchase_order', 'cancel_sales_order',
  'confirm_sales_order', 'create_invitation', 'create_tenant', 'deliver_sales_order',
  'lead_time_stats', 'receive_purchase_order', 'resolve_alert', 'send_purchase_order',
  'service_rate', 'snooze_alert', 'tenant_members']::text[],
  'authenticated can execute exactly the tenancy, order and alert RPCs in public (not the token hook)');

select schema_privs_are('admin', 'anon', array[]::text[], 'anon has no privilege on schema admin');
select schema_privs_are('admin', 'authenticated', array[]::text[],
  'authenticated has no privilege on schema admin');
select schema_privs_are('app', 'anon', array[]::text[], 'anon has no privilege on schema app');

set local role anon;
select throws_ok('select * from admin.tenant_overview', '42501', null,
  'anon cannot read admin.tenant_overview');
set local role authenticated;
select throws_ok('select * from admin.user_memberships', '42501', null,
  'authenticated cannot read admin.user_memberships');
set local role service_role;
select lives_ok('select * from admin.tenant_overview', 'service_role reads admin.tenant_overview');
reset role;

-- ---------------------------------------------------------------------------
-- Comments: everything an admin sees in Studio says what it is
-- ---------------------------------------------------------------------------
select is_empty($$
  select n.nspname
  from pg_namespace n
  where n.nspname in ('app', 'admin') and obj_description(n.oid, 'pg_namespace') is null
$$, 'schemas app and admin have a comment');

select is_empty($$
  select c.oid::regclass::text
  from pg_class c
  where c.relnamespace in ('public'::regnamespace, 'app'::regnamespace, 'admin'::regnamespace)
    and c.relkind in ('r', 'p', 'v', 'm', 'f')
    and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')
    and obj_description(c.oid, 'pg_class') is null
$$, 'every table and view in public, app and admin has a comment');

select is_empty($$
  select c.oid::regclass::text || '.' || a.attname
  from pg_class c
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  where c.relnamespace in ('public'::regnamespace, 'app'::regnamespace, 'admin'::regnamespace)
    and c.relkind in ('r', 'p', 'v', 'm', 'f')
    and not exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype = 'e')
    and col_description(c.oid, a.attnum) is null
$$, 'every column of those tables and views has a comment');

select is_empty($$
  select p.oid::regprocedure::text
  from pg_proc p
  where p.pronamespace in ('public'::regnamespace, 'app'::regnamespace, 'admin'::regnamespace)
    and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
    and obj_description(p.oid, 'pg_proc') is null
$$, 'every function in public, app and admin has a comment');

select is_empty($$
  select t.oid::regtype::text
  from pg_type t
  where t.typnamespace in ('public'::regnamespace, 'app'::regnamespace, 'admin'::regnamespace)
    and t.typtype in ('e', 'd')
    and not exists (select 1 from pg_depend d where d.objid = t.oid and d.deptype = 'e')
    and obj_description(t.oid, 'pg_type') is null
$$, 'every enum and domain in public, app and admin has a comment');

select * from finish();
rollback;
