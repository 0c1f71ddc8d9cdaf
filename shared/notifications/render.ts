/**
 * The text of one outbox message, from its `kind` and `payload`: what the dispatcher
 * sends as a freeform `Body` inside the 24-hour window, or as the approved template's
 * `ContentVariables` outside it.
 *
 * - `alerts`: `payload.alerts` is what `app.evaluate_alerts` wrote — each alert's
 *   context (`product_name`, `stock`, `reorder_point`, `days_of_cover`…) with its
 *   `alert_id`, `type` and `event` (`opened` or `resolved`). Opened alerts become
 *   {@link buildDigest}'s message, each with its number so the owner can answer
 *   `OK <n>`; resolved ones a short "✅ Résolu : <produit>" line.
 * - `test`: `payload.text`, or a default French test text.
 * - `reply`: `payload.text`.
 *
 * @module
 */
import { buildDigest, digestTemplateVariables, MAX_BODY_LENGTH } from "./whatsapp/digest.ts";
import { ALERT_ORDER, type AlertMessage, type AlertType } from "./whatsapp/messages.ts";

/** Kinds of outbox message (`notification_outbox.kind`). */
export type OutboxKind = "alerts" | "test" | "reply";

/** What a message is made from. */
export type RenderInput = {
  kind: OutboxKind;
  payload: Record<string, unknown>;
  /** The tenant's name, for the digest header and the template. */
  shopName: string;
};

/** The text sent by the test-message endpoint when it gives none. */
export const DEFAULT_TEST_TEXT =
  "✅ Message de test Digiboost : vos alertes WhatsApp sont bien configurées.";

/** `buildDigest()`'s own last line, replaced by {@link confirmLine}. */
const DIGEST_FOOTER = "Répondez AIDE pour la liste des commandes.";
/** Resolved lines shown before "… et N autres". */
const MAX_RESOLVED_LINES = 10;

const ALERT_TYPES: readonly AlertType[] = [
  "stock_out",
  "low_stock",
  "fill_rate_drop",
  "predicted_stock_out",
];

/** One entry of `payload.alerts`, read defensively (it is JSON from the database). */
export type PayloadAlert = {
  alertId: number | undefined;
  event: "opened" | "resolved";
  message: AlertMessage;
};

/** Reads `payload.alerts` (entries with an unknown type are skipped). */
export function payloadAlerts(payload: Record<string, unknown>): PayloadAlert[] {
  const entries = Array.isArray(payload.alerts) ? payload.alerts : [];
  const result: PayloadAlert[] = [];
  for (const entry of entries) {
    if (typeof entry !== "object" || entry === null) continue;
    const e = entry as Record<string, unknown>;
    if (!ALERT_TYPES.includes(e.type as AlertType)) continue;
    result.push({
      alertId: num(e.alert_id) ?? undefined,
      event: e.event === "resolved" ? "resolved" : "opened",
      message: toAlertMessage(e),
    });
  }
  return result;
}

/** An alert's context (snake_case JSON) as the texts of `messages.ts` want it. */
export function toAlertMessage(e: Record<string, unknown>): AlertMessage {
  const fillRate = typeof e.fill_rate === "object" && e.fill_rate !== null
    ? e.fill_rate as Record<string, unknown>
    : undefined;
  const current = fillRate ? num(fillRate.current) : null;
  return {
    type: e.type as AlertType,
    productName: str(e.product_name) ?? (e.shop_wide ? "Toute la boutique" : "Produit"),
    ...(str(e.sku) ? { sku: str(e.sku)! } : {}),
    ...(str(e.location_name) ? { locationName: str(e.location_name)! } : {}),
    stock: num(e.stock) ?? 0,
    ...(str(e.unit) ? { unit: str(e.unit)! } : {}),
    reorderPoint: num(e.reorder_point),
    daysOfCover: num(e.days_of_cover),
    suggestedOrderQuantity: num(e.suggested_order_quantity),
    fillRate: fillRate && current !== null
      ? {
        current,
        ...(num(fillRate.threshold) !== null ? { threshold: num(fillRate.threshold)! } : {}),
        ...(num(fillRate.previous) !== null ? { previous: num(fillRate.previous)! } : {}),
      }
      : null,
    predictedStockOutOn: str(e.predicted_stockout_on) ?? str(e.predicted_stock_out_on) ?? null,
    leadTimeDays: num(e.lead_time_days),
  };
}

