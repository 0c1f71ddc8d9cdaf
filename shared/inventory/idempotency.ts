/**
 * `Idempotency-Key` for the write routes. The key is claimed first thing in the
 * request's transaction (`insert … on conflict do nothing`): a concurrent request with
 * the same key waits there until the first one commits or rolls back. The work runs in
 * a savepoint and its outcome is stored in the same transaction — the response, or the
 * refusal of a business rule (404, 409, 422: the work is rolled back, the refusal kept):
 *
 * - same key, same route and body → the stored status and body, nothing run again;
 * - same key, another route or body → 409 `idempotency_conflict`;
 * - invalid input (400) never reaches the key; a transient failure (deadlock, server
 *   error) rolls everything back, key included, so the request can simply be retried.
 *
 * @module
 */
import type { Tx } from "../db/client.ts";
import { ApiError, errors, type ErrorStatus, toApiError } from "../http/errors.ts";

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`)}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** SHA-256 (hex) of the route and the canonical body. */
export async function requestHash(route: string, body: unknown): Promise<string> {
  const text = `${route}\n${canonicalJson(body)}`;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** An outcome to send: a status with its JSON body, and whether it is a replay. */
export type Stored<T> = { status: number; body: T; replayed: boolean };

/** A stored refusal: the error contract without a request id. */
type StoredError = { error: { code: string; message: string; details?: unknown } };

/** Refusals that the same request would meet again, so they are stored with the key. */
function storable(error: ApiError): boolean {
  return [404, 409, 422].includes(error.status) && error.code !== "concurrent_update";
}

/**
 * Runs `run` once per (tenant, key), in a savepoint whose handle it receives, and
 * stores its outcome (`successStatus` when it succeeds); afterwards returns the
 * stored outcome if `route` and `hash` match, else 409. A stored refusal is thrown again
 * as an {@link ApiError} (marked `Idempotent-Replayed` on a replay) by {@link sendable}.
 */
export async function once<T>(
  tx: Tx,
  tenantId: string,
  request: { key: string; route: string; hash: string },
  run: (tx: Tx) => Promise<T>,
  successStatus = 201,
): Promise<Stored<T | StoredError>> {
  const claimed = await tx`
    insert into public.idempotency_keys (tenant_id, key, request_path, request_hash)
    values (${tenantId}, ${request.key}, ${request.route}, ${request.hash})
    on conflict (tenant_id, key) do nothing
    returning 1`;
  if (claimed.length === 0) {
    const [stored] = await tx<
      { request_path: string; request_hash: string; response_status: number; response_body: T }[]
    >`
      select request_path, request_hash, response_status, response_body
      from public.idempotency_keys where tenant_id = ${tenantId} and key = ${request.key}`;
    if (stored.request_hash !== request.hash) {
      throw errors.conflict(
        "idempotency_conflict",
        "Cette clé d'idempotence a déjà servi pour une autre requête : utilisez une nouvelle clé.",
        { first_request: stored.request_path },
      );
    }
    return { status: stored.response_status, body: stored.response_body, replayed: true };
  }
  let outcome: { status: number; body: T | StoredError };
  try {
    // Through the savepoint's own handle: a failed query in it must not fail `tx`.
    outcome = {
      status: successStatus,
      body: await tx.savepoint((savepoint) => run(savepoint)) as T,
    };
  } catch (error) {
    const refusal = toApiError(error);
    if (!storable(refusal)) throw error;
    const { code, message, details } = refusal;
    outcome = {
      status: refusal.status,
      body: { error: { code, message, ...(details === undefined ? {} : { details }) } },
    };
  }
  await tx`
    update public.idempotency_keys
    set response_status = ${outcome.status},
      response_body = ${JSON.stringify(outcome.body)}::text::json
    where tenant_id = ${tenantId} and key = ${request.key}`;
  return { ...outcome, replayed: false };
}

/** The outcome as a success to send, or its stored refusal thrown as the error it was. */
export function sendable<T>(outcome: Stored<T | StoredError>): Stored<T> {
  if (outcome.status < 400) return outcome as Stored<T>;
  const { error } = outcome.body as StoredError;
  throw new ApiError(
    outcome.status as ErrorStatus,
    error.code,
    error.message,
    error.details,
    outcome.replayed ? { "Idempotent-Replayed": "true" } : undefined,
  );
}
