import assert from "node:assert/strict";
import { DEFAULT_RETRY_POLICY, nextAttempt, nominalDelayMs, type RetryPolicy } from "./retry.ts";
import { seededRandom } from "../../random.ts";

const now = new Date("2026-11-25T10:00:00Z");
const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, factor: 2, maxDelayMs: 5000 };

Deno.test("nominalDelayMs() doubles from the base delay up to the cap", () => {
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => nominalDelayMs(policy, n)), [
    1000,
    2000,
    4000,
    5000,
    5000,
  ]);
});

Deno.test("nextAttempt() waits between half and all of the nominal delay", () => {
  const low = nextAttempt({ attempts: 3, now, retryable: true, policy, random: () => 0 });
  const high = nextAttempt({ attempts: 3, now, retryable: true, policy, random: () => 0.999999 });
  assert.deepEqual(low, { retry: true, delayMs: 2000, at: new Date(now.getTime() + 2000) });
  assert.ok(high.retry && high.delayMs === 4000);
});

Deno.test("nextAttempt() is deterministic with a seeded random source", () => {
  const schedule = (seed: number) => {
    const random = seededRandom(seed);
    return [1, 2, 3, 4].map((attempts) =>
      nextAttempt({ attempts, now, retryable: true, policy, random })
    );
  };
  assert.deepEqual(schedule(42), schedule(42));
  assert.notDeepEqual(schedule(42), schedule(43));
});

Deno.test("nextAttempt() stops after a permanent failure or the last attempt", () => {
  assert.deepEqual(nextAttempt({ attempts: 1, now, retryable: false, policy }), {
    retry: false,
    reason: "permanent",
  });
  assert.deepEqual(nextAttempt({ attempts: 5, now, retryable: true, policy }), {
    retry: false,
    reason: "max_attempts",
  });
  assert.equal(nextAttempt({ attempts: 4, now, retryable: true, policy }).retry, true);
});

Deno.test("nextAttempt() never comes back before Twilio's Retry-After", () => {
  const decision = nextAttempt({
    attempts: 1,
    now,
    retryable: true,
    policy,
    random: () => 0,
    retryAfterMs: 30_000,
  });
  assert.ok(decision.retry && decision.delayMs === 30_000);
});

Deno.test("the default policy outlives a one-hour Twilio outage even with the shortest draws", () => {
  let waited = 0;
  for (let attempts = 1; attempts < DEFAULT_RETRY_POLICY.maxAttempts; attempts++) {
    const decision = nextAttempt({ attempts, now, retryable: true, random: () => 0 });
    assert.ok(decision.retry);
    waited += decision.delayMs;
  }
  assert.ok(waited > 90 * 60_000, `attempts span only ${waited / 60_000} min`);
});

Deno.test("seededRandom() yields numbers in [0, 1)", () => {
  const random = seededRandom(7);
  for (let i = 0; i < 10_000; i++) {
    const x = random();
    assert.ok(x >= 0 && x < 1);
  }
});
