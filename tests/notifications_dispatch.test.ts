/**
 * The outbox dispatcher against the local fake Twilio: freeform inside the 24-hour window
 * and the approved template outside it, no credentials, quiet hours and their stock-out
 * override, the daily budget, a Twilio outage with recovery (each message delivered
 * once), permanent errors, opted-out recipients, crashed dispatchers and two dispatchers
 * at once.
 *
 * Each test makes its own tenant, recipients (each with its own number) and outbox rows,
 * passes their ids to `dispatchOutbox` and a clock of its own, and counts the fake's
 * requests by recipient number — so the tests never see each other's messages.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../shared/config.ts";
import type { Deps } from "../shared/http/context.ts";
import { dispatchOutbox, type DispatchSummary } from "../shared/notifications/dispatcher.ts";
import {
  type OutboundMessage,
  type SendResult,
  WhatsAppClient,
} from "../shared/notifications/whatsapp/client.ts";
import { DEFAULT_RETRY_POLICY } from "../shared/notifications/whatsapp/retry.ts";
import { twilioSettings } from "../shared/notifications/whatsapp/settings.ts";
import { createMovement, createProduct, createTenant, createUser } from "./helpers/fixtures.ts";
import { startFakeTwilio } from "./helpers/fake_twilio.ts";
import { startStack, testConfig } from "./helpers/stack.ts";

const ACCOUNT_SID = "AC" + "5ef8732a3c49700934481addd5ce1659";
const AUTH_TOKEN = "fake-auth-token-0123456789abcdef";
const FROM = "+14155238886";
const TEMPLATE_SID = "HX" + "b5b62e7f5e1c2d3a4b5c6d7e8f901234";

const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
const twilioEnv = {
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_WHATSAPP_FROM: FROM,
  TWILIO_API_BASE_URL: fake.url,
  TWILIO_CONTENT_SID_ALERTS: TEMPLATE_SID,
};
const stack = await startStack(twilioEnv);
const { sql } = stack;
const deps: Deps = stack.deps;
/** The same stack seen by a process without a template SID. */
const withoutTemplate: Deps = {
  ...deps,
  config: testConfig({ ...twilioEnv, TWILIO_CONTENT_SID_ALERTS: "" }),
};

type OutboxRow = {
  id: string;
  status: string;
  message_kind: string | null;
  body: string | null;
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  deferred_reason: string | null;
  provider_sid: string | null;
  error_code: number | null;
  last_error: string | null;
  sent_at: string | null;
  failed_at: string | null;
};

/** Wednesday 25 November 2026, 10:00 in Dakar (UTC+0): outside the default quiet hours. */
const MORNING = new Date("2026-11-25T10:00:00Z");
const hours = (n: number) => n * 3_600_000;
const at = (base: Date, ms: number) => new Date(base.getTime() + ms);

async function tenant(values: { timezone?: string } = {}): Promise<string> {
  const owner = await createUser(sql);
  const id = await createTenant(sql, owner);
  if (values.timezone) {
    await sql`update public.tenants set timezone = ${values.timezone} where id = ${id}`;
  }
  return id;
}

let phoneCounter = 0;
/** A Senegalese mobile number no other test uses. */
function uniquePhone(): string {
  phoneCounter++;
  const digits = String((Date.now() * 7 + phoneCounter * 7919) % 10_000_000).padStart(7, "0");
  return `+22177${digits}`;
}

type RecipientValues = {
  opted_in?: boolean;
  opted_out_at?: Date | null;
  active?: boolean;
  last_inbound_at?: Date | null;
  quiet_hours_start?: string | null;
  quiet_hours_end?: string | null;
};

async function recipient(
  tenantId: string,
  values: RecipientValues = {},
): Promise<{ id: string; phone: string }> {
  const phone = uniquePhone();
  const [row] = await sql<{ id: string }[]>`
    insert into public.notification_recipients (tenant_id, display_name, phone_e164, opted_in,
      opted_out_at, active, last_inbound_at, quiet_hours_start, quiet_hours_end)
    values (${tenantId}, 'Awa Diop', ${phone}, ${values.opted_in ?? true},
      ${values.opted_out_at ?? null}, ${values.active ?? true},
      ${values.last_inbound_at === undefined ? at(MORNING, -hours(1)) : values.last_inbound_at},
      ${values.quiet_hours_start ?? null}, ${values.quiet_hours_end ?? null})
    returning id`;
  return { id: row.id, phone };
}

