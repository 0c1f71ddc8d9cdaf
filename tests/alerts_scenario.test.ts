/**
 * The whole alert path over 5-minute cycles with a controllable clock: the
 * `alerts-evaluate` job (evaluation, then dispatch) against the local fake Twilio, and
 * the signed `twilio-webhook` for replies. One digest per run, nothing sent twice across
 * cycles, a new product detected and notified alone, quiet hours with the stock-out
 * override, the daily budget, an outage with recovery (each message delivered once),
 * STOP respected and an unsigned STOP refused.
 *
 * The job is global: each test has its own tenant and recipient numbers and counts the
 * fake's requests by number. Clocks are in the future and move forward only, so a later
 * test's runs also flush what an earlier one left waiting — never into its counts.
 */
import assert from "node:assert/strict";
import { evaluateAlertsJob } from "../shared/alerts/job.ts";
import { computeSignature } from "../shared/notifications/whatsapp/signature.ts";
import { createMovement, createProduct, createTenantWithRoles } from "./helpers/fixtures.ts";
import { startFakeTwilio } from "./helpers/fake_twilio.ts";
import { startStack } from "./helpers/stack.ts";

const ACCOUNT_SID = "AC" + "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const AUTH_TOKEN = "scenario-auth-token-0123456789abcd";
const BASE = "https://digiboost-scenario.supabase.co/functions/v1";
const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
const stack = await startStack({
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_WHATSAPP_FROM: "+14155238886",
  TWILIO_API_BASE_URL: fake.url,
  TWILIO_WEBHOOK_BASE_URL: BASE,
  TWILIO_CONTENT_SID_ALERTS: "HX" + "0123456789abcdef0123456789abcdef",
});
const { sql, deps } = stack;

const MINUTE = 60_000;
/** A clock for one test, from `start`, advancing by cycles of 5 minutes. */
function clock(start: string) {
  let at = new Date(start).getTime();
  return {
    now: () => new Date(at),
    advance: (ms: number) => (at += ms),
    run: async (cycles = 1) => {
      const results = [];
      for (let i = 0; i < cycles; i++) {
        at += 5 * MINUTE;
        results.push(await evaluateAlertsJob(deps, { now: new Date(at) }));
      }
      return results;
    },
  };
}

let phones = 0;
/** A recipient inside the 24-hour window (freeform texts), with a number of its own. */
async function recipient(tenantId: string, now: Date, values: Record<string, unknown> = {}) {
  const phone = `+22178${String(Date.now() % 100000).padStart(5, "0")}${
    String(phones++).padStart(2, "0")
  }`;
  const row = {
    tenant_id: tenantId,
    display_name: "Awa Diop",
    phone_e164: phone,
    opted_in: true,
    opted_in_at: now,
    last_inbound_at: now,
    ...values,
  };
  await sql`insert into public.notification_recipients ${sql(row)}`;
  return phone;
}

/** What the fake accepted for `phone`, in order. */
const sentTo = (phone: string) => fake.sent.filter((r) => r.form.To === `whatsapp:${phone}`);
const attemptsTo = (phone: string) =>
  fake.requests.filter((r) => r.form.To === `whatsapp:${phone}`);

const receive = (tenantId: string, productId: string, quantity: number) =>
  createMovement(sql, tenantId, {
    product_id: productId,
    kind: "receipt",
    quantity,
    unit_cost_xof: 250,
  });

async function signedPost(path: string, params: Record<string, string>, sign = true) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (sign) {
    headers["x-twilio-signature"] = await computeSignature(AUTH_TOKEN, `${BASE}${path}`, params);
  }
  const response = await fetch(`${stack.url}/functions/v1${path}`, {
    method: "POST",
    headers,
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, text: await response.text() };
}

Deno.test("cycles: one digest, nothing twice, a new product alone, OK n acknowledges", async () => {
  const t = await createTenantWithRoles(sql);
  const c = clock("2027-01-04T09:00:00Z");
  const phone = await recipient(t.id, c.now());
  const rice = await createProduct(sql, t.id, { name: "Riz parfumé 5 kg", reorder_point: 10 });
  const oil = await createProduct(sql, t.id, { name: "Huile 1 L", reorder_point: 6 });
  await receive(t.id, rice.id, 3);
  await receive(t.id, oil.id, 2);

  const [first] = await c.run();
  assert.ok(first.messages_sent >= 1);
  let sent = sentTo(phone);
  assert.equal(sent.length, 1, "one digest for two alerts");
  assert.match(sent[0].form.Body, /Riz parfumé 5 kg/);
  assert.match(sent[0].form.Body, /Huile 1 L/);
  await c.run(3);
  assert.equal(sentTo(phone).length, 1, "later cycles send nothing again");

  const sugar = await createProduct(sql, t.id, { name: "Sucre en morceaux" });
  await c.run();
  sent = sentTo(phone);
  assert.equal(sent.length, 2);
  assert.match(sent[1].form.Body, /Sucre en morceaux/);
  assert.doesNotMatch(sent[1].form.Body, /Riz|Huile/, "only the new product");

  // The owner answers OK <n> for the sugar alert: acknowledged, by WhatsApp.
  const [alert] = await sql<{ id: string }[]>`
    select id from public.alerts where product_id = ${sugar.id}`;
  const reply = await signedPost("/twilio-webhook/inbound", {
    From: `whatsapp:${phone}`,
    Body: `ok ${alert.id}`,
    MessageSid: "SM" + crypto.randomUUID().replaceAll("-", ""),
    AccountSid: ACCOUNT_SID,
  });
  assert.equal(reply.status, 200, reply.text);
  const [acknowledged] = await sql`select status from public.alerts where id = ${alert.id}`;
  assert.equal(acknowledged.status, "acknowledged");
  await c.run();
  assert.equal(sentTo(phone).length, 2);
});

