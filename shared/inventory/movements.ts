/**
 * Movements API: one movement (`POST /movements`) or up to 1,000 at once
 * (`POST /movements/batch`, all or nothing, problems listed per line).
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
import {
  BatchInput,
  BatchResultSchema,
  IdempotencyHeaders,
  MAX_BATCH,
  MovementInput,
  MovementResultSchema,
} from "./schemas.ts";
import { recordMovements, toRow } from "./store.ts";
import { linesHook, managerWrite, replayed } from "./write.ts";

const WRITE_ERRORS = [...AUTHED_ERRORS, 404, 409, 415, 422] as const;

const createMovement = createRoute({
  method: "post",
  path: "/movements",
  tags: ["Stock"],
  summary: "Enregistrer un mouvement de stock (managers)",
  description: "Réception (avec coût unitaire), vente, retour, ajustement (avec motif) ou " +
    "inventaire d'un produit. Le stock est mis à jour dans la même transaction ; il ne " +
    "descend pas sous zéro sauf si la boutique l'autorise (409 insufficient_stock). " +
    "Produit ou emplacement inconnu ou d'une autre boutique : 404.",
  security: bearer,
  middleware: [requireUser] as const,
  request: { headers: IdempotencyHeaders, body: jsonBody(MovementInput) },
  responses: {
    201: jsonResponse(MovementResultSchema, "Enregistré, avec le stock qui en résulte"),
    ...errorResponses(...WRITE_ERRORS),
  },
});

const createBatch = createRoute({
  method: "post",
  path: "/movements/batch",
  tags: ["Stock"],
  summary: `Enregistrer jusqu'à ${MAX_BATCH} mouvements, tous ou aucun (managers)`,
  description: "Les mouvements sont appliqués ensemble : le stock de chaque produit à chaque " +
    "emplacement ne doit pas être négatif après le lot. En cas de refus, rien n'est écrit et " +
    "error.details liste chaque problème avec son numéro de ligne (line 1 = movements[0]).",
  security: bearer,
  middleware: [requireUser] as const,
  request: { headers: IdempotencyHeaders, body: jsonBody(BatchInput) },
  responses: {
    201: jsonResponse(BatchResultSchema, "Lot enregistré"),
    ...errorResponses(...WRITE_ERRORS),
  },
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
