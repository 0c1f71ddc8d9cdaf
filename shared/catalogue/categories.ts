/**
 * Categories API: list (search by name, archived filter, sort), get, create, update,
 * archive or delete (only when no product uses it), restore.
 *
 * @module
 */
import type { z } from "@hono/zod-openapi";
import type { Deps } from "../http/context.ts";
import { errors } from "../http/errors.ts";
import { createRouter } from "../http/openapi.ts";
import { crudRoutes } from "./crud.ts";
import {
  CategoryListQuery,
  CategorySchema,
  CreateCategorySchema,
  NAME_SORTS,
  UpdateCategorySchema,
} from "./schemas.ts";
import {
  archiveOne,
  deleteOne,
  findOne,
  insertOne,
  inTenant,
  listPage,
  nameSearch,
  type Resource,
  restoreOne,
  updateOne,
} from "./store.ts";

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
  const { sql } = deps.db;
  const app = createRouter();

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid("query");
    const page = await inTenant(
      sql,
      c,
      "viewer",
      (tx, t) => listPage(tx, categories, t.id, query, (tx) => nameSearch(tx, query.q)),
    );
    return c.json(page, 200);
  });

  app.openapi(routes.get, async (c) => {
    const { id } = c.req.valid("param");
    const row = await inTenant(sql, c, "viewer", (tx, t) => findOne(tx, categories, t.id, id));
    return c.json(row, 200);
  });

  app.openapi(routes.create, async (c) => {
    const input = c.req.valid("json");
    const row = await inTenant(
      sql,
      c,
      "manager",
      (tx, t) => insertOne(tx, categories, t.id, input),
    );
    return c.json(row, 201);
  });

  app.openapi(routes.update, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const row = await inTenant(
      sql,
      c,
      "manager",
      (tx, t) => updateOne(tx, categories, t.id, id, input),
    );
    return c.json(row, 200);
  });

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid("param");
    if (c.req.valid("query").hard === "true") {
      await inTenant(sql, c, "manager", (tx, t) => deleteOne(tx, categories, t.id, id), categories);
      return c.body(null, 204);
    }
    const row = await inTenant(sql, c, "manager", (tx, t) => archiveOne(tx, categories, t.id, id));
    return c.json(row, 200);
  });

  app.openapi(routes.restore, async (c) => {
    const { id } = c.req.valid("param");
    const row = await inTenant(sql, c, "manager", (tx, t) => restoreOne(tx, categories, t.id, id));
    return c.json(row, 200);
  });

  return app;
}
