/**
 * Tenancy API, route by route: valid input, invalid input (400 with field paths),
 * no token (401), wrong role (403), and the rules the database keeps (one owner at
 * least, invitations accepted once, before expiry, by the invited address).
 */
import assert from "node:assert/strict";
import { call, createTenantWithRoles, createUser, tokenFor } from "./helpers/fixtures.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

type ErrorBody = {
  error: { code: string; message: string; details?: { path: string }[]; request_id: string };
};

const paths = (body: ErrorBody) => (body.error.details ?? []).map((d) => d.path).sort();

async function tokens() {
  const t = await createTenantWithRoles(sql);
  return {
    t,
    owner: await tokenFor(config, t.owner, { tenant_id: t.id }),
    manager: await tokenFor(config, t.manager, { tenant_id: t.id }),
    viewer: await tokenFor(config, t.viewer, { tenant_id: t.id }),
  };
}

Deno.test("POST /tenants creates a tenant whose creator is owner; bad input is 400 with paths", async () => {
  const user = await createUser(sql);
  const token = await tokenFor(config, user);
  const created = await call<{ id: string; role: string; currency: string }>(
    url,
    "POST",
    "/api/v1/tenants",
    {
      token,
      body: { name: "  Boutique Médina  ", timezone: "Africa/Dakar" },
    },
  );
  assert.equal(created.status, 201);
  assert.equal(created.body.role, "owner");
  assert.equal(created.body.currency, "XOF");
  const [m] =
    await sql`select role from public.memberships where tenant_id = ${created.body.id} and user_id = ${user.id}`;
  assert.equal(m.role, "owner");
  const [t] = await sql`select name from public.tenants where id = ${created.body.id}`;
  assert.equal(t.name, "Boutique Médina");

  const invalid = await call<ErrorBody>(url, "POST", "/api/v1/tenants", {
    token,
    body: { name: "", currency: "francs", timezone: "Mars/Olympus", extra: 1 },
  });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.body.error.code, "validation_failed");
  assert.deepEqual(paths(invalid.body), ["json", "json.currency", "json.name", "json.timezone"]);

  const tooLong = await call<ErrorBody>(url, "POST", "/api/v1/tenants", {
    token,
    body: { name: "x".repeat(121) },
  });
  assert.equal(tooLong.status, 400);
  assert.deepEqual(paths(tooLong.body), ["json.name"]);

  const notJson = await call<ErrorBody>(url, "POST", "/api/v1/tenants", {
    token,
    raw: "name=Boutique",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(notJson.status, 415);
  assert.equal(notJson.body.error.code, "unsupported_media_type");
  assert.ok(notJson.body.error.request_id);
  const brokenJson = await call<ErrorBody>(url, "POST", "/api/v1/tenants", {
    token,
    raw: '{"name": ',
    headers: { "content-type": "application/json" },
  });
  assert.equal(brokenJson.status, 400);
  assert.equal((await call(url, "POST", "/api/v1/tenants", { body: { name: "X" } })).status, 401);
});

Deno.test("GET /tenants and /me list only my tenants, with my role", async () => {
  const { t, viewer } = await tokens();
  const other = await tokens();
  const list = await call<{ data: { id: string; role: string }[] }>(url, "GET", "/api/v1/tenants", {
    token: viewer,
  });
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.data.map((x) => [x.id, x.role]), [[t.id, "viewer"]]);
  assert.ok(!list.body.data.some((x) => x.id === other.t.id));
  const me = await call<{ user_id: string; current_tenant: { id: string; role: string } }>(
    url,
    "GET",
    "/api/v1/me",
    {
      token: viewer,
    },
  );
  assert.equal(me.status, 200);
  assert.deepEqual(me.body.current_tenant, { id: t.id, role: "viewer" });
  assert.equal((await call(url, "GET", "/api/v1/tenants")).status, 401);
});

Deno.test("X-Tenant-Id selects among several tenants", async () => {
  const first = await tokens();
  const second = await tokens();
  await sql`insert into public.memberships (tenant_id, user_id, role) values (${second.t.id}, ${first.t.manager.id}, 'viewer')`;
  const token = await tokenFor(config, first.t.manager, { tenant_id: first.t.id });
  const me = await call<{ current_tenant: { id: string; role: string }; tenants: unknown[] }>(
    url,
    "GET",
    "/api/v1/me",
    {
      token,
      headers: { "x-tenant-id": second.t.id },
    },
  );
  assert.deepEqual(me.body.current_tenant, { id: second.t.id, role: "viewer" });
  assert.equal(me.body.tenants.length, 2);
  const badHeader = await call<ErrorBody>(url, "GET", `/api/v1/tenants/${first.t.id}/members`, {
    token: first.owner,
    headers: { "x-tenant-id": "not-a-uuid" },
  });
  assert.equal(
    badHeader.status,
    200,
    "the path names the tenant; the header only applies without one",
  );
});

