/**
 * OpenAPI plumbing: routers whose zod schemas validate input and document the API,
 * one validation-error shape (400 with field paths), and the shared error schemas.
 *
 * @module
 */
import { createRoute, OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import { requireUser } from "../auth/middleware.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";

/** The error contract as a schema, for the docs. */
export const ErrorSchema = z.object({
  error: z.object({
    code: z.string().openapi({ example: "validation_failed" }),
    message: z.string().openapi({ example: "Certains champs sont invalides." }),
    details: z.unknown().optional(),
    request_id: z.string().openapi({ example: "3f1c2a9e-0b7d-4d8e-9a51-0c2f7e1b6d44" }),
  }),
}).openapi("Error");

const DESCRIPTIONS: Record<number, string> = {
  400: "Entrée invalide (details liste les champs en cause).",
  401: "Jeton absent, invalide ou expiré.",
  403: "Rôle insuffisant ou boutique dont vous n'êtes pas membre.",
  404: "Introuvable (y compris les objets d'une autre boutique).",
  409: "Conflit avec l'état actuel.",
  413: "Corps de requête trop volumineux.",
  415: "Corps qui n'est pas du JSON.",
  422: "Valeur refusée par une règle métier.",
  429: "Trop de requêtes.",
};

/** Documented error responses for the given statuses. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, {
      description: DESCRIPTIONS[status] ?? "Erreur.",
      content: { "application/json": { schema: ErrorSchema } },
    }]),
  );
}

/** A documented JSON response. */
export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

/** Standard errors of an authenticated route. */
export const AUTHED_ERRORS = [400, 401, 403, 413] as const;

/** Security requirement of user routes. */
export const bearer = [{ bearerAuth: [] }];

/** A route for signed-in users: `createRoute` with the bearer security and `requireUser`. */
export function userRoute<const R extends Omit<RouteConfig, "security" | "middleware">>(
  config: R,
) {
  return createRoute({ ...config, security: bearer, middleware: [requireUser] as const });
}

/** A router whose validation failures answer 400 with the field paths. */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ApiError(
          400,
          "validation_failed",
          "Certains champs sont invalides.",
          result.error.issues.map((issue) => ({
            path: [result.target, ...issue.path.map(String)].join("."),
            message: issue.message,
            code: issue.code,
          })),
        );
      }
    },
  });
}
