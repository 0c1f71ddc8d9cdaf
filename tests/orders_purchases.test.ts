/**
 * Purchase orders through the API: routes valid / invalid / 401 / 403 / 404; the state
 * machine (draft → sent → partially received → received, cancelled); receipts write
 * receipt movements with unit cost (weighted average cost and stock read through
 * /stock-levels); lead times per receipt and their statistics on hand-computed values.
 */
import assert from "node:assert/strict";
import { call, createProduct, createSupplier, createTenantWithTokens } from "./helpers/fixtures.ts";
import { type ErrorBody, movementCount, paths } from "./helpers/ledger.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

type Line = { id: string; quantity_ordered: number; quantity_received: number };
type Receipt = { line_id: string; quantity: number; unit_cost_xof: number; lead_time_days: number };
type Order = {
  id: string;
  status: string;
  sent_at: string | null;
  lines: Line[];
  receipts: Receipt[];
};
type Res = Order & ErrorBody & { data: Order[]; page: { total: number } };
type Stats = {
  data: {
    supplier_id: string;
    product_id: string | null;
    receipts: number;
    mean_days: number;
    p50_days: number;
    p90_days: number;
    min_days: number;
    max_days: number;
  }[];
} & ErrorBody;

const api = (method: string, path: string, token?: string, body?: unknown) =>
  call<Res>(url, method, `/api/v1${path}`, { token, body });

async function shop() {
  const s = await createTenantWithTokens(sql, config);
  const supplier = await createSupplier(sql, s.t.id);
  const rice = await createProduct(sql, s.t.id);
  const oil = await createProduct(sql, s.t.id);
  return { ...s, supplier, rice, oil };
}

