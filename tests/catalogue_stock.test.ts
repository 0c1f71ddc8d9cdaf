/**
 * The product list carries each product's stock from the ledger (`stock_on_hand`, all
 * locations), filters low stock (at or below the reorder point) and sorts by stock.
 */
import assert from "node:assert/strict";
import { call, createLocation, createProduct, createTenantWithTokens } from "./helpers/fixtures.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

type Product = { id: string; sku: string; stock_on_hand: number };
type Page = { data: Product[]; page: { total: number } };

Deno.test("GET /products shows stock on hand over all locations, filters and sorts by it", async () => {
  const { t, manager, viewer } = await createTenantWithTokens(sql, config);
  const depot = await createLocation(sql, t.id, { name: "Dépôt Pikine", kind: "warehouse" });
  const riz = await createProduct(sql, t.id, { sku: "RIZ", reorder_point: 5 });
  const huile = await createProduct(sql, t.id, { sku: "HUILE", reorder_point: 8 });
  const sucre = await createProduct(sql, t.id, { sku: "SUCRE", reorder_point: 0 });
  const move = (body: Record<string, unknown>) =>
    call(url, "POST", "/api/v1/movements", { token: manager, body });
  for (
    const body of [
      { kind: "receipt", product_id: riz.id, quantity: 4, unit_cost_xof: 15500 },
      {
        kind: "receipt",
        product_id: riz.id,
        location_id: depot.id,
        quantity: 10,
        unit_cost_xof: 15000,
      },
      { kind: "receipt", product_id: huile.id, quantity: 8, unit_cost_xof: 5800 },
      { kind: "sale", product_id: riz.id, quantity: 1 },
    ]
  ) {
    const response = await move(body);
    assert.equal(response.status, 201, JSON.stringify(response.body));
  }

  const all = await call<Page>(url, "GET", "/api/v1/products?sort=stock_on_hand", {
    token: viewer,
  });
  assert.equal(all.status, 200);
  assert.deepEqual(all.body.data.map((p) => [p.sku, p.stock_on_hand]), [
    ["SUCRE", 0],
    ["HUILE", 8],
    ["RIZ", 13],
  ]);

  const low = await call<Page>(url, "GET", "/api/v1/products?low_stock=true&sort=sku", {
    token: viewer,
  });
  assert.deepEqual(low.body.data.map((p) => p.sku), ["HUILE", "SUCRE"], "8 ≤ 8 and 0 ≤ 0");
  assert.equal(low.body.page.total, 2);
  const ok = await call<Page>(url, "GET", "/api/v1/products?low_stock=false", { token: viewer });
  assert.deepEqual(ok.body.data.map((p) => p.sku), ["RIZ"]);

  const one = await call<Product>(url, "GET", `/api/v1/products/${sucre.id}`, { token: viewer });
  assert.equal(one.body.stock_on_hand, 0);
  const renamed = await call<Product>(url, "PATCH", `/api/v1/products/${riz.id}`, {
    token: manager,
    body: { name: "Riz brisé 50 kg" },
  });
  assert.equal(renamed.body.stock_on_hand, 13, "writes answer with the stock too");
  const bad = await call(url, "GET", "/api/v1/products?low_stock=maybe", { token: viewer });
  assert.equal(bad.status, 400);
});

Deno.test("close the stack", async () => {
  await stack.close();
});
