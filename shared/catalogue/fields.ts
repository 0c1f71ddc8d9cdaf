/**
 * Field schemas the catalogue resources share: texts without control characters,
 * integer XOF amounts and quantities, SKUs, E.164 phone numbers (Senegalese local
 * numbers accepted and normalised), references to other rows.
 *
 * The bounds repeat the table checks of the catalogue migration so that bad input is a
 * 400 naming the field, never a database error; the database still has the last word.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { parsePhoneNumberFromString } from "libphonenumber-js";

/** Largest amount in XOF (the `between 0 and 1000000000000` checks). */
export const MAX_XOF = 1_000_000_000_000;
/** Largest quantity (reorder point, max stock). */
export const MAX_QUANTITY = 1_000_000_000;

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// deno-lint-ignore no-control-regex
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** One line of text, trimmed, 1 to `max` characters, no control characters. */
export function line(max: number) {
  return z.string().trim().min(1).max(max).refine(
    (value) => !CONTROL.test(value),
    "caractères de contrôle interdits",
  );
}

/** Free text (line breaks allowed), trimmed, at most `max` characters. */
export function paragraph(max: number) {
  return z.string().trim().max(max).refine(
    (value) => !CONTROL_EXCEPT_LINES.test(value),
    "caractères de contrôle interdits",
  );
}

/** An amount in XOF: an integer from 0 to 10^12 (XOF has no minor unit). */
export const xof = z.int().min(0).max(MAX_XOF).openapi({
  description: "Montant entier en francs CFA (XOF), de 0 à 10^12.",
  example: 17500,
});

/** A quantity in the product's unit: an integer from 0 to 10^9. */
export const quantity = z.int().min(0).max(MAX_QUANTITY);

/** Days from order to delivery. */
export const leadTimeDays = z.int().min(0).max(365).openapi({ example: 3 });

/** Stock-keeping unit, as the `products.sku` check. */
export const sku = z.string().trim().regex(
  /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/,
  "référence invalide : lettres, chiffres et . _ / - (64 caractères au plus, commençant par une lettre ou un chiffre)",
).openapi({ example: "RIZ-BRISE-50" });

/** Barcode (EAN, UPC or internal), as the `products.barcode` check. */
export const barcode = z.string().trim().regex(
  /^[0-9A-Za-z-]{4,64}$/,
  "code-barres invalide : 4 à 64 lettres, chiffres ou tirets",
).openapi({ example: "6111234567890" });

/**
 * Normalises a phone number to E.164, reading numbers without a country code as
 * Senegalese: "77 123 45 67" → "+221771234567". Returns null when it is not a valid
 * number.
 */
export function toE164(value: string): string | null {
  const parsed = parsePhoneNumberFromString(value, "SN");
  return parsed?.isValid() ? parsed.number : null;
}

/** A phone number, stored in E.164; local Senegalese numbers are accepted. */
export const phone = z.string().max(32).transform((value, ctx) => {
  const e164 = toE164(value);
  if (!e164) {
    ctx.addIssue({
      code: "custom",
      message: "numéro de téléphone invalide (ex. 77 123 45 67 ou +221 77 123 45 67)",
    });
    return z.NEVER;
  }
  return e164;
}).openapi({
  type: "string",
  description: "Numéro de téléphone ; sans indicatif, il est lu comme sénégalais (+221). " +
    "Enregistré au format E.164.",
  example: "+221771234567",
});

/** A reference to another catalogue row of the same tenant (or null for none). */
export const reference = z.uuid();

/** Removes the keys whose value is undefined (so the database defaults apply). */
export function defined<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
