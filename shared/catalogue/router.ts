/**
 * The six handlers every catalogue resource shares (list, get, create, update, archive
 * or delete with `?hard=true`, restore), mounted on one router from the resource's
 * table descriptor, its routes (see `crud.ts`) and the SQL of its list filters.
 * Reads run as viewer, writes as manager, all through `inTenant`.
 *
 * @module
 */
import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Tx } from "../db/client.ts";
import type { AppEnv, Deps } from "../http/context.ts";
import { createRouter } from "../http/openapi.ts";
import type { crudRoutes, DeleteQuery, IdParams } from "./crud.ts";
import {
  deleteOne,
  findOne,
  type Fragment,
  insertOne,
  inTenant,
  listPage,
  type ListQuery,
  type Resource,
  setArchived,
  updateOne,
} from "./store.ts";

/** What each handler reads from its request, as its route validated it. */
type Inputs<Create extends z.ZodType, Patch extends z.ZodType, Query extends z.ZodObject> = {
  list: { query: z.output<Query> };
  get: { param: z.output<typeof IdParams> };
  create: { json: z.output<Create> };
  update: { param: z.output<typeof IdParams>; json: z.output<Patch> };
  remove: { param: z.output<typeof IdParams>; query: z.output<typeof DeleteQuery> };
  restore: { param: z.output<typeof IdParams> };
};

/**
 * A router with the six handlers of one catalogue resource (mounted under /v1): its
 * `resource` (the table as the shared SQL sees it), its six `routes`, its list's own
 * `filters` (search included, as SQL starting with `and`, or empty) and, if the
 * resource has a rule the row alone cannot hold, `beforeWrite`: run in the transaction
 * of a create (`id` absent) or an update, before the write.
 */
export function resourceRouter<
  P extends string,
  Item extends z.ZodType<object>,
  Create extends z.ZodType<Record<string, unknown>>,
  Patch extends z.ZodType<Record<string, unknown>>,
  Query extends z.ZodObject & z.ZodType<ListQuery<K>>,
  K extends string,
>(deps: Deps, spec: {
  resource: Resource<z.output<Item>, K>;
  routes: ReturnType<typeof crudRoutes<P, Item, Create, Patch, Query>>;
  filters: (tx: Tx, query: z.output<Query>) => Fragment;
  beforeWrite?: (
    tx: Tx,
    tenantId: string,
    input: z.output<Create> | z.output<Patch>,
    id?: string,
  ) => Promise<void>;
}) {
  const { sql } = deps.db;
  const { resource, routes, filters, beforeWrite } = spec;
  const app = createRouter();

  type Name = keyof typeof routes;
  type Handler<N extends Name> = (
    c: Context<AppEnv, string, { out: Inputs<Create, Patch, Query>[N] }>,
  ) => Promise<Response>;
  // @hono/zod-openapi types `c.req.valid(target)` and the responses from the route's
  // config, conditional types TypeScript cannot evaluate while the schemas are type
  // parameters. crudRoutes() puts exactly the schemas of `Inputs` at those targets and
  // the router validates them before a handler runs; the rows returned are
  // `z.output<Item>` through `resource`. This one cast restates that.
  const mount = <N extends Name>(name: N, handler: Handler<N>) =>
    app.openapi(routes[name], handler as never);

  mount("list", async (c) => {
    const query = c.req.valid("query");
    const page = await inTenant(
      sql,
      c,
      "viewer",
      (tx, t) => listPage(tx, resource, t.id, query, (tx) => filters(tx, query)),
    );
    return c.json(page, 200);
  });

  mount("get", async (c) => {
    const { id } = c.req.valid("param");
    const row = await inTenant(sql, c, "viewer", (tx, t) => findOne(tx, resource, t.id, id));
    return c.json(row, 200);
  });

  mount("create", async (c) => {
    const input = c.req.valid("json");
    const row = await inTenant(sql, c, "manager", async (tx, t) => {
      await beforeWrite?.(tx, t.id, input);
      return await insertOne(tx, resource, t.id, input);
    });
    return c.json(row, 201);
  });

  mount("update", async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const row = await inTenant(sql, c, "manager", async (tx, t) => {
      await beforeWrite?.(tx, t.id, input, id);
      return await updateOne(tx, resource, t.id, id, input);
    });
    return c.json(row, 200);
  });

  mount("remove", async (c) => {
    const { id } = c.req.valid("param");
    if (c.req.valid("query").hard === "true") {
      await inTenant(sql, c, "manager", (tx, t) => deleteOne(tx, resource, t.id, id), resource);
      return c.body(null, 204);
    }
    const row = await inTenant(
      sql,
      c,
      "manager",
      (tx, t) => setArchived(tx, resource, t.id, id, true),
    );
    return c.json(row, 200);
  });

  mount("restore", async (c) => {
    const { id } = c.req.valid("param");
    const row = await inTenant(
      sql,
      c,
      "manager",
      (tx, t) => setArchived(tx, resource, t.id, id, false),
    );
    return c.json(row, 200);
  });

  return app;
}
