import assert from "node:assert/strict";
import { nextRun } from "./scheduler.ts";

const at = (iso: string) => new Date(iso);

Deno.test("nextRun() of */5 * * * * is the next multiple of 5 minutes, strictly after", () => {
  assert.equal(
    nextRun("*/5 * * * *", at("2026-01-01T00:03:10Z")).toISOString(),
    "2026-01-01T00:05:00.000Z",
  );
  assert.equal(
    nextRun("*/5 * * * *", at("2026-01-01T00:05:00Z")).toISOString(),
    "2026-01-01T00:10:00.000Z",
  );
  assert.equal(
    nextRun("*/5 * * * *", at("2026-01-01T23:58:00Z")).toISOString(),
    "2026-01-02T00:00:00.000Z",
  );
});

Deno.test("nextRun() reads expressions in UTC, as pg_cron does", () => {
  assert.equal(
    nextRun("30 6 * * 1", at("2026-11-25T12:00:00Z")).toISOString(),
    "2026-11-30T06:30:00.000Z",
  );
});

Deno.test("nextRun() rejects a malformed expression", () => {
  assert.throws(() => nextRun("*/5 * *", new Date()));
  assert.throws(() => nextRun("61 * * * *", new Date()));
});
