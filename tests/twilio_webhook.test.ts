/**
 * The `twilio-webhook` function end to end, through the local server at
 * `/functions/v1/twilio-webhook/…`: signature checks (each refusal stores nothing),
 * status callbacks moving the outbox forward only, and inbound WhatsApp commands
 * answered as TwiML — STOP/START, OK <n> (never another shop's alert), STOCK, AIDE,
 * unknown text and unknown senders, redelivery stored once.
 *
 * Requests are signed as Twilio signs them, for the public URL Twilio would call
 * (`TWILIO_WEBHOOK_BASE_URL` + the function's path), not for the loopback address the
 * test server listens on.
 */
import assert from "node:assert/strict";
import twilio from "twilio";
import { createTwilioWebhookApp } from "../shared/notifications/webhook.ts";
import { computeSignature } from "../shared/notifications/whatsapp/signature.ts";
import {
  createMovement,
  createProduct,
  createTenantWithRoles,
  type ErrorBody,
  type TestTenant,
} from "./helpers/fixtures.ts";
import { startStack } from "./helpers/stack.ts";

const ACCOUNT_SID = "AC" + "5ef8732a3c49700934481addd5ce1659";
const TOKEN = "webhook-test-token-0123456789abcdef";
const BASE = "https://digiboost-test.supabase.co/functions/v1";

const stack = await startStack({
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: TOKEN,
  TWILIO_WHATSAPP_FROM: "+14155238886",
  TWILIO_WEBHOOK_BASE_URL: BASE,
});
const sql = stack.sql;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------
const hex = (n: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n / 2)), (b) => b.toString(16).padStart(2, "0"))
    .join("");
const messageSid = () => "SM" + hex(32);
/** A fresh, valid Senegalese mobile number. */
const phone = () =>
  `+22177${String(crypto.getRandomValues(new Uint32Array(1))[0] % 10_000_000).padStart(7, "0")}`;

type Route = "status" | "inbound" | "";
type PostOptions = {
  /** null: no header; default: Twilio's signature of `signedUrl` and `signedParams`. */
  signature?: string | null;
  signedUrl?: string;
  signedParams?: Record<string, string>;
  token?: string;
  query?: string;
  contentType?: string;
  body?: string;
};

