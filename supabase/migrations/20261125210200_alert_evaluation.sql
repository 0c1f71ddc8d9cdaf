-- The alert evaluation: one set-based pass over every tenant, run every 5 minutes by
-- the `alerts-evaluate` job (see 20261125200000_jobs.sql and shared/alerts/job.ts).
--
-- Steps, each one statement (under read committed each sees what committed before it):
--  1. scope: claim the products queued in alert_dirty_products (or every product on a
--     full run). Claiming deletes the queue rows; a writer that queued a product holds
--     its queue row until it commits, so the claim waits for it and step 2 sees its stock.
--  2. conditions: stock types (stock_out, low_stock) for the scope, then their demand
--     (days of cover, suggested quantity) for the rows in a condition only; the
--     time-based types (fill_rate_drop, predicted_stock_out) for every tenant, on a full
--     run and otherwise at most once an hour (their windows are days long); each with the
--     effective rule (product rule, else category rule, else tenant rule, else the type's
--     defaults).
--  3. insert on conflict with the one-open-alert index: a new row is a new alert (the
--     only thing notified); an existing one is rewritten only when its facts changed, or
--     to move last_seen_at once an hour.
--  4. resolve open alerts whose condition is gone (stock types: within the scope;
--     time-based types: when they were evaluated).
--  5. history rows, and one outbox message per recipient with every alert of this run
--     that concerns them (a digest, not ten messages).
-- The scratch tables are analyzed once filled: without statistics the planner picks
-- nested loops over them (measured by `deno task bench:alerts`).
--
-- Sections: state · indexes · functions · grants · comments.

-- ===========================================================================
-- State
-- ===========================================================================
-- When the time-based types were last evaluated (one row).
create table app.alert_evaluation_state (
  singleton boolean primary key default true check (singleton),
  time_based_at timestamptz
);
insert into app.alert_evaluation_state default values;
alter table app.alert_evaluation_state enable row level security;

-- ===========================================================================
-- Indexes
-- ===========================================================================
-- Open alerts of a product (resolving within the scope), without the resolved history.
create index alerts_open_product_idx on public.alerts (tenant_id, product_id)
  where status <> 'resolved';
-- Open alerts of a type across tenants (resolving the time-based types).
create index alerts_open_type_idx on public.alerts (alert_type, tenant_id)
  where status <> 'resolved';

-- ===========================================================================
-- Functions
-- ===========================================================================
-- The nil UUID, standing for "no product" or "no location" in equality joins.
create function app.no_id() returns uuid
-- No `set search_path` (it references nothing), so the planner can inline it.
language sql immutable parallel safe as $$
  select '00000000-0000-0000-0000-000000000000'::uuid
$$;

create function app.evaluate_alerts(p_now timestamptz default now(), p_full boolean default false,
  p_run_id bigint default null)
returns table (tenants integer, checked_products integer, alerts_opened integer,
  alerts_updated integer, alerts_resolved integer, messages_queued integer)
language plpgsql security definer
-- JIT compiles ~50 ms per large statement for nothing here; the digest sort fits in memory;
-- random_page_cost 1.1 (SSD, as on hosted Supabase): else 5,000 key lookups look dearer
-- than reading all 500,000 products.
set search_path = '' set jit = off set work_mem = '64MB' set random_page_cost = 1.1 as $$
declare
  v_time_based boolean;
  v_tenants integer;
  v_checked integer;
  v_opened integer;
  v_updated integer;
  v_resolved integer;
  v_queued integer;
