/**
 * Reading stock: GET /stock-levels (filters, low stock, search, sort, pagination, only
 * the shop's own rows) and GET /products/{id}/ledger (running balance, location filter,
 * order, pagination, 404 for another shop's product).
 */
import assert from "node:assert/strict";
import {
  call,
  createLocation,
  createMovement,
  createProduct,
  createTenantWithTokens,
  defaultLocation,
  type Page,
} from "./helpers/fixtures.ts";
import { type ErrorBody, type Movement, paths } from "./helpers/ledger.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

type StockLevel = {
  product_id: string;
  sku: string;
  product_name: string;
  location_id: string;
  location_name: string;
  quantity: number;
  reorder_point: number;
  low_stock: boolean;
  average_unit_cost_xof: number | null;
  value_xof: number | null;
};
type Ledger = Page<Movement & { balance: number }> & {
  product: { id: string; sku: string };
  location_id: string | null;
};

const shop = () => createTenantWithTokens(sql, config);
const get = <T>(token: string, path: string) => call<T & ErrorBody>(url, "GET", path, { token });

Deno.test("GET /stock-levels lists the shop's levels with filters, low stock, search and pages", async () => {
  const { t, viewer } = await shop();
  const other = await shop();
  const rice = await createProduct(sql, t.id, {
    sku: "RIZ-25",
    name: "Riz parfumé",
    reorder_point: 10,
  });
  const oil = await createProduct(sql, t.id, { sku: "HUILE-1L", name: "Huile", reorder_point: 2 });
  const shelf = await defaultLocation(sql, t.id);
  const depot = await createLocation(sql, t.id, { name: "Dépôt Thiaroye" });
  const receive = (product_id: string, quantity: number, location_id: string, cost = 100) =>
    createMovement(sql, t.id, {
      product_id,
      kind: "receipt",
      quantity,
      unit_cost_xof: cost,
      location_id,
    });
  await receive(rice.id, 10, shelf, 100);
  await receive(rice.id, 30, depot.id, 200);
  await receive(oil.id, 5, shelf);
  const theirs = await createProduct(sql, other.t.id);
  await createMovement(sql, other.t.id, {
    product_id: theirs.id,
    kind: "receipt",
    quantity: 1,
    unit_cost_xof: 1,
  });

  const all = await get<Page<StockLevel>>(viewer, "/api/v1/stock-levels");
  assert.equal(all.status, 200);
  assert.equal(all.body.page.total, 3, "only this shop's levels");
  const rows = all.body.data.map((l) => [l.sku, l.location_name, l.quantity].join(" "));
  assert.equal(rows[0], "HUILE-1L Boutique principale 5", "sorted by SKU");
  assert.deepEqual(rows.slice(1).sort(), [
    "RIZ-25 Boutique principale 10",
    "RIZ-25 Dépôt Thiaroye 30",
  ]);
  const riceShelf = all.body.data.find((l) => l.sku === "RIZ-25" && l.location_id === shelf)!;
  assert.equal(riceShelf.average_unit_cost_xof, 175);
  assert.equal(riceShelf.value_xof, 1750);
  assert.equal(riceShelf.low_stock, true, "10 ≤ reorder point 10");

  const low = await get<Page<StockLevel>>(viewer, "/api/v1/stock-levels?low_stock=true");
  assert.deepEqual(low.body.data.map((l) => [l.sku, l.quantity]), [["RIZ-25", 10]]);
  const notLow = await get<Page<StockLevel>>(viewer, "/api/v1/stock-levels?low_stock=false");
  assert.equal(notLow.body.page.total, 2);
  const atDepot = await get<Page<StockLevel>>(
    viewer,
    `/api/v1/stock-levels?location_id=${depot.id}`,
  );
  assert.deepEqual(atDepot.body.data.map((l) => l.quantity), [30]);
  const ofRice = await get<Page<StockLevel>>(
    viewer,
    `/api/v1/stock-levels?product_id=${rice.id}&sort=-quantity&limit=1`,
  );
  assert.deepEqual([ofRice.body.page.total, ofRice.body.data[0].quantity], [2, 30]);
  const search = await get<Page<StockLevel>>(viewer, "/api/v1/stock-levels?q=PARFUME");
  assert.equal(search.body.page.total, 2, "search ignores case and accents");
  const foreign = await get<Page<StockLevel>>(
    viewer,
    `/api/v1/stock-levels?product_id=${theirs.id}`,
  );
  assert.deepEqual([foreign.status, foreign.body.page.total], [200, 0]);
  for (const query of ["low_stock=yes", "product_id=x", "sort=price", "limit=0", "colour=red"]) {
    const bad = await get<unknown>(viewer, `/api/v1/stock-levels?${query}`);
    assert.equal(bad.status, 400, query);
  }
  assert.equal((await call(url, "GET", "/api/v1/stock-levels")).status, 401);
});

