/**
 * The RLS benchmark's dataset: a representative tenant table `public.bench_items`,
 * created in the benchmark's throw-away database only (it is not a project migration),
 * with the project's standard tenant-table pattern — RLS enabled, a `select` policy
 * `to authenticated using (tenant_id = (select app.current_tenant_id()))`, an index
 * leading with `tenant_id`, explicit grants — and tenants, owners and memberships
 * made through the real tables.
 *
 * @module
 */
import type { AccessClaims } from "../../shared/auth/jwt.ts";
import type { Sql } from "../../shared/db/client.ts";

/** One tenant of the dataset with its owner's claims (what the access token carries). */
export type BenchTenant = { id: string; name: string; claims: AccessClaims };

/** A keyset cursor: the last row of the previous page. */
export type Cursor = { name: string; id: string };

/** DDL of the benchmark table, section by section as the migrations are written. */
export const BENCH_TABLE_SQL = `
-- Tables
create table public.bench_items (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  sku text not null,
  name text not null,
  category text not null,
  qty integer not null default 0,
  unit_price_xof integer not null default 0 check (unit_price_xof >= 0),
  updated_at timestamptz not null default now(),
  unique (tenant_id, sku)
);
create index bench_items_tenant_name_idx on public.bench_items (tenant_id, name, id);
alter table public.bench_items enable row level security;

-- Policies
create policy bench_items_select on public.bench_items for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));

-- Grants
revoke all on public.bench_items from anon, authenticated;
grant select on public.bench_items to authenticated;
grant all on public.bench_items to service_role;
`;

// 20 products × 8 brands × 8 sizes: realistic names with many shared prefixes, so
// `order by name, id` needs the id tie-break as a dashboard's would.
const PRODUCTS = [
  "Riz brisé parfumé",
  "Huile d''arachide",
  "Sucre en poudre",
  "Lait en poudre",
  "Savon de Marseille",
  "Thé vert de Chine",
  "Café Touba",
  "Farine de blé",
  "Tomate concentrée",
  "Oignons de Hollande",
  "Pâtes spaghetti",
  "Sardines à l''huile",
  "Bouillon cube",
  "Eau minérale",
  "Jus de bissap",
  "Mil souna",
  "Niébé",
  "Arachides grillées",
  "Biscuits secs",
  "Lessive en poudre",
];
const BRANDS = [
  "Jumbo",
  "Maggi",
  "Dolima",
  "Kirène",
  "Vitalait",
  "Lion d''Or",
  "Patisen",
  "Sotiba",
];
const SIZES = ["250 g", "500 g", "1 kg", "5 kg", "25 kg", "50 cl", "1 L", "5 L"];

const array = (items: string[]) => `array[${items.map((item) => `'${item}'`).join(", ")}]`;

/**
 * Creates the table, `tenantCount` tenants each with an owner (auth.users, tenants,
 * memberships) and `rowsPerTenant` items per tenant, then analyzes.
 */
export async function seedBenchData(
  sql: Sql,
  tenantCount: number,
  rowsPerTenant: number,
): Promise<BenchTenant[]> {
  await sql.unsafe(BENCH_TABLE_SQL);
  const shops = ["Boutique Médina", "Quincaillerie Sandaga", "Alimentation Thiès"];
  const tenants: BenchTenant[] = [];
  for (let i = 0; i < tenantCount; i++) {
    const email = `proprietaire${i + 1}@bench.digiboost.sn`;
    const [user] = await sql<{ id: string }[]>`
      insert into auth.users (email, email_confirmed_at, aud, role)
      values (${email}, now(), 'authenticated', 'authenticated') returning id`;
    const name = shops[i % shops.length] + (i >= shops.length ? ` ${i + 1}` : "");
    const [tenant] = await sql<{ id: string }[]>`
      insert into public.tenants (name, created_by) values (${name}, ${user.id}) returning id`;
    await sql`insert into public.memberships (tenant_id, user_id, role)
      values (${tenant.id}, ${user.id}, 'owner')`;
    await sql.unsafe(
      `insert into public.bench_items (tenant_id, sku, name, category, qty, unit_price_xof, updated_at)
      select $1::uuid,
        'SKU-' || lpad(n::text, 6, '0'),
        p.products[1 + n % 20] || ' ' || p.brands[1 + (n / 20) % 8] || ' ' ||
          p.sizes[1 + (n / 160) % 8] || ' (lot ' || (n / 1280) || ')',
        p.categories[1 + n % 5],
        (random() * 500)::int,
        25 * (4 + (random() * 400)::int),
        now() - random() * interval '90 days'
      from generate_series(1, $2::int) n,
        (select ${array(PRODUCTS)} as products, ${array(BRANDS)} as brands,
          ${array(SIZES)} as sizes,
          array['Épicerie', 'Boissons', 'Hygiène', 'Produits frais', 'Entretien'] as categories) p`,
      [tenant.id, rowsPerTenant],
    );
    const now = Math.floor(Date.now() / 1000);
    tenants.push({
      id: tenant.id,
      name,
      claims: {
        sub: user.id,
        role: "authenticated",
        aud: "authenticated",
        email,
        session_id: crypto.randomUUID(),
        iat: now,
        exp: now + 3600,
        tenant_id: tenant.id,
        tenant_role: "owner",
      },
    });
  }
  await sql`vacuum analyze public.bench_items`;
  await sql`analyze public.memberships`;
  await sql`analyze public.tenants`;
  return tenants;
}

/** `count` random keyset cursors of one tenant (rows to start a page after). */
export async function sampleCursors(sql: Sql, tenantId: string, count: number): Promise<Cursor[]> {
  return await sql<Cursor[]>`
    select name, id from public.bench_items
    where tenant_id = ${tenantId} order by random() limit ${count}`;
}
