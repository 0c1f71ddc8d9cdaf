/**
 * Products API: list (search by name, SKU or barcode; filters by category, supplier,
 * active, archived; sort), get, create, update, archive or delete, restore.
 *
 * Each product carries `stock_on_hand`, the sum of its stock levels over all locations
 * (kept by the ledger's trigger); `low_stock` keeps those at or below their reorder point.
 *
 * @module
 */
import type { z } from "@hono/zod-openapi";
import type { Tx } from "../db/client.ts";
import type { Deps } from "../http/context.ts";
import { errors } from "../http/errors.ts";
import { crudRoutes } from "./crud.ts";
import { resourceRouter } from "./router.ts";
import {
  CreateProductSchema,
  PRODUCT_SORTS,
  ProductListQuery,
  ProductSchema,
  UpdateProductSchema,
} from "./schemas.ts";
import type { Fragment, Resource } from "./store.ts";

type Product = z.infer<typeof ProductSchema>;

/** Total stock of the product row in scope (`products.*`), over all its locations. */
const stockOnHand = (tx: Tx) =>
  tx`(select coalesce(sum(sl.quantity), 0) from public.stock_levels sl
    where sl.tenant_id = products.tenant_id and sl.product_id = products.id)`;

/** The products table as the shared catalogue SQL sees it. */
export const products: Resource<Product, typeof PRODUCT_SORTS[number]> = {
  table: (tx) => tx`public.products`,
  // Amounts are bigint; as float8 they arrive as exact JS numbers (≤ 10^12 < 2^53).
  columns: (tx) =>
    tx`id, sku, name, category_id, unit, barcode,
    sale_price_xof::float8 as sale_price_xof, unit_cost_xof::float8 as unit_cost_xof,
    reorder_point, max_stock, lead_time_days, supplier_id, active,
    ${stockOnHand(tx)}::float8 as stock_on_hand, archived_at, created_at, updated_at`,
  sorts: {
    name: (tx) => tx`name_search`,
    sku: (tx) => tx`lower(sku)`,
    sale_price_xof: (tx) => tx`sale_price_xof`,
    unit_cost_xof: (tx) => tx`unit_cost_xof`,
    stock_on_hand: stockOnHand,
    created_at: (tx) => tx`created_at`,
    updated_at: (tx) => tx`updated_at`,
  },
  notFound: () => errors.notFound("Produit introuvable.", "product_not_found"),
  inUse: () =>
    errors.conflict(
      "product_in_use",
      "Ce produit a un historique (mouvements, commandes) : archivez-le au lieu de le supprimer.",
    ),
};

const routes = crudRoutes({
  path: "/products",
  tag: "Produits",
  item: ProductSchema,
  create: CreateProductSchema,
  patch: UpdateProductSchema,
  query: ProductListQuery,
  summaries: {
    list: "Produits : recherche (nom, référence, code-barres), filtres, tri, pagination",
    get: "Un produit",
    create: "Créer un produit (managers)",
    update: "Modifier un produit (managers) ; seuls les champs fournis changent",
    remove: "Archiver un produit, ou le supprimer s'il n'a aucun historique (managers)",
    restore: "Restaurer un produit archivé (managers)",
  },
});

/**
 * The product list's own filters, as SQL starting with `and` (or nothing): `q` in the
 * folded name or the SKU, or the exact barcode; category, supplier, active, low stock.
 */
function productFilters(tx: Tx, query: z.output<typeof ProductListQuery>): Fragment {
  const search = query.q
    ? tx`and (name_search like (select app.search_pattern(${query.q}))
      or lower(sku) like (select app.search_pattern(${query.q})) or barcode = ${query.q})`
    : tx``;
  return tx`${search}
    ${query.category_id ? tx`and category_id = ${query.category_id}` : tx``}
    ${query.supplier_id ? tx`and supplier_id = ${query.supplier_id}` : tx``}
    ${query.active === undefined ? tx`` : tx`and active = ${query.active}`}
    ${
    query.low_stock === undefined
      ? tx``
      : query.low_stock
      ? tx`and ${stockOnHand(tx)} <= reorder_point`
      : tx`and ${stockOnHand(tx)} > reorder_point`
  }`;
}

/** Routes of the products API (mounted under /v1). */
export function productRoutes(deps: Deps) {
  return resourceRouter(deps, { resource: products, routes, filters: productFilters });
}
