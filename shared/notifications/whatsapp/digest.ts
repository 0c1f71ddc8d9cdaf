/**
 * One WhatsApp message per owner and run: a single alert gets its full text; several
 * become a digest — a header, one line per alert in order of urgency, and, when the
 * lines would pass WhatsApp's 1,600-character body limit, "et N autres…" for the rest.
 *
 * Also the variables of the approved template used outside the 24-hour window, where a
 * freeform digest cannot be sent.
 *
 * @module
 */
import { ALERT_ORDER, alertLine, type AlertMessage, alertText } from "./messages.ts";

/** Twilio's limit on `Body` (error 21617 beyond it). */
export const MAX_BODY_LENGTH = 1600;

/** Options of {@link buildDigest}. */
export type DigestOptions = {
  /** The shop's name, for the header. */
  shopName?: string;
  /** Defaults to {@link MAX_BODY_LENGTH}. */
  maxLength?: number;
};

const FOOTER = "Répondez AIDE pour la liste des commandes.";

/**
 * The message for one owner's alerts of one run, never longer than `maxLength`
 * characters (UTF-16 code units: never fewer than the characters Twilio counts).
 */
export function buildDigest(alerts: readonly AlertMessage[], options: DigestOptions = {}): string {
  const maxLength = options.maxLength ?? MAX_BODY_LENGTH;
  if (alerts.length === 0) throw new Error("buildDigest() expects at least one alert, got none");
  if (alerts.length === 1) return fit(alertText(alerts[0]), maxLength);

  const sorted = [...alerts].sort((a, b) =>
    ALERT_ORDER.indexOf(a.type) - ALERT_ORDER.indexOf(b.type)
  );
  const header = `📦 *${alerts.length} alertes de stock*` +
    (options.shopName ? ` — ${options.shopName}` : "");
  const lines = sorted.map(alertLine);
  const compose = (shown: number) => {
    const rest = lines.length - shown;
    const more = rest > 0 ? [`… et ${rest} ${rest > 1 ? "autres" : "autre"}…`] : [];
    return [header, "", ...lines.slice(0, shown), ...more, "", FOOTER].join("\n");
  };
  // Lines only add length, so the first count that fits, from the top, is the largest.
  let shown = lines.length;
  while (shown > 0 && compose(shown).length > maxLength) shown--;
  return fit(compose(shown), maxLength);
}

/**
 * `ContentVariables` of the alert template (`{{1}}` alert count, `{{2}}` shop, `{{3}}`
 * the most urgent alert): single-line, non-empty values, as Twilio requires (21656).
 */
export function digestTemplateVariables(
  alerts: readonly AlertMessage[],
  shopName: string,
): Record<string, string> {
  if (alerts.length === 0) {
    throw new Error("digestTemplateVariables() expects at least one alert, got none");
  }
  const first =
    [...alerts].sort((a, b) => ALERT_ORDER.indexOf(a.type) - ALERT_ORDER.indexOf(b.type))[0];
  return {
    "1": String(alerts.length),
    "2": singleLine(shopName) || "votre boutique",
    "3": singleLine(alertLine(first)),
  };
}

function singleLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function fit(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : text.slice(0, maxLength - 1) + "…";
}
