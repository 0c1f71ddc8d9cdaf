/**
 * Reads the WhatsApp commands a shop owner sends back, forgiving of case, accents,
 * extra spaces and punctuation ("arrêt", "Ok 12", "*STOCK*  riz !"):
 *
 * | command | words (first word decides)                                   |
 * | ------- | ------------------------------------------------------------ |
 * | `stop`  | STOP, STOP ALL, STOPALL, ARRET, ARRETER, DESABONNER, UNSUBSCRIBE |
 * | `start` | START, OUI, REPRENDRE, ABONNER, SUBSCRIBE                     |
 * | `ok`    | OK <n> (also "OK n°12", "OK #12", "ok12")                      |
 * | `stock` | STOCK <nom ou référence>                                     |
 * | `help`  | AIDE, HELP, ?, MENU, COMMANDES                                |
 *
 * Anything else is `unknown` (answered with the help text, never silence). Pure: what a
 * command does is in `inbound.ts`.
 *
 * @module
 */

/** The command kinds, as stored in `inbound_messages.command`. */
export type CommandKind = "stop" | "start" | "ok" | "stock" | "help" | "unknown";

/** A command read from a message. */
export type Command =
  | { kind: "stop" }
  | { kind: "start" }
  /** `alertId` undefined: "OK" without a (usable) number. */
  | { kind: "ok"; alertId: number | undefined }
  /** `query` empty: "STOCK" alone. */
  | { kind: "stock"; query: string }
  | { kind: "help" }
  | { kind: "unknown" };

const STOP = new Set(["STOP", "STOPALL", "ARRET", "ARRETER", "DESABONNER", "UNSUBSCRIBE"]);
const START = new Set(["START", "OUI", "REPRENDRE", "ABONNER", "SUBSCRIBE"]);
const HELP = new Set(["AIDE", "HELP", "MENU", "COMMANDES", "COMMANDE"]);

/** Upper case, accents removed (é → E, œ → OE), anything not a letter or digit a space. */
export function foldCommandText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/œ/gi, (m) => (m === "œ" ? "oe" : "OE"))
    .replace(/æ/gi, (m) => (m === "æ" ? "ae" : "AE"))
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Reads one inbound message's text as a command. */
export function parseCommand(body: string): Command {
  const folded = foldCommandText(body);
  if (folded.length === 0) return body.includes("?") ? { kind: "help" } : { kind: "unknown" };
  const [first, ...rest] = folded.split(" ");

  if (STOP.has(first)) return { kind: "stop" };
  if (START.has(first)) return { kind: "start" };
  if (HELP.has(first)) return { kind: "help" };

  // "OK 12", "Ok n°12", "ok #12", "OK12"
  const ok = /^OK(?:\s*(?:N|NO|NUM|NUMERO))?\s*(\d*)(?:\s|$)/.exec(folded);
  if (ok && (first === "OK" || /^OK\d+$/.test(first) || ok[1] !== "")) {
    const digits = ok[1] || (rest.find((word) => /^\d+$/.test(word)) ?? "");
    const id = digits === "" ? undefined : Number(digits);
    return { kind: "ok", alertId: id !== undefined && Number.isSafeInteger(id) ? id : undefined };
  }

  if (first === "STOCK" || first === "STOCKS") return { kind: "stock", query: stockQuery(body) };
  return { kind: "unknown" };
}

/** What follows the word STOCK, as typed, without surrounding spaces and punctuation. */
function stockQuery(body: string): string {
  const match = /^[^\p{L}\p{N}]*\p{L}+(.*)$/su.exec(body.normalize("NFC"));
  const rest = match ? match[1] : "";
  return rest
    .replace(/\s+/g, " ")
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")
    .trim();
}
