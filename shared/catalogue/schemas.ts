/**
 * Schemas of the catalogue API (validation and documentation at once): products,
 * categories, suppliers, locations — each as returned, as created, as patched, and
 * the filters of its list.
 *
 * Create and patch bodies are strict (an unknown field is a 400) and leave out what
 * the database defaults, so an omitted field takes the migration's default.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { listQuery, QueryBoolean } from "./crud.ts";
import {
  barcode,
  leadTimeDays,
  line,
  paragraph,
  phone,
  quantity,
  reference,
  sku,
  xof,
} from "./fields.ts";

const timestamps = {
  archived_at: z.string().nullable().openapi({
    description: "Date d'archivage ; null tant que l'élément est actif dans le catalogue.",
  }),
  created_at: z.string(),
  updated_at: z.string(),
};

const atLeastOneField = (value: object) => Object.keys(value).length > 0;
const NOTHING_TO_CHANGE = "indiquez au moins un champ à modifier";

// ---------------------------------------------------------------------------
// Products
// ---------------------------------------------------------------------------

export const ProductSchema = z.object({
  id: z.uuid(),
  sku: z.string().openapi({ example: "RIZ-BRISE-50" }),
  name: z.string().openapi({ example: "Riz brisé parfumé 50 kg" }),
  category_id: z.uuid().nullable(),
  unit: z.string().openapi({ example: "sac" }),
  barcode: z.string().nullable(),
  sale_price_xof: z.int().openapi({ example: 17500 }),
  unit_cost_xof: z.int().openapi({ example: 15500 }),
  reorder_point: z.int(),
  max_stock: z.int().nullable(),
  lead_time_days: z.int().nullable(),
  supplier_id: z.uuid().nullable(),
  active: z.boolean(),
  stock_on_hand: z.int().openapi({
    description: "Stock total, tous emplacements confondus (tenu par le registre des mouvements).",
    example: 12,
  }),
  ...timestamps,
}).openapi("Product");

const productFields = {
  sku,
  name: line(200).openapi({ example: "Riz brisé parfumé 50 kg" }),
  category_id: reference.nullable(),
  unit: line(20).openapi({ description: "Unité (défaut : pièce).", example: "sac" }),
  barcode: barcode.nullable(),
  sale_price_xof: xof,
  unit_cost_xof: xof,
  reorder_point: quantity.openapi({ description: "Seuil de stock faible (défaut : 0)." }),
  max_stock: quantity.nullable().openapi({ description: "Stock maximum (≥ reorder_point)." }),
  lead_time_days: leadTimeDays.nullable(),
  supplier_id: reference.nullable(),
  active: z.boolean().openapi({ description: "Encore vendu (défaut : true)." }),
};

/**
 * max_stock ≥ reorder_point when the body gives both (else the database checks against
 * the stored value); checked once the fields themselves are valid.
 */
const MAX_STOCK_RULE = {
  message: "le stock maximum doit être supérieur ou égal au point de commande",
  path: ["max_stock"],
  when: (payload: { issues: unknown[] }) => payload.issues.length === 0,
};

export const CreateProductSchema = z.object(productFields).partial()
  .required({ sku: true, name: true }).strict()
  .refine(
    (value) => value.max_stock == null || value.max_stock >= (value.reorder_point ?? 0),
    MAX_STOCK_RULE,
  )
  .openapi("CreateProduct");

export const UpdateProductSchema = z.object(productFields).partial().strict()
  .refine(atLeastOneField, NOTHING_TO_CHANGE)
  .refine(
    (value) =>
      value.max_stock == null || value.reorder_point === undefined ||
      value.max_stock >= value.reorder_point,
    MAX_STOCK_RULE,
  )
  .openapi("UpdateProduct");

export const PRODUCT_SORTS = [
  "name",
  "sku",
  "sale_price_xof",
  "unit_cost_xof",
  "stock_on_hand",
  "created_at",
  "updated_at",
] as const;

