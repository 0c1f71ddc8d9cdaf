/**
 * Products API, route by route: valid input, invalid input (400 with field paths),
 * no token (401), viewer writing (403), another tenant's ids (404), duplicates (409),
 * archive, restore and hard delete. Lists: catalogue_product_lists.test.ts.
 */
import assert from "node:assert/strict";
import {
  call,
  createCategory,
  createProduct,
  createSupplier,
  createTenantWithTokens,
  type ErrorBody,
  type Page as PageOf,
  paths,
} from "./helpers/fixtures.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

type Product = {
  id: string;
  sku: string;
  name: string;
  category_id: string | null;
  supplier_id: string | null;
  unit: string;
  barcode: string | null;
  sale_price_xof: number;
  unit_cost_xof: number;
  reorder_point: number;
  max_stock: number | null;
  lead_time_days: number | null;
  active: boolean;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
};
type Page = PageOf<Product>;

const shop = () => createTenantWithTokens(sql, config);

const count = async (tenantId: string) =>
  (await sql<{ n: number }[]>`
    select count(*)::int as n from public.products where tenant_id = ${tenantId}`)[0].n;

Deno.test("POST /products creates a product; omitted fields take the database defaults", async () => {
  const { t, manager, owner } = await shop();
  const category = await createCategory(sql, t.id, { name: "Épicerie" });
  const supplier = await createSupplier(sql, t.id);
  const full = await call<Product>(url, "POST", "/api/v1/products", {
    token: manager,
    body: {
      sku: "RIZ-BRISE-50",
      name: "  Riz brisé parfumé 50 kg  ",
      category_id: category.id,
      unit: "sac",
      barcode: "6111234567890",
      sale_price_xof: 17500,
      unit_cost_xof: 15500,
      reorder_point: 5,
      max_stock: 30,
      lead_time_days: 3,
      supplier_id: supplier.id,
      active: true,
    },
  });
  assert.equal(full.status, 201);
  assert.equal(full.body.name, "Riz brisé parfumé 50 kg", "names are trimmed");
  assert.equal(full.body.sale_price_xof, 17500, "amounts are JSON numbers");
  assert.equal(full.body.category_id, category.id);
  assert.equal(full.body.supplier_id, supplier.id);
  assert.equal(full.body.archived_at, null);
  assert.deepEqual(
    (await call<Product>(url, "GET", `/api/v1/products/${full.body.id}`, { token: manager }))
      .body,
    full.body,
  );

  const minimal = await call<Product>(url, "POST", "/api/v1/products", {
    token: owner,
    body: { sku: "SUCRE-1KG", name: "Sucre 1 kg", sale_price_xof: 1_000_000_000_000 },
  });
  assert.equal(minimal.status, 201);
  assert.equal(minimal.body.sale_price_xof, 1_000_000_000_000, "10^12 XOF round-trips exactly");
  assert.deepEqual(
    [minimal.body.unit, minimal.body.unit_cost_xof, minimal.body.reorder_point],
    ["pièce", 0, 0],
  );
  assert.deepEqual([minimal.body.max_stock, minimal.body.category_id, minimal.body.active], [
    null,
    null,
    true,
  ]);
});

