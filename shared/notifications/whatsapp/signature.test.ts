import assert from "node:assert/strict";
import twilio from "twilio";
import { seededRandom } from "../../random.ts";
import { computeSignature, signedPayload, urlVariants, verifySignature } from "./signature.ts";

// The worked example of Twilio's "Webhooks security" guide
// (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
const TOKEN = "12345";
const URL_ = "https://mycompany.com/myapp.php?foo=1&bar=2";
const PARAMS = {
  CallSid: "CA1234567890ABCDE",
  Caller: "+12349013030",
  Digits: "1234",
  From: "+12349013030",
  To: "+18005551212",
};
const EXPECTED = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

Deno.test("computeSignature() reproduces Twilio's documented example", async () => {
  assert.equal(
    signedPayload(URL_, PARAMS),
    "https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+12349013030" +
      "Digits1234From+12349013030To+18005551212",
  );
  assert.equal(await computeSignature(TOKEN, URL_, PARAMS), EXPECTED);
});

Deno.test("verifySignature() accepts the documented example, in any parameter order", async () => {
  assert.equal(await verifySignature(TOKEN, EXPECTED, URL_, PARAMS), true);
  const form = new URLSearchParams(
    "To=%2B18005551212&CallSid=CA1234567890ABCDE&Digits=1234&From=%2B12349013030&Caller=%2B12349013030",
  );
  assert.equal(await verifySignature(TOKEN, EXPECTED, URL_, form), true);
});

Deno.test("verifySignature() rejects a tampered parameter, URL, token or header", async () => {
  assert.equal(await verifySignature(TOKEN, EXPECTED, URL_, { ...PARAMS, Digits: "9999" }), false);
  assert.equal(
    await verifySignature(TOKEN, EXPECTED, URL_.replace("bar=2", "bar=3"), PARAMS),
    false,
  );
  assert.equal(await verifySignature("54321", EXPECTED, URL_, PARAMS), false);
  const { To: _dropped, ...missingOne } = PARAMS;
  assert.equal(await verifySignature(TOKEN, EXPECTED, URL_, missingOne), false);
  for (
    const header of [undefined, null, "", "0/KCTR6DLpKmkAf8muzZqo1nDgQ", "not base64!", "AAAA"]
  ) {
    assert.equal(await verifySignature(TOKEN, header, URL_, PARAMS), false, String(header));
  }
  assert.equal(await verifySignature("", EXPECTED, URL_, PARAMS), false, "no token, no trust");
});

Deno.test("verifySignature() accepts the URL signed with or without the default port", async () => {
  const withPort = "https://mycompany.com:443/myapp.php?foo=1&bar=2";
  const signedWithPort = await computeSignature(TOKEN, withPort, PARAMS);
  assert.equal(await verifySignature(TOKEN, signedWithPort, URL_, PARAMS), true);
  assert.equal(await verifySignature(TOKEN, EXPECTED, withPort, PARAMS), true);
  assert.deepEqual(urlVariants("http://h.sn/x"), ["http://h.sn/x", "http://h.sn:80/x"]);
  assert.deepEqual(urlVariants("https://h.sn:8443/x"), ["https://h.sn:8443/x", "https://h.sn/x"]);
});

Deno.test("verifySignature() agrees with the twilio SDK's validateRequest on random requests", async () => {
  const random = seededRandom(20261125);
  const pick = (alphabet: string, min: number, max: number) => {
    const length = min + Math.floor(random() * (max - min + 1));
    return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
  };
  const word = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  const text = word + " +-_.:/éàçô€✓😀";
  let valid = 0;
  for (let i = 0; i < 200; i++) {
    const token = pick(word, 8, 40);
    const port = random() < 0.3 ? ":443" : "";
    const url = `https://${pick("abcdefgh", 3, 10)}.sn${port}/${pick(word, 0, 12)}` +
      (random() < 0.5 ? `?${pick(word, 1, 5)}=${pick(word, 0, 5)}` : "");
    const params: Record<string, string> = {};
    const count = Math.floor(random() * 8);
    for (let p = 0; p < count; p++) params[pick(word, 1, 12)] = pick(text, 0, 30);
    const roll = random();
    const signature = roll < 0.5
      ? await computeSignature(token, url, params)
      : roll < 0.75
      ? await computeSignature(token + "x", url, params)
      : pick(word + "+/", 27, 27) + "=";
    const ours = await verifySignature(token, signature, url, params);
    const sdk = twilio.validateRequest(token, signature, url, params);
    assert.equal(ours, sdk, JSON.stringify({ token, signature, url, params }));
    if (ours) valid++;
  }
  assert.ok(valid > 50, "the sample holds valid signatures too");
});