export const ProductListQuery = listQuery(PRODUCT_SORTS, "name").extend({
  category_id: z.uuid().optional(),
  supplier_id: z.uuid().optional(),
  active: QueryBoolean.optional().openapi({ type: "string", enum: ["true", "false"] }),
  low_stock: QueryBoolean.optional().openapi({
    type: "string",
    enum: ["true", "false"],
    description: "true : seulement les produits dont le stock total est au plus le seuil " +
      "de réapprovisionnement (ruptures comprises) ; false : les autres.",
  }),
}).strict();

// ---------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------

export const CategorySchema = z.object({
  id: z.uuid(),
  name: z.string().openapi({ example: "Épicerie" }),
  description: z.string().nullable(),
  ...timestamps,
}).openapi("Category");

const categoryFields = {
  name: line(80).openapi({ example: "Épicerie" }),
  description: paragraph(500).nullable(),
};

export const CreateCategorySchema = z.object(categoryFields).partial()
  .required({ name: true }).strict().openapi("CreateCategory");

export const UpdateCategorySchema = z.object(categoryFields).partial().strict()
  .refine(atLeastOneField, NOTHING_TO_CHANGE).openapi("UpdateCategory");

export const NAME_SORTS = ["name", "created_at", "updated_at"] as const;

export const CategoryListQuery = listQuery(NAME_SORTS, "name").strict();

// ---------------------------------------------------------------------------
// Suppliers
// ---------------------------------------------------------------------------

export const SupplierSchema = z.object({
  id: z.uuid(),
  name: z.string().openapi({ example: "Dakar Distribution Alimentaire" }),
  phone: z.string().nullable().openapi({ example: "+221338211001" }),
  whatsapp: z.string().nullable().openapi({ example: "+221771100101" }),
  email: z.string().nullable(),
  lead_time_days: z.int().nullable(),
  notes: z.string().nullable(),
  ...timestamps,
}).openapi("Supplier");

const supplierFields = {
  name: line(120).openapi({ example: "Dakar Distribution Alimentaire" }),
  phone: phone.nullable(),
  whatsapp: phone.nullable(),
  email: z.email().max(254).nullable(),
  lead_time_days: leadTimeDays.nullable().openapi({
    description: "Délai de livraison habituel déclaré, en jours.",
  }),
  notes: paragraph(1000).nullable(),
};

export const CreateSupplierSchema = z.object(supplierFields).partial()
  .required({ name: true }).strict().openapi("CreateSupplier");

export const UpdateSupplierSchema = z.object(supplierFields).partial().strict()
  .refine(atLeastOneField, NOTHING_TO_CHANGE).openapi("UpdateSupplier");

export const SupplierListQuery = listQuery(NAME_SORTS, "name").strict();

// ---------------------------------------------------------------------------
// Locations
// ---------------------------------------------------------------------------

const LocationKind = z.enum(["shop", "warehouse"]).openapi({
  description: "shop (boutique, vend) ou warehouse (dépôt, stocke).",
});

export const LocationSchema = z.object({
  id: z.uuid(),
  name: z.string().openapi({ example: "Boutique principale" }),
  kind: LocationKind,
  address: z.string().nullable(),
  is_default: z.boolean().openapi({
    description: "Emplacement utilisé quand une opération n'en précise aucun (un par boutique).",
  }),
  ...timestamps,
}).openapi("Location");

const locationFields = {
  name: line(120).openapi({ example: "Dépôt Thiaroye" }),
  kind: LocationKind,
  address: paragraph(300).nullable(),
  is_default: z.literal(true).openapi({
    description: "true pour en faire l'emplacement par défaut (l'ancien cesse de l'être).",
  }),
};

export const CreateLocationSchema = z.object(locationFields).partial()
  .required({ name: true }).strict().openapi("CreateLocation");

export const UpdateLocationSchema = z.object(locationFields).partial().strict()
  .refine(atLeastOneField, NOTHING_TO_CHANGE).openapi("UpdateLocation");

export const LocationListQuery = listQuery(NAME_SORTS, "name").extend({
  kind: LocationKind.optional(),
}).strict();
