/**
 * The real @supabase/supabase-js client against the local server: sign-up, sign-in,
 * current user, refresh, Edge Function calls with the session's token, sign-out.
 * This is the contract the dashboard relies on locally.
 */
import assert from "node:assert/strict";
import { AuthApiError, AuthWeakPasswordError, createClient } from "@supabase/supabase-js";
import { decodeJwt, SignJWT } from "jose";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();

/** An anon key as the Supabase CLI mints it: role anon, signed with the project secret. */
const anonKey = await new SignJWT({ iss: "supabase-demo", role: "anon" })
  .setProtectedHeader({ alg: "HS256", typ: "JWT" })
  .setExpirationTime("10y")
  .sign(new TextEncoder().encode(stack.config.jwtSecret!));

const newClient = () =>
  createClient(stack.url, anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });

const email = () => `supabase-js-${crypto.randomUUID().slice(0, 8)}@test.digiboost.sn`;
const PASSWORD = "Yassa-Poulet-2026";

type Me = {
  user_id: string;
  email: string;
  current_tenant: { id: string; role: string } | null;
  tenants: { id: string; name: string; role: string }[];
};

Deno.test("supabase-js signs up, signs in, reads the user, refreshes and calls functions", async () => {
  const supabase = newClient();
  const address = email();

  const signUp = await supabase.auth.signUp({ email: address, password: PASSWORD });
  assert.equal(signUp.error, null);
  assert.ok(signUp.data.session, "auto-confirmed: sign-up returns a session");
  assert.equal(signUp.data.user?.email, address);
  const userId = signUp.data.user!.id;

  const signIn = await supabase.auth.signInWithPassword({ email: address, password: PASSWORD });
  assert.equal(signIn.error, null);
  assert.equal(signIn.data.user?.id, userId);
  assert.equal(signIn.data.session?.token_type, "bearer");

  const { data: current, error: userError } = await supabase.auth.getUser();
  assert.equal(userError, null);
  assert.equal(current.user?.id, userId);
  assert.equal(current.user?.email, address);

  const before = signIn.data.session!;
  const refreshed = await supabase.auth.refreshSession();
  assert.equal(refreshed.error, null);
  assert.notEqual(refreshed.data.session?.refresh_token, before.refresh_token);
  assert.equal(
    decodeJwt(refreshed.data.session!.access_token).session_id,
    decodeJwt(before.access_token).session_id,
  );

  const empty = await supabase.functions.invoke<Me>("api/v1/me", { method: "GET" });
  assert.equal(empty.error, null);
  assert.equal(empty.data?.user_id, userId);
  assert.deepEqual(empty.data?.tenants, []);

  const created = await supabase.functions.invoke<{ id: string; name: string; role: string }>(
    "api/v1/tenants",
    { body: { name: "Boutique Test" } },
  );
  assert.equal(created.error, null);
  assert.equal(created.data?.name, "Boutique Test");
  assert.equal(created.data?.role, "owner");

  const mine = await supabase.functions.invoke<Me>("api/v1/me", { method: "GET" });
  assert.deepEqual(mine.data?.tenants.map((t) => [t.name, t.role]), [["Boutique Test", "owner"]]);

  // A new access token carries the tenant the hook found.
  const again = await supabase.auth.refreshSession();
  assert.equal(again.error, null);
  const claims = decodeJwt(again.data.session!.access_token);
  assert.equal(claims.tenant_id, created.data?.id);
  assert.equal(claims.tenant_role, "owner");
  const scoped = await supabase.functions.invoke<Me>("api/v1/me", { method: "GET" });
  assert.deepEqual(scoped.data?.current_tenant, { id: created.data?.id, role: "owner" });

  const lastToken = again.data.session!.access_token;
  const signOut = await supabase.auth.signOut();
  assert.equal(signOut.error, null);
  const { data: afterSession } = await supabase.auth.getSession();
  assert.equal(afterSession.session, null);
  const stale = await supabase.auth.getUser(lastToken);
  assert.ok(stale.error, "the signed-out session's token no longer reads the user");
  assert.equal(stale.data.user, null);
  const [sessions] = await stack.sql`select count(*)::int as n from auth.sessions
    where user_id = ${userId}`;
  assert.equal(sessions.n, 0, "signOut() is global: every session is gone");
});

Deno.test("supabase-js reads GoTrue's error codes: invalid credentials, weak password, taken address", async () => {
  const supabase = newClient();
  const address = email();
  assert.equal((await supabase.auth.signUp({ email: address, password: PASSWORD })).error, null);
  await supabase.auth.signOut();

  const wrong = await supabase.auth.signInWithPassword({ email: address, password: "pas-le-bon" });
  assert.ok(wrong.error instanceof AuthApiError);
  assert.equal(wrong.error.status, 400);
  assert.equal(wrong.error.code, "invalid_credentials");
  assert.equal(wrong.error.message, "Invalid login credentials");

  const weak = await supabase.auth.signUp({ email: email(), password: "123" });
  assert.ok(weak.error instanceof AuthWeakPasswordError);
  assert.equal(weak.error.code, "weak_password");
  assert.deepEqual(weak.error.reasons, ["length"]);

  const taken = await supabase.auth.signUp({ email: address, password: PASSWORD });
  assert.equal(taken.error?.code, "user_already_exists");
  assert.equal(taken.error?.status, 422);

  const unauthenticated = await supabase.functions.invoke("api/v1/me", { method: "GET" });
  assert.ok(unauthenticated.error, "the anon key alone is refused by the API");
  assert.equal((unauthenticated.error.context as Response).status, 401);
  await (unauthenticated.error.context as Response).body?.cancel();
});

Deno.test("close the stack", async () => {
  await stack.close();
});
