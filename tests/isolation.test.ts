/**
 * Cross-tenant attack suite: every tenant table × select/insert/update/delete × actor.
 * Tenant B's rows must stay invisible and unwritable to anyone but B's members (and the
 * service role, the positive control proving each probe can see what it looks for).
 * Then the HTTP side: forged, expired, `alg: none`, wrong-audience and wrong-key tokens
 * are 401; a tenant claim or X-Tenant-Id naming a tenant the user is not in is 403.
 */
import assert from "node:assert/strict";
import { SignJWT } from "jose";
import type { Tx } from "../shared/db/client.ts";
import { signAccessToken } from "../shared/auth/jwt.ts";
import {
  call,
  createTenant,
  createTenantWithRoles,
  createUser,
  type TestTenant,
  tokenFor,
} from "./helpers/fixtures.ts";
import { startStack } from "./helpers/stack.ts";
import { TENANT_TABLES } from "./helpers/tenant_tables.ts";

const stack = await startStack();
const { sql } = stack;
const A = await createTenantWithRoles(sql);
const B = await createTenantWithRoles(sql);
const outsider = await createUser(sql);
const C = await createTenant(sql, outsider);
// Give tenant B one row in every tenant table that does not get one from its creation.
const [{ id: bInvitation }] = await sql<{ id: string }[]>`
  insert into public.invitations (tenant_id, email, role, token_hash)
  values (${B.id}, 'invite-b@example.sn', 'viewer', ${crypto.randomUUID()}) returning id`;
assert.ok(bInvitation);
await sql`insert into public.categories (tenant_id, name) values (${B.id}, 'Épicerie B')`;
await sql`insert into public.suppliers (tenant_id, name) values (${B.id}, 'Fournisseur B')`;
await sql`insert into public.products (tenant_id, sku, name) values (${B.id}, 'RIZ-B', 'Riz B')`;
// A receipt gives B a movement, a stock level and a product cost.
await sql`insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity,
    unit_cost_xof)
  select ${B.id}, p.id, l.id, 'receipt', 12, 500 from public.products p, public.locations l
  where p.tenant_id = ${B.id} and l.tenant_id = ${B.id} and l.is_default`;
// A sales order and a received purchase order, each with a line (receipt row by hand).
await sql`with o as (
    insert into public.sales_orders (tenant_id, location_id)
    select ${B.id}, l.id from public.locations l where l.tenant_id = ${B.id} and l.is_default
    returning id)
  insert into public.sales_order_lines (tenant_id, order_id, product_id, quantity_ordered)
  select ${B.id}, o.id, p.id, 3 from o, public.products p where p.tenant_id = ${B.id}`;
await sql`with o as (
    insert into public.purchase_orders (tenant_id, supplier_id, location_id)
    select ${B.id}, s.id, l.id from public.suppliers s, public.locations l
    where s.tenant_id = ${B.id} and l.tenant_id = ${B.id} and l.is_default
    returning id, supplier_id), line as (
    insert into public.purchase_order_lines (tenant_id, order_id, product_id, quantity_ordered,
      unit_cost_xof)
    select ${B.id}, o.id, p.id, 12, 500 from o, public.products p where p.tenant_id = ${B.id}
    returning id, order_id, product_id)
  insert into public.purchase_receipts (tenant_id, order_id, line_id, supplier_id, product_id,
    movement_id, quantity, unit_cost_xof, received_at, lead_time_days)
  select ${B.id}, line.order_id, line.id, o.supplier_id, line.product_id, m.id, 12, 500, now(), 2
  from line join o on o.id = line.order_id, public.stock_movements m where m.tenant_id = ${B.id}`;
await sql`insert into public.idempotency_keys (tenant_id, key, request_path, request_hash)
  values (${B.id}, 'b-key', 'POST /movements', ${"0".repeat(64)})`;
// Alerts: a rule, a recipient, settings, a forecast, an inbound reply; an evaluation
// then opens B's stock-out alert (with its history row and outbox message).
await sql`insert into public.alert_rules (tenant_id, alert_type, severity)
  values (${B.id}, 'stock_out', 'critical')`;
await sql`insert into public.notification_settings (tenant_id) values (${B.id})`;
const [{ id: bRecipient }] = await sql<{ id: string }[]>`
  insert into public.notification_recipients (tenant_id, display_name, phone_e164, opted_in)
  values (${B.id}, 'Propriétaire B', '+221771112233', true) returning id`;
await sql`insert into public.forecasts (tenant_id, product_id, location_id, computed_at, method,
    daily_demand)
  select ${B.id}, p.id, l.id, now(), 'tsb', 1 from public.products p, public.locations l
  where p.tenant_id = ${B.id} and l.tenant_id = ${B.id} and l.is_default`;
