-- Purchase orders to suppliers: receipts with their observed lead time.
--
-- Headers and lines are written by members with the manager role while an order is a
-- draft (the draft-only trigger on lines is in 20261125180200_order_lines_draft_only.sql);
-- every change of status goes through one SQL function (send, receive, cancel) that locks
-- the order, checks the transition (helpers of 20261125180000_sales_orders.sql) and, for
-- receipts, writes the stock movements through the ledger in the same transaction.
-- Cancelling writes no movement (what was received stays received).
--
-- Sections: types · tables · indexes · functions · policies · grants · comments.

-- ===========================================================================
-- Types
-- ===========================================================================
create type public.purchase_order_status as enum (
  'draft', 'sent', 'partially_received', 'received', 'cancelled'
);

-- ===========================================================================
-- Tables
-- ===========================================================================
create table public.purchase_orders (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  supplier_id uuid not null,
  location_id uuid not null,
  reference text check (char_length(btrim(reference)) between 1 and 120),
  note text check (char_length(note) <= 1000),
  status public.purchase_order_status not null default 'draft',
  ordered_at timestamptz not null default now()
    check (ordered_at >= timestamptz '2000-01-01 00:00:00+00'),
  sent_at timestamptz,
  received_at timestamptz,
  cancelled_at timestamptz,
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint purchase_orders_tenant_id_key unique (tenant_id, id),
  constraint purchase_orders_supplier_fkey foreign key (tenant_id, supplier_id)
    references public.suppliers (tenant_id, id),
  constraint purchase_orders_location_fkey foreign key (tenant_id, location_id)
    references public.locations (tenant_id, id)
);

create table public.purchase_order_lines (
  id uuid primary key default gen_random_uuid(),
  line_no bigint generated always as identity,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  order_id uuid not null,
  product_id uuid not null,
  quantity_ordered integer not null check (quantity_ordered between 1 and 1000000000),
  quantity_received integer not null default 0,
  unit_cost_xof bigint not null check (unit_cost_xof between 0 and 1000000000000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint purchase_order_lines_received
    check (quantity_received between 0 and quantity_ordered),
  constraint purchase_order_lines_order_fkey foreign key (tenant_id, order_id)
    references public.purchase_orders (tenant_id, id) on delete cascade,
  constraint purchase_order_lines_product_fkey foreign key (tenant_id, product_id)
    references public.products (tenant_id, id)
);

create table public.purchase_receipts (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  order_id uuid not null,
  line_id uuid not null references public.purchase_order_lines (id) on delete cascade,
  supplier_id uuid not null,
  product_id uuid not null,
  -- No foreign key: it would make the ledger's own truncate guard unreachable (a truncate
  -- of a referenced table fails first); movements are append-only, so the id stays valid.
  movement_id bigint not null,
  quantity integer not null check (quantity > 0),
  unit_cost_xof bigint not null check (unit_cost_xof >= 0),
  received_at timestamptz not null,
  lead_time_days numeric(10, 3) not null check (lead_time_days >= 0),
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  constraint purchase_receipts_order_fkey foreign key (tenant_id, order_id)
    references public.purchase_orders (tenant_id, id) on delete cascade
);

alter table public.purchase_orders enable row level security;
alter table public.purchase_order_lines enable row level security;
alter table public.purchase_receipts enable row level security;

-- ===========================================================================
-- Indexes (every one leads with tenant_id)
-- ===========================================================================
create index purchase_orders_tenant_ordered_idx
  on public.purchase_orders (tenant_id, ordered_at, id);
create index purchase_orders_tenant_supplier_idx
  on public.purchase_orders (tenant_id, supplier_id);
create unique index purchase_order_lines_product_key
  on public.purchase_order_lines (tenant_id, order_id, product_id);
create index purchase_order_lines_tenant_product_idx
  on public.purchase_order_lines (tenant_id, product_id);
create index purchase_receipts_tenant_supplier_product_idx
  on public.purchase_receipts (tenant_id, supplier_id, product_id);
create index purchase_receipts_tenant_product_idx
  on public.purchase_receipts (tenant_id, product_id);
