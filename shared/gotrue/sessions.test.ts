import assert from "node:assert/strict";
import { newRefreshToken, type RefreshTokenRow, reuseWindowClosed } from "./sessions.ts";

Deno.test("newRefreshToken() makes 12 lower-case base32 characters, never twice the same", () => {
  const tokens = new Set(Array.from({ length: 1000 }, () => newRefreshToken()));
  assert.equal(tokens.size, 1000);
  for (const token of tokens) assert.match(token, /^[a-z2-7]{12}$/);
});

Deno.test("reuseWindowClosed() allows a revoked token for 10 s after its revocation", () => {
  const revokedAt = Date.parse("2026-11-25T10:00:00Z");
  const token = { updated_at: new Date(revokedAt).toISOString() } as RefreshTokenRow;
  assert.equal(reuseWindowClosed(token, revokedAt + 10_000), false);
  assert.equal(reuseWindowClosed(token, revokedAt + 10_001), true);
});
