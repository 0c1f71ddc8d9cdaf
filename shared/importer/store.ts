/**
 * Writes an import in a few set-based statements, whatever the number of lines: the
 * lines travel once per statement as one JSON array read by `jsonb_to_recordset`.
 *
 * 1. `checkLines`: what only the database knows — unknown or archived locations,
 *    archived products, a barcode another product has, a maximum below the reorder
 *    point once merged with the stored values, two lines landing on the same stock level.
 * 2. `writeLines`: categories and suppliers named but missing are created (found by
 *    name, ignoring case); existing SKUs are updated (an empty cell keeps the stored
 *    value), new ones inserted; then one insert of movements sets each stock level named
 *    by a quantity, where it differs: a `receipt` of the quantity at the product's unit
 *    cost where the level is empty (opening stock, which also seeds the weighted
 *    average cost), a `count` to the quantity where there is stock already. The
 *    ledger's trigger applies them as any other movements.
 *
 * Everything runs in the caller's transaction, under row-level security.
 *
 * @module
 */
import type { Tx } from "../db/client.ts";
import type { Column } from "./columns.ts";
import type { ImportLine } from "./rows.ts";

/** A problem found by the database, with the column as a field name. */
export type StoreProblem = { line: number; column: Column | null; code: string; message: string };

/** What the write did. */
export type WriteCounts = {
  created: number;
  updated: number;
  unchanged: number;
  categories_created: number;
  suppliers_created: number;
  movements: number;
};

/** The reference written on the import's stock movements. */
export const MOVEMENT_REFERENCE = "Import de fichier";

const json = (value: unknown) => JSON.stringify(value);

/** Problems with the lines that only the database can see. */
export async function checkLines(
  tx: Tx,
  tenantId: string,
  lines: ImportLine[],
): Promise<StoreProblem[]> {
  const rows = lines.map((l) => ({
    line: l.line,
    sku: l.sku,
    barcode: l.barcode,
    reorder_point: l.reorder_point,
    max_stock: l.max_stock,
    location: l.location,
    quantity: l.quantity,
  }));
  return await tx<StoreProblem[]>`
    with r as (
      select * from jsonb_to_recordset(${json(rows)}::text::jsonb) as r(line int, sku text,
        barcode text, reorder_point int, max_stock int, location text, quantity int)
    ), x as (
      select r.*, p.id as product_id, p.archived_at as product_archived_at,
        p.reorder_point as stored_reorder_point, p.max_stock as stored_max_stock,
        l.id as location_id, l.archived_at as location_archived_at,
        coalesce(l.id, d.id) as level_location
      from r
      left join public.products p on p.tenant_id = ${tenantId} and lower(p.sku) = lower(r.sku)
      left join public.locations l on l.tenant_id = ${tenantId} and lower(l.name) = lower(r.location)
      left join public.locations d on d.tenant_id = ${tenantId} and d.is_default
    ), placed as (
      select x.*, count(*) over (partition by lower(x.sku), x.level_location) as same_level,
        row_number() over (partition by lower(x.sku), x.level_location order by x.line) as nth
      from x where x.quantity is not null
    )
    select line, 'location' as "column", 'location_not_found' as code,
      format('Emplacement « %s » introuvable dans la boutique : créez-le d''abord ou corrigez le nom.',
        location) as message
    from x where location is not null and location_id is null
    union all
    select line, 'location', 'location_archived',
      format('L''emplacement « %s » est archivé : restaurez-le avant d''y importer du stock.', location)
    from x where location_archived_at is not null and quantity is not null
    union all
    select line, 'sku', 'product_archived',
      format('Le produit %s est archivé : restaurez-le avant de l''importer.', sku)
    from x where product_archived_at is not null
    union all
    select x.line, 'barcode', 'barcode_taken',
      format('Le code-barres %s est déjà celui du produit %s.', x.barcode, b.sku)
    from x join public.products b on b.tenant_id = ${tenantId} and b.barcode = x.barcode
      and lower(b.sku) <> lower(x.sku)
    union all
    select line, 'max_stock', 'max_stock_below_reorder_point',
      format('Le stock maximum (%s) doit être supérieur ou égal au seuil de réapprovisionnement (%s).',
        coalesce(max_stock, stored_max_stock), coalesce(reorder_point, stored_reorder_point, 0))
    from x
    where coalesce(max_stock, stored_max_stock) < coalesce(reorder_point, stored_reorder_point, 0)
      and (max_stock is not null or reorder_point is not null)
    union all
    select line, 'location', 'duplicate_row',
      format('La référence %s a déjà une quantité pour cet emplacement plus haut dans le fichier.', sku)
    from placed where same_level > 1 and nth > 1
    order by 1, 2`;
}

