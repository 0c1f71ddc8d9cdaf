/**
 * The French WhatsApp texts of the four alert types — rupture de stock, stock faible,
 * baisse du taux de service, rupture prévue — each with the product, its stock, reorder
 * point, days of cover and a suggested action.
 *
 * Text only: which alerts exist and when is decided in SQL; this turns an alert's
 * context into words a shop owner reads on a phone.
 *
 * @module
 */

/** The alert types, as stored in `alerts.type`. */
export type AlertType = "stock_out" | "low_stock" | "fill_rate_drop" | "predicted_stock_out";

/** What a message needs to know about one alert. */
export type AlertMessage = {
  type: AlertType;
  productName: string;
  sku?: string;
  /** Where the condition holds (shop or warehouse), when the tenant has several. */
  locationName?: string;
  /** Units on hand (≤ 0 for a stock-out). */
  stock: number;
  unit?: string;
  reorderPoint?: number | null;
  /** Stock ÷ average daily sales; null when there are no recent sales. */
  daysOfCover?: number | null;
  /** Quantity to order, when the rules or the forecast suggest one. */
  suggestedOrderQuantity?: number | null;
  /** Fill rate (0–1) over the recent window, its threshold and the previous window's. */
  fillRate?: { current: number; threshold?: number; previous?: number } | null;
  /** Predicted stock-out date (YYYY-MM-DD) and the supplier lead time in days. */
  predictedStockOutOn?: string | null;
  leadTimeDays?: number | null;
};

/** French names of the alert types. */
export const ALERT_TITLES: Record<AlertType, string> = {
  stock_out: "Rupture de stock",
  low_stock: "Stock faible",
  fill_rate_drop: "Baisse du taux de service",
  predicted_stock_out: "Rupture prévue",
};

const ICONS: Record<AlertType, string> = {
  stock_out: "🔴",
  low_stock: "🟠",
  fill_rate_drop: "📉",
  predicted_stock_out: "⏳",
};

/** Urgency order: a stock-out first, a service-rate drop last. */
export const ALERT_ORDER: readonly AlertType[] = [
  "stock_out",
  "predicted_stock_out",
  "low_stock",
  "fill_rate_drop",
];

const integer = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

/** A quantity with its unit: "12 unités", "1 unité", "4 pièces", "3,5 kg", "2 sacs de 50 kg". */
export function formatQuantity(quantity: number, unit?: string): string {
  const text = Number.isInteger(quantity) ? integer.format(quantity) : decimal.format(quantity);
  const name = !unit || unit === "unit" ? "unité" : unit;
  return `${text} ${Math.abs(quantity) >= 2 ? plural(name) : name}`;
}

/** Symbols and abbreviations that never take an s (kg, L, ml, m²…). */
const SYMBOLS = /^(k?g|m?l|c?l|l|m|cm|mm|m²|m³|t|pcs?|lot)$/i;

/**
 * French plural of a unit name as shop owners type them: the first word takes an s
 * ("sac de 50 kg" → "sacs de 50 kg") unless it is a symbol or already ends in s, x or z.
 */
function plural(unit: string): string {
  const [first, ...rest] = unit.split(" ");
  if (SYMBOLS.test(first) || /[sxz]$/i.test(first) || !/^\p{L}+$/u.test(first)) return unit;
  return [`${first}s`, ...rest].join(" ");
}

/** Days of cover: "aucune", "moins d'un jour", "1 jour", "3,5 jours", or "non calculée". */
export function formatDaysOfCover(days: number | null | undefined): string {
  if (days === null || days === undefined || !Number.isFinite(days)) return "non calculée";
  if (days <= 0) return "aucune";
  if (days < 1) return "moins d'un jour";
  const text = decimal.format(days);
  return `${text} ${days >= 2 ? "jours" : "jour"}`;
}

/** A rate in percent: 0.874 → "87,4 %". */
export function formatPercent(rate: number): string {
  return `${decimal.format(rate * 100)}\u00a0%`;
}

