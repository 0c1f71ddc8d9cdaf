/**
 * The data set of `deno task bench:alerts`, written with set-based SQL (generate_series,
 * insert … select) through the production triggers, none disabled:
 *
 * - N tenants (each with its default location from the tenant trigger) and 5 categories;
 * - 500 products per tenant (reorder point 5–50, max stock 4× that, lead time 2–14 days);
 * - the stock through the ledger: per product one receipt 30 days ago and, for 60 % of
 *   them, one sale within the last 28 days, written as `stock_movements`, one multi-row
 *   insert per chunk of tenants, so `app.apply_stock_movements` fills `stock_levels`
 *   and the alerts trigger queues every product. Final stock: ~5 % at 0, ~10 % in
 *   1 … reorder point, the rest above;
 * - 2 opted-in WhatsApp recipients per tenant: one for every type who wrote 1 hour ago (in
 *   the 24-hour session window: free-form messages), one for stock-outs and fill rate with
 *   `notify_resolved` who never wrote (template messages only);
 * - for one tenant in 5: 30 closed sales orders of 3 lines over the last 14 days; in one
 *   tenant in 10, the last 7 days deliver only ~70 % (a fill-rate alert);
 * - a forecast (`forecasts`, at the default location) for one product in 10, stock-out date
 *   0–20 days ahead.
 *
 * Sales-order lines are inserted while their order is a draft, then the orders are
 * closed by an update (the delivery function's stock movements are not written: the
 * fill-rate condition reads orders and lines only). Helper tables `bench_tenants` and
 * `bench_products` (numbering) stay in the benchmark database.
 *
 * @module
 */
import type { Sql } from "../../shared/db/client.ts";

/** Sizes of the data set. */
export type AlertSeedOptions = {
  tenants: number;
  products: number;
  /** Tenants per ledger statement. */
  chunk: number;
  log: (line: string) => void;
};

/** What the seed wrote, counted in the database. */
export type AlertSeedCounts = Record<string, number>;

const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(1);

