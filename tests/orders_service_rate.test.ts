/**
 * GET /service-rate on a small hand-computed case: by product and by order day (the
 * tenant's time zone), closed orders only, shop cancellations counted as not delivered,
 * customer cancellations counting only what was delivered; validation, 401, isolation.
 */
import assert from "node:assert/strict";
import { call, createMovement, createProduct, createTenantWithTokens } from "./helpers/fixtures.ts";
import type { ErrorBody } from "./helpers/ledger.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

type Rate = {
  product_id: string | null;
  day: string | null;
  lines: number;
  quantity_ordered: number;
  quantity_delivered: number;
  fill_rate: number;
};
type Body = {
  total: { quantity_ordered: number; quantity_delivered: number; fill_rate: number | null };
  data: Rate[];
} & ErrorBody;
type Order = { id: string; lines: { id: string }[] };

const s = await createTenantWithTokens(sql, config);
const rice = await createProduct(sql, s.t.id);
const oil = await createProduct(sql, s.t.id);
for (const product of [rice, oil]) {
  await createMovement(sql, s.t.id, {
    product_id: product.id,
    kind: "receipt",
    quantity: 100,
    unit_cost_xof: 1,
  });
}
const post = async <T>(path: string, body: unknown) => {
  const res = await call<T & ErrorBody>(url, "POST", `/api/v1${path}`, { token: s.manager, body });
  assert.ok(res.status < 300, `${path}: ${JSON.stringify(res.body)}`);
  return res.body;
};

/** An order of one line, confirmed, then delivered `deliver` and optionally cancelled. */
async function order(
  orderedAt: string,
  productId: string,
  quantity: number,
  deliver: number,
  end?: "confirmed" | "draft" | "customer" | "shop",
) {
  const created = await post<Order>("/sales-orders", {
    ordered_at: orderedAt,
    lines: [{ product_id: productId, quantity }],
  });
  if (end === "draft") return;
  await post(`/sales-orders/${created.id}/confirm`, {});
  if (deliver > 0) {
    await post(`/sales-orders/${created.id}/deliver`, {
      lines: [{ line_id: created.lines[0].id, quantity: deliver }],
    });
  }
  if (end === "customer" || end === "shop") {
    await post(`/sales-orders/${created.id}/cancel`, { cancelled_by: end });
  }
}

// Day 10 (Dakar = UTC): rice 10/10 delivered; oil 4 ordered, 1 delivered, closed short by the shop.
await order("2026-11-10T08:00:00Z", rice.id, 10, 10);
await order("2026-11-10T23:30:00Z", oil.id, 4, 1, "shop");
// Day 11: rice 5 ordered, 2 delivered, then the customer cancels (counts 2 / 2).
await order("2026-11-11T09:00:00Z", rice.id, 5, 2, "customer");
// Left out: an open order (3 ordered, 1 delivered), a draft, an order before `from`.
await order("2026-11-11T10:00:00Z", rice.id, 3, 1, "confirmed");
await order("2026-11-11T11:00:00Z", oil.id, 7, 0, "draft");
await order("2026-11-09T23:59:00Z", oil.id, 2, 0, "shop");

const rate = (query: string, token = s.viewer) =>
  call<Body>(url, "GET", `/api/v1/service-rate?${query}`, { token });

Deno.test("GET /service-rate by product: closed orders, hand-computed", async () => {
  const res = await rate("from=2026-11-10&to=2026-11-11&group_by=product");
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const of = (id: string) => res.body.data.find((row) => row.product_id === id);
  assert.deepEqual(of(rice.id), {
    product_id: rice.id,
    day: null,
    lines: 2,
    quantity_ordered: 12,
    quantity_delivered: 12,
    fill_rate: 1,
  });
  assert.deepEqual([
    of(oil.id)?.quantity_ordered,
    of(oil.id)?.quantity_delivered,
    of(oil.id)?.fill_rate,
  ], [4, 1, 0.25]);
  assert.deepEqual(res.body.total, {
    quantity_ordered: 16,
    quantity_delivered: 13,
    fill_rate: 0.8125,
  });
});

Deno.test("GET /service-rate by day uses the order date in the tenant's time zone", async () => {
  const res = await rate("from=2026-11-10&to=2026-11-11&group_by=day");
  assert.equal(res.status, 200);
  assert.deepEqual(
    res.body.data.map((
      row,
    ) => [row.day, row.quantity_ordered, row.quantity_delivered, row.fill_rate]),
    [
      ["2026-11-10", 14, 11, 0.7857],
      ["2026-11-11", 2, 2, 1],
    ],
  );
  // In Africa/Lagos (UTC+1) the oil order of 10 Nov 23:30 UTC falls on day 11 (2 + 4) and
  // the one of 9 Nov 23:59 UTC on day 10 (10 + 2).
  await sql`update public.tenants set timezone = 'Africa/Lagos' where id = ${s.t.id}`;
  try {
    const shifted = await rate("from=2026-11-10&to=2026-11-11&group_by=day");
    assert.deepEqual(shifted.body.data.map((row) => [row.day, row.quantity_ordered]), [
      ["2026-11-10", 12],
      ["2026-11-11", 6],
    ]);
  } finally {
    await sql`update public.tenants set timezone = 'Africa/Dakar' where id = ${s.t.id}`;
  }
});

Deno.test("GET /service-rate: 400 with field paths, 401, another shop sees nothing", async () => {
  const bad = await rate("from=2026-11-12&to=2026-11-10");
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details?.[0].path, "query.to");
  assert.equal((await rate("from=yesterday&to=2026-11-10")).status, 400);
  assert.equal((await rate("from=2026-11-10&to=2026-11-11&group_by=week")).status, 400);
  assert.equal(
    (await call(url, "GET", "/api/v1/service-rate?from=2026-11-10&to=2026-11-11")).status,
    401,
  );
  const other = await createTenantWithTokens(sql, config);
  const empty = await rate("from=2026-11-10&to=2026-11-11", other.viewer);
  assert.equal(empty.status, 200);
  assert.deepEqual(empty.body.data, []);
  assert.equal(empty.body.total.fill_rate, null);
});
