import assert from "node:assert/strict";
import { RateLimiter } from "./rate_limit.ts";

Deno.test("RateLimiter.hit() allows `limit` hits per window, then says how long to wait", () => {
  const limiter = new RateLimiter(3, 60_000);
  const t0 = 1_000_000;
  assert.deepEqual([1, 2, 3].map((i) => limiter.hit("ip:a", t0 + i)), [0, 0, 0]);
  assert.equal(limiter.hit("ip:a", t0 + 10), 60);
  assert.equal(limiter.hit("ip:a", t0 + 30_000), 31);
  assert.equal(limiter.hit("ip:b", t0 + 30_000), 0, "keys are independent");
  assert.equal(limiter.hit("ip:a", t0 + 60_001), 0, "a new window starts afresh");
});

Deno.test("RateLimiter.reset() forgets a key", () => {
  const limiter = new RateLimiter(1, 60_000);
  limiter.hit("email:x", 0);
  assert.ok(limiter.hit("email:x", 1) > 0);
  limiter.reset("email:x");
  assert.equal(limiter.hit("email:x", 2), 0);
});