/** Seeds the data set on `sql` (a one-connection client: `setseed` must hold). */
export async function seedAlerts(sql: Sql, options: AlertSeedOptions): Promise<AlertSeedCounts> {
  const { tenants, products, chunk, log } = options;
  let start = performance.now();
  await sql`select setseed(0.42)`;
  await sql`insert into public.tenants (name)
    select format('Boutique bench %s', g) from generate_series(1, ${tenants}::int) g`;
  await sql.unsafe(`
    create table public.bench_tenants as
      select t.id, row_number() over (order by t.created_at, t.id)::int as n, l.id as location_id
      from public.tenants t join public.locations l on l.tenant_id = t.id and l.is_default;
    alter table public.bench_tenants add primary key (id);
    insert into public.categories (tenant_id, name)
    select t.id, c.name from public.bench_tenants t
    cross join unnest(array['Épicerie', 'Boissons', 'Hygiène', 'Conserves', 'Entretien']) c(name);
  `);
  log(`  tenants, locations, categories: ${seconds(start)} s`);

  start = performance.now();
  for (let from = 1; from <= tenants; from += chunk) {
    await sql`
      with cats as (
        select c.tenant_id, array_agg(c.id order by c.name) as ids
        from public.categories c group by c.tenant_id
      )
      insert into public.products (tenant_id, sku, name, category_id, sale_price_xof,
        unit_cost_xof, reorder_point, max_stock, lead_time_days)
      select x.id, 'BEN-' || lpad(x.g::text, 5, '0'),
        format('Produit %s %s', x.g, (array['Riz brisé', 'Huile d''arachide', 'Sucre',
          'Lait en poudre', 'Savon', 'Sardines', 'Thé vert', 'Bouillon cube'])[1 + x.g % 8]),
        cats.ids[1 + x.g % 5], 500 + x.g * 10, 400 + x.g * 8, x.rp, x.rp * 4, 2 + x.g % 13
      from (
        -- random() in a select list: one draw per row (an uncorrelated lateral draws once)
        select t.id, g, 5 + floor(random() * 46)::int as rp
        from public.bench_tenants t cross join generate_series(1, ${products}::int) g
        where t.n between ${from} and ${from + chunk - 1}
      ) x
      join cats on cats.tenant_id = x.id
      order by x.id, x.g`;
  }
  await sql.unsafe(`
    create table public.bench_products as
      select p.tenant_id, p.id, row_number() over (partition by p.tenant_id order by p.sku)::int as k,
        p.reorder_point, p.max_stock
      from public.products p;
    alter table public.bench_products add primary key (tenant_id, id);
    create index on public.bench_products (tenant_id, k);
  `);
  log(`  products: ${seconds(start)} s`);

  // Target stock and sales per product, then the ledger movements that produce it.
  start = performance.now();
  await sql.unsafe(`
    create table public.bench_stock_plan as
    select b.tenant_id, b.id as product_id, y.target, y.sold,
      now() - interval '30 days' as received_at,
      now() - (random() * interval '27 days') - interval '1 hour' as sold_at
    from (select b.*, random() as u, random() as v, random() as w
      from public.bench_products b) b
    cross join lateral (
      select case
          when b.u < 0.05 then 0
          when b.u < 0.15 then 1 + floor(b.v * b.reorder_point)::int
          else b.reorder_point + 1 + floor(b.v * (b.max_stock - b.reorder_point))::int
        end as target,
        case when b.u < 0.05 or b.w < 0.6 then 1 + floor(b.w * 30)::int else 0 end as sold
    ) y;
  `);
  for (let from = 1; from <= tenants; from += chunk) {
    await sql`
      insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity,
        unit_cost_xof, reference, occurred_at)
      select s.tenant_id, s.product_id, t.location_id, m.kind, m.quantity,
        case when m.kind = 'receipt' then 400 end,
        case when m.kind = 'receipt' then 'BL-BENCH' end, m.occurred_at
      from public.bench_stock_plan s
      join public.bench_tenants t on t.id = s.tenant_id
      cross join lateral (values
        ('receipt'::public.movement_kind, s.target + s.sold, s.received_at),
        ('sale'::public.movement_kind, -s.sold, s.sold_at)
      ) m(kind, quantity, occurred_at)
      where t.n between ${from} and ${from + chunk - 1} and m.quantity <> 0
      order by s.tenant_id, s.product_id, m.occurred_at`;
    if ((from - 1 + chunk) % (chunk * 5) === 0 || from + chunk > tenants) {
      log(
        `    ledger: tenants ${Math.min(from + chunk - 1, tenants)}/${tenants} (${
          seconds(start)
        } s)`,
      );
    }
  }
  log(`  stock through the ledger: ${seconds(start)} s`);

  start = performance.now();
  await sql.unsafe(`
    insert into public.notification_recipients (tenant_id, display_name, phone_e164, opted_in,
      opted_in_at, alert_types, notify_resolved, last_inbound_at)
    select t.id, 'Gérant', '+22177' || lpad(t.n::text, 7, '0'), true, now(), null, false,
      now() - interval '1 hour'
    from public.bench_tenants t
    union all
    select t.id, 'Propriétaire', '+22178' || lpad(t.n::text, 7, '0'), true, now(),
      array['stock_out', 'fill_rate_drop'], true, null
    from public.bench_tenants t;

    insert into public.sales_orders (tenant_id, location_id, reference, ordered_at)
    select t.id, t.location_id, format('CMD-%s', o), now() - random() * interval '14 days'
    from public.bench_tenants t cross join generate_series(1, 30) o
    where t.n % 5 = 0;

    with numbered as (
      select o.tenant_id, o.id, o.ordered_at,
        row_number() over (partition by o.tenant_id order by o.reference)::int as i
      from public.sales_orders o
    )
    insert into public.sales_order_lines (tenant_id, order_id, product_id, quantity_ordered,
      quantity_delivered, unit_price_xof)
    select q.tenant_id, q.id, q.product_id, q.ordered,
      case when q.n % 10 = 0 and q.ordered_at >= now() - interval '7 days'
        then floor(q.ordered * 0.7)::int else q.ordered end,
      1000
    from (
      select o.tenant_id, o.id, o.ordered_at, t.n, b.id as product_id,
        1 + floor(random() * 10)::int as ordered
      from numbered o
      join public.bench_tenants t on t.id = o.tenant_id
      cross join generate_series(0, 2) j
      join public.bench_products b on b.tenant_id = o.tenant_id and b.k = 1 + (o.i * 3 + j) % 50
    ) q;

    update public.sales_orders o
    set status = case when o.reference like '%7' then 'cancelled' else 'delivered' end::public.sales_order_status,
      cancelled_by = case when o.reference like '%7' then 'customer' end::public.cancelled_by,
      cancelled_at = case when o.reference like '%7' then o.ordered_at + interval '2 hours' end,
      confirmed_at = o.ordered_at, delivered_at = case when o.reference not like '%7'
        then o.ordered_at + interval '3 hours' end;

    insert into public.forecasts (tenant_id, product_id, location_id, computed_at, method,
      daily_demand, predicted_stockout_on, stockout_probability)
    select b.tenant_id, b.id, l.id, now(), 'bench', round((1 + random() * 9)::numeric, 2),
      current_date + floor(random() * 21)::int, round((0.3 + random() * 0.65)::numeric, 4)
    from public.bench_products b
    join public.locations l on l.tenant_id = b.tenant_id and l.is_default
    where b.k % 10 = 0;
  `);
  log(`  recipients, sales orders, forecasts: ${seconds(start)} s`);

  start = performance.now();
  await sql.unsafe(`vacuum analyze`);
  log(`  vacuum analyze: ${seconds(start)} s`);

  const [counts] = await sql<AlertSeedCounts[]>`
    select (select count(*) from public.tenants)::int as tenants,
      (select count(*) from public.products)::int as products,
      (select count(*) from public.stock_levels)::int as stock_levels,
      (select count(*) from public.stock_movements)::int as movements,
      (select count(*) from public.stock_levels where quantity <= 0)::int as at_or_below_zero,
      (select count(*) from public.stock_levels l join public.products p
        on p.tenant_id = l.tenant_id and p.id = l.product_id
        where l.quantity > 0 and l.quantity <= p.reorder_point)::int as low,
      (select count(*) from public.notification_recipients)::int as recipients,
      (select count(*) from public.sales_orders)::int as sales_orders,
      (select count(*) from public.sales_order_lines)::int as sales_order_lines,
      (select count(*) from public.forecasts)::int as forecasts,
      (select count(*) from public.alert_dirty_products)::int as queued`;
  return counts;
}
