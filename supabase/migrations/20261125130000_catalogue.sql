-- Catalogue: locations (shops, warehouses), categories, suppliers, products.
-- Amounts are integer XOF (no minor unit). Quantities are integers in the product's unit.
-- Nothing that has history is deleted: rows are archived (archived_at); the ledger
-- migration makes products and locations with movements undeletable.
--
-- Sections: tables · indexes · triggers · policies · grants · comments.

-- ===========================================================================
-- Tables
-- ===========================================================================
create table public.locations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 120),
  kind text not null default 'shop' check (kind in ('shop', 'warehouse')),
  address text check (char_length(address) <= 300),
  is_default boolean not null default false,
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.categories (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 80),
  description text check (char_length(description) <= 500),
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.suppliers (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 120),
  phone text check (phone ~ '^\+[1-9][0-9]{7,14}$'),
  whatsapp text check (whatsapp ~ '^\+[1-9][0-9]{7,14}$'),
  email text check (email ~ '^[^@\s]+@[^@\s]+$' and char_length(email) <= 254),
  lead_time_days integer check (lead_time_days between 0 and 365),
  notes text check (char_length(notes) <= 1000),
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.products (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  sku text not null check (sku ~ '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$'),
  name text not null check (char_length(btrim(name)) between 1 and 200),
  category_id uuid,
  unit text not null default 'pièce' check (char_length(btrim(unit)) between 1 and 20),
  barcode text check (barcode ~ '^[0-9A-Za-z-]{4,64}$'),
  sale_price_xof bigint not null default 0 check (sale_price_xof between 0 and 1000000000000),
  unit_cost_xof bigint not null default 0 check (unit_cost_xof between 0 and 1000000000000),
  reorder_point integer not null default 0 check (reorder_point between 0 and 1000000000),
  max_stock integer check (max_stock between 0 and 1000000000),
  lead_time_days integer check (lead_time_days between 0 and 365),
  supplier_id uuid,
  active boolean not null default true,
  archived_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (max_stock is null or max_stock >= reorder_point)
);

-- ===========================================================================
-- Indexes (every one leads with tenant_id)
-- ===========================================================================
create unique index locations_tenant_id_key on public.locations (tenant_id, id);
create unique index locations_tenant_name_key on public.locations (tenant_id, lower(name));
create unique index locations_one_default on public.locations (tenant_id) where is_default;

create unique index categories_tenant_id_key on public.categories (tenant_id, id);
create unique index categories_tenant_name_key on public.categories (tenant_id, lower(name));

create unique index suppliers_tenant_id_key on public.suppliers (tenant_id, id);
create index suppliers_tenant_name_idx on public.suppliers (tenant_id, lower(name));

create unique index products_tenant_id_key on public.products (tenant_id, id);
create unique index products_tenant_sku_key on public.products (tenant_id, lower(sku));
create unique index products_tenant_barcode_key on public.products (tenant_id, barcode)
  where barcode is not null;
create index products_tenant_name_idx on public.products (tenant_id, lower(name), id);
create index products_tenant_category_idx on public.products (tenant_id, category_id);
create index products_tenant_supplier_idx on public.products (tenant_id, supplier_id);

-- Same-tenant references (composite keys): a product cannot point at another tenant's
-- category or supplier, whatever the caller sends.
alter table public.products
  add constraint products_category_fkey foreign key (tenant_id, category_id)
    references public.categories (tenant_id, id),
  add constraint products_supplier_fkey foreign key (tenant_id, supplier_id)
    references public.suppliers (tenant_id, id);

alter table public.locations enable row level security;
alter table public.categories enable row level security;
alter table public.suppliers enable row level security;
alter table public.products enable row level security;

-- ===========================================================================
-- Triggers
-- ===========================================================================
create trigger locations_touch before update on public.locations
  for each row execute function app.touch_updated_at();
create trigger categories_touch before update on public.categories
  for each row execute function app.touch_updated_at();
create trigger suppliers_touch before update on public.suppliers
  for each row execute function app.touch_updated_at();
create trigger products_touch before update on public.products
  for each row execute function app.touch_updated_at();

-- Every new tenant gets a default shop location, so stock has somewhere to live.
create function app.create_default_location() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.locations (tenant_id, name, kind, is_default)
  values (new.id, 'Boutique principale', 'shop', true);
  return new;
end
$$;
create trigger tenants_default_location after insert on public.tenants
  for each row execute function app.create_default_location();

-- ===========================================================================
-- Policies: members read; managers and owners write; nobody crosses tenants
-- ===========================================================================
create policy locations_select on public.locations for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));
create policy locations_insert on public.locations for insert to authenticated
  with check (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));
create policy locations_update on public.locations for update to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')))
  with check (tenant_id = (select app.current_tenant_id()));