const stockOutAlert = (id: number) => ({
  alert_id: id,
  type: "stock_out",
  event: "opened",
  product_name: "Riz parfumé 25 kg",
  sku: "RIZ-25",
  stock: 0,
  reorder_point: 10,
  days_of_cover: 0,
});
const lowStockAlert = (id: number) => ({
  alert_id: id,
  type: "low_stock",
  event: "opened",
  product_name: "Huile 1L",
  stock: 4,
  reorder_point: 15,
  days_of_cover: 2.5,
});

type OutboxValues = {
  kind?: "alerts" | "test" | "reply";
  payload?: Record<string, unknown>;
  urgent?: boolean;
  next_attempt_at?: Date;
  status?: string;
  attempts?: number;
  locked_until?: Date | null;
  sent_at?: Date | null;
};

async function outbox(tenantId: string, recipientId: string, values: OutboxValues = {}) {
  const kind = values.kind ?? "alerts";
  const payload = values.payload ??
    (kind === "alerts" ? { alerts: [lowStockAlert(41)] } : { text: "Bonjour" });
  const [row] = await sql<{ id: string }[]>`
    insert into public.notification_outbox (tenant_id, recipient_id, kind, payload, urgent,
      next_attempt_at, status, attempts, locked_until, sent_at)
    values (${tenantId}, ${recipientId}, ${kind}, ${JSON.stringify(payload)}::text::jsonb, ${
    values.urgent ?? false
  },
      ${values.next_attempt_at ?? MORNING}, ${values.status ?? "pending"},
      ${values.attempts ?? 0}, ${values.locked_until ?? null}, ${values.sent_at ?? null})
    returning id`;
  return Number(row.id);
}

async function row(id: number): Promise<OutboxRow> {
  const [found] = await sql<OutboxRow[]>`
    select id::text, status, message_kind, body, attempts, next_attempt_at, locked_until,
      deferred_reason, provider_sid, error_code, last_error, sent_at, failed_at
    from public.notification_outbox where id = ${id}`;
  return found;
}

const requestsTo = (phone: string) =>
  fake.requests.filter((r) => r.form.To === `whatsapp:${phone}`);
const sentTo = (phone: string) => fake.sent.filter((r) => r.form.To === `whatsapp:${phone}`);

function summary(values: Partial<DispatchSummary>): DispatchSummary {
  return { claimed: 0, sent: 0, deferred: 0, retried: 0, failed: 0, cancelled: 0, ...values };
}

Deno.test("dispatchOutbox() sends a freeform digest inside the 24-hour window and records Twilio's SID", async () => {
  const t = await tenant();
  const r = await recipient(t);
  const id = await outbox(t, r.id, {
    payload: { alerts: [lowStockAlert(41), stockOutAlert(42)] },
    urgent: true,
  });

  const result = await dispatchOutbox(deps, { now: MORNING, ids: [id] });

  assert.deepEqual(result, summary({ claimed: 1, sent: 1 }));
  const [request] = requestsTo(r.phone);
  assert.equal(request.form.From, `whatsapp:${FROM}`);
  assert.equal("ContentSid" in request.form, false);
  assert.match(request.form.Body, /^📦 \*2 alertes de stock\*/);
  assert.match(request.form.Body, /n°42 Riz parfumé/);
  assert.match(request.form.Body, /Répondez OK <n°> \(par exemple OK 42\) pour confirmer/);
  const sent = await row(id);
  assert.equal(sent.status, "queued");
  assert.match(sent.provider_sid ?? "", /^SM[0-9a-f]{32}$/);
  assert.equal(sent.message_kind, "freeform");
  assert.equal(sent.body, request.form.Body);
  assert.equal(sent.attempts, 1);
  assert.equal(sent.sent_at, MORNING.toISOString());
  assert.equal(sent.locked_until, null);
  assert.equal(sent.deferred_reason, null);

  // Sent once: a second pass finds nothing to do.
  assert.deepEqual(await dispatchOutbox(deps, { now: MORNING, ids: [id] }), summary({}));
  assert.equal(requestsTo(r.phone).length, 1);
});

