-- Stock ledger: the append-only movements, and the stock levels and weighted average
-- costs the database keeps from them in the same transaction. Adjustments and stock
-- counts also go to the audit log. (The stored results of idempotent API requests are
-- in 20261125170100_idempotency.sql.)
--
-- Every stock change is one insert into public.stock_movements (any number of rows per
-- statement). A statement-level trigger reads the inserted rows as a transition table
-- and, set-based: checks the rules that span rows (transfer legs, stock counts, archived
-- products and locations), adds the net quantity per product × location to
-- public.stock_levels with one `insert … on conflict do update` in a fixed lock order,
-- refuses a level left below zero unless the tenant allows it, and folds receipts into
-- the weighted average cost of public.product_costs. Concurrent writers serialise on the
-- level rows they share and on nothing else.
--
-- Sections: types · tables · indexes · functions · triggers · policies · grants · admin ·
-- comments.

-- ===========================================================================
-- Types
-- ===========================================================================
create type public.movement_kind as enum (
  'receipt', 'sale', 'adjustment', 'transfer_out', 'transfer_in', 'return', 'count'
);

-- ===========================================================================
-- Tables
-- ===========================================================================
create table public.stock_movements (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  product_id uuid not null,
  location_id uuid not null,
  kind public.movement_kind not null,
  quantity integer not null check (quantity between -1000000000 and 1000000000),
  counted_quantity integer check (counted_quantity between 0 and 1000000000),
  unit_cost_xof bigint check (unit_cost_xof between 0 and 1000000000000),
  transfer_id uuid,
  reason text check (char_length(btrim(reason)) between 1 and 200),
  reference text check (char_length(btrim(reference)) between 1 and 120),
  note text check (char_length(note) <= 1000),
  idempotency_key text check (char_length(idempotency_key) between 1 and 255),
  occurred_at timestamptz not null default now()
    check (occurred_at >= timestamptz '2000-01-01 00:00:00+00'),
  -- No foreign key: a user deleted later stays the author of what they recorded (an
  -- `on delete set null` would have to rewrite history).
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  constraint stock_movements_quantity_sign check (case kind
    when 'receipt' then quantity > 0
    when 'return' then quantity > 0
    when 'transfer_in' then quantity > 0
    when 'sale' then quantity < 0
    when 'transfer_out' then quantity < 0
    when 'adjustment' then quantity <> 0
    else true end),
  constraint stock_movements_unit_cost check ((kind = 'receipt') = (unit_cost_xof is not null)),
  constraint stock_movements_counted check ((kind = 'count') = (counted_quantity is not null)),
  constraint stock_movements_transfer
    check ((kind in ('transfer_out', 'transfer_in')) = (transfer_id is not null)),
  constraint stock_movements_reason check (kind <> 'adjustment' or reason is not null),
  -- Same-tenant references: a movement never points at another tenant's rows.
  constraint stock_movements_product_fkey foreign key (tenant_id, product_id)
    references public.products (tenant_id, id),
  constraint stock_movements_location_fkey foreign key (tenant_id, location_id)
    references public.locations (tenant_id, id)
);

-- No `check (quantity >= 0)`: a check is tested on the row `insert … on conflict do
-- update` proposes before the conflict is seen, so a sale would fail on its negative
-- delta; and negative stock is legal where the tenant allows it. The trigger enforces it.
create table public.stock_levels (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  product_id uuid not null,
  location_id uuid not null,
  quantity bigint not null default 0,
  last_movement_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, product_id, location_id),
  constraint stock_levels_product_fkey foreign key (tenant_id, product_id)
    references public.products (tenant_id, id),
  constraint stock_levels_location_fkey foreign key (tenant_id, location_id)
    references public.locations (tenant_id, id)
);

create table public.product_costs (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  product_id uuid not null,
  average_unit_cost_xof numeric(20, 4) check (average_unit_cost_xof >= 0),
  last_unit_cost_xof bigint check (last_unit_cost_xof >= 0),
  last_receipt_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (tenant_id, product_id),
  constraint product_costs_product_fkey foreign key (tenant_id, product_id)
    references public.products (tenant_id, id)
);

