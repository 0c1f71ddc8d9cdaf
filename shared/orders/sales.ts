/**
 * Sales orders API: create (with lines), list, get, add or change lines while draft,
 * confirm, deliver (part or all: sale movements through the ledger, 409
 * insufficient_stock naming the line, nothing written), cancel (no movement).
 *
 * @module
 */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/middleware.ts";
import { withTenantTx } from "../db/tx.ts";
import type { Deps } from "../http/context.ts";
import {
  AUTHED_ERRORS,
  bearer,
  createRouter,
  errorResponses,
  jsonBody,
  jsonResponse,
} from "../http/openapi.ts";
import {
  CancelSalesInput,
  CreateSalesOrder,
  DeliverInput,
  EmptyInput,
  LineParams,
  OrderParams,
  SalesLineInput,
  SalesLinePatch,
  SalesListQuery,
  SalesOrderPage,
  SalesOrderSchema,
} from "./schemas.ts";
import {
  addLine,
  createOrder,
  getOrder,
  listOrders,
  SALES,
  transition,
  updateLine,
} from "./store.ts";

const common = {
  tags: ["Commandes clients"],
  security: bearer,
  middleware: [requireUser] as [typeof requireUser],
};
const WRITE = [...AUTHED_ERRORS, 404, 409, 415, 422] as const;
const order = (description: string) => jsonResponse(SalesOrderSchema, description);

const routes = {
  list: createRoute({
    ...common,
    method: "get",
    path: "/sales-orders",
    summary: "Commandes clients : filtre par statut, tri par date, pagination",
    request: { query: SalesListQuery },
    responses: {
      200: jsonResponse(SalesOrderPage, "Une page"),
      ...errorResponses(...AUTHED_ERRORS),
    },
  }),
  get: createRoute({
    ...common,
    method: "get",
    path: "/sales-orders/{id}",
    summary: "Une commande client avec ses lignes",
    request: { params: OrderParams },
    responses: { 200: order("Trouvée"), ...errorResponses(...AUTHED_ERRORS, 404) },
  }),
  create: createRoute({
    ...common,
    method: "post",
    path: "/sales-orders",
    summary: "Créer une commande client en brouillon (managers)",
    request: { body: jsonBody(CreateSalesOrder) },
    responses: { 201: order("Créée (brouillon)"), ...errorResponses(...WRITE) },
  }),
  addLine: createRoute({
    ...common,
    method: "post",
    path: "/sales-orders/{id}/lines",
    summary: "Ajouter une ligne à un brouillon (managers)",
    description: "409 order_not_draft hors brouillon ; 409 duplicate_product si le produit y est.",
    request: { params: OrderParams, body: jsonBody(SalesLineInput) },
    responses: { 201: order("Ligne ajoutée"), ...errorResponses(...WRITE) },
  }),
  updateLine: createRoute({
    ...common,
    method: "patch",
    path: "/sales-orders/{id}/lines/{line_id}",
    summary: "Modifier une ligne d'un brouillon (managers)",
    request: { params: LineParams, body: jsonBody(SalesLinePatch) },
    responses: { 200: order("Ligne modifiée"), ...errorResponses(...WRITE) },
  }),
  confirm: createRoute({
    ...common,
    method: "post",
    path: "/sales-orders/{id}/confirm",
    summary: "Confirmer un brouillon (managers)",
    description: "409 invalid_transition hors brouillon ; 422 order_empty sans ligne.",
    request: {
      params: OrderParams,
      body: { content: { "application/json": { schema: EmptyInput } } },
    },
    responses: { 200: order("Confirmée"), ...errorResponses(...WRITE) },
  }),
  deliver: createRoute({
    ...common,
    method: "post",
    path: "/sales-orders/{id}/deliver",
    summary: "Livrer tout ou partie d'une commande confirmée (managers)",
    description: "Écrit une vente par ligne dans le registre, tout ou rien. Stock insuffisant : " +
      "409 insufficient_stock (details[].line et line_id) ; quantité au-delà du reste : 409 " +
      "quantity_exceeds_remaining ; ligne inconnue : 404 line_not_found ; commande non " +
      "confirmée : 409 invalid_transition.",
    request: { params: OrderParams, body: jsonBody(DeliverInput) },
    responses: { 200: order("Livrée (partiellement ou entièrement)"), ...errorResponses(...WRITE) },
  }),
  cancel: createRoute({
    ...common,
    method: "post",
    path: "/sales-orders/{id}/cancel",
    summary: "Annuler une commande non soldée (managers)",
    description: "Aucun mouvement : ce qui a été livré le reste (un retour est un mouvement " +
      "`return` explicite). 409 invalid_transition si livrée ou déjà annulée.",
    request: { params: OrderParams, body: jsonBody(CancelSalesInput) },
    responses: { 200: order("Annulée"), ...errorResponses(...WRITE) },
  }),
};

