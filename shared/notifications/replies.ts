/**
 * The French answers to WhatsApp commands (returned to Twilio as TwiML, see
 * `webhook.ts`), and the TwiML itself.
 *
 * @module
 */
import { formatDaysOfCover, formatQuantity } from "./whatsapp/messages.ts";

/** The list of commands (AIDE, and the answer to anything not understood). */
export const HELP_TEXT = [
  "Commandes Digiboost :",
  "• STOCK <nom ou référence> : stock actuel et jours de couverture d'un produit",
  "• OK <n> : prendre en compte l'alerte n",
  "• STOP : ne plus recevoir d'alertes WhatsApp",
  "• START : recevoir à nouveau les alertes",
  "• AIDE : cette liste",
].join("\n");

/** Answer to a message we did not understand. */
export const UNKNOWN_TEXT = `Je n'ai pas compris votre message.\n${HELP_TEXT}`;

/** Answer to a number that is no shop's recipient. */
export const UNKNOWN_SENDER_TEXT =
  "Bonjour, ce numéro n'est enregistré dans aucune boutique Digiboost. " +
  "Demandez au gérant de votre boutique de l'ajouter aux destinataires des alertes.";

/** Confirmation of STOP. */
export const STOP_TEXT = "Vous ne recevrez plus d'alertes WhatsApp de Digiboost. " +
  "Envoyez START pour les recevoir à nouveau.";

/** Confirmation of START. */
export const START_TEXT = "C'est noté : vous recevrez à nouveau les alertes WhatsApp de " +
  "Digiboost. Envoyez STOP pour les arrêter, AIDE pour la liste des commandes.";

/** "OK" without a number. */
export const OK_USAGE_TEXT =
  "Indiquez le numéro de l'alerte, par exemple : OK 12.\nEnvoyez AIDE pour la liste des commandes.";

/** "STOCK" without a product. */
export const STOCK_USAGE_TEXT =
  "Indiquez le produit, par exemple : STOCK riz ou STOCK RIZ-25.\nEnvoyez AIDE pour la liste des commandes.";

/** Answers to OK <n>. */
export const okText = {
  acknowledged: (id: number) => `✅ Alerte ${id} prise en compte. Merci !`,
  alreadyAcknowledged: (id: number) => `L'alerte ${id} était déjà prise en compte.`,
  resolved: (id: number) => `L'alerte ${id} est déjà résolue : rien à faire.`,
  notFound: (id: number) =>
    `Alerte ${id} introuvable. Vérifiez le numéro indiqué dans le message d'alerte.`,
};

/** Answer to STOCK when nothing matches. */
export function stockNotFoundText(query: string): string {
  return `Aucun produit ne correspond à « ${query} ». ` +
    "Essayez avec la référence ou une partie du nom, par exemple : STOCK riz.\n" +
    "Envoyez AIDE pour la liste des commandes.";
}

/** What STOCK answers about the best-matching product. */
export type StockFacts = {
  name: string;
  sku: string;
  unit: string;
  stock: number;
  reorderPoint: number;
  /** Null when there are no recent sales and no forecast. */
  daysOfCover: number | null;
  /** Other products that also matched the query. */
  otherMatches: number;
};

/** Answer to STOCK <produit>. */
export function stockText(facts: StockFacts): string {
  const icon = facts.stock <= 0 ? "🔴" : facts.stock <= facts.reorderPoint ? "🟠" : "🟢";
  const lines = [
    `${icon} *${facts.name}* (${facts.sku})`,
    `Stock : ${formatQuantity(facts.stock, facts.unit)}`,
    `Point de commande : ${formatQuantity(facts.reorderPoint, facts.unit)}`,
    `Couverture : ${formatDaysOfCover(facts.stock <= 0 ? 0 : facts.daysOfCover)}`,
  ];
  if (facts.otherMatches > 0) {
    lines.push(
      `(${facts.otherMatches} autre${facts.otherMatches > 1 ? "s" : ""} produit${
        facts.otherMatches > 1 ? "s" : ""
      } correspond${facts.otherMatches > 1 ? "ent" : ""} : précisez le nom ou la référence.)`,
    );
  }
  return lines.join("\n");
}

/** Escapes text for XML character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) =>
      c === "&"
        ? "&amp;"
        : c === "<"
        ? "&lt;"
        : c === ">"
        ? "&gt;"
        : c === '"'
        ? "&quot;"
        : "&apos;",
  );
}

/** TwiML answering with one message (or none when `text` is undefined). */
export function twiml(text?: string): string {
  const body = text === undefined
    ? "<Response/>"
    : `<Response><Message>${escapeXml(text)}</Message></Response>`;
  return `<?xml version="1.0" encoding="UTF-8"?>${body}`;
}