create index purchase_receipts_tenant_order_idx on public.purchase_receipts (tenant_id, order_id);
create index purchase_receipts_line_idx on public.purchase_receipts (line_id);

-- ===========================================================================
-- Functions
-- ===========================================================================

create function public.send_purchase_order(p_order_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_order public.purchase_orders;
begin
  select * into v_order from public.purchase_orders o
  where o.id = p_order_id and o.tenant_id = app.current_tenant_id() for update;
  perform app.order_guard(found, 'purchase_order');
  perform app.order_transition(v_order.status::text, array['draft'], 'send');
  if not exists (select 1 from public.purchase_order_lines l
      where l.tenant_id = v_order.tenant_id and l.order_id = v_order.id) then
    perform app.raise_error(422, 'order_empty', 'La commande n''a aucune ligne.');
  end if;
  update public.purchase_orders set status = 'sent', sent_at = now(), updated_at = now()
  where id = v_order.id;
end
$$;

-- Receives part or all of a sent order: one `receipt` movement per requested line (unit
-- cost from the request, else the line's), one purchase_receipts row per movement with
-- the lead time observed since the order was sent, then quantities and status.
create function public.receive_purchase_order(p_order_id uuid, p_lines jsonb,
  p_received_at timestamptz default null) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_order public.purchase_orders;
  v_known jsonb;
  v_at timestamptz := coalesce(p_received_at, now());
  v_code text;
  v_hint text;
  v_detail text;
begin
  select * into v_order from public.purchase_orders o
  where o.id = p_order_id and o.tenant_id = app.current_tenant_id() for update;
  perform app.order_guard(found, 'purchase_order');
  perform app.order_transition(v_order.status::text, array['sent', 'partially_received'],
    'receive');
  if v_at < coalesce(v_order.sent_at, v_order.ordered_at) then
    perform app.raise_error(422, 'received_before_sent',
      'La date de réception précède l''envoi de la commande.');
  end if;
  select jsonb_object_agg(l.id, l.quantity_ordered - l.quantity_received) into v_known
  from public.purchase_order_lines l
  where l.tenant_id = v_order.tenant_id and l.order_id = v_order.id;
  perform app.check_order_request(p_lines, v_known);
  begin
    with r as (
      select x.line_id, x.quantity, x.unit_cost_xof, x.ord, l.product_id,
        coalesce(x.unit_cost_xof, l.unit_cost_xof) as cost
      from rows from (jsonb_to_recordset(p_lines)
          as (line_id uuid, quantity integer, unit_cost_xof bigint))
        with ordinality as x(line_id, quantity, unit_cost_xof, ord)
      join public.purchase_order_lines l on l.tenant_id = v_order.tenant_id and l.id = x.line_id
    ), m as (
      insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity,
        unit_cost_xof, reference, occurred_at)
      select v_order.tenant_id, r.product_id, v_order.location_id, 'receipt', r.quantity, r.cost,
        left(coalesce('Achat ' || v_order.reference, 'Commande fournisseur ' || v_order.id), 120),
        v_at
      from r order by r.ord
      returning id, product_id
    )
    insert into public.purchase_receipts (tenant_id, order_id, line_id, supplier_id, product_id,
      movement_id, quantity, unit_cost_xof, received_at, lead_time_days)
    select v_order.tenant_id, v_order.id, r.line_id, v_order.supplier_id, r.product_id, m.id,
      r.quantity, r.cost, v_at,
      round((extract(epoch from v_at - coalesce(v_order.sent_at, v_order.ordered_at))
        / 86400)::numeric, 3)
    from r join m on m.product_id = r.product_id;
  exception when sqlstate 'DG409' then
    get stacked diagnostics v_code = message_text, v_hint = pg_exception_hint,
      v_detail = pg_exception_detail;
    perform app.raise_for_lines(p_lines, v_code, v_hint, v_detail);
  end;
  update public.purchase_order_lines l set quantity_received = l.quantity_received + r.quantity,
    updated_at = now()
  from jsonb_to_recordset(p_lines) as r(line_id uuid, quantity integer)
  where l.tenant_id = v_order.tenant_id and l.id = r.line_id;
  update public.purchase_orders o set
    status = case when exists (select 1 from public.purchase_order_lines l
        where l.tenant_id = o.tenant_id and l.order_id = o.id
          and l.quantity_received < l.quantity_ordered)
      then 'partially_received'::public.purchase_order_status else 'received' end,
    received_at = v_at,
    updated_at = now()
  where o.id = v_order.id;
end
$$;

create function public.cancel_purchase_order(p_order_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_order public.purchase_orders;
begin
  select * into v_order from public.purchase_orders o
  where o.id = p_order_id and o.tenant_id = app.current_tenant_id() for update;
  perform app.order_guard(found, 'purchase_order');
  perform app.order_transition(v_order.status::text,
    array['draft', 'sent', 'partially_received'], 'cancel');
  update public.purchase_orders set status = 'cancelled', cancelled_at = now(), updated_at = now()
  where id = v_order.id;
end
$$;

-- Observed lead times (days from sending to receipt, one value per receipt) of the
-- caller's tenant: per supplier and product, and per supplier over all its products
-- (product_id null), optionally for one supplier and/or one product.
create function public.lead_time_stats(p_supplier_id uuid default null,
  p_product_id uuid default null)
returns table (supplier_id uuid, product_id uuid, receipts bigint, mean_days numeric,
  p50_days numeric, p90_days numeric, min_days numeric, max_days numeric)
language sql stable security invoker set search_path = '' as $$
  select r.supplier_id, r.product_id, count(*),
    round(avg(r.lead_time_days), 3),
    round((percentile_cont(0.5) within group (order by r.lead_time_days))::numeric, 3),
    round((percentile_cont(0.9) within group (order by r.lead_time_days))::numeric, 3),
    min(r.lead_time_days), max(r.lead_time_days)
  from public.purchase_receipts r
  where r.tenant_id = (select app.current_tenant_id())
    and (p_supplier_id is null or r.supplier_id = p_supplier_id)
    and (p_product_id is null or r.product_id = p_product_id)
  group by grouping sets ((r.supplier_id, r.product_id), (r.supplier_id))
  order by 1, 2 nulls first
$$;

-- ===========================================================================
-- Policies: members read; managers and owners write (statuses only through functions).
-- ===========================================================================
create policy purchase_orders_select on public.purchase_orders for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));
create policy purchase_orders_insert on public.purchase_orders for insert to authenticated
  with check (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));

