/**
 * Writes a large demo tenant: an owner, categories, N products with French names and
 * XOF prices, and the planned movements (`demand.ts`) inserted in chunks of 10,000 rows
 * through `unnest(...)`, one statement per chunk, so the ledger's statement-level
 * trigger keeps the stock levels and average costs exactly as for any other insert.
 *
 * @module
 */
import type { Sql } from "../../shared/db/client.ts";
import type { RetailSeries } from "../bench/retail_data.ts";
import { seededRandom } from "../../shared/random.ts";
import { planMovements, planProducts } from "./demand.ts";

/** A seeded tenant. */
export type SeededTenant = {
  id: string;
  name: string;
  owner: { id: string; email: string };
  locationId: string;
  products: number;
  movements: number;
  days: number;
};

/** Options of one tenant. */
export type TenantOptions = {
  name: string;
  email: string;
  products: number;
  movements: number;
  seed: number;
  chunk?: number;
  onProgress?: (written: number, total: number) => void;
};

const CATEGORIES: [string, string[]][] = [
  ["Épicerie", [
    "Riz brisé parfumé",
    "Huile d'arachide",
    "Sucre en poudre",
    "Farine de blé",
    "Pâtes spaghetti",
    "Tomate concentrée",
    "Mil souna",
    "Niébé",
    "Couscous de mil",
    "Sel iodé",
  ]],
  ["Produits laitiers", ["Lait en poudre", "Lait caillé", "Beurre doux", "Fromage fondu"]],
  ["Boissons", [
    "Eau minérale",
    "Jus de bissap",
    "Jus de bouye",
    "Café Touba",
    "Thé vert de Chine",
    "Boisson gazeuse",
  ]],
  ["Conserves", ["Sardines à l'huile", "Thon au naturel", "Petits pois", "Maïs doux"]],
  ["Condiments", ["Bouillon cube", "Poivre noir", "Moutarde", "Mayonnaise", "Vinaigre"]],
  ["Hygiène", ["Savon de Marseille", "Dentifrice", "Shampooing", "Crème hydratante"]],
  ["Entretien", ["Lessive en poudre", "Eau de javel", "Liquide vaisselle", "Éponges"]],
  ["Biscuits et confiserie", ["Biscuits secs", "Bonbons à la menthe", "Chocolat au lait"]],
  ["Fruits et légumes", ["Oignons de Hollande", "Pommes de terre", "Arachides grillées"]],
  ["Maison", ["Bougies", "Piles alcalines", "Allumettes", "Sacs poubelle"]],
];
const BRANDS = [
  "Jumbo",
  "Maggi",
  "Dolima",
  "Kirène",
  "Vitalait",
  "Lion d'Or",
  "Patisen",
  "Sotiba",
  "Sénégal Sucre",
  "Nestlé",
  "Cristal",
  "Saprolait",
];
const SIZES = [
  "100 g",
  "250 g",
  "500 g",
  "1 kg",
  "5 kg",
  "25 kg",
  "33 cl",
  "1 L",
  "5 L",
  "lot de 6",
];
const KINDS = ["receipt", "sale"];

/** The `index`-th product name: product × brand × size, then a series number. */
function productName(index: number): { name: string; category: number } {
  const items = CATEGORIES.flatMap(([, names], category) =>
    names.map((name) => ({ name, category }))
  );
  const item = items[index % items.length];
  const rest = Math.floor(index / items.length);
  const brand = BRANDS[rest % BRANDS.length];
  const size = SIZES[Math.floor(rest / BRANDS.length) % SIZES.length];
  const series = Math.floor(rest / (BRANDS.length * SIZES.length));
  const name = `${item.name} ${brand} ${size}${series > 0 ? ` (série ${series + 1})` : ""}`;
  return { name, category: item.category };
}

