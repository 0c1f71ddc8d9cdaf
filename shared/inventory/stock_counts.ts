/**
 * Stock counts API: `POST /stock-counts` records what was found on the shelves of one
 * location. Each line becomes a `count` movement whose quantity the database sets to
 * the difference with the stock at that moment (the row is locked), so the stock
 * becomes exactly the counted quantity, whatever was recorded concurrently before.
 *
 * @module
 */
import type { Deps } from "../http/context.ts";
import { createRouter } from "../http/openapi.ts";
import { StockCountInput, StockCountResultSchema } from "./schemas.ts";
import { type MovementRow, recordMovements } from "./store.ts";
import { linesHook, managerWrite, replayed, writeRoute } from "./write.ts";

const createStockCount = writeRoute({
  path: "/stock-counts",
  summary: "Enregistrer un inventaire (managers)",
  description: "Pour chaque ligne, un mouvement « count » enregistre l'écart entre la quantité " +
    "comptée et le stock : le stock devient la quantité comptée. Emplacement par défaut si " +
    "location_id est omis. Un produit ne figure qu'une fois (400 sinon).",
  input: StockCountInput,
  result: StockCountResultSchema,
  resultDescription: "Inventaire enregistré",
});

/** Routes of the stock counts API (mounted under /v1). */
export function stockCountRoutes(_deps: Deps) {
  const app = createRouter();

  app.openapi(createStockCount, async (c) => {
    const { lines, ...shared } = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const result = await managerWrite(c, "POST /stock-counts", key, async (tx, tenant) => {
      // Inserted in product order, so two counts lock their levels in the same order;
      // answered in the order of the request.
      const order = lines.map((_, index) => index)
        .sort((a, b) => (lines[a].product_id < lines[b].product_id ? -1 : 1));
      const rows: MovementRow[] = order.map((index) => ({
        ...shared,
        kind: "count",
        product_id: lines[index].product_id,
        counted_quantity: lines[index].counted_quantity,
      }));
      const { movements, levels } = await recordMovements(
        tx,
        tenant.id,
        rows,
        order.map((index) => ({ line: index + 1 })),
        "full",
      );
      const inRequestOrder = new Array(lines.length);
      order.forEach((index, position) => inRequestOrder[index] = movements[position]);
      return { movements: inRequestOrder, stock_levels: levels };
    });
    return c.json(replayed(c, result), 201);
  }, linesHook("lines"));

  return app;
}