/** Routes of the sales orders API (mounted under /v1). */
export function salesOrderRoutes(deps: Deps) {
  const { sql } = deps.db;
  const app = createRouter();
  const read = <T>(
    c: Parameters<typeof withTenantTx>[1],
    t: string | undefined,
    fn: Parameters<typeof withTenantTx<T>>[3],
  ) => withTenantTx(sql, c, t, fn);
  const write = <T>(
    c: Parameters<typeof withTenantTx>[1],
    t: string | undefined,
    fn: Parameters<typeof withTenantTx<T>>[3],
  ) => withTenantTx(sql, c, t, fn, "manager");

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid("query");
    const page = await read(
      c.var.claims,
      c.var.tenantId,
      (tx, t) => listOrders(tx, SALES, t.id, query),
    );
    return c.json(page as never, 200);
  });
  app.openapi(routes.get, async (c) => {
    const { id } = c.req.valid("param");
    const found = await read(
      c.var.claims,
      c.var.tenantId,
      (tx, t) => getOrder(tx, SALES, t.id, id),
    );
    return c.json(found as never, 200);
  });
  app.openapi(routes.create, async (c) => {
    const input = c.req.valid("json");
    const created = await write(
      c.var.claims,
      c.var.tenantId,
      (tx, t) => createOrder(tx, SALES, t.id, input),
    );
    return c.json(created as never, 201);
  });
  app.openapi(routes.addLine, async (c) => {
    const { id } = c.req.valid("param");
    const line = c.req.valid("json");
    const updated = await write(
      c.var.claims,
      c.var.tenantId,
      (tx, t) => addLine(tx, SALES, t.id, id, line),
    );
    return c.json(updated as never, 201);
  });
  app.openapi(routes.updateLine, async (c) => {
    const ids = c.req.valid("param");
    const patch = c.req.valid("json");
    const updated = await write(
      c.var.claims,
      c.var.tenantId,
      (tx, t) => updateLine(tx, SALES, t.id, ids, patch),
    );
    return c.json(updated as never, 200);
  });
  app.openapi(routes.confirm, async (c) => {
    const { id } = c.req.valid("param");
    const done = await write(
      c.var.claims,
      c.var.tenantId,
      (tx, t) =>
        transition(tx, SALES, t.id, id, (tx) => tx`select public.confirm_sales_order(${id})`),
    );
    return c.json(done as never, 200);
  });
  app.openapi(routes.deliver, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const done = await write(
      c.var.claims,
      c.var.tenantId,
      (tx, t) =>
        transition(
          tx,
          SALES,
          t.id,
          id,
          (tx) =>
            tx`select public.deliver_sales_order(${id}, ${JSON.stringify(input.lines)}::text::jsonb,
          ${input.occurred_at ?? null}::timestamptz)`,
        ),
    );
    return c.json(done as never, 200);
  });
  app.openapi(routes.cancel, async (c) => {
    const { id } = c.req.valid("param");
    const { cancelled_by } = c.req.valid("json");
    const done = await write(
      c.var.claims,
      c.var.tenantId,
      (tx, t) =>
        transition(
          tx,
          SALES,
          t.id,
          id,
          (tx) => tx`select public.cancel_sales_order(${id}, ${cancelled_by}::public.cancelled_by)`,
        ),
    );
    return c.json(done as never, 200);
  });

  return app;
}
