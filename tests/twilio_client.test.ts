/**
 * The Twilio boundary end to end: the WhatsApp client (official `twilio` SDK over our
 * fetch httpClient) against the local fake Twilio, including every failure the outbox
 * dispatcher must tell apart.
 */
import assert from "node:assert/strict";
import { type SendResult, WhatsAppClient } from "../shared/notifications/whatsapp/client.ts";
import { buildDigest } from "../shared/notifications/whatsapp/digest.ts";
import { basicAuth } from "../shared/notifications/whatsapp/http_client.ts";
import { nextAttempt } from "../shared/notifications/whatsapp/retry.ts";
import { seededRandom } from "../shared/random.ts";
import type { TwilioSettings } from "../shared/notifications/whatsapp/settings.ts";
import { type FakeTwilio, startFakeTwilio } from "./helpers/fake_twilio.ts";

const ACCOUNT_SID = "AC5ef8732a3c49700934481addd5ce1659";
const AUTH_TOKEN = "fake-auth-token-0123456789abcdef";
const FROM = "+14155238886";
const OWNER = "+221771234567";
const CALLBACK = "https://ref.supabase.co/functions/v1/twilio-webhook";
const TEMPLATE_SID = "HX" + "b5b62e7f5e1c2d3a4b5c6d7e8f901234";

type Configured = Extract<TwilioSettings, { configured: true }>;

function settingsFor(fake: FakeTwilio, overrides: Partial<Configured> = {}): Configured {
  return {
    configured: true,
    accountSid: ACCOUNT_SID,
    authToken: AUTH_TOKEN,
    from: FROM,
    apiBaseUrl: fake.url,
    statusCallbackUrl: CALLBACK,
    ...overrides,
  };
}

async function withFake(fn: (fake: FakeTwilio, client: WhatsAppClient) => Promise<void>) {
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  try {
    await fn(fake, new WhatsAppClient(settingsFor(fake), { timeoutMs: 2000 }));
  } finally {
    await fake.close();
  }
}

function failureOf(result: SendResult) {
  assert.ok(!result.ok, `expected a failure, got ${JSON.stringify(result)}`);
  return result.failure;
}

