/**
 * Schemas of the orders API: sales orders and purchase orders (headers, lines, the
 * deliveries and receipts that move stock), the service rate and lead time statistics.
 * Quantities are positive integers in the product's unit; amounts are integer XOF.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { MAX_LIMIT } from "../catalogue/crud.ts";

const quantity = z.int().min(1).max(1_000_000_000);
const xof = z.int().min(0).max(1_000_000_000_000);
const text = (max: number) => z.string().trim().min(1).max(max);
const at = z.iso.datetime({ offset: true });

/** Path parameter `{id}` of an order. */
export const OrderParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
});

/** Path parameters of one line of an order. */
export const LineParams = OrderParams.extend({
  line_id: z.uuid().openapi({ param: { name: "line_id", in: "path" } }),
});

const header = {
  location_id: z.uuid().optional().openapi({
    description: "Emplacement (défaut : l'emplacement par défaut de la boutique).",
  }),
  reference: text(120).optional(),
  note: z.string().max(1000).optional(),
  ordered_at: at.optional().openapi({ description: "Date de commande (défaut : maintenant)." }),
};

export const SalesLineInput = z.object({
  product_id: z.uuid(),
  quantity: quantity.openapi({ description: "Quantité commandée." }),
  unit_price_xof: xof.optional(),
}).strict();

export const SalesLinePatch = z.object({
  quantity: quantity.optional(),
  unit_price_xof: xof.nullable().optional(),
}).strict().refine((v) => Object.keys(v).length > 0, "Au moins un champ à modifier.");

export const CreateSalesOrder = z.object({
  customer_name: text(200).optional(),
  ...header,
  lines: z.array(SalesLineInput).max(500).default([]),
}).strict();

export const PurchaseLineInput = z.object({
  product_id: z.uuid(),
  quantity: quantity.openapi({ description: "Quantité commandée." }),
  unit_cost_xof: xof.openapi({ description: "Coût unitaire convenu (XOF)." }),
}).strict();

export const PurchaseLinePatch = z.object({
  quantity: quantity.optional(),
  unit_cost_xof: xof.optional(),
}).strict().refine((v) => Object.keys(v).length > 0, "Au moins un champ à modifier.");

export const CreatePurchaseOrder = z.object({
  supplier_id: z.uuid(),
  ...header,
  lines: z.array(PurchaseLineInput).max(500).default([]),
}).strict();

export const DeliverInput = z.object({
  lines: z.array(z.object({ line_id: z.uuid(), quantity }).strict()).min(1).max(500),
  occurred_at: at.optional(),
}).strict();

export const ReceiveInput = z.object({
  lines: z.array(
    z.object({
      line_id: z.uuid(),
      quantity,
      unit_cost_xof: xof.optional().openapi({
        description: "Coût unitaire de cette réception (défaut : celui de la ligne).",
      }),
    }).strict(),
  ).min(1).max(500),
  received_at: at.optional(),
}).strict();

export const CancelSalesInput = z.object({
  cancelled_by: z.enum(["customer", "shop"]).openapi({
    description: "customer : la demande est retirée (hors taux de service) ; shop : commande " +
      "soldée faute de stock (le reste compte comme non livré).",
  }),
}).strict();

export const EmptyInput = z.object({}).strict();

const SALES_STATUS = [
  "draft",
  "confirmed",
  "partially_delivered",
  "delivered",
  "cancelled",
] as const;
const PURCHASE_STATUS = ["draft", "sent", "partially_received", "received", "cancelled"] as const;

const listQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  sort: z.enum(["ordered_at", "-ordered_at"]).default("-ordered_at"),
};

export const SalesListQuery = z.object({
  ...listQuery,
  status: z.enum(SALES_STATUS).optional(),
}).strict();

export const PurchaseListQuery = z.object({
  ...listQuery,
  status: z.enum(PURCHASE_STATUS).optional(),
  supplier_id: z.uuid().optional(),
}).strict();

const common = {
  id: z.uuid(),
  location_id: z.uuid(),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  ordered_at: z.string(),
  cancelled_at: z.string().nullable(),
  created_by: z.uuid().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
};

export const SalesOrderSchema = z.object({
  ...common,
  customer_name: z.string().nullable(),
  status: z.enum(SALES_STATUS),
  confirmed_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
  cancelled_by: z.enum(["customer", "shop"]).nullable(),
  lines: z.array(z.object({
    id: z.uuid(),
    product_id: z.uuid(),
    quantity_ordered: z.int(),
    quantity_delivered: z.int(),
    unit_price_xof: z.number().nullable(),
  })),
}).openapi("SalesOrder");

export const PurchaseOrderSchema = z.object({
  ...common,
  supplier_id: z.uuid(),
  status: z.enum(PURCHASE_STATUS),
  sent_at: z.string().nullable(),
  received_at: z.string().nullable(),
  lines: z.array(z.object({
    id: z.uuid(),
    product_id: z.uuid(),
    quantity_ordered: z.int(),
    quantity_received: z.int(),
    unit_cost_xof: z.number(),
  })),
  receipts: z.array(z.object({
    id: z.uuid(),
    line_id: z.uuid(),
    product_id: z.uuid(),
    movement_id: z.number(),
    quantity: z.int(),
    unit_cost_xof: z.number(),
    received_at: z.string(),
    lead_time_days: z.number().openapi({ description: "Délai observé (jours) depuis l'envoi." }),
  })),
}).openapi("PurchaseOrder");

const page = z.object({ limit: z.int(), offset: z.int(), total: z.int() });
export const SalesOrderPage = z.object({ data: z.array(SalesOrderSchema), page })
  .openapi("SalesOrderPage");
export const PurchaseOrderPage = z.object({ data: z.array(PurchaseOrderSchema), page })
  .openapi("PurchaseOrderPage");

export const ServiceRateQuery = z.object({
  from: z.iso.date().openapi({ description: "Premier jour de commande (inclus), AAAA-MM-JJ." }),
  to: z.iso.date().openapi({ description: "Dernier jour de commande (inclus), AAAA-MM-JJ." }),
  group_by: z.enum(["product", "day"]).default("product"),
}).strict().refine((q) => q.from <= q.to, { message: "from doit précéder to.", path: ["to"] });

export const ServiceRateSchema = z.object({
  from: z.string(),
  to: z.string(),
  group_by: z.enum(["product", "day"]),
  total: z.object({
    quantity_ordered: z.int(),
    quantity_delivered: z.int(),
    fill_rate: z.number().nullable(),
  }),
  data: z.array(z.object({
    product_id: z.uuid().nullable(),
    day: z.string().nullable(),
    lines: z.int(),
    quantity_ordered: z.int(),
    quantity_delivered: z.int(),
    fill_rate: z.number().openapi({ description: "Livré ÷ commandé (0 à 1, 4 décimales)." }),
  })),
}).openapi("ServiceRate");

export const LeadTimeQuery = z.object({
  supplier_id: z.uuid().optional(),
  product_id: z.uuid().optional(),
}).strict();

export const LeadTimeSchema = z.object({
  data: z.array(z.object({
    supplier_id: z.uuid(),
    product_id: z.uuid().nullable().openapi({
      description: "null : tous les produits du fournisseur.",
    }),
    receipts: z.int(),
    mean_days: z.number(),
    p50_days: z.number(),
    p90_days: z.number(),
    min_days: z.number(),
    max_days: z.number(),
  })),
}).openapi("LeadTimes");
