-- Sales orders: quantity ordered vs delivered, hence the service rate. Also the order
-- helpers shared with purchase orders (next migration): guard, transition check, request
-- check, re-raising ledger refusals per line.
--
-- Headers and lines are written by members with the manager role while an order is a
-- draft (the draft-only trigger on lines is in 20261125180200_order_lines_draft_only.sql);
-- every change of status goes through one SQL function (confirm, deliver, cancel) that
-- locks the order, checks the transition and, for deliveries, writes the stock movements
-- through the ledger in the same transaction. Stock is never reserved: cancelling writes
-- no movement (what was delivered stays delivered; a return is an explicit `return`
-- movement).
--
-- Sections: types · tables · indexes · functions · policies · grants · comments.

-- ===========================================================================
-- Types
-- ===========================================================================
create type public.sales_order_status as enum (
  'draft', 'confirmed', 'partially_delivered', 'delivered', 'cancelled'
);
create type public.cancelled_by as enum ('customer', 'shop');

-- ===========================================================================
-- Tables
-- ===========================================================================
create table public.sales_orders (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  location_id uuid not null,
  customer_name text check (char_length(btrim(customer_name)) between 1 and 200),
  reference text check (char_length(btrim(reference)) between 1 and 120),
  note text check (char_length(note) <= 1000),
  status public.sales_order_status not null default 'draft',
  ordered_at timestamptz not null default now()
    check (ordered_at >= timestamptz '2000-01-01 00:00:00+00'),
  confirmed_at timestamptz,
  delivered_at timestamptz,
  cancelled_at timestamptz,
  cancelled_by public.cancelled_by,
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint sales_orders_tenant_id_key unique (tenant_id, id),
  constraint sales_orders_cancelled check ((status = 'cancelled') = (cancelled_by is not null)),
  constraint sales_orders_location_fkey foreign key (tenant_id, location_id)
    references public.locations (tenant_id, id)
);