create policy purchase_order_lines_select on public.purchase_order_lines for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));
create policy purchase_order_lines_insert on public.purchase_order_lines for insert to authenticated
  with check (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));
create policy purchase_order_lines_update on public.purchase_order_lines for update to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')))
  with check (tenant_id = (select app.current_tenant_id()));

create policy purchase_receipts_select on public.purchase_receipts for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on public.purchase_orders, public.purchase_order_lines, public.purchase_receipts
  from anon, authenticated;
-- A client may choose an order's id (a uuid generated on the device, as supabase-js allows).
grant select, insert (id, tenant_id, supplier_id, location_id, reference, note, ordered_at)
  on public.purchase_orders to authenticated;
grant select, insert (tenant_id, order_id, product_id, quantity_ordered, unit_cost_xof),
  update (quantity_ordered, unit_cost_xof) on public.purchase_order_lines to authenticated;
grant select on public.purchase_receipts to authenticated;
-- The service role reads everything and may correct headers and lines; receipts (the
-- lead time record) are written by receive_purchase_order alone.
grant select, insert, update on public.purchase_orders, public.purchase_order_lines
  to service_role;
grant select on public.purchase_receipts to service_role;

revoke all on function public.send_purchase_order(uuid),
  public.receive_purchase_order(uuid, jsonb, timestamptz), public.cancel_purchase_order(uuid),
  public.lead_time_stats(uuid, uuid)
  from public, anon;
grant execute on function public.send_purchase_order(uuid),
  public.receive_purchase_order(uuid, jsonb, timestamptz), public.cancel_purchase_order(uuid),
  public.lead_time_stats(uuid, uuid)
  to authenticated;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on type public.purchase_order_status is
  'Purchase order life: draft → sent → partially_received → received; cancelled from any state before received.';

