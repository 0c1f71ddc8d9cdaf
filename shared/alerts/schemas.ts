/**
 * Schemas of the alerts API (`/alertes`): alerts with their history and notifications,
 * the actions on one alert, alert types, rules, WhatsApp recipients and the tenant's
 * notification settings. They validate input (400 with field paths) and document the
 * API; the database keeps the last word on every rule.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { DEFAULT_LIMIT, MAX_LIMIT, pageOf, QueryBoolean } from "../catalogue/crud.ts";
import { line, paragraph } from "../catalogue/fields.ts";
import { parsePhone } from "../notifications/whatsapp/phone.ts";

const SEVERITIES = ["info", "warning", "critical"] as const;
const STATUSES = ["active", "acknowledged", "resolved"] as const;
/** The alert types a rule or a recipient may name (alert_types rows of the migration). */
export const ALERT_TYPES = [
  "stock_out",
  "low_stock",
  "fill_rate_drop",
  "predicted_stock_out",
] as const;

const at = z.iso.datetime({ offset: true });
const typeCode = z.string().regex(/^[a-z][a-z_]{1,39}$/, "code de type d'alerte invalide")
  .openapi({ example: "low_stock" });
const note = paragraph(500).optional().openapi({ description: "Note libre (500 caractères)." });
/** HH:MM, 00:00 to 23:59. */
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "heure attendue au format HH:MM")
  .openapi({ example: "21:00" });

// ---------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------

/** Path parameter `{id}` of an alert (its number, as in WhatsApp replies `OK <n>`). */
export const AlertParams = z.object({
  id: z.string().regex(/^[1-9]\d{0,17}$/, "numéro d'alerte attendu").openapi({
    param: { name: "id", in: "path" },
    example: "42",
  }),
});

export const AlertSchema = z.object({
  id: z.int().openapi({ description: "Numéro de l'alerte.", example: 42 }),
  alert_type: z.string().openapi({ example: "low_stock" }),
  type_title: z.string().openapi({ example: "Stock faible" }),
  severity: z.enum(SEVERITIES),
  status: z.enum(STATUSES),
  product_id: z.uuid().nullable(),
  product_sku: z.string().nullable(),
  product_name: z.string().nullable(),
  location_id: z.uuid().nullable(),
  location_name: z.string().nullable(),
  context: z.record(z.string(), z.unknown()).openapi({
    description: "Faits de la dernière évaluation (stock, point de commande, couverture…).",
  }),
  notify: z.boolean(),
  first_seen_at: z.string(),
  last_seen_at: z.string(),
  acknowledged_at: z.string().nullable(),
  acknowledged_by: z.uuid().nullable(),
  snoozed_until: z.string().nullable(),
  resolved_at: z.string().nullable(),
  resolved_by: z.uuid().nullable(),
  resolution: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
}).openapi("Alert");

export const AlertEventSchema = z.object({
  id: z.int(),
  event: z.enum(["opened", "acknowledged", "snoozed", "unsnoozed", "resolved"]),
  actor_id: z.uuid().nullable(),
  source: z.enum(["evaluation", "api", "whatsapp"]),
  details: z.record(z.string(), z.unknown()),
  occurred_at: z.string(),
}).openapi("AlertEvent");

export const AlertNotificationSchema = z.object({
  id: z.int(),
  recipient_id: z.uuid(),
  recipient_name: z.string().nullable().openapi({
    description: "Nom du destinataire (null pour les lecteurs, qui ne voient pas les " +
      "destinataires).",
  }),
  status: z.string().openapi({ example: "delivered" }),
  message_kind: z.string().nullable(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
  delivered_at: z.string().nullable(),
  read_at: z.string().nullable(),
  error_code: z.int().nullable(),
  last_error: z.string().nullable(),
}).openapi("AlertNotification");

export const AlertDetailSchema = AlertSchema.extend({
  events: z.array(AlertEventSchema),
  notifications: z.array(AlertNotificationSchema),
}).openapi("AlertDetail");

export const AlertPage = pageOf(AlertSchema).openapi("AlertPage");
export const AlertHistoryPage = pageOf(AlertDetailSchema).openapi("AlertHistoryPage");

const paging = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).openapi({
    description: `Taille de la page (1 à ${MAX_LIMIT}).`,
  }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({
    type: "integer",
    description: "Nombre d'éléments à sauter.",
  }),
};

export const OpenAlertsQuery = z.object({
  ...paging,
  type: typeCode.optional(),
  severity: z.enum(SEVERITIES).optional(),
  status: z.enum(["active", "acknowledged"]).optional(),
  product_id: z.uuid().optional(),
  location_id: z.uuid().optional(),
  include_snoozed: QueryBoolean.default(false).openapi({
    type: "string",
    enum: ["true", "false"],
    description: "true : inclure les alertes en veille (défaut : false).",
  }),
}).strict();

export const AlertHistoryQuery = z.object({
  ...paging,
  from: at.optional().openapi({ description: "Première détection à partir de (inclus)." }),
  to: at.optional().openapi({ description: "Première détection avant (exclu)." }),
  type: typeCode.optional(),
  status: z.enum(STATUSES).optional(),
  product_id: z.uuid().optional(),
}).strict();

