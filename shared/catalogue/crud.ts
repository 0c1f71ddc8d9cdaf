/**
 * The shape every catalogue resource shares: six documented routes (list, get, create,
 * update, archive or delete, restore), the list query (limit/offset pagination with a
 * total, `archived` filter, `q` search, `sort` with a `-` prefix for descending) and
 * the page envelope.
 *
 * @module
 */
import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../auth/middleware.ts";
import { AUTHED_ERRORS, bearer, errorResponses, jsonBody, jsonResponse } from "../http/openapi.ts";
import { line } from "./fields.ts";

/** Largest page. */
export const MAX_LIMIT = 200;
/** Page size when `limit` is not given. */
export const DEFAULT_LIMIT = 50;

/** Path parameter `{id}` of one row. */
export const IdParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
});

/** `?hard=true` on DELETE: delete instead of archiving. */
export const DeleteQuery = z.object({
  hard: z.enum(["true", "false"]).optional().openapi({
    description: "true : supprimer définitivement (seulement si rien n'y fait référence) au " +
      "lieu d'archiver.",
  }),
}).strict();

/** Archived rows in lists: left out (default), included, or only them. */
export const ArchivedFilter = z.enum(["exclude", "include", "only"]).openapi({
  description: "Éléments archivés : exclude (défaut), include, only.",
});

/** `true`/`false` in a query string. */
export const QueryBoolean = z.enum(["true", "false"]).transform((value) => value === "true");

/** A sort key, or the same key prefixed with `-` for descending order. */
export type SortParam<K extends string> = K | `-${K}`;

/**
 * The query of a list route: pagination, archived filter, search and sort among
 * `sorts` (default `defaultSort`). Resources add their own filters with `.extend()`.
 */
export function listQuery<const K extends string>(sorts: readonly [K, ...K[]], defaultSort: K) {
  const values = sorts.flatMap((key) => [key, `-${key}`]) as [SortParam<K>, ...SortParam<K>[]];
  return z.object({
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).openapi({
      description: `Taille de la page (1 à ${MAX_LIMIT}).`,
    }),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({
      type: "integer",
      description: "Nombre d'éléments à sauter.",
    }),
    sort: z.enum(values).default(defaultSort as never).openapi({
      description: `Tri : ${sorts.join(", ")} ; préfixe - pour l'ordre décroissant. ` +
        "Les égalités sont départagées par id.",
    }),
    archived: ArchivedFilter.default("exclude"),
    q: line(100).optional().openapi({
      description: "Recherche sans tenir compte des majuscules ni des accents.",
    }),
  });
}

/** Splits a sort parameter into its key and direction. */
export function parseSort<K extends string>(sort: SortParam<K>): { key: K; descending: boolean } {
  return sort.startsWith("-")
    ? { key: sort.slice(1) as K, descending: true }
    : { key: sort as K, descending: false };
}

/** Position of a page in the whole list. */
export const PageSchema = z.object({
  limit: z.int(),
  offset: z.int(),
  total: z.int().openapi({ description: "Nombre total d'éléments correspondant aux filtres." }),
}).openapi("Page");

/** A page of `item`: `{ data: [...], page: { limit, offset, total } }`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), page: PageSchema });
}

/** French summaries of the six routes of a resource. */
export type Summaries = {
  list: string;
  get: string;
  create: string;
  update: string;
  remove: string;
  restore: string;
};

/**
 * The six routes of a catalogue resource under `path`. Reads are for every member;
 * writes need the manager role (checked by the handlers through `withTenantTx`).
 */
export function crudRoutes<
  const P extends string,
  Item extends z.ZodType,
  Create extends z.ZodType,
  Patch extends z.ZodType,
  Query extends z.ZodObject,
>(spec: {
  path: P;
  tag: string;
  item: Item;
  create: Create;
  patch: Patch;
  query: Query;
  summaries: Summaries;
}) {
  const one = `${spec.path}/{id}` as `${P}/{id}`;
  const restore = `${spec.path}/{id}/restore` as `${P}/{id}/restore`;
  const common = {
    tags: [spec.tag],
    security: bearer,
    middleware: [requireUser] as [typeof requireUser],
  };
  return {
    list: createRoute({
      ...common,
      method: "get",
      path: spec.path,
      summary: spec.summaries.list,
      request: { query: spec.query },
      responses: {
        200: jsonResponse(pageOf(spec.item), "Une page de la liste"),
        ...errorResponses(...AUTHED_ERRORS),
      },
    }),
    get: createRoute({
      ...common,
      method: "get",
      path: one,
      summary: spec.summaries.get,
      request: { params: IdParams },
      responses: {
        200: jsonResponse(spec.item, "Trouvé"),
        ...errorResponses(...AUTHED_ERRORS, 404),
      },
    }),
    create: createRoute({
      ...common,
      method: "post",
      path: spec.path,
      summary: spec.summaries.create,
      request: { body: jsonBody(spec.create) },
      responses: {
        201: jsonResponse(spec.item, "Créé"),
        ...errorResponses(...AUTHED_ERRORS, 409, 415, 422),
      },
    }),
    update: createRoute({
      ...common,
      method: "patch",
      path: one,
      summary: spec.summaries.update,
      request: { params: IdParams, body: jsonBody(spec.patch) },
      responses: {
        200: jsonResponse(spec.item, "Modifié"),
        ...errorResponses(...AUTHED_ERRORS, 404, 409, 415, 422),
      },
    }),
    remove: createRoute({
      ...common,
      method: "delete",
      path: one,
      summary: spec.summaries.remove,
      request: { params: IdParams, query: DeleteQuery },
      responses: {
        200: jsonResponse(spec.item, "Archivé (archived_at renseigné)"),
        204: { description: "Supprimé définitivement (?hard=true)" },
        ...errorResponses(...AUTHED_ERRORS, 404, 409),
      },
    }),
    restore: createRoute({
      ...common,
      method: "post",
      path: restore,
      summary: spec.summaries.restore,
      request: { params: IdParams },
      responses: {
        200: jsonResponse(spec.item, "Restauré (archived_at vide)"),
        ...errorResponses(...AUTHED_ERRORS, 404, 409),
      },
    }),
  };
}
