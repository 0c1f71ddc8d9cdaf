/**
 * Access tokens as GoTrue issues them (`GenerateAccessToken` in
 * `internal/tokens/service.go`): the standard claims, then the custom access token
 * hook (`public.custom_access_token_hook`) called in the same transaction exactly as
 * GoTrue's Postgres hook dispatcher calls it, then an HS256 signature over the claims
 * the hook returned. Also the session response `{access_token, token_type, …, user}`.
 *
 * @module
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { signAccessToken } from "../auth/jwt.ts";
import type { Config } from "../config.ts";
import type { Tx } from "../db/client.ts";
import { GoTrueError } from "./errors.ts";
import { createRefreshToken, createSession, type SessionRow } from "./sessions.ts";
import { touchLastSignIn, userJson, type UserRow } from "./users.ts";

/** How the user authenticated, as GoTrue names it in the hook input. */
export type AuthenticationMethod = "password" | "token_refresh";

/** The configuration token issuance needs. */
export type TokenConfig = Pick<Config, "jwtSecret" | "jwtIssuer" | "jwtExpirySeconds">;

/** GoTrue's session response. */
export type SessionResponse = {
  access_token: string;
  token_type: "bearer";
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: Record<string, unknown>;
  weak_password?: { message: string; reasons: string[] };
};

// Claims the hook must return, with their JSON types (GoTrue's MinimumViableTokenSchema).
const REQUIRED_CLAIMS: Record<string, string[]> = {
  aud: ["string", "array"],
  exp: ["integer"],
  iat: ["integer"],
  sub: ["string"],
  email: ["string"],
  phone: ["string"],
  role: ["string"],
  aal: ["string"],
  session_id: ["string"],
  is_anonymous: [],
};
const TYPED_CLAIMS: Record<string, string[]> = {
  ...REQUIRED_CLAIMS,
  jti: ["string"],
  iss: ["string"],
  nbf: ["integer"],
  app_metadata: ["object"],
  user_metadata: ["object"],
  amr: ["array"],
  client_id: ["string"],
};

/** Creates a session with its first refresh token and access token (sign-up, sign-in). */
export async function issueSession(
  tx: Tx,
  config: TokenConfig,
  user: UserRow,
  options: { method: AuthenticationMethod; ip?: string },
): Promise<SessionResponse> {
  const session = await createSession(tx, user.id);
  const refreshToken = await createRefreshToken(tx, session);
  const signedIn = await touchLastSignIn(tx, user.id);
  const access = await generateAccessToken(tx, config, signedIn, session, options);
  return sessionResponse(access, refreshToken, signedIn);
}

/** The body GoTrue answers a successful grant with. */
export function sessionResponse(
  access: { token: string; expiresAt: number; expiresIn: number },
  refreshToken: string,
  user: UserRow,
): SessionResponse {
  return {
    access_token: access.token,
    token_type: "bearer",
    expires_in: access.expiresIn,
    expires_at: access.expiresAt,
    refresh_token: refreshToken,
    user: userJson(user),
  };
}

/** Builds the claims, runs the hook and signs what it returns. */
export async function generateAccessToken(
  tx: Tx,
  config: TokenConfig,
  user: UserRow,
  session: SessionRow,
  options: { method: AuthenticationMethod; ip?: string },
): Promise<{ token: string; expiresAt: number; expiresIn: number }> {
  if (!config.jwtSecret) {
    throw new GoTrueError(500, "", "Local auth signs HS256 tokens: set SUPABASE_JWT_SECRET");
  }
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + config.jwtExpirySeconds;
  const claims = {
    iss: config.jwtIssuer,
    sub: user.id,
    aud: user.aud ?? "authenticated",
    exp,
    iat,
    email: user.email ?? "",
    phone: user.phone ?? "",
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role ?? "authenticated",
    aal: session.aal ?? "aal1",
    amr: [{ method: "password", timestamp: epochSeconds(session.created_at) }],
    session_id: session.id,
    is_anonymous: user.is_anonymous ?? false,
  };
  const hooked = await runAccessTokenHook(tx, {
    metadata: {
      uuid: crypto.randomUUID(),
      time: new Date().toISOString(),
      name: "customize-access-token",
      ...(options.ip ? { ip_address: options.ip } : {}),
    },
    user_id: user.id,
    claims,
    authentication_method: options.method,
  });
  const issuer = typeof hooked.iss === "string" ? hooked.iss : config.jwtIssuer;
  const audience = Array.isArray(hooked.aud) ? String(hooked.aud[0]) : String(hooked.aud);
  const token = await signAccessToken(
    hooked as Record<string, unknown> & { sub: string },
    {
      jwtSecret: config.jwtSecret,
      jwtIssuer: issuer,
      jwtAudience: audience,
      jwtExpirySeconds: Number(hooked.exp) - Number(hooked.iat),
    },
    Number(hooked.iat),
  );
  return { token, expiresAt: exp, expiresIn: exp - Math.floor(Date.now() / 1000) };
}

/**
 * Calls the hook as GoTrue does (`[auth.hook.custom_access_token]` pointing at
 * `public.custom_access_token_hook`): `select <hook>(input)` under a 2 s statement timeout,
 * in the caller's transaction (which runs as `supabase_auth_admin`). A returned
 * `{"error":{"http_code":…,"message":…}}` becomes that HTTP error; claims missing or
 * not matching GoTrue's minimal schema are a 500, as in GoTrue.
 */
export async function runAccessTokenHook(
  tx: Tx,
  input: { user_id: string; claims: Record<string, unknown>; [key: string]: unknown },
): Promise<Record<string, unknown>> {
  await tx`set local statement_timeout to '2000'`;
  const [row] = await tx<{ output: unknown }[]>`
    select public.custom_access_token_hook(${JSON.stringify(input)}::text::jsonb) as output`;
  await tx`set local statement_timeout to default`;
  const output = row?.output as Record<string, unknown> | null;
  const hookError = output?.error as { http_code?: number; message?: string } | undefined;
  if (hookError && typeof hookError === "object" && hookError.message) {
    const status = hookError.http_code && hookError.http_code >= 400 && hookError.http_code < 600
      ? hookError.http_code
      : 500;
    throw new GoTrueError(status as ContentfulStatusCode, "", hookError.message);
  }
  if (!output || typeof output !== "object" || !("claims" in output)) {
    throw new GoTrueError(500, "", "output claims field is missing");
  }
  const claims = output.claims;
  if (!claims || typeof claims !== "object" || Array.isArray(claims)) {
    throw new GoTrueError(500, "", "output claims do not conform to the expected schema");
  }
  const problems = claimProblems(claims as Record<string, unknown>);
  if (problems.length > 0) {
    throw new GoTrueError(
      500,
      "",
      `output claims do not conform to the expected schema: \n${
        problems.map((p) => `- ${p}\n`).join("")
      }`,
    );
  }
  return claims as Record<string, unknown>;
}

function claimProblems(claims: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(REQUIRED_CLAIMS)) {
    if (!(name in claims)) problems.push(`(root): ${name} is required`);
  }
  for (const [name, types] of Object.entries(TYPED_CLAIMS)) {
    if (!(name in claims) || types.length === 0) continue;
    if (!types.includes(jsonType(claims[name]))) {
      problems.push(`${name}: Invalid type. Expected: ${types.join(" or ")}`);
    }
  }
  return problems;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function epochSeconds(timestamp: string): number {
  return Math.floor(new Date(timestamp).getTime() / 1000);
}