create table public.sales_order_lines (
  id uuid primary key default gen_random_uuid(),
  line_no bigint generated always as identity,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  order_id uuid not null,
  product_id uuid not null,
  quantity_ordered integer not null check (quantity_ordered between 1 and 1000000000),
  quantity_delivered integer not null default 0,
  unit_price_xof bigint check (unit_price_xof between 0 and 1000000000000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint sales_order_lines_delivered
    check (quantity_delivered between 0 and quantity_ordered),
  constraint sales_order_lines_order_fkey foreign key (tenant_id, order_id)
    references public.sales_orders (tenant_id, id) on delete cascade,
  constraint sales_order_lines_product_fkey foreign key (tenant_id, product_id)
    references public.products (tenant_id, id)
);

alter table public.sales_orders enable row level security;
alter table public.sales_order_lines enable row level security;

-- ===========================================================================
-- Indexes (every one leads with tenant_id)
-- ===========================================================================
create index sales_orders_tenant_ordered_idx on public.sales_orders (tenant_id, ordered_at, id);
create unique index sales_order_lines_product_key
  on public.sales_order_lines (tenant_id, order_id, product_id);
create index sales_order_lines_tenant_product_idx
  on public.sales_order_lines (tenant_id, product_id);

-- ===========================================================================
-- Functions
-- ===========================================================================

-- The order `p_id` of the caller's tenant, locked, for a manager; 404 / 403 otherwise.
-- Shared checks of the transition functions below.
create function app.order_guard(p_found boolean, p_kind text) returns void
language plpgsql set search_path = '' as $$
begin
  if not p_found then
    perform app.raise_error(404, p_kind || '_not_found',
      case p_kind when 'sales_order' then 'Commande client introuvable.'
        else 'Commande fournisseur introuvable.' end);
  end if;
  if not app.has_current_role('manager') then
    perform app.raise_error(403, 'insufficient_role',
      'Action réservée au rôle manager ou supérieur.');
  end if;
end
$$;

-- 409 invalid_transition unless `p_status` is one of `p_allowed`.
create function app.order_transition(p_status text, p_allowed text[], p_action text)
returns void
language plpgsql set search_path = '' as $$
begin
  if not p_status = any(p_allowed) then
    perform app.raise_error(409, 'invalid_transition',
      format('Action « %s » impossible : la commande est « %s ».', p_action, p_status),
      jsonb_build_object('status', p_status, 'action', p_action, 'allowed_from', p_allowed));
  end if;
end
$$;

-- Checks a delivery or receipt request (a JSON array of {line_id, quantity}) against the
-- order's lines: unknown line 404, line named twice 422, more than what remains 409.
create function app.check_order_request(p_lines jsonb, p_known jsonb) returns void
language plpgsql set search_path = '' as $$
declare
  v_problems jsonb;
begin
  with r as (
    select x.line_id, x.quantity, x.ord,
      count(*) over (partition by x.line_id) as times
    from rows from (jsonb_to_recordset(p_lines) as (line_id uuid, quantity integer))
      with ordinality as x(line_id, quantity, ord)
  ), problems as (
    select r.ord, 404 as status, 'line_not_found' as code,
      'Ligne introuvable dans cette commande.' as message, r.line_id, null::bigint as remaining
    from r where not p_known ? r.line_id::text
    union all
    select r.ord, 422, 'duplicate_line', 'Cette ligne figure deux fois dans la demande.',
      r.line_id, null
    from r where r.times > 1 and p_known ? r.line_id::text
    union all
    select r.ord, 409, 'quantity_exceeds_remaining',
      format('Quantité demandée %s, reste %s sur cette ligne.', r.quantity,
        (p_known ->> r.line_id::text)::bigint),
      r.line_id, (p_known ->> r.line_id::text)::bigint
    from r where p_known ? r.line_id::text and r.quantity > (p_known ->> r.line_id::text)::bigint
  )
  select jsonb_agg(jsonb_build_object('position', ord, 'status', status, 'code', code,
      'message', message, 'line_id', line_id, 'remaining', remaining) order by status, ord)
  into v_problems from problems;
  if v_problems is not null then
    perform app.raise_movement_problems(v_problems);
  end if;
end
$$;

-- Re-raises a ledger refusal (insufficient stock, archived product…) with the request's
-- line ids: the ledger names rows by position, and rows are inserted in request order.
create function app.raise_for_lines(p_lines jsonb, p_code text, p_hint text, p_detail text)
returns void
language plpgsql set search_path = '' as $$
begin
  perform app.raise_error(409, p_code, p_hint, (
    select jsonb_agg(d || jsonb_build_object('line_id',
      p_lines -> ((d ->> 'position')::int - 1) ->> 'line_id'))
    from jsonb_array_elements(coalesce(p_detail, '[]')::jsonb) d));
end
$$;

create function public.confirm_sales_order(p_order_id uuid) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_order public.sales_orders;
begin
  select * into v_order from public.sales_orders o
  where o.id = p_order_id and o.tenant_id = app.current_tenant_id() for update;
  perform app.order_guard(found, 'sales_order');
  perform app.order_transition(v_order.status::text, array['draft'], 'confirm');
  if not exists (select 1 from public.sales_order_lines l
      where l.tenant_id = v_order.tenant_id and l.order_id = v_order.id) then
    perform app.raise_error(422, 'order_empty', 'La commande n''a aucune ligne.');
  end if;
  update public.sales_orders set status = 'confirmed', confirmed_at = now(), updated_at = now()
  where id = v_order.id;
end
$$;

-- Delivers part or all of a confirmed order: one `sale` movement per requested line at
-- the order's location, in one ledger statement (all or nothing), then the delivered
-- quantities and the status (partially_delivered, or delivered once every line is).
create function public.deliver_sales_order(p_order_id uuid, p_lines jsonb,
  p_occurred_at timestamptz default null) returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_order public.sales_orders;
  v_known jsonb;
  v_code text;
  v_hint text;
  v_detail text;
begin
  select * into v_order from public.sales_orders o
  where o.id = p_order_id and o.tenant_id = app.current_tenant_id() for update;
  perform app.order_guard(found, 'sales_order');
  perform app.order_transition(v_order.status::text, array['confirmed', 'partially_delivered'],
    'deliver');
  select jsonb_object_agg(l.id, l.quantity_ordered - l.quantity_delivered) into v_known
  from public.sales_order_lines l where l.tenant_id = v_order.tenant_id and l.order_id = v_order.id;
  perform app.check_order_request(p_lines, v_known);
  begin
    insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity,
      reference, occurred_at)
    select v_order.tenant_id, l.product_id, v_order.location_id, 'sale', -r.quantity,
      left(coalesce('Commande ' || v_order.reference, 'Commande client ' || v_order.id), 120),
      coalesce(p_occurred_at, now())
    from rows from (jsonb_to_recordset(p_lines) as (line_id uuid, quantity integer))
      with ordinality as r(line_id, quantity, ord)
    join public.sales_order_lines l on l.tenant_id = v_order.tenant_id and l.id = r.line_id
    order by r.ord;
  exception when sqlstate 'DG409' then
    get stacked diagnostics v_code = message_text, v_hint = pg_exception_hint,
      v_detail = pg_exception_detail;
    perform app.raise_for_lines(p_lines, v_code, v_hint, v_detail);
  end;
  update public.sales_order_lines l set quantity_delivered = l.quantity_delivered + r.quantity,
    updated_at = now()
  from jsonb_to_recordset(p_lines) as r(line_id uuid, quantity integer)
  where l.tenant_id = v_order.tenant_id and l.id = r.line_id;
  update public.sales_orders o set
    status = case when exists (select 1 from public.sales_order_lines l
        where l.tenant_id = o.tenant_id and l.order_id = o.id
          and l.quantity_delivered < l.quantity_ordered)
      then 'partially_delivered'::public.sales_order_status else 'delivered' end,
    delivered_at = coalesce(p_occurred_at, now()),
    updated_at = now()
  where o.id = v_order.id;
