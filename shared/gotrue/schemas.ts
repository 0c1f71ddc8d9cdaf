/**
 * Request bodies of the local auth endpoints, validated with zod the way GoTrue reads
 * them: unknown fields ignored, `null` read as absent, a wrong type or invalid JSON is
 * `400 bad_json`; then GoTrue's own checks, in GoTrue's order, with its messages
 * (`validation_failed`, `weak_password`).
 *
 * @module
 */
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../http/context.ts";
import { gotrueErrors } from "./errors.ts";

const text = z.string().nullish().transform((value) => value ?? "");

/** `POST /signup`. */
export const SignupBody = z.object({
  email: text,
  phone: text,
  password: text,
  data: z.record(z.string(), z.unknown()).nullish().transform((value) => value ?? {}),
});

/** `POST /token?grant_type=password`. */
export const PasswordGrantBody = z.object({ email: text, phone: text, password: text });

/** `POST /token?grant_type=refresh_token`. */
export const RefreshGrantBody = z.object({ refresh_token: text });

/** Reads and validates a JSON body; anything unreadable is GoTrue's `bad_json`. */
export async function readBody<T extends z.ZodType>(
  c: Context<AppEnv>,
  schema: T,
): Promise<z.output<T>> {
  const raw = await c.req.text();
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    const detail = raw.trim() === "" ? "unexpected end of JSON input" : (error as Error).message;
    throw gotrueErrors.badJson(detail);
  }
  // Go decodes `null` into an empty struct: every field absent.
  const parsed = schema.safeParse(json ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? ` (field ${issue.path.join(".")})` : "";
    throw gotrueErrors.badJson(`${issue.message}${where}`);
  }
  return parsed.data;
}

// badoux/checkmail's format check, which GoTrue uses.
const EMAIL_FORMAT =
  /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

const EmailSchema = z.string()
  .min(1, "An email address is required")
  .max(255, "An email address is too long")
  .regex(EMAIL_FORMAT, "Unable to validate email address: invalid format");

/** GoTrue's `validateEmail`: required, at most 255 characters, well formed; lower-cased. */
export function validateEmail(email: string): string {
  const parsed = EmailSchema.safeParse(email);
  if (!parsed.success) throw gotrueErrors.validation(parsed.error.issues[0].message);
  return parsed.data.toLowerCase();
}

/** Shortest password GoTrue accepts by default (`GOTRUE_PASSWORD_MIN_LENGTH`). */
export const PASSWORD_MIN_LENGTH = 6;
/** bcrypt reads at most 72 bytes; GoTrue refuses longer passwords. */
export const PASSWORD_MAX_BYTES = 72;

/** A weak-password verdict: GoTrue's message and reasons. */
export type PasswordWeakness = { message: string; reasons: string[] };

/**
 * GoTrue's `checkPasswordStrength` with the default policy: over 72 bytes is a 400,
 * under 6 a weakness (`reasons: ["length"]`). Lengths are in bytes, as in Go.
 */
export function passwordWeakness(password: string): PasswordWeakness | undefined {
  const bytes = new TextEncoder().encode(password).length;
  if (bytes > PASSWORD_MAX_BYTES) {
    throw gotrueErrors.validation(
      `Password cannot be longer than ${PASSWORD_MAX_BYTES} characters`,
    );
  }
  if (bytes < PASSWORD_MIN_LENGTH) {
    return {
      message: `Password should be at least ${PASSWORD_MIN_LENGTH} characters.`,
      reasons: ["length"],
    };
  }
  return undefined;
}
