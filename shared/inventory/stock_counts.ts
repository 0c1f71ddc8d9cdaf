/**
 * Stock counts API: `POST /stock-counts` records what was found on the shelves of one
 * location. Each line becomes a `count` movement whose quantity the database sets to
 * the difference with the stock at that moment (the row is locked), so the stock
 * becomes exactly the counted quantity, whatever was recorded concurrently before.
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
import { IdempotencyHeaders, StockCountInput, StockCountResultSchema } from "./schemas.ts";
import { type MovementRow, recordMovements } from "./store.ts";
import { linesHook, managerWrite, replayed } from "./write.ts";

const createStockCount = createRoute({
  method: "post",
  path: "/stock-counts",
  tags: ["Stock"],
  summary: "Enregistrer un inventaire (managers)",
  description: "Pour chaque ligne, un mouvement « count » enregistre l'écart entre la quantité " +
    "comptée et le stock : le stock devient la quantité comptée. Emplacement par défaut si " +
    "location_id est omis. Un produit ne figure qu'une fois (400 sinon).",
  security: bearer,
  middleware: [requireUser] as const,
  request: { headers: IdempotencyHeaders, body: jsonBody(StockCountInput) },
  responses: {
    201: jsonResponse(StockCountResultSchema, "Inventaire enregistré"),
    ...errorResponses(...AUTHED_ERRORS, 404, 409, 415, 422),
  },
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
