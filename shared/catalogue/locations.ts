/**
 * Locations API (shops and warehouses): list (search by name, kind, archived filter,
 * sort), get, create, update, archive or delete, restore. One location per tenant is
 * the default (where stock goes when an operation names none): `is_default: true`
 * moves that role, and the database refuses to archive or delete the default.
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
  CreateLocationSchema,
  LocationListQuery,
  LocationSchema,
  NAME_SORTS,
  UpdateLocationSchema,
} from "./schemas.ts";
import { nameSearch, type Resource } from "./store.ts";

type Location = z.infer<typeof LocationSchema>;

/** The locations table as the shared catalogue SQL sees it. */
export const locations: Resource<Location, typeof NAME_SORTS[number]> = {
  table: (tx) => tx`public.locations`,
  columns: (tx) => tx`id, name, kind, address, is_default, archived_at, created_at, updated_at`,
  sorts: {
    name: (tx) => tx`app.fold_search(name)`,
    created_at: (tx) => tx`created_at`,
    updated_at: (tx) => tx`updated_at`,
  },
  notFound: () => errors.notFound("Emplacement introuvable.", "location_not_found"),
  inUse: () =>
    errors.conflict(
      "location_in_use",
      "Cet emplacement a un historique de stock : archivez-le au lieu de le supprimer.",
    ),
};

/** The tenant's current default stops being it (one default per tenant, by index). */
async function releaseDefault(tx: Tx, tenantId: string, keep?: string): Promise<void> {
  await tx`update public.locations set is_default = false
    where tenant_id = ${tenantId} and is_default ${keep ? tx`and id <> ${keep}` : tx``}`;
}

const routes = crudRoutes({
  path: "/locations",
  tag: "Emplacements",
  item: LocationSchema,
  create: CreateLocationSchema,
  patch: UpdateLocationSchema,
  query: LocationListQuery,
  summaries: {
    list: "Emplacements (boutiques, dépôts) : recherche par nom, type, tri, pagination",
    get: "Un emplacement",
    create: "Créer un emplacement (managers)",
    update: "Modifier un emplacement, ou en faire l'emplacement par défaut (managers)",
    remove: "Archiver un emplacement, ou le supprimer s'il n'a aucun historique (managers)",
    restore: "Restaurer un emplacement archivé (managers)",
  },
});

/** Routes of the locations API (mounted under /v1). */
export function locationRoutes(deps: Deps) {
  return resourceRouter(deps, {
    resource: locations,
    routes,
    filters: (tx, query) =>
      tx`${nameSearch(tx, query.q)} ${query.kind ? tx`and kind = ${query.kind}` : tx``}`,
    beforeWrite: async (tx, tenantId, input, id) => {
      if (input.is_default) await releaseDefault(tx, tenantId, id);
    },
  });
}