alter table public.stock_movements enable row level security;
alter table public.stock_levels enable row level security;
alter table public.product_costs enable row level security;

-- ===========================================================================
-- Indexes (every one leads with tenant_id)
-- ===========================================================================
-- A product's ledger in order (and the foreign-key check of a product's hard delete).
create index stock_movements_tenant_product_idx
  on public.stock_movements (tenant_id, product_id, occurred_at, id);
-- A location's movements over time (and the foreign-key check of a location's hard delete).
create index stock_movements_tenant_location_idx
  on public.stock_movements (tenant_id, location_id, occurred_at);
create unique index stock_movements_tenant_idempotency_key_key
  on public.stock_movements (tenant_id, idempotency_key) where idempotency_key is not null;
-- One out leg and one in leg per product of a transfer.
create unique index stock_movements_transfer_leg_key
  on public.stock_movements (tenant_id, transfer_id, product_id, kind) where transfer_id is not null;

create index stock_levels_tenant_location_idx
  on public.stock_levels (tenant_id, location_id, product_id);

-- ===========================================================================
-- Functions
-- ===========================================================================

-- app.raise_error with structured details: a JSON value carried in the error's DETAIL,
-- which the API returns as `details`.
create function app.raise_error(status integer, code text, message text, details jsonb)
returns void
language plpgsql set search_path = '' as $$
begin
  raise exception using
    errcode = 'DG' || lpad(status::text, 3, '0'),
    message = code,
    hint = message,
    detail = details::text;
end
$$;

-- Raises the problems found in a statement's movements (a JSON array of objects with
-- position, code, status, message…) as one error: status and code of the first problem,
-- every problem in the details.
create function app.raise_movement_problems(problems jsonb) returns void
language plpgsql set search_path = '' as $$
declare
  v_first jsonb := problems -> 0;
  v_count integer := jsonb_array_length(problems);
begin
  perform app.raise_error(
    (v_first ->> 'status')::integer,
    v_first ->> 'code',
    case when v_count = 1 then v_first ->> 'message'
      else format('%s mouvements refusés. %s', v_count, v_first ->> 'message') end,
    (select jsonb_agg(p - 'status') from jsonb_array_elements(problems) p));
end
$$;

-- Before each stock count row: locks the product's level at the location (creating it
-- at 0) and stores the difference between the counted quantity and that level as the
-- movement's quantity, so the level becomes exactly the counted quantity.
create function app.stock_count_difference() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_level bigint;
begin
  if current_setting('role', true) = 'authenticated'
    and (new.tenant_id is distinct from app.current_tenant_id()
      or not app.has_current_role('manager')) then
    -- Row-level security refuses this row next; nothing is read or locked for it.
    return new;
  end if;
  insert into public.stock_levels (tenant_id, product_id, location_id)
  values (new.tenant_id, new.product_id, new.location_id)
  on conflict do nothing;
  select l.quantity into v_level
  from public.stock_levels l
  where l.tenant_id = new.tenant_id and l.product_id = new.product_id
    and l.location_id = new.location_id
  for update;
  new.quantity := new.counted_quantity - v_level;
  return new;
end
$$;

-- After each insert statement into stock_movements (`new_movements` is the transition
-- table): rules over the statement, stock levels, negative stock, weighted average cost.
-- A problem's `position` is the row's rank in the statement (the order it was inserted).
create function app.apply_stock_movements() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  v_problems jsonb;
  v_negative jsonb;
