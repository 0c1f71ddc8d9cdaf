/**
 * The local GoTrue subset under /auth/v1, endpoint by endpoint, against GoTrue's own
 * bodies and error shapes. Every test uses its own e-mail addresses and its own client
 * IP (X-Forwarded-For), so the rate limiters of one test never see another's requests.
 */
import assert from "node:assert/strict";
import bcrypt from "bcryptjs";
import { decodeJwt } from "jose";
import { call, createTenant } from "./helpers/fixtures.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack({ AUTH_RATE_LIMIT_PER_IP: "20", AUTH_RATE_LIMIT_PER_USER: "5" });
const { sql, url } = stack;

const PASSWORD = "Thieboudienne-2026";

type Session = {
  access_token: string;
  token_type: string;
  expires_in: number;
  expires_at: number;
  refresh_token: string;
  user: {
    id: string;
    email: string;
    aud: string;
    role: string;
    email_confirmed_at?: string;
    app_metadata: Record<string, unknown>;
    user_metadata: Record<string, unknown>;
    identities: { provider: string; user_id: string }[];
    is_anonymous: boolean;
  };
};
type LegacyError = { code: number; error_code: string; msg: string };

const octet = () => Math.floor(Math.random() * 254) + 1;
const email = () => `gotrue-${crypto.randomUUID().slice(0, 8)}@test.digiboost.sn`;

