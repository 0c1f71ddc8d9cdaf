-- The alert evaluation's queue: products whose stock, settings or alert rules changed
-- since the last evaluation, marked by statement triggers on stock_movements, products and
-- alert_rules, claimed (deleted) by app.evaluate_alerts
-- (20261125210200_alert_evaluation.sql). Internal: no user reads it.
--
-- Sections: tables · functions · triggers · backfill · grants · comments.

-- ===========================================================================
-- Tables
-- ===========================================================================
create table public.alert_dirty_products (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  product_id uuid not null,
  marked_at timestamptz not null default now(),
  primary key (tenant_id, product_id)
);

alter table public.alert_dirty_products enable row level security;

-- ===========================================================================
-- Functions
-- ===========================================================================
-- Statement triggers marking products for the next evaluation. `do update` (not `do
-- nothing`) takes the row lock, so an evaluation claiming the queue waits for this
-- transaction and then reads its committed stock.
create function app.mark_alert_dirty_from_movements() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.alert_dirty_products (tenant_id, product_id)
  select distinct n.tenant_id, n.product_id from new_rows n
  order by 1, 2
  on conflict (tenant_id, product_id) do update set marked_at = excluded.marked_at;
  return null;
end
$$;

create function app.mark_alert_dirty_from_products() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.alert_dirty_products (tenant_id, product_id)
  select n.tenant_id, n.id from new_rows n
  order by 1, 2
  on conflict (tenant_id, product_id) do update set marked_at = excluded.marked_at;
  return null;
end
$$;

-- A rule change can change any of the tenant's products: mark them all.
create function app.mark_alert_dirty_from_rules() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.alert_dirty_products (tenant_id, product_id)
  select p.tenant_id, p.id from public.products p
  where p.tenant_id in (select c.tenant_id from changed_rows c)
  order by 1, 2
  on conflict (tenant_id, product_id) do update set marked_at = excluded.marked_at;
  return null;
end
$$;

-- ===========================================================================
-- Triggers
-- ===========================================================================
create trigger alert_rules_mark_dirty_insert after insert on public.alert_rules
  referencing new table as changed_rows
  for each statement execute function app.mark_alert_dirty_from_rules();
create trigger alert_rules_mark_dirty_update after update on public.alert_rules
  referencing new table as changed_rows
  for each statement execute function app.mark_alert_dirty_from_rules();
create trigger alert_rules_mark_dirty_delete after delete on public.alert_rules
  referencing old table as changed_rows
  for each statement execute function app.mark_alert_dirty_from_rules();

-- On the ledger, not on stock_levels: the levels' `insert … on conflict do update` fires
-- an insert and an update trigger, whose two batches would lock queue rows out of order
-- (two writers at different locations of the same products then deadlock). One batch per
-- statement, sorted, after app.apply_stock_movements (triggers fire in name order).
create trigger stock_movements_mark_alert_dirty after insert on public.stock_movements
  referencing new table as new_rows
  for each statement execute function app.mark_alert_dirty_from_movements();
create trigger products_mark_alert_dirty_insert after insert on public.products
  referencing new table as new_rows
  for each statement execute function app.mark_alert_dirty_from_products();
create trigger products_mark_alert_dirty_update after update on public.products
  referencing new table as new_rows
  for each statement execute function app.mark_alert_dirty_from_products();

-- ===========================================================================
-- Backfill
-- ===========================================================================
-- Products that exist before this migration are checked by the first evaluation.
insert into public.alert_dirty_products (tenant_id, product_id)
select p.tenant_id, p.id from public.products p
on conflict do nothing;

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on public.alert_dirty_products from anon, authenticated;
grant select, insert, update, delete on public.alert_dirty_products to service_role;
revoke all on function app.mark_alert_dirty_from_movements(), app.mark_alert_dirty_from_products(),
  app.mark_alert_dirty_from_rules() from public;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on table public.alert_dirty_products is 'Internal queue: products whose stock, settings or alert rules changed since the last evaluation.';
comment on column public.alert_dirty_products.tenant_id is 'Owning tenant.';
comment on column public.alert_dirty_products.product_id is 'Product to re-check.';
comment on column public.alert_dirty_products.marked_at is 'Last change that marked it.';
comment on function app.mark_alert_dirty_from_movements() is 'Trigger: queues the products of new stock movements (their stock changed) for the next evaluation.';
comment on function app.mark_alert_dirty_from_products() is 'Trigger: queues created or changed products for the next evaluation.';
comment on function app.mark_alert_dirty_from_rules() is 'Trigger: queues every product of a tenant whose alert rules changed.';