Deno.test("dispatchOutbox() sends the approved template outside the window (ContentSid + ContentVariables)", async () => {
  const t = await tenant();
  const r = await recipient(t, { last_inbound_at: at(MORNING, -hours(30)) });
  fake.closeSessionWindow(r.phone);
  const id = await outbox(t, r.id, { payload: { alerts: [stockOutAlert(7), lowStockAlert(8)] } });

  assert.deepEqual(
    await dispatchOutbox(deps, { now: MORNING, ids: [id] }),
    summary({ claimed: 1, sent: 1 }),
  );

  const [request] = requestsTo(r.phone);
  assert.equal(request.status, 201);
  assert.equal(request.form.ContentSid, TEMPLATE_SID);
  assert.equal("Body" in request.form, false);
  const variables = JSON.parse(request.form.ContentVariables);
  assert.equal(variables["1"], "2");
  assert.match(variables["2"], /^Boutique /);
  assert.match(variables["3"], /^🔴 Rupture de stock : n°7 Riz parfumé/);
  const sent = await row(id);
  assert.equal(sent.message_kind, "template");
  assert.deepEqual(JSON.parse(sent.body ?? ""), variables);
});

Deno.test("dispatchOutbox() fails a message outside the window when no template is configured (63016), without sending", async () => {
  const t = await tenant();
  const r = await recipient(t, { last_inbound_at: null });
  const id = await outbox(t, r.id);

  const result = await dispatchOutbox(withoutTemplate, { now: MORNING, ids: [id] });

  assert.deepEqual(result, summary({ claimed: 1, failed: 1 }));
  assert.equal(requestsTo(r.phone).length, 0);
  const failed = await row(id);
  assert.equal(failed.status, "failed");
  assert.equal(failed.error_code, 63016);
  assert.match(failed.last_error ?? "", /TWILIO_CONTENT_SID_ALERTS/);
  assert.equal(failed.failed_at, MORNING.toISOString());
  assert.equal(failed.attempts, 0);
});

Deno.test("dispatchOutbox() without Twilio credentials keeps messages pending with a clear reason", async () => {
  const t = await tenant();
  const r = await recipient(t);
  const id = await outbox(t, r.id);
  const unconfigured: Deps = { ...deps, config: testConfig() };

  const result = await dispatchOutbox(unconfigured, { now: MORNING, ids: [id] });

  assert.deepEqual(result, summary({ claimed: 1, deferred: 1 }));
  const waiting = await row(id);
  assert.equal(waiting.status, "pending");
  assert.equal(waiting.deferred_reason, "not_configured");
  assert.match(
    waiting.last_error ?? "",
    /TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_FROM/,
  );
  assert.equal(waiting.attempts, 0);
  assert.equal(waiting.next_attempt_at, at(MORNING, 5 * 60_000).toISOString());
  assert.equal(requestsTo(r.phone).length, 0);

  // Once configured, it goes.
  const later = at(MORNING, 10 * 60_000);
  assert.deepEqual(
    await dispatchOutbox(deps, { now: later, ids: [id] }),
    summary({ claimed: 1, sent: 1 }),
  );
  assert.equal(sentTo(r.phone).length, 1);
  assert.equal((await row(id)).deferred_reason, null);
});

