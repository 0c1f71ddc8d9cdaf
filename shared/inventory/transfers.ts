/**
 * Transfers API: `POST /transfers` moves a quantity of a product from one location to
 * another as two movements written in one statement (`transfer_out` then `transfer_in`,
 * linked by `transfer_id`): both are recorded or neither.
 *
 * @module
 */
import type { Deps } from "../http/context.ts";
import { createRouter } from "../http/openapi.ts";
import { TransferInput, TransferResultSchema } from "./schemas.ts";
import { type MovementRow, recordMovements } from "./store.ts";
import { managerWrite, replayed, writeRoute } from "./write.ts";

const createTransfer = writeRoute({
  path: "/transfers",
  summary: "Transférer du stock d'un emplacement à un autre (managers)",
  description: "Deux mouvements liés par transfer_id, écrits ensemble : une sortie de " +
    "from_location_id et une entrée à to_location_id. Refusé en entier (409 insufficient_stock) " +
    "si le départ n'a pas assez de stock et que la boutique n'autorise pas le stock négatif.",
  input: TransferInput,
  result: TransferResultSchema,
  resultDescription: "Transfert enregistré",
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
