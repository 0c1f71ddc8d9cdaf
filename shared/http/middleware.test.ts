import assert from "node:assert/strict";
import { Hono } from "hono";
import type { AppEnv } from "./context.ts";
import { errors } from "./errors.ts";
import { installErrorHandlers, requestId, requestLog } from "./middleware.ts";

function app() {
  const hono = new Hono<AppEnv>();
  hono.use("*", requestId, requestLog({ logRequests: true }));
  installErrorHandlers(hono);
  hono.get("/shops/:id", (c) => c.json({ id: c.req.param("id") }));
  hono.get("/conflict", () => {
    throw errors.conflict("last_owner", "Impossible.", { tenant: "t" });
  });
  hono.get("/boom", () => {
    throw new Error("secret internals: password=hunter2");
  });
  return hono;
}

async function capture(fn: () => Promise<void>): Promise<{ log: string[]; error: string[] }> {
  const log: string[] = [];
  const error: string[] = [];
  const [originalLog, originalError] = [console.log, console.error];
  console.log = (line: string) => log.push(line);
  console.error = (line: string) => error.push(line);
  try {
    await fn();
  } finally {
    console.log = originalLog;
    console.error = originalError;
  }
  return { log, error };
}

Deno.test("requestLog() writes one JSON line per request with id, route, status and duration", async () => {
  const { log } = await capture(async () => {
    const response = await app().request("/shops/42", { headers: { "x-request-id": "req-1" } });
    assert.equal(response.status, 200);
  });
  assert.equal(log.length, 1);
  const line = JSON.parse(log[0]);
  assert.equal(line.request_id, "req-1");
  assert.equal(line.route, "/shops/:id");
  assert.equal(line.path, "/shops/42");
  assert.equal(line.status, 200);
  assert.equal(typeof line.ms, "number");
});

Deno.test("installErrorHandlers() answers with the error contract, hiding internals on 500", async () => {
  const { error } = await capture(async () => {
    const conflict = await app().request("/conflict");
    assert.equal(conflict.status, 409);
    const body = await conflict.json();
    assert.deepEqual(body.error.details, { tenant: "t" });
    assert.equal(body.error.code, "last_owner");
    assert.equal(body.error.request_id, conflict.headers.get("x-request-id"));

    const boom = await app().request("/boom");
    assert.equal(boom.status, 500);
    const text = await boom.text();
    assert.doesNotMatch(text, /hunter2|secret internals/);
    assert.equal(JSON.parse(text).error.code, "internal_error");
  });
  assert.equal(error.length, 1, "the 500 is logged with its request id");
  assert.match(error[0], /hunter2/);
});