/** Creates one tenant with its products and movements; returns what it made. */
export async function seedTenant(
  sql: Sql,
  retail: RetailSeries[],
  options: TenantOptions,
): Promise<SeededTenant> {
  const rng = seededRandom(options.seed);
  const [user] = await sql<{ id: string }[]>`
    insert into auth.users (email, email_confirmed_at, aud, role)
    values (${options.email}, now(), 'authenticated', 'authenticated') returning id`;
  const [tenant] = await sql<{ id: string }[]>`
    insert into public.tenants (name, created_by) values (${options.name}, ${user.id}) returning id`;
  await sql`insert into public.memberships (tenant_id, user_id, role)
    values (${tenant.id}, ${user.id}, 'owner')`;
  const [location] = await sql<{ id: string }[]>`
    select id from public.locations where tenant_id = ${tenant.id} and is_default`;
  const categories = await sql<{ id: string }[]>`
    insert into public.categories (tenant_id, name)
    select ${tenant.id}, unnest(${CATEGORIES.map(([name]) => name)}::text[])
    returning id`;

  const planned = planProducts(retail, options.products, rng);
  const names = planned.map((_, i) => productName(i));
  const products = await sql<{ id: string }[]>`
    insert into public.products (tenant_id, sku, name, category_id, sale_price_xof,
      unit_cost_xof, reorder_point, max_stock, lead_time_days)
    select ${tenant.id}, u.sku, u.name, u.category_id, u.sale_price, u.unit_cost, u.reorder_point,
      u.max_stock, u.lead_time
    from unnest(${planned.map((_, i) => `DKR-${String(i + 1).padStart(5, "0")}`)}::text[],
      ${names.map((n) => n.name)}::text[],
      ${names.map((n) => categories[n.category].id)}::uuid[],
      ${planned.map((p) => p.salePriceXof)}::bigint[],
      ${planned.map((p) => p.unitCostXof)}::bigint[],
      ${planned.map((p) => p.reorderPoint)}::int[],
      ${planned.map((p) => p.maxStock)}::int[],
      ${planned.map((p) => p.leadTimeDays)}::int[])
      with ordinality as u(sku, name, category_id, sale_price, unit_cost, reorder_point,
        max_stock, lead_time, ord)
    order by u.ord
    returning id`;

  const plan = planMovements(planned, options.movements, rng);
  // The last planned day is yesterday; each day's movements spread over 08:00–20:00 UTC
  // (Dakar time), in ledger order.
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  const firstDay = today.getTime() - plan.days * 86_400_000;
  const chunk = options.chunk ?? 10_000;
  for (let start = 0; start < plan.length; start += chunk) {
    const end = Math.min(plan.length, start + chunk);
    const ids: string[] = [];
    const kinds: string[] = [];
    const quantities: number[] = [];
    const costs: number[] = [];
    const times: string[] = [];
    for (let i = start; i < end; i++) {
      const p = plan.product[i];
      const day = plan.day[i];
      ids.push(products[p].id);
      kinds.push(KINDS[plan.kind[i]]);
      quantities.push(plan.quantity[i]);
      costs.push(planned[p].unitCostXof);
      const fraction = plan.rank[i] / plan.dayCounts[day];
      times.push(
        new Date(firstDay + day * 86_400_000 + (8 + 12 * fraction) * 3_600_000).toISOString(),
      );
    }
    await sql`
      insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity,
        unit_cost_xof, reference, occurred_at)
      select ${tenant.id}, u.product_id, ${location.id}, u.kind::public.movement_kind, u.quantity,
        case when u.kind = 'receipt' then u.cost end,
        case when u.kind = 'receipt' then 'BL-' || u.ord + ${start} end,
        u.occurred_at
      from unnest(${ids}::uuid[], ${kinds}::text[], ${quantities}::int[], ${costs}::bigint[],
        ${times}::timestamptz[])
        with ordinality as u(product_id, kind, quantity, cost, occurred_at, ord)
      order by u.ord`;
    options.onProgress?.(end, plan.length);
  }
  return {
    id: tenant.id,
    name: options.name,
    owner: { id: user.id, email: options.email },
    locationId: location.id,
    products: products.length,
    movements: plan.length,
    days: plan.days,
  };
}

/** Refreshes planner statistics on the tables the seed filled. */
export async function analyzeSeeded(sql: Sql): Promise<void> {
  for (
    const table of [
      "stock_movements",
      "stock_levels",
      "product_costs",
      "products",
      "categories",
      "tenants",
      "memberships",
      "locations",
    ]
  ) {
    await sql.unsafe(`analyze public.${table}`);
  }
}