/** The first line of each SKU: the product's values. */
function productsOf(lines: ImportLine[]) {
  const first = new Map<string, ImportLine>();
  for (const line of lines) {
    const key = line.sku.toLowerCase();
    if (!first.has(key)) first.set(key, line);
  }
  return [...first.values()].map(({ line: _line, location: _l, quantity: _q, ...p }) => p);
}

/** Writes the (valid) lines: categories, suppliers, products, then stock counts. */
export async function writeLines(
  tx: Tx,
  tenantId: string,
  lines: ImportLine[],
): Promise<WriteCounts> {
  const products = productsOf(lines);
  const names = (values: (string | null)[]) => [...new Set(values.filter((v) => v !== null))];
  const categories = await tx`
    insert into public.categories (tenant_id, name)
    select distinct on (lower(n)) ${tenantId}::uuid, n
    from unnest(${names(products.map((p) => p.category))}::text[]) n
    where not exists (select 1 from public.categories c
      where c.tenant_id = ${tenantId} and lower(c.name) = lower(n))
    order by lower(n), n
    on conflict (tenant_id, lower(name)) do nothing
    returning id`;
  const suppliers = await tx`
    insert into public.suppliers (tenant_id, name)
    select distinct on (lower(n)) ${tenantId}::uuid, n
    from unnest(${names(products.map((p) => p.supplier))}::text[]) n
    where not exists (select 1 from public.suppliers s
      where s.tenant_id = ${tenantId} and lower(s.name) = lower(n))
    order by lower(n), n
    returning id`;

  const resolved = (tx: Tx) =>
    tx`
    select r.*,
      (select c.id from public.categories c
        where c.tenant_id = ${tenantId} and lower(c.name) = lower(r.category)) as category_id,
      (select s.id from public.suppliers s
        where s.tenant_id = ${tenantId} and lower(s.name) = lower(r.supplier)
        order by s.archived_at nulls first, s.created_at, s.id limit 1) as supplier_id
    from jsonb_to_recordset(${json(products)}::text::jsonb) as r(sku text, name text, category text,
      unit text, barcode text, sale_price_xof bigint, unit_cost_xof bigint, reorder_point int,
      max_stock int, lead_time_days int, supplier text)`;

  const updated = await tx`
    with v as (${resolved(tx)})
    update public.products p set
      name = v.name,
      category_id = coalesce(v.category_id, p.category_id),
      unit = coalesce(v.unit, p.unit),
      barcode = coalesce(v.barcode, p.barcode),
      sale_price_xof = coalesce(v.sale_price_xof, p.sale_price_xof),
      unit_cost_xof = coalesce(v.unit_cost_xof, p.unit_cost_xof),
      reorder_point = coalesce(v.reorder_point, p.reorder_point),
      max_stock = coalesce(v.max_stock, p.max_stock),
      lead_time_days = coalesce(v.lead_time_days, p.lead_time_days),
      supplier_id = coalesce(v.supplier_id, p.supplier_id)
    from v
    where p.tenant_id = ${tenantId} and lower(p.sku) = lower(v.sku)
      and (p.name, p.category_id, p.unit, p.barcode, p.sale_price_xof, p.unit_cost_xof,
        p.reorder_point, p.max_stock, p.lead_time_days, p.supplier_id)
      is distinct from (v.name, coalesce(v.category_id, p.category_id), coalesce(v.unit, p.unit),
        coalesce(v.barcode, p.barcode), coalesce(v.sale_price_xof, p.sale_price_xof),
        coalesce(v.unit_cost_xof, p.unit_cost_xof), coalesce(v.reorder_point, p.reorder_point),
        coalesce(v.max_stock, p.max_stock), coalesce(v.lead_time_days, p.lead_time_days),
        coalesce(v.supplier_id, p.supplier_id))
    returning p.id`;

  // Omitted values take the column defaults of the catalogue migration.
  const created = await tx`
    insert into public.products (tenant_id, sku, name, category_id, unit, barcode,
      sale_price_xof, unit_cost_xof, reorder_point, max_stock, lead_time_days, supplier_id)
    select ${tenantId}::uuid, v.sku, v.name, v.category_id, coalesce(v.unit, 'pièce'), v.barcode,
      coalesce(v.sale_price_xof, 0), coalesce(v.unit_cost_xof, 0), coalesce(v.reorder_point, 0),
      v.max_stock, v.lead_time_days, v.supplier_id
    from (${resolved(tx)}) v
    where not exists (select 1 from public.products p
      where p.tenant_id = ${tenantId} and lower(p.sku) = lower(v.sku))
    returning id`;

  const movements = await writeStock(tx, tenantId, lines);
  return {
    created: created.length,
    updated: updated.length,
    unchanged: products.length - created.length - updated.length,
    categories_created: categories.length,
    suppliers_created: suppliers.length,
    movements,
  };
}

