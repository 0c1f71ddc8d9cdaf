/**
 * What the sales and purchase orders APIs share, built from one kind's descriptor and
 * schemas: the routes of a draft (list, get, create, add or change a line), the shape of
 * a transition route (`POST …/{id}/<verb>`), and one router whose handlers run in the
 * caller's tenant (reads as viewer, writes as manager) and answer with the order.
 *
 * @module
 */
import { createRoute, type RouteConfig, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requireUser } from "../auth/middleware.ts";
import type { Tx } from "../db/client.ts";
import { withTenantTx } from "../db/tx.ts";
import type { AppEnv, Deps } from "../http/context.ts";
import {
  AUTHED_ERRORS,
  bearer,
  createRouter,
  errorResponses,
  jsonBody,
  jsonResponse,
} from "../http/openapi.ts";
import { IdempotencyHeaders } from "../inventory/schemas.ts";
import { managerWrite, replayed } from "../inventory/write.ts";
import { EmptyInput, LineParams, OrderParams } from "./schemas.ts";
import {
  addLine,
  createOrder,
  getOrder,
  listOrders,
  type OrderKind,
  transition,
  updateLine,
} from "./store.ts";

type ListQuery = Parameters<typeof listOrders>[3];
type CreateInput = Parameters<typeof createOrder>[3];
type LineInput = Parameters<typeof addLine>[4];
type LinePatch = Parameters<typeof updateLine>[4];

const WRITE = [...AUTHED_ERRORS, 404, 409, 415, 422] as const;

/** An optional empty JSON body (transitions that take no input). */
export const emptyBody = { content: { "application/json": { schema: EmptyInput } } };

/** One kind's path, tag, schemas and French summaries. */
export type OrderApi<
  P extends string,
  Order extends z.ZodType,
  Query extends z.ZodObject,
  Create extends z.ZodType,
  Line extends z.ZodType,
  Patch extends z.ZodType,
> = {
  path: P;
  tag: string;
  order: Order;
  page: z.ZodType;
  query: Query;
  create: Create;
  line: Line;
  patch: Patch;
  summaries: { list: string; get: string; create: string };
};

/** The routes every kind of order shares, and `transition` for its own verbs. */
export function orderRoutes<
  const P extends string,
  Order extends z.ZodType,
  Query extends z.ZodObject,
  Create extends z.ZodType,
  Line extends z.ZodType,
  Patch extends z.ZodType,
>(api: OrderApi<P, Order, Query, Create, Line, Patch>) {
  const common = {
    tags: [api.tag],
    security: bearer,
    middleware: [requireUser] as [typeof requireUser],
  };
  const order = (description: string) => jsonResponse(api.order, description);
  const one = `${api.path}/{id}` as `${P}/{id}`;
  const lines = `${api.path}/{id}/lines` as `${P}/{id}/lines`;
  return {
    list: createRoute({
      ...common,
      method: "get",
      path: api.path,
      summary: api.summaries.list,
      request: { query: api.query },
      responses: {
        200: jsonResponse(api.page, "Une page"),
        ...errorResponses(...AUTHED_ERRORS),
      },
    }),
    get: createRoute({
      ...common,
      method: "get",
      path: one,
      summary: api.summaries.get,
      request: { params: OrderParams },
      responses: { 200: order("Trouvée"), ...errorResponses(...AUTHED_ERRORS, 404) },
    }),
    create: createRoute({
      ...common,
      method: "post",
      path: api.path,
      summary: api.summaries.create,
      request: { body: jsonBody(api.create) },
      responses: { 201: order("Créée (brouillon)"), ...errorResponses(...WRITE) },
    }),
    addLine: createRoute({
      ...common,
      method: "post",
      path: lines,
      summary: "Ajouter une ligne à un brouillon (managers)",
      description:
        "409 order_not_draft hors brouillon ; 409 duplicate_product si le produit y est.",
      request: { params: OrderParams, body: jsonBody(api.line) },
      responses: { 201: order("Ligne ajoutée"), ...errorResponses(...WRITE) },
    }),
    updateLine: createRoute({
      ...common,
      method: "patch",
      path: `${lines}/{line_id}` as `${P}/{id}/lines/{line_id}`,
      summary: "Modifier une ligne d'un brouillon (managers)",
      request: { params: LineParams, body: jsonBody(api.patch) },
      responses: { 200: order("Ligne modifiée"), ...errorResponses(...WRITE) },
    }),
    /** `POST {path}/{id}/{verb}` taking `body`, answering 200 with the order. */
    transition: <const V extends string, B extends z.ZodType>(verb: V, spec: {
      summary: string;
      description: string;
      body: { required?: boolean; content: { "application/json": { schema: B } } };
      done: string;
    }) =>
      createRoute({
        ...common,
        method: "post",
        path: `${one}/${verb}` as `${P}/{id}/${V}`,
        summary: spec.summary,
        description: spec.description,
        request: { params: OrderParams, headers: IdempotencyHeaders, body: spec.body },
        responses: { 200: order(spec.done), ...errorResponses(...WRITE) },
      }),
  };
}

