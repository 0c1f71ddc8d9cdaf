/**
 * A local stand-in for Twilio's Messages API, for tests: `Deno.serve` on a free port,
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, checking requests the way
 * Twilio does and answering with Twilio's JSON shapes.
 *
 * Checks, in Twilio's order of concern: Basic auth against the configured SID and token
 * (401, code 20003); `To` (21604), `From` (21603), and `Body` or `ContentSid` (21602)
 * present; both addresses on the `whatsapp:` channel (21910); `To` a valid E.164 number
 * and different from `From` (21211); `From` valid (21212); `Body` ≤ 1,600 characters
 * (21617); `ContentSid` shaped `HX` + 32 hex (21655) and `ContentVariables` a JSON object
 * of non-empty single-line strings (21656). Then the scripted conditions: opted-out
 * numbers (21610) and numbers outside their session window, which refuse a freeform
 * `Body` (63016). A success is 201 with a message resource (`sid` `SM…`, 34 characters,
 * `status` `queued`…); an error is `{code, message, more_info, status}`.
 *
 * Scripts: {@link FakeTwilio.failNext} answers the next n requests with 429 or 5xx
 * bursts before any check, {@link FakeTwilio.delayNext} holds answers (timeouts), and
 * every request is recorded in {@link FakeTwilio.requests} for assertions.
 *
 * @module
 */
import { isE164 } from "../../shared/notifications/whatsapp/phone.ts";

/** A request as the fake received it. */
export type RecordedRequest = {
  method: string;
  path: string;
  authorization: string | null;
  contentType: string | null;
  form: Record<string, string>;
  /** The HTTP status the fake answered. */
  status: number;
};

/** Twilio's error body. */
export type TwilioErrorBody = { code: number; message: string; more_info: string; status: number };

/** Options of {@link startFakeTwilio}. */
export type FakeTwilioOptions = { accountSid: string; authToken: string };

const ERROR_TEXT: Record<number, string> = {
  20003: "Authenticate",
  20429: "Too Many Requests",
  20500: "Internal Server Error",
  20503: "Service Unavailable",
  21602: "Message body is required.",
  21603: "A 'From' phone number is required.",
  21604: "A 'To' phone number is required.",
  21610: "Attempt to send to unsubscribed recipient",
  21617: "The concatenated message body exceeds the 1600 character limit.",
  21655: "The ContentSid is Invalid.",
  21656: "The ContentVariables Parameter is invalid.",
  21910: "Invalid From and To pair. From and To should be of the same channel",
  63016: "Failed to send freeform message because you are outside the allowed window. " +
    "If you are using WhatsApp, please use a Message Template.",
};

/** A running fake Twilio. */
export class FakeTwilio {
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Base URL to configure as `TWILIO_API_BASE_URL`. */
  readonly url: string;
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  readonly #options: FakeTwilioOptions;
  readonly #optedOut = new Set<string>();
  readonly #outsideWindow = new Set<string>();
  readonly #failures: number[] = [];
  readonly #delays: number[] = [];
  /** Held answers: their timers and how to release them at once. */
  readonly #pending = new Map<ReturnType<typeof setTimeout>, () => void>();

  constructor(server: Deno.HttpServer<Deno.NetAddr>, url: string, options: FakeTwilioOptions) {
    this.#server = server;
    this.url = url;
    this.#options = options;
  }

  /** The recipient (E.164) has sent STOP: sends to it fail with 21610. */
  optOut(e164: string): void {
    this.#optedOut.add(e164);
  }

  /** The recipient has not written in 24 hours: freeform sends fail with 63016. */
  closeSessionWindow(e164: string): void {
    this.#outsideWindow.add(e164);
  }

  /** The next `count` requests get `status` (429 or 5xx) before any check. */
  failNext(status: 429 | 500 | 502 | 503, count = 1): void {
    for (let i = 0; i < count; i++) this.#failures.push(status);
  }

  /** Twilio is back: the failures still scripted are dropped. */
  recover(): void {
    this.#failures.length = 0;
  }

  /** The next request's answer is held for `ms` milliseconds. */
  delayNext(ms: number): void {
    this.#delays.push(ms);
  }

  /** Requests that created a message (201). */
  get sent(): RecordedRequest[] {
    return this.requests.filter((request) => request.status === 201);
  }

  /** Stops the server (held answers are released first, so shutdown does not wait). */
  async close(): Promise<void> {
    for (const [timer, release] of this.#pending) {
      clearTimeout(timer);
      release();
    }
    this.#pending.clear();
    await this.#server.shutdown();
  }

