import assert from "node:assert/strict";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { loadConfig } from "../config.ts";
import { ApiError } from "../http/errors.ts";
import { createTokenVerifier, signAccessToken } from "./jwt.ts";

const config = loadConfig({ APP_ENV: "test" });
const claims = {
  sub: "a0000000-0000-4000-8000-000000000001",
  role: "authenticated",
  tenant_id: "t1",
};

Deno.test("createTokenVerifier() accepts a token signed by signAccessToken()", async () => {
  const verify = createTokenVerifier(config);
  const verified = await verify(await signAccessToken(claims, config));
  assert.equal(verified.sub, claims.sub);
  assert.equal(verified.tenant_id, "t1");
  assert.equal(verified.aud, "authenticated");
});

Deno.test("createTokenVerifier() answers 401 token_expired for an expired token", async () => {
  const verify = createTokenVerifier(config);
  const expired = await signAccessToken(claims, config, Math.floor(Date.now() / 1000) - 7200);
  await assert.rejects(
    () => verify(expired),
    (error: unknown) =>
      error instanceof ApiError && error.status === 401 && error.code === "token_expired",
  );
});

Deno.test("createTokenVerifier() checks asymmetric tokens against the JWKS endpoint", async () => {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "key-1", alg: "ES256", use: "sig" };
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    () => Response.json({ keys: [jwk] }),
  );
  try {
    const jwksConfig = loadConfig({
      APP_ENV: "test",
      JWKS_URL: `http://127.0.0.1:${server.addr.port}/auth/v1/.well-known/jwks.json`,
      SUPABASE_JWT_SECRET: "a-symmetric-secret-that-is-long-enough-32",
    });
    const verify = createTokenVerifier(jwksConfig);
    const sign = (key: CryptoKey, kid = "key-1") =>
      new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid })
        .setIssuer(jwksConfig.jwtIssuer).setAudience("authenticated").setExpirationTime("5m")
        .sign(key);
    assert.equal((await verify(await sign(privateKey))).sub, claims.sub);
    const other = await generateKeyPair("ES256");
    const forged = await sign(other.privateKey);
    await assert.rejects(() => verify(forged), ApiError);
    // The symmetric secret still verifies HS256 tokens alongside the JWKS.
    assert.equal((await verify(await signAccessToken(claims, jwksConfig))).sub, claims.sub);
  } finally {
    await server.shutdown();
  }
});
