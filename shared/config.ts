/**
 * Configuration read from the environment once, validated at boot.
 *
 * A missing or invalid variable stops the process with a message naming it, instead of
 * failing later on the first request that needs it.
 *
 * @module
 */
import { z } from "zod";
import { type E164, toE164 } from "./notifications/whatsapp/phone.ts";

/** Supabase CLI's well-known local JWT secret: accepted only outside production. */
export const LOCAL_JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long";

const csv = z.string().transform((s) =>
  s.split(",").map((part) => part.trim()).filter((part) => part.length > 0)
);
const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const EnvSchema = z.object({
  APP_ENV: z.enum(["development", "test", "staging", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must start with postgres://").optional(),
  SUPABASE_DB_URL: z.string().regex(/^postgres(ql)?:\/\//, "must start with postgres://")
    .optional(),
  PGLITE_DATA_DIR: z.string().min(1).default(".data/pglite"),
  PGLITE_PORT: z.coerce.number().int().min(0).max(65535).default(54322),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  SUPABASE_URL: z.url().default("http://localhost:8000"),
  SUPABASE_JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).default("authenticated"),
  JWKS_URL: z.url().optional(),
  JWT_EXPIRY_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  CORS_ALLOWED_ORIGINS: csv.default([]),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  AUTH_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(60),
  AUTH_RATE_LIMIT_PER_USER: z.coerce.number().int().min(1).default(10),
  AUTH_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60),
  LOG_REQUESTS: bool.default(true),
  SEED_DEMO: bool.optional(),
  TWILIO_ACCOUNT_SID: z.string().regex(
    /^AC[0-9a-fA-F]{32}$/,
    "must be AC followed by 32 hex digits",
  )
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_WHATSAPP_FROM: z.string().transform((value, ctx) => {
    const e164 = toE164(value, "US");
    if (!value.replace(/^whatsapp:/i, "").trim().startsWith("+") || !e164) {
      ctx.addIssue({ code: "custom", message: "must be a phone number in E.164 (+14155238886)" });
      return z.NEVER;
    }
    return e164;
  }).optional(),
  TWILIO_API_BASE_URL: z.url().default("https://api.twilio.com"),
  TWILIO_STATUS_CALLBACK_URL: z.url().optional(),
  TWILIO_WEBHOOK_BASE_URL: z.url().optional(),
  // The approved WhatsApp template of alert messages, sent outside the 24-hour window.
  TWILIO_CONTENT_SID_ALERTS: z.string().regex(
    /^HX[0-9a-fA-F]{32}$/,
    "must be HX followed by 32 hex digits (a Content Template SID)",
  ).optional(),
});

/** Twilio settings; the three credentials are all set or all absent (then nothing is sent). */
export type TwilioConfig = {
  accountSid: string | undefined;
  authToken: string | undefined;
  /** The WhatsApp sender, in E.164. */
  whatsappFrom: E164 | undefined;
  /** `https://api.twilio.com`, or a local fake in tests. */
  apiBaseUrl: string;
  statusCallbackUrl: string | undefined;
  /**
   * Public URL the functions are reached under (`https://<ref>.supabase.co/functions/v1`),
   * which Twilio signs; default `SUPABASE_URL` + `/functions/v1`.
   */
  webhookBaseUrl: string;
  /**
   * ContentSid (`HX…`) of the approved alert template, used outside the 24-hour window
   * (`{{1}}` alert count, `{{2}}` shop, `{{3}}` most urgent alert). Absent: only freeform
   * messages can be sent, and a message outside the window fails (63016).
   */
  alertsContentSid?: string;
};

export type Config = {
  appEnv: "development" | "test" | "staging" | "production";
  port: number;
  /** Real Postgres URL, or undefined for the embedded PGlite database. */
  databaseUrl: string | undefined;
  pgliteDataDir: string;
  /** Loopback port of the embedded database's socket (psql can connect there); 0 = any. */
  pglitePort: number;
  databasePoolMax: number;
  supabaseUrl: string;
  jwtSecret: string | undefined;
  jwtIssuer: string;
  jwtAudience: string;
  jwksUrl: string | undefined;
  jwtExpirySeconds: number;
  corsAllowedOrigins: string[];
  bodyLimitBytes: number;
  authRateLimitPerIp: number;
  authRateLimitPerUser: number;
  authRateLimitWindowSeconds: number;
  logRequests: boolean;
  /** Load supabase/seed.sql at local-server boot (default: only in development). */
  seedDemo: boolean;
  twilio: TwilioConfig;
};

/** Raised when the environment is incomplete or invalid; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads and validates the configuration from `env` (defaults to the process env). */
export function loadConfig(env: Record<string, string | undefined> = Deno.env.toObject()): Config {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) =>
        `${issue.path.join(".")}: ${issue.message} (got ${
          JSON.stringify(cleaned[String(issue.path[0])] ?? null)
        })`
      ),
    );
  }
  const e = parsed.data;
  const production = e.APP_ENV === "production" || e.APP_ENV === "staging";
  const problems: string[] = [];
  let jwtSecret = e.SUPABASE_JWT_SECRET;
  if (!jwtSecret && !e.JWKS_URL) {
    if (production) {
      problems.push("SUPABASE_JWT_SECRET or JWKS_URL: one is required when APP_ENV=" + e.APP_ENV);
    } else jwtSecret = LOCAL_JWT_SECRET;
  }
  if (production && jwtSecret === LOCAL_JWT_SECRET) {
    problems.push("SUPABASE_JWT_SECRET: the public local secret may not be used in " + e.APP_ENV);
  }
  if (production && !(e.DATABASE_URL ?? e.SUPABASE_DB_URL)) {
    problems.push("DATABASE_URL: required when APP_ENV=" + e.APP_ENV);
  }
  const twilioVars = {
    TWILIO_ACCOUNT_SID: e.TWILIO_ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: e.TWILIO_AUTH_TOKEN,
    TWILIO_WHATSAPP_FROM: e.TWILIO_WHATSAPP_FROM,
  };
  const twilioSet = Object.entries(twilioVars).filter(([, value]) => value !== undefined);
  if (twilioSet.length > 0 && twilioSet.length < 3) {
    for (const [name, value] of Object.entries(twilioVars)) {
      if (value === undefined) {
        const names = twilioSet.map(([n]) => n);
        problems.push(
          `${name}: required when ${names.join(" and ")} ${names.length > 1 ? "are" : "is"} set`,
        );
      }
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const supabaseUrl = e.SUPABASE_URL.replace(/\/+$/, "");
  return {
    appEnv: e.APP_ENV,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL ?? e.SUPABASE_DB_URL,
    pgliteDataDir: e.PGLITE_DATA_DIR,
    pglitePort: e.PGLITE_PORT,
    databasePoolMax: e.DATABASE_POOL_MAX,
    supabaseUrl,
    jwtSecret,
    jwtIssuer: e.JWT_ISSUER ?? `${supabaseUrl}/auth/v1`,
    jwtAudience: e.JWT_AUDIENCE,
    jwksUrl: e.JWKS_URL,
    jwtExpirySeconds: e.JWT_EXPIRY_SECONDS,
    corsAllowedOrigins: e.CORS_ALLOWED_ORIGINS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    authRateLimitPerIp: e.AUTH_RATE_LIMIT_PER_IP,
    authRateLimitPerUser: e.AUTH_RATE_LIMIT_PER_USER,
    authRateLimitWindowSeconds: e.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    logRequests: e.LOG_REQUESTS,
    seedDemo: e.SEED_DEMO ?? e.APP_ENV === "development",
    twilio: {
      accountSid: e.TWILIO_ACCOUNT_SID,
      authToken: e.TWILIO_AUTH_TOKEN,
      whatsappFrom: e.TWILIO_WHATSAPP_FROM,
      apiBaseUrl: e.TWILIO_API_BASE_URL.replace(/\/+$/, ""),
      statusCallbackUrl: e.TWILIO_STATUS_CALLBACK_URL,
      webhookBaseUrl: (e.TWILIO_WEBHOOK_BASE_URL ?? `${supabaseUrl}/functions/v1`).replace(
        /\/+$/,
        "",
      ),
      ...(e.TWILIO_CONTENT_SID_ALERTS ? { alertsContentSid: e.TWILIO_CONTENT_SID_ALERTS } : {}),
    },
  };
}