/**
 * One insert of the stock movements the lines ask for. Products and locations are
 * resolved first (by key, through their indexes), so the insert joins nothing but the
 * stock levels: the planner has no statistics yet for the products this transaction
 * just created, and a join on them by SKU could turn into a scan per line.
 */
async function writeStock(tx: Tx, tenantId: string, lines: ImportLine[]): Promise<number> {
  const stocked = lines.filter((l) => l.quantity !== null);
  if (stocked.length === 0) return 0;
  const keys = [...new Set(stocked.map((l) => l.sku.toLowerCase()))];
  const [products, locations] = await Promise.all([
    tx<{ id: string; key: string; unit_cost_xof: number }[]>`
      select id, lower(sku) as key, unit_cost_xof::float8 as unit_cost_xof
      from public.products
      where tenant_id = ${tenantId} and lower(sku) = any(${keys}::text[])`,
    tx<{ id: string; key: string; is_default: boolean }[]>`
      select id, lower(name) as key, is_default from public.locations
      where tenant_id = ${tenantId}`,
  ]);
  const product = new Map(products.map((p) => [p.key, p]));
  const location = new Map(locations.map((l) => [l.key, l.id]));
  const fallback = locations.find((l) => l.is_default)?.id;
  const rows = stocked.map((l) => {
    const p = product.get(l.sku.toLowerCase())!;
    return {
      product_id: p.id,
      location_id: l.location === null ? fallback : location.get(l.location.toLowerCase()),
      quantity: l.quantity,
      unit_cost_xof: p.unit_cost_xof,
    };
  }).sort((a, b) => a.product_id < b.product_id ? -1 : a.product_id > b.product_id ? 1 : 0);
  const written = await tx`
    insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity,
      counted_quantity, unit_cost_xof, reference)
    select ${tenantId}::uuid, x.product_id, x.location_id,
      case when f.first_stock then 'receipt' else 'count' end::public.movement_kind,
      case when f.first_stock then x.quantity else 0 end,
      case when f.first_stock then null else x.quantity end,
      case when f.first_stock then x.unit_cost_xof end,
      ${MOVEMENT_REFERENCE}
    from jsonb_to_recordset(${json(rows)}::text::jsonb)
      as x(product_id uuid, location_id uuid, quantity int, unit_cost_xof bigint)
    left join public.stock_levels sl on sl.tenant_id = ${tenantId}
      and sl.product_id = x.product_id and sl.location_id = x.location_id
    cross join lateral (select coalesce(sl.quantity, 0) = 0 as first_stock) f
    where coalesce(sl.quantity, 0) <> x.quantity
    order by x.product_id, x.location_id
    returning id`;
  return written.length;
}
