/**
 * Whether WhatsApp sending is configured. Without Twilio credentials the server still
 * starts; the dispatcher asks {@link twilioSettings} and, when it answers
 * `not_configured`, leaves notifications queued with that status instead of failing them.
 *
 * @module
 */
import type { TwilioConfig } from "../../config.ts";
import type { E164 } from "./phone.ts";

/** Everything needed to send, or why sending is off. */
export type TwilioSettings =
  | {
    configured: true;
    accountSid: string;
    authToken: string;
    from: E164;
    apiBaseUrl: string;
    statusCallbackUrl: string | undefined;
  }
  | { configured: false; status: "not_configured"; missing: string[]; message: string };

/** Reads the Twilio part of the configuration. */
export function twilioSettings(config: TwilioConfig): TwilioSettings {
  const { accountSid, authToken, whatsappFrom } = config;
  if (accountSid && authToken && whatsappFrom) {
    return {
      configured: true,
      accountSid,
      authToken,
      from: whatsappFrom,
      apiBaseUrl: config.apiBaseUrl,
      statusCallbackUrl: config.statusCallbackUrl ?? defaultStatusCallback(config.webhookBaseUrl),
    };
  }
  const missing = [
    ["TWILIO_ACCOUNT_SID", accountSid],
    ["TWILIO_AUTH_TOKEN", authToken],
    ["TWILIO_WHATSAPP_FROM", whatsappFrom],
  ].filter(([, value]) => !value).map(([name]) => name!);
  return {
    configured: false,
    status: "not_configured",
    missing,
    message: `WhatsApp sending is off: set ${missing.join(", ")}; notifications stay queued.`,
  };
}

/**
 * Without TWILIO_STATUS_CALLBACK_URL, Twilio reports delivery to our own `twilio-webhook`
 * function under the public functions URL — unless that URL is local (Twilio cannot reach
 * localhost, and a development setup should not hand it a dead address).
 */
function defaultStatusCallback(webhookBaseUrl: string): string | undefined {
  const host = new URL(webhookBaseUrl).hostname;
  if (host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host === "::1") {
    return undefined;
  }
  return `${webhookBaseUrl}/twilio-webhook/status`;
}