create policy locations_delete on public.locations for delete to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));

create policy categories_select on public.categories for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));
create policy categories_insert on public.categories for insert to authenticated
  with check (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));
create policy categories_update on public.categories for update to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')))
  with check (tenant_id = (select app.current_tenant_id()));
create policy categories_delete on public.categories for delete to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));

create policy suppliers_select on public.suppliers for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));
create policy suppliers_insert on public.suppliers for insert to authenticated
  with check (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));
create policy suppliers_update on public.suppliers for update to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')))
  with check (tenant_id = (select app.current_tenant_id()));
create policy suppliers_delete on public.suppliers for delete to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));

create policy products_select on public.products for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));
create policy products_insert on public.products for insert to authenticated
  with check (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));
create policy products_update on public.products for update to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')))
  with check (tenant_id = (select app.current_tenant_id()));
create policy products_delete on public.products for delete to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on public.locations, public.categories, public.suppliers, public.products
  from anon, authenticated;
grant select, insert, update, delete on public.locations, public.categories,
  public.suppliers, public.products to authenticated;
grant all on public.locations, public.categories, public.suppliers, public.products
  to service_role;
revoke all on function app.create_default_location() from public;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on table public.locations is 'Places that hold stock: shops and warehouses of a tenant.';
comment on column public.locations.id is 'Location identifier.';
comment on column public.locations.tenant_id is 'Owning tenant.';
comment on column public.locations.name is 'Name shown to users, unique per tenant (case-insensitive).';
comment on column public.locations.kind is 'shop (sells) or warehouse (stores).';
comment on column public.locations.address is 'Postal or descriptive address.';
comment on column public.locations.is_default is 'The location used when a request names none (one per tenant).';
comment on column public.locations.archived_at is 'When archived; archived locations take no new movements.';
comment on column public.locations.created_at is 'When created.';
comment on column public.locations.updated_at is 'When last changed.';

comment on table public.categories is 'Product categories of a tenant (e.g. Boissons, Épicerie).';
comment on column public.categories.id is 'Category identifier.';
comment on column public.categories.tenant_id is 'Owning tenant.';
comment on column public.categories.name is 'Name, unique per tenant (case-insensitive).';
comment on column public.categories.description is 'Optional description.';
comment on column public.categories.archived_at is 'When archived.';
comment on column public.categories.created_at is 'When created.';
comment on column public.categories.updated_at is 'When last changed.';

comment on table public.suppliers is 'Suppliers a tenant buys from, with contact numbers and usual lead time.';
comment on column public.suppliers.id is 'Supplier identifier.';
comment on column public.suppliers.tenant_id is 'Owning tenant.';
comment on column public.suppliers.name is 'Supplier name.';
comment on column public.suppliers.phone is 'Phone number in E.164 (e.g. +221771234567).';
comment on column public.suppliers.whatsapp is 'WhatsApp number in E.164.';
comment on column public.suppliers.email is 'E-mail address.';
comment on column public.suppliers.lead_time_days is 'Usual days from order to delivery (declared, not observed).';
comment on column public.suppliers.notes is 'Free notes.';
comment on column public.suppliers.archived_at is 'When archived.';
comment on column public.suppliers.created_at is 'When created.';
comment on column public.suppliers.updated_at is 'When last changed.';

comment on table public.products is 'Catalogue of a tenant: one row per SKU.';
comment on column public.products.id is 'Product identifier.';
comment on column public.products.tenant_id is 'Owning tenant.';
comment on column public.products.sku is 'Stock-keeping unit (référence), unique per tenant (case-insensitive).';
comment on column public.products.name is 'Designation shown to users (désignation).';
comment on column public.products.category_id is 'Category (same tenant).';
comment on column public.products.unit is 'Unit of quantities (pièce, kg, sac, carton…).';
comment on column public.products.barcode is 'Optional barcode (EAN…), unique per tenant.';
comment on column public.products.sale_price_xof is 'Sale price per unit, integer XOF.';
comment on column public.products.unit_cost_xof is 'Last purchase cost per unit, integer XOF (the ledger keeps the weighted average).';
comment on column public.products.reorder_point is 'Stock at or below which the product is low (stock faible).';
comment on column public.products.max_stock is 'Stock not to exceed when reordering (≥ reorder point).';
comment on column public.products.lead_time_days is 'Declared days from order to delivery for this product (overrides the supplier).';
comment on column public.products.supplier_id is 'Usual supplier (same tenant).';
comment on column public.products.active is 'False for products no longer sold; they stay in history.';
comment on column public.products.archived_at is 'When archived (instead of deleted once it has movements).';
comment on column public.products.created_at is 'When created.';
comment on column public.products.updated_at is 'When last changed.';

comment on function app.create_default_location() is 'Trigger: gives every new tenant a default shop location.';
