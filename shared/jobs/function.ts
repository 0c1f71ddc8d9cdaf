/**
 * A scheduled job as an Edge Function (`alerts-evaluate`…): what pg_cron reaches over
 * pg_net on hosted Supabase (`app.invoke_function`). `POST /<job>` with a service-role
 * bearer token runs the job once through the runner and answers its `job_runs` row
 * (trigger `cron` or `manual` when the body says so — pg_net sends `{"trigger":"cron"}` —
 * else `http`).
 * No token or an invalid one → 401; a valid token of another role → 403; another method
 * → 405. Errors follow the API's contract (shared/http/errors.ts).
 *
 * The token is verified like any access token (`deps.verifyToken`); on hosted Supabase
 * the entrypoint also passes the project's service key (`SUPABASE_SERVICE_ROLE_KEY`, set
 * in every Edge Function's environment), accepted as is: Supabase's service keys
 * (`sb_secret_…`, or the legacy JWT without `sub` and audience) are not access tokens.
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv, Deps } from "../http/context.ts";
import { ApiError, errorBody, errors } from "../http/errors.ts";
import { installErrorHandlers, requestId, requestLog } from "../http/middleware.ts";
import { runNamedJob } from "./registry.ts";

/** Options of a job function. */
export type JobFunctionOptions = {
  /** The project's service key, accepted as a bearer token as it is. */
  serviceRoleKey?: string;
};

/** Builds the function app of job `job`; its base path is `/<job>`. */
export function createJobFunction(
  job: string,
  options: JobFunctionOptions = {},
): (deps: Deps) => Hono<AppEnv> {
  return (deps) => {
    const app = new Hono<AppEnv>().basePath(`/${job}`);
    app.use(
      "*",
      async (c, next) => {
        c.set("deps", deps);
        await next();
      },
      requestId,
      requestLog(deps.config),
    );
    installErrorHandlers(app);

    app.post("/", async (c) => {
      const match = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "");
      if (!match) throw errors.unauthenticated();
      const isServiceKey = options.serviceRoleKey
        ? await sameSecret(match[1], options.serviceRoleKey)
        : false;
      const role = isServiceKey ? "service_role" : (await deps.verifyToken(match[1])).role;
      if (role !== "service_role") {
        throw errors.forbidden(
          "Seule la clé service_role peut lancer une tâche planifiée.",
          "service_role_required",
        );
      }
      // app.invoke_function posts {"trigger":"cron"} when pg_cron calls over pg_net;
      // `deno task alerts:trigger` posts {"trigger":"manual"} to a running local server.
      const body = await c.req.json().catch(() => ({}));
      const named = body && typeof body === "object" ? body.trigger : undefined;
      const trigger = named === "cron" || named === "manual" ? named : "http";
      const run = await runNamedJob(deps, job, trigger);
      return c.json(run, 200);
    });
    app.all("/", (c) => {
      c.header("Allow", "POST");
      const body = errorBody(
        new ApiError(400, "method_not_allowed", `Méthode ${c.req.method} non autorisée : POST.`),
        c.get("requestId"),
      );
      return c.json(body, 405);
    });
    return app;
  };
}

/** Compares two secrets in constant time (over their SHA-256 digests). */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const digest = async (text: string) =>
    new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}