begin
  -- 1. Rules that span rows or read other tables. The cheap test keeps the common
  --    statement (receipts, sales… of live products and locations) off the slow path.
  if exists (
      select 1 from (select distinct tenant_id, product_id from new_movements) d
      join public.products p on p.tenant_id = d.tenant_id and p.id = d.product_id
      where p.archived_at is not null)
    or exists (
      select 1 from (select distinct tenant_id, location_id from new_movements) d
      join public.locations l on l.tenant_id = d.tenant_id and l.id = d.location_id
      where l.archived_at is not null)
    or exists (
      select 1 from new_movements n
      where n.kind in ('count', 'transfer_out', 'transfer_in')
        or n.occurred_at > now() + interval '1 day')
  then
    with m as (
      select n.*, row_number() over (order by n.id) as position,
        count(*) over (partition by n.tenant_id, n.product_id, n.location_id) as pair_rows
      from new_movements n
    ), unbalanced as (
      select m.tenant_id, m.transfer_id, m.product_id
      from m where m.transfer_id is not null
      group by 1, 2, 3
      having count(*) filter (where m.kind = 'transfer_out') <> 1
        or count(*) filter (where m.kind = 'transfer_in') <> 1
        or sum(m.quantity) <> 0
        or count(distinct m.location_id) <> 2
    ), problems as (
      select m.position, 409 as status, 'product_archived' as code,
        format('Le produit « %s » (%s) est archivé : restaurez-le avant d''enregistrer un mouvement.',
          p.name, p.sku) as message,
        m.product_id, m.location_id
      from m join public.products p on p.tenant_id = m.tenant_id and p.id = m.product_id
      where p.archived_at is not null
      union all
      select m.position, 409, 'location_archived',
        format('L''emplacement « %s » est archivé : restaurez-le avant d''y enregistrer un mouvement.',
          l.name),
        m.product_id, m.location_id
      from m join public.locations l on l.tenant_id = m.tenant_id and l.id = m.location_id
      where l.archived_at is not null
      union all
      select m.position, 422, 'occurred_at_in_future',
        'La date du mouvement est plus d''un jour dans le futur.', m.product_id, m.location_id
      from m where m.occurred_at > now() + interval '1 day'
      union all
      select m.position, 422, 'count_not_alone',
        'Un inventaire doit être le seul mouvement de ce produit à cet emplacement dans la même '
          || 'opération.',
        m.product_id, m.location_id
      from m where m.kind = 'count' and m.pair_rows > 1
      union all
      select m.position, 422, 'transfer_unbalanced',
        'Un transfert a exactement une sortie et une entrée de même quantité, pour le même produit, '
          || 'entre deux emplacements différents.',
        m.product_id, m.location_id
      from m join unbalanced u
        on u.tenant_id = m.tenant_id and u.transfer_id = m.transfer_id and u.product_id = m.product_id
    )
    select jsonb_agg(jsonb_build_object('position', position, 'status', status, 'code', code,
        'message', message, 'product_id', product_id, 'location_id', location_id)
      order by position, code)
    into v_problems
    from problems;
    if v_problems is not null then
      perform app.raise_movement_problems(v_problems);
    end if;
  end if;

  -- 2. Stock levels: the net quantity per product × location, added in one upsert. Rows
  --    are locked in (tenant, product, location) order, so concurrent statements that
  --    share levels wait for each other instead of deadlocking.
  with delta as (
    select n.tenant_id, n.product_id, n.location_id, sum(n.quantity) as quantity,
      max(n.occurred_at) as last_movement_at
    from new_movements n
    group by 1, 2, 3
  ), applied as (
    insert into public.stock_levels as l
      (tenant_id, product_id, location_id, quantity, last_movement_at)
    select d.tenant_id, d.product_id, d.location_id, d.quantity, d.last_movement_at
    from delta d
    order by d.tenant_id, d.product_id, d.location_id
    on conflict (tenant_id, product_id, location_id) do update
      set quantity = l.quantity + excluded.quantity,
        last_movement_at = greatest(l.last_movement_at, excluded.last_movement_at),
        updated_at = now()
    returning l.tenant_id, l.product_id, l.location_id, l.quantity
  )
  select jsonb_agg(jsonb_build_object('tenant_id', a.tenant_id, 'product_id', a.product_id,
      'location_id', a.location_id, 'quantity', a.quantity, 'delta', d.quantity))
  into v_negative
  from applied a
  join delta d using (tenant_id, product_id, location_id)
  where a.quantity < 0 and d.quantity < 0;

  -- 3. Negative stock: refused where the statement took stock away and left the level
  --    below zero, unless the tenant's settings allow it. Each refusal names the last
  --    outgoing movement that left the level negative.
  if v_negative is not null then
    with neg as (
      select x.*
      from jsonb_to_recordset(v_negative)
        as x(tenant_id uuid, product_id uuid, location_id uuid, quantity bigint, delta bigint)
      join public.tenants t on t.id = x.tenant_id
      where coalesce(t.settings ->> 'allow_negative_stock', 'false') <> 'true'
    ), m as (
      select n.id, n.tenant_id, n.product_id, n.location_id, n.quantity,
        row_number() over (order by n.id) as position
      from new_movements n
    ), running as (
      select m.*, neg.quantity - neg.delta as available, -neg.delta as requested,
        neg.quantity - neg.delta + sum(m.quantity) over (
          partition by m.tenant_id, m.product_id, m.location_id order by m.id) as balance
      from m join neg using (tenant_id, product_id, location_id)
    ), culprit as (
      select distinct on (r.tenant_id, r.product_id, r.location_id) r.*
      from running r
      where r.quantity < 0 and r.balance < 0
      order by r.tenant_id, r.product_id, r.location_id, r.id desc
    )
    select jsonb_agg(jsonb_build_object('position', c.position, 'status', 409,
        'code', 'insufficient_stock',
        'message', format('Stock insuffisant pour « %s » (%s) à « %s » : disponible %s, demandé %s.',
          p.name, p.sku, l.name, c.available, c.requested),
        'product_id', c.product_id, 'location_id', c.location_id,
        'available', c.available, 'requested', c.requested)
      order by c.position)
    into v_problems
    from culprit c
    join public.products p on p.tenant_id = c.tenant_id and p.id = c.product_id
    join public.locations l on l.tenant_id = c.tenant_id and l.id = c.location_id;
    if v_problems is not null then
      perform app.raise_movement_problems(v_problems);
    end if;
  end if;

  -- 4. Weighted average unit cost per product, on receipts. The cost rows are created if
  --    missing, then locked, before the stock on hand is read: a concurrent receipt of
  --    the same product waits here, and each of these statements reads the committed
  --    state it needs (read committed takes a new snapshot per statement).
  if exists (select 1 from new_movements n where n.kind = 'receipt') then
    insert into public.product_costs (tenant_id, product_id)
    select distinct n.tenant_id, n.product_id from new_movements n where n.kind = 'receipt'
    order by 1, 2
    on conflict do nothing;
    perform 1 from public.product_costs c
    where (c.tenant_id, c.product_id) in (
      select n.tenant_id, n.product_id from new_movements n where n.kind = 'receipt')
    order by c.tenant_id, c.product_id
    for update;
    -- One pass over the statement per product, then one index lookup of its levels:
    -- the transition table has no statistics, so joins on it are kept out of the way.
    with receipts as (
      select n.tenant_id, n.product_id,
        sum(n.quantity) as statement_delta,
        sum(n.quantity) filter (where n.kind = 'receipt')::numeric as quantity,
        sum(n.quantity::numeric * n.unit_cost_xof) filter (where n.kind = 'receipt') as value,
        (array_agg(n.unit_cost_xof order by n.id desc) filter (where n.kind = 'receipt'))[1]
          as last_cost,
        max(n.occurred_at) filter (where n.kind = 'receipt') as last_at
      from new_movements n
      group by 1, 2
      having count(*) filter (where n.kind = 'receipt') > 0
    ), before as (
      select r.*, (
          select sum(l.quantity) from public.stock_levels l
          where l.tenant_id = r.tenant_id and l.product_id = r.product_id
        ) - r.statement_delta as on_hand
      from receipts r
    )
    update public.product_costs c
    set average_unit_cost_xof = case
        when c.average_unit_cost_xof is null or b.on_hand <= 0 then b.value / b.quantity
        else (b.on_hand * c.average_unit_cost_xof + b.value) / (b.on_hand + b.quantity)
      end,
      last_unit_cost_xof = b.last_cost,
      last_receipt_at = greatest(c.last_receipt_at, b.last_at),
      updated_at = now()
    from before b
    where c.tenant_id = b.tenant_id and c.product_id = b.product_id;
  end if;
  return null;
