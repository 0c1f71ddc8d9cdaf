/**
 * The local server as a whole: health, readiness, routing of functions, docs without a
 * CDN, the OpenAPI document, CORS, body limit, request ids, the error contract, and
 * the comment on every database object an admin sees in Studio.
 */
import assert from "node:assert/strict";
import { call, createTenantWithRoles, tokenFor } from "./helpers/fixtures.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack({
  CORS_ALLOWED_ORIGINS: "https://app.digiboost.sn, http://localhost:5173",
});
const { url, sql, config } = stack;

Deno.test("/health answers exactly the product's body; /health/ready checks the database", async () => {
  const health = await fetch(`${url}/health`);
  assert.equal(health.status, 200);
  assert.equal(await health.text(), JSON.stringify({ status: "ok", environment: "test" }));
  const ready = await call<{ status: string; database: { status: string } }>(
    url,
    "GET",
    "/health/ready",
  );
  assert.equal(ready.status, 200);
  assert.equal(ready.body.database.status, "ok");
});

Deno.test("functions answer under /functions/v1/<name>/… exactly as under /api/v1", async () => {
  const t = await createTenantWithRoles(sql);
  const token = await tokenFor(config, t.owner, { tenant_id: t.id });
  const direct = await call(url, "GET", "/api/v1/me", { token });
  const viaFunctions = await call(url, "GET", "/functions/v1/api/v1/me", { token });
  assert.equal(direct.status, 200);
  assert.deepEqual(viaFunctions.body, direct.body);
  const unknownFunction = await call<{ error: { code: string } }>(
    url,
    "GET",
    "/functions/v1/nope/v1/me",
  );
  assert.equal(unknownFunction.status, 404);
  assert.equal(unknownFunction.body.error.code, "route_not_found");
  assert.equal(
    (await call(url, "GET", "/functions/v1/api")).status,
    404,
    "a function's root alone is 404",
  );
  const unknownRoute = await call<{ error: { code: string; request_id: string } }>(
    url,
    "GET",
    "/api/v1/nope",
  );
  assert.equal(unknownRoute.status, 404);
  assert.ok(unknownRoute.body.error.request_id);
});

