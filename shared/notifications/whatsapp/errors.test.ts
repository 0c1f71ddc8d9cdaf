import assert from "node:assert/strict";
import {
  classifyThrown,
  classifyTwilioError,
  reasonForErrorCode,
  TransportError,
} from "./errors.ts";

Deno.test("classifyTwilioError() retries 429 and 5xx", () => {
  assert.deepEqual(
    classifyTwilioError({
      httpStatus: 429,
      code: 20429,
      message: "Too Many Requests",
      moreInfo: "https://www.twilio.com/docs/errors/20429",
    }),
    {
      retryable: true,
      reason: "rate_limited",
      httpStatus: 429,
      code: 20429,
      message: "Too Many Requests",
      moreInfo: "https://www.twilio.com/docs/errors/20429",
    },
  );
  for (const httpStatus of [500, 502, 503, 504]) {
    const failure = classifyTwilioError({ httpStatus });
    assert.equal(failure.retryable, true, String(httpStatus));
    assert.equal(failure.reason, "twilio_unavailable");
    assert.equal(failure.message, `Twilio answered HTTP ${httpStatus}`);
  }
});

Deno.test("classifyTwilioError() never retries invalid numbers, opt-outs, closed windows or other 4xx", () => {
  const cases: [number, number | undefined, string][] = [
    [400, 21211, "invalid_number"],
    [400, 21610, "opted_out"],
    [400, 63016, "outside_session_window"],
    [401, 20003, "authentication"],
    [400, 21604, "rejected"],
    [404, 20404, "rejected"],
    [403, undefined, "rejected"],
  ];
  for (const [httpStatus, code, reason] of cases) {
    const failure = classifyTwilioError({ httpStatus, code, message: "m" });
    assert.equal(failure.retryable, false, `${httpStatus} ${code}`);
    assert.equal(failure.reason, reason, `${httpStatus} ${code}`);
    assert.equal(failure.code, code);
  }
});

Deno.test("reasonForErrorCode() reads error codes from status callbacks", () => {
  assert.equal(reasonForErrorCode(63016), "outside_session_window");
  assert.equal(reasonForErrorCode(21610), "opted_out");
  assert.equal(reasonForErrorCode(30008), "rejected");
});

Deno.test("classifyThrown() reads the SDK's exceptions and transport errors", () => {
  const restException = Object.assign(new Error("Attempt to send to unsubscribed recipient"), {
    status: 400,
    code: 21610,
    moreInfo: "https://www.twilio.com/docs/errors/21610",
  });
  assert.deepEqual(classifyThrown(restException), {
    retryable: false,
    reason: "opted_out",
    httpStatus: 400,
    code: 21610,
    message: "Attempt to send to unsubscribed recipient",
    moreInfo: "https://www.twilio.com/docs/errors/21610",
  });
  assert.deepEqual(classifyThrown(new TransportError("timeout", "no answer within 10000 ms")), {
    retryable: true,
    reason: "timeout",
    message: "no answer within 10000 ms",
  });
  assert.equal(classifyThrown(new TypeError("fetch failed")).reason, "network");
  assert.equal(classifyThrown(new TypeError("fetch failed")).retryable, true);
});