Deno.test("GET /products/{id}/ledger gives each movement with the balance after it, paginated", async () => {
  const { t, viewer, manager } = await shop();
  const rice = await createProduct(sql, t.id);
  const shelf = await defaultLocation(sql, t.id);
  const depot = await createLocation(sql, t.id);
  const move = (values: Record<string, string | number>) =>
    createMovement(sql, t.id, { product_id: rice.id, ...values } as never);
  await move({
    kind: "receipt",
    quantity: 10,
    unit_cost_xof: 1,
    occurred_at: "2026-01-01T08:00:00Z",
  });
  await move({ kind: "sale", quantity: -3, occurred_at: "2026-01-02T08:00:00Z" });
  await move({
    kind: "receipt",
    quantity: 5,
    unit_cost_xof: 1,
    location_id: depot.id,
    occurred_at: "2026-01-03T08:00:00Z",
  });
  await move({ kind: "return", quantity: 1, occurred_at: "2026-01-04T08:00:00Z" });
  // Recorded last, dated first: it takes its place at the start of the history.
  await move({
    kind: "receipt",
    quantity: 2,
    unit_cost_xof: 1,
    occurred_at: "2025-12-31T08:00:00Z",
  });

  const path = `/api/v1/products/${rice.id}/ledger`;
  const newest = await get<Ledger>(viewer, path);
  assert.equal(newest.status, 200);
  assert.equal(newest.body.product.id, rice.id);
  assert.deepEqual(newest.body.data.map((m) => [m.kind, m.quantity, m.balance]), [
    ["return", 1, 15],
    ["receipt", 5, 14],
    ["sale", -3, 9],
    ["receipt", 10, 12],
    ["receipt", 2, 2],
  ]);
  assert.equal(newest.body.page.total, 5);
  const chronological = await get<Ledger>(viewer, `${path}?sort=occurred_at&limit=2&offset=1`);
  assert.deepEqual(chronological.body.data.map((m) => m.balance), [12, 9]);
  assert.deepEqual(chronological.body.page, { limit: 2, offset: 1, total: 5 });
  const atShelf = await get<Ledger>(viewer, `${path}?location_id=${shelf}&sort=occurred_at`);
  assert.deepEqual(atShelf.body.data.map((m) => m.balance), [2, 12, 9, 10]);
  assert.equal(atShelf.body.location_id, shelf);

  await call(url, "POST", "/api/v1/transfers", {
    token: manager,
    body: { product_id: rice.id, from_location_id: shelf, to_location_id: depot.id, quantity: 4 },
  });
  const afterTransfer = await get<Ledger>(viewer, `${path}?limit=2`);
  assert.deepEqual(afterTransfer.body.data.map((m) => [m.kind, m.balance]), [
    ["transfer_in", 15],
    ["transfer_out", 11],
  ], "a transfer leaves the product's total unchanged");
  const [{ level }] = await sql`select sum(quantity)::int as level from public.stock_levels
    where product_id = ${rice.id}`;
  assert.equal(level, afterTransfer.body.data[0].balance, "the last balance is the stock");
});

Deno.test("GET /products/{id}/ledger: another shop's product is 404; bad input is 400; no token 401", async () => {
  const mine = await shop();
  const theirs = await shop();
  const foreign = await createProduct(sql, theirs.t.id);
  await createMovement(sql, theirs.t.id, {
    product_id: foreign.id,
    kind: "receipt",
    quantity: 3,
    unit_cost_xof: 1,
  });
  for (const id of [foreign.id, crypto.randomUUID()]) {
    const response = await get<unknown>(mine.manager, `/api/v1/products/${id}/ledger`);
    assert.equal(response.status, 404);
    assert.equal(response.body.error.code, "product_not_found");
  }
  const own = await createProduct(sql, mine.t.id);
  const bad = await get<unknown>(mine.viewer, `/api/v1/products/${own.id}/ledger?limit=500&sort=x`);
  assert.deepEqual([bad.status, paths(bad.body)], [400, ["query.limit", "query.sort"]]);
  assert.equal((await get<unknown>(mine.viewer, "/api/v1/products/riz/ledger")).status, 400);
  assert.equal((await call(url, "GET", `/api/v1/products/${own.id}/ledger`)).status, 401);
});

Deno.test("openapi.json documents the stock routes, their Idempotency-Key and their errors", async () => {
  const { status, body } = await call<{
    paths: Record<string, Record<string, { parameters?: { name: string }[]; responses: object }>>;
  }>(url, "GET", "/api/v1/openapi.json");
  assert.equal(status, 200);
  const writes = ["/movements", "/movements/batch", "/transfers", "/stock-counts"];
  for (const path of writes) {
    const op = body.paths[path]?.post;
    assert.ok(op, `post ${path} is documented`);
    assert.ok(op.parameters?.some((p) => p.name === "idempotency-key"), `${path}: its key`);
    for (const code of ["400", "401", "403", "404", "409", "415", "422"]) {
      assert.ok(code in op.responses, `post ${path} documents ${code}`);
    }
  }
  assert.ok(body.paths["/stock-levels"]?.get);
  assert.ok("404" in body.paths["/products/{id}/ledger"]!.get.responses);
});

Deno.test("close the stack", async () => {
  await stack.close();
});