Deno.test("Swagger UI and ReDoc load their assets locally, no CDN", async () => {
  for (const base of ["/api/v1", "/functions/v1/api/v1"]) {
    for (const page of ["docs", "redoc"]) {
      const response = await fetch(`${url}${base}/${page}`);
      assert.equal(response.status, 200, `${base}/${page}`);
      const html = await response.text();
      assert.doesNotMatch(html, /https?:\/\//, `${page} references no absolute URL`);
      for (const src of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
        const asset = await fetch(new URL(src[1], `${url}${base}/${page}`));
        assert.equal(asset.status, 200, src[1]);
        assert.ok((await asset.arrayBuffer()).byteLength > 1000, `${src[1]} has content`);
      }
    }
  }
  assert.equal((await call(url, "GET", "/api/v1/docs/assets/..%2F..%2Fdeno.json")).status, 404);
});

Deno.test("openapi.json documents every route with its auth and its errors", async () => {
  const { status, body } = await call<{
    openapi: string;
    paths: Record<
      string,
      Record<string, { security?: unknown[]; responses: Record<string, unknown> }>
    >;
    components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> };
  }>(url, "GET", "/api/v1/openapi.json");
  assert.equal(status, 200);
  assert.equal(body.openapi, "3.1.0");
  assert.ok(body.components.securitySchemes.bearerAuth);
  assert.ok(body.components.schemas.Error);
  const expected = [
    "get /me",
    "get /tenants",
    "post /tenants",
    "get /tenants/{tenant_id}/members",
    "patch /tenants/{tenant_id}/members/{user_id}",
    "delete /tenants/{tenant_id}/members/{user_id}",
    "post /tenants/{tenant_id}/invitations",
    "get /tenants/{tenant_id}/invitations",
    "delete /tenants/{tenant_id}/invitations/{invitation_id}",
    "post /invitations/accept",
    "get /audit-log",
    ...["products", "categories", "suppliers", "locations"].flatMap((resource) => [
      `get /${resource}`,
      `post /${resource}`,
      `get /${resource}/{id}`,
      `patch /${resource}/{id}`,
      `delete /${resource}/{id}`,
      `post /${resource}/{id}/restore`,
    ]),
    "get /alertes",
    "get /alertes/history",
    "get /alertes/types",
    "get /alertes/{id}",
    ...["acknowledge", "snooze", "resolve"].map((verb) => `post /alertes/{id}/${verb}`),
    ...["rules", "recipients"].flatMap((resource) => [
      `get /alertes/${resource}`,
      `post /alertes/${resource}`,
      `patch /alertes/${resource}/{id}`,
      `delete /alertes/${resource}/{id}`,
    ]),
    "get /alertes/settings",
    "put /alertes/settings",
    "post /alertes/test-message",
  ];
  const documented = Object.entries(body.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m} ${path}`)
  );
  for (const route of expected) assert.ok(documented.includes(route), `${route} is documented`);
  for (const [path, ops] of Object.entries(body.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      assert.deepEqual(op.security, [{ bearerAuth: [] }], `${method} ${path} declares its auth`);
      for (const code of ["400", "401", "403"]) {
        assert.ok(op.responses[code], `${method} ${path} documents ${code}`);
      }
    }
  }
});

Deno.test("CORS allows the configured origins only, never *", async () => {
  const allowed = await fetch(`${url}/api/v1/me`, {
    method: "OPTIONS",
    headers: {
      origin: "https://app.digiboost.sn",
      "access-control-request-method": "GET",
      "access-control-request-headers": "authorization,x-tenant-id",
    },
  });
  await allowed.body?.cancel();
  assert.equal(allowed.headers.get("access-control-allow-origin"), "https://app.digiboost.sn");
  assert.equal(allowed.headers.get("access-control-allow-credentials"), "true");
  assert.match(allowed.headers.get("access-control-allow-headers") ?? "", /x-tenant-id/);
  const refused = await fetch(`${url}/api/v1/me`, { headers: { origin: "https://evil.example" } });
  await refused.body?.cancel();
  assert.equal(refused.headers.get("access-control-allow-origin"), null);
});

Deno.test("oversized bodies are 413 with the error contract and write nothing", async () => {
  const t = await createTenantWithRoles(sql);
  const token = await tokenFor(config, t.owner, { tenant_id: t.id });
  const [{ n: before }] = await sql`select count(*)::int as n from public.tenants`;
  const huge = await call<{ error: { code: string; request_id: string } }>(
    url,
    "POST",
    "/api/v1/tenants",
    {
      token,
      body: { name: "x".repeat(config.bodyLimitBytes + 10) },
    },
  );
  assert.equal(huge.status, 413);
  assert.equal(huge.body.error.code, "payload_too_large");
  const nearly = await call<{ error: { code: string } }>(url, "POST", "/api/v1/tenants", {
    token,
    body: { name: "x".repeat(config.bodyLimitBytes - 100) },
  });
  assert.equal(nearly.status, 400, "a 1 MB string under the limit is a validation error");
  const [{ n: after }] = await sql`select count(*)::int as n from public.tenants`;
  assert.equal(after, before);
});

Deno.test("request ids: a sane X-Request-Id is echoed, anything else is replaced", async () => {
  const echoed = await fetch(`${url}/health`, { headers: { "x-request-id": "dash-42.a_b" } });
  await echoed.body?.cancel();
  assert.equal(echoed.headers.get("x-request-id"), "dash-42.a_b");
  const replaced = await fetch(`${url}/api/v1/me`, { headers: { "x-request-id": "<script>" } });
  const body = await replaced.json();
  assert.match(replaced.headers.get("x-request-id")!, /^[0-9a-f-]{36}$/);
  assert.equal(body.error.request_id, replaced.headers.get("x-request-id"));
});

Deno.test("every table, column, view and function an admin sees has a comment", async () => {
  const missing = await sql<{ object: string }[]>`
    select format('%s %s.%s', case c.relkind when 'v' then 'view' else 'table' end, n.nspname, c.relname) as object
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in ('public', 'app', 'admin') and c.relkind in ('r', 'v', 'p', 'm')
      and obj_description(c.oid, 'pg_class') is null
    union all
    select format('column %s.%s.%s', n.nspname, c.relname, a.attname)
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname in ('public', 'app', 'admin') and c.relkind in ('r', 'v', 'p', 'm')
      and a.attnum > 0 and not a.attisdropped and col_description(c.oid, a.attnum) is null
    union all
    select format('function %s.%s', n.nspname, p.proname)
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('public', 'app', 'admin') and obj_description(p.oid, 'pg_proc') is null
      and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
    order by 1`;
  assert.deepEqual(missing.map((m) => m.object), []);
});

Deno.test("the admin schema is closed to API roles", async () => {
  for (const role of ["anon", "authenticated"]) {
    const [row] = await sql`select has_schema_privilege(${role}, 'admin', 'usage') as usable`;
    assert.equal(row.usable, false, role);
  }
  const overview = await sql`select tenant_id, members, owners from admin.tenant_overview limit 1`;
  assert.ok(Array.isArray(overview));
});

Deno.test("close the stack", async () => {
  await stack.close();
});