Deno.test("dispatchOutbox() defers alerts during quiet hours to their end, in the tenant's time zone", async () => {
  // Dakar, default 21:00–07:00: at 22:00 the message waits for 07:00 the next day.
  const t = await tenant();
  const r = await recipient(t, { last_inbound_at: at(MORNING, hours(11)) });
  const night = new Date("2026-11-25T22:00:00Z");
  const id = await outbox(t, r.id, { next_attempt_at: night });
  assert.deepEqual(
    await dispatchOutbox(deps, { now: night, ids: [id] }),
    summary({ claimed: 1, deferred: 1 }),
  );
  let waiting = await row(id);
  assert.equal(waiting.status, "pending");
  assert.equal(waiting.deferred_reason, "quiet_hours");
  assert.equal(waiting.next_attempt_at, "2026-11-26T07:00:00.000Z");
  assert.equal(waiting.attempts, 0);
  assert.equal(requestsTo(r.phone).length, 0);
  // At 07:00 it is sent.
  const morning = new Date("2026-11-26T07:00:00Z");
  assert.deepEqual(
    await dispatchOutbox(deps, { now: morning, ids: [id] }),
    summary({ claimed: 1, sent: 1 }),
  );
  assert.equal(sentTo(r.phone).length, 1);

  // Paris (UTC+1) at 05:30 UTC is 06:30 local: the quiet hours end at 07:00 local, 06:00 UTC.
  const paris = await tenant({ timezone: "Europe/Paris" });
  const pr = await recipient(paris);
  const early = new Date("2026-11-25T05:30:00Z");
  const pid = await outbox(paris, pr.id, { next_attempt_at: early });
  await dispatchOutbox(deps, { now: early, ids: [pid] });
  waiting = await row(pid);
  assert.equal(waiting.deferred_reason, "quiet_hours");
  assert.equal(waiting.next_attempt_at, "2026-11-25T06:00:00.000Z");
});

Deno.test("dispatchOutbox() lets a stock-out through the quiet hours unless the tenant turned that off", async () => {
  const night = new Date("2026-11-25T23:30:00Z");
  const allowed = await tenant();
  const r1 = await recipient(allowed, { last_inbound_at: at(night, -hours(2)) });
  const urgent = await outbox(allowed, r1.id, {
    payload: { alerts: [stockOutAlert(99)] },
    urgent: true,
    next_attempt_at: night,
  });
  assert.deepEqual(
    await dispatchOutbox(deps, { now: night, ids: [urgent] }),
    summary({ claimed: 1, sent: 1 }),
  );
  assert.equal(sentTo(r1.phone).length, 1);

  const strict = await tenant();
  await sql`insert into public.notification_settings (tenant_id, stock_out_overrides_quiet_hours)
    values (${strict}, false)`;
  const r2 = await recipient(strict, { last_inbound_at: at(night, -hours(2)) });
  const held = await outbox(strict, r2.id, {
    payload: { alerts: [stockOutAlert(100)] },
    urgent: true,
    next_attempt_at: night,
  });
  assert.deepEqual(
    await dispatchOutbox(deps, { now: night, ids: [held] }),
    summary({ claimed: 1, deferred: 1 }),
  );
  const waiting = await row(held);
  assert.equal(waiting.deferred_reason, "quiet_hours");
  assert.equal(waiting.next_attempt_at, "2026-11-26T07:00:00.000Z");
  assert.equal(requestsTo(r2.phone).length, 0);
});

Deno.test("dispatchOutbox() uses the recipient's own quiet hours, and sends tests and replies at once", async () => {
  const t = await tenant();
  const noon = new Date("2026-11-25T13:00:00Z");
  const r = await recipient(t, {
    quiet_hours_start: "12:00",
    quiet_hours_end: "14:00",
    last_inbound_at: at(noon, -hours(1)),
  });
  const alerts = await outbox(t, r.id, { next_attempt_at: noon });
  const test = await outbox(t, r.id, { kind: "test", payload: {}, next_attempt_at: noon });
  const reply = await outbox(t, r.id, {
    kind: "reply",
    payload: { text: "Stock de Riz : 3 sacs" },
    next_attempt_at: noon,
  });

  const result = await dispatchOutbox(deps, { now: noon, ids: [alerts, test, reply] });

  assert.deepEqual(result, summary({ claimed: 3, sent: 2, deferred: 1 }));
  assert.equal((await row(alerts)).next_attempt_at, "2026-11-25T14:00:00.000Z");
  assert.deepEqual(
    sentTo(r.phone).map((request) => request.form.Body).sort(),
    [
      "Stock de Riz : 3 sacs",
      "✅ Message de test Digiboost : vos alertes WhatsApp sont bien configurées.",
    ],
  );
});