Deno.test("GET /tenants/{id}/members is for owners", async () => {
  const { t, owner, manager, viewer } = await tokens();
  const ok = await call<{ data: { user_id: string; role: string; email: string }[] }>(
    url,
    "GET",
    `/api/v1/tenants/${t.id}/members`,
    { token: owner },
  );
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body.data.map((m) => m.role).sort(), ["manager", "owner", "viewer"]);
  assert.ok(ok.body.data.every((m) => m.email.endsWith("@test.digiboost.sn")));
  for (const token of [manager, viewer]) {
    const denied = await call<ErrorBody>(url, "GET", `/api/v1/tenants/${t.id}/members`, { token });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, "insufficient_role");
  }
  assert.equal((await call(url, "GET", `/api/v1/tenants/${t.id}/members`)).status, 401);
  const badId = await call<ErrorBody>(url, "GET", `/api/v1/tenants/123/members`, { token: owner });
  assert.equal(badId.status, 400);
  assert.deepEqual(paths(badId.body), ["param.tenant_id"]);
});

Deno.test("PATCH /tenants/{id}/members/{user}: owners change roles; the last owner stays", async () => {
  const { t, owner, manager } = await tokens();
  const path = (user: string) => `/api/v1/tenants/${t.id}/members/${user}`;
  const promoted = await call<{ role: string }>(url, "PATCH", path(t.viewer.id), {
    token: owner,
    body: { role: "manager" },
  });
  assert.equal(promoted.status, 200);
  assert.equal(promoted.body.role, "manager");
  const byManager = await call(url, "PATCH", path(t.viewer.id), {
    token: manager,
    body: { role: "owner" },
  });
  assert.equal(byManager.status, 403);
  const lastOwner = await call<ErrorBody>(url, "PATCH", path(t.owner.id), {
    token: owner,
    body: { role: "viewer" },
  });
  assert.equal(lastOwner.status, 409);
  assert.equal(lastOwner.body.error.code, "last_owner");
  assert.match(lastOwner.body.error.message, /dernier propriétaire/);
  const invalid = await call<ErrorBody>(url, "PATCH", path(t.viewer.id), {
    token: owner,
    body: { role: "admin" },
  });
  assert.equal(invalid.status, 400);
  assert.deepEqual(paths(invalid.body), ["json.role"]);
  const unknown = await call<ErrorBody>(url, "PATCH", path(crypto.randomUUID()), {
    token: owner,
    body: { role: "viewer" },
  });
  assert.equal(unknown.status, 404);
  assert.equal(
    (await call(url, "PATCH", path(t.viewer.id), { body: { role: "viewer" } })).status,
    401,
  );
  // With a second owner, the first may step down.
  await call(url, "PATCH", path(t.manager.id), { token: owner, body: { role: "owner" } });
  const stepDown = await call<{ role: string }>(url, "PATCH", path(t.owner.id), {
    token: owner,
    body: { role: "manager" },
  });
  assert.equal(stepDown.status, 200);
});

Deno.test("DELETE /tenants/{id}/members/{user}: owners remove, members leave, the last owner stays", async () => {
  const { t, owner, manager, viewer } = await tokens();
  const path = (user: string) => `/api/v1/tenants/${t.id}/members/${user}`;
  assert.equal((await call(url, "DELETE", path(t.viewer.id), { token: manager })).status, 403);
  assert.equal(
    (await call(url, "DELETE", path(t.viewer.id), { token: viewer })).status,
    204,
    "a member may leave",
  );
  assert.equal(
    (await call(url, "DELETE", path(t.viewer.id), { token: owner })).status,
    404,
    "already gone",
  );
  assert.equal((await call(url, "DELETE", path(t.manager.id), { token: owner })).status, 204);
  const last = await call<ErrorBody>(url, "DELETE", path(t.owner.id), { token: owner });
  assert.equal(last.status, 409);
  assert.equal(last.body.error.code, "last_owner");
  const [{ n }] =
    await sql`select count(*)::int as n from public.memberships where tenant_id = ${t.id}`;
  assert.equal(n, 1);
  assert.equal((await call(url, "DELETE", path(t.owner.id))).status, 401);
});

Deno.test("two owners removing each other at once leave one owner", async () => {
  const { t, owner } = await tokens();
  await sql`update public.memberships set role = 'owner' where tenant_id = ${t.id} and user_id = ${t.manager.id}`;
  const second = await tokenFor(config, t.manager, { tenant_id: t.id });
  const [a, b] = await Promise.all([
    call(url, "DELETE", `/api/v1/tenants/${t.id}/members/${t.manager.id}`, { token: owner }),
    call(url, "DELETE", `/api/v1/tenants/${t.id}/members/${t.owner.id}`, { token: second }),
  ]);
  // Never both 204. The loser's answer depends on when it lost: before its membership
  // check (403, not a member any more), between that check and its DELETE (404: its own
  // membership is gone, so RLS hides the target row), or at the DELETE, waiting on the
  // trigger's tenant lock (409 last_owner).
  const statuses = [a.status, b.status].sort();
  assert.ok(statuses[0] === 204 && [403, 404, 409].includes(statuses[1]), String(statuses));
  const [{ n }] =
    await sql`select count(*)::int as n from public.memberships where tenant_id = ${t.id} and role = 'owner'`;
  assert.equal(n, 1);
});