await sql`insert into public.inbound_messages (tenant_id, recipient_id, from_e164, body,
    provider_sid)
  values (${B.id}, ${bRecipient}, '+221771112233', 'AIDE', 'SMb0000000000000000000000000000001')`;
await sql`insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity,
    reason)
  select ${B.id}, p.id, l.id, 'adjustment', -12, 'Casse' from public.products p, public.locations l
  where p.tenant_id = ${B.id} and l.tenant_id = ${B.id} and l.is_default`;
await sql`select * from app.evaluate_alerts(now(), false, null)`;
// Queued again for the internal-table probe (the evaluation consumed the queue).
await sql`insert into public.alert_dirty_products (tenant_id, product_id)
  select tenant_id, id from public.products where tenant_id = ${B.id}`;

type Actor = {
  name: string;
  role: "anon" | "authenticated" | "service_role";
  claims: Record<string, unknown>;
};
const member = (name: string, userId: string, tenantId: string): Actor => ({
  name,
  role: "authenticated",
  claims: { sub: userId, role: "authenticated", tenant_id: tenantId },
});
const ATTACKERS: Actor[] = [
  { name: "anon", role: "anon", claims: { role: "anon" } },
  member("viewer of A", A.viewer.id, A.id),
  member("manager of A", A.manager.id, A.id),
  member("owner of A", A.owner.id, A.id),
  member("member of another tenant", outsider.id, C),
  member("owner of A claiming tenant B", A.owner.id, B.id),
  {
    name: "user without tenant",
    role: "authenticated",
    claims: { sub: crypto.randomUUID(), role: "authenticated" },
  },
];
const SERVICE: Actor = { name: "service", role: "service_role", claims: { role: "service_role" } };

class Rollback extends Error {}

/** Runs `fn` as `actor` in a transaction that is always rolled back. */
async function as<T>(actor: Actor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await sql.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${JSON.stringify(actor.claims)}, true),
        set_config('role', ${actor.role}, true)`;
      result = await fn(tx);
      throw new Rollback();
    });
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return result as T;
}

/** Outcome of one write probe: rows it touched, or the SQLSTATE that refused it. */
async function attempt(actor: Actor, fn: (tx: Tx) => Promise<{ count: number }>): Promise<string> {
  try {
    const result = await as(actor, fn);
    return `rows:${result.count}`;
  } catch (error) {
    return `error:${(error as { code?: string }).code ?? String(error)}`;
  }
}

const countOf = (tx: Tx, table: string, key: string, tenantId: string) =>
  tx<{ n: number }[]>`select count(*)::int as n from ${tx("public")}.${tx(table)} where ${
    tx(key)
  } = ${tenantId}`;

for (const spec of TENANT_TABLES) {
  Deno.test(`${spec.table}: tenant B's rows are invisible to every other actor`, async () => {
    const [{ n: truth }] = await as(SERVICE, (tx) => countOf(tx, spec.table, spec.key, B.id));
    assert.ok(truth > 0, `the service role must see tenant B's ${spec.table} (positive control)`);
    for (const actor of ATTACKERS) {
      const outcome = await attempt(actor, async (tx) => {
        const [{ n }] = await countOf(tx, spec.table, spec.key, B.id);
        return { count: n };
      });
      assert.ok(
        outcome === "rows:0" || outcome === "error:42501",
        `${actor.name} read ${spec.table} of B: ${outcome}`,
      );
    }
    const own = await attempt(
      member("owner of B", B.owner.id, B.id),
      async (tx) => ({ count: (await countOf(tx, spec.table, spec.key, B.id))[0].n }),
    );
    if (spec.internal) {
      assert.ok(own === "rows:0" || own === "error:42501", `${spec.table} is internal: ${own}`);
    } else {
      assert.match(own, /^rows:[1-9]/, `B's owner sees B's ${spec.table} (positive control)`);
    }
  });

  Deno.test(`${spec.table}: no other actor can insert a row into tenant B`, async () => {
    for (const actor of ATTACKERS) {
      const row = spec.row(B.id, String(actor.claims.sub ?? outsider.id));
      const outcome = await attempt(actor, async (tx) => {
        const inserted = await tx`insert into ${tx("public")}.${tx(spec.table)} ${
          tx(row)
        } returning 1`;
        return { count: inserted.length };
      });
      assert.ok(
        outcome.startsWith("error:"),
        `${actor.name} inserted into ${spec.table} of B: ${outcome}`,
      );
      assert.ok(
        ["error:42501", "error:23505", "error:23503"].includes(outcome),
        `${actor.name}: ${outcome}`,
      );
    }
  });

  Deno.test(`${spec.table}: no other actor can update or delete tenant B's rows`, async () => {
    for (const actor of ATTACKERS) {
      const updated = await attempt(actor, async (tx) => {
        const rows = await tx`update ${tx("public")}.${tx(spec.table)} set ${tx(spec.set)}
          where ${tx(spec.key)} = ${B.id} returning 1`;
        return { count: rows.length };
      });
      assert.ok(
        updated === "rows:0" || updated === "error:42501",
        `${actor.name} updated ${spec.table} of B: ${updated}`,
      );
      const deleted = await attempt(actor, async (tx) => {
        const rows = await tx`delete from ${tx("public")}.${tx(spec.table)} where ${
          tx(spec.key)
        } = ${B.id} returning 1`;
        return { count: rows.length };
      });
      assert.ok(
        deleted === "rows:0" || deleted === "error:42501",
        `${actor.name} deleted ${spec.table} of B: ${deleted}`,
      );
    }
    const serviceUpdate = await attempt(SERVICE, async (tx) => {
      const rows = await tx`update ${tx("public")}.${tx(spec.table)} set ${tx(spec.set)}
        where ${tx(spec.key)} = ${B.id} returning 1`;
      return { count: rows.length };
    });
    if (spec.appendOnly) {
      // Append-only tables refuse rewrites even to the service role.
      assert.equal(serviceUpdate, "error:42501", `${spec.table} is append-only for service too`);
      const [{ n }] = await as(SERVICE, (tx) => countOf(tx, spec.table, spec.key, B.id));
      assert.ok(n > 0, "the service role reads it (positive control)");
    } else {
      assert.match(
        serviceUpdate,
        /^rows:[1-9]/,
        "the service role can update B's rows (positive control, rolled back)",
      );
    }
  });
}

