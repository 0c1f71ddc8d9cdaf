/**
 * Local GoTrue subset under /auth/v1 (work in progress).
 *
 * @module
 */
import { Hono } from "hono";
import type { AppEnv, Deps } from "../http/context.ts";

/** Builds the /auth/v1 app. */
export function createAuthApp(_deps: Deps): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
