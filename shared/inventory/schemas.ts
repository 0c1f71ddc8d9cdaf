/**
 * Schemas of the stock ledger API (validation and documentation at once): movements as
 * sent and as returned, batches, transfers, stock counts, stock levels and the ledger.
 *
 * Quantities are sent positive and the kind gives the sign (a sale of 3 is stored as
 * −3); only adjustments are signed. The bounds repeat the checks of the ledger
 * migration so that bad input is a 400 naming the field; the database has the last
 * word on everything that depends on its state (stock, archived rows, transfers).
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { line, MAX_QUANTITY, paragraph, xof } from "../catalogue/fields.ts";

/** Largest batch. */
export const MAX_BATCH = 1000;

const positive = z.int().min(1).max(MAX_QUANTITY).openapi({
  description: "Quantité positive dans l'unité du produit ; le type de mouvement donne le sens.",
  example: 12,
});

const occurredAt = z.iso.datetime({ offset: true }).openapi({
  description: "Date du mouvement (ISO 8601 avec fuseau) ; défaut : maintenant. Au plus un " +
    "jour dans le futur.",
  example: "2026-11-25T09:30:00Z",
});

/** Fields every movement may carry. */
const common = {
  product_id: z.uuid(),
  location_id: z.uuid().optional().openapi({
    description: "Emplacement ; défaut : l'emplacement par défaut de la boutique.",
  }),
  occurred_at: occurredAt.optional(),
  reason: line(200).optional().openapi({ description: "Motif (obligatoire pour un ajustement)." }),
  reference: line(120).optional().openapi({
    description: "Référence externe (facture, bon de livraison, ticket).",
    example: "BL-2026-0042",
  }),
  note: paragraph(1000).optional(),
  idempotency_key: z.string().regex(/^[!-~]{1,255}$/, "1 à 255 caractères ASCII imprimables")
    .optional().openapi({
      description: "Clé du mouvement côté client, unique dans la boutique : un mouvement déjà " +
        "enregistré avec cette clé est refusé (409 duplicate_movement).",
    }),
};

const Receipt = z.object({
  kind: z.literal("receipt"),
  quantity: positive,
  unit_cost_xof: xof.openapi({ description: "Coût d'achat unitaire (entre dans le coût moyen)." }),
  ...common,
}).strict().openapi("ReceiptInput");

const Sale = z.object({ kind: z.literal("sale"), quantity: positive, ...common }).strict()
  .openapi("SaleInput");

const Return = z.object({ kind: z.literal("return"), quantity: positive, ...common }).strict()
  .openapi("ReturnInput");

const Adjustment = z.object({
  kind: z.literal("adjustment"),
  quantity: z.int().min(-MAX_QUANTITY).max(MAX_QUANTITY)
    .refine((value) => value !== 0, "un ajustement ne peut pas être nul").openapi({
      description: "Quantité signée : positive pour ajouter, négative pour retirer.",
      example: -2,
    }),
  ...common,
  reason: line(200).openapi({ description: "Motif (casse, vol, péremption…).", example: "Casse" }),
}).strict().openapi("AdjustmentInput");

const Count = z.object({
  kind: z.literal("count"),
  counted_quantity: z.int().min(0).max(MAX_QUANTITY).openapi({
    description: "Quantité comptée ; le mouvement enregistre l'écart avec le stock.",
    example: 40,
  }),
  ...common,
}).strict().openapi("CountInput");

/** One movement as a client sends it (transfers have their own route). */
export const MovementInput = z.discriminatedUnion("kind", [
  Receipt,
  Sale,
  Return,
  Adjustment,
  Count,
]).openapi("MovementInput");
export type MovementInput = z.output<typeof MovementInput>;

/**
 * A refinement adding an issue at `<array>.<index>.<field>` for each value already seen
 * earlier in the array (values left undefined are not compared).
 */
function noDuplicates<T>(array: string, field: string, value: (item: T) => string | undefined) {
  return (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const key = value(item);
      if (key === undefined) return;
      if (seen.has(key)) {
        ctx.addIssue({ code: "custom", message: "valeur en double", path: [array, index, field] });
      }
      seen.add(key);
    });
  };
}