/** A sent order (sent at `sentAt`) of 30 rice at 100 XOF and 5 oil at 900 XOF. */
async function sentOrder(s: Awaited<ReturnType<typeof shop>>, sentAt = "2026-11-01T00:00:00Z") {
  const created = await api("POST", "/purchase-orders", s.manager, {
    supplier_id: s.supplier.id,
    reference: "BC-7",
    ordered_at: "2026-10-31T00:00:00Z",
    lines: [
      { product_id: s.rice.id, quantity: 30, unit_cost_xof: 100 },
      { product_id: s.oil.id, quantity: 5, unit_cost_xof: 900 },
    ],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const sent = await api("POST", `/purchase-orders/${created.body.id}/send`, s.manager, {});
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  assert.equal(sent.body.status, "sent");
  await sql`update public.purchase_orders set sent_at = ${sentAt} where id = ${created.body.id}`;
  return sent.body;
}

async function levelOf(token: string, productId: string) {
  const res = await call<{ data: { quantity: number; average_unit_cost_xof: number | null }[] }>(
    url,
    "GET",
    `/api/v1/stock-levels?product_id=${productId}`,
    { token },
  );
  return res.body.data[0] ?? { quantity: 0, average_unit_cost_xof: null };
}

Deno.test("purchase order routes: create, list, get; 400, 401, 403, 404", async () => {
  const s = await shop();
  const other = await shop();
  const order = await sentOrder(s);
  const list = await api("GET", `/purchase-orders?supplier_id=${s.supplier.id}`, s.viewer);
  assert.equal(list.status, 200);
  assert.equal(list.body.page.total, 1);
  assert.equal((await api("GET", `/purchase-orders/${order.id}`, s.viewer)).status, 200);
  const bad = await api("POST", "/purchase-orders", s.manager, {
    supplier_id: "nope",
    lines: [{ product_id: s.rice.id, quantity: -1 }],
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(paths(bad.body), [
    "json.lines.0.quantity",
    "json.lines.0.unit_cost_xof",
    "json.supplier_id",
  ]);
  assert.equal((await api("GET", "/purchase-orders")).status, 401);
  assert.equal(
    (await api("POST", "/purchase-orders", s.viewer, { supplier_id: s.supplier.id })).status,
    403,
  );
  const foreign = await api("POST", "/purchase-orders", s.manager, {
    supplier_id: other.supplier.id,
  });
  assert.equal(foreign.status, 404);
  assert.equal(foreign.body.error.code, "supplier_not_found");
  for (
    const [method, path, body] of [
      ["GET", `/purchase-orders/${order.id}`, undefined],
      ["POST", `/purchase-orders/${order.id}/lines`, {
        product_id: s.rice.id,
        quantity: 1,
        unit_cost_xof: 1,
      }],
      ["PATCH", `/purchase-orders/${order.id}/lines/${order.lines[0].id}`, { quantity: 1 }],
      ["POST", `/purchase-orders/${order.id}/send`, {}],
      ["POST", `/purchase-orders/${order.id}/receive`, {
        lines: [{ line_id: order.lines[0].id, quantity: 1 }],
      }],
      ["POST", `/purchase-orders/${order.id}/cancel`, {}],
    ] as const
  ) {
    const res = await api(method, path, other.manager, body);
    assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
    const viewer = await api(method, path, s.viewer, body);
    assert.equal(viewer.status, method === "GET" ? 200 : 403, `${method} ${path} as viewer`);
  }
});

Deno.test("draft lines, send once, partial then full receipt with weighted average cost", async () => {
  const s = await shop();
  const draft = await api("POST", "/purchase-orders", s.manager, { supplier_id: s.supplier.id });
  assert.equal(
    (await api("POST", `/purchase-orders/${draft.body.id}/send`, s.manager, {})).status,
    422,
  );
  const added = await api("POST", `/purchase-orders/${draft.body.id}/lines`, s.manager, {
    product_id: s.rice.id,
    quantity: 3,
    unit_cost_xof: 50,
  });
  assert.equal(added.status, 201);
  const patched = await api(
    "PATCH",
    `/purchase-orders/${draft.body.id}/lines/${added.body.lines[0].id}`,
    s.manager,
    { unit_cost_xof: 60 },
  );
  assert.equal(patched.status, 200);
  const early = await api("POST", `/purchase-orders/${draft.body.id}/receive`, s.manager, {
    lines: [{ line_id: added.body.lines[0].id, quantity: 1 }],
  });
  assert.equal(early.status, 409, "a draft is not received");

  const order = await sentOrder(s);
  assert.equal((await api("POST", `/purchase-orders/${order.id}/send`, s.manager, {})).status, 409);
  const late = await api(
    "PATCH",
    `/purchase-orders/${order.id}/lines/${order.lines[0].id}`,
    s.manager,
    { quantity: 2 },
  );
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, "order_not_draft");
  const first = await api("POST", `/purchase-orders/${order.id}/receive`, s.manager, {
    lines: [{ line_id: order.lines[0].id, quantity: 10 }],
    received_at: "2026-11-04T00:00:00Z",
  });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.status, "partially_received");
  assert.deepEqual(
    first.body.receipts.map((r) => [r.quantity, r.unit_cost_xof, r.lead_time_days]),
    [[10, 100, 3]],
  );
  assert.deepEqual(await levelOf(s.viewer, s.rice.id), {
    ...await levelOf(s.viewer, s.rice.id),
    quantity: 10,
    average_unit_cost_xof: 100,
  });
  const over = await api("POST", `/purchase-orders/${order.id}/receive`, s.manager, {
    lines: [{ line_id: order.lines[0].id, quantity: 21 }],
  });
  assert.equal(over.status, 409);
  assert.equal(over.body.error.code, "quantity_exceeds_remaining");
  const rest = await api("POST", `/purchase-orders/${order.id}/receive`, s.manager, {
    lines: [
      { line_id: order.lines[0].id, quantity: 20, unit_cost_xof: 250 },
      { line_id: order.lines[1].id, quantity: 5 },
    ],
    received_at: "2026-11-08T12:00:00Z",
  });
  assert.equal(rest.status, 200, JSON.stringify(rest.body));
  assert.equal(rest.body.status, "received");
  const rice = await levelOf(s.viewer, s.rice.id);
  assert.equal(rice.quantity, 30);
  assert.equal(rice.average_unit_cost_xof, 200, "(10 × 100 + 20 × 250) ÷ 30");
  assert.equal((await levelOf(s.viewer, s.oil.id)).quantity, 5);
  const closed = await api("POST", `/purchase-orders/${order.id}/cancel`, s.manager, {});
  assert.equal(closed.status, 409, "a received order is not cancelled");
});

Deno.test("cancel keeps what was received and refuses later receipts", async () => {
  const s = await shop();
  const order = await sentOrder(s);
  await api("POST", `/purchase-orders/${order.id}/receive`, s.manager, {
    lines: [{ line_id: order.lines[0].id, quantity: 4 }],
  });
  const before = await movementCount(sql, s.t.id);
  const cancelled = await api("POST", `/purchase-orders/${order.id}/cancel`, s.manager, {});
  assert.equal(cancelled.status, 200);
  assert.equal(cancelled.body.status, "cancelled");
  assert.equal(await movementCount(sql, s.t.id), before);
  assert.equal((await levelOf(s.viewer, s.rice.id)).quantity, 4);
  const receive = await api("POST", `/purchase-orders/${order.id}/receive`, s.manager, {
    lines: [{ line_id: order.lines[0].id, quantity: 1 }],
  });
  assert.equal(receive.status, 409);
  assert.equal(receive.body.error.code, "invalid_transition");
});

Deno.test("GET /lead-times: count, mean, p50, p90 per supplier and product, hand-computed", async () => {
  const s = await shop();
  // Rice lead times 3, 7.5 and 10 days (two orders); oil 7.5 days.
  const a = await sentOrder(s);
  await api("POST", `/purchase-orders/${a.id}/receive`, s.manager, {
    lines: [{ line_id: a.lines[0].id, quantity: 10 }],
    received_at: "2026-11-04T00:00:00Z",
  });
  await api("POST", `/purchase-orders/${a.id}/receive`, s.manager, {
    lines: [{ line_id: a.lines[0].id, quantity: 20 }, { line_id: a.lines[1].id, quantity: 5 }],
    received_at: "2026-11-08T12:00:00Z",
  });
  const b = await sentOrder(s, "2026-11-05T00:00:00Z");
  const third = await api("POST", `/purchase-orders/${b.id}/receive`, s.manager, {
    lines: [{ line_id: b.lines[0].id, quantity: 30 }],
    received_at: "2026-11-15T00:00:00Z",
  });
  assert.equal(third.status, 200, JSON.stringify(third.body));
  const res = await call<Stats>(url, "GET", `/api/v1/lead-times?supplier_id=${s.supplier.id}`, {
    token: s.viewer,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const of = (productId: string | null) =>
    res.body.data.find((row) => row.product_id === productId);
  assert.deepEqual(of(s.rice.id), {
    supplier_id: s.supplier.id,
    product_id: s.rice.id,
    receipts: 3,
    mean_days: 6.833,
    p50_days: 7.5,
    p90_days: 9.5,
    min_days: 3,
    max_days: 10,
  });
  assert.equal(of(s.oil.id)?.mean_days, 7.5);
  assert.deepEqual([of(null)?.receipts, of(null)?.mean_days, of(null)?.p50_days], [4, 7, 7.5]);
  const one = await call<Stats>(url, "GET", `/api/v1/lead-times?product_id=${s.oil.id}`, {
    token: s.viewer,
  });
  assert.deepEqual(one.body.data.map((row) => [row.product_id, row.receipts]), [[null, 1], [
    s.oil.id,
    1,
  ]]);
  assert.equal(
    (await call(url, "GET", "/api/v1/lead-times?product_id=x", { token: s.viewer })).status,
    400,
  );
  assert.equal((await call(url, "GET", "/api/v1/lead-times")).status, 401);
  const other = await createTenantWithTokens(sql, config);
  const foreign = await call<Stats>(url, "GET", `/api/v1/lead-times?supplier_id=${s.supplier.id}`, {
    token: other.owner,
  });
  assert.deepEqual(foreign.body.data, [], "another shop sees none of it");
});
