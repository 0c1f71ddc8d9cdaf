/**
 * What the write routes share: their OpenAPI route (a POST for signed-in users with an
 * optional `Idempotency-Key`, answering 201), the manager role, the key's replay, and
 * validation errors that name the line of a list (`details[].line`, 1 = the first
 * element) besides the field path.
 *
 * @module
 */
import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Tx } from "../db/client.ts";
import { type TenantContext, withTenantTx } from "../db/tx.ts";
import type { AppEnv } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import {
  AUTHED_ERRORS,
  errorResponses,
  jsonBody,
  jsonResponse,
  userRoute,
} from "../http/openapi.ts";
import { once, requestHash, sendable, type Stored } from "./idempotency.ts";
import { IdempotencyHeaders } from "./schemas.ts";

/**
 * The OpenAPI route of a stock write: `POST path` for signed-in users with an optional
 * `Idempotency-Key`, a JSON `input`, and `result` answered with 201.
 */
export function writeRoute<P extends string, I extends z.ZodType, R extends z.ZodType>(
  spec: {
    path: P;
    summary: string;
    description: string;
    input: I;
    result: R;
    resultDescription: string;
  },
) {
  return userRoute({
    method: "post",
    path: spec.path,
    tags: ["Stock"],
    summary: spec.summary,
    description: spec.description,
    request: { headers: IdempotencyHeaders, body: jsonBody(spec.input) },
    responses: {
      201: jsonResponse(spec.result, spec.resultDescription),
      ...errorResponses(...AUTHED_ERRORS, 404, 409, 415, 422),
    },
  });
}

/**
 * Runs `run` as a manager of the caller's tenant, once per `Idempotency-Key` when the
 * request has one (`route` names the route in the stored request hash). A refusal
 * stored with the key is thrown again, after the transaction that stored it commits.
 * Answers `successStatus` (201 unless given).
 */
export async function managerWrite<T>(
  c: Context<AppEnv>,
  route: string,
  key: string | undefined,
  run: (tx: Tx, tenant: TenantContext) => Promise<T>,
  successStatus = 201,
): Promise<Stored<T>> {
  const { sql } = c.var.deps.db;
  if (key === undefined) {
    const body = await withTenantTx(sql, c.var.claims, c.var.tenantId, run, "manager");
    return { status: successStatus, body, replayed: false };
  }
  // The body as sent (already validated); none, for a transition without input.
  const body = await c.req.json().catch(() => null);
  const hash = await requestHash(route, body);
  const outcome = await withTenantTx(
    sql,
    c.var.claims,
    c.var.tenantId,
    (tx, tenant) =>
      once(
        tx,
        tenant.id,
        { key, route, hash },
        (savepoint) => run(savepoint, tenant),
        successStatus,
      ),
    "manager",
  );
  return sendable(outcome);
}

/** Marks a replayed response (header `Idempotent-Replayed: true`); returns its body. */
export function replayed<T>(c: Context<AppEnv>, result: Stored<T>): T {
  if (result.replayed) c.header("Idempotent-Replayed", "true");
  return result.body;
}

type ValidationResult = {
  success: boolean;
  target: string;
  error?: { issues: { path: PropertyKey[]; message: string; code: string }[] };
};

/**
 * A validation hook for a body holding a list in `field`: like the default one (400
 * with the field paths) plus `line` on the issues inside the list.
 */
export function linesHook(field: string) {
  return (result: ValidationResult): undefined => {
    if (result.success) return undefined;
    throw new ApiError(
      400,
      "validation_failed",
      "Certains champs sont invalides.",
      result.error!.issues.map((issue) => {
        const [name, index] = issue.path;
        return {
          ...(name === field && typeof index === "number" ? { line: index + 1 } : {}),
          path: [result.target, ...issue.path.map(String)].join("."),
          message: issue.message,
          code: issue.code,
        };
      }),
    );
  };
}