/** A transition route whose body is `B`. */
type TransitionRoute<B extends z.ZodType> = RouteConfig & {
  request: {
    params: typeof OrderParams;
    headers: typeof IdempotencyHeaders;
    body: { content: { "application/json": { schema: B } } };
  };
};

/** What each handler reads from its request, as its route validated it. */
type Inputs<Query extends z.ZodType, Create extends z.ZodType, Line extends z.ZodType, Patch> = {
  list: { query: z.output<Query> };
  get: { param: z.output<typeof OrderParams> };
  create: { json: z.output<Create> };
  addLine: { param: z.output<typeof OrderParams>; json: z.output<Line> };
  updateLine: { param: z.output<typeof LineParams>; json: Patch };
};

/**
 * A router with the shared handlers of one kind of order (mounted under /v1), and
 * `transition(route, call)` to mount a verb of its own: `call` runs the SQL function with
 * the order's id and the validated body; the answer is the order after it.
 */
export function orderRouter<
  P extends string,
  Query extends z.ZodObject & z.ZodType<ListQuery>,
  Create extends z.ZodType<CreateInput>,
  Line extends z.ZodType<LineInput>,
  Patch extends z.ZodType<LinePatch>,
>(
  deps: Deps,
  kind: OrderKind,
  routes: ReturnType<typeof orderRoutes<P, z.ZodType, Query, Create, Line, Patch>>,
) {
  const { sql } = deps.db;
  const app = createRouter();
  type Handler<Out extends object> = (
    c: Context<AppEnv, string, { out: Out }>,
  ) => Promise<Response>;
  // @hono/zod-openapi types `c.req.valid(target)` and the responses from the route's
  // config, conditional types TypeScript cannot evaluate while the schemas are type
  // parameters. orderRoutes() puts exactly the schemas of `Inputs` (and of a transition's
  // body) at those targets and the router validates them before a handler runs; the
  // orders answered are the rows `getOrder` reads. This one cast restates that.
  const mount = <Out extends object>(route: RouteConfig, handler: Handler<Out>) =>
    app.openapi(route, handler as never);
  type In = Inputs<Query, Create, Line, z.output<Patch>>;
  type Caller = { var: AppEnv["Variables"] };
  const read = <T>(c: Caller, fn: (tx: Tx, tenantId: string) => Promise<T>) =>
    withTenantTx(sql, c.var.claims, c.var.tenantId, (tx, t) => fn(tx, t.id));
  const write = <T>(c: Caller, fn: (tx: Tx, tenantId: string) => Promise<T>) =>
    withTenantTx(sql, c.var.claims, c.var.tenantId, (tx, t) => fn(tx, t.id), "manager");

  mount<In["list"]>(routes.list, async (c) => {
    const query = c.req.valid("query");
    return c.json(await read(c, (tx, t) => listOrders(tx, kind, t, query)), 200);
  });
  mount<In["get"]>(routes.get, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await read(c, (tx, t) => getOrder(tx, kind, t, id)), 200);
  });
  mount<In["create"]>(routes.create, async (c) => {
    const input = c.req.valid("json");
    return c.json(await write(c, (tx, t) => createOrder(tx, kind, t, input)), 201);
  });
  mount<In["addLine"]>(routes.addLine, async (c) => {
    const { id } = c.req.valid("param");
    const line = c.req.valid("json");
    return c.json(await write(c, (tx, t) => addLine(tx, kind, t, id, line)), 201);
  });
  mount<In["updateLine"]>(routes.updateLine, async (c) => {
    const ids = c.req.valid("param");
    const patch = c.req.valid("json");
    return c.json(await write(c, (tx, t) => updateLine(tx, kind, t, ids, patch)), 200);
  });

  return {
    app,
    transition: <B extends z.ZodType>(
      route: TransitionRoute<B>,
      call: (tx: Tx, id: string, input: z.output<B>) => Promise<unknown>,
    ) =>
      mount<{
        param: z.output<typeof OrderParams>;
        json: z.output<B>;
        header: z.output<typeof IdempotencyHeaders>;
      }>(route, async (c) => {
        const { id } = c.req.valid("param");
        const input = c.req.valid("json");
        // With an Idempotency-Key, a retried delivery or receipt moves stock once.
        const key = c.req.valid("header")["idempotency-key"];
        const path = `POST ${route.path.replace("{id}", id)}`;
        const done = await managerWrite(
          c as unknown as Context<AppEnv>,
          path,
          key,
          (tx, t) => transition(tx, kind, t.id, id, (tx) => call(tx, id, input)),
          200,
        );
        return c.json(replayed(c as unknown as Context<AppEnv>, done), 200);
      }),
  };
}