export const AcknowledgeInput = z.object({ note }).strict();
export const ResolveInput = z.object({ note }).strict();

export const SnoozeInput = z.object({
  until: at.nullable().optional().openapi({
    description: "Fin de la mise en veille (ISO 8601) ; null : sortir de veille.",
  }),
  minutes: z.int().min(1).max(43_200).optional().openapi({
    description: "Durée de la mise en veille en minutes (1 à 43 200, soit 30 jours).",
  }),
  note,
}).strict().refine(
  (value) => (value.until !== undefined) !== (value.minutes !== undefined),
  { message: "indiquez exactement un de until et minutes", path: ["until"] },
);

export const AlertTypeSchema = z.object({
  code: z.string(),
  title_fr: z.string(),
  description_fr: z.string(),
  default_severity: z.enum(SEVERITIES),
  default_params: z.record(z.string(), z.number().nullable()),
  incremental: z.boolean(),
}).openapi("AlertType");

export const AlertTypeList = z.object({ data: z.array(AlertTypeSchema) });

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

/** Path parameter `{id}` of a rule or a recipient. */
export const UuidParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" } }),
});

const ratio = z.number().min(0).max(1);
/** The parameters each type's rules may set (keys of alert_types.default_params). */
export const RULE_PARAMS: Record<string, z.ZodObject> = {
  stock_out: z.object({}).strict(),
  low_stock: z.object({
    threshold: z.int().min(0).max(1_000_000_000).nullable().optional(),
  }).strict(),
  fill_rate_drop: z.object({
    window_days: z.int().min(1).max(90).optional(),
    threshold: ratio.optional(),
    drop_points: z.number().min(0).max(100).optional(),
    min_ordered: z.number().min(0).max(1_000_000_000).optional(),
  }).strict(),
  predicted_stock_out: z.object({
    horizon_days: z.int().min(1).max(365).optional(),
    min_probability: ratio.optional(),
  }).strict(),
};

const params = z.record(z.string(), z.number().nullable()).openapi({
  description: "Seuils de la règle (clés de default_params du type) : low_stock.threshold " +
    "(entier ≥ 0), fill_rate_drop.{window_days 1–90, threshold 0–1, drop_points 0–100, " +
    "min_ordered ≥ 0}, predicted_stock_out.{horizon_days 1–365, min_probability 0–1}.",
  example: { threshold: 5 },
});

/** What is wrong with `value` as the params of a `type` rule, paths under `params`. */
export function ruleParamIssues(
  type: string,
  value: unknown,
): { path: PropertyKey[]; message: string }[] {
  const schema = RULE_PARAMS[type];
  if (!schema) return []; // an unknown type: the database answers 422
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    path: ["params", ...issue.path],
    message: issue.message,
  }));
}

export const RuleSchema = z.object({
  id: z.uuid(),
  alert_type: z.string(),
  category_id: z.uuid().nullable(),
  product_id: z.uuid().nullable(),
  enabled: z.boolean().nullable(),
  severity: z.enum(SEVERITIES).nullable(),
  notify: z.boolean().nullable(),
  params: z.record(z.string(), z.number().nullable()),
  created_at: z.string(),
  updated_at: z.string(),
}).openapi("AlertRule");

export const RuleList = z.object({ data: z.array(RuleSchema) });

const ruleSettings = {
  enabled: z.boolean().nullable().optional().openapi({
    description: "Type évalué dans cette portée (null : hérité, défaut true).",
  }),
  severity: z.enum(SEVERITIES).nullable().optional(),
  notify: z.boolean().nullable().optional().openapi({
    description: "Envoyer les nouvelles alertes sur WhatsApp (null : hérité, défaut true).",
  }),
  params: params.optional(),
};

export const CreateRule = z.object({
  alert_type: typeCode,
  category_id: z.uuid().optional().openapi({ description: "Règle d'une catégorie." }),
  product_id: z.uuid().optional().openapi({ description: "Règle d'un produit." }),
  ...ruleSettings,
}).strict().superRefine((value, ctx) => {
  if (value.category_id && value.product_id) {
    ctx.addIssue({
      code: "custom",
      message: "une règle vise une catégorie ou un produit, pas les deux",
      path: ["product_id"],
    });
  }
  for (const issue of value.params ? ruleParamIssues(value.alert_type, value.params) : []) {
    ctx.addIssue({ code: "custom", ...issue });
  }
});

export const RulePatch = z.object(ruleSettings).strict().refine(
  (value) => Object.keys(value).length > 0,
  "indiquez au moins un champ à modifier",
);

// ---------------------------------------------------------------------------
// Recipients
// ---------------------------------------------------------------------------

/** A phone number as typed, normalised to E.164 (Senegal when no country code). */
const phone = z.string().max(40).transform((value, ctx) => {
  const parsed = parsePhone(value);
  if (parsed.ok) return parsed.e164;
  ctx.addIssue({
    code: "custom",
    message: "numéro de téléphone invalide (ex. 77 123 45 67 ou +221771234567)",
    params: { problem: parsed.problem },
  });
  return z.NEVER;
}).openapi({ type: "string", example: "77 123 45 67" });