Deno.test("dispatchOutbox() defers alerts past the daily budget to the next day", async () => {
  // Budget 2, no quiet hours (start = end): the next local midnight.
  const t = await tenant();
  await sql`insert into public.notification_settings (tenant_id, daily_budget, quiet_hours_start,
    quiet_hours_end) values (${t}, 2, '00:00', '00:00')`;
  const r = await recipient(t);
  // Yesterday's messages do not count; two of today's do.
  await outbox(t, r.id, { status: "delivered", sent_at: at(MORNING, -hours(12)) });
  await outbox(t, r.id, { status: "delivered", sent_at: at(MORNING, -hours(2)) });
  const first = await outbox(t, r.id);
  assert.deepEqual(
    await dispatchOutbox(deps, { now: MORNING, ids: [first] }),
    summary({ claimed: 1, sent: 1 }),
  );
  const second = await outbox(t, r.id);
  const test = await outbox(t, r.id, { kind: "test", payload: {} });
  assert.deepEqual(
    await dispatchOutbox(deps, { now: MORNING, ids: [second, test] }),
    summary({ claimed: 2, sent: 1, deferred: 1 }),
  );
  const waiting = await row(second);
  assert.equal(waiting.deferred_reason, "budget");
  assert.equal(waiting.next_attempt_at, "2026-11-26T00:00:00.000Z");

  // Default quiet hours (21:00–07:00): the next day starts at 07:00 for the budget too.
  const quiet = await tenant();
  await sql`insert into public.notification_settings (tenant_id, daily_budget) values (${quiet}, 0)`;
  const qr = await recipient(quiet);
  const held = await outbox(quiet, qr.id, { urgent: false });
  await dispatchOutbox(deps, { now: MORNING, ids: [held] });
  assert.equal((await row(held)).next_attempt_at, "2026-11-26T07:00:00.000Z");
  assert.equal((await row(held)).deferred_reason, "budget");
  assert.equal(requestsTo(qr.phone).length, 0);
});

Deno.test("dispatchOutbox() rides out a Twilio outage: retried with backoff, each message delivered once", async () => {
  const t = await tenant();
  const recipients = [await recipient(t), await recipient(t), await recipient(t)];
  const ids = [];
  for (const r of recipients) ids.push(await outbox(t, r.id, { kind: "test", payload: {} }));

  // The outage: 500s and 429s, then Twilio is back.
  fake.failNext(500, 3);
  let now = MORNING;
  let result = await dispatchOutbox(deps, { now, ids });
  assert.deepEqual(result, summary({ claimed: 3, retried: 3 }));
  for (const id of ids) {
    const waiting = await row(id);
    assert.equal(waiting.status, "pending");
    assert.equal(waiting.deferred_reason, "retry");
    assert.equal(waiting.attempts, 1);
    assert.equal(waiting.error_code, 20500);
    assert.match(waiting.last_error ?? "", /twilio_unavailable/);
    // Backoff after the first failure: between half and all of 15 s.
    const delay = new Date(waiting.next_attempt_at).getTime() - now.getTime();
    assert.ok(delay >= 7_500 && delay <= 15_000, `expected 7.5–15 s, got ${delay} ms`);
  }
  // Not due yet: nothing is sent before the backoff time.
  assert.deepEqual(await dispatchOutbox(deps, { now: at(now, 1000), ids }), summary({}));

  fake.failNext(429, 3);
  now = at(now, 60_000);
  result = await dispatchOutbox(deps, { now, ids });
  assert.deepEqual(result, summary({ claimed: 3, retried: 3 }));
  assert.equal((await row(ids[0])).error_code, 20429);

  fake.failNext(503, 1);
  for (let cycle = 0; cycle < 5; cycle++) {
    now = at(now, hours(1));
    await dispatchOutbox(deps, { now, ids });
  }
  for (const [i, r] of recipients.entries()) {
    assert.equal(sentTo(r.phone).length, 1, `recipient ${i}: exactly one delivered message`);
    const delivered = await row(ids[i]);
    assert.equal(delivered.status, "queued");
    assert.equal(delivered.deferred_reason, null);
    assert.equal(delivered.last_error, null);
  }
  const attempts = recipients.map((r) => requestsTo(r.phone).length);
  assert.equal(attempts.reduce((a, b) => a + b), 3 + 3 + 1 + 3, "every failure was retried");
});