async function post(route: Route, params: Record<string, string>, options: PostOptions = {}) {
  const query = options.query ?? "";
  const signedUrl = options.signedUrl ?? `${BASE}/twilio-webhook${route && "/"}${route}${query}`;
  const signature = options.signature === undefined
    ? await computeSignature(options.token ?? TOKEN, signedUrl, options.signedParams ?? params)
    : options.signature;
  const headers: Record<string, string> = {
    "content-type": options.contentType ?? "application/x-www-form-urlencoded",
  };
  if (signature !== null) headers["x-twilio-signature"] = signature;
  const response = await fetch(
    `${stack.url}/functions/v1/twilio-webhook${route && "/"}${route}${query}`,
    {
      method: "POST",
      headers,
      body: options.body ?? new URLSearchParams(params).toString(),
    },
  );
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The text of the TwiML `<Message>`, unescaped. */
function messageOf(xml: string): string {
  const match = /<Response><Message>([\s\S]*)<\/Message><\/Response>$/.exec(xml);
  assert.ok(match, `expected TwiML with one Message, got ${xml}`);
  return match[1].replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'").replaceAll("&amp;", "&");
}

function errorOf(text: string): ErrorBody["error"] {
  return (JSON.parse(text) as ErrorBody).error;
}

async function recipient(
  tenantId: string,
  phoneE164: string,
  values: Record<string, unknown> = {},
): Promise<string> {
  const row = {
    tenant_id: tenantId,
    display_name: "Awa Diop",
    phone_e164: phoneE164,
    opted_in: true,
    opted_in_at: new Date(),
    ...values,
  };
  const [created] = await sql<{ id: string }[]>`
    insert into public.notification_recipients ${sql(row)} returning id`;
  return created.id;
}

async function outbox(
  tenantId: string,
  recipientId: string,
  values: Record<string, unknown> = {},
): Promise<{ id: number; sid: string }> {
  const sid = messageSid();
  const row = {
    tenant_id: tenantId,
    recipient_id: recipientId,
    kind: "alerts",
    payload: sql.json({ alerts: [] }),
    status: "queued",
    provider_sid: sid,
    sent_at: new Date(),
    ...values,
  };
  const [created] = await sql<{ id: number }[]>`
    insert into public.notification_outbox ${sql(row)} returning id::float8 as id`;
  return { id: created.id, sid: (values.provider_sid as string | undefined) ?? sid };
}

type OutboxRow = {
  status: string;
  error_code: number | null;
  last_error: string | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  failed_at: Date | null;
  updated_at: Date;
};

async function outboxRow(id: number): Promise<OutboxRow> {
  const [row] = await sql<OutboxRow[]>`
    select status, error_code, last_error, sent_at, delivered_at, read_at, failed_at, updated_at
    from public.notification_outbox where id = ${id}`;
  return row;
}

const statusForm = (sid: string, status: string, extra: Record<string, string> = {}) => ({
  AccountSid: ACCOUNT_SID,
  ApiVersion: "2010-04-01",
  ChannelPrefix: "whatsapp",
  From: "whatsapp:+14155238886",
  MessageSid: sid,
  MessageStatus: status,
  SmsSid: sid,
  SmsStatus: status,
  To: "whatsapp:+221771234567",
  ...extra,
});

const inboundForm = (from: string, body: string, sid = messageSid()) => ({
  AccountSid: ACCOUNT_SID,
  ApiVersion: "2010-04-01",
  Body: body,
  From: `whatsapp:${from}`,
  MessageSid: sid,
  NumMedia: "0",
  NumSegments: "1",
  ProfileName: "Awa",
  SmsMessageSid: sid,
  SmsSid: sid,
  SmsStatus: "received",
  To: "whatsapp:+14155238886",
  WaId: from.slice(1),
});

async function inboundRows(sid: string) {
  return await sql<
    {
      tenant_id: string | null;
      recipient_id: string | null;
      from_e164: string;
      body: string;
      command: string | null;
      reply: string | null;
    }[]
  >`select tenant_id, recipient_id, from_e164, body, command, reply
    from public.inbound_messages where provider_sid = ${sid}`;
}

async function inboundCount(from: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    select count(*)::int as n from public.inbound_messages where from_e164 = ${from}`;
  return row.n;
}

/** Sends a WhatsApp text from `from`; checks the TwiML answer and returns its text. */
async function say(from: string, body: string, sid = messageSid()): Promise<string> {
  const response = await post("inbound", inboundForm(from, body, sid));
  assert.equal(response.status, 200, response.text);
  assert.match(response.headers.get("content-type") ?? "", /^text\/xml/);
  assert.ok(response.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>'));
  return messageOf(response.text);
}

async function alert(
  tenantId: string,
  values: Record<string, unknown> = {},
): Promise<number> {
  const product = await createProduct(sql, tenantId);
  const row = {
    tenant_id: tenantId,
    alert_type: "low_stock",
    product_id: product.id,
    severity: "warning",
    first_seen_at: new Date(),
    last_seen_at: new Date(),
    ...values,
  };
  const [created] = await sql<{ id: number }[]>`
    insert into public.alerts ${sql(row)} returning id::float8 as id`;
  return created.id;
}

async function alertState(id: number) {
  const [row] = await sql<{ status: string; acknowledged_by: string | null }[]>`
    select status::text as status, acknowledged_by from public.alerts where id = ${id}`;
  return row;
}

async function shopWithRecipient(): Promise<{ t: TestTenant; from: string; recipientId: string }> {
  const t = await createTenantWithRoles(sql);
  const from = phone();
  const recipientId = await recipient(t.id, from, { user_id: t.owner.id });
  return { t, from, recipientId };
}

// ---------------------------------------------------------------------------
// Signatures
// ---------------------------------------------------------------------------
Deno.test("status: an unsigned callback is refused with 403 and changes nothing", async () => {
  const { t, recipientId } = await shopWithRecipient();
  const message = await outbox(t.id, recipientId);
  const before = await outboxRow(message.id);
  const response = await post("status", statusForm(message.sid, "delivered"), { signature: null });
  assert.equal(response.status, 403);
  const error = errorOf(response.text);
  assert.equal(error.code, "invalid_signature");
  assert.ok(error.request_id);
  assert.deepEqual(await outboxRow(message.id), before);
});

Deno.test("status: a wrong signature, a tampered parameter or a signature of another URL → 403, nothing changed", async () => {
  const { t, recipientId } = await shopWithRecipient();
  const message = await outbox(t.id, recipientId);
  const before = await outboxRow(message.id);
  const form = statusForm(message.sid, "delivered");
  const attempts: PostOptions[] = [
    { token: "another-token-0123456789abcdef" },
    { signedParams: statusForm(message.sid, "sent") },
    { signedParams: { ...form, ErrorCode: "" } },
    // The loopback URL the server actually listens on is not what Twilio signs.
    { signedUrl: `${stack.url}/functions/v1/twilio-webhook/status` },
    { signedUrl: `${BASE}/twilio-webhook/inbound` },
    { signedUrl: `${BASE.replace("https:", "http:")}/twilio-webhook/status` },
    { signature: "" },
    { signature: "not base64 at all" },
    { signature: btoa("x".repeat(20)) },
  ];
  for (const options of attempts) {
    const response = await post("status", form, options);
    assert.equal(response.status, 403, JSON.stringify(options));
    assert.equal(errorOf(response.text).code, "invalid_signature");
  }
  assert.deepEqual(await outboxRow(message.id), before);
});

Deno.test("status: the query string is signed, and the URL may carry the default port", async () => {
  const { t, recipientId } = await shopWithRecipient();
  const message = await outbox(t.id, recipientId);
  const form = statusForm(message.sid, "sent");
  const refused = await post("status", form, {
    query: "?attempt=2",
    signedUrl: `${BASE}/twilio-webhook/status`,
  });
  assert.equal(refused.status, 403);
  assert.equal((await outboxRow(message.id)).status, "queued");

  const withPort = BASE.replace("supabase.co", "supabase.co:443");
  const accepted = await post("status", form, {
    query: "?attempt=2",
    signedUrl: `${withPort}/twilio-webhook/status?attempt=2`,
  });
  assert.equal(accepted.status, 204, accepted.text);
  assert.equal((await outboxRow(message.id)).status, "sent");
});

Deno.test("webhook: Twilio's documented signature example, computed by Twilio's SDK, passes the signature check", async () => {
  // "Webhooks security" guide: token 12345, these parameters; here for our function's URL.
  const params = {
    CallSid: "CA1234567890ABCDE",
    Caller: "+12349013030",
    Digits: "1234",
    From: "+12349013030",
    To: "+18005551212",
  };
  const config = {
    ...stack.config,
    twilio: { ...stack.config.twilio, authToken: "12345", webhookBaseUrl: "https://mycompany.com" },
  };
  const app = createTwilioWebhookApp({ ...stack.deps, config });
  const url = "https://mycompany.com/twilio-webhook/status?foo=1&bar=2";
  const sdkSignature = twilio.getExpectedTwilioSignature("12345", url, params);
  const send = (signature: string) =>
    app.fetch(
      new Request("http://internal:9999/twilio-webhook/status?foo=1&bar=2", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": signature,
        },
        body: new URLSearchParams(params).toString(),
      }),
    );
  // Signature accepted: the voice parameters are then no status callback (400, not 403).
  const accepted = await send(sdkSignature);
  assert.equal(accepted.status, 400);
  assert.equal((await accepted.json()).error.code, "invalid_status_callback");
  // The guide's own signature is for https://mycompany.com/myapp.php?foo=1&bar=2.
  assert.equal(
    twilio.getExpectedTwilioSignature(
      "12345",
      "https://mycompany.com/myapp.php?foo=1&bar=2",
      params,
    ),
    "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
  );
  const refused = await send("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  assert.equal(refused.status, 403);
});

Deno.test("webhook: without TWILIO_AUTH_TOKEN every request is refused with 403 and nothing stored", async () => {
  const from = phone();
  const config = { ...stack.config, twilio: { ...stack.config.twilio, authToken: undefined } };
  const app = createTwilioWebhookApp({ ...stack.deps, config });
  const form = inboundForm(from, "AIDE");
  const response = await app.fetch(
    new Request("http://internal/twilio-webhook/inbound", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": await computeSignature(TOKEN, `${BASE}/twilio-webhook/inbound`, form),
      },
      body: new URLSearchParams(form).toString(),
    }),
  );
  assert.equal(response.status, 403);
  assert.equal((await response.json()).error.code, "webhook_not_configured");
  assert.equal(await inboundCount(from), 0);
});

Deno.test("webhook: a body that is not a form → 415, a malformed form → 400, another method → 405", async () => {
  const from = phone();
  const form = inboundForm(from, "AIDE");
  const json = await post("inbound", form, {
    contentType: "application/json",
    body: JSON.stringify(form),
  });
  assert.equal(json.status, 415);
  assert.equal(errorOf(json.text).code, "unsupported_media_type");

  const malformed = await post("inbound", form, { body: "Body=%E0%A4%A&From=x" });
  assert.equal(malformed.status, 400);
  assert.equal(errorOf(malformed.text).code, "malformed_form");

  // Signed, but not a WhatsApp message (no MessageSid, bad From).
  const incomplete = await post("inbound", { Body: "AIDE", From: "whatsapp:+0000" });
  assert.equal(incomplete.status, 400);
  assert.equal(errorOf(incomplete.text).code, "invalid_inbound_message");

  const get = await fetch(`${stack.url}/functions/v1/twilio-webhook/status`);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get("allow"), "POST");
  assert.equal((await get.json()).error.code, "method_not_allowed");
  assert.equal(await inboundCount(from), 0);
});

Deno.test("inbound: unsigned, wrongly signed or tampered messages → 403 and nothing stored", async () => {
  const { from, recipientId } = await shopWithRecipient();
  const sid = messageSid();
  const form = inboundForm(from, "STOP", sid);
  const cases: PostOptions[] = [
    { signature: null },
    { token: "another-token-0123456789abcdef" },
    { signedParams: { ...form, Body: "AIDE" } },
    { signedParams: { ...form, From: `whatsapp:${phone()}` } },
  ];
  for (const options of cases) {
    const response = await post("inbound", form, options);
    assert.equal(response.status, 403, JSON.stringify(options));
    assert.equal(errorOf(response.text).code, "invalid_signature");
  }
  assert.equal(await inboundCount(from), 0);
  const [row] = await sql<{ opted_in: boolean; last_inbound_at: Date | null }[]>`
    select opted_in, last_inbound_at from public.notification_recipients where id = ${recipientId}`;
  assert.deepEqual(row, { opted_in: true, last_inbound_at: null });
});

// ---------------------------------------------------------------------------
// Status callbacks
// ---------------------------------------------------------------------------
Deno.test("status: queued → sent → delivered → read, and a late callback never moves it back", async () => {
  const { t, recipientId } = await shopWithRecipient();
  const message = await outbox(t.id, recipientId, { sent_at: null });
  const send = async (status: string) => {
    const response = await post("status", statusForm(message.sid, status));
    assert.equal(response.status, 204, response.text);
    assert.equal(response.text, "");
    return await outboxRow(message.id);
  };

  let row = await send("sent");
  assert.equal(row.status, "sent");
  assert.ok(row.sent_at);
  assert.equal(row.delivered_at, null);

  row = await send("delivered");
  assert.equal(row.status, "delivered");
  assert.ok(row.delivered_at);
  const deliveredAt = row.delivered_at;

  // Twilio does not promise order: a late "sent" or "queued" changes nothing.
  for (const late of ["sent", "queued", "sending"]) {
    const after = await send(late);
    assert.equal(after.status, "delivered", late);
    assert.deepEqual(after.delivered_at, deliveredAt);
  }

  row = await send("read");
  assert.equal(row.status, "read");
  assert.ok(row.read_at);
  assert.deepEqual(row.delivered_at, deliveredAt);

  const readAgain = await send("delivered");
  assert.equal(readAgain.status, "read");
  // A failure after delivery does not undo it either.
  const failedLate = await send("failed");
  assert.equal(failedLate.status, "read");
  assert.equal(failedLate.failed_at, null);
});

Deno.test("status: the function's own URL works as StatusCallback too", async () => {
  const { t, recipientId } = await shopWithRecipient();
  const message = await outbox(t.id, recipientId);
  const form = statusForm(message.sid, "delivered");
  const refused = await post("", form, { signedUrl: `${BASE}/twilio-webhook/status` });
  assert.equal(refused.status, 403);
  const response = await post("", form);
  assert.equal(response.status, 204, response.text);
  assert.equal((await outboxRow(message.id)).status, "delivered");
});

Deno.test("status: read straight after queued also records delivery", async () => {
  const { t, recipientId } = await shopWithRecipient();
  const message = await outbox(t.id, recipientId);
  const response = await post("status", statusForm(message.sid, "read"));
  assert.equal(response.status, 204);
  const row = await outboxRow(message.id);
  assert.equal(row.status, "read");
  assert.ok(row.delivered_at && row.read_at);
});

Deno.test("status: failed with ErrorCode 63016 ends the message with its code; nothing revives it", async () => {
  const { t, recipientId } = await shopWithRecipient();
  const message = await outbox(t.id, recipientId);
  const response = await post(
    "status",
    statusForm(message.sid, "failed", { ErrorCode: "63016", ErrorMessage: "Outside window" }),
  );
  assert.equal(response.status, 204, response.text);
  const row = await outboxRow(message.id);
  assert.equal(row.status, "failed");
  assert.equal(row.error_code, 63016);
  assert.ok(row.failed_at);
  assert.match(row.last_error ?? "", /63016/);

  for (const late of ["sent", "delivered", "read", "undelivered"]) {
    await post("status", statusForm(message.sid, late));
    const after = await outboxRow(message.id);
    assert.equal(after.status, "failed", late);
    assert.equal(after.error_code, 63016);
    assert.equal(after.delivered_at, null);
  }
});

Deno.test("status: undelivered after sent keeps Twilio's code", async () => {
  const { t, recipientId } = await shopWithRecipient();
  const message = await outbox(t.id, recipientId, { status: "sent" });
  await post("status", statusForm(message.sid, "undelivered", { ErrorCode: "63024" }));
  const row = await outboxRow(message.id);
  assert.equal(row.status, "undelivered");
  assert.equal(row.error_code, 63024);
  assert.ok(row.failed_at);
});

Deno.test("status: an unknown MessageSid is answered 2xx (no retries) and changes nothing", async () => {
  const { t, recipientId } = await shopWithRecipient();
  const message = await outbox(t.id, recipientId);
  const before = await outboxRow(message.id);
  const response = await post("status", statusForm(messageSid(), "delivered"));
  assert.equal(response.status, 204);
  assert.deepEqual(await outboxRow(message.id), before);
  const invalid = await post("status", statusForm("not-a-sid", "delivered"));
  assert.equal(invalid.status, 400);
  assert.equal(errorOf(invalid.text).code, "invalid_status_callback");
});

// ---------------------------------------------------------------------------
// Inbound messages
// ---------------------------------------------------------------------------
Deno.test("inbound: an unknown number gets a polite answer, stored without tenant", async () => {
  const from = phone();
  const sid = messageSid();
  const reply = await say(from, "Bonjour, stock riz ?", sid);
  assert.match(reply, /n'est enregistré dans aucune boutique/);
  const [row] = await inboundRows(sid);
  assert.equal(row.tenant_id, null);
  assert.equal(row.recipient_id, null);
  assert.equal(row.from_e164, from);
  assert.equal(row.body, "Bonjour, stock riz ?");
  assert.equal(row.reply, reply);
});

Deno.test("inbound: AIDE, HELP and ? list the commands; anything else gets the help, never silence", async () => {
  const { t, from, recipientId } = await shopWithRecipient();
  for (const text of ["AIDE", "aide", "Help", "?"]) {
    const reply = await say(from, text);
    assert.match(reply, /STOCK <nom ou référence>/, text);
    assert.match(reply, /OK <n>/);
    assert.match(reply, /STOP/);
  }
  const sid = messageSid();
  const reply = await say(from, "Bonjour, ça va ?", sid);
  assert.match(reply, /^Je n'ai pas compris/);
  assert.match(reply, /STOCK <nom ou référence>/);
  const [row] = await inboundRows(sid);
  assert.deepEqual(
    { tenant: row.tenant_id, recipient: row.recipient_id, command: row.command },
    { tenant: t.id, recipient: recipientId, command: "unknown" },
  );
  // The message opened the 24-hour window.
  const [window] = await sql<{ open: boolean }[]>`
    select last_inbound_at > now() - interval '1 minute' as open
    from public.notification_recipients where id = ${recipientId}`;
  assert.equal(window.open, true);
});

Deno.test("inbound: « arrêt » opts the number out of every shop; « Oui » opts it back in", async () => {
  const a = await shopWithRecipient();
  const b = await createTenantWithRoles(sql);
  await recipient(b.id, a.from);
  const other = await recipient(a.t.id, phone());

  const sid = messageSid();
  const reply = await say(a.from, "arrêt", sid);
  assert.match(reply, /ne recevrez plus/);
  assert.equal((await inboundRows(sid))[0].command, "stop");
  const rows = await sql<{ opted_in: boolean; out: boolean }[]>`
    select opted_in, opted_out_at is not null as out from public.notification_recipients
    where phone_e164 = ${a.from}`;
  assert.deepEqual([...rows], [{ opted_in: false, out: true }, { opted_in: false, out: true }]);
  const [untouched] = await sql<{ opted_in: boolean }[]>`
    select opted_in from public.notification_recipients where id = ${other}`;
  assert.equal(untouched.opted_in, true);

  for (const text of ["STOP", "Arret", "désabonner", "STOP ALL"]) {
    assert.match(await say(a.from, text), /ne recevrez plus/, text);
  }

  const start = messageSid();
  assert.match(await say(a.from, "Oui", start), /recevrez à nouveau/);
  assert.equal((await inboundRows(start))[0].command, "start");
  const back = await sql<{ opted_in: boolean; out: boolean; since: boolean }[]>`
    select opted_in, opted_out_at is not null as out,
      opted_in_at > now() - interval '1 minute' as since
    from public.notification_recipients where phone_e164 = ${a.from}`;
  assert.deepEqual([...back], [
    { opted_in: true, out: false, since: true },
    { opted_in: true, out: false, since: true },
  ]);
});

Deno.test("inbound: « Ok <n> » acknowledges the shop's alert n in its history, by the recipient's user", async () => {
  const { t, from } = await shopWithRecipient();
  const id = await alert(t.id);
  const sid = messageSid();
  const reply = await say(from, `Ok ${id}`, sid);
  assert.match(reply, new RegExp(`Alerte ${id} prise en compte`));
  assert.deepEqual(await alertState(id), { status: "acknowledged", acknowledged_by: t.owner.id });
  const events = await sql<{ event: string; source: string; actor_id: string | null }[]>`
    select event, source, actor_id from public.alert_events where alert_id = ${id}`;
  assert.deepEqual([...events], [{
    event: "acknowledged",
    source: "whatsapp",
    actor_id: t.owner.id,
  }]);
  assert.equal((await inboundRows(sid))[0].command, "ok");

  assert.match(await say(from, `OK ${id}`), /déjà prise en compte/);
  assert.match(await say(from, "OK"), /Indiquez le numéro/);
});

Deno.test("inbound: OK <n> never touches another shop's alert", async () => {
  const { from } = await shopWithRecipient();
  const stranger = await createTenantWithRoles(sql);
  const foreign = await alert(stranger.id);
  const reply = await say(from, `OK ${foreign}`);
  assert.match(reply, new RegExp(`Alerte ${foreign} introuvable`));
  assert.deepEqual(await alertState(foreign), { status: "active", acknowledged_by: null });
  const [events] = await sql<{ n: number }[]>`
    select count(*)::int as n from public.alert_events where alert_id = ${foreign}`;
  assert.equal(events.n, 0);
  assert.match(await say(from, "OK 999999999"), /introuvable/);
});

Deno.test("inbound: OK <n> on a resolved alert says so", async () => {
  const { t, from } = await shopWithRecipient();
  const id = await alert(t.id, {
    status: "resolved",
    resolved_at: new Date(),
    resolution: "cleared",
  });
  assert.match(await say(from, `ok ${id}`), /déjà résolue/);
  assert.equal((await alertState(id)).status, "resolved");
});

Deno.test("inbound: a redelivered message is stored once and answered the same", async () => {
  const { t, from } = await shopWithRecipient();
  const id = await alert(t.id);
  const sid = messageSid();
  const first = await say(from, `OK ${id}`, sid);
  const second = await say(from, `OK ${id}`, sid);
  assert.equal(second, first);
  assert.match(second, /prise en compte/);
  assert.equal((await inboundRows(sid)).length, 1);
  const [events] = await sql<{ n: number }[]>`
    select count(*)::int as n from public.alert_events where alert_id = ${id}`;
  assert.equal(events.n, 1);
});

Deno.test("inbound: the same message delivered twice at once is stored and carried out once", async () => {
  const { t, from } = await shopWithRecipient();
  const id = await alert(t.id);
  const sid = messageSid();
  const replies = await Promise.all([say(from, `OK ${id}`, sid), say(from, `OK ${id}`, sid)]);
  assert.equal(replies[0], replies[1]);
  assert.match(replies[0], /prise en compte/);
  assert.equal((await inboundRows(sid)).length, 1);
  const [events] = await sql<{ n: number }[]>`
    select count(*)::int as n from public.alert_events where alert_id = ${id}`;
  assert.equal(events.n, 1);
});

Deno.test("inbound: « stock riz » answers the best-matching product's stock, reorder point and days of cover", async () => {
  const { t, from } = await shopWithRecipient();
  const riz = await createProduct(sql, t.id, {
    sku: "RIZ-25",
    name: "Riz parfumé 25 kg",
    unit: "sac",
    reorder_point: 10,
  });
  await createProduct(sql, t.id, { sku: "RIZB-50", name: "Riz brisé cassé 50 kg", unit: "sac" });
  await createProduct(sql, t.id, { sku: "RIZ-OLD", name: "Riz", active: false });
  await createMovement(sql, t.id, {
    product_id: riz.id,
    kind: "receipt",
    quantity: 40,
    unit_cost_xof: 12_000,
  });
  // 14 sold within 28 days: 0.5 a day, so 26 in stock cover 52 days.
  await createMovement(sql, t.id, { product_id: riz.id, kind: "sale", quantity: -14 });

  const sid = messageSid();
  const reply = await say(from, "stock riz", sid);
  assert.match(reply, /Riz parfumé 25 kg\* \(RIZ-25\)/);
  assert.match(reply, /Stock : 26 sacs/);
  assert.match(reply, /Point de commande : 10 sacs/);
  assert.match(reply, /Couverture : 52 jours/);
  assert.match(reply, /1 autre produit correspond/);
  assert.equal((await inboundRows(sid))[0].command, "stock");

  // Exact reference first, accents and case ignored, words in any order.
  assert.match(await say(from, "STOCK rizb-50"), /Riz brisé cassé 50 kg/);
  assert.match(await say(from, "Stock   RIZ PARFUME !"), /Riz parfumé 25 kg/);
  assert.match(await say(from, "stock cassé riz"), /Riz brisé cassé 50 kg/);
});

Deno.test("inbound: STOCK prefers the forecast's daily demand for days of cover", async () => {
  const { t, from } = await shopWithRecipient();
  const huile = await createProduct(sql, t.id, { name: "Huile d'arachide 1 L", unit: "bouteille" });
  await createMovement(sql, t.id, {
    product_id: huile.id,
    kind: "receipt",
    quantity: 30,
    unit_cost_xof: 1_000,
  });
  await sql`insert into public.forecasts (tenant_id, product_id, location_id, computed_at, method,
      daily_demand)
    select ${t.id}, ${huile.id}, l.id, now(), 'test', 4 from public.locations l
    where l.tenant_id = ${t.id} and l.is_default`;
  const reply = await say(from, "stock huile");
  assert.match(reply, /Stock : 30 bouteille/);
  assert.match(reply, /Couverture : 7,5 jours/);
});

Deno.test("inbound: STOCK with no match says so with the help hint, and never looks in another shop", async () => {
  const { t, from } = await shopWithRecipient();
  await createProduct(sql, t.id, { name: "Sucre en morceaux" });
  const stranger = await createTenantWithRoles(sql);
  await createProduct(sql, stranger.id, { sku: "CAFE-TOUBA", name: "Café Touba" });
  const reply = await say(from, "stock café touba");
  assert.match(reply, /Aucun produit ne correspond à « café touba »/);
  assert.match(reply, /AIDE/);
  assert.match(await say(from, "STOCK CAFE-TOUBA"), /Aucun produit/);
  assert.match(await say(from, "stock"), /Indiquez le produit/);
});

Deno.test("inbound: replies are XML-escaped TwiML", async () => {
  const { from } = await shopWithRecipient();
  const response = await post("inbound", inboundForm(from, "stock <b>&\"riz'</b>"));
  assert.equal(response.status, 200);
  assert.match(response.text, /« b&gt;&amp;&quot;riz&apos;&lt;\/b »/);
  assert.doesNotMatch(response.text.replace(/&(amp|lt|gt|quot|apos);/g, ""), /&|<b>/);
});

Deno.test("inbound: a number in two shops is filed under the one we messaged last; STOCK answers from it", async () => {
  const a = await shopWithRecipient();
  const b = await createTenantWithRoles(sql);
  const inB = await recipient(b.id, a.from, { user_id: b.owner.id });
  await outbox(a.t.id, a.recipientId, { created_at: new Date(Date.now() - 3_600_000) });
  await outbox(b.id, inB, { created_at: new Date() });
  await createProduct(sql, b.id, { sku: "THE-VERT", name: "Thé vert Ataya" });

  const sid = messageSid();
  assert.match(await say(a.from, "stock ataya", sid), /Thé vert Ataya/);
  const [row] = await inboundRows(sid);
  assert.equal(row.tenant_id, b.id);
  assert.equal(row.recipient_id, inB);

  // OK <n> reaches the alerts of both shops the person receives.
  const inA = await alert(a.t.id);
  assert.match(await say(a.from, `OK ${inA}`), /prise en compte/);
  assert.deepEqual(await alertState(inA), {
    status: "acknowledged",
    acknowledged_by: a.t.owner.id,
  });
});

Deno.test("closes the stack", async () => {
  await stack.close();
});