/** A date as French people write it: "2026-12-03" → "03/12/2026". */
export function formatDate(isoDate: string): string {
  const [year, month, day] = isoDate.slice(0, 10).split("-");
  return `${day}/${month}/${year}`;
}

/** The product as the owner knows it: name, reference and place. */
export function productLabel(alert: AlertMessage, maxNameLength = 80): string {
  const name = alert.productName.length > maxNameLength
    ? alert.productName.slice(0, maxNameLength - 1) + "…"
    : alert.productName;
  return name + (alert.sku ? ` (${alert.sku})` : "") +
    (alert.locationName ? ` — ${alert.locationName}` : "");
}

/** What the owner should do about it. */
export function suggestedAction(alert: AlertMessage): string {
  const order = alert.suggestedOrderQuantity && alert.suggestedOrderQuantity > 0
    ? `Commandez ${formatQuantity(alert.suggestedOrderQuantity, alert.unit)}`
    : "Réapprovisionnez";
  switch (alert.type) {
    case "stock_out":
      return `${order} dès aujourd'hui : chaque jour sans stock est une vente perdue.`;
    case "low_stock":
      return `${order} avant la rupture.`;
    case "predicted_stock_out":
      return alert.leadTimeDays
        ? `${order} maintenant : le délai fournisseur est de ${alert.leadTimeDays} jours.`
        : `${order} maintenant pour éviter la rupture.`;
    case "fill_rate_drop":
      return "Vérifiez les ruptures et les commandes livrées partiellement de ce produit.";
  }
}

/** The facts of the alert, one per line. */
export function alertFacts(alert: AlertMessage): string[] {
  const facts = [`Stock : ${formatQuantity(alert.stock, alert.unit)}`];
  if (alert.reorderPoint !== null && alert.reorderPoint !== undefined) {
    facts.push(`Point de commande : ${formatQuantity(alert.reorderPoint, alert.unit)}`);
  }
  facts.push(`Couverture : ${formatDaysOfCover(alert.daysOfCover)}`);
  if (alert.type === "predicted_stock_out" && alert.predictedStockOutOn) {
    facts.push(`Rupture prévue le ${formatDate(alert.predictedStockOutOn)}`);
  }
  if (alert.type === "fill_rate_drop" && alert.fillRate) {
    const { current, threshold, previous } = alert.fillRate;
    let line = `Taux de service : ${formatPercent(current)}`;
    if (previous !== undefined) line += ` (contre ${formatPercent(previous)} avant)`;
    if (threshold !== undefined) line += `, seuil ${formatPercent(threshold)}`;
    facts.push(line);
  }
  return facts;
}

/** The full message for one alert. */
export function alertText(alert: AlertMessage): string {
  return [
    `${ICONS[alert.type]} *${ALERT_TITLES[alert.type]}* : ${productLabel(alert)}`,
    ...alertFacts(alert),
    `👉 ${suggestedAction(alert)}`,
  ].join("\n");
}

/** One line for a digest: icon, type, product, stock and cover. */
export function alertLine(alert: AlertMessage): string {
  const detail = alert.type === "fill_rate_drop" && alert.fillRate
    ? `service ${formatPercent(alert.fillRate.current)}`
    : alert.type === "predicted_stock_out" && alert.predictedStockOutOn
    ? `stock ${formatQuantity(alert.stock, alert.unit)}, rupture le ${
      formatDate(alert.predictedStockOutOn)
    }`
    : `stock ${formatQuantity(alert.stock, alert.unit)}` +
      (alert.reorderPoint !== null && alert.reorderPoint !== undefined
        ? ` / point ${integer.format(alert.reorderPoint)}`
        : "") +
      `, couverture ${formatDaysOfCover(alert.daysOfCover)}`;
  return `${ICONS[alert.type]} ${ALERT_TITLES[alert.type]} : ${
    productLabel(alert, 60)
  } — ${detail}`;
}
