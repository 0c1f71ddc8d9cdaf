/**
 * The daily `maintenance` job: expired idempotency keys and old finished job runs are
 * deleted; recent ones, and runs still running, stay.
 */
import assert from "node:assert/strict";
import { runNamedJob } from "../shared/jobs/registry.ts";
import { createTenantWithRoles } from "./helpers/fixtures.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql } = stack;

Deno.test("maintenance purges keys older than 7 days and finished runs older than 90", async () => {
  const t = await createTenantWithRoles(sql);
  const hash = "0".repeat(64);
  await sql`insert into public.idempotency_keys (tenant_id, key, request_path, request_hash,
      created_at)
    values (${t.id}, 'old', 'POST /movements', ${hash}, now() - interval '8 days'),
      (${t.id}, 'recent', 'POST /movements', ${hash}, now() - interval '6 days')`;
  await sql`insert into public.job_runs (job, trigger, status, started_at, finished_at)
    values ('alerts-evaluate', 'cron', 'succeeded', now() - interval '91 days',
        now() - interval '91 days'),
      ('alerts-evaluate', 'cron', 'running', now() - interval '91 days', null),
      ('alerts-evaluate', 'cron', 'failed', now() - interval '89 days', now() - interval '89 days')`;

  const run = await runNamedJob(stack.deps, "maintenance", "manual");
  assert.equal(run.status, "succeeded", run.error ?? "");
  assert.deepEqual(run.details, { purged: { idempotency_keys: 1, job_runs: 1 } });
  const keys = await sql`select key from public.idempotency_keys where tenant_id = ${t.id}`;
  assert.deepEqual(keys.map((k) => k.key), ["recent"]);
  const old = await sql`select status from public.job_runs
    where started_at < now() - interval '80 days' order by status`;
  assert.deepEqual(old.map((r) => r.status), ["failed", "running"]);
});

Deno.test("a retention under one day is refused", async () => {
  await assert.rejects(sql`select * from app.purge_expired(now(), 0, 90)`, /invalid_retention/);
});

Deno.test("close the stack", () => stack.close());