Deno.test("send() posts a freeform WhatsApp message form-encoded with Basic auth and gets Twilio's SID", async () => {
  await withFake(async (fake, client) => {
    const result = await client.send({ kind: "freeform", to: "77 123 45 67", body: "Bonjour 👋" });
    assert.ok(result.ok, JSON.stringify(result));
    assert.match(result.message.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(result.message.sid.length, 34);
    assert.equal(result.message.status, "queued");
    assert.equal(result.message.to, `whatsapp:${OWNER}`);

    const [request] = fake.requests;
    assert.equal(request.method, "POST");
    assert.equal(request.path, `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    assert.equal(request.authorization, basicAuth(ACCOUNT_SID, AUTH_TOKEN));
    assert.match(request.contentType ?? "", /^application\/x-www-form-urlencoded/);
    assert.deepEqual(request.form, {
      To: `whatsapp:${OWNER}`,
      From: `whatsapp:${FROM}`,
      Body: "Bonjour 👋",
      StatusCallback: CALLBACK,
    });
  });
});

Deno.test("send() posts a template with ContentSid and ContentVariables as JSON, without Body", async () => {
  await withFake(async (fake, client) => {
    const result = await client.send({
      kind: "template",
      to: OWNER,
      contentSid: TEMPLATE_SID,
      variables: { "1": "3", "2": "Boutique Awa" },
      statusCallbackUrl: "https://other.example/cb",
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(fake.requests[0].form, {
      To: `whatsapp:${OWNER}`,
      From: `whatsapp:${FROM}`,
      ContentSid: TEMPLATE_SID,
      ContentVariables: '{"1":"3","2":"Boutique Awa"}',
      StatusCallback: "https://other.example/cb",
    });
  });
});

Deno.test("send() without a status callback URL sends none", async () => {
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  try {
    const client = new WhatsAppClient(settingsFor(fake, { statusCallbackUrl: undefined }));
    assert.ok((await client.send({ kind: "freeform", to: OWNER, body: "x" })).ok);
    assert.equal("StatusCallback" in fake.requests[0].form, false);
  } finally {
    await fake.close();
  }
});

Deno.test("a digest of many alerts stays under Twilio's 1,600-character limit and is accepted", async () => {
  await withFake(async (fake, client) => {
    const alerts = Array.from({ length: 200 }, (_, i) => ({
      type: "low_stock" as const,
      productName: `Article ${i + 1} — savon de Marseille parfumé, carton de 72`,
      stock: 2,
      reorderPoint: 12,
      daysOfCover: 1.2,
    }));
    const body = buildDigest(alerts, { shopName: "Quincaillerie Ndiaye" });
    const result = await client.send({ kind: "freeform", to: OWNER, body });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(fake.requests[0].form.Body, body);
    assert.match(body, /… et \d+ autres…/);
  });
});

Deno.test("a wrong auth token is a permanent authentication failure (401, 20003)", async () => {
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  try {
    const client = new WhatsAppClient(settingsFor(fake, { authToken: "wrong" }));
    const failure = failureOf(await client.send({ kind: "freeform", to: OWNER, body: "x" }));
    assert.deepEqual(failure, {
      retryable: false,
      reason: "authentication",
      httpStatus: 401,
      code: 20003,
      message: "Authenticate",
      moreInfo: "https://www.twilio.com/docs/errors/20003",
    });
  } finally {
    await fake.close();
  }
});

Deno.test("an invalid number is permanent: refused locally, or by Twilio with 21211", async () => {
  await withFake(async (fake, client) => {
    const local = failureOf(await client.send({ kind: "freeform", to: "77 12", body: "x" }));
    assert.equal(local.retryable, false);
    assert.equal(local.reason, "invalid_number");
    assert.equal(fake.requests.length, 0, "nothing sent for a number that cannot be valid");

    // Valid-looking but refused by Twilio: a sender cannot message itself.
    const remote = failureOf(await client.send({ kind: "freeform", to: FROM, body: "x" }));
    assert.equal(remote.retryable, false);
    assert.equal(remote.reason, "invalid_number");
    assert.equal(remote.code, 21211);
    assert.equal(remote.httpStatus, 400);
  });
});

Deno.test("an opted-out recipient is permanent (21610)", async () => {
  await withFake(async (fake, client) => {
    fake.optOut(OWNER);
    const failure = failureOf(await client.send({ kind: "freeform", to: OWNER, body: "x" }));
    assert.equal(failure.retryable, false);
    assert.equal(failure.reason, "opted_out");
    assert.equal(failure.code, 21610);
    assert.equal(failure.message, "Attempt to send to unsubscribed recipient");
    const decision = nextAttempt({ attempts: 1, now: new Date(), retryable: failure.retryable });
    assert.deepEqual(decision, { retry: false, reason: "permanent" });
  });
});

Deno.test("freeform outside the 24-hour window is permanent (63016); a template still goes", async () => {
  await withFake(async (fake, client) => {
    fake.closeSessionWindow(OWNER);
    const failure = failureOf(await client.send({ kind: "freeform", to: OWNER, body: "x" }));
    assert.equal(failure.retryable, false);
    assert.equal(failure.reason, "outside_session_window");
    assert.equal(failure.code, 63016);
    const template = await client.send({ kind: "template", to: OWNER, contentSid: TEMPLATE_SID });
    assert.ok(template.ok);
  });
});

Deno.test("429 is retryable (20429) and the next attempt succeeds", async () => {
  await withFake(async (fake, client) => {
    fake.failNext(429);
    const failure = failureOf(await client.send({ kind: "freeform", to: OWNER, body: "x" }));
    assert.deepEqual(failure, {
      retryable: true,
      reason: "rate_limited",
      httpStatus: 429,
      code: 20429,
      message: "Too Many Requests",
      moreInfo: "https://www.twilio.com/docs/errors/20429",
    });
    assert.ok((await client.send({ kind: "freeform", to: OWNER, body: "x" })).ok);
    assert.equal(client.requestCount, 2, "the client never retries by itself");
  });
});

Deno.test("a burst of 500s is retried with backoff until Twilio answers, and sent once", async () => {
  await withFake(async (fake, client) => {
    fake.failNext(500, 3);
    const random = seededRandom(1);
    let now = new Date("2026-11-25T10:00:00Z");
    let attempts = 0;
    const delays: number[] = [];
    let result: SendResult;
    while (true) {
      attempts++;
      result = await client.send({ kind: "freeform", to: OWNER, body: "Rupture" });
      if (result.ok) break;
      assert.equal(result.failure.reason, "twilio_unavailable");
      assert.equal(result.failure.code, 20500);
      const decision = nextAttempt({ attempts, now, retryable: result.failure.retryable, random });
      assert.ok(decision.retry);
      delays.push(decision.delayMs);
      now = decision.at;
    }
    assert.equal(attempts, 4);
    assert.ok(delays[0] < delays[1] && delays[1] < delays[2], `delays grow: ${delays}`);
    assert.equal(fake.sent.length, 1);
  });
});

Deno.test("a network error (Twilio unreachable) is retryable", async () => {
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  const client = new WhatsAppClient(settingsFor(fake), { timeoutMs: 2000 });
  await fake.close();
  const failure = failureOf(await client.send({ kind: "freeform", to: OWNER, body: "x" }));
  assert.equal(failure.retryable, true);
  assert.equal(failure.reason, "network");
  assert.equal(failure.httpStatus, undefined);
  assert.match(failure.message, /Could not reach Twilio at http:\/\/127\.0\.0\.1:\d+/);
});

Deno.test("no answer within the timeout is retryable", async () => {
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  try {
    const client = new WhatsAppClient(settingsFor(fake), { timeoutMs: 100 });
    fake.delayNext(1000);
    const failure = failureOf(await client.send({ kind: "freeform", to: OWNER, body: "x" }));
    assert.deepEqual(failure, {
      retryable: true,
      reason: "timeout",
      message: "Twilio did not answer within 100 ms",
    });
  } finally {
    await fake.close();
  }
});

Deno.test("the fake Twilio validates requests the way Twilio does", async () => {
  const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
  try {
    const post = async (
      form: Record<string, string>,
      auth = basicAuth(ACCOUNT_SID, AUTH_TOKEN),
    ) => {
      const response = await fetch(`${fake.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
        method: "POST",
        headers: { Authorization: auth, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form),
      });
      const body = await response.json();
      return { status: response.status, code: body.code, body };
    };
    const to = `whatsapp:${OWNER}`;
    const from = `whatsapp:${FROM}`;
    const unauthorised = await post({ To: to, From: from, Body: "x" }, "Basic Zm9vOmJhcg==");
    assert.deepEqual(unauthorised.body, {
      code: 20003,
      message: "Authenticate",
      more_info: "https://www.twilio.com/docs/errors/20003",
      status: 401,
    });
    assert.equal((await post({ From: from, Body: "x" })).code, 21604);
    assert.equal((await post({ To: to, Body: "x" })).code, 21603);
    assert.equal((await post({ To: to, From: from })).code, 21602);
    assert.equal((await post({ To: OWNER, From: from, Body: "x" })).code, 21910);
    assert.equal((await post({ To: "whatsapp:+22177", From: from, Body: "x" })).code, 21211);
    assert.equal((await post({ To: "whatsapp:771234567", From: from, Body: "x" })).code, 21211);
    assert.equal((await post({ To: to, From: from, Body: "x".repeat(1601) })).code, 21617);
    assert.equal((await post({ To: to, From: from, ContentSid: "HX1" })).code, 21655);
    const badVariables = { To: to, From: from, ContentSid: TEMPLATE_SID };
    assert.equal((await post({ ...badVariables, ContentVariables: "{1:" })).code, 21656);
    assert.equal((await post({ ...badVariables, ContentVariables: '{"1":"a\\nb"}' })).code, 21656);
    const created = await post({ To: to, From: from, Body: "x".repeat(1600) });
    assert.equal(created.status, 201);
    for (
      const field of [
        "account_sid",
        "api_version",
        "date_created",
        "direction",
        "error_code",
        "uri",
      ]
    ) {
      assert.ok(field in created.body, field);
    }
    assert.equal(created.body.direction, "outbound-api");
    assert.equal(fake.requests.length, 12);
  } finally {
    await fake.close();
  }
});
