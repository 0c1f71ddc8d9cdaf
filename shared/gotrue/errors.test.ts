import assert from "node:assert/strict";
import { Hono } from "hono";
import type { AppEnv } from "../http/context.ts";
import { GoTrueError, gotrueErrorResponse, gotrueErrors, requestedApiVersion } from "./errors.ts";

Deno.test("requestedApiVersion() picks 2024-01-01 for valid dates from then on, else the initial version", () => {
  assert.equal(requestedApiVersion("2024-01-01"), "2024-01-01");
  assert.equal(requestedApiVersion("2026-11-25"), "2024-01-01");
  for (const header of [undefined, null, "", "2023-12-31", "2024-1-01", "2024-02-30", "latest"]) {
    assert.equal(requestedApiVersion(header), undefined, String(header));
  }
});

Deno.test("gotrueErrorResponse() answers the legacy shape, the 2024 shape, and hides unknown errors", async () => {
  const app = new Hono<AppEnv>();
  app.onError((error, c) => gotrueErrorResponse(error, c));
  app.get("/weak", () => {
    throw gotrueErrors.weakPassword("Password should be at least 6 characters.", ["length"]);
  });
  app.get("/limited", () => {
    throw gotrueErrors.rateLimited(42);
  });
  app.get("/hook", () => {
    throw new GoTrueError(403, "", "Compte suspendu");
  });
  app.get("/boom", () => {
    throw new Error("secret internals");
  });
  const get = async (path: string, version?: string) => {
    const res = await app.request(path, {
      headers: version ? { "X-Supabase-Api-Version": version } : {},
    });
    return { status: res.status, headers: res.headers, body: await res.json() };
  };

  const weak = await get("/weak", "2024-01-01");
  assert.deepEqual(weak.body, {
    code: "weak_password",
    message: "Password should be at least 6 characters.",
    weak_password: { reasons: ["length"] },
  });
  assert.equal(weak.headers.get("x-supabase-api-version"), "2024-01-01");

  const limited = await get("/limited");
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get("retry-after"), "42");
  assert.equal(limited.headers.get("x-sb-error-code"), "over_request_rate_limit");
  assert.equal(limited.headers.get("x-supabase-api-version"), null);

  assert.deepEqual((await get("/hook")).body, {
    code: 403,
    error_code: "unknown",
    msg: "Compte suspendu",
  });
  assert.deepEqual((await get("/hook", "2024-06-01")).body, {
    code: "unknown",
    message: "Compte suspendu",
  });

  const originalError = console.error;
  console.error = () => {};
  try {
    const boom = await get("/boom");
    assert.equal(boom.status, 500);
    assert.deepEqual(boom.body, {
      code: 500,
      error_code: "unexpected_failure",
      msg: "Unexpected failure, please check server logs for more information",
    });
  } finally {
    console.error = originalError;
  }
});
