/**
 * `X-Twilio-Signature`: how Twilio signs the webhooks it sends (status callbacks,
 * inbound messages), and how we check them.
 *
 * Twilio takes the full URL it requested (scheme, host, path and query string), appends
 * every POST parameter sorted by name as `name` + `value` with no separators, signs that
 * string with HMAC-SHA1 keyed by the account's auth token, and sends the base64 digest.
 * Like Twilio's own SDK validator, we accept the URL with or without the default port
 * (`:443`/`:80`), since which one Twilio signed depends on how the URL was configured.
 *
 * Written with Web Crypto rather than the `twilio` SDK so the webhook function does not
 * load the SDK; `signature.test.ts` checks both agree. The comparison is
 * `crypto.subtle.verify`, which compares in constant time.
 *
 * @module
 */

/** The header Twilio puts the signature in. */
export const SIGNATURE_HEADER = "X-Twilio-Signature";

/** POST parameters as received: a form, or a name → value(s) record. */
export type SignedParams = URLSearchParams | Record<string, string | readonly string[]>;

const encoder = new TextEncoder();

/** The string Twilio signs: the URL followed by the sorted parameters. */
export function signedPayload(url: string, params: SignedParams = {}): string {
  const record = toRecord(params);
  let data = url;
  for (const name of Object.keys(record).sort()) {
    const value = record[name];
    if (typeof value === "string") data += name + value;
    else for (const v of [...new Set(value)].sort()) data += name + v;
  }
  return data;
}

/** Computes the signature Twilio would send for this URL and these parameters. */
export async function computeSignature(
  authToken: string,
  url: string,
  params: SignedParams = {},
): Promise<string> {
  const key = await hmacKey(authToken);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(signedPayload(url, params)));
  return base64(new Uint8Array(mac));
}

/**
 * True when `signature` (the `X-Twilio-Signature` header) is Twilio's signature of this
 * request. A missing or malformed header is simply invalid.
 */
export async function verifySignature(
  authToken: string,
  signature: string | null | undefined,
  url: string,
  params: SignedParams = {},
): Promise<boolean> {
  if (!signature || authToken.length === 0) return false;
  const bytes = fromBase64(signature);
  if (!bytes || bytes.length !== 20) return false;
  const key = await hmacKey(authToken);
  for (const candidate of urlVariants(url)) {
    const data = encoder.encode(signedPayload(candidate, params));
    if (await crypto.subtle.verify("HMAC", key, bytes, data)) return true;
  }
  return false;
}

/** The URL as given, without its port and with the scheme's default port. */
export function urlVariants(url: string): string[] {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (!match) return [url];
  const [, scheme, authority, rest] = match;
  const at = authority.lastIndexOf("@");
  const userInfo = authority.slice(0, at + 1);
  const hostPort = authority.slice(at + 1);
  const colon = hostPort.indexOf(":", hostPort.lastIndexOf("]") + 1);
  const host = colon === -1 ? hostPort : hostPort.slice(0, colon);
  const withoutPort = scheme + userInfo + host + rest;
  const defaultPort = scheme.toLowerCase() === "https://" ? ":443" : ":80";
  const withPort = colon === -1 ? scheme + userInfo + host + defaultPort + rest : url;
  return [...new Set([url, withoutPort, withPort])];
}

function toRecord(params: SignedParams): Record<string, string | readonly string[]> {
  if (!(params instanceof URLSearchParams)) return params;
  const record: Record<string, string[]> = {};
  for (const [name, value] of params) (record[name] ??= []).push(value);
  return Object.fromEntries(
    Object.entries(record).map((
      [name, values],
    ) => [name, values.length === 1 ? values[0] : values]),
  );
}

function hmacKey(authToken: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(authToken),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign", "verify"],
  );
}

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  try {
    const bytes = Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
    // Only the canonical, padded form Twilio sends (as the SDK's exact comparison).
    return base64(bytes) === text ? bytes : undefined;
  } catch {
    return undefined;
  }
}