end
$$;

-- Cancels an order that is not closed. Writes no movement: stock is never reserved, and
-- what was delivered stays delivered. `p_by` says who cancelled (for the service rate).
create function public.cancel_sales_order(p_order_id uuid, p_by public.cancelled_by)
returns void
language plpgsql security definer set search_path = '' as $$
declare
  v_order public.sales_orders;
begin
  select * into v_order from public.sales_orders o
  where o.id = p_order_id and o.tenant_id = app.current_tenant_id() for update;
  perform app.order_guard(found, 'sales_order');
  perform app.order_transition(v_order.status::text,
    array['draft', 'confirmed', 'partially_delivered'], 'cancel');
  update public.sales_orders set status = 'cancelled', cancelled_at = now(),
    cancelled_by = p_by, updated_at = now()
  where id = v_order.id;
end
$$;

-- Service rate (fill rate) of the caller's tenant over the order days [p_from, p_to],
-- by product or by day. Counted: closed orders only — delivered, and cancelled by the
-- shop (closed short: ordered in full, delivered as delivered). Orders cancelled by the
-- customer count only what was delivered before (ordered = delivered). Drafts and open
-- orders are left out until they close. The day is the order date in the tenant's zone.
create function public.service_rate(p_from date, p_to date, p_group_by text default 'product')
returns table (product_id uuid, day date, lines bigint, quantity_ordered bigint,
  quantity_delivered bigint, fill_rate numeric)
language sql stable security invoker set search_path = '' as $$
  with counted as (
    select l.product_id,
      (o.ordered_at at time zone t.timezone)::date as day,
      case when o.cancelled_by = 'customer' then l.quantity_delivered
        else l.quantity_ordered end as ordered,
      l.quantity_delivered as delivered
    from public.sales_orders o
    join public.tenants t on t.id = o.tenant_id
    join public.sales_order_lines l on l.tenant_id = o.tenant_id and l.order_id = o.id
    where o.tenant_id = (select app.current_tenant_id())
      and (o.status = 'delivered' or o.status = 'cancelled')
      and o.ordered_at >= (p_from::timestamp at time zone t.timezone)
      and o.ordered_at < ((p_to + 1)::timestamp at time zone t.timezone)
  )
  select case when p_group_by = 'product' then c.product_id end,
    case when p_group_by = 'day' then c.day end,
    count(*) filter (where c.ordered > 0), sum(c.ordered)::bigint, sum(c.delivered)::bigint,
    round(sum(c.delivered)::numeric / nullif(sum(c.ordered), 0), 4)
  from counted c
  group by 1, 2
  having sum(c.ordered) > 0
  order by 1, 2
$$;

-- ===========================================================================
-- Policies: members read; managers and owners write (statuses only through functions).
-- ===========================================================================
create policy sales_orders_select on public.sales_orders for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));
create policy sales_orders_insert on public.sales_orders for insert to authenticated
  with check (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));

create policy sales_order_lines_select on public.sales_order_lines for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));
create policy sales_order_lines_insert on public.sales_order_lines for insert to authenticated
  with check (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));
create policy sales_order_lines_update on public.sales_order_lines for update to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')))
  with check (tenant_id = (select app.current_tenant_id()));

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on public.sales_orders, public.sales_order_lines from anon, authenticated;
-- A client may choose an order's id (a uuid generated on the device, as supabase-js allows).
grant select, insert (id, tenant_id, location_id, customer_name, reference, note, ordered_at)
  on public.sales_orders to authenticated;
grant select, insert (tenant_id, order_id, product_id, quantity_ordered, unit_price_xof),
  update (quantity_ordered, unit_price_xof) on public.sales_order_lines to authenticated;
-- The service role reads everything and may correct headers and lines.
grant select, insert, update on public.sales_orders, public.sales_order_lines to service_role;