  /** Handles one request (exposed for `Deno.serve`). */
  async handle(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    const contentType = request.headers.get("content-type");
    const text = await request.text();
    const form = Object.fromEntries(new URLSearchParams(text));
    const response = this.#answer(request, path, contentType, form);
    this.requests.push({
      method: request.method,
      path,
      authorization: request.headers.get("authorization"),
      contentType,
      form,
      status: response.status,
    });
    const delay = this.#delays.shift();
    if (delay === undefined) return response;
    return await new Promise<Response>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(timer);
        resolve(response);
      }, delay);
      this.#pending.set(timer, () => resolve(response));
    });
  }

  #answer(
    request: Request,
    path: string,
    contentType: string | null,
    form: Record<string, string>,
  ): Response {
    const failure = this.#failures.shift();
    if (failure !== undefined) {
      return error(failure, failure === 429 ? 20429 : failure === 503 ? 20503 : 20500);
    }
    const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(path);
    if (!match) return error(404, 20404, "The requested resource was not found");
    if (request.method !== "POST") return error(405, 20004, "Method not allowed");
    if (!this.#authorised(request.headers.get("authorization"), match[1])) {
      return error(401, 20003);
    }
    if (!contentType?.startsWith("application/x-www-form-urlencoded")) {
      return error(415, 21601, "Content-Type must be application/x-www-form-urlencoded");
    }
    const { To: to, From: from, Body: body, ContentSid: contentSid } = form;
    if (!to) return error(400, 21604);
    if (!from) return error(400, 21603);
    if (!body && !contentSid) return error(400, 21602);
    if (!to.startsWith("whatsapp:") || !from.startsWith("whatsapp:")) return error(400, 21910);
    const toNumber = to.slice("whatsapp:".length);
    const fromNumber = from.slice("whatsapp:".length);
    if (!isE164(toNumber) || toNumber === fromNumber) {
      return error(400, 21211, `Invalid 'To' Phone Number: ${toNumber}`);
    }
    if (!isE164(fromNumber)) return error(400, 21212, `Invalid 'From' Phone Number: ${fromNumber}`);
    if (body && body.length > 1600) return error(400, 21617);
    if (contentSid && !/^HX[0-9a-fA-F]{32}$/.test(contentSid)) return error(400, 21655);
    if (contentSid && form.ContentVariables !== undefined) {
      if (!validContentVariables(form.ContentVariables)) return error(400, 21656);
    }
    if (this.#optedOut.has(toNumber)) return error(400, 21610);
    if (!contentSid && this.#outsideWindow.has(toNumber)) return error(400, 63016);
    return Response.json(this.#message(match[1], form), { status: 201 });
  }

  #authorised(header: string | null, pathSid: string): boolean {
    if (!header?.startsWith("Basic ")) return false;
    let decoded: string;
    try {
      decoded = new TextDecoder().decode(
        Uint8Array.from(atob(header.slice(6)), (c) => c.charCodeAt(0)),
      );
    } catch {
      return false;
    }
    const colon = decoded.indexOf(":");
    const [sid, token] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    return colon > 0 && sid === this.#options.accountSid && token === this.#options.authToken &&
      pathSid === sid;
  }

  #message(accountSid: string, form: Record<string, string>) {
    const sid = "SM" + crypto.randomUUID().replaceAll("-", "");
    const now = new Date().toUTCString().replace("GMT", "+0000");
    const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
    return {
      account_sid: accountSid,
      api_version: "2010-04-01",
      body: form.Body ?? "",
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: "outbound-api",
      error_code: null,
      error_message: null,
      from: form.From,
      messaging_service_sid: null,
      num_media: "0",
      num_segments: "1",
      price: null,
      price_unit: null,
      sid,
      status: "queued",
      subresource_uris: { media: uri.replace(".json", "/Media.json") },
      to: form.To,
      uri,
    };
  }
}

/** Starts a fake Twilio on a free loopback port. */
export function startFakeTwilio(options: FakeTwilioOptions): Promise<FakeTwilio> {
  let fake: FakeTwilio | undefined;
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: () => {},
    }, (request) => fake!.handle(request));
    fake = new FakeTwilio(server, `http://127.0.0.1:${server.addr.port}`, options);
    resolve(fake);
  });
}

/** Twilio's error answer. */
function error(status: number, code: number, message = ERROR_TEXT[code] ?? "Error"): Response {
  const body: TwilioErrorBody = {
    code,
    message,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  };
  return Response.json(body, { status });
}

function validContentVariables(text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return false;
  return Object.values(parsed).every((value) =>
    typeof value === "string" && value.length > 0 && !/[\n\t]| {5,}/.test(value)
  );
}
