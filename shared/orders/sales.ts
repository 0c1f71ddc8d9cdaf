/**
 * Sales orders API: create (with lines), list, get, add or change lines while draft,
 * confirm, deliver (part or all: sale movements through the ledger, 409
 * insufficient_stock naming the line, nothing written), cancel (no movement).
 *
 * @module
 */
import type { Deps } from "../http/context.ts";
import { jsonBody } from "../http/openapi.ts";
import { emptyBody, orderRouter, orderRoutes } from "./kind_api.ts";
import {
  CancelSalesInput,
  CreateSalesOrder,
  DeliverInput,
  SalesLineInput,
  SalesLinePatch,
  SalesListQuery,
  SalesOrderPage,
  SalesOrderSchema,
} from "./schemas.ts";
import { SALES } from "./store.ts";

const shared = orderRoutes({
  path: "/sales-orders",
  tag: "Commandes clients",
  order: SalesOrderSchema,
  page: SalesOrderPage,
  query: SalesListQuery,
  create: CreateSalesOrder,
  line: SalesLineInput,
  patch: SalesLinePatch,
  summaries: {
    list: "Commandes clients : filtre par statut, tri par date, pagination",
    get: "Une commande client avec ses lignes",
    create: "Créer une commande client en brouillon (managers)",
  },
});

const routes = {
  ...shared,
  confirm: shared.transition("confirm", {
    summary: "Confirmer un brouillon (managers)",
    description: "409 invalid_transition hors brouillon ; 422 order_empty sans ligne.",
    body: emptyBody,
    done: "Confirmée",
  }),
  deliver: shared.transition("deliver", {
    summary: "Livrer tout ou partie d'une commande confirmée (managers)",
    description: "Écrit une vente par ligne dans le registre, tout ou rien. Stock insuffisant : " +
      "409 insufficient_stock (details[].line et line_id) ; quantité au-delà du reste : 409 " +
      "quantity_exceeds_remaining ; ligne inconnue : 404 line_not_found ; commande non " +
      "confirmée : 409 invalid_transition.",
    body: jsonBody(DeliverInput),
    done: "Livrée (partiellement ou entièrement)",
  }),
  cancel: shared.transition("cancel", {
    summary: "Annuler une commande non soldée (managers)",
    description: "Aucun mouvement : ce qui a été livré le reste (un retour est un mouvement " +
      "`return` explicite). 409 invalid_transition si livrée ou déjà annulée.",
    body: jsonBody(CancelSalesInput),
    done: "Annulée",
  }),
};

/** Routes of the sales orders API (mounted under /v1). */
export function salesOrderRoutes(deps: Deps) {
  const { app, transition } = orderRouter(deps, SALES, routes);
  transition(routes.confirm, (tx, id) => tx`select public.confirm_sales_order(${id})`);
  transition(
    routes.deliver,
    (tx, id, input) =>
      tx`select public.deliver_sales_order(${id}, ${JSON.stringify(input.lines)}::text::jsonb,
          ${input.occurred_at ?? null}::timestamptz)`,
  );
  transition(
    routes.cancel,
    (tx, id, { cancelled_by }) =>
      tx`select public.cancel_sales_order(${id}, ${cancelled_by}::public.cancelled_by)`,
  );
  return app;
}