revoke all on function app.order_guard(boolean, text),
  app.order_transition(text, text[], text), app.check_order_request(jsonb, jsonb),
  app.raise_for_lines(jsonb, text, text, text),
  public.confirm_sales_order(uuid), public.deliver_sales_order(uuid, jsonb, timestamptz),
  public.cancel_sales_order(uuid, public.cancelled_by), public.service_rate(date, date, text)
  from public, anon;
grant execute on function app.order_guard(boolean, text), app.order_transition(text, text[], text),
  app.check_order_request(jsonb, jsonb), app.raise_for_lines(jsonb, text, text, text),
  public.confirm_sales_order(uuid), public.deliver_sales_order(uuid, jsonb, timestamptz),
  public.cancel_sales_order(uuid, public.cancelled_by), public.service_rate(date, date, text)
  to authenticated;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on type public.sales_order_status is
  'Sales order life: draft → confirmed → partially_delivered → delivered; cancelled from any state before delivered.';
comment on type public.cancelled_by is
  'Who cancelled a sales order: the customer (withdrawn demand, out of the service rate) or the shop (closed short, counted as not delivered).';

comment on table public.sales_orders is
  'Customer orders. Lines are edited while draft; confirm, deliver (sale movements through the ledger) and cancel go through SQL functions.';
comment on column public.sales_orders.id is 'Order identifier.';
comment on column public.sales_orders.tenant_id is 'Owning tenant.';
comment on column public.sales_orders.location_id is 'Location the goods leave from (same tenant).';
comment on column public.sales_orders.customer_name is 'Customer name (free text).';
comment on column public.sales_orders.reference is 'External reference (order number, invoice).';
comment on column public.sales_orders.note is 'Free note.';
comment on column public.sales_orders.status is 'Where the order is in its life (sales_order_status).';
comment on column public.sales_orders.ordered_at is 'When the customer ordered; its date in the tenant''s time zone is the service rate''s day.';
comment on column public.sales_orders.confirmed_at is 'When the order was confirmed.';
comment on column public.sales_orders.delivered_at is 'When the latest delivery happened.';
comment on column public.sales_orders.cancelled_at is 'When the order was cancelled.';
comment on column public.sales_orders.cancelled_by is 'Who cancelled it (customer or shop); set exactly when cancelled.';
comment on column public.sales_orders.created_by is 'User who created it.';
comment on column public.sales_orders.created_at is 'When it was created.';
comment on column public.sales_orders.updated_at is 'When it last changed.';

comment on table public.sales_order_lines is
  'Lines of a sales order: one per product, quantity ordered vs quantity delivered.';
comment on column public.sales_order_lines.id is 'Line identifier.';
comment on column public.sales_order_lines.line_no is 'Increasing in insertion order: lines are listed in the order they were added.';
comment on column public.sales_order_lines.tenant_id is 'Owning tenant.';
comment on column public.sales_order_lines.order_id is 'Sales order (same tenant).';
comment on column public.sales_order_lines.product_id is 'Product ordered (same tenant; once per order).';
comment on column public.sales_order_lines.quantity_ordered is 'Quantity the customer ordered.';
comment on column public.sales_order_lines.quantity_delivered is 'Quantity delivered so far (sale movements written), never above ordered.';
comment on column public.sales_order_lines.unit_price_xof is 'Agreed unit price in XOF (optional).';
comment on column public.sales_order_lines.created_at is 'When the line was added.';
comment on column public.sales_order_lines.updated_at is 'When the line last changed.';

comment on function app.order_guard(boolean, text) is
  'Raises 404 when the order was not found in the caller''s tenant, 403 below the manager role.';
comment on function app.order_transition(text, text[], text) is
  'Raises 409 invalid_transition unless the order''s status allows the action.';
comment on function app.check_order_request(jsonb, jsonb) is
  'Checks a delivery or receipt request against the order''s remaining quantities per line (404, 422, 409 per line).';
comment on function app.raise_for_lines(jsonb, text, text, text) is
  'Re-raises a ledger refusal with the line_id of each refused row.';
comment on function public.confirm_sales_order(uuid) is
  'Confirms a draft sales order that has lines.';
comment on function public.deliver_sales_order(uuid, jsonb, timestamptz) is
  'Delivers [{line_id, quantity}] of a confirmed order: sale movements through the ledger (all or nothing), delivered quantities, status.';
comment on function public.cancel_sales_order(uuid, public.cancelled_by) is
  'Cancels a sales order not yet delivered; writes no movement (delivered quantities stay delivered).';
comment on function public.service_rate(date, date, text) is
  'Fill rate (delivered ÷ ordered) of closed sales orders by product or by order day (tenant time zone); customer cancellations count only what was delivered.';
