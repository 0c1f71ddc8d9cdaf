-- Audit log: who changed what and when, for the catalogue, tenant settings and members.
-- Written by triggers (so nothing can change these tables without leaving a trace, API
-- or not), readable by the tenant's owners, never updated or deleted by API roles.
-- Manual stock adjustments join when the ledger exists (its migration adds the trigger).
--
-- Sections: table · trigger function · triggers · policies · grants · comments.

-- ===========================================================================
-- Table
-- ===========================================================================
create table public.audit_log (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  occurred_at timestamptz not null default now(),
  actor_id uuid,
  actor_role text,
  action text not null check (action in ('insert', 'update', 'delete')),
  entity text not null,
  entity_id text not null,
  changes jsonb not null
);
create index audit_log_tenant_time_idx on public.audit_log (tenant_id, occurred_at desc, id desc);
create index audit_log_tenant_entity_idx on public.audit_log (tenant_id, entity, entity_id, id desc);
create index audit_log_tenant_actor_idx on public.audit_log (tenant_id, actor_id, id desc);
alter table public.audit_log enable row level security;

-- ===========================================================================
-- Trigger function
-- ===========================================================================

-- Records one row change. Insert: the new row; delete: the old row; update: only the
-- columns that changed, as {"column": {"old": …, "new": …}} (an update that changes
-- nothing but updated_at is not recorded). The actor comes from the request's claims
-- (null for service work). Invitation token hashes are never copied.
create function app.audit_row() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_old jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) - 'updated_at' - 'name_search' - 'token_hash' end;
  v_new jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) - 'updated_at' - 'name_search' - 'token_hash' end;
  v_row jsonb := coalesce(v_new, v_old);
  v_tenant uuid := case when tg_table_name = 'tenants' then (v_row ->> 'id')::uuid
    else (v_row ->> 'tenant_id')::uuid end;
  v_changes jsonb;
begin
  -- A tenant being deleted takes its rows (and its audit log) with it: nothing to record.
  if tg_op = 'DELETE' and not exists (select 1 from public.tenants t where t.id = v_tenant) then
    return null;
  end if;
  if tg_op = 'UPDATE' then
    select jsonb_object_agg(n.key, jsonb_build_object('old', v_old -> n.key, 'new', n.value))
    into v_changes
    from jsonb_each(v_new) n
    where n.value is distinct from v_old -> n.key;
    if v_changes is null then
      return null;
    end if;
  else
    v_changes := v_row;
  end if;
  insert into public.audit_log (tenant_id, actor_id, actor_role, action, entity, entity_id,
    changes)
  values (v_tenant, auth.uid(), coalesce(auth.role(), session_user::text), lower(tg_op),
    tg_table_name, coalesce(v_row ->> tg_argv[0], '?'), v_changes);
  return null;
end
$$;

-- ===========================================================================
-- Triggers (argument: the column that identifies the row)
-- ===========================================================================
create trigger tenants_audit after insert or update on public.tenants
  for each row execute function app.audit_row('id');
create trigger memberships_audit after insert or update or delete on public.memberships
  for each row execute function app.audit_row('user_id');
create trigger invitations_audit after insert or update on public.invitations
  for each row execute function app.audit_row('id');
create trigger products_audit after insert or update or delete on public.products
  for each row execute function app.audit_row('id');
create trigger categories_audit after insert or update or delete on public.categories
  for each row execute function app.audit_row('id');
create trigger suppliers_audit after insert or update or delete on public.suppliers
  for each row execute function app.audit_row('id');
create trigger locations_audit after insert or update or delete on public.locations
  for each row execute function app.audit_row('id');

-- ===========================================================================
-- Policies: owners read their tenant's log; nobody writes through the API
-- ===========================================================================
create policy audit_log_select on public.audit_log for select to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('owner')));

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on public.audit_log from anon, authenticated;
grant select on public.audit_log to authenticated;
grant select on public.audit_log to service_role;
revoke all on function app.audit_row() from public;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on table public.audit_log is 'Who changed what and when (catalogue, tenant settings, members, invitations, manual stock adjustments). Append-only; owners read it.';
comment on column public.audit_log.id is 'Order of recording.';
comment on column public.audit_log.tenant_id is 'Tenant whose data changed.';
comment on column public.audit_log.occurred_at is 'When the change was committed (transaction time).';
comment on column public.audit_log.actor_id is 'User who made the change (auth.users.id); null for service work.';
comment on column public.audit_log.actor_role is 'Database role of the actor: authenticated, service_role, or the login role for admin SQL.';
comment on column public.audit_log.action is 'insert, update or delete.';
comment on column public.audit_log.entity is 'Table of the changed row (products, memberships…).';
comment on column public.audit_log.entity_id is 'Identifier of the changed row (user_id for memberships).';
comment on column public.audit_log.changes is 'insert/delete: the row; update: {column: {old, new}} for the changed columns only.';
comment on function app.audit_row() is 'Trigger: records a row change in audit_log (argument: the identifying column).';
