/**
 * Schemas of the stock read routes: stock levels (filters, sort, page) and a product's
 * ledger with its running balance. Lists follow the catalogue's conventions (limit /
 * offset with a total, `sort` with a `-` prefix for descending).
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { listQuery, MAX_LIMIT, pageOf, QueryBoolean } from "../catalogue/crud.ts";
import { MovementSchema } from "./schemas.ts";

export const STOCK_LEVEL_SORTS = ["sku", "name", "quantity", "updated_at"] as const;

export const StockLevelQuery = listQuery(STOCK_LEVEL_SORTS, "sku").extend({
  product_id: z.uuid().optional(),
  location_id: z.uuid().optional(),
  low_stock: QueryBoolean.optional().openapi({
    type: "string",
    enum: ["true", "false"],
    description: "true : seulement les stocks au niveau du point de commande ou en dessous.",
  }),
}).strict();

export const StockLevelSchema = z.object({
  product_id: z.uuid(),
  sku: z.string().openapi({ example: "RIZ-BRISE-50" }),
  product_name: z.string().openapi({ example: "Riz brisé parfumé 50 kg" }),
  unit: z.string().openapi({ example: "sac" }),
  location_id: z.uuid(),
  location_name: z.string().openapi({ example: "Boutique principale" }),
  quantity: z.int().openapi({ description: "Stock à cet emplacement.", example: 24 }),
  reorder_point: z.int(),
  low_stock: z.boolean().openapi({ description: "quantity ≤ reorder_point." }),
  average_unit_cost_xof: z.number().nullable().openapi({
    description: "Coût moyen pondéré du produit (toutes réceptions), arrondi au centime.",
    example: 15650.5,
  }),
  value_xof: z.number().nullable().openapi({
    description: "Valeur du stock à cet emplacement au coût moyen pondéré (arrondie au franc).",
  }),
  last_movement_at: z.string().nullable(),
  updated_at: z.string(),
}).openapi("StockLevel");

export const StockLevelPageSchema = pageOf(StockLevelSchema).openapi("StockLevelPage");

export const LedgerQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50).openapi({
    description: `Taille de la page (1 à ${MAX_LIMIT}).`,
  }),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0).openapi({ type: "integer" }),
  location_id: z.uuid().optional().openapi({
    description: "Un seul emplacement (le solde est alors celui de cet emplacement).",
  }),
  sort: z.enum(["occurred_at", "-occurred_at"]).default("-occurred_at").openapi({
    description: "occurred_at (chronologique) ou -occurred_at (plus récent d'abord, défaut).",
  }),
}).strict();

export const LedgerEntrySchema = MovementSchema.extend({
  balance: z.int().openapi({
    description: "Stock après ce mouvement (à l'emplacement filtré, sinon tous emplacements).",
  }),
}).openapi("LedgerEntry");

export const LedgerSchema = z.object({
  product: z.object({ id: z.uuid(), sku: z.string(), name: z.string(), unit: z.string() }),
  location_id: z.uuid().nullable(),
  data: z.array(LedgerEntrySchema),
  page: pageOf(LedgerEntrySchema).shape.page,
}).openapi("Ledger");