Deno.test("dispatchOutbox() gives up after the last allowed attempt", async () => {
  const t = await tenant();
  const r = await recipient(t);
  const id = await outbox(t, r.id, { attempts: DEFAULT_RETRY_POLICY.maxAttempts - 1 });
  fake.failNext(502, 1);
  assert.deepEqual(
    await dispatchOutbox(deps, { now: MORNING, ids: [id] }),
    summary({ claimed: 1, failed: 1 }),
  );
  const failed = await row(id);
  assert.equal(failed.status, "failed");
  assert.equal(failed.attempts, DEFAULT_RETRY_POLICY.maxAttempts);
  assert.match(failed.last_error ?? "", /^Gave up after the last attempt/);
});

Deno.test("dispatchOutbox() fails a permanent error at once, never retries it, and records Twilio's opt-out", async () => {
  const t = await tenant();
  const r = await recipient(t);
  fake.optOut(r.phone);
  const id = await outbox(t, r.id);

  assert.deepEqual(
    await dispatchOutbox(deps, { now: MORNING, ids: [id] }),
    summary({ claimed: 1, failed: 1 }),
  );
  const failed = await row(id);
  assert.equal(failed.status, "failed");
  assert.equal(failed.error_code, 21610);
  assert.match(failed.last_error ?? "", /opted_out \(21610\)/);
  assert.equal(failed.attempts, 1);
  assert.equal(failed.failed_at, MORNING.toISOString());
  const [person] = await sql<{ opted_in: boolean; opted_out_at: string | null }[]>`
    select opted_in, opted_out_at from public.notification_recipients where id = ${r.id}`;
  assert.deepEqual(person, { opted_in: false, opted_out_at: MORNING.toISOString() });

  await dispatchOutbox(deps, { now: at(MORNING, hours(2)), ids: [id] });
  assert.equal(requestsTo(r.phone).length, 1, "not retried");
  // The next message to this person is cancelled without a request.
  const next = await outbox(t, r.id);
  assert.deepEqual(
    await dispatchOutbox(deps, { now: MORNING, ids: [next] }),
    summary({ claimed: 1, cancelled: 1 }),
  );
  assert.equal(requestsTo(r.phone).length, 1);
});

Deno.test("dispatchOutbox() cancels messages to recipients who opted out, never opted in or are inactive", async () => {
  const t = await tenant();
  const optedOut = await recipient(t, { opted_out_at: at(MORNING, -hours(3)) });
  const noConsent = await recipient(t, { opted_in: false });
  const inactive = await recipient(t, { active: false });
  const ids = [
    await outbox(t, optedOut.id),
    await outbox(t, noConsent.id, { kind: "test", payload: {} }),
    await outbox(t, inactive.id),
  ];

  assert.deepEqual(
    await dispatchOutbox(deps, { now: MORNING, ids }),
    summary({ claimed: 3, cancelled: 3 }),
  );
  const rows = await Promise.all(ids.map(row));
  assert.deepEqual(rows.map((r) => r.status), ["cancelled", "cancelled", "cancelled"]);
  assert.match(rows[0].last_error ?? "", /opted out/);
  assert.match(rows[1].last_error ?? "", /not opted in/);
  assert.match(rows[2].last_error ?? "", /inactive/);
  for (const r of [optedOut, noConsent, inactive]) assert.equal(requestsTo(r.phone).length, 0);
});

Deno.test("dispatchOutbox() takes over a row a crashed dispatcher left in 'sending', not one still leased", async () => {
  const t = await tenant();
  const crashed = await recipient(t);
  const busy = await recipient(t);
  const stale = await outbox(t, crashed.id, {
    status: "sending",
    locked_until: at(MORNING, -60_000),
  });
  const leased = await outbox(t, busy.id, { status: "sending", locked_until: at(MORNING, 60_000) });
  const future = await outbox(t, busy.id, { next_attempt_at: at(MORNING, 60_000) });

  const result = await dispatchOutbox(deps, { now: MORNING, ids: [stale, leased, future] });

  assert.deepEqual(result, summary({ claimed: 1, sent: 1 }));
  assert.equal(sentTo(crashed.phone).length, 1);
  assert.equal(requestsTo(busy.phone).length, 0);
  assert.equal((await row(leased)).status, "sending");
  assert.equal((await row(future)).status, "pending");
});