comment on table public.purchase_orders is
  'Orders to suppliers. Lines are edited while draft; send, receive (receipt movements through the ledger) and cancel go through SQL functions.';
comment on column public.purchase_orders.id is 'Order identifier.';
comment on column public.purchase_orders.tenant_id is 'Owning tenant.';
comment on column public.purchase_orders.supplier_id is 'Supplier (same tenant).';
comment on column public.purchase_orders.location_id is 'Location receiving the goods (same tenant).';
comment on column public.purchase_orders.reference is 'External reference (order form number).';
comment on column public.purchase_orders.note is 'Free note.';
comment on column public.purchase_orders.status is 'Where the order is in its life (purchase_order_status).';
comment on column public.purchase_orders.ordered_at is 'When the order was drawn up.';
comment on column public.purchase_orders.sent_at is 'When it was sent to the supplier: the start of the observed lead time.';
comment on column public.purchase_orders.received_at is 'When the latest receipt happened.';
comment on column public.purchase_orders.cancelled_at is 'When the order was cancelled.';
comment on column public.purchase_orders.created_by is 'User who created it.';
comment on column public.purchase_orders.created_at is 'When it was created.';
comment on column public.purchase_orders.updated_at is 'When it last changed.';

comment on table public.purchase_order_lines is
  'Lines of a purchase order: one per product, quantity ordered vs received, agreed unit cost.';
comment on column public.purchase_order_lines.id is 'Line identifier.';
comment on column public.purchase_order_lines.line_no is 'Increasing in insertion order: lines are listed in the order they were added.';
comment on column public.purchase_order_lines.tenant_id is 'Owning tenant.';
comment on column public.purchase_order_lines.order_id is 'Purchase order (same tenant).';
comment on column public.purchase_order_lines.product_id is 'Product ordered (same tenant; once per order).';
comment on column public.purchase_order_lines.quantity_ordered is 'Quantity ordered from the supplier.';
comment on column public.purchase_order_lines.quantity_received is 'Quantity received so far, never above ordered.';
comment on column public.purchase_order_lines.unit_cost_xof is 'Agreed unit cost in XOF (a receipt may give another).';
comment on column public.purchase_order_lines.created_at is 'When the line was added.';
comment on column public.purchase_order_lines.updated_at is 'When the line last changed.';

comment on table public.purchase_receipts is
  'One row per receipt movement of a purchase order, with the lead time observed (written by receive_purchase_order only).';
comment on column public.purchase_receipts.id is 'Receipt identifier.';
comment on column public.purchase_receipts.tenant_id is 'Owning tenant.';
comment on column public.purchase_receipts.order_id is 'Purchase order received.';
comment on column public.purchase_receipts.line_id is 'Line received.';
comment on column public.purchase_receipts.supplier_id is 'Supplier of the order (copied for the lead time statistics).';
comment on column public.purchase_receipts.product_id is 'Product received.';
comment on column public.purchase_receipts.movement_id is 'The receipt movement written in the ledger.';
comment on column public.purchase_receipts.quantity is 'Quantity received.';
comment on column public.purchase_receipts.unit_cost_xof is 'Unit cost of this receipt in XOF (folded into the weighted average cost).';
comment on column public.purchase_receipts.received_at is 'When the goods arrived.';
comment on column public.purchase_receipts.lead_time_days is 'Observed lead time in days: received_at minus sent_at (ordered_at if never sent).';
comment on column public.purchase_receipts.created_by is 'User who recorded the receipt.';
comment on column public.purchase_receipts.created_at is 'When it was recorded.';

comment on function public.send_purchase_order(uuid) is
  'Marks a draft purchase order with lines as sent (the lead time starts).';
comment on function public.receive_purchase_order(uuid, jsonb, timestamptz) is
  'Receives [{line_id, quantity, unit_cost_xof?}] of a sent order: receipt movements through the ledger, purchase_receipts with lead times, quantities, status.';
comment on function public.cancel_purchase_order(uuid) is
  'Cancels a purchase order not yet fully received; received quantities stay.';
comment on function public.lead_time_stats(uuid, uuid) is
  'Observed lead time statistics (count, mean, p50, p90, min, max in days) per supplier and product, and per supplier.';
