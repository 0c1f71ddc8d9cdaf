/**
 * Access-token verification with jose: HS256 with the project's JWT secret, or the
 * asymmetric keys of a JWKS endpoint. Issuer and audience are always checked; any
 * failure (expired, wrong key, `alg: none`, wrong audience…) is one 401.
 *
 * @module
 */
import {
  createRemoteJWKSet,
  errors as joseErrors,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from "jose";
import type { Config } from "../config.ts";
import { errors } from "../http/errors.ts";

/** Claims of a Supabase access token, with the tenant claims the hook adds. */
export type AccessClaims = JWTPayload & {
  sub: string;
  role: string;
  email?: string;
  session_id?: string;
  tenant_id?: string;
  tenant_role?: "owner" | "manager" | "viewer";
  [claim: string]: unknown;
};

/** Verifies access tokens for one configuration. */
export type TokenVerifier = (token: string) => Promise<AccessClaims>;

const ASYMMETRIC = ["RS256", "ES256", "EdDSA", "PS256"];

/** Creates the verifier: HS256 when a secret is configured, else the JWKS. */
export function createTokenVerifier(
  config: Pick<Config, "jwtSecret" | "jwksUrl" | "jwtIssuer" | "jwtAudience" | "supabaseUrl">,
): TokenVerifier {
  const secret = config.jwtSecret ? new TextEncoder().encode(config.jwtSecret) : undefined;
  const jwks = config.jwksUrl || !secret
    ? createRemoteJWKSet(
      new URL(config.jwksUrl ?? `${config.supabaseUrl}/auth/v1/.well-known/jwks.json`),
    )
    : undefined;
  const options = { issuer: config.jwtIssuer, audience: config.jwtAudience };
  return async (token) => {
    try {
      const header = JSON.parse(new TextDecoder().decode(base64UrlDecode(token.split(".")[0])));
      const alg = typeof header.alg === "string" ? header.alg : "";
      let payload: JWTPayload;
      if (alg === "HS256" && secret) {
        ({ payload } = await jwtVerify(token, secret, { ...options, algorithms: ["HS256"] }));
      } else if (ASYMMETRIC.includes(alg) && jwks) {
        ({ payload } = await jwtVerify(token, jwks, { ...options, algorithms: ASYMMETRIC }));
      } else {
        throw new joseErrors.JOSEAlgNotAllowed(`alg ${alg || "(none)"} is not accepted`);
      }
      if (typeof payload.sub !== "string" || typeof payload.role !== "string") {
        throw new joseErrors.JWTClaimValidationFailed("sub and role are required", payload);
      }
      if (typeof payload.exp !== "number") {
        throw new joseErrors.JWTClaimValidationFailed("exp is required", payload);
      }
      return payload as AccessClaims;
    } catch (error) {
      const expired = error instanceof joseErrors.JWTExpired;
      throw errors.unauthenticated(
        expired ? "Votre session a expiré. Reconnectez-vous." : "Jeton d'accès invalide.",
        expired ? "token_expired" : "invalid_token",
      );
    }
  };
}

function base64UrlDecode(part: string | undefined): Uint8Array {
  if (!part) throw new Error("malformed token");
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** Signs an HS256 access token the way Supabase Auth does (for local auth and tests). */
export async function signAccessToken(
  claims: Record<string, unknown> & { sub: string },
  config: Pick<Config, "jwtSecret" | "jwtIssuer" | "jwtAudience" | "jwtExpirySeconds">,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  if (!config.jwtSecret) throw new Error("signAccessToken needs SUPABASE_JWT_SECRET");
  return await new SignJWT({ role: "authenticated", aal: "aal1", ...claims })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(config.jwtIssuer)
    .setAudience(config.jwtAudience)
    .setIssuedAt(now)
    .setExpirationTime(now + config.jwtExpirySeconds)
    .sign(new TextEncoder().encode(config.jwtSecret));
}
