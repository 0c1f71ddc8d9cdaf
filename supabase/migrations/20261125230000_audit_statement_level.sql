-- Audit log, set-based: one statement-level trigger per event and table instead of one
-- trigger call per row, so a 10,000-row catalogue import writes its 10,000 audit rows
-- with one insert … select. What is recorded is unchanged (see app.audit_row in
-- 20261125160000_audit_log.sql): insert → the new row; delete → the old row (nothing
-- when the whole tenant is being deleted); update → only the columns that changed, as
-- {"column": {"old": …, "new": …}}, nothing when only updated_at changed; never
-- name_search or token_hash. Stock movements keep their per-row trigger, which fires
-- only for adjustments and counts (a WHEN clause a statement trigger cannot have).
--
-- Sections: functions · triggers · grants · comments.

-- ===========================================================================
-- Functions
-- ===========================================================================

-- The tenant a row belongs to (a tenants row is its own tenant).
create function app.audit_tenant(p_table text, p_row jsonb) returns uuid
language sql immutable set search_path = '' as $$
  select case when p_table = 'tenants' then (p_row ->> 'id')::uuid
    else (p_row ->> 'tenant_id')::uuid end
$$;

-- Statement trigger; argument: the column that identifies a row (with tenant_id, the key
-- that pairs old and new rows of an update).
create function app.audit_rows() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_key text := tg_argv[0];
  v_hidden text[] := array['updated_at', 'name_search', 'token_hash'];
  v_actor uuid := auth.uid();
  v_role text := coalesce(auth.role(), session_user::text);
begin
  if tg_op = 'INSERT' then
    insert into public.audit_log (tenant_id, actor_id, actor_role, action, entity, entity_id,
      changes)
    select app.audit_tenant(tg_table_name, r.j), v_actor, v_role, 'insert', tg_table_name,
      coalesce(r.j ->> v_key, '?'), r.j
    from (select to_jsonb(n) - v_hidden as j from new_rows n) r;
  elsif tg_op = 'DELETE' then
    insert into public.audit_log (tenant_id, actor_id, actor_role, action, entity, entity_id,
      changes)
    select t.id, v_actor, v_role, 'delete', tg_table_name, coalesce(r.j ->> v_key, '?'), r.j
    from (select to_jsonb(o) - v_hidden as j from old_rows o) r
    -- A tenant being deleted takes its rows (and its audit log) with it.
    join public.tenants t on t.id = app.audit_tenant(tg_table_name, r.j);
  else
    insert into public.audit_log (tenant_id, actor_id, actor_role, action, entity, entity_id,
      changes)
    select app.audit_tenant(tg_table_name, n.j), v_actor, v_role, 'update', tg_table_name,
      coalesce(n.j ->> v_key, '?'), c.changes
    from (select to_jsonb(x) - v_hidden as j from new_rows x) n
    join (select to_jsonb(x) - v_hidden as j from old_rows x) o
      on o.j ->> v_key = n.j ->> v_key
      and (o.j ->> 'tenant_id') is not distinct from (n.j ->> 'tenant_id')
    cross join lateral (
      select jsonb_object_agg(e.key, jsonb_build_object('old', o.j -> e.key, 'new', e.value))
        as changes
      from jsonb_each(n.j) e
      where e.value is distinct from o.j -> e.key
    ) c
    where c.changes is not null;
  end if;
  return null;
end
$$;

-- ===========================================================================
-- Triggers: the per-row ones replaced, table by table
-- ===========================================================================
drop trigger tenants_audit on public.tenants;
drop trigger memberships_audit on public.memberships;
drop trigger invitations_audit on public.invitations;
drop trigger products_audit on public.products;
drop trigger categories_audit on public.categories;
drop trigger suppliers_audit on public.suppliers;
drop trigger locations_audit on public.locations;
drop trigger alert_rules_audit on public.alert_rules;
drop trigger notification_settings_audit on public.notification_settings;
drop trigger notification_recipients_audit on public.notification_recipients;

create trigger tenants_audit_insert after insert on public.tenants
  referencing new table as new_rows for each statement execute function app.audit_rows('id');
create trigger tenants_audit_update after update on public.tenants
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.audit_rows('id');

create trigger memberships_audit_insert after insert on public.memberships
  referencing new table as new_rows for each statement execute function app.audit_rows('user_id');
create trigger memberships_audit_update after update on public.memberships
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.audit_rows('user_id');
create trigger memberships_audit_delete after delete on public.memberships
  referencing old table as old_rows for each statement execute function app.audit_rows('user_id');

create trigger invitations_audit_insert after insert on public.invitations
  referencing new table as new_rows for each statement execute function app.audit_rows('id');
create trigger invitations_audit_update after update on public.invitations
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.audit_rows('id');

create trigger notification_settings_audit_insert after insert on public.notification_settings
  referencing new table as new_rows
  for each statement execute function app.audit_rows('tenant_id');
create trigger notification_settings_audit_update after update on public.notification_settings
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.audit_rows('tenant_id');

-- Tables audited for every event, identified by `id`.
do $$
declare
  v_table text;
begin
  foreach v_table in array array['products', 'categories', 'suppliers', 'locations',
    'alert_rules', 'notification_recipients']
  loop
    execute format('create trigger %I after insert on public.%I
      referencing new table as new_rows for each statement execute function app.audit_rows(%L)',
      v_table || '_audit_insert', v_table, 'id');
    execute format('create trigger %I after update on public.%I
      referencing old table as old_rows new table as new_rows
      for each statement execute function app.audit_rows(%L)',
      v_table || '_audit_update', v_table, 'id');
    execute format('create trigger %I after delete on public.%I
      referencing old table as old_rows for each statement execute function app.audit_rows(%L)',
      v_table || '_audit_delete', v_table, 'id');
  end loop;
end
$$;

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on function app.audit_rows(), app.audit_tenant(text, jsonb) from public;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on function app.audit_tenant(text, jsonb) is 'The tenant of an audited row (a tenants row is its own).';
comment on function app.audit_rows() is 'Statement trigger: records the rows a statement inserted, updated (changed columns only) or deleted in audit_log (argument: the identifying column).';
