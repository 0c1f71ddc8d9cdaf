/**
 * The one error contract of the API:
 * `{"error":{"code":"…","message":"…","details":…,"request_id":"…"}}`.
 * `code` is stable English for programs, `message` French for people.
 *
 * Handlers throw {@link ApiError}; database errors are translated by
 * {@link fromDatabaseError}; anything else becomes a 500 without internals.
 *
 * @module
 */
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Statuses the API answers with on purpose. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** An error with its HTTP status, stable code, French message and optional details. */
export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Shorthands for the common cases. */
export const errors = {
  badRequest: (message: string, details?: unknown) =>
    new ApiError(400, "bad_request", message, details),
  unauthenticated: (message = "Authentification requise.", code = "unauthenticated") =>
    new ApiError(401, code, message, undefined, { "WWW-Authenticate": "Bearer" }),
  forbidden: (message = "Vous n'avez pas les droits nécessaires.", code = "forbidden") =>
    new ApiError(403, code, message),
  notFound: (message = "Ressource introuvable.", code = "not_found") =>
    new ApiError(404, code, message),
  conflict: (code: string, message: string, details?: unknown) =>
    new ApiError(409, code, message, details),
  tooManyRequests: (retryAfterSeconds: number) =>
    new ApiError(429, "rate_limited", "Trop de tentatives. Réessayez plus tard.", {
      retry_after_seconds: retryAfterSeconds,
    }, { "Retry-After": String(retryAfterSeconds) }),
};

/** The JSON body of an error response. */
export type ErrorBody = {
  error: { code: string; message: string; details?: unknown; request_id: string };
};

/** Builds the error body. */
export function errorBody(error: ApiError, requestId: string): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
      request_id: requestId,
    },
  };
}

type PgError = {
  code?: string;
  message?: string;
  hint?: string;
  detail?: string;
  constraint_name?: string;
  column_name?: string;
};

function isPgError(error: unknown): error is PgError {
  return typeof error === "object" && error !== null && "code" in error &&
    typeof (error as PgError).code === "string" && (error as PgError).code!.length === 5 &&
    (error.constructor?.name === "PostgresError" || "severity" in error);
}

/** The JSON details `app.raise_error(status, code, message, details)` puts in DETAIL. */
function jsonDetail(detail: string | undefined): unknown {
  if (!detail || !/^[[{]/.test(detail)) return undefined;
  try {
    return JSON.parse(detail);
  } catch {
    return undefined;
  }
}

/**
 * Translates a Postgres error into an {@link ApiError}, or returns undefined when it is
 * not one the API should expose (then it is a 500).
 *
 * `app.raise_error` raises SQLSTATE `DG<status>` with the code as message, the French
 * text as hint and, optionally, JSON details as detail (returned as `details`);
 * constraint and privilege errors map to 409/422/403.
 */
export function fromDatabaseError(error: unknown): ApiError | undefined {
  if (!isPgError(error)) return undefined;
  const code = error.code!;
  if (code.startsWith("DG")) {
    const status = Number(code.slice(2)) as ErrorStatus;
    return new ApiError(
      status,
      error.message ?? "error",
      error.hint ?? error.message ?? "",
      jsonDetail(error.detail),
    );
  }
  switch (code) {
    case "23505":
      return new ApiError(409, "conflict", "Cet élément existe déjà.", {
        constraint: error.constraint_name,
      });
    case "23503":
      return new ApiError(404, "reference_not_found", "Un élément référencé est introuvable.", {
        constraint: error.constraint_name,
      });
    case "23514":
    case "23502":
    case "22001":
    case "22003":
    case "22007":
    case "22008":
    case "22P02":
    case "22023":
      return new ApiError(422, "invalid_value", "Une valeur est invalide.", {
        constraint: error.constraint_name,
        column: error.column_name,
      });
    case "42501":
      return new ApiError(403, "forbidden", "Vous n'avez pas les droits nécessaires.");
    case "40001":
    case "40P01":
      return new ApiError(
        409,
        "concurrent_update",
        "Conflit avec une autre modification. Réessayez.",
      );
    default:
      return undefined;
  }
}

/** Normalises anything thrown into an {@link ApiError} (500 for the unknown). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    if (status === 413) {
      return new ApiError(413, "payload_too_large", "La requête est trop volumineuse.");
    }
    if (status === 415) {
      return new ApiError(
        415,
        "unsupported_media_type",
        "Le corps doit être envoyé en JSON (Content-Type: application/json).",
      );
    }
    return new ApiError(
      (status >= 500 ? 500 : status) as ErrorStatus,
      status === 401 ? "unauthenticated" : "http_error",
      error.message || "Requête refusée.",
    );
  }
  return fromDatabaseError(error) ??
    new ApiError(500, "internal_error", "Erreur interne. Réessayez plus tard.");
}
