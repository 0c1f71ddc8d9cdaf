/**
 * Suppliers API: list (search by name, archived filter, sort), get, create, update,
 * archive or delete (only when no product names it), restore. Phone and WhatsApp
 * numbers are stored in E.164; local Senegalese numbers are accepted.
 *
 * @module
 */
import type { z } from "@hono/zod-openapi";
import type { Deps } from "../http/context.ts";
import { errors } from "../http/errors.ts";
import { crudRoutes } from "./crud.ts";
import { resourceRouter } from "./router.ts";
import {
  CreateSupplierSchema,
  NAME_SORTS,
  SupplierListQuery,
  SupplierSchema,
  UpdateSupplierSchema,
} from "./schemas.ts";
import { nameSearch, type Resource } from "./store.ts";

type Supplier = z.infer<typeof SupplierSchema>;

/** The suppliers table as the shared catalogue SQL sees it. */
export const suppliers: Resource<Supplier, typeof NAME_SORTS[number]> = {
  table: (tx) => tx`public.suppliers`,
  columns: (tx) =>
    tx`id, name, phone, whatsapp, email, lead_time_days, notes, archived_at, created_at, updated_at`,
  sorts: {
    name: (tx) => tx`app.fold_search(name)`,
    created_at: (tx) => tx`created_at`,
    updated_at: (tx) => tx`updated_at`,
  },
  notFound: () => errors.notFound("Fournisseur introuvable.", "supplier_not_found"),
  inUse: () =>
    errors.conflict(
      "supplier_in_use",
      "Des produits (éventuellement archivés) ont ce fournisseur : archivez-le ou changez " +
        "d'abord leur fournisseur.",
    ),
};

const routes = crudRoutes({
  path: "/suppliers",
  tag: "Fournisseurs",
  item: SupplierSchema,
  create: CreateSupplierSchema,
  patch: UpdateSupplierSchema,
  query: SupplierListQuery,
  summaries: {
    list: "Fournisseurs : recherche par nom, tri, pagination",
    get: "Un fournisseur",
    create: "Créer un fournisseur (managers)",
    update: "Modifier un fournisseur (managers)",
    remove: "Archiver un fournisseur, ou le supprimer si aucun produit ne le cite (managers)",
    restore: "Restaurer un fournisseur archivé (managers)",
  },
});

/** Routes of the suppliers API (mounted under /v1). */
export function supplierRoutes(deps: Deps) {
  return resourceRouter(deps, {
    resource: suppliers,
    routes,
    filters: (tx, query) => nameSearch(tx, query.q),
  });
}
