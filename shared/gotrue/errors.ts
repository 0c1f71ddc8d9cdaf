/**
 * GoTrue's error responses, shaped exactly as supabase/auth answers them
 * (`internal/api/errors.go`), because supabase-js parses them:
 *
 * - without `X-Supabase-Api-Version` (curl, old clients):
 *   `{"code":400,"error_code":"invalid_credentials","msg":"Invalid login credentials"}`;
 * - with `X-Supabase-Api-Version: 2024-01-01` or later (every supabase-js release since
 *   2024): `{"code":"invalid_credentials","message":"Invalid login credentials"}` and the
 *   version echoed in the response header, which is how auth-js knows to read `code`;
 * - weak passwords add `weak_password: {reasons: […]}`; OAuth-style errors are
 *   `{"error":"invalid_request","error_description":"…"}`.
 *
 * The local subset answers in English like GoTrue: these bodies are read by
 * supabase-js, not by shop owners.
 *
 * @module
 */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../http/context.ts";

/** Header carrying the API version a client understands. */
export const API_VERSION_HEADER = "X-Supabase-Api-Version";
/** The only API version GoTrue knows besides the initial one. */
export const API_VERSION_2024 = "2024-01-01";

/** An error answered in GoTrue's HTTPError shape. */
export class GoTrueError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    /** GoTrue's `error_code`; empty for errors GoTrue raises without one (hook errors). */
    readonly errorCode: string,
    message: string,
    readonly extra: { weakPasswordReasons?: string[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "GoTrueError";
  }
}

/** An error answered in GoTrue's OAuth shape (always 400). */
export class OAuthError extends Error {
  constructor(readonly error: string, readonly description: string) {
    super(`${error}: ${description}`);
    this.name = "OAuthError";
  }
}

/** Message GoTrue uses for every failed password sign-in. */
export const INVALID_LOGIN = "Invalid login credentials";

/** The errors raised in more than one place. */
export const gotrueErrors = {
  validation: (message: string) => new GoTrueError(400, "validation_failed", message),
  badJson: (detail: string) =>
    new GoTrueError(400, "bad_json", `Could not parse request body as JSON: ${detail}`),
  invalidCredentials: () => new GoTrueError(400, "invalid_credentials", INVALID_LOGIN),
  rateLimited: (retryAfterSeconds: number) =>
    new GoTrueError(429, "over_request_rate_limit", "Request rate limit reached", {
      retryAfterSeconds,
    }),
  weakPassword: (message: string, reasons: string[]) =>
    new GoTrueError(422, "weak_password", message, { weakPasswordReasons: reasons }),
};

/**
 * The API version a request asks for, as GoTrue's `DetermineClosestAPIVersion`: a
 * `YYYY-MM-DD` date on or after 2024-01-01 selects 2024-01-01; anything else (missing,
 * malformed, older) selects the initial version (undefined).
 */
export function requestedApiVersion(header: string | undefined | null): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(header ?? "");
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.getTime() >= Date.UTC(2024, 0, 1) ? API_VERSION_2024 : undefined;
}

/** Renders any error thrown by the auth app the way GoTrue would. */
export function gotrueErrorResponse(error: unknown, c: Context<AppEnv>): Response {
  if (error instanceof OAuthError) {
    return c.json({ error: error.error, error_description: error.description }, 400);
  }
  const version = requestedApiVersion(c.req.header(API_VERSION_HEADER));
  if (version) c.header(API_VERSION_HEADER, version);
  const known = error instanceof GoTrueError ? error : undefined;
  if (!known) {
    console.error(JSON.stringify({
      ts: new Date().toISOString(),
      level: "error",
      request_id: c.get("requestId"),
      path: c.req.path,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      stack: error instanceof Error ? error.stack : undefined,
    }));
  }
  const status = known?.status ?? 500;
  const message = known?.message ??
    "Unexpected failure, please check server logs for more information";
  const errorCode = !known
    ? "unexpected_failure"
    : known.errorCode || (status === 500 ? "unexpected_failure" : "unknown");
  const reasons = known?.extra.weakPasswordReasons;
  if (known?.extra.retryAfterSeconds) {
    c.header("Retry-After", String(known.extra.retryAfterSeconds));
  }
  if (reasons) {
    // GoTrue sets x-sb-error-code on weak-password errors of the initial version only.
    if (!version) c.header("x-sb-error-code", errorCode);
    return version
      ? c.json({ code: errorCode, message, weak_password: { reasons } }, status)
      : c.json(
        { code: status, error_code: errorCode, msg: message, weak_password: { reasons } },
        status,
      );
  }
  if (known) c.header("x-sb-error-code", errorCode);
  if (version) return c.json({ code: errorCode, message }, status);
  const errorId = known && status >= 500 ? { error_id: c.get("requestId") } : {};
  return c.json({ code: status, error_code: errorCode, msg: message, ...errorId }, status);
}