Deno.test("quiet hours: low stock waits for 07:00, a stock-out goes at once", async () => {
  const t = await createTenantWithRoles(sql);
  const c = clock("2027-01-05T21:30:00Z"); // Dakar is UTC+0
  const phone = await recipient(t.id, c.now());
  const flour = await createProduct(sql, t.id, { name: "Farine", reorder_point: 10 });
  await receive(t.id, flour.id, 4);
  await c.run();
  assert.equal(sentTo(phone).length, 0, "low stock at 21:35 waits");
  const [waiting] =
    await sql`select deferred_reason, next_attempt_at from public.notification_outbox
    o join public.notification_recipients r on r.id = o.recipient_id where r.phone_e164 = ${phone}`;
  assert.equal(waiting.deferred_reason, "quiet_hours");
  assert.equal(new Date(waiting.next_attempt_at).toISOString(), "2027-01-06T07:00:00.000Z");

  await createProduct(sql, t.id, { name: "Gaz butane 6 kg" });
  await c.run();
  const urgent = sentTo(phone);
  assert.equal(urgent.length, 1, "the stock-out overrides the quiet hours");
  assert.match(urgent[0].form.Body, /Gaz butane/);

  c.advance(9 * 60 * MINUTE); // 06:40
  await c.run(6); // → 07:10
  const all = sentTo(phone);
  assert.equal(all.length, 2);
  assert.match(all[1].form.Body, /Farine/);
});

Deno.test("daily budget: beyond it, messages wait for the next day", async () => {
  const t = await createTenantWithRoles(sql);
  await sql`insert into public.notification_settings (tenant_id, daily_budget)
    values (${t.id}, 1)`;
  const c = clock("2027-01-07T10:00:00Z");
  const phone = await recipient(t.id, c.now());
  await createProduct(sql, t.id, { name: "Lait en poudre" });
  await c.run();
  await createProduct(sql, t.id, { name: "Café Touba" });
  await c.run(2);
  assert.equal(sentTo(phone).length, 1, "the second digest is over the budget");
  c.advance(21 * 60 * MINUTE); // next day 07:10
  await c.run();
  const sent = sentTo(phone);
  assert.equal(sent.length, 2);
  assert.match(sent[1].form.Body, /Café Touba/);
});

Deno.test("Twilio down for an hour: retried with backoff, delivered once after", async () => {
  const t = await createTenantWithRoles(sql);
  const c = clock("2027-01-08T10:00:00Z");
  const phone = await recipient(t.id, c.now());
  await createProduct(sql, t.id, { name: "Savon de Marseille" });
  fake.failNext(503, 1_000);
  await c.run(12); // one hour of cycles, every request refused
  assert.equal(sentTo(phone).length, 0);
  assert.ok(attemptsTo(phone).length >= 2, "retried during the outage");
  assert.ok(attemptsTo(phone).length <= 12, "with backoff, not on every request");
  fake.recover();
  const [row] =
    await sql`select o.status, o.attempts, o.deferred_reason from public.notification_outbox o
    join public.notification_recipients r on r.id = o.recipient_id where r.phone_e164 = ${phone}`;
  assert.equal(row.status, "pending");
  assert.equal(row.deferred_reason, "retry");
  c.advance(30 * MINUTE);
  await c.run(4);
  assert.equal(sentTo(phone).length, 1, "delivered once after the recovery");
  await c.run(4);
  assert.equal(sentTo(phone).length, 1, "and never again");
});

Deno.test("STOP: an unsigned one is refused, a signed one stops the messages", async () => {
  const t = await createTenantWithRoles(sql);
  const c = clock("2027-01-09T10:00:00Z");
  const phone = await recipient(t.id, c.now());
  const params = {
    From: `whatsapp:${phone}`,
    Body: "Arrêt",
    MessageSid: "SM" + crypto.randomUUID().replaceAll("-", ""),
    AccountSid: ACCOUNT_SID,
  };
  const forged = await signedPost("/twilio-webhook/inbound", params, false);
  assert.equal(forged.status, 403);
  const [still] = await sql`select opted_in from public.notification_recipients
    where phone_e164 = ${phone}`;
  assert.equal(still.opted_in, true, "an unsigned request changes nothing");

  const stop = await signedPost("/twilio-webhook/inbound", params);
  assert.equal(stop.status, 200, stop.text);
  await createProduct(sql, t.id, { name: "Thé vert" });
  await c.run(2);
  assert.equal(sentTo(phone).length, 0, "nothing sent after STOP");
  const [alert] = await sql`select count(*)::int as n from public.alerts where tenant_id = ${t.id}`;
  assert.equal(alert.n, 1, "the alert exists all the same");
});

Deno.test("close", async () => {
  await stack.close();
  await fake.close();
});