Deno.test("POST /products rejects bad input with 400 and the field paths, writing nothing", async () => {
  const { t, manager } = await shop();
  const before = await count(t.id);
  const cases: [unknown, string[]][] = [
    [{ name: "Sans référence" }, ["json.sku"]],
    [{ sku: "-commence-mal", name: "X" }, ["json.sku"]],
    [{ sku: "A B", name: "X" }, ["json.sku"]],
    [{ sku: "A".repeat(65), name: "X" }, ["json.sku"]],
    [{ sku: "OK-1", name: "   " }, ["json.name"]],
    [{ sku: "OK-1", name: "Deux\nlignes" }, ["json.name"]],
    [{ sku: "OK-1", name: "Nul \u0000 octet" }, ["json.name"]],
    [{ sku: "OK-1", name: "X", sale_price_xof: -1 }, ["json.sale_price_xof"]],
    [{ sku: "OK-1", name: "X", sale_price_xof: 10.5 }, ["json.sale_price_xof"]],
    [{ sku: "OK-1", name: "X", sale_price_xof: 1e12 + 1 }, ["json.sale_price_xof"]],
    [{ sku: "OK-1", name: "X", unit_cost_xof: "1000" }, ["json.unit_cost_xof"]],
    [{ sku: "OK-1", name: "X", reorder_point: 5, max_stock: 4 }, ["json.max_stock"]],
    [{ sku: "OK-1", name: "X", max_stock: -1 }, ["json.max_stock"]],
    [{ sku: "OK-1", name: "X", lead_time_days: 366 }, ["json.lead_time_days"]],
    [{ sku: "OK-1", name: "X", barcode: "12" }, ["json.barcode"]],
    [{ sku: "OK-1", name: "X", category_id: "abc" }, ["json.category_id"]],
    [{ sku: "OK-1", name: "X", active: "yes" }, ["json.active"]],
    [{ sku: "OK-1", name: "X", stock: 12 }, ["json"]],
    [{ sku: "OK-1", name: "X", tenant_id: crypto.randomUUID() }, ["json"]],
    [[], ["json"]],
  ];
  for (const [body, expected] of cases) {
    const response = await call<ErrorBody>(url, "POST", "/api/v1/products", {
      token: manager,
      body,
    });
    assert.equal(response.status, 400, JSON.stringify(body).slice(0, 80));
    assert.equal(response.body.error.code, "validation_failed");
    assert.deepEqual(paths(response.body), expected, JSON.stringify(body).slice(0, 80));
  }
  const unknown = await call<ErrorBody>(url, "POST", "/api/v1/products", {
    token: manager,
    body: { sku: "OK-1", name: "X", stock: 12 },
  });
  assert.match(unknown.body.error.details![0].path + JSON.stringify(unknown.body), /stock/);
  const overflow = await call<ErrorBody>(url, "POST", "/api/v1/products", {
    token: manager,
    raw: '{"sku":"OK-1","name":"X","sale_price_xof":1e400}',
    headers: { "content-type": "application/json" },
  });
  assert.equal(overflow.status, 400);
  assert.deepEqual(paths(overflow.body), ["json.sale_price_xof"]);
  const form = await call<ErrorBody>(url, "POST", "/api/v1/products", {
    token: manager,
    raw: "sku=OK-1&name=X",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
  assert.equal(form.status, 415);
  assert.equal(await count(t.id), before);
});

Deno.test("a 1 MB string is a 400 under the body limit and a 413 over it; nothing is written", async () => {
  const { t, manager } = await shop();
  const under = await call<ErrorBody>(url, "POST", "/api/v1/products", {
    token: manager,
    body: { sku: "BIG-1", name: "x".repeat(config.bodyLimitBytes - 200) },
  });
  assert.equal(under.status, 400);
  assert.deepEqual(paths(under.body), ["json.name"]);
  const over = await call<ErrorBody>(url, "POST", "/api/v1/products", {
    token: manager,
    body: { sku: "BIG-1", name: "x".repeat(config.bodyLimitBytes) },
  });
  assert.equal(over.status, 413);
  assert.equal(over.body.error.code, "payload_too_large");
  const product = await createProduct(sql, t.id);
  const patch = await call<ErrorBody>(url, "PATCH", `/api/v1/products/${product.id}`, {
    token: manager,
    body: { unit: "é".repeat(500_000) },
  });
  assert.equal(patch.status, 400);
  assert.deepEqual(paths(patch.body), ["json.unit"]);
  const query = await call<ErrorBody>(url, "GET", `/api/v1/products?q=${"a".repeat(5000)}`, {
    token: manager,
  });
  assert.equal(query.status, 400);
  assert.deepEqual(paths(query.body), ["query.q"]);
  assert.equal(await count(t.id), 1);
  const [row] = await sql`select unit from public.products where id = ${product.id}`;
  assert.equal(row.unit, "pièce");
});

Deno.test("SQL and LIKE wildcards in strings are data, stored and matched verbatim", async () => {
  const { manager } = await shop();
  const name = `Robert'); drop table public.products; -- 100% "pur" _x_ \\`;
  const created = await call<Product>(url, "POST", "/api/v1/products", {
    token: manager,
    body: { sku: "BOBBY.TABLES/1", name },
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.name, name);
  await call(url, "POST", "/api/v1/products", {
    token: manager,
    body: { sku: "AUTRE", name: "100 g pur" },
  });
  const search = async (q: string) =>
    (await call<Page>(url, "GET", `/api/v1/products?q=${encodeURIComponent(q)}`, {
      token: manager,
    })).body.data.map((p) => p.sku);
  assert.deepEqual(await search("100%"), ["BOBBY.TABLES/1"], "% is literal");
  assert.deepEqual(await search("_x_"), ["BOBBY.TABLES/1"], "_ is literal");
  assert.deepEqual(await search("\\"), ["BOBBY.TABLES/1"], "\\ is literal");
  assert.deepEqual(await search("'); drop"), ["BOBBY.TABLES/1"]);
  const [{ n }] = await sql`select count(*)::int as n from public.products`;
  assert.ok(n >= 2, "the table is still there");
});

Deno.test("401 without a token; a viewer reads but every write is 403 insufficient_role", async () => {
  const { t, viewer } = await shop();
  const product = await createProduct(sql, t.id);
  const one = `/api/v1/products/${product.id}`;
  const writes: [string, string, unknown?][] = [
    ["POST", "/api/v1/products", { sku: "V-1", name: "Vu" }],
    ["PATCH", one, { name: "Vu" }],
    ["DELETE", one],
    ["DELETE", `${one}?hard=true`],
    ["POST", `${one}/restore`],
  ];
  for (const [method, path, body] of writes) {
    const denied = await call<ErrorBody>(url, method, path, { token: viewer, body });
    assert.equal(denied.status, 403, `${method} ${path}`);
    assert.equal(denied.body.error.code, "insufficient_role");
    assert.equal((await call(url, method, path, { body })).status, 401, `${method} ${path}`);
  }
  for (const path of ["/api/v1/products", one]) {
    assert.equal((await call(url, "GET", path, { token: viewer })).status, 200);
    assert.equal((await call(url, "GET", path)).status, 401);
  }
  const [row] = await sql`select name, archived_at from public.products where id = ${product.id}`;
  assert.deepEqual({ ...row }, { name: product.name, archived_at: null });
});

Deno.test("duplicate SKU (any case, archived or not) is 409 sku_taken; other shops may reuse it", async () => {
  const { t, manager } = await shop();
  const other = await shop();
  await createProduct(sql, t.id, { sku: "HUILE-5L", barcode: "6111000000011" });
  const duplicate = await call<ErrorBody>(url, "POST", "/api/v1/products", {
    token: manager,
    body: { sku: "huile-5l", name: "Huile" },
  });
  assert.equal(duplicate.status, 409);
  assert.equal(duplicate.body.error.code, "sku_taken");
  assert.match(duplicate.body.error.message, /référence/);
  assert.deepEqual(duplicate.body.error.details, { field: "sku" });
  const barcode = await call<ErrorBody>(url, "POST", "/api/v1/products", {
    token: manager,
    body: { sku: "HUILE-1L", name: "Huile 1 L", barcode: "6111000000011" },
  });
  assert.equal(barcode.status, 409);
  assert.equal(barcode.body.error.code, "barcode_taken");
  const archived = await createProduct(sql, t.id, {
    sku: "ANCIEN",
    archived_at: new Date().toISOString(),
  });
  const reuse = await call<ErrorBody>(url, "POST", "/api/v1/products", {
    token: manager,
    body: { sku: "ANCIEN", name: "Nouveau" },
  });
  assert.equal(reuse.status, 409, `archived ${archived.id} keeps its SKU`);
  const renamed = await call<ErrorBody>(url, "PATCH", `/api/v1/products/${archived.id}`, {
    token: manager,
    body: { sku: "HUILE-5L" },
  });
  assert.equal(renamed.status, 409);
  assert.equal(renamed.body.error.code, "sku_taken");
  const elsewhere = await call(url, "POST", "/api/v1/products", {
    token: other.manager,
    body: { sku: "HUILE-5L", name: "Huile", barcode: "6111000000011" },
  });
  assert.equal(elsewhere.status, 201);
});

Deno.test("another shop's product is 404 on every route; its category or supplier is 422 naming the field", async () => {
  const mine = await shop();
  const theirs = await shop();
  // The manager of `mine` is also a viewer of `theirs`: only the selected tenant counts.
  await sql`insert into public.memberships (tenant_id, user_id, role)
    values (${theirs.t.id}, ${mine.t.manager.id}, 'viewer')`;
  const foreign = await createProduct(sql, theirs.t.id);
  const foreignCategory = await createCategory(sql, theirs.t.id);
  const foreignSupplier = await createSupplier(sql, theirs.t.id);
  const one = `/api/v1/products/${foreign.id}`;
  const attempts: [string, string, unknown?][] = [
    ["GET", one],
    ["PATCH", one, { name: "Piraté" }],
    ["DELETE", one],
    ["DELETE", `${one}?hard=true`],
    ["POST", `${one}/restore`],
    ["GET", `/api/v1/products/${crypto.randomUUID()}`],
  ];
  for (const [method, path, body] of attempts) {
    const response = await call<ErrorBody>(url, method, path, { token: mine.manager, body });
    assert.equal(response.status, 404, `${method} ${path}`);
    assert.equal(response.body.error.code, "product_not_found");
  }
  const list = await call<Page>(url, "GET", "/api/v1/products?archived=include", {
    token: mine.manager,
  });
  assert.ok(!list.body.data.some((p) => p.id === foreign.id));
  assert.equal(
    (await call(url, "GET", "/api/v1/products/not-a-uuid", { token: mine.manager }))
      .status,
    400,
  );

  const withCategory = await call<ErrorBody>(url, "POST", "/api/v1/products", {
    token: mine.manager,
    body: { sku: "X-1", name: "X", category_id: foreignCategory.id },
  });
  assert.equal(withCategory.status, 422);
  assert.equal(withCategory.body.error.code, "category_not_found");
  assert.deepEqual(withCategory.body.error.details, { field: "category_id" });
  const mineProduct = await createProduct(sql, mine.t.id);
  const withSupplier = await call<ErrorBody>(
    url,
    "PATCH",
    `/api/v1/products/${mineProduct.id}`,
    { token: mine.manager, body: { supplier_id: foreignSupplier.id } },
  );
  assert.equal(withSupplier.status, 422);
  assert.equal(withSupplier.body.error.code, "supplier_not_found");
  assert.deepEqual(withSupplier.body.error.details, { field: "supplier_id" });
  const [row] = await sql`select name, archived_at from public.products where id = ${foreign.id}`;
  assert.deepEqual({ ...row }, { name: foreign.name, archived_at: null });
});

Deno.test("PATCH /products/{id} changes only the given fields; null clears; empty is 400", async () => {
  const { t, manager } = await shop();
  const category = await createCategory(sql, t.id);
  const product = await createProduct(sql, t.id, {
    category_id: category.id,
    sale_price_xof: 900,
    reorder_point: 20,
    max_stock: 120,
  });
  const path = `/api/v1/products/${product.id}`;
  const before = (await call<Product>(url, "GET", path, { token: manager })).body;
  const patched = await call<Product>(url, "PATCH", path, {
    token: manager,
    body: { sale_price_xof: 1000, category_id: null, active: false },
  });
  assert.equal(patched.status, 200);
  assert.deepEqual(patched.body, {
    ...before,
    sale_price_xof: 1000,
    category_id: null,
    active: false,
    updated_at: patched.body.updated_at,
  });
  assert.ok(patched.body.updated_at >= before.updated_at);
  const empty = await call<ErrorBody>(url, "PATCH", path, { token: manager, body: {} });
  assert.equal(empty.status, 400);
  const notNull = await call<ErrorBody>(url, "PATCH", path, {
    token: manager,
    body: { name: null, sku: null },
  });
  assert.equal(notNull.status, 400);
  assert.deepEqual(paths(notNull.body), ["json.name", "json.sku"]);
  const both = await call<ErrorBody>(url, "PATCH", path, {
    token: manager,
    body: { reorder_point: 10, max_stock: 5 },
  });
  assert.deepEqual([both.status, paths(both.body)], [400, ["json.max_stock"]]);
  const belowStored = await call<ErrorBody>(url, "PATCH", path, {
    token: manager,
    body: { max_stock: 10 },
  });
  assert.equal(belowStored.status, 422, "the database compares with the stored reorder point");
  assert.equal(belowStored.body.error.code, "max_stock_below_reorder_point");
  assert.deepEqual(belowStored.body.error.details, { field: "max_stock" });
  const [row] = await sql`select max_stock, sale_price_xof::int as price
    from public.products where id = ${product.id}`;
  assert.deepEqual({ ...row }, { max_stock: 120, price: 1000 });
});

Deno.test("DELETE archives (idempotent), restore brings back, ?hard=true deletes for good", async () => {
  const { t, manager } = await shop();
  const product = await createProduct(sql, t.id);
  const path = `/api/v1/products/${product.id}`;
  const archived = await call<Product>(url, "DELETE", path, { token: manager });
  assert.equal(archived.status, 200);
  assert.ok(archived.body.archived_at);
  const again = await call<Product>(url, "DELETE", path, { token: manager });
  assert.equal(again.body.archived_at, archived.body.archived_at, "first archiving time kept");
  const list = async (archivedFilter: string) =>
    (await call<Page>(url, "GET", `/api/v1/products?archived=${archivedFilter}`, {
      token: manager,
    })).body.data.map((p) => p.id);
  assert.deepEqual(await list("exclude"), []);
  assert.deepEqual(await list("only"), [product.id]);
  assert.deepEqual(await list("include"), [product.id]);
  assert.equal((await call(url, "GET", path, { token: manager })).status, 200);

  const restored = await call<Product>(url, "POST", `${path}/restore`, { token: manager });
  assert.equal(restored.status, 200);
  assert.equal(restored.body.archived_at, null);
  assert.deepEqual(await list("exclude"), [product.id]);

  const bad = await call<ErrorBody>(url, "DELETE", `${path}?hard=yes`, { token: manager });
  assert.deepEqual([bad.status, paths(bad.body)], [400, ["query.hard"]]);
  const deleted = await call(url, "DELETE", `${path}?hard=true`, { token: manager });
  assert.equal(deleted.status, 204);
  assert.equal((await call(url, "GET", path, { token: manager })).status, 404);
  assert.equal((await call(url, "DELETE", `${path}?hard=true`, { token: manager })).status, 404);
  assert.equal(await count(t.id), 0);
});

Deno.test("close the stack", async () => {
  await stack.close();
});
