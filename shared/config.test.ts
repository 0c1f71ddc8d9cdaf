import assert from "node:assert/strict";
import { ConfigError, loadConfig, LOCAL_JWT_SECRET } from "./config.ts";

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
