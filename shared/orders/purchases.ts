/**
 * Purchase orders API: create (with lines), list, get, add or change lines while draft,
 * send (the lead time starts), receive (part or all: receipt movements with unit cost
 * through the ledger, one purchase receipt per line with its observed lead time),
 * cancel (no movement; what was received stays).
 *
 * @module
 */
import type { Deps } from "../http/context.ts";
import { jsonBody } from "../http/openapi.ts";
import { emptyBody, orderRouter, orderRoutes } from "./kind_api.ts";
import {
  CreatePurchaseOrder,
  PurchaseLineInput,
  PurchaseLinePatch,
  PurchaseListQuery,
  PurchaseOrderPage,
  PurchaseOrderSchema,
  ReceiveInput,
} from "./schemas.ts";
import { PURCHASES } from "./store.ts";

const shared = orderRoutes({
  path: "/purchase-orders",
  tag: "Commandes fournisseurs",
  order: PurchaseOrderSchema,
  page: PurchaseOrderPage,
  query: PurchaseListQuery,
  create: CreatePurchaseOrder,
  line: PurchaseLineInput,
  patch: PurchaseLinePatch,
  summaries: {
    list: "Commandes fournisseurs : filtres statut et fournisseur, tri par date, pagination",
    get: "Une commande fournisseur avec ses lignes et ses réceptions",
    create: "Créer une commande fournisseur en brouillon (managers)",
  },
});

const routes = {
  ...shared,
  send: shared.transition("send", {
    summary: "Marquer un brouillon comme envoyé au fournisseur (managers)",
    description: "409 invalid_transition hors brouillon ; 422 order_empty sans ligne.",
    body: emptyBody,
    done: "Envoyée",
  }),
  receive: shared.transition("receive", {
    summary: "Réceptionner tout ou partie d'une commande envoyée (managers)",
    description: "Écrit une réception (avec coût unitaire, qui entre dans le coût moyen pondéré) " +
      "par ligne dans le registre et le délai observé depuis l'envoi. Quantité au-delà du reste : " +
      "409 quantity_exceeds_remaining ; ligne inconnue : 404 line_not_found ; commande non " +
      "envoyée, annulée ou soldée : 409 invalid_transition.",
    body: jsonBody(ReceiveInput),
    done: "Réceptionnée (partiellement ou entièrement)",
  }),
  cancel: shared.transition("cancel", {
    summary: "Annuler une commande fournisseur non soldée (managers)",
    description: "Aucun mouvement : ce qui a été reçu le reste. 409 invalid_transition si " +
      "reçue ou déjà annulée.",
    body: emptyBody,
    done: "Annulée",
  }),
};

/** Routes of the purchase orders API (mounted under /v1). */
export function purchaseOrderRoutes(deps: Deps) {
  const { app, transition } = orderRouter(deps, PURCHASES, routes);
  transition(routes.send, (tx, id) => tx`select public.send_purchase_order(${id})`);
  transition(
    routes.receive,
    (tx, id, input) =>
      tx`select public.receive_purchase_order(${id}, ${JSON.stringify(input.lines)}::text::jsonb,
          ${input.received_at ?? null}::timestamptz)`,
  );
  transition(routes.cancel, (tx, id) => tx`select public.cancel_purchase_order(${id})`);
  return app;
}