export const RecipientSchema = z.object({
  id: z.uuid(),
  user_id: z.uuid().nullable(),
  display_name: z.string(),
  phone_e164: z.string().openapi({ example: "+221771234567" }),
  language: z.string(),
  opted_in: z.boolean(),
  opted_in_at: z.string().nullable(),
  opted_out_at: z.string().nullable(),
  alert_types: z.array(z.string()).nullable(),
  notify_resolved: z.boolean(),
  quiet_hours_start: z.string().nullable(),
  quiet_hours_end: z.string().nullable(),
  last_inbound_at: z.string().nullable(),
  active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
}).openapi("AlertRecipient");

export const RecipientList = z.object({ data: z.array(RecipientSchema) });

const recipientFields = {
  display_name: line(120).openapi({ example: "Awa Ndiaye" }),
  phone: phone.openapi({ description: "Numéro WhatsApp (normalisé en E.164, +221 par défaut)." }),
  user_id: z.uuid().nullable().openapi({ description: "Compte membre de la boutique." }),
  opted_in: z.boolean().openapi({
    description: "Consentement recueilli (true : opted_in_at = maintenant ; false : " +
      "opted_out_at = maintenant).",
  }),
  alert_types: z.array(z.enum(ALERT_TYPES)).max(ALERT_TYPES.length).nullable().openapi({
    description: "Types reçus (null : tous).",
  }),
  notify_resolved: z.boolean(),
  quiet_hours_start: clock.nullable(),
  quiet_hours_end: clock.nullable(),
  active: z.boolean(),
};

const QUIET_BOTH = {
  message: "indiquez le début et la fin des heures calmes, ou aucun des deux",
  path: ["quiet_hours_end"],
};
const quietPair = (value: { quiet_hours_start?: string | null; quiet_hours_end?: string | null }) =>
  (value.quiet_hours_start ?? null) === null === ((value.quiet_hours_end ?? null) === null);

export const CreateRecipient = z.object({
  display_name: recipientFields.display_name,
  phone: recipientFields.phone,
  user_id: recipientFields.user_id.optional(),
  opted_in: recipientFields.opted_in.default(false),
  alert_types: recipientFields.alert_types.optional(),
  notify_resolved: recipientFields.notify_resolved.optional(),
  quiet_hours_start: recipientFields.quiet_hours_start.optional(),
  quiet_hours_end: recipientFields.quiet_hours_end.optional(),
  active: recipientFields.active.optional(),
}).strict().refine(quietPair, QUIET_BOTH);

export const RecipientPatch = z.object({
  display_name: recipientFields.display_name.optional(),
  phone: recipientFields.phone.optional(),
  user_id: recipientFields.user_id.optional(),
  opted_in: recipientFields.opted_in.optional(),
  alert_types: recipientFields.alert_types.optional(),
  notify_resolved: recipientFields.notify_resolved.optional(),
  quiet_hours_start: recipientFields.quiet_hours_start.optional(),
  quiet_hours_end: recipientFields.quiet_hours_end.optional(),
  active: recipientFields.active.optional(),
}).strict()
  .refine((value) => Object.keys(value).length > 0, "indiquez au moins un champ à modifier")
  .refine(
    (value) =>
      value.quiet_hours_start === undefined && value.quiet_hours_end === undefined ||
      value.quiet_hours_start !== undefined && value.quiet_hours_end !== undefined &&
        quietPair(value),
    QUIET_BOTH,
  );

// ---------------------------------------------------------------------------
// Settings and test message
// ---------------------------------------------------------------------------

export const SettingsSchema = z.object({
  daily_budget: z.int().openapi({ example: 50 }),
  quiet_hours_start: z.string().openapi({ example: "21:00" }),
  quiet_hours_end: z.string().openapi({ example: "07:00" }),
  stock_out_overrides_quiet_hours: z.boolean(),
  updated_at: z.string().nullable().openapi({ description: "null : valeurs par défaut." }),
}).openapi("NotificationSettings");

export const SettingsInput = z.object({
  daily_budget: z.int().min(0).max(10_000).optional().openapi({
    description: "Messages par jour au plus (0 à 10 000).",
  }),
  quiet_hours_start: clock.optional(),
  quiet_hours_end: clock.optional(),
  stock_out_overrides_quiet_hours: z.boolean().optional(),
}).strict();

export const TestMessageInput = z.object({
  recipient_id: z.uuid(),
  text: paragraph(1000).pipe(z.string().min(1)).optional().openapi({
    description: "Texte du message (défaut : un message de test en français).",
  }),
}).strict();

export const OutboxMessageSchema = z.object({
  id: z.int(),
  recipient_id: z.uuid(),
  kind: z.string(),
  status: z.string(),
  message_kind: z.string().nullable(),
  deferred_reason: z.string().nullable(),
  attempts: z.int(),
  provider_sid: z.string().nullable(),
  error_code: z.int().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  sent_at: z.string().nullable(),
}).openapi("OutboxMessage");
