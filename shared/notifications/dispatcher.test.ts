import assert from "node:assert/strict";
import { decideFailure, decideSchedule, type ScheduleFacts } from "./dispatcher.ts";
import type { SendFailure } from "./whatsapp/errors.ts";
import { DEFAULT_RETRY_POLICY } from "./whatsapp/retry.ts";

const facts = (values: Partial<ScheduleFacts> = {}): ScheduleFacts => ({
  kind: "alerts",
  urgent: false,
  overrides_quiet_hours: true,
  quiet_now: false,
  quiet_end_now: "2026-11-26T07:00:00.000Z",
  quiet_at_midnight: true,
  quiet_end_after_midnight: "2026-11-26T07:00:00.000Z",
  next_midnight: "2026-11-26T00:00:00.000Z",
  sent_today: 0,
  daily_budget: 50,
  ...values,
});

Deno.test("decideSchedule() sends alerts outside quiet hours and under budget", () => {
  assert.equal(decideSchedule(facts()), null);
});

Deno.test("decideSchedule() holds alerts until the end of the quiet hours", () => {
  assert.deepEqual(decideSchedule(facts({ quiet_now: true })), {
    reason: "quiet_hours",
    at: "2026-11-26T07:00:00.000Z",
  });
});

Deno.test("decideSchedule() lets an urgent message through quiet hours only if the tenant allows it", () => {
  assert.equal(decideSchedule(facts({ quiet_now: true, urgent: true })), null);
  assert.equal(
    decideSchedule(facts({ quiet_now: true, urgent: true, overrides_quiet_hours: false }))?.reason,
    "quiet_hours",
  );
});

Deno.test("decideSchedule() defers past the budget to midnight, or to the end of the quiet hours then", () => {
  assert.deepEqual(decideSchedule(facts({ sent_today: 50 })), {
    reason: "budget",
    at: "2026-11-26T07:00:00.000Z",
  });
  assert.deepEqual(decideSchedule(facts({ sent_today: 50, quiet_at_midnight: false })), {
    reason: "budget",
    at: "2026-11-26T00:00:00.000Z",
  });
  assert.deepEqual(decideSchedule(facts({ sent_today: 3, daily_budget: 3, urgent: true })), {
    reason: "budget",
    at: "2026-11-26T00:00:00.000Z",
  });
});

Deno.test("decideSchedule() never holds tests and replies", () => {
  for (const kind of ["test", "reply"] as const) {
    assert.equal(decideSchedule(facts({ kind, quiet_now: true, sent_today: 99 })), null);
  }
});

const unavailable: SendFailure = {
  retryable: true,
  reason: "twilio_unavailable",
  httpStatus: 500,
  message: "x",
};
const now = new Date("2026-11-25T10:00:00Z");

Deno.test("decideFailure() retries a retryable failure after the backoff delay", () => {
  const decision = decideFailure(unavailable, 1, now);
  assert.ok(decision.retry);
  const delay = new Date(decision.at).getTime() - now.getTime();
  assert.ok(delay >= 7_500 && delay <= 15_000, `expected 7.5–15 s, got ${delay} ms`);
});

Deno.test("decideFailure() stops on a permanent failure and after the last attempt", () => {
  assert.deepEqual(
    decideFailure(
      { retryable: false, reason: "invalid_number", code: 21211, message: "x" },
      1,
      now,
    ),
    { retry: false, why: "permanent" },
  );
  assert.deepEqual(decideFailure(unavailable, DEFAULT_RETRY_POLICY.maxAttempts, now), {
    retry: false,
    why: "max_attempts",
  });
});
