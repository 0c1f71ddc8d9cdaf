/**
 * Movements API: one movement (`POST /movements`) or up to 1,000 at once
 * (`POST /movements/batch`, all or nothing, problems listed per line).
 *
 * @module
 */
import type { Deps } from "../http/context.ts";
import { createRouter } from "../http/openapi.ts";
import {
  BatchInput,
  BatchResultSchema,
  MAX_BATCH,
  MovementInput,
  MovementResultSchema,
} from "./schemas.ts";
import { recordMovements, toRow } from "./store.ts";
import { linesHook, managerWrite, replayed, writeRoute } from "./write.ts";

const createMovement = writeRoute({
  path: "/movements",
  summary: "Enregistrer un mouvement de stock (managers)",
  description: "Réception (avec coût unitaire), vente, retour, ajustement (avec motif) ou " +
    "inventaire d'un produit. Le stock est mis à jour dans la même transaction ; il ne " +
    "descend pas sous zéro sauf si la boutique l'autorise (409 insufficient_stock). " +
    "Produit ou emplacement inconnu ou d'une autre boutique : 404.",
  input: MovementInput,
  result: MovementResultSchema,
  resultDescription: "Enregistré, avec le stock qui en résulte",
});

const createBatch = writeRoute({
  path: "/movements/batch",
  summary: `Enregistrer jusqu'à ${MAX_BATCH} mouvements, tous ou aucun (managers)`,
  description: "Les mouvements sont appliqués ensemble : le stock de chaque produit à chaque " +
    "emplacement ne doit pas être négatif après le lot. En cas de refus, rien n'est écrit et " +
    "error.details liste chaque problème avec son numéro de ligne (line 1 = movements[0]).",
  input: BatchInput,
  result: BatchResultSchema,
  resultDescription: "Lot enregistré",
});

/** Routes of the movements API (mounted under /v1). */
export function movementRoutes(_deps: Deps) {
  const app = createRouter();

  app.openapi(createMovement, async (c) => {
    const input = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const result = await managerWrite(c, "POST /movements", key, async (tx, tenant) => {
      const { movements, levels } = await recordMovements(
        tx,
        tenant.id,
        [toRow(input)],
        [{}],
        "full",
      );
      return { movement: movements[0], stock_level: levels[0] };
    });
    return c.json(replayed(c, result), 201);
  });

  app.openapi(createBatch, async (c) => {
    const { movements: inputs } = c.req.valid("json");
    const key = c.req.valid("header")["idempotency-key"];
    const result = await managerWrite(c, "POST /movements/batch", key, async (tx, tenant) => {
      const { movements, levels } = await recordMovements(
        tx,
        tenant.id,
        inputs.map(toRow),
        inputs.map((_, index) => ({ line: index + 1 })),
        "summary",
      );
      return {
        count: movements.length,
        movements: movements.map((movement, index) => ({ line: index + 1, ...movement })),
        stock_levels: levels,
      };
    });
    return c.json(replayed(c, result), 201);
  }, linesHook("movements"));

  return app;
}