Deno.test("the evaluation's outbox rows are sent as a numbered digest", async () => {
  const t = await tenant();
  const r = await recipient(t);
  const rice = await createProduct(sql, t, { name: "Riz brisé 25 kg", reorder_point: 10 });
  const oil = await createProduct(sql, t, { name: "Huile Dinor 1L", reorder_point: 10 });
  await createMovement(sql, t, {
    product_id: rice.id,
    kind: "receipt",
    quantity: 5,
    unit_cost_xof: 100,
  });
  await createMovement(sql, t, { product_id: rice.id, kind: "sale", quantity: -5 });
  await createMovement(sql, t, {
    product_id: oil.id,
    kind: "receipt",
    quantity: 4,
    unit_cost_xof: 100,
  });
  await sql`select * from app.evaluate_alerts(${MORNING}, true)`;
  const queued = await sql<{ id: string; alert_ids: string[]; urgent: boolean }[]>`
    select id::text, alert_ids::text[], urgent from public.notification_outbox
    where tenant_id = ${t} and recipient_id = ${r.id}`;
  assert.equal(queued.length, 1);
  assert.equal(queued[0].urgent, true);

  const result = await dispatchOutbox(deps, { now: MORNING, ids: [Number(queued[0].id)] });

  assert.deepEqual(result, summary({ claimed: 1, sent: 1 }));
  const body = sentTo(r.phone)[0].form.Body;
  const [stockOut, lowStock] = await sql<{ id: string }[]>`
    select id::text from public.alerts where tenant_id = ${t}
    order by case alert_type when 'stock_out' then 0 else 1 end`;
  assert.match(body, new RegExp(`🔴 Rupture de stock : n°${stockOut.id} Riz brisé 25 kg`));
  assert.match(
    body,
    new RegExp(`🟠 Stock faible : n°${lowStock.id} Huile Dinor 1L .*stock 4 `),
  );
  assert.match(body, new RegExp(`par exemple OK ${stockOut.id}\\) pour confirmer`));
});

Deno.test("dispatchOutbox() keeps a row it cannot prepare (an invalid time zone) for a retry", async () => {
  const t = await tenant({ timezone: "Mars/Olympus_Mons" });
  const r = await recipient(t);
  const id = await outbox(t, r.id);

  const result = await dispatchOutbox(deps, { now: MORNING, ids: [id] });

  assert.deepEqual(result, summary({ claimed: 1, retried: 1 }));
  const waiting = await row(id);
  assert.equal(waiting.status, "pending");
  assert.equal(waiting.deferred_reason, "retry");
  assert.equal(waiting.attempts, 1);
  assert.match(waiting.last_error ?? "", /Could not prepare the message: .*time zone/);
  assert.equal(requestsTo(r.phone).length, 0);
});

Deno.test("dispatchOutbox() without ids takes the oldest due rows first, up to the limit", async () => {
  // Long before every other test's clock, so only this test's rows are due.
  const early = new Date("2026-01-05T10:00:00Z");
  const t = await tenant();
  const r = await recipient(t, { last_inbound_at: at(early, -hours(1)) });
  const newest = await outbox(t, r.id, { kind: "test", next_attempt_at: at(early, -60_000) });
  const oldest = await outbox(t, r.id, { kind: "test", next_attempt_at: at(early, -hours(2)) });
  const middle = await outbox(t, r.id, { kind: "test", next_attempt_at: at(early, -hours(1)) });

  assert.deepEqual(
    await dispatchOutbox(deps, { now: early, limit: 2 }),
    summary({ claimed: 2, sent: 2 }),
  );
  assert.deepEqual([(await row(oldest)).status, (await row(middle)).status], ["queued", "queued"]);
  assert.equal((await row(newest)).status, "pending");
  assert.deepEqual(await dispatchOutbox(deps, { now: early }), summary({ claimed: 1, sent: 1 }));
});

/** A client that runs `before` ahead of each send (to act while a pass is under way). */
class SpyClient extends WhatsAppClient {
  constructor(readonly before: (message: OutboundMessage) => Promise<void>) {
    const settings = twilioSettings(deps.config.twilio);
    if (!settings.configured) throw new Error("expected Twilio configured in this test file");
    super(settings);
  }
  override async send(message: OutboundMessage): Promise<SendResult> {
    await this.before(message);
    return await super.send(message);
  }
}