Deno.test("invitations: owner invites; accepted once, by the invited address, before expiry", async () => {
  const { t, owner, manager } = await tokens();
  const invitee = await createUser(
    sql,
    `invitee-${crypto.randomUUID().slice(0, 8)}@test.digiboost.sn`,
  );
  const inviteeToken = await tokenFor(config, invitee);
  const base = `/api/v1/tenants/${t.id}/invitations`;

  const denied = await call(url, "POST", base, { token: manager, body: { email: invitee.email } });
  assert.equal(denied.status, 403);
  const invalid = await call<ErrorBody>(url, "POST", base, {
    token: owner,
    body: { email: "pas-un-email", role: "chef", valid_for_hours: 0 },
  });
  assert.equal(invalid.status, 400);
  assert.deepEqual(paths(invalid.body), ["json.email", "json.role", "json.valid_for_hours"]);

  const created = await call<{ id: string; token: string; expires_at: string }>(url, "POST", base, {
    token: owner,
    body: { email: invitee.email.toUpperCase(), role: "manager" },
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.token.length, 64);
  const [stored] =
    await sql`select token_hash, email from public.invitations where id = ${created.body.id}`;
  assert.notEqual(stored.token_hash, created.body.token, "only the hash is stored");
  assert.equal(stored.email, invitee.email);

  const listed = await call<{ data: { id: string; email: string }[] }>(url, "GET", base, {
    token: owner,
  });
  assert.deepEqual(listed.body.data.map((i) => i.id), [created.body.id]);
  assert.ok(!("token" in listed.body.data[0]) && !("token_hash" in listed.body.data[0]));
  assert.equal((await call(url, "GET", base, { token: manager })).status, 403);

  const stranger = await createUser(sql);
  const wrongEmail = await call<ErrorBody>(url, "POST", "/api/v1/invitations/accept", {
    token: await tokenFor(config, stranger),
    body: { token: created.body.token },
  });
  assert.equal(wrongEmail.status, 403);
  assert.equal(wrongEmail.body.error.code, "invitation_email_mismatch");

  const accepted = await call<{ tenant_id: string; role: string }>(
    url,
    "POST",
    "/api/v1/invitations/accept",
    {
      token: inviteeToken,
      body: { token: created.body.token },
    },
  );
  assert.equal(accepted.status, 200);
  assert.deepEqual([accepted.body.tenant_id, accepted.body.role], [t.id, "manager"]);
  const again = await call<ErrorBody>(url, "POST", "/api/v1/invitations/accept", {
    token: inviteeToken,
    body: { token: created.body.token },
  });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, "invitation_already_used");

  const unknown = await call<ErrorBody>(url, "POST", "/api/v1/invitations/accept", {
    token: inviteeToken,
    body: { token: "x".repeat(64) },
  });
  assert.equal(unknown.status, 404);
  const short = await call<ErrorBody>(url, "POST", "/api/v1/invitations/accept", {
    token: inviteeToken,
    body: { token: "abc" },
  });
  assert.equal(short.status, 400);
  assert.deepEqual(paths(short.body), ["json.token"]);
  assert.equal(
    (await call(url, "POST", "/api/v1/invitations/accept", { body: { token: created.body.token } }))
      .status,
    401,
  );
  const revokeAccepted = await call<ErrorBody>(url, "DELETE", `${base}/${created.body.id}`, {
    token: owner,
  });
  assert.equal(revokeAccepted.status, 409);
});

Deno.test("invitations: expired and revoked ones cannot be accepted", async () => {
  const { t, owner } = await tokens();
  const invitee = await createUser(sql);
  const inviteeToken = await tokenFor(config, invitee);
  const base = `/api/v1/tenants/${t.id}/invitations`;
  const expiring = await call<{ id: string; token: string }>(url, "POST", base, {
    token: owner,
    body: { email: invitee.email, valid_for_hours: 1 },
  });
  await sql`update public.invitations set created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' where id = ${expiring.body.id}`;
  const expired = await call<ErrorBody>(url, "POST", "/api/v1/invitations/accept", {
    token: inviteeToken,
    body: { token: expiring.body.token },
  });
  assert.equal(expired.status, 409);
  assert.equal(expired.body.error.code, "invitation_expired");

  const revoking = await call<{ id: string; token: string }>(url, "POST", base, {
    token: owner,
    body: { email: invitee.email },
  });
  assert.equal(
    (await call(url, "DELETE", `${base}/${revoking.body.id}`, { token: owner })).status,
    204,
  );
  const revoked = await call<ErrorBody>(url, "POST", "/api/v1/invitations/accept", {
    token: inviteeToken,
    body: { token: revoking.body.token },
  });
  assert.equal(revoked.status, 404);
  assert.equal(
    (await call(url, "DELETE", `${base}/${crypto.randomUUID()}`, { token: owner })).status,
    404,
  );
  const [{ n }] =
    await sql`select count(*)::int as n from public.memberships where user_id = ${invitee.id}`;
  assert.equal(n, 0);
});

Deno.test("close the stack", async () => {
  await stack.close();
});