export const BatchInput = z.object({
  movements: z.array(MovementInput).min(1).max(MAX_BATCH).openapi({
    description: `1 à ${MAX_BATCH} mouvements, enregistrés tous ou aucun.`,
  }),
}).strict().superRefine((value, ctx) =>
  noDuplicates<MovementInput>("movements", "idempotency_key", (m) => m.idempotency_key)(
    value.movements,
    ctx,
  )
).openapi("MovementBatchInput");

export const TransferInput = z.object({
  product_id: z.uuid(),
  from_location_id: z.uuid(),
  to_location_id: z.uuid(),
  quantity: positive,
  occurred_at: occurredAt.optional(),
  reason: common.reason,
  reference: common.reference,
  note: common.note,
}).strict().refine((value) => value.from_location_id !== value.to_location_id, {
  message: "l'emplacement d'arrivée doit différer de celui de départ",
  path: ["to_location_id"],
}).openapi("TransferInput");

export const StockCountInput = z.object({
  location_id: common.location_id,
  occurred_at: occurredAt.optional(),
  reason: common.reason,
  reference: common.reference,
  note: common.note,
  lines: z.array(
    z.object({
      product_id: z.uuid(),
      counted_quantity: z.int().min(0).max(MAX_QUANTITY).openapi({ example: 40 }),
    }).strict(),
  ).min(1).max(MAX_BATCH),
}).strict().superRefine((value, ctx) =>
  noDuplicates<{ product_id: string }>("lines", "product_id", (l) => l.product_id)(
    value.lines,
    ctx,
  )
).openapi("StockCountInput");

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

export const MovementKind = z.enum([
  "receipt",
  "sale",
  "adjustment",
  "transfer_out",
  "transfer_in",
  "return",
  "count",
]);

export const MovementSchema = z.object({
  id: z.int().openapi({ description: "Identifiant, croissant dans l'ordre d'enregistrement." }),
  kind: MovementKind,
  product_id: z.uuid(),
  location_id: z.uuid(),
  quantity: z.int().openapi({ description: "Variation signée du stock (+ entrée, − sortie)." }),
  counted_quantity: z.int().nullable(),
  unit_cost_xof: z.int().nullable(),
  transfer_id: z.uuid().nullable(),
  reason: z.string().nullable(),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  idempotency_key: z.string().nullable(),
  occurred_at: z.string(),
  created_by: z.uuid().nullable(),
  created_at: z.string(),
}).openapi("Movement");
export type Movement = z.output<typeof MovementSchema>;

export const LevelAfterSchema = z.object({
  product_id: z.uuid(),
  location_id: z.uuid(),
  quantity: z.int().openapi({ description: "Stock après l'opération." }),
}).openapi("StockLevelAfter");
export type LevelAfter = z.output<typeof LevelAfterSchema>;

export const MovementResultSchema = z.object({
  movement: MovementSchema,
  stock_level: LevelAfterSchema,
}).openapi("MovementResult");

export const BatchResultSchema = z.object({
  count: z.int(),
  movements: z.array(z.object({
    line: z.int().openapi({ description: "Numéro de ligne (1 = movements[0])." }),
    id: z.int(),
    quantity: z.int(),
  })),
  stock_levels: z.array(LevelAfterSchema),
}).openapi("MovementBatchResult");

export const TransferResultSchema = z.object({
  transfer_id: z.uuid(),
  movements: z.array(MovementSchema).openapi({ description: "La sortie puis l'entrée." }),
  stock_levels: z.array(LevelAfterSchema),
}).openapi("TransferResult");

export const StockCountResultSchema = z.object({
  movements: z.array(MovementSchema).openapi({
    description: "Un mouvement par ligne, dans l'ordre.",
  }),
  stock_levels: z.array(LevelAfterSchema),
}).openapi("StockCountResult");

/** The optional `Idempotency-Key` header of the write routes. */
export const IdempotencyHeaders = z.object({
  "idempotency-key": z.string().regex(/^[!-~]{1,255}$/, "1 à 255 caractères ASCII imprimables")
    .optional().openapi({
      param: { name: "idempotency-key", in: "header" },
      description: "Rejouer la même requête avec la même clé renvoie la première réponse ; la " +
        "même clé avec un autre corps est refusée (409 idempotency_conflict).",
    }),
});