Deno.test("dispatchOutbox() skips a row another dispatcher took over during the pass", async () => {
  const t = await tenant();
  const r1 = await recipient(t);
  const r2 = await recipient(t);
  const first = await outbox(t, r1.id, { kind: "test" });
  const second = await outbox(t, r2.id, { kind: "test", next_attempt_at: at(MORNING, 1000) });
  const later = at(MORNING, 2000);
  let calls = 0;
  // While the first message is being sent, the second row's lease changes hands (as if
  // another dispatcher had reclaimed it after an expiry).
  const client = new SpyClient(async () => {
    if (calls++ === 0) {
      await sql`update public.notification_outbox set locked_until = ${at(later, hours(1))}
        where id = ${second}`;
    }
  });

  const result = await dispatchOutbox(deps, { now: later, ids: [first, second], client });

  assert.deepEqual(result, summary({ claimed: 2, sent: 1 }));
  assert.equal(sentTo(r1.phone).length, 1);
  assert.equal(requestsTo(r2.phone).length, 0, "the other dispatcher's row is not sent");
  assert.equal((await row(second)).status, "sending");
});

Deno.test("two dispatchOutbox() passes at once send each message once", async () => {
  const t = await tenant();
  const recipients = [];
  const ids = [];
  for (let i = 0; i < 6; i++) {
    const r = await recipient(t);
    recipients.push(r);
    ids.push(await outbox(t, r.id, { kind: "test", payload: { text: `Message ${i}` } }));
  }
  // Slow answers keep both passes busy at the same time.
  fake.delayNext(150);
  fake.delayNext(150);

  const [a, b] = await Promise.all([
    dispatchOutbox(deps, { now: MORNING, ids, limit: 4 }),
    dispatchOutbox(deps, { now: MORNING, ids, limit: 4 }),
  ]);

  assert.equal(a.sent + b.sent, 6, JSON.stringify({ a, b }));
  assert.equal(a.claimed + b.claimed, 6);
  assert.ok(a.claimed > 0 && b.claimed > 0, "each pass took its share");
  for (const r of recipients) assert.equal(requestsTo(r.phone).length, 1);
  const rows = await Promise.all(ids.map(row));
  assert.ok(rows.every((r) => r.status === "queued" && r.attempts === 1));
});

Deno.test("dispatchOutbox() with Twilio refusing the credentials keeps messages queued", async () => {
  const t = await tenant();
  const r1 = await recipient(t);
  const r2 = await recipient(t);
  const ids = [await outbox(t, r1.id), await outbox(t, r2.id)];
  const wrongToken: Deps = {
    ...deps,
    config: testConfig({ ...twilioEnv, TWILIO_AUTH_TOKEN: "wrong-token" }),
  };

  const result = await dispatchOutbox(wrongToken, { now: MORNING, ids });

  assert.deepEqual(result, summary({ claimed: 2, deferred: 2 }));
  assert.equal(requestsTo(r1.phone).length + requestsTo(r2.phone).length, 1, "stops after one 401");
  for (const id of ids) {
    const waiting = await row(id);
    assert.equal(waiting.status, "pending");
    assert.equal(waiting.deferred_reason, "not_configured");
    assert.match(waiting.last_error ?? "", /Twilio refused the credentials/);
  }
});

Deno.test("loadConfig() validates TWILIO_CONTENT_SID_ALERTS", () => {
  assert.equal(
    loadConfig({ TWILIO_CONTENT_SID_ALERTS: TEMPLATE_SID }).twilio.alertsContentSid,
    TEMPLATE_SID,
  );
  assert.equal(loadConfig({}).twilio.alertsContentSid, undefined);
  assert.throws(
    () => loadConfig({ TWILIO_CONTENT_SID_ALERTS: "MG" + "0".repeat(32) }),
    /TWILIO_CONTENT_SID_ALERTS: must be HX followed by 32 hex digits/,
  );
});

Deno.test("close", async () => {
  await stack.close();
  await fake.close();
});
