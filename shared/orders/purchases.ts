/**
 * Purchase orders API: create (with lines), list, get, add or change lines while draft,
 * send (the lead time starts), receive (part or all: receipt movements with unit cost
 * through the ledger, one purchase receipt per line with its observed lead time),
 * cancel (no movement; what was received stays).
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
  CreatePurchaseOrder,
  EmptyInput,
  LineParams,
  OrderParams,
  PurchaseLineInput,
  PurchaseLinePatch,
  PurchaseListQuery,
  PurchaseOrderPage,
  PurchaseOrderSchema,
  ReceiveInput,
} from "./schemas.ts";
import {
  addLine,
  createOrder,
  getOrder,
  listOrders,
  PURCHASES,
  transition,
  updateLine,
} from "./store.ts";

const common = {
  tags: ["Commandes fournisseurs"],
  security: bearer,
  middleware: [requireUser] as [typeof requireUser],
};
const WRITE = [...AUTHED_ERRORS, 404, 409, 415, 422] as const;
const order = (description: string) => jsonResponse(PurchaseOrderSchema, description);

const routes = {
  list: createRoute({
    ...common,
    method: "get",
    path: "/purchase-orders",
    summary: "Commandes fournisseurs : filtres statut et fournisseur, tri par date, pagination",
    request: { query: PurchaseListQuery },
    responses: {
      200: jsonResponse(PurchaseOrderPage, "Une page"),
      ...errorResponses(...AUTHED_ERRORS),
    },
  }),
  get: createRoute({
    ...common,
    method: "get",
    path: "/purchase-orders/{id}",
    summary: "Une commande fournisseur avec ses lignes et ses réceptions",
    request: { params: OrderParams },
    responses: { 200: order("Trouvée"), ...errorResponses(...AUTHED_ERRORS, 404) },
  }),
  create: createRoute({
    ...common,
    method: "post",
    path: "/purchase-orders",
    summary: "Créer une commande fournisseur en brouillon (managers)",
    request: { body: jsonBody(CreatePurchaseOrder) },
    responses: { 201: order("Créée (brouillon)"), ...errorResponses(...WRITE) },
  }),
  addLine: createRoute({
    ...common,
    method: "post",
    path: "/purchase-orders/{id}/lines",
    summary: "Ajouter une ligne à un brouillon (managers)",
    description: "409 order_not_draft hors brouillon ; 409 duplicate_product si le produit y est.",
    request: { params: OrderParams, body: jsonBody(PurchaseLineInput) },
    responses: { 201: order("Ligne ajoutée"), ...errorResponses(...WRITE) },
  }),
  updateLine: createRoute({
    ...common,
    method: "patch",
    path: "/purchase-orders/{id}/lines/{line_id}",
    summary: "Modifier une ligne d'un brouillon (managers)",
    request: { params: LineParams, body: jsonBody(PurchaseLinePatch) },
    responses: { 200: order("Ligne modifiée"), ...errorResponses(...WRITE) },
  }),
  send: createRoute({
    ...common,
    method: "post",
    path: "/purchase-orders/{id}/send",
    summary: "Marquer un brouillon comme envoyé au fournisseur (managers)",
    description: "409 invalid_transition hors brouillon ; 422 order_empty sans ligne.",
    request: {
      params: OrderParams,
      body: { content: { "application/json": { schema: EmptyInput } } },
    },
    responses: { 200: order("Envoyée"), ...errorResponses(...WRITE) },
  }),
  receive: createRoute({
    ...common,
    method: "post",
    path: "/purchase-orders/{id}/receive",
    summary: "Réceptionner tout ou partie d'une commande envoyée (managers)",
    description: "Écrit une réception (avec coût unitaire, qui entre dans le coût moyen pondéré) " +
      "par ligne dans le registre et le délai observé depuis l'envoi. Quantité au-delà du reste : " +
      "409 quantity_exceeds_remaining ; ligne inconnue : 404 line_not_found ; commande non " +
      "envoyée, annulée ou soldée : 409 invalid_transition.",
    request: { params: OrderParams, body: jsonBody(ReceiveInput) },
    responses: {
      200: order("Réceptionnée (partiellement ou entièrement)"),
      ...errorResponses(...WRITE),
    },
  }),
  cancel: createRoute({
    ...common,
    method: "post",
    path: "/purchase-orders/{id}/cancel",
    summary: "Annuler une commande fournisseur non soldée (managers)",
    description: "Aucun mouvement : ce qui a été reçu le reste. 409 invalid_transition si " +
      "reçue ou déjà annulée.",
    request: {
      params: OrderParams,
      body: { content: { "application/json": { schema: EmptyInput } } },
    },
    responses: { 200: order("Annulée"), ...errorResponses(...WRITE) },
  }),
};

/** Routes of the purchase orders API (mounted under /v1). */
export function purchaseOrderRoutes(deps: Deps) {
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
      (tx, t) => listOrders(tx, PURCHASES, t.id, query),
    );
    return c.json(page as never, 200);
  });
  app.openapi(routes.get, async (c) => {
    const { id } = c.req.valid("param");
    const found = await read(
      c.var.claims,
      c.var.tenantId,
      (tx, t) => getOrder(tx, PURCHASES, t.id, id),
    );
    return c.json(found as never, 200);
  });
  app.openapi(routes.create, async (c) => {
    const input = c.req.valid("json");
    const created = await write(
      c.var.claims,
      c.var.tenantId,
      (tx, t) => createOrder(tx, PURCHASES, t.id, input),
    );
    return c.json(created as never, 201);
  });
  app.openapi(routes.addLine, async (c) => {
    const { id } = c.req.valid("param");
    const line = c.req.valid("json");
    const updated = await write(
      c.var.claims,
      c.var.tenantId,
      (tx, t) => addLine(tx, PURCHASES, t.id, id, line),
    );
    return c.json(updated as never, 201);
  });
  app.openapi(routes.updateLine, async (c) => {
    const ids = c.req.valid("param");
    const patch = c.req.valid("json");
    const updated = await write(
      c.var.claims,
      c.var.tenantId,
      (tx, t) => updateLine(tx, PURCHASES, t.id, ids, patch),
    );
    return c.json(updated as never, 200);
  });
  app.openapi(routes.send, async (c) => {
    const { id } = c.req.valid("param");
    const done = await write(
      c.var.claims,
      c.var.tenantId,
      (tx, t) =>
        transition(tx, PURCHASES, t.id, id, (tx) => tx`select public.send_purchase_order(${id})`),
    );
    return c.json(done as never, 200);
  });
  app.openapi(routes.receive, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const done = await write(
      c.var.claims,
      c.var.tenantId,
      (tx, t) =>
        transition(
          tx,
          PURCHASES,
          t.id,
          id,
          (tx) =>
            tx`select public.receive_purchase_order(${id}, ${
              JSON.stringify(input.lines)
            }::text::jsonb,
          ${input.received_at ?? null}::timestamptz)`,
        ),
    );
    return c.json(done as never, 200);
  });
  app.openapi(routes.cancel, async (c) => {
    const { id } = c.req.valid("param");
    const done = await write(
      c.var.claims,
      c.var.tenantId,
      (tx, t) =>
        transition(tx, PURCHASES, t.id, id, (tx) => tx`select public.cancel_purchase_order(${id})`),
    );
    return c.json(done as never, 200);
  });

  return app;
}