/** The alert as the owner reads it in a message: its number first ("n°12 Riz…"). */
function numbered(alert: PayloadAlert): AlertMessage {
  return alert.alertId === undefined
    ? alert.message
    : { ...alert.message, productName: `n°${alert.alertId} ${alert.message.productName}` };
}

/** The last line: how to acknowledge. */
export function confirmLine(opened: readonly PayloadAlert[]): string {
  // In the digest's order, so the example is its first line.
  const ids = [...opened]
    .sort((a, b) => ALERT_ORDER.indexOf(a.message.type) - ALERT_ORDER.indexOf(b.message.type))
    .map((a) => a.alertId).filter((id): id is number => id !== undefined);
  if (ids.length === 0) return "Répondez AIDE pour l'aide.";
  if (ids.length === 1) return `Répondez OK ${ids[0]} pour confirmer, AIDE pour l'aide.`;
  return `Répondez OK <n°> (par exemple OK ${ids[0]}) pour confirmer, AIDE pour l'aide.`;
}

/** "✅ Résolu : <produit>" lines, at most {@link MAX_RESOLVED_LINES} then "… et N autres". */
function resolvedLines(resolved: readonly PayloadAlert[]): string[] {
  const lines = resolved.slice(0, MAX_RESOLVED_LINES).map((a) =>
    `✅ Résolu : ${a.message.productName}` +
    (a.message.locationName ? ` — ${a.message.locationName}` : "")
  );
  const rest = resolved.length - lines.length;
  if (rest > 0) lines.push(`… et ${rest} ${rest > 1 ? "autres résolues" : "autre résolue"}`);
  return lines;
}

/** The freeform body of an `alerts` message, ≤ {@link MAX_BODY_LENGTH} characters. */
export function renderAlertsBody(payload: Record<string, unknown>, shopName: string): string {
  const alerts = payloadAlerts(payload);
  const opened = alerts.filter((a) => a.event === "opened");
  const resolved = alerts.filter((a) => a.event === "resolved");
  if (alerts.length === 0) {
    throw new Error("renderAlertsBody() expects payload.alerts with at least one alert, got none");
  }
  const tail = [...resolvedLines(resolved), confirmLine(opened)];
  if (opened.length === 0) return fit(tail.join("\n"));
  const tailText = "\n\n" + tail.join("\n");
  let digest = buildDigest(opened.map(numbered), {
    shopName,
    maxLength: Math.max(200, MAX_BODY_LENGTH - tailText.length),
  });
  if (digest.endsWith(DIGEST_FOOTER)) digest = digest.slice(0, -DIGEST_FOOTER.length).trimEnd();
  return fit(digest + tailText);
}

/** The freeform body of any message. */
export function renderBody(input: RenderInput): string {
  switch (input.kind) {
    case "alerts":
      return renderAlertsBody(input.payload, input.shopName);
    case "test":
      return fit(str(input.payload.text) ?? DEFAULT_TEST_TEXT);
    case "reply": {
      const text = str(input.payload.text);
      if (!text) throw new Error("renderBody() expects payload.text for a reply, got none");
      return fit(text);
    }
  }
}

/**
 * The alert template's variables (`{{1}}` count, `{{2}}` shop, `{{3}}` the most urgent
 * alert, numbered). A message with only resolved alerts uses `{{3}}` for the first
 * "✅ Résolu" line; a test message says it is a test. A reply is always inside the
 * window (it answers an inbound message), so it has no template: null.
 */
export function renderTemplateVariables(input: RenderInput): Record<string, string> | null {
  const shop = singleLine(input.shopName) || "votre boutique";
  switch (input.kind) {
    case "alerts": {
      const alerts = payloadAlerts(input.payload);
      const opened = alerts.filter((a) => a.event === "opened");
      if (opened.length > 0) return digestTemplateVariables(opened.map(numbered), shop);
      if (alerts.length === 0) return null;
      return {
        "1": String(alerts.length),
        "2": shop,
        "3": singleLine(resolvedLines(alerts)[0]),
      };
    }
    case "test":
      return { "1": "1", "2": shop, "3": singleLine(str(input.payload.text) ?? DEFAULT_TEST_TEXT) };
    case "reply":
      return null;
  }
}

function fit(text: string): string {
  return text.length <= MAX_BODY_LENGTH ? text : text.slice(0, MAX_BODY_LENGTH - 1) + "…";
}

function singleLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function str(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

function num(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
    return Number(value);
  }
  return null;
}
