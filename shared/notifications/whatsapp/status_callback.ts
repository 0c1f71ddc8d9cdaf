/**
 * Reads the form Twilio posts to the `StatusCallback` URL each time an outbound
 * message changes status (verify its `X-Twilio-Signature` first, see `signature.ts`).
 *
 * Fields used: `MessageSid`, `MessageStatus`, `AccountSid`, `From`, `To` and, for
 * `failed`/`undelivered`, `ErrorCode` (e.g. 63016 for a freeform message outside the
 * 24-hour window, reported after Twilio accepted it). Twilio may add fields; they are
 * ignored.
 *
 * @module
 */
import { type FailureReason, reasonForErrorCode } from "./errors.ts";

/** Twilio's message statuses. */
export const MESSAGE_STATUSES = [
  "accepted",
  "scheduled",
  "canceled",
  "queued",
  "sending",
  "sent",
  "failed",
  "delivered",
  "undelivered",
  "receiving",
  "received",
  "read",
  "partially_delivered",
] as const;

/** One of {@link MESSAGE_STATUSES}. */
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** A status change, read from the callback's form. */
export type StatusUpdate = {
  messageSid: string;
  accountSid: string;
  status: MessageStatus;
  to: string;
  from: string;
  /** Present for `failed`/`undelivered`. */
  errorCode?: number;
  reason?: FailureReason;
};

/** Reads a status callback; undefined when a required field is missing or unknown. */
export function parseStatusCallback(form: URLSearchParams): StatusUpdate | undefined {
  const messageSid = form.get("MessageSid") ?? form.get("SmsSid");
  const status = form.get("MessageStatus") ?? form.get("SmsStatus");
  const accountSid = form.get("AccountSid");
  if (!messageSid || !/^(SM|MM)[0-9a-fA-F]{32}$/.test(messageSid)) return undefined;
  if (!accountSid || !status || !isMessageStatus(status)) return undefined;
  const update: StatusUpdate = {
    messageSid,
    accountSid,
    status,
    to: form.get("To") ?? "",
    from: form.get("From") ?? "",
  };
  const code = Number(form.get("ErrorCode"));
  if (form.get("ErrorCode") && Number.isInteger(code) && code > 0) {
    update.errorCode = code;
    update.reason = reasonForErrorCode(code);
  }
  return update;
}

function isMessageStatus(value: string): value is MessageStatus {
  return (MESSAGE_STATUSES as readonly string[]).includes(value);
}
