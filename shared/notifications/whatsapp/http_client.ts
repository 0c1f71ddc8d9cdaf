/**
 * The `httpClient` we give the `twilio` SDK: `fetch` instead of its axios client, so it
 * runs the same in Deno and Edge Functions, sends to a configurable base URL (a local fake
 * in tests) instead of `https://api.twilio.com`, and bounds every request with a timeout.
 *
 * The SDK still builds the request (path, form fields, Basic auth, headers) and reads
 * the answer (message JSON, or its error exceptions); this only moves the bytes.
 * It never retries: retries belong to the outbox and its {@link ./retry.ts | policy}.
 *
 * @module
 */
import { TransportError } from "./errors.ts";

/** The request the SDK hands to its `httpClient`. */
export type SdkRequest = {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  data?: Record<string, unknown>;
  timeout?: number;
};

/** The answer the SDK expects back. */
export type SdkResponse = { statusCode: number; body: string; headers: Record<string, string> };

/** Options of {@link FetchHttpClient}. */
export type FetchHttpClientOptions = {
  /** Replaces the scheme and host of every SDK URL (`https://api.twilio.com`). */
  baseUrl: string;
  /** Milliseconds before a request is abandoned as a timeout. */
  timeoutMs: number;
  fetch?: typeof fetch;
};

/** A `fetch`-based `httpClient` for the `twilio` SDK. */
export class FetchHttpClient {
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  /** Number of HTTP requests sent (for tests and metrics). */
  requests = 0;

  constructor(options: FetchHttpClientOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#timeoutMs = options.timeoutMs;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Sends one SDK request; rejects with a {@link TransportError} when there is no answer. */
  async request(opts: SdkRequest): Promise<SdkResponse> {
    const sdkUrl = new URL(opts.uri);
    const url = new URL(this.#baseUrl + sdkUrl.pathname + sdkUrl.search);
    for (const [name, value] of formEntries(opts.params)) url.searchParams.append(name, value);
    const headers = new Headers(opts.headers);
    if (opts.username !== undefined && opts.password !== undefined) {
      headers.set("Authorization", basicAuth(opts.username, opts.password));
    }
    const method = opts.method.toUpperCase();
    const body = opts.data && method !== "GET" && method !== "DELETE"
      ? new URLSearchParams(formEntries(opts.data))
      : undefined;
    const timeoutMs = opts.timeout ?? this.#timeoutMs;
    this.requests++;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "TimeoutError") {
        throw new TransportError("timeout", `Twilio did not answer within ${timeoutMs} ms`, {
          cause: error,
        });
      }
      const detail = error instanceof Error ? error.message : String(error);
      throw new TransportError("network", `Could not reach Twilio at ${url.origin}: ${detail}`, {
        cause: error,
      });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === "TimeoutError";
      throw new TransportError(
        timedOut ? "timeout" : "network",
        `Twilio's answer was cut short: ${error instanceof Error ? error.message : error}`,
        { cause: error },
      );
    }
    return {
      statusCode: response.status,
      body: text,
      headers: Object.fromEntries(response.headers),
    };
  }
}

/** `Basic base64(user:password)`, UTF-8 safe. */
export function basicAuth(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

function formEntries(record: Record<string, unknown> | undefined): [string, string][] {
  const entries: [string, string][] = [];
  for (const [name, value] of Object.entries(record ?? {})) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) entries.push([name, String(item)]);
  }
  return entries;
}