end
$$;

-- Movements are never changed: a mistake is corrected by a new movement. Deleting a
-- tenant deletes its ledger (the cascade runs after the tenant row is gone); nothing
-- else may delete a movement, the service role and the table owner included.
create function app.stock_movements_append_only() returns trigger
language plpgsql set search_path = '' as $$
begin
  if tg_op = 'DELETE' then
    -- (Nested: `old_movements` exists only in the delete trigger.)
    if not exists (select 1 from old_movements o join public.tenants t on t.id = o.tenant_id) then
      return null;
    end if;
  end if;
  perform app.raise_error(409, 'movement_immutable',
    'Un mouvement de stock ne se modifie ni ne se supprime : enregistrez un mouvement '
    || 'correctif (ajustement).');
  return null;
end
$$;

-- ===========================================================================
-- Triggers
-- ===========================================================================
create trigger stock_movements_count_difference
  before insert on public.stock_movements
  for each row when (new.kind = 'count')
  execute function app.stock_count_difference();

create trigger stock_movements_apply
  after insert on public.stock_movements
  referencing new table as new_movements
  for each statement execute function app.apply_stock_movements();

-- Manual corrections (adjustments, stock counts) are recorded in the audit log too.
create trigger stock_movements_audit
  after insert on public.stock_movements
  for each row when (new.kind in ('adjustment', 'count'))
  execute function app.audit_row('id');

