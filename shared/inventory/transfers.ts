/**
 * Transfers API: `POST /transfers` moves a quantity of a product from one location to
 * another as two movements written in one statement (`transfer_out` then `transfer_in`,
 * linked by `transfer_id`): both are recorded or neither.
 *
 * @module
 */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/middleware.ts";
import type { Deps } from "../http/context.ts";
import {
  AUTHED_ERRORS,
  bearer,
  createRouter,
  errorResponses,
  jsonBody,
  jsonResponse,
} from "../http/openapi.ts";
import { IdempotencyHeaders, TransferInput, TransferResultSchema } from "./schemas.ts";
import { type MovementRow, recordMovements } from "./store.ts";
import { managerWrite, replayed } from "./write.ts";

const createTransfer = createRoute({
  method: "post",
  path: "/transfers",
  tags: ["Stock"],
  summary: "Transférer du stock d'un emplacement à un autre (managers)",
  description: "Deux mouvements liés par transfer_id, écrits ensemble : une sortie de " +
    "from_location_id et une entrée à to_location_id. Refusé en entier (409 insufficient_stock) " +
    "si le départ n'a pas assez de stock et que la boutique n'autorise pas le stock négatif.",
  security: bearer,
  middleware: [requireUser] as const,
  request: { headers: IdempotencyHeaders, body: jsonBody(TransferInput) },
  responses: {
    201: jsonResponse(TransferResultSchema, "Transfert enregistré"),
    ...errorResponses(...AUTHED_ERRORS, 404, 409, 415, 422),
  },
});

/** Routes of the transfers API (mounted under /v1). */
export function transferRoutes(_deps: Deps) {
  const app = createRouter();

  app.openapi(createTransfer, async (c) => {
    const input = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const result = await managerWrite(c, "POST /transfers", key, async (tx, tenant) => {
      const transferId = crypto.randomUUID();
      const { from_location_id, to_location_id, quantity, ...shared } = input;
      const leg = { ...shared, transfer_id: transferId };
      const rows: MovementRow[] = [
        { ...leg, kind: "transfer_out", location_id: from_location_id, quantity: -quantity },
        { ...leg, kind: "transfer_in", location_id: to_location_id, quantity },
      ];
      const { movements, levels } = await recordMovements(tx, tenant.id, rows, [
        { locationField: "from_location_id" },
        { locationField: "to_location_id" },
      ], "full");
      return { transfer_id: transferId, movements, stock_levels: levels };
    });
    return c.json(replayed(c, result), 201);
  });

  return app;
}