// ---------------------------------------------------------------------------
// HTTP: tokens
// ---------------------------------------------------------------------------
const claimsOf = (t: TestTenant) => ({
  sub: t.owner.id,
  email: t.owner.email,
  role: "authenticated",
  tenant_id: t.id,
});

Deno.test("a valid token of A's owner reads /me (control for the 401 cases)", async () => {
  const response = await call(stack.url, "GET", "/api/v1/me", {
    token: await tokenFor(stack.config, A.owner, { tenant_id: A.id }),
  });
  assert.equal(response.status, 200);
});

Deno.test("forged, expired, alg:none, wrong-audience, wrong-issuer and wrong-key tokens are 401", async () => {
  const secret = new TextEncoder().encode(stack.config.jwtSecret);
  const now = Math.floor(Date.now() / 1000);
  const valid = await signAccessToken(claimsOf(A), stack.config);
  const [header, payload] = valid.split(".");
  const tamperedPayload = btoa(
    JSON.stringify({
      ...claimsOf(B),
      exp: now + 3600,
      aud: "authenticated",
      iss: stack.config.jwtIssuer,
    }),
  )
    .replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  const none = `${
    btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "")
  }.${payload}.`;
  const cases: Record<string, string> = {
    "tampered payload": `${header}.${tamperedPayload}.${valid.split(".")[2]}`,
    "expired": await signAccessToken(claimsOf(A), stack.config, now - 7200),
    "alg none": none,
    "wrong audience": await new SignJWT(claimsOf(A)).setProtectedHeader({ alg: "HS256" })
      .setIssuer(stack.config.jwtIssuer).setAudience("anon").setExpirationTime(now + 600).sign(
        secret,
      ),
    "wrong issuer": await new SignJWT(claimsOf(A)).setProtectedHeader({ alg: "HS256" })
      .setIssuer("https://evil.example/auth/v1").setAudience("authenticated").setExpirationTime(
        now + 600,
      ).sign(secret),
    "wrong key": await new SignJWT(claimsOf(A)).setProtectedHeader({ alg: "HS256" })
      .setIssuer(stack.config.jwtIssuer).setAudience("authenticated").setExpirationTime(now + 600)
      .sign(new TextEncoder().encode("another-secret-another-secret-another-secret")),
    "HS384 with the right secret": await new SignJWT(claimsOf(A)).setProtectedHeader({
      alg: "HS384",
    })
      .setIssuer(stack.config.jwtIssuer).setAudience("authenticated").setExpirationTime(now + 600)
      .sign(secret),
    "no exp": await new SignJWT(claimsOf(A)).setProtectedHeader({ alg: "HS256" })
      .setIssuer(stack.config.jwtIssuer).setAudience("authenticated").sign(secret),
    "garbage": "not.a.jwt",
    "empty segments": "..",
  };
  for (const [name, token] of Object.entries(cases)) {
    const response = await call<{ error: { code: string; request_id: string } }>(
      stack.url,
      "GET",
      "/api/v1/me",
      { token },
    );
    assert.equal(response.status, 401, `${name}: ${JSON.stringify(response.body)}`);
    assert.ok(["invalid_token", "token_expired"].includes(response.body.error.code), name);
    assert.ok(response.body.error.request_id, `${name}: request id in the error`);
  }
  const missing = await call(stack.url, "GET", "/api/v1/me");
  assert.equal(missing.status, 401);
  assert.equal(missing.headers.get("www-authenticate"), "Bearer");
});

