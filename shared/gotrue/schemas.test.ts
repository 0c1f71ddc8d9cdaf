import assert from "node:assert/strict";
import { GoTrueError } from "./errors.ts";
import { passwordWeakness, validateEmail } from "./schemas.ts";

Deno.test("validateEmail() lower-cases good addresses and refuses what GoTrue refuses", () => {
  assert.equal(
    validateEmail("Awa.Diop+stock@Demo.Digiboost.SN"),
    "awa.diop+stock@demo.digiboost.sn",
  );
  assert.equal(validateEmail("a@b"), "a@b", "checkmail needs no dot in the domain");
  const message = (email: string) => {
    try {
      validateEmail(email);
      return "accepted";
    } catch (error) {
      assert.ok(error instanceof GoTrueError);
      assert.equal(error.errorCode, "validation_failed");
      return error.message;
    }
  };
  assert.equal(message(""), "An email address is required");
  assert.equal(message(`${"a".repeat(251)}@b.sn`), "An email address is too long");
  for (const bad of ["awa", "awa@", "@demo.sn", "awa diop@demo.sn", "awa@-demo.sn"]) {
    assert.equal(message(bad), "Unable to validate email address: invalid format", bad);
  }
});

Deno.test("passwordWeakness() counts bytes: under 6 is weak, over 72 is refused", () => {
  assert.deepEqual(passwordWeakness("12345"), {
    message: "Password should be at least 6 characters.",
    reasons: ["length"],
  });
  assert.equal(passwordWeakness("123456"), undefined);
  assert.equal(passwordWeakness("ééé"), undefined, "three characters, six bytes");
  assert.equal(passwordWeakness("x".repeat(72)), undefined);
  assert.throws(() => passwordWeakness("x".repeat(73)), /cannot be longer than 72/);
  assert.throws(() => passwordWeakness("é".repeat(37)), /cannot be longer than 72/);
});
