/**
 * Registry of the Edge Functions: name → app builder. The local server mounts each at
 * `/functions/v1/<name>/…`; each `functions/<name>/index.ts` serves one of them.
 *
 * @module
 */
import type { Hono } from "hono";
import { createApiApp } from "./api.ts";
import type { AppEnv, Deps } from "./http/context.ts";
import { createJobFunction } from "./jobs/function.ts";
import { createTwilioWebhookApp } from "./notifications/webhook.ts";

/** Builds one function's app; its base path is `/<name>`. */
export type FunctionFactory = (deps: Deps) => Hono<AppEnv>;

/** Every function of the project. */
export const FUNCTIONS: Record<string, FunctionFactory> = {
  api: createApiApp,
  "alerts-evaluate": createJobFunction("alerts-evaluate"),
  maintenance: createJobFunction("maintenance"),
  "twilio-webhook": createTwilioWebhookApp,
};
