import assert from "node:assert/strict";
import { z } from "@hono/zod-openapi";
import { parseSort } from "./crud.ts";
import { line, paragraph, phone, toE164, xof } from "./fields.ts";

Deno.test("toE164() reads numbers without a country code as Senegalese", () => {
  assert.equal(toE164("77 123 45 67"), "+221771234567");
  assert.equal(toE164("771234567"), "+221771234567");
  assert.equal(toE164("33 821 10 01"), "+221338211001");
  assert.equal(toE164("00221 78 111 22 33"), "+221781112233");
  assert.equal(toE164("+221 76 000 00 00"), "+221760000000");
});

Deno.test("toE164() keeps foreign numbers and refuses what is not a number", () => {
  assert.equal(toE164("+33 6 12 34 56 78"), "+33612345678");
  for (const bad of ["", "123", "77 12", "+221 77 123 45 67 89", "appelez-moi", "+999 1234"]) {
    assert.equal(toE164(bad), null, bad);
  }
});

Deno.test("phone schema normalises, or fails with a French message", () => {
  assert.equal(phone.parse(" 70 555 12 34 "), "+221705551234");
  const result = phone.safeParse("12");
  assert.equal(result.success, false);
  assert.match(result.error!.issues[0].message, /numéro de téléphone invalide/);
  assert.equal(phone.safeParse("7".repeat(33)).success, false);
});

Deno.test("xof accepts integers from 0 to 10^12 only", () => {
  for (const ok of [0, 1, 17500, 1e12]) assert.equal(xof.parse(ok), ok);
  for (const bad of [-1, 0.5, 1e12 + 1, Infinity, NaN, "100", null]) {
    assert.equal(xof.safeParse(bad).success, false, String(bad));
  }
});

Deno.test("line() trims and refuses control characters; paragraph() allows line breaks", () => {
  const name = line(10);
  assert.equal(name.parse("  Riz  "), "Riz");
  for (const bad of ["", "   ", "a\nb", "a\u0000b", "x".repeat(11)]) {
    assert.equal(name.safeParse(bad).success, false, JSON.stringify(bad));
  }
  const notes = paragraph(20);
  assert.equal(notes.parse(" mardi\r\net vendredi\t"), "mardi\r\net vendredi");
  assert.equal(notes.safeParse("a\u0000b").success, false);
  assert.equal(z.object({ n: notes }).safeParse({ n: "x".repeat(21) }).success, false);
});

Deno.test("parseSort() splits the key and the direction", () => {
  assert.deepEqual(parseSort("name"), { key: "name", descending: false });
  assert.deepEqual(parseSort("-updated_at"), { key: "updated_at", descending: true });
});
