/**
 * Audit log: database triggers record who changed what in the catalogue, the tenant's
 * settings and its members; owners read their shop's log, nobody else, and nobody can
 * rewrite it.
 */
import assert from "node:assert/strict";
import { call, createTenantWithTokens } from "./helpers/fixtures.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

type Entry = {
  id: string;
  actor_id: string | null;
  action: string;
  entity: string;
  entity_id: string;
  changes: Record<string, unknown>;
};
type Page = { data: Entry[]; page: { total: number } };

Deno.test("a product created and repriced through the API is in the log with its author", async () => {
  const { t, owner, manager } = await createTenantWithTokens(sql, config);
  const created = await call<{ id: string }>(url, "POST", "/api/v1/products", {
    token: manager,
    body: { sku: "RIZ-25", name: "Riz parfumé 25 kg", sale_price_xof: 9000 },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const patched = await call(url, "PATCH", `/api/v1/products/${created.body.id}`, {
    token: manager,
    body: { sale_price_xof: 9500 },
  });
  assert.equal(patched.status, 200);

  const log = await call<Page>(
    url,
    "GET",
    `/api/v1/audit-log?entity=products&entity_id=${created.body.id}`,
    { token: owner },
  );
  assert.equal(log.status, 200);
  assert.deepEqual(log.body.data.map((e) => e.action), ["update", "insert"], "newest first");
  const [update, insert] = log.body.data;
  assert.equal(update.actor_id, t.manager.id);
  assert.deepEqual(update.changes, { sale_price_xof: { old: 9000, new: 9500 } });
  assert.equal(insert.changes.sku, "RIZ-25");
  assert.equal(log.body.page.total, 2);
});

Deno.test("role changes and settings are logged; a no-op update is not", async () => {
  const { t, owner } = await createTenantWithTokens(sql, config);
  const promoted = await call(url, "PATCH", `/api/v1/tenants/${t.id}/members/${t.viewer.id}`, {
    token: owner,
    body: { role: "manager" },
  });
  assert.equal(promoted.status, 200);
  await sql`update public.tenants set settings = settings || '{"allow_negative_stock": true}'
    where id = ${t.id}`;
  await sql`update public.tenants set name = name where id = ${t.id}`;

  const members = await call<Page>(url, "GET", "/api/v1/audit-log?entity=memberships", {
    token: owner,
  });
  const roleChange = members.body.data.find((e) => e.action === "update");
  assert.ok(roleChange);
  assert.equal(roleChange.entity_id, t.viewer.id);
  assert.equal(roleChange.actor_id, t.owner.id);
  assert.deepEqual(roleChange.changes, { role: { old: "viewer", new: "manager" } });

  const tenant = await call<Page>(url, "GET", "/api/v1/audit-log?entity=tenants", {
    token: owner,
  });
  const updates = tenant.body.data.filter((e) => e.action === "update");
  assert.equal(updates.length, 1, "the no-op update left no entry");
  assert.equal(updates[0].actor_id, null, "admin SQL has no API actor");
  assert.deepEqual(
    (updates[0].changes.settings as { new: Record<string, unknown> }).new.allow_negative_stock,
    true,
  );
});

Deno.test("only owners read the log, only their tenant's, and nobody can rewrite it", async () => {
  const a = await createTenantWithTokens(sql, config);
  const b = await createTenantWithTokens(sql, config);
  await call(url, "POST", "/api/v1/categories", { token: b.manager, body: { name: "Boissons" } });
  for (const token of [a.manager, a.viewer]) {
    assert.equal((await call(url, "GET", "/api/v1/audit-log", { token })).status, 403);
  }
  assert.equal((await call(url, "GET", "/api/v1/audit-log")).status, 401);
  const own = await call<Page>(url, "GET", "/api/v1/audit-log", { token: a.owner });
  assert.equal(own.status, 200);
  assert.ok(own.body.data.every((e) => e.entity !== "categories"), "nothing of tenant B");

  const claims = JSON.stringify({ sub: b.t.owner.id, role: "authenticated", tenant_id: b.t.id });
  for (
    const statement of [
      "update public.audit_log set changes = '{}'",
      "delete from public.audit_log",
    ]
  ) {
    await assert.rejects(
      () =>
        sql.begin(async (tx) => {
          await tx`select set_config('request.jwt.claims', ${claims}, true),
            set_config('role', 'authenticated', true)`;
          await tx.unsafe(statement);
        }),
      (error: { code?: string }) => error.code === "42501",
      statement,
    );
  }
  const bad = await call<{ error: { details: { path: string }[] } }>(
    url,
    "GET",
    "/api/v1/audit-log?entity=passwords&since=yesterday&limit=0",
    { token: a.owner },
  );
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.error.details.map((d) => d.path).sort(), [
    "query.entity",
    "query.limit",
    "query.since",
  ]);
});

Deno.test("invitation token hashes never reach the log", async () => {
  const { t, owner } = await createTenantWithTokens(sql, config);
  const invited = await call(url, "POST", `/api/v1/tenants/${t.id}/invitations`, {
    token: owner,
    body: { email: "nouveau@example.sn" },
  });
  assert.equal(invited.status, 201);
  const log = await call<Page>(url, "GET", "/api/v1/audit-log?entity=invitations", {
    token: owner,
  });
  assert.equal(log.body.data.length, 1);
  assert.ok(!("token_hash" in log.body.data[0].changes));
  assert.equal(log.body.data[0].changes.email, "nouveau@example.sn");
});

Deno.test("a manual adjustment is logged with its reason; a sale is not", async () => {
  const { t, owner, manager } = await createTenantWithTokens(sql, config);
  const [product] = await sql<{ id: string }[]>`
    insert into public.products (tenant_id, sku, name) values (${t.id}, 'HUILE-5L', 'Huile 5 L')
    returning id`;
  for (
    const body of [
      { kind: "adjustment", product_id: product.id, quantity: 5, reason: "Inventaire d'ouverture" },
      { kind: "sale", product_id: product.id, quantity: 1 },
    ]
  ) {
    const response = await call(url, "POST", "/api/v1/movements", { token: manager, body });
    assert.equal(response.status, 201, JSON.stringify(response.body));
  }
  const log = await call<Page>(url, "GET", "/api/v1/audit-log?entity=stock_movements", {
    token: owner,
  });
  assert.equal(log.status, 200);
  assert.equal(log.body.data.length, 1, "only the adjustment");
  assert.equal(log.body.data[0].actor_id, t.manager.id);
  assert.equal(log.body.data[0].changes.kind, "adjustment");
  assert.equal(log.body.data[0].changes.quantity, 5);
});

Deno.test("close the stack", async () => {
  await stack.close();
});
