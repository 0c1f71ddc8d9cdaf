import assert from "node:assert/strict";
import {
  fromWhatsAppAddress,
  InvalidPhoneNumberError,
  isE164,
  parsePhone,
  toE164,
  toWhatsAppAddress,
} from "./phone.ts";

Deno.test("toE164() reads a Senegalese number as people type it", () => {
  for (
    const typed of [
      "77 123 45 67",
      "771234567",
      "77.123.45.67",
      "77-123-45-67",
      "+221 77 123 45 67",
      "00221 77 123 45 67",
      " +221771234567 ",
    ]
  ) {
    assert.equal(toE164(typed), "+221771234567", typed);
  }
  assert.equal(toE164("33 821 00 00"), "+221338210000", "a Dakar landline");
});

Deno.test("toE164() keeps foreign numbers written with their country code", () => {
  assert.equal(toE164("+1 415 523 8886"), "+14155238886");
  assert.equal(toE164("+33 6 12 34 56 78"), "+33612345678");
  assert.equal(toE164("06 12 34 56 78", "FR"), "+33612345678");
});

Deno.test("parsePhone() says why a text is not a number", () => {
  assert.deepEqual(parsePhone("   "), { ok: false, problem: "empty", input: "   " });
  assert.deepEqual(parsePhone("bonjour"), { ok: false, problem: "not_a_number", input: "bonjour" });
  assert.deepEqual(parsePhone("77 12"), { ok: false, problem: "invalid", input: "77 12" });
  assert.equal(parsePhone("77 123 45 67 89").ok, false, "too many digits");
  assert.equal(parsePhone("+221 12 345 67 89").ok, false, "no Senegalese number starts with 12");
});

Deno.test("isE164() accepts only the exact canonical form", () => {
  assert.equal(isE164("+221771234567"), true);
  assert.equal(isE164("221771234567"), false);
  assert.equal(isE164("+221 77 123 45 67"), false);
  assert.equal(isE164("+2217712"), false);
  assert.equal(isE164("whatsapp:+221771234567"), false);
});

Deno.test("toWhatsAppAddress() writes Twilio's channel address and refuses invalid numbers", () => {
  assert.equal(toWhatsAppAddress("77 123 45 67"), "whatsapp:+221771234567");
  assert.equal(toWhatsAppAddress("whatsapp:+221771234567"), "whatsapp:+221771234567");
  assert.equal(toWhatsAppAddress("WhatsApp:+14155238886"), "whatsapp:+14155238886");
  assert.throws(
    () => toWhatsAppAddress("12"),
    (error) => error instanceof InvalidPhoneNumberError && /got "12"/.test(error.message),
  );
});

Deno.test("fromWhatsAppAddress() reads Twilio's From/To back to E.164", () => {
  assert.equal(fromWhatsAppAddress("whatsapp:+221771234567"), "+221771234567");
  assert.equal(fromWhatsAppAddress("+221771234567"), undefined, "an SMS address");
  assert.equal(fromWhatsAppAddress("whatsapp:771234567"), undefined, "not E.164");
});
