/**
 * Sends WhatsApp messages through Twilio's Messages API
 * (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, Basic auth with
 * the Account SID and auth token), using the official `twilio` SDK over our
 * {@link FetchHttpClient} (configurable base URL, timeout, no hidden retries).
 *
 * Two kinds of message: freeform (`Body`), allowed within 24 hours of the recipient's
 * last message, and template (`ContentSid` + `ContentVariables` JSON), required outside
 * that window. {@link WhatsAppClient.send} never throws for a failed send: it returns
 * Twilio's SID and status, or a classified {@link SendFailure}.
 *
 * @module
 */
import twilio from "twilio";
import type { RequestClient } from "twilio";
import { classifyThrown, type SendFailure } from "./errors.ts";
import { FetchHttpClient } from "./http_client.ts";
import { parsePhone, toWhatsAppAddress } from "./phone.ts";
import type { TwilioSettings } from "./settings.ts";

/** A message to send: freeform text, or an approved template with its variables. */
export type OutboundMessage =
  & {
    /** The recipient: E.164, a number as typed, or `whatsapp:+…`. */
    to: string;
    /** Overrides the configured status callback URL. */
    statusCallbackUrl?: string;
  }
  & (
    | { kind: "freeform"; body: string }
    | { kind: "template"; contentSid: string; variables?: Record<string, string> }
  );

/** What Twilio answered when it accepted the message. */
export type SentMessage = {
  /** Twilio's message SID (`SM…`, 34 characters). */
  sid: string;
  /** Twilio's status, normally `queued` (later ones arrive by status callback). */
  status: string;
  to: string;
};

/** The outcome of one send. */
export type SendResult = { ok: true; message: SentMessage } | { ok: false; failure: SendFailure };

/** Options beyond the configuration. */
export type WhatsAppClientOptions = {
  /** Per-request timeout in milliseconds (default 10 s, well inside an Edge Function's budget). */
  timeoutMs?: number;
  fetch?: typeof fetch;
};

type Configured = Extract<TwilioSettings, { configured: true }>;

/** Sends WhatsApp messages with one Twilio account and sender. */
export class WhatsAppClient {
  readonly #settings: Configured;
  readonly #http: FetchHttpClient;
  readonly #twilio: ReturnType<typeof twilio>;

  constructor(settings: Configured, options: WhatsAppClientOptions = {}) {
    this.#settings = settings;
    this.#http = new FetchHttpClient({
      baseUrl: settings.apiBaseUrl,
      timeoutMs: options.timeoutMs ?? 10_000,
      fetch: options.fetch,
    });
    this.#twilio = twilio(settings.accountSid, settings.authToken, {
      httpClient: this.#http as unknown as RequestClient,
      autoRetry: false,
    });
  }

  /** HTTP requests sent so far (one per send: the client never retries by itself). */
  get requestCount(): number {
    return this.#http.requests;
  }

  /** Sends one message; resolves to Twilio's SID and status or a classified failure. */
  async send(message: OutboundMessage): Promise<SendResult> {
    const parsed = parsePhone(message.to);
    if (!parsed.ok) {
      return {
        ok: false,
        failure: {
          retryable: false,
          reason: "invalid_number",
          message: `Expected a valid WhatsApp number in E.164, got ${JSON.stringify(message.to)}`,
        },
      };
    }
    const to = toWhatsAppAddress(parsed.e164);
    const statusCallback = message.statusCallbackUrl ?? this.#settings.statusCallbackUrl;
    try {
      const created = await this.#twilio.messages.create({
        to,
        from: toWhatsAppAddress(this.#settings.from),
        ...(message.kind === "freeform" ? { body: message.body } : {
          contentSid: message.contentSid,
          ...(message.variables ? { contentVariables: JSON.stringify(message.variables) } : {}),
        }),
        ...(statusCallback ? { statusCallback } : {}),
      });
      return { ok: true, message: { sid: created.sid, status: created.status, to } };
    } catch (error) {
      return { ok: false, failure: classifyThrown(error) };
    }
  }
}
