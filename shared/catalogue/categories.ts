/**
 * Categories API: list (search by name, archived filter, sort), get, create, update,
 * archive or delete (only when no product uses it), restore.
 *
 * @module
 */
import type { z } from "@hono/zod-openapi";
import type { Deps } from "../http/context.ts";
import { errors } from "../http/errors.ts";
import { crudRoutes } from "./crud.ts";
import { resourceRouter } from "./router.ts";
import {
  CategoryListQuery,
  CategorySchema,
  CreateCategorySchema,
  NAME_SORTS,
  UpdateCategorySchema,
} from "./schemas.ts";
import { nameSearch, type Resource } from "./store.ts";

type Category = z.infer<typeof CategorySchema>;

/** The categories table as the shared catalogue SQL sees it. */
export const categories: Resource<Category, typeof NAME_SORTS[number]> = {
  table: (tx) => tx`public.categories`,
  columns: (tx) => tx`id, name, description, archived_at, created_at, updated_at`,
  sorts: {
    name: (tx) => tx`app.fold_search(name)`,
    created_at: (tx) => tx`created_at`,
    updated_at: (tx) => tx`updated_at`,
  },
  notFound: () => errors.notFound("Catégorie introuvable.", "category_not_found"),
  inUse: () =>
    errors.conflict(
      "category_in_use",
      "Des produits (éventuellement archivés) sont dans cette catégorie : archivez-la ou " +
        "changez d'abord leur catégorie.",
    ),
};

const routes = crudRoutes({
  path: "/categories",
  tag: "Catégories",
  item: CategorySchema,
  create: CreateCategorySchema,
  patch: UpdateCategorySchema,
  query: CategoryListQuery,
  summaries: {
    list: "Catégories : recherche par nom, tri, pagination",
    get: "Une catégorie",
    create: "Créer une catégorie (managers)",
    update: "Modifier une catégorie (managers)",
    remove: "Archiver une catégorie, ou la supprimer si aucun produit n'y est (managers)",
    restore: "Restaurer une catégorie archivée (managers)",
  },
});

/** Routes of the categories API (mounted under /v1). */
export function categoryRoutes(deps: Deps) {
  return resourceRouter(deps, {
    resource: categories,
    routes,
    filters: (tx, query) => nameSearch(tx, query.q),
  });
}
