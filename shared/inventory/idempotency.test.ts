import assert from "node:assert/strict";
import { canonicalJson, requestHash } from "./idempotency.ts";

Deno.test("canonicalJson() sorts object keys at every level and keeps array order", () => {
  assert.equal(
    canonicalJson({ b: 1, a: [{ d: null, c: "é" }, 2], e: undefined }),
    '{"a":[{"c":"é","d":null},2],"b":1}',
  );
  assert.equal(canonicalJson([3, 1]), "[3,1]");
});

Deno.test("requestHash() is the same for the same route and body in any key order, else different", async () => {
  const a = await requestHash("POST /movements", { kind: "sale", quantity: 2 });
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.equal(a, await requestHash("POST /movements", { quantity: 2, kind: "sale" }));
  assert.notEqual(a, await requestHash("POST /movements", { kind: "sale", quantity: 3 }));
  assert.notEqual(a, await requestHash("POST /movements/batch", { kind: "sale", quantity: 2 }));
});