create trigger stock_movements_no_update
  before update or truncate on public.stock_movements
  for each statement execute function app.stock_movements_append_only();

create trigger stock_movements_no_delete
  after delete on public.stock_movements
  referencing old table as old_movements
  for each statement execute function app.stock_movements_append_only();

-- ===========================================================================
-- Policies: members read; managers and owners write; nobody crosses tenants.
-- Movements: insert only (no update or delete policy). Levels and costs: written by the
-- ledger trigger alone (no write policy).
-- ===========================================================================
create policy stock_movements_select on public.stock_movements for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));
create policy stock_movements_insert on public.stock_movements for insert to authenticated
  with check (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));

create policy stock_levels_select on public.stock_levels for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));

create policy product_costs_select on public.product_costs for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on public.stock_movements, public.stock_levels, public.product_costs
  from anon, authenticated;
-- Only what a caller may choose: never id, created_by or created_at.
grant select, insert (tenant_id, product_id, location_id, kind, quantity, counted_quantity,
  unit_cost_xof, transfer_id, reason, reference, note, idempotency_key, occurred_at)
  on public.stock_movements to authenticated;
grant select on public.stock_levels, public.product_costs to authenticated;

-- The service role records movements too, but rewrites neither them nor what they derive.
grant select, insert on public.stock_movements to service_role;
grant select on public.stock_levels, public.product_costs to service_role;

revoke all on function app.raise_error(integer, text, text, jsonb),
  app.raise_movement_problems(jsonb), app.stock_count_difference(),
  app.apply_stock_movements(), app.stock_movements_append_only() from public;
grant execute on function app.raise_error(integer, text, text, jsonb)
  to authenticated, service_role;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on type public.movement_kind is
  'Kind of stock movement: receipt (+), sale (−), adjustment (±, with a reason), transfer_out (−) and transfer_in (+) legs, return (+), count (the difference to the counted quantity).';

comment on table public.stock_movements is
  'The stock ledger: every change of stock, append-only (never updated or deleted). Stock levels and average costs are derived from it by trigger in the same transaction.';
