/**
 * A scheduled job as an Edge Function (`alerts-evaluate`…): what pg_cron reaches over
 * pg_net on hosted Supabase (`app.invoke_function`). `POST /<job>` with a service-role
 * bearer token runs the job once through the runner and answers its `job_runs` row
 * (trigger `cron` or `manual` when the body says so — pg_net sends `{"trigger":"cron"}` —
 * else `http`).
 * No token or an invalid one → 401; a valid token of another role → 403; another method
 * → 405. Errors follow the API's contract (shared/http/errors.ts).
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv, Deps } from "../http/context.ts";
import { ApiError, errorBody, errors } from "../http/errors.ts";
import { installErrorHandlers, requestId, requestLog } from "../http/middleware.ts";
import { runNamedJob } from "./registry.ts";

/** Builds the function app of job `job`; its base path is `/<job>`. */
export function createJobFunction(job: string): (deps: Deps) => Hono<AppEnv> {
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
      const claims = await deps.verifyToken(match[1]);
      if (claims.role !== "service_role") {
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
