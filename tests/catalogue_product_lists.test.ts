/**
 * Products API lists: limit/offset pagination with a total, sort on every key in both
 * directions with ties broken by id, search ignoring case and accents, filters, and
 * the 400 for every malformed query parameter.
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

type Page = PageOf<{ id: string; sku: string; name: string }>;

const shop = () => createTenantWithTokens(sql, config);

Deno.test("GET /products paginates with limit/offset and a total", async () => {
  const { t, viewer } = await shop();
  for (let i = 1; i <= 7; i++) {
    await createProduct(sql, t.id, { sku: `P-${i}`, name: `Produit ${i}` });
  }
  const get = (query: string) =>
    call<Page>(url, "GET", `/api/v1/products?${query}`, { token: viewer });
  const first = await get("limit=3&sort=sku");
  assert.deepEqual(first.body.page, { limit: 3, offset: 0, total: 7 });
  assert.deepEqual(first.body.data.map((p) => p.sku), ["P-1", "P-2", "P-3"]);
  const last = await get("limit=3&offset=6&sort=sku");
  assert.deepEqual(last.body.data.map((p) => p.sku), ["P-7"]);
  const beyond = await get("limit=3&offset=100");
  assert.deepEqual([beyond.body.data.length, beyond.body.page.total], [0, 7]);
  const defaults = await get("");
  assert.deepEqual(defaults.body.page, { limit: 50, offset: 0, total: 7 });
  const walked: string[] = [];
  for (let offset = 0; offset < 7; offset += 2) {
    walked.push(...(await get(`limit=2&offset=${offset}&sort=-sku`)).body.data.map((p) => p.sku));
  }
  assert.deepEqual(walked, ["P-7", "P-6", "P-5", "P-4", "P-3", "P-2", "P-1"]);
  for (
    const [query, path] of [
      ["limit=0", "query.limit"],
      ["limit=201", "query.limit"],
      ["limit=abc", "query.limit"],
      ["offset=-1", "query.offset"],
      ["sort=price", "query.sort"],
      ["sort=--name", "query.sort"],
      ["archived=maybe", "query.archived"],
      ["active=1", "query.active"],
      ["category_id=12", "query.category_id"],
      ["color=red", "query"],
    ]
  ) {
    const response = await get(query) as unknown as { status: number; body: ErrorBody };
    assert.equal(response.status, 400, query);
    assert.deepEqual(paths(response.body), [path], query);
  }
});

Deno.test("GET /products sorts by name, sku, price, cost and dates, ties broken by id", async () => {
  const { t, viewer } = await shop();
  const rows = [
    { sku: "b-2", name: "Éponge", sale_price_xof: 500, unit_cost_xof: 300 },
    { sku: "A-1", name: "eau minérale", sale_price_xof: 400, unit_cost_xof: 300 },
    { sku: "C-3", name: "Zeste", sale_price_xof: 500, unit_cost_xof: 100 },
    { sku: "a-0", name: "Ail", sale_price_xof: 500, unit_cost_xof: 300 },
  ];
  const ids: Record<string, string> = {};
  for (const row of rows) ids[row.sku] = (await createProduct(sql, t.id, row)).id;
  await sql`update public.products set updated_at = now() + interval '1 hour'
    where id = ${ids["A-1"]}`;
  const order = async (sort: string) =>
    (await call<Page>(url, "GET", `/api/v1/products?sort=${sort}`, { token: viewer })).body
      .data.map((p) => p.sku);
  const byId = (skus: string[]) => [...skus].sort((a, b) => ids[a] < ids[b] ? -1 : 1);
  assert.deepEqual(await order("name"), ["a-0", "A-1", "b-2", "C-3"], "accents ignored");
  assert.deepEqual(await order("-name"), ["C-3", "b-2", "A-1", "a-0"]);
  assert.deepEqual(await order("sku"), ["a-0", "A-1", "b-2", "C-3"], "case ignored");
  const cheapest = ["A-1", ...byId(["b-2", "C-3", "a-0"])];
  assert.deepEqual(await order("sale_price_xof"), cheapest);
  assert.deepEqual(await order("-sale_price_xof"), [...cheapest].reverse());
  assert.deepEqual(await order("unit_cost_xof"), ["C-3", ...byId(["b-2", "A-1", "a-0"])]);
  assert.equal((await order("-updated_at"))[0], "A-1");
  assert.equal((await order("updated_at"))[3], "A-1");
  assert.equal((await order("created_at")).length, 4);
});

Deno.test("GET /products filters by q (case, accents, SKU, barcode), category, supplier, active", async () => {
  const { t, viewer } = await shop();
  const drinks = await createCategory(sql, t.id);
  const grocery = await createCategory(sql, t.id);
  const supplier = await createSupplier(sql, t.id);
  await createProduct(sql, t.id, {
    sku: "CAFE-TOUBA-250",
    name: "Café Touba 250 g",
    category_id: drinks.id,
    supplier_id: supplier.id,
  });
  await createProduct(sql, t.id, {
    sku: "THE-ATAYA",
    name: "Thé vert Ataya",
    category_id: drinks.id,
    active: false,
  });
  await createProduct(sql, t.id, {
    sku: "OEUF-30",
    name: "Œufs (plateau de 30)",
    category_id: grocery.id,
    supplier_id: supplier.id,
    barcode: "6111222333444",
  });
  await createProduct(sql, t.id, {
    sku: "RIZ-50",
    name: "Riz brisé",
    archived_at: new Date().toISOString(),
  });
  const skus = async (query: string) =>
    (await call<Page>(url, "GET", `/api/v1/products?${query}&sort=sku`, { token: viewer })).body
      .data.map((p) => p.sku);
  assert.deepEqual(await skus("q=CAFE"), ["CAFE-TOUBA-250"], "accents and case ignored");
  assert.deepEqual(await skus(`q=${encodeURIComponent("thé")}`), ["THE-ATAYA"]);
  assert.deepEqual(await skus(`q=${encodeURIComponent("ŒUFS")}`), ["OEUF-30"], "ligatures");
  assert.deepEqual(await skus("q=touba-2"), ["CAFE-TOUBA-250"], "inside the SKU");
  assert.deepEqual(await skus("q=6111222333444"), ["OEUF-30"], "barcode");
  assert.deepEqual(await skus("q=riz"), [], "archived left out");
  assert.deepEqual(await skus("q=riz&archived=include"), ["RIZ-50"]);
  assert.deepEqual(await skus(`category_id=${drinks.id}`), ["CAFE-TOUBA-250", "THE-ATAYA"]);
  assert.deepEqual(await skus(`supplier_id=${supplier.id}`), ["CAFE-TOUBA-250", "OEUF-30"]);
  assert.deepEqual(await skus("active=false"), ["THE-ATAYA"]);
  assert.deepEqual(await skus(`active=true&category_id=${drinks.id}`), ["CAFE-TOUBA-250"]);
  assert.deepEqual(await skus(`category_id=${crypto.randomUUID()}`), []);
  const page = await call<Page>(url, "GET", `/api/v1/products?category_id=${drinks.id}&limit=1`, {
    token: viewer,
  });
  assert.equal(page.body.page.total, 2, "the total counts the filtered rows");
});

Deno.test("close the stack", async () => {
  await stack.close();
});
