/**
 * WhatsApp's 24-hour customer service window: within 24 hours of the recipient's last
 * message to us, any text (freeform `Body`) may be sent; outside it, only an approved
 * template (`ContentSid` + `ContentVariables`), or Twilio fails the message with 63016.
 *
 * @module
 */

/** Length of the window after the recipient's last inbound message. */
export const SESSION_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * How to write to someone whose last inbound message arrived at `lastInboundAt`
 * (undefined: never). A minute of margin keeps a message queued at 23:59:30 from
 * arriving after the window closed.
 */
export function messageKindFor(
  lastInboundAt: Date | null | undefined,
  now: Date,
  marginMs = 60_000,
): "freeform" | "template" {
  if (!lastInboundAt) return "template";
  const age = now.getTime() - lastInboundAt.getTime();
  return age >= 0 && age < SESSION_WINDOW_MS - marginMs ? "freeform" : "template";
}