Deno.test("the anon key is 401 and a service-role key is 403 on user routes", async () => {
  const anon = await signAccessToken({ sub: "anon", role: "anon" }, stack.config);
  assert.equal((await call(stack.url, "GET", "/api/v1/me", { token: anon })).status, 401);
  const service = await signAccessToken({ sub: "service", role: "service_role" }, stack.config);
  assert.equal((await call(stack.url, "GET", "/api/v1/me", { token: service })).status, 403);
});

Deno.test("a tenant claim or X-Tenant-Id naming another tenant is 403, not data", async () => {
  const claimingB = await tokenFor(stack.config, A.owner, {
    tenant_id: B.id,
    tenant_role: "owner",
  });
  const paths = [`/api/v1/tenants/${B.id}/members`, `/api/v1/tenants/${B.id}/invitations`];
  for (const path of paths) {
    const response = await call<{ error: { code: string } }>(stack.url, "GET", path, {
      token: claimingB,
    });
    assert.equal(response.status, 403, path);
    assert.equal(response.body.error.code, "not_a_member");
  }
  const ownToken = await tokenFor(stack.config, A.owner, { tenant_id: A.id });
  const viaHeader = await call(stack.url, "GET", `/api/v1/tenants/${B.id}/members`, {
    token: ownToken,
    headers: { "x-tenant-id": B.id },
  });
  assert.equal(viaHeader.status, 403);
  const writes = [
    call(stack.url, "PATCH", `/api/v1/tenants/${B.id}/members/${B.viewer.id}`, {
      token: claimingB,
      body: { role: "owner" },
    }),
    call(stack.url, "DELETE", `/api/v1/tenants/${B.id}/members/${B.owner.id}`, {
      token: claimingB,
    }),
    call(stack.url, "POST", `/api/v1/tenants/${B.id}/invitations`, {
      token: claimingB,
      body: { email: "x@example.sn", role: "owner" },
    }),
    call(stack.url, "DELETE", `/api/v1/tenants/${B.id}/invitations/${bInvitation}`, {
      token: claimingB,
    }),
  ];
  for (const response of await Promise.all(writes)) assert.equal(response.status, 403);
  const [{ n }] = await sql<
    { n: number }[]
  >`select count(*)::int as n from public.memberships where tenant_id = ${B.id}`;
  assert.equal(n, 3, "B's members unchanged");
  const [{ revoked }] = await sql<
    { revoked: string | null }[]
  >`select revoked_at as revoked from public.invitations where id = ${bInvitation}`;
  assert.equal(revoked, null, "B's invitation untouched");
  for (const [method, path] of [["GET", "/api/v1/me"], ["GET", "/api/v1/tenants"]]) {
    const stale = await call<{ error: { code: string } }>(stack.url, method, path, {
      token: claimingB,
    });
    assert.equal(stale.status, 403, `${path} with a foreign tenant claim`);
    assert.equal(stale.body.error.code, "not_a_member");
  }
  const noClaim = await tokenFor(stack.config, A.owner);
  const me = await call<{ current_tenant: unknown; tenants: { id: string }[] }>(
    stack.url,
    "GET",
    "/api/v1/me",
    {
      token: noClaim,
    },
  );
  assert.equal(me.status, 200);
  assert.equal(me.body.current_tenant, null);
  assert.deepEqual(me.body.tenants.map((t) => t.id), [A.id]);
});

Deno.test("SQL in strings is data, not SQL", async () => {
  const token = await tokenFor(stack.config, A.owner, { tenant_id: A.id });
  const name = "Boutique'); delete from public.memberships; --";
  const created = await call<{ id: string; name: string }>(stack.url, "POST", "/api/v1/tenants", {
    token,
    body: { name },
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.name, name);
  const [{ n }] = await sql<
    { n: number }[]
  >`select count(*)::int as n from public.memberships where tenant_id = ${B.id}`;
  assert.equal(n, 3);
  const injectedHeader = await call(stack.url, "GET", `/api/v1/me`, {
    token,
    headers: { "x-tenant-id": "' or 1=1 --" },
  });
  assert.equal(
    injectedHeader.status,
    400,
    "a malformed X-Tenant-Id is a 400",
  );
  const injectedPath = await call(
    stack.url,
    "GET",
    `/api/v1/tenants/${encodeURIComponent("' or '1'='1")}/members`,
    { token },
  );
  assert.equal(injectedPath.status, 400);
});

Deno.test("close the stack", async () => {
  await stack.close();
});
