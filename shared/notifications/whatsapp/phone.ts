/**
 * Phone numbers for WhatsApp: parse what people type ("77 123 45 67", "+221 77…",
 * "00221…"), validate it with libphonenumber-js, and write it in E.164 (`+221771234567`)
 * or as Twilio's WhatsApp channel address (`whatsapp:+221771234567`).
 *
 * Senegal is the default region: a national number without a country code is read as
 * Senegalese.
 *
 * @module
 */
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";

/** Region assumed for numbers written without a country code. */
export const DEFAULT_REGION: CountryCode = "SN";

/** Prefix of Twilio's WhatsApp channel addresses. */
export const WHATSAPP_PREFIX = "whatsapp:";

/** A number in E.164 form: `+`, country code, subscriber number, nothing else. */
export type E164 = `+${string}`;

/** Why a text is not a usable phone number. */
export type PhoneProblem = "empty" | "not_a_number" | "invalid";

/** The result of {@link parsePhone}. */
export type ParsedPhone =
  | { ok: true; e164: E164; country: CountryCode | undefined }
  | { ok: false; problem: PhoneProblem; input: string };

/**
 * Parses a phone number as typed (spaces, dots, dashes, `00` or `+` international
 * prefix, or a `whatsapp:` address) and validates it for its country.
 */
export function parsePhone(input: string, region: CountryCode = DEFAULT_REGION): ParsedPhone {
  const text = stripWhatsAppPrefix(input.trim()).trim();
  if (text.length === 0) return { ok: false, problem: "empty", input };
  const parsed = parsePhoneNumberFromString(text, region);
  if (!parsed) return { ok: false, problem: "not_a_number", input };
  if (!parsed.isValid()) return { ok: false, problem: "invalid", input };
  return { ok: true, e164: parsed.number as E164, country: parsed.country };
}

/** The E.164 form of a phone number, or undefined when it is not a valid number. */
export function toE164(input: string, region: CountryCode = DEFAULT_REGION): E164 | undefined {
  const parsed = parsePhone(input, region);
  return parsed.ok ? parsed.e164 : undefined;
}

/** True when `input` is already exactly a valid E.164 number (no spaces, no prefix). */
export function isE164(input: string): input is E164 {
  return /^\+[1-9]\d{6,14}$/.test(input) && toE164(input) === input;
}

/** Thrown by {@link toWhatsAppAddress} for a text that is not a valid number. */
export class InvalidPhoneNumberError extends Error {
  constructor(readonly input: string, readonly problem: PhoneProblem) {
    super(
      `Expected a valid phone number (E.164, e.g. +221771234567), got ${JSON.stringify(input)}`,
    );
    this.name = "InvalidPhoneNumberError";
  }
}

/** The Twilio WhatsApp address of a number: `whatsapp:+221771234567`. */
export function toWhatsAppAddress(input: string, region: CountryCode = DEFAULT_REGION): string {
  const parsed = parsePhone(input, region);
  if (!parsed.ok) throw new InvalidPhoneNumberError(input, parsed.problem);
  return `${WHATSAPP_PREFIX}${parsed.e164}`;
}

/** Reads a `whatsapp:+…` address (as Twilio sends in `From`/`To`) back to E.164. */
export function fromWhatsAppAddress(address: string): E164 | undefined {
  if (!address.startsWith(WHATSAPP_PREFIX)) return undefined;
  const rest = address.slice(WHATSAPP_PREFIX.length);
  return isE164(rest) ? rest : undefined;
}

function stripWhatsAppPrefix(text: string): string {
  return text.toLowerCase().startsWith(WHATSAPP_PREFIX) ? text.slice(WHATSAPP_PREFIX.length) : text;
}