/** A client with its own IP address, as the gateway would report it. */
function client() {
  const ip = `10.${octet()}.${octet()}.${octet()}`;
  const headers = (extra: Record<string, string> = {}) => ({ "x-forwarded-for": ip, ...extra });
  return {
    ip,
    post: <T = Record<string, unknown>>(
      path: string,
      body: unknown,
      options: { token?: string; headers?: Record<string, string> } = {},
    ) =>
      call<T>(url, "POST", `/auth/v1${path}`, {
        ...options,
        body,
        headers: headers(options.headers),
      }),
    get: <T = Record<string, unknown>>(
      path: string,
      options: { token?: string; headers?: Record<string, string> } = {},
    ) => call<T>(url, "GET", `/auth/v1${path}`, { ...options, headers: headers(options.headers) }),
    async signUp(address = email(), password = PASSWORD) {
      const res = await this.post<Session>("/signup", { email: address, password });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    },
    async signIn(address: string, password = PASSWORD) {
      const res = await this.post<Session>("/token?grant_type=password", {
        email: address,
        password,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    },
    refresh: (refreshToken: string) =>
      call<Session & LegacyError>(url, "POST", "/auth/v1/token?grant_type=refresh_token", {
        body: { refresh_token: refreshToken },
        headers: headers(),
      }),
  };
}

Deno.test("POST /signup creates a confirmed user with a $2a$10$ bcrypt hash and answers a session", async () => {
  const c = client();
  const address = email();
  const before = Math.floor(Date.now() / 1000);
  const res = await c.post<Session>("/signup", {
    email: address.toUpperCase(),
    password: PASSWORD,
    data: { full_name: "Awa Ndiaye" },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const session = res.body;
  assert.equal(session.token_type, "bearer");
  assert.equal(session.expires_in, 3600);
  // Issued between `before` and now: bounded by the request's own duration, not a guess.
  const after = Math.ceil(Date.now() / 1000);
  assert.ok(session.expires_at >= before + 3600 && session.expires_at <= after + 3600);
  assert.match(session.refresh_token, /^[a-z2-7]{12}$/);
  assert.equal(session.user.email, address);
  assert.equal(session.user.aud, "authenticated");
  assert.equal(session.user.role, "authenticated");
  assert.ok(session.user.email_confirmed_at, "auto-confirmed");
  assert.deepEqual(session.user.app_metadata, { provider: "email", providers: ["email"] });
  assert.deepEqual(session.user.user_metadata, { full_name: "Awa Ndiaye", email_verified: true });
  assert.equal(session.user.identities[0].provider, "email");
  assert.equal(session.user.is_anonymous, false);

  const claims = await stack.deps.verifyToken(session.access_token);
  assert.equal(claims.sub, session.user.id);
  assert.equal(claims.iss, stack.config.jwtIssuer);
  assert.equal(claims.aud, "authenticated");
  assert.equal(claims.role, "authenticated");
  assert.equal(claims.email, address);
  assert.equal(claims.phone, "");
  assert.equal(claims.aal, "aal1");
  assert.equal(claims.is_anonymous, false);
  assert.deepEqual((claims.amr as { method: string }[]).map((a) => a.method), ["password"]);
  assert.equal(claims.exp, session.expires_at);
  assert.equal(claims.tenant_id, undefined, "no membership, no tenant claim");

  const [row] = await sql<{ encrypted_password: string }[]>`
    select encrypted_password from auth.users where id = ${session.user.id}`;
  assert.match(row.encrypted_password, /^\$2a\$10\$[./A-Za-z0-9]{53}$/);
  assert.ok(await bcrypt.compare(PASSWORD, row.encrypted_password));
  const [live] = await sql`select count(*)::int as n from auth.sessions
    where id = ${claims.session_id!} and user_id = ${session.user.id}`;
  assert.equal(live.n, 1);
});

Deno.test("POST /signup refuses bad input and taken addresses with GoTrue's errors, never a 500", async () => {
  const c = client();
  const taken = (await c.signUp()).user.email;

  const duplicate = await c.post<LegacyError>("/signup", { email: taken, password: PASSWORD });
  assert.equal(duplicate.status, 422);
  assert.deepEqual(duplicate.body, {
    code: 422,
    error_code: "user_already_exists",
    msg: "User already registered",
  });
  assert.equal(duplicate.headers.get("x-sb-error-code"), "user_already_exists");
  assert.equal(duplicate.headers.get("x-supabase-api-version"), null);

  // supabase-js sends X-Supabase-Api-Version: 2024-01-01 and reads `code` from this shape.
  const versioned = await c.post("/signup", { email: taken.toUpperCase(), password: PASSWORD }, {
    headers: { "X-Supabase-Api-Version": "2024-01-01" },
  });
  assert.equal(versioned.status, 422);
  assert.deepEqual(versioned.body, {
    code: "user_already_exists",
    message: "User already registered",
  });
  assert.equal(versioned.headers.get("x-supabase-api-version"), "2024-01-01");

  const weak = await c.post("/signup", { email: email(), password: "12345" });
  assert.equal(weak.status, 422);
  assert.deepEqual(weak.body, {
    code: 422,
    error_code: "weak_password",
    msg: "Password should be at least 6 characters.",
    weak_password: { reasons: ["length"] },
  });

  const cases: [unknown, number, string, string][] = [
    [
      { email: "pas-une-adresse", password: PASSWORD },
      400,
      "validation_failed",
      "Unable to validate email address: invalid format",
    ],
    [
      { email: `${"a".repeat(251)}@x.sn`, password: PASSWORD },
      400,
      "validation_failed",
      "An email address is too long",
    ],
    [{ email: email() }, 400, "validation_failed", "Signup requires a valid password"],
    [
      { email: email(), password: "x".repeat(73) },
      400,
      "validation_failed",
      "Password cannot be longer than 72 characters",
    ],
    [
      { email: email(), phone: "+221771234567", password: PASSWORD },
      400,
      "validation_failed",
      "Only an email address or phone number should be provided on signup.",
    ],
    [
      { phone: "+221771234567", password: PASSWORD },
      400,
      "phone_provider_disabled",
      "Phone signups are disabled",
    ],
    [{ password: PASSWORD }, 422, "anonymous_provider_disabled", "Anonymous sign-ins are disabled"],
  ];
  for (const [body, status, code, msg] of cases) {
    const res = await c.post<LegacyError>("/signup", body);
    assert.deepEqual(
      { status: res.status, body: res.body },
      { status, body: { code: status, error_code: code, msg } },
    );
  }

  for (const raw of ["{not json", "", '{"email": 12, "password": "x"}', '{"data": "x"}']) {
    const res = await call<LegacyError>(url, "POST", "/auth/v1/signup", {
      raw,
      headers: { "content-type": "application/json", "x-forwarded-for": c.ip },
    });
    assert.equal(res.status, 400, raw);
    assert.equal(res.body.error_code, "bad_json", raw);
    assert.match(res.body.msg, /^Could not parse request body as JSON: /);
  }
  const [count] =
    await sql`select count(*)::int as n from auth.users where lower(email) = ${taken}`;
  assert.equal(count.n, 1);
});

Deno.test("password grant signs in; a wrong password and an unknown e-mail get the same 400", async () => {
  const c = client();
  const signedUp = await c.signUp();
  const session = await c.signIn(signedUp.user.email.toUpperCase());
  assert.equal(session.user.id, signedUp.user.id);
  assert.notEqual(session.refresh_token, signedUp.refresh_token);
  assert.notEqual(
    decodeJwt(session.access_token).session_id,
    decodeJwt(signedUp.access_token).session_id,
    "each sign-in is a new session",
  );

  const expected = {
    code: 400,
    error_code: "invalid_credentials",
    msg: "Invalid login credentials",
  };
  const wrong = await c.post("/token?grant_type=password", {
    email: signedUp.user.email,
    password: "Mauvais-mot-de-passe",
  });
  const unknown = await c.post("/token?grant_type=password", {
    email: email(),
    password: PASSWORD,
  });
  assert.deepEqual({ status: wrong.status, body: wrong.body }, { status: 400, body: expected });
  assert.deepEqual({ status: unknown.status, body: unknown.body }, { status: 400, body: expected });

  const missing = await c.post("/token?grant_type=password", { password: PASSWORD });
  assert.deepEqual(missing.body, {
    code: 400,
    error_code: "validation_failed",
    msg: "missing email or phone",
  });
  const grant = await c.post("/token?grant_type=magic", {});
  assert.deepEqual(grant.body, {
    code: 400,
    error_code: "invalid_credentials",
    msg: "unsupported_grant_type",
  });
});

Deno.test("refresh_token grant rotates: the new token works, a revoked one is refused and ends the session", async () => {
  const c = client();
  const first = await c.signUp();
  const sessionId = decodeJwt(first.access_token).session_id;

  const second = await c.refresh(first.refresh_token);
  assert.equal(second.status, 200, JSON.stringify(second.body));
  assert.notEqual(second.body.refresh_token, first.refresh_token);
  assert.equal(decodeJwt(second.body.access_token).session_id, sessionId, "same session");
  assert.equal(second.body.user.id, first.user.id);
  const [old] = await sql`select revoked, parent from auth.refresh_tokens
    where token = ${first.refresh_token}`;
  assert.equal(old.revoked, true, "the used token is revoked");
  const [child] = await sql`select revoked, parent from auth.refresh_tokens
    where token = ${second.body.refresh_token}`;
  assert.deepEqual({ ...child }, { revoked: false, parent: first.refresh_token });

  // GoTrue lets a client that lost the last answer replay it: it gets the same token.
  const replay = await c.refresh(first.refresh_token);
  assert.equal(replay.status, 200);
  assert.equal(replay.body.refresh_token, second.body.refresh_token);

  const third = await c.refresh(second.body.refresh_token);
  assert.equal(third.status, 200, "the new token works");

  // The first token is now two rotations old; past GoTrue's 10 s reuse interval it is
  // refused, and every token of the session is revoked.
  await sql`update auth.refresh_tokens set updated_at = now() - interval '1 minute'
    where token = ${first.refresh_token}`;
  const reuse = await c.refresh(first.refresh_token);
  assert.equal(reuse.status, 400);
  assert.deepEqual(reuse.body, {
    code: 400,
    error_code: "refresh_token_already_used",
    msg: "Invalid Refresh Token: Already Used",
  });
  const [live] = await sql`select count(*)::int as n from auth.refresh_tokens
    where session_id = ${sessionId as string} and revoked = false`;
  assert.equal(live.n, 0, "the whole session's tokens are revoked");

  const unknown = await c.refresh("abcdefghijkl");
  assert.deepEqual(unknown.body, {
    code: 400,
    error_code: "refresh_token_not_found",
    msg: "Invalid Refresh Token: Refresh Token Not Found",
  });
  const empty = await c.refresh("");
  assert.deepEqual(
    { status: empty.status, body: empty.body },
    {
      status: 400,
      body: { error: "invalid_request", error_description: "refresh_token required" },
    },
  );
});

Deno.test("GET /user answers the user for a valid token; 401 without one, 403 for a bad one", async () => {
  const c = client();
  const session = await c.signUp();
  const me = await c.get<Session["user"]>("/user", { token: session.access_token });
  assert.equal(me.status, 200);
  assert.equal(me.body.id, session.user.id);
  assert.equal(me.body.email, session.user.email);
  assert.equal("encrypted_password" in me.body, false);

  const none = await c.get("/user");
  assert.deepEqual({ status: none.status, body: none.body }, {
    status: 401,
    body: {
      code: 401,
      error_code: "no_authorization",
      msg: "This endpoint requires a valid Bearer token",
    },
  });
  const forged = await c.get<LegacyError>("/user", { token: `${session.access_token}x` });
  assert.equal(forged.status, 403);
  assert.equal(forged.body.error_code, "bad_jwt");
  assert.match(forged.body.msg, /^invalid JWT: unable to parse or verify signature, /);
});

Deno.test("POST /logout deletes sessions by scope and revokes their refresh tokens", async () => {
  const c = client();
  const address = (await c.signUp()).user.email;
  const a = await c.signIn(address);
  const b = await c.signIn(address);
  const d = await c.signIn(address);

  const bad = await c.post<LegacyError>("/logout?scope=everywhere", null, {
    token: a.access_token,
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.msg, 'Unsupported logout scope "everywhere"');

  const local = await c.post("/logout?scope=local", null, { token: a.access_token });
  assert.equal(local.status, 204);
  assert.equal((await c.refresh(a.refresh_token)).body.error_code, "refresh_token_not_found");
  const gone = await c.get<LegacyError>("/user", { token: a.access_token });
  assert.deepEqual({ status: gone.status, code: gone.body.error_code }, {
    status: 403,
    code: "session_not_found",
  });
  assert.equal((await c.get("/user", { token: b.access_token })).status, 200);

  const others = await c.post("/logout?scope=others", null, { token: b.access_token });
  assert.equal(others.status, 204);
  assert.equal((await c.refresh(d.refresh_token)).status, 400, "the other session is gone");
  const kept = await c.refresh(b.refresh_token);
  assert.equal(kept.status, 200, "the caller's own session stays");

  const global = await c.post("/logout", null, { token: kept.body.access_token });
  assert.equal(global.status, 204);
  assert.equal((await c.refresh(kept.body.refresh_token)).status, 400);
  const [left] = await sql`select count(*)::int as n from auth.sessions
    where user_id = ${a.user.id}`;
  assert.equal(left.n, 0);
});

Deno.test("sign-ins over the per-e-mail or per-IP limit and sign-ups over the per-IP limit are 429", async () => {
  // Per e-mail (limit 5): each attempt from another IP, so only the e-mail counts.
  const target = (await client().signUp()).user.email;
  for (let i = 0; i < 5; i++) {
    const res = await client().post("/token?grant_type=password", {
      email: target,
      password: "nope-nope",
    });
    assert.equal(res.status, 400);
  }
  const limited = await client().post("/token?grant_type=password", {
    email: target,
    password: PASSWORD,
  });
  assert.equal(limited.status, 429);
  assert.deepEqual(limited.body, {
    code: 429,
    error_code: "over_request_rate_limit",
    msg: "Request rate limit reached",
  });
  const retryAfter = Number(limited.headers.get("retry-after"));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);

  // Per IP (limit 20): different e-mails, one address.
  const c = client();
  for (let i = 0; i < 20; i++) {
    const res = await c.post("/token?grant_type=password", { email: email(), password: PASSWORD });
    assert.equal(res.status, 400);
  }
  const blocked = await c.post(
    "/token?grant_type=password",
    { email: email(), password: PASSWORD },
    {
      headers: { "X-Supabase-Api-Version": "2024-01-01" },
    },
  );
  assert.equal(blocked.status, 429);
  assert.deepEqual(blocked.body, {
    code: "over_request_rate_limit",
    message: "Request rate limit reached",
  });
  assert.ok(blocked.headers.get("retry-after"));

  // Sign-ups per IP (limit 20), counted apart from sign-ins.
  const s = client();
  for (let i = 0; i < 20; i++) {
    const res = await s.post("/signup", { email: "invalide", password: PASSWORD });
    assert.equal(res.status, 400);
  }
  assert.equal((await s.post("/signup", { email: email(), password: PASSWORD })).status, 429);
});

Deno.test("the custom access token hook puts tenant_id and tenant_role in the token of a member", async () => {
  const c = client();
  const first = await c.signUp();
  assert.equal(decodeJwt(first.access_token).tenant_id, undefined);
  const tenantId = await createTenant(sql, { id: first.user.id, email: first.user.email });

  const session = await c.signIn(first.user.email);
  const claims = await stack.deps.verifyToken(session.access_token);
  assert.equal(claims.tenant_id, tenantId);
  assert.equal(claims.tenant_role, "owner");

  const refreshed = await c.refresh(session.refresh_token);
  const after = await stack.deps.verifyToken(refreshed.body.access_token);
  assert.equal(after.tenant_id, tenantId, "refreshed tokens run the hook too");

  const me = await call<{ current_tenant: { id: string; role: string } }>(
    url,
    "GET",
    "/api/v1/me",
    {
      token: session.access_token,
    },
  );
  assert.equal(me.status, 200);
  assert.deepEqual(me.body.current_tenant, { id: tenantId, role: "owner" });
});

Deno.test("the hook gets GoTrue's input as supabase_auth_admin; its claims are signed, its errors answered", async () => {
  const [{ def }] = await sql<{ def: string }[]>`
    select pg_get_functiondef('public.custom_access_token_hook(jsonb)'::regprocedure) as def`;
  await sql.unsafe(`
    create table public.hook_calls (event jsonb, called_as text);
    grant insert on public.hook_calls to supabase_auth_admin;
    create or replace function public.custom_access_token_hook(event jsonb) returns jsonb
    language plpgsql as $$
    begin
      insert into public.hook_calls values (event, current_user);
      if event -> 'claims' ->> 'email' like 'suspendu-%' then
        return jsonb_build_object('error',
          jsonb_build_object('http_code', 403, 'message', 'Compte suspendu'));
      end if;
      return jsonb_set(event, '{claims,plan}', '"pro"');
    end
    $$;`);
  try {
    const c = client();
    const session = await c.signUp();
    const refreshed = await c.refresh(session.refresh_token);
    type HookEvent = {
      user_id: string;
      authentication_method: string;
      metadata: { name: string };
      claims: { session_id: string; email: string };
    };
    const calls = await sql<{ event: HookEvent; called_as: string }[]>`
      select event, called_as from public.hook_calls`;
    assert.equal(calls.length, 2);
    const [signIn, refresh] = calls;
    assert.equal(signIn.called_as, "supabase_auth_admin");
    assert.equal(signIn.event.user_id, session.user.id);
    assert.equal(signIn.event.authentication_method, "password");
    assert.equal(refresh.event.authentication_method, "token_refresh");
    assert.equal(signIn.event.metadata.name, "customize-access-token");
    assert.equal(signIn.event.claims.session_id, decodeJwt(session.access_token).session_id);
    assert.equal(signIn.event.claims.email, session.user.email);
    assert.equal(decodeJwt(session.access_token).plan, "pro", "the hook's claims are signed");
    assert.equal(decodeJwt(refreshed.body.access_token).plan, "pro");

    const refused = await c.post("/signup", { email: `suspendu-${email()}`, password: PASSWORD });
    assert.deepEqual({ status: refused.status, body: refused.body }, {
      status: 403,
      body: { code: 403, error_code: "unknown", msg: "Compte suspendu" },
    });
  } finally {
    await sql.unsafe(def);
    await sql`drop table public.hook_calls`;
  }
});

Deno.test("settings, JWKS and unknown routes answer as GoTrue does", async () => {
  const c = client();
  const settings = await c.get<{ external: Record<string, boolean>; mailer_autoconfirm: boolean }>(
    "/settings",
  );
  assert.equal(settings.status, 200);
  assert.equal(settings.body.external.email, true);
  assert.equal(settings.body.external.google, false);
  assert.equal(settings.body.mailer_autoconfirm, true);
  const keys = await c.get("/.well-known/jwks.json");
  assert.deepEqual({ status: keys.status, body: keys.body }, { status: 200, body: { keys: [] } });
  assert.equal((await c.get("/signup")).status, 405);
  assert.equal((await c.get("/nowhere")).status, 404);
});

Deno.test("close the stack", async () => {
  await stack.close();
});