comment on column public.stock_movements.id is
  'Movement identifier, increasing in insertion order (ties of occurred_at are ordered by it).';
comment on column public.stock_movements.tenant_id is 'Owning tenant.';
comment on column public.stock_movements.product_id is 'Product moved (same tenant).';
comment on column public.stock_movements.location_id is 'Location whose stock changes (same tenant).';
comment on column public.stock_movements.kind is 'What happened (movement_kind); it fixes the sign of quantity.';
comment on column public.stock_movements.quantity is
  'Signed change of stock in the product unit: positive in, negative out. For a count, set by the database to counted_quantity minus the level before it.';
comment on column public.stock_movements.counted_quantity is
  'Stock counts only: the quantity found on the shelf (the level becomes exactly this).';
comment on column public.stock_movements.unit_cost_xof is
  'Receipts only (required there): purchase cost per unit in XOF, folded into the weighted average cost.';
comment on column public.stock_movements.transfer_id is
  'Transfers only: links the transfer_out and transfer_in legs, written in the same statement.';
comment on column public.stock_movements.reason is
  'Why the stock changed (required for adjustments: casse, vol, péremption…).';
comment on column public.stock_movements.reference is
  'External reference (invoice, delivery note, receipt number).';
comment on column public.stock_movements.note is 'Free note.';
comment on column public.stock_movements.idempotency_key is
  'Optional client key of this movement, unique per tenant: the same movement sent twice is refused.';
comment on column public.stock_movements.occurred_at is
  'When the movement happened (defaults to when it was recorded; at most one day ahead).';
comment on column public.stock_movements.created_by is
  'User who recorded it (auth.uid(); kept even if the user is deleted later).';
comment on column public.stock_movements.created_at is 'When it was recorded.';

comment on table public.stock_levels is
  'Stock per product and location, maintained by the ledger trigger in the same transaction as the movements. Never below zero unless tenants.settings.allow_negative_stock is true. A pair with no row has never moved (stock 0).';
comment on column public.stock_levels.tenant_id is 'Owning tenant.';
comment on column public.stock_levels.product_id is 'Product (same tenant).';
comment on column public.stock_levels.location_id is 'Location (same tenant).';
comment on column public.stock_levels.quantity is 'Quantity on hand: the sum of the pair''s movements.';
comment on column public.stock_levels.last_movement_at is 'Latest occurred_at among the pair''s movements.';
comment on column public.stock_levels.updated_at is 'When a movement last changed this level.';

comment on table public.product_costs is
  'Weighted average unit cost per product (all locations), updated by the ledger trigger on every receipt.';
comment on column public.product_costs.tenant_id is 'Owning tenant.';
comment on column public.product_costs.product_id is 'Product (same tenant).';
comment on column public.product_costs.average_unit_cost_xof is
  'Weighted average unit cost in XOF: (stock on hand × previous average + received quantity × cost) ÷ (stock on hand + received quantity); the receipt cost when nothing was on hand. Null only inside the transaction creating the row.';
comment on column public.product_costs.last_unit_cost_xof is 'Unit cost of the latest receipt.';
comment on column public.product_costs.last_receipt_at is 'Latest occurred_at among the receipts.';
comment on column public.product_costs.updated_at is 'When a receipt last changed the cost.';
comment on function app.raise_error(integer, text, text, jsonb) is
  'Raises an application error: SQLSTATE DG<status>, message = stable code, hint = French text, detail = JSON details.';
comment on function app.raise_movement_problems(jsonb) is
  'Raises the problems of a movement statement as one error (status and code of the first, all in the details).';
comment on function app.stock_count_difference() is
  'Trigger (before each count row): locks the level and stores counted_quantity minus it as the quantity.';
comment on function app.apply_stock_movements() is
  'Trigger (after each insert statement): checks transfers, counts and archived rows, updates stock levels, refuses negative stock unless allowed, updates weighted average costs.';
comment on function app.stock_movements_append_only() is
  'Trigger: refuses any update, truncate or delete of movements, except the cascade of a tenant deletion.';
