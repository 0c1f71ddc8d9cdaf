import assert from "node:assert/strict";
import { parseStatusCallback } from "./status_callback.ts";

const SID = "SM" + "0123456789abcdef".repeat(2);
const ACCOUNT = "AC" + "fedcba9876543210".repeat(2);

Deno.test("parseStatusCallback() reads a delivery and a read receipt", () => {
  const form = new URLSearchParams({
    MessageSid: SID,
    SmsSid: SID,
    MessageStatus: "delivered",
    SmsStatus: "delivered",
    AccountSid: ACCOUNT,
    From: "whatsapp:+14155238886",
    To: "whatsapp:+221771234567",
    ApiVersion: "2010-04-01",
    ChannelPrefix: "whatsapp",
  });
  assert.deepEqual(parseStatusCallback(form), {
    messageSid: SID,
    accountSid: ACCOUNT,
    status: "delivered",
    from: "whatsapp:+14155238886",
    to: "whatsapp:+221771234567",
  });
  form.set("MessageStatus", "read");
  assert.equal(parseStatusCallback(form)?.status, "read");
});

Deno.test("parseStatusCallback() classifies a failure's ErrorCode", () => {
  const update = parseStatusCallback(
    new URLSearchParams({
      MessageSid: SID,
      MessageStatus: "failed",
      AccountSid: ACCOUNT,
      ErrorCode: "63016",
    }),
  );
  assert.equal(update?.errorCode, 63016);
  assert.equal(update?.reason, "outside_session_window");
});

Deno.test("parseStatusCallback() refuses forms without a message SID, status or account", () => {
  const ok = { MessageSid: SID, MessageStatus: "sent", AccountSid: ACCOUNT };
  assert.ok(parseStatusCallback(new URLSearchParams(ok)));
  assert.equal(parseStatusCallback(new URLSearchParams({ ...ok, MessageSid: "SM1" })), undefined);
  assert.equal(
    parseStatusCallback(new URLSearchParams({ ...ok, MessageStatus: "lost" })),
    undefined,
  );
  const { AccountSid: _, ...noAccount } = ok;
  assert.equal(parseStatusCallback(new URLSearchParams(noAccount)), undefined);
});
