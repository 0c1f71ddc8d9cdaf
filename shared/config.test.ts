import assert from "node:assert/strict";
import { ConfigError, loadConfig, LOCAL_JWT_SECRET } from "./config.ts";
import { twilioSettings } from "./notifications/whatsapp/settings.ts";

Deno.test("loadConfig() defaults to development on port 8000 with the embedded database", () => {
  const config = loadConfig({});
  assert.equal(config.appEnv, "development");
  assert.equal(config.port, 8000);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.jwtSecret, LOCAL_JWT_SECRET);
  assert.equal(config.jwtIssuer, "http://localhost:8000/auth/v1");
  assert.equal(config.seedDemo, true);
  assert.deepEqual(config.corsAllowedOrigins, []);
});

Deno.test("loadConfig() names every invalid variable and what it got", () => {
  let text = "";
  try {
    loadConfig({ PORT: "eighty", DATABASE_URL: "mysql://x", APP_ENV: "prod" });
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    text = error.message;
  }
  assert.match(text, /PORT: .*"eighty"/);
  assert.match(text, /DATABASE_URL: must start with postgres:\/\//);
  assert.match(text, /APP_ENV: /);
});

Deno.test("loadConfig() refuses production without a JWT key or database, or with the local secret", () => {
  assert.throws(
    () => loadConfig({ APP_ENV: "production" }),
    /SUPABASE_JWT_SECRET or JWKS_URL.*\n.*DATABASE_URL/,
  );
  assert.throws(
    () =>
      loadConfig({
        APP_ENV: "production",
        SUPABASE_JWT_SECRET: LOCAL_JWT_SECRET,
        DATABASE_URL: "postgres://h/db",
      }),
    /public local secret/,
  );
  const ok = loadConfig({
    APP_ENV: "production",
    SUPABASE_DB_URL: "postgresql://h:6543/postgres",
    JWKS_URL: "https://ref.supabase.co/auth/v1/.well-known/jwks.json",
    SUPABASE_URL: "https://ref.supabase.co/",
  });
  assert.equal(ok.jwtSecret, undefined);
  assert.equal(ok.databaseUrl, "postgresql://h:6543/postgres");
  assert.equal(ok.jwtIssuer, "https://ref.supabase.co/auth/v1");
  assert.equal(ok.seedDemo, false);
});

Deno.test("loadConfig() splits CORS origins and treats empty variables as unset", () => {
  const config = loadConfig({ CORS_ALLOWED_ORIGINS: " https://a.sn ,https://b.sn,, ", PORT: "" });
  assert.deepEqual(config.corsAllowedOrigins, ["https://a.sn", "https://b.sn"]);
  assert.equal(config.port, 8000);
  assert.throws(
    () => loadConfig({ SUPABASE_JWT_SECRET: "short" }),
    /SUPABASE_JWT_SECRET: must be at least 32/,
  );
});

const SID = "AC" + "0123456789abcdef".repeat(2);

Deno.test("loadConfig() leaves Twilio unconfigured by default and the server still boots", () => {
  const config = loadConfig({});
  assert.deepEqual(config.twilio, {
    accountSid: undefined,
    authToken: undefined,
    whatsappFrom: undefined,
    apiBaseUrl: "https://api.twilio.com",
    statusCallbackUrl: undefined,
    webhookBaseUrl: "http://localhost:8000/functions/v1",
  });
  const settings = twilioSettings(config.twilio);
  assert.equal(settings.configured, false);
  assert.ok(!settings.configured && settings.status === "not_configured");
  assert.deepEqual(!settings.configured && settings.missing, [
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_WHATSAPP_FROM",
  ]);
});

Deno.test("loadConfig() reads Twilio settings and normalises the sender to E.164", () => {
  const config = loadConfig({
    TWILIO_ACCOUNT_SID: SID,
    TWILIO_AUTH_TOKEN: "secret",
    TWILIO_WHATSAPP_FROM: "whatsapp:+1 415 523 8886",
    TWILIO_API_BASE_URL: "http://127.0.0.1:4010/",
    TWILIO_STATUS_CALLBACK_URL: "https://ref.supabase.co/functions/v1/twilio-webhook",
  });
  assert.deepEqual(twilioSettings(config.twilio), {
    configured: true,
    accountSid: SID,
    authToken: "secret",
    from: "+14155238886",
    apiBaseUrl: "http://127.0.0.1:4010",
    statusCallbackUrl: "https://ref.supabase.co/functions/v1/twilio-webhook",
  });
});

Deno.test("loadConfig() validates Twilio variables when present", () => {
  assert.throws(
    () => loadConfig({ TWILIO_ACCOUNT_SID: "SK" + "0".repeat(32) }),
    /TWILIO_ACCOUNT_SID: must be AC followed by 32 hex digits/,
  );
  assert.throws(
    () => loadConfig({ TWILIO_WHATSAPP_FROM: "77 123 45 67" }),
    /TWILIO_WHATSAPP_FROM: must be a phone number in E.164/,
  );
  assert.throws(() => loadConfig({ TWILIO_WHATSAPP_FROM: "+2217712" }), /TWILIO_WHATSAPP_FROM/);
  assert.throws(() => loadConfig({ TWILIO_API_BASE_URL: "api.twilio.com" }), /TWILIO_API_BASE_URL/);
  assert.throws(
    () => loadConfig({ TWILIO_ACCOUNT_SID: SID }),
    /TWILIO_AUTH_TOKEN: required when TWILIO_ACCOUNT_SID is set\n.*TWILIO_WHATSAPP_FROM: required/,
  );
});