begin
  if not pg_try_advisory_xact_lock(hashtext('app.evaluate_alerts')) then
    perform app.raise_error(409, 'evaluation_running', 'Une évaluation des alertes est déjà en cours.');
  end if;
  select p_full or s.time_based_at is null or s.time_based_at <= p_now - interval '1 hour'
    or s.time_based_at > p_now
  into v_time_based
  from app.alert_evaluation_state s;

  -- Scratch tables of this run (dropped at commit; a second run in the same transaction
  -- drops the first one's).
  if to_regclass('pg_temp.alert_scope') is not null then
    drop table pg_temp.alert_scope, pg_temp.alert_stock, pg_temp.alert_cond,
      pg_temp.alert_changes;
  end if;
  create temp table alert_scope (tenant_id uuid not null, product_id uuid not null)
    on commit drop;
  create temp table alert_stock (
    tenant_id uuid not null, alert_type text not null, product_id uuid not null,
    location_id uuid not null, severity public.alert_severity not null, notify boolean not null,
    name text, sku text, unit text, location_name text, quantity bigint, reorder_point integer,
    threshold numeric, max_stock integer, lead_time_days integer
  ) on commit drop;
  create temp table alert_cond (
    tenant_id uuid not null, alert_type text not null, product_id uuid, location_id uuid,
    severity public.alert_severity not null, notify boolean not null, context jsonb not null
  ) on commit drop;
  create temp table alert_changes (alert_id bigint not null, tenant_id uuid not null,
    change text not null) on commit drop;

  -- 1. Scope.
  if p_full then
    delete from public.alert_dirty_products;
    insert into pg_temp.alert_scope select p.tenant_id, p.id from public.products p;
  else
    with claimed as (
      delete from public.alert_dirty_products returning tenant_id, product_id
    )
    insert into pg_temp.alert_scope select c.tenant_id, c.product_id from claimed c;
  end if;
  get diagnostics v_checked = row_count;
  analyze pg_temp.alert_scope;

  -- 2a. Stock conditions of the scope, per product × location. A product with no stock
  -- level row has 0 at the tenant's default location (a new product is a stock-out).
  insert into pg_temp.alert_stock
  with levels as (
    select p.tenant_id, p.id as product_id, p.category_id, p.name, p.sku, p.unit,
      p.reorder_point, p.max_stock, p.lead_time_days,
      coalesce(l.location_id, d.id) as location_id, coalesce(lo.name, d.name) as location_name,
      coalesce(l.quantity, 0) as quantity
    from pg_temp.alert_scope s
    -- On the primary key alone: with (tenant_id, id) the planner multiplies two
    -- selectivities and expects a thousandth of the rows.
    join public.products p on p.id = s.product_id
    left join public.stock_levels l on l.tenant_id = p.tenant_id and l.product_id = p.id
    left join public.locations lo on lo.tenant_id = l.tenant_id and lo.id = l.location_id
    left join public.locations d on l.product_id is null and d.tenant_id = p.tenant_id
      and d.is_default
    where p.active and p.archived_at is null
      and (l.product_id is null or lo.archived_at is null)
      and coalesce(l.location_id, d.id) is not null
  ),
  -- Most tenants have no stock rule: their rows take the defaults without the six joins
  -- (each join passes every row on, ~0.1 s per 500,000 rows).
  ruled as (
    select lv.*, true as out_enabled, null::public.alert_severity as out_severity,
      true as out_notify, true as low_enabled, null::public.alert_severity as low_severity,
      true as low_notify, lv.reorder_point::numeric as low_threshold
    from levels lv
    where not exists (select 1 from public.alert_rules r where r.tenant_id = lv.tenant_id
      and r.alert_type in ('stock_out', 'low_stock'))
    union all
    select lv.*,
      coalesce(so_p.enabled, so_c.enabled, so_t.enabled, true) as out_enabled,
      coalesce(so_p.severity, so_c.severity, so_t.severity) as out_severity,
      coalesce(so_p.notify, so_c.notify, so_t.notify, true) as out_notify,
      coalesce(ls_p.enabled, ls_c.enabled, ls_t.enabled, true) as low_enabled,
      coalesce(ls_p.severity, ls_c.severity, ls_t.severity) as low_severity,
      coalesce(ls_p.notify, ls_c.notify, ls_t.notify, true) as low_notify,
      coalesce((ls_p.params ->> 'threshold')::numeric, (ls_c.params ->> 'threshold')::numeric,
        (ls_t.params ->> 'threshold')::numeric, lv.reorder_point) as low_threshold
    from levels lv
    left join public.alert_rules so_t on so_t.tenant_id = lv.tenant_id
      and so_t.alert_type = 'stock_out' and so_t.category_id is null and so_t.product_id is null
    left join public.alert_rules so_c on so_c.tenant_id = lv.tenant_id
      and so_c.alert_type = 'stock_out' and so_c.category_id = lv.category_id
    left join public.alert_rules so_p on so_p.tenant_id = lv.tenant_id
      and so_p.alert_type = 'stock_out' and so_p.product_id = lv.product_id
    left join public.alert_rules ls_t on ls_t.tenant_id = lv.tenant_id
      and ls_t.alert_type = 'low_stock' and ls_t.category_id is null and ls_t.product_id is null
    left join public.alert_rules ls_c on ls_c.tenant_id = lv.tenant_id
      and ls_c.alert_type = 'low_stock' and ls_c.category_id = lv.category_id
    left join public.alert_rules ls_p on ls_p.tenant_id = lv.tenant_id
      and ls_p.alert_type = 'low_stock' and ls_p.product_id = lv.product_id
    where exists (select 1 from public.alert_rules r where r.tenant_id = lv.tenant_id
      and r.alert_type in ('stock_out', 'low_stock'))
  ),
  conditions as (
    select r.*,
      case
        when r.quantity <= 0 then case when r.out_enabled then 'stock_out' end
        when r.quantity <= r.low_threshold and r.low_enabled then 'low_stock'
      end as alert_type
    from ruled r
  )
  select c.tenant_id, c.alert_type, c.product_id, c.location_id,
    coalesce(case c.alert_type when 'stock_out' then c.out_severity else c.low_severity end,
      ty.default_severity),
    case c.alert_type when 'stock_out' then c.out_notify else c.low_notify end,
    c.name, c.sku, c.unit, c.location_name, c.quantity, c.reorder_point, c.low_threshold,
    c.max_stock, c.lead_time_days
  from conditions c
  join public.alert_types ty on ty.code = c.alert_type
  where c.alert_type is not null;
  analyze pg_temp.alert_stock;

  -- 2a'. Their demand, for the rows in a condition only: the forecast's daily demand, else
  -- the sales of the last 28 days at that location.
  insert into pg_temp.alert_cond
  with sold as (
    select s.tenant_id, s.product_id, s.location_id, -sum(m.quantity)::numeric as quantity
    from pg_temp.alert_stock s
    -- Through the product's ledger index; the location is filtered after (`offset 0`
    -- keeps it out, else the planner may walk the whole location's ledger instead).
    cross join lateral (
      select m.location_id, m.quantity from public.stock_movements m
      where m.tenant_id = s.tenant_id and m.product_id = s.product_id
        and m.occurred_at >= p_now - interval '28 days' and m.occurred_at < p_now
        and m.kind = 'sale'
      offset 0
    ) m
    where m.location_id = s.location_id
    group by 1, 2, 3
  ),
  demand as (
    select s.*, coalesce(f.daily_demand, d.quantity / 28) as per_day
    from pg_temp.alert_stock s
    left join sold d on d.tenant_id = s.tenant_id and d.product_id = s.product_id
      and d.location_id = s.location_id
    left join public.forecasts f on f.tenant_id = s.tenant_id and f.product_id = s.product_id
      and f.location_id = s.location_id
  )
  select c.tenant_id, c.alert_type, c.product_id, c.location_id, c.severity, c.notify,
    jsonb_build_object(
      'product_name', c.name, 'sku', c.sku, 'unit', c.unit, 'location_name', c.location_name,
      'stock', c.quantity, 'reorder_point', c.reorder_point, 'threshold', c.threshold,
      'lead_time_days', c.lead_time_days,
      'avg_daily_sales', round(c.per_day, 2),
      'days_of_cover', case when c.quantity <= 0 then 0
        when c.per_day > 0 then round(c.quantity / c.per_day, 1) end,
      'suggested_order_quantity', greatest(
        coalesce(c.max_stock, greatest(2 * c.reorder_point, 1))
          + ceil(coalesce(c.per_day, 0) * coalesce(c.lead_time_days, 0)) - c.quantity,
        1)::bigint)
  from demand c;

  if v_time_based then
    -- 2b. Fill rate (every tenant): closed orders of the last N days against
    -- the N days before, per product and for the whole shop (product null). N comes from
    -- the tenant's rule; thresholds may be overridden per category or product.
    insert into pg_temp.alert_cond
    with settings as (
      select t.id as tenant_id,
        coalesce((r.params ->> 'window_days')::int, (ty.default_params ->> 'window_days')::int)
          as window_days
      from public.tenants t
      cross join public.alert_types ty
      left join public.alert_rules r on r.tenant_id = t.id and r.alert_type = ty.code
        and r.category_id is null and r.product_id is null
      where ty.code = 'fill_rate_drop'
    ),
    lines as (
      select o.tenant_id, l.product_id, s.window_days,
        o.ordered_at >= p_now - make_interval(days => s.window_days) as recent,
        case when o.cancelled_by = 'customer' then l.quantity_delivered
          else l.quantity_ordered end as ordered,
        l.quantity_delivered as delivered
      from settings s
      join public.sales_orders o on o.tenant_id = s.tenant_id
        and o.ordered_at >= p_now - make_interval(days => 2 * s.window_days)
        and o.ordered_at < p_now
      join public.sales_order_lines l on l.tenant_id = o.tenant_id and l.order_id = o.id
      where o.status in ('delivered', 'cancelled')
    ),
    rates as (
      select x.tenant_id, x.product_id, max(x.window_days) as window_days,
        grouping(x.product_id) = 1 as shop_wide,
        coalesce(sum(x.ordered) filter (where x.recent), 0) as ordered_recent,
        coalesce(sum(x.delivered) filter (where x.recent), 0) as delivered_recent,
        coalesce(sum(x.ordered) filter (where not x.recent), 0) as ordered_previous,
        coalesce(sum(x.delivered) filter (where not x.recent), 0) as delivered_previous
      from lines x
      group by grouping sets ((x.tenant_id, x.product_id), (x.tenant_id))
    ),
    ruled as (
      select r.*, p.name, p.sku,
        coalesce(rp.enabled, rc.enabled, rt.enabled, true) as enabled,
        coalesce(rp.severity, rc.severity, rt.severity, ty.default_severity) as severity,
        coalesce(rp.notify, rc.notify, rt.notify, true) as notify,
        coalesce((rp.params ->> 'threshold')::numeric, (rc.params ->> 'threshold')::numeric,
          (rt.params ->> 'threshold')::numeric, (ty.default_params ->> 'threshold')::numeric)
          as threshold,
        coalesce((rp.params ->> 'drop_points')::numeric, (rc.params ->> 'drop_points')::numeric,
          (rt.params ->> 'drop_points')::numeric, (ty.default_params ->> 'drop_points')::numeric)
          as drop_points,
        coalesce((rp.params ->> 'min_ordered')::numeric, (rc.params ->> 'min_ordered')::numeric,
          (rt.params ->> 'min_ordered')::numeric, (ty.default_params ->> 'min_ordered')::numeric)
          as min_ordered,
        round(r.delivered_recent::numeric / nullif(r.ordered_recent, 0), 4) as rate_recent,
        round(r.delivered_previous::numeric / nullif(r.ordered_previous, 0), 4) as rate_previous
      from rates r
      join public.alert_types ty on ty.code = 'fill_rate_drop'
      left join public.products p on p.tenant_id = r.tenant_id and p.id = r.product_id
      left join public.alert_rules rt on rt.tenant_id = r.tenant_id
        and rt.alert_type = 'fill_rate_drop' and rt.category_id is null and rt.product_id is null
      left join public.alert_rules rc on rc.tenant_id = r.tenant_id
        and rc.alert_type = 'fill_rate_drop' and rc.category_id = p.category_id
      left join public.alert_rules rp on rp.tenant_id = r.tenant_id
        and rp.alert_type = 'fill_rate_drop' and rp.product_id = r.product_id
      where r.shop_wide or (p.active and p.archived_at is null)
    )
    select r.tenant_id, 'fill_rate_drop', r.product_id, null::uuid, r.severity, r.notify,
      jsonb_strip_nulls(jsonb_build_object(
        'product_name', r.name, 'sku', r.sku, 'shop_wide', r.shop_wide,
        'window_days', r.window_days,
        'fill_rate', jsonb_build_object('current', r.rate_recent, 'threshold', r.threshold,
          'previous', r.rate_previous),
        'quantity_ordered', r.ordered_recent, 'quantity_delivered', r.delivered_recent))
    from ruled r
    where r.enabled
      and r.ordered_recent >= r.min_ordered
      and (r.rate_recent < r.threshold
        or (r.ordered_previous >= r.min_ordered
          and r.rate_previous - r.rate_recent >= r.drop_points / 100));

    -- 2c. Predicted stock-outs (every tenant), per product × location: the
    -- forecast's stock-out date falls within the lead time (the forecast's, else the
    -- product's, else the rule's horizon) and there is still stock there.
    insert into pg_temp.alert_cond
    select f.tenant_id, 'predicted_stock_out', f.product_id, f.location_id,
      coalesce(rp.severity, rc.severity, rt.severity, ty.default_severity),
      coalesce(rp.notify, rc.notify, rt.notify, true),
      jsonb_strip_nulls(jsonb_build_object(
        'product_name', p.name, 'sku', p.sku, 'unit', p.unit, 'location_name', lo.name,
        'stock', l.quantity, 'reorder_point', p.reorder_point, 'lead_time_days', horizon.days,
        'avg_daily_sales', round(f.daily_demand, 2),
        'days_of_cover', case when f.daily_demand > 0 then round(l.quantity / f.daily_demand, 1) end,
        'predicted_stockout_on', f.predicted_stockout_on,
        'stockout_probability', f.stockout_probability,
        'suggested_order_quantity', coalesce(nullif(f.suggested_order_quantity, 0),
          greatest(coalesce(p.max_stock, 2 * p.reorder_point) + ceil(f.daily_demand * horizon.days)
            - l.quantity, 1)::bigint)))
    from public.forecasts f
    join public.products p on p.tenant_id = f.tenant_id and p.id = f.product_id
    join public.locations lo on lo.tenant_id = f.tenant_id and lo.id = f.location_id
    -- One primary-key lookup per forecast (the planner otherwise walks every stock row).
    cross join lateral (
      select s.quantity from public.stock_levels s
      where s.tenant_id = f.tenant_id and s.product_id = f.product_id
        and s.location_id = f.location_id
      offset 0
    ) l
    join public.tenants t on t.id = f.tenant_id
    join public.alert_types ty on ty.code = 'predicted_stock_out'
    left join public.alert_rules rt on rt.tenant_id = f.tenant_id
      and rt.alert_type = ty.code and rt.category_id is null and rt.product_id is null
    left join public.alert_rules rc on rc.tenant_id = f.tenant_id
      and rc.alert_type = ty.code and rc.category_id = p.category_id
    left join public.alert_rules rp on rp.tenant_id = f.tenant_id
      and rp.alert_type = ty.code and rp.product_id = f.product_id
    cross join lateral (
      select ceil(coalesce(f.lead_time_days, p.lead_time_days, (rp.params ->> 'horizon_days')::int,
        (rc.params ->> 'horizon_days')::int, (rt.params ->> 'horizon_days')::int,
        (ty.default_params ->> 'horizon_days')::int))::int as days
    ) horizon
    where p.active and p.archived_at is null and lo.archived_at is null
      and f.predicted_stockout_on is not null
      and f.predicted_stockout_on <= (p_now at time zone t.timezone)::date + horizon.days
      and coalesce(f.stockout_probability, 1) >= coalesce((rp.params ->> 'min_probability')::numeric,
        (rc.params ->> 'min_probability')::numeric, (rt.params ->> 'min_probability')::numeric,
        (ty.default_params ->> 'min_probability')::numeric)
      and l.quantity > 0
      and coalesce(rp.enabled, rc.enabled, rt.enabled, true);
  end if;
  analyze pg_temp.alert_cond;
  -- The resolve step looks rows up by product (a nested anti-join otherwise compares every
  -- pair when the planner underestimates the open alerts of the scope).
  create index on pg_temp.alert_cond (product_id, alert_type);

  -- 3. Open new alerts; refresh those still true.
  with upserted as (
    insert into public.alerts as a (tenant_id, alert_type, product_id, location_id, severity,
      notify, context, first_seen_at, last_seen_at)
    select c.tenant_id, c.alert_type, c.product_id, c.location_id, c.severity, c.notify,
      c.context, p_now, p_now
    from pg_temp.alert_cond c
    order by c.tenant_id, c.alert_type, c.product_id, c.location_id
    on conflict (tenant_id, alert_type, product_id, location_id) where status <> 'resolved'
    do update set last_seen_at = excluded.last_seen_at, context = excluded.context,
      severity = excluded.severity, updated_at = now()
    -- An unchanged condition is not rewritten, except to move last_seen_at once an hour.
    where a.context is distinct from excluded.context or a.severity <> excluded.severity
      or a.last_seen_at <= excluded.last_seen_at - interval '1 hour'
      or a.last_seen_at > excluded.last_seen_at
    returning a.id, a.tenant_id, (a.xmax = 0) as inserted
  )
  insert into pg_temp.alert_changes
  select u.id, u.tenant_id, case when u.inserted then 'opened' else 'seen' end from upserted u;
  get diagnostics v_opened = row_count;

  -- 4. Resolve what cleared: stock types within the scope, time-based types when they
  -- were evaluated. The ids first (through the partial indexes of open alerts), then one
  -- update.
  with gone as (
    select a.id
    from pg_temp.alert_scope s
    join public.alerts a on a.tenant_id = s.tenant_id and a.product_id = s.product_id
      and a.status <> 'resolved'
    join public.alert_types ty on ty.code = a.alert_type and ty.incremental
    where not exists (select 1 from pg_temp.alert_cond c
      where c.tenant_id = a.tenant_id and c.alert_type = a.alert_type
        and c.product_id = a.product_id and c.location_id = a.location_id)
    union all
    select a.id
    from public.alert_types ty
    join public.alerts a on a.alert_type = ty.code and a.status <> 'resolved'
    where v_time_based and not ty.incremental
      and not exists (select 1 from pg_temp.alert_cond c
        where c.tenant_id = a.tenant_id and c.alert_type = a.alert_type
          -- coalesce, not `is not distinct from`: it keeps this a hash anti-join.
          and coalesce(c.product_id, app.no_id()) = coalesce(a.product_id, app.no_id())
          and coalesce(c.location_id, app.no_id()) = coalesce(a.location_id, app.no_id()))
  ),
  cleared as (
    update public.alerts a set status = 'resolved', resolved_at = p_now,
      resolution = case when a.product_id is null or exists (select 1 from public.products p
          where p.tenant_id = a.tenant_id and p.id = a.product_id and p.active
            and p.archived_at is null)
        then 'cleared' else 'product_archived' end,
      updated_at = now()
    where a.id in (select g.id from gone g)
    returning a.id, a.tenant_id
  )
  insert into pg_temp.alert_changes select c.id, c.tenant_id, 'resolved' from cleared c;
  get diagnostics v_resolved = row_count;
  analyze pg_temp.alert_changes;

  select count(*) filter (where ch.change = 'opened'), count(*) filter (where ch.change = 'seen')
  into v_opened, v_updated
  from pg_temp.alert_changes ch
  where ch.change in ('opened', 'seen');

  -- 5. History, then one digest per recipient.
  insert into public.alert_events (tenant_id, alert_id, event, source, details, occurred_at)
  select ch.tenant_id, ch.alert_id, ch.change, 'evaluation',
    jsonb_strip_nulls(jsonb_build_object('run_id', p_run_id,
      'resolution', case when ch.change = 'resolved' then 'cleared' end)),
    p_now
  from pg_temp.alert_changes ch
  where ch.change in ('opened', 'resolved')
  order by ch.alert_id;

  insert into public.notification_outbox (tenant_id, recipient_id, run_id, kind, payload,
    alert_ids, urgent, next_attempt_at)
  select r.tenant_id, r.id, p_run_id, 'alerts',
    jsonb_build_object('alerts', jsonb_agg(
      a.context || jsonb_build_object('alert_id', a.id, 'type', a.alert_type,
        'event', ch.change, 'severity', a.severity)
      order by ch.change, ty.sort_order, a.context ->> 'product_name', a.id)),
    array_agg(a.id order by a.id),
    bool_or(a.alert_type = 'stock_out' and ch.change = 'opened'),
    p_now
  from pg_temp.alert_changes ch
  join public.alerts a on a.tenant_id = ch.tenant_id and a.id = ch.alert_id
  join public.alert_types ty on ty.code = a.alert_type
  join public.notification_recipients r on r.tenant_id = a.tenant_id
    and r.active and r.opted_in and r.opted_out_at is null
    and (r.alert_types is null or a.alert_type = any (r.alert_types))
    and (ch.change = 'opened' or r.notify_resolved)
  where a.notify
    and ch.change in ('opened', 'resolved')
    -- Snoozed: no message about this product and type until the snooze ends, even for
    -- a re-occurrence.
    and not exists (select 1 from public.alerts z
      where z.tenant_id = a.tenant_id and z.alert_type = a.alert_type
        and z.product_id is not distinct from a.product_id
        and z.location_id is not distinct from a.location_id
        and z.snoozed_until > p_now)
  group by r.tenant_id, r.id;
  get diagnostics v_queued = row_count;

  if v_time_based then
    update app.alert_evaluation_state set time_based_at = p_now;
  end if;
  select count(*) into v_tenants from public.tenants;
  return query select v_tenants, v_checked, v_opened, v_updated, v_resolved, v_queued;
end
$$;

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on app.alert_evaluation_state from public, anon, authenticated;
revoke all on function app.evaluate_alerts(timestamptz, boolean, bigint) from public;
revoke all on function app.no_id() from public;
grant execute on function app.no_id() to authenticated, service_role;
grant execute on function app.evaluate_alerts(timestamptz, boolean, bigint) to service_role;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on table app.alert_evaluation_state is 'One row: when the time-based alert types (fill rate, predicted stock-out) were last evaluated.';
comment on column app.alert_evaluation_state.singleton is 'Always true: the table has one row.';
comment on column app.alert_evaluation_state.time_based_at is 'Evaluation time of the last run that evaluated the time-based types.';
comment on index public.alerts_open_product_idx is 'Open alerts of a product (the evaluation resolves within its scope).';
comment on index public.alerts_open_type_idx is 'Open alerts of a type across tenants (the evaluation resolves time-based types).';
comment on function app.no_id() is 'The nil UUID: "no product" or "no location" in equality joins.';
comment on function app.evaluate_alerts(timestamptz, boolean, bigint) is
  'One evaluation of every tenant''s alerts at p_now (full: every product, else the queued ones): opens, refreshes and resolves alerts, writes their history and one outbox digest per recipient. Returns the counts.';
