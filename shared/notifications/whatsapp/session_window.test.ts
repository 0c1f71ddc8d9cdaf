import assert from "node:assert/strict";
import { messageKindFor } from "./session_window.ts";

const now = new Date("2026-11-25T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

Deno.test("messageKindFor() allows freeform within 24 hours of the last inbound message", () => {
  assert.equal(messageKindFor(hoursAgo(0), now), "freeform");
  assert.equal(messageKindFor(hoursAgo(23.5), now), "freeform");
});

Deno.test("messageKindFor() requires a template after 24 hours, near the edge, or never", () => {
  assert.equal(messageKindFor(hoursAgo(24), now), "template");
  assert.equal(messageKindFor(hoursAgo(23.999), now), "template", "within the safety margin");
  assert.equal(messageKindFor(hoursAgo(72), now), "template");
  assert.equal(messageKindFor(undefined, now), "template");
  assert.equal(messageKindFor(null, now), "template");
  assert.equal(
    messageKindFor(hoursAgo(-1), now),
    "template",
    "a clock in the future is not trusted",
  );
});
