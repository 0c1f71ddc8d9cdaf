/**
 * Sales orders through the API: every route valid / invalid (400 with field paths) /
 * 401 / 403 for viewers / 404 for unknown and other shops' ids; the state machine;
 * partial and full delivery with the stock checked through /stock-levels; a refused
 * delivery (insufficient stock names the line, nothing written); cancellation writes
 * no movement and keeps what was delivered.
 */
import assert from "node:assert/strict";
import {
  call,
  createMovement,
  createProduct,
  createTenantWithTokens,
  defaultLocation,
} from "./helpers/fixtures.ts";
import { type ErrorBody, movementCount, paths } from "./helpers/ledger.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

type Line = {
  id: string;
  product_id: string;
  quantity_ordered: number;
  quantity_delivered: number;
};
type Order = { id: string; status: string; cancelled_by: string | null; lines: Line[] };
type Res = Order & ErrorBody & { data: Order[]; page: { total: number } };

const api = (method: string, path: string, token?: string, body?: unknown) =>
  call<Res>(url, method, `/api/v1${path}`, { token, body });

/** A shop with two stocked products (10 and 3 at the default location). */
async function shop() {
  const s = await createTenantWithTokens(sql, config);
  const rice = await createProduct(sql, s.t.id);
  const oil = await createProduct(sql, s.t.id);
  await createMovement(sql, s.t.id, {
    product_id: rice.id,
    kind: "receipt",
    quantity: 10,
    unit_cost_xof: 100,
  });
  await createMovement(sql, s.t.id, {
    product_id: oil.id,
    kind: "receipt",
    quantity: 3,
    unit_cost_xof: 100,
  });
  return { ...s, rice, oil, location: await defaultLocation(sql, s.t.id) };
}

async function stockOf(token: string, productId: string): Promise<number> {
  const res = await call<{ data: { quantity: number }[] }>(
    url,
    "GET",
    `/api/v1/stock-levels?product_id=${productId}`,
    { token },
  );
  assert.equal(res.status, 200);
  return res.body.data.reduce((sum, level) => sum + level.quantity, 0);
}

async function confirmedOrder(s: Awaited<ReturnType<typeof shop>>, riceQty = 6, oilQty = 2) {
  const created = await api("POST", "/sales-orders", s.manager, {
    customer_name: "Awa Diop",
    lines: [{ product_id: s.rice.id, quantity: riceQty }, {
      product_id: s.oil.id,
      quantity: oilQty,
    }],
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const confirmed = await api("POST", `/sales-orders/${created.body.id}/confirm`, s.manager, {});
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  return confirmed.body;
}

Deno.test("POST /sales-orders creates a draft with its lines at the default location", async () => {
  const s = await shop();
  const res = await api("POST", "/sales-orders", s.owner, {
    customer_name: "Moussa",
    reference: "CMD-1",
    lines: [{ product_id: s.rice.id, quantity: 4, unit_price_xof: 18000 }],
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.status, "draft");
  assert.deepEqual(
    res.body.lines.map((l) => [l.product_id, l.quantity_ordered, l.quantity_delivered]),
    [[s.rice.id, 4, 0]],
  );
  const got = await api("GET", `/sales-orders/${res.body.id}`, s.viewer);
  assert.equal(got.status, 200);
  assert.equal(got.body.id, res.body.id);
  const list = await api("GET", "/sales-orders?status=draft", s.viewer);
  assert.equal(list.status, 200);
  assert.equal(list.body.page.total, 1);
});

Deno.test("sales order routes: 400 with field paths, 401, 403 for viewers, 404 for other shops", async () => {
  const s = await shop();
  const other = await shop();
  const bad = await api("POST", "/sales-orders", s.manager, {
    lines: [{ product_id: "x", quantity: 0 }],
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(paths(bad.body), ["json.lines.0.product_id", "json.lines.0.quantity"]);
  assert.equal((await api("GET", "/sales-orders?limit=0", s.viewer)).status, 400);
  assert.equal((await api("GET", "/sales-orders")).status, 401);
  assert.equal((await api("POST", "/sales-orders", undefined, {})).status, 401);
  const viewer = await api("POST", "/sales-orders", s.viewer, { lines: [] });
  assert.equal(viewer.status, 403);
  const order = await confirmedOrder(other);
  for (
    const [method, path, body] of [
      ["GET", `/sales-orders/${order.id}`, undefined],
      ["POST", `/sales-orders/${order.id}/lines`, { product_id: s.rice.id, quantity: 1 }],
      ["PATCH", `/sales-orders/${order.id}/lines/${order.lines[0].id}`, { quantity: 1 }],
      ["POST", `/sales-orders/${order.id}/confirm`, {}],
      ["POST", `/sales-orders/${order.id}/deliver`, {
        lines: [{ line_id: order.lines[0].id, quantity: 1 }],
      }],
      ["POST", `/sales-orders/${order.id}/cancel`, { cancelled_by: "shop" }],
    ] as const
  ) {
    const res = await api(method, path, s.manager, body);
    assert.equal(res.status, 404, `${method} ${path}: ${JSON.stringify(res.body)}`);
    const asViewer = await api(method, path, s.viewer, body);
    assert.equal(asViewer.status, method === "GET" ? 404 : 403, `${method} ${path} as viewer`);
  }
  const foreignProduct = await api("POST", "/sales-orders", s.manager, {
    lines: [{ product_id: other.rice.id, quantity: 1 }],
  });
  assert.equal(foreignProduct.status, 404);
  assert.equal(foreignProduct.body.error.code, "product_not_found");
  assert.equal((await api("GET", "/sales-orders", s.viewer)).body.page.total, 0, "nothing written");
});

Deno.test("lines change only while draft; confirm needs lines and happens once", async () => {
  const s = await shop();
  const created = await api("POST", "/sales-orders", s.manager, {});
  const id = created.body.id;
  const empty = await api("POST", `/sales-orders/${id}/confirm`, s.manager, {});
  assert.equal(empty.status, 422);
  assert.equal(empty.body.error.code, "order_empty");
  const added = await api("POST", `/sales-orders/${id}/lines`, s.manager, {
    product_id: s.rice.id,
    quantity: 2,
  });
  assert.equal(added.status, 201);
  const twice = await api("POST", `/sales-orders/${id}/lines`, s.manager, {
    product_id: s.rice.id,
    quantity: 2,
  });
  assert.equal(twice.status, 409);
  assert.equal(twice.body.error.code, "duplicate_product");
  const lineId = added.body.lines[0].id;
  const patched = await api("PATCH", `/sales-orders/${id}/lines/${lineId}`, s.manager, {
    quantity: 5,
  });
  assert.equal(patched.status, 200);
  assert.equal(patched.body.lines[0].quantity_ordered, 5);
  assert.equal(
    (await api("PATCH", `/sales-orders/${id}/lines/${crypto.randomUUID()}`, s.manager, {
      quantity: 5,
    })).status,
    404,
  );
  assert.equal(
    (await api("PATCH", `/sales-orders/${id}/lines/${lineId}`, s.manager, {})).status,
    400,
  );
  assert.equal(
    (await api("POST", `/sales-orders/${id}/confirm`, s.manager, {})).body.status,
    "confirmed",
  );
  const again = await api("POST", `/sales-orders/${id}/confirm`, s.manager, {});
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, "invalid_transition");
  const late = await api("PATCH", `/sales-orders/${id}/lines/${lineId}`, s.manager, {
    quantity: 1,
  });
  assert.equal(late.status, 409);
  assert.equal(late.body.error.code, "order_not_draft");
  const lateAdd = await api("POST", `/sales-orders/${id}/lines`, s.manager, {
    product_id: s.oil.id,
    quantity: 1,
  });
  assert.equal(lateAdd.status, 409);
});

Deno.test("deliver: partial then full, sale movements taken from /stock-levels", async () => {
  const s = await shop();
  const drafted = await api("POST", "/sales-orders", s.manager, {
    lines: [{ product_id: s.rice.id, quantity: 6 }],
  });
  const tooEarly = await api("POST", `/sales-orders/${drafted.body.id}/deliver`, s.manager, {
    lines: [{ line_id: drafted.body.lines[0].id, quantity: 1 }],
  });
  assert.equal(tooEarly.status, 409, "a draft is not delivered");
  const order = await confirmedOrder(s);
  const [rice, oil] = order.lines;
  const first = await api("POST", `/sales-orders/${order.id}/deliver`, s.manager, {
    lines: [{ line_id: rice.id, quantity: 4 }],
  });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.equal(first.body.status, "partially_delivered");
  assert.equal(await stockOf(s.viewer, s.rice.id), 6);
  const over = await api("POST", `/sales-orders/${order.id}/deliver`, s.manager, {
    lines: [{ line_id: rice.id, quantity: 3 }],
  });
  assert.equal(over.status, 409);
  assert.equal(over.body.error.code, "quantity_exceeds_remaining");
  assert.equal(over.body.error.details?.[0].line, 1);
  const unknown = await api("POST", `/sales-orders/${order.id}/deliver`, s.manager, {
    lines: [{ line_id: crypto.randomUUID(), quantity: 1 }],
  });
  assert.equal(unknown.status, 404);
  const rest = await api("POST", `/sales-orders/${order.id}/deliver`, s.manager, {
    lines: [{ line_id: rice.id, quantity: 2 }, { line_id: oil.id, quantity: 2 }],
  });
  assert.equal(rest.status, 200, JSON.stringify(rest.body));
  assert.equal(rest.body.status, "delivered");
  assert.equal(await stockOf(s.viewer, s.rice.id), 4);
  assert.equal(await stockOf(s.viewer, s.oil.id), 1);
  const afterDone = await api("POST", `/sales-orders/${order.id}/cancel`, s.manager, {
    cancelled_by: "shop",
  });
  assert.equal(afterDone.status, 409, "a delivered order is not cancelled");
});

Deno.test("deliver with an Idempotency-Key: a retry moves stock once and replays the answer", async () => {
  const s = await shop();
  const order = await confirmedOrder(s);
  const [rice] = order.lines;
  const send = (quantity: number, key: string, orderId = order.id) =>
    call<Res>(url, "POST", `/api/v1/sales-orders/${orderId}/deliver`, {
      token: s.manager,
      headers: { "idempotency-key": key },
      body: { lines: [{ line_id: rice.id, quantity }] },
    });
  const key = crypto.randomUUID();
  const first = await send(2, key);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const before = await movementCount(sql, s.t.id);
  const retry = await send(2, key);
  assert.equal(retry.status, 200);
  assert.equal(retry.headers.get("idempotent-replayed"), "true");
  assert.deepEqual(retry.body, first.body);
  assert.equal(await movementCount(sql, s.t.id), before, "no second sale movement");
  assert.equal(await stockOf(s.viewer, s.rice.id), 8);
  const otherBody = await send(3, key);
  assert.equal(otherBody.status, 409);
  assert.equal(otherBody.body.error.code, "idempotency_conflict");
  // A refusal is stored with its key too: the same over-delivery is refused again, once.
  const overKey = crypto.randomUUID();
  const over = await send(50, overKey);
  assert.equal(over.status, 409);
  const overAgain = await send(50, overKey);
  assert.equal(overAgain.status, 409);
  assert.equal(overAgain.headers.get("idempotent-replayed"), "true");
  // Confirm takes no body: a key still works.
  const draft = await api("POST", "/sales-orders", s.manager, {
    lines: [{ product_id: s.oil.id, quantity: 1 }],
  });
  const confirmKey = crypto.randomUUID();
  for (let i = 0; i < 2; i++) {
    const confirmed = await call<Res>(
      url,
      "POST",
      `/api/v1/sales-orders/${draft.body.id}/confirm`,
      {
        token: s.manager,
        headers: { "idempotency-key": confirmKey },
      },
    );
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.status, "confirmed");
  }
});

Deno.test("deliver: insufficient stock is 409 naming the line, and nothing is written", async () => {
  const s = await shop();
  const order = await confirmedOrder(s, 5, 3);
  await createMovement(sql, s.t.id, { product_id: s.oil.id, kind: "sale", quantity: -2 });
  const before = await movementCount(sql, s.t.id);
  const res = await api("POST", `/sales-orders/${order.id}/deliver`, s.manager, {
    lines: [{ line_id: order.lines[0].id, quantity: 5 }, {
      line_id: order.lines[1].id,
      quantity: 3,
    }],
  });
  assert.equal(res.status, 409, JSON.stringify(res.body));
  assert.equal(res.body.error.code, "insufficient_stock");
  const [detail] = res.body.error.details ?? [];
  assert.equal(detail.line, 2);
  assert.equal(detail.line_id, order.lines[1].id);
  assert.equal(detail.available, 1);
  assert.equal(detail.requested, 3);
  assert.equal(await movementCount(sql, s.t.id), before, "nothing written");
  assert.equal(await stockOf(s.viewer, s.rice.id), 10);
  const still = await api("GET", `/sales-orders/${order.id}`, s.viewer);
  assert.equal(still.body.status, "confirmed");
  assert.deepEqual(still.body.lines.map((l) => l.quantity_delivered), [0, 0]);
});

Deno.test("cancel: no movement; delivered quantities stay delivered", async () => {
  const s = await shop();
  const order = await confirmedOrder(s);
  await api("POST", `/sales-orders/${order.id}/deliver`, s.manager, {
    lines: [{ line_id: order.lines[0].id, quantity: 2 }],
  });
  const before = await movementCount(sql, s.t.id);
  const bad = await api("POST", `/sales-orders/${order.id}/cancel`, s.manager, {
    cancelled_by: "nobody",
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(paths(bad.body), ["json.cancelled_by"]);
  const res = await api("POST", `/sales-orders/${order.id}/cancel`, s.manager, {
    cancelled_by: "customer",
  });
  assert.equal(res.status, 200);
  assert.equal(res.body.status, "cancelled");
  assert.equal(res.body.cancelled_by, "customer");
  assert.deepEqual(res.body.lines.map((l) => l.quantity_delivered), [2, 0]);
  assert.equal(await movementCount(sql, s.t.id), before);
  assert.equal(await stockOf(s.viewer, s.rice.id), 8);
  const again = await api("POST", `/sales-orders/${order.id}/cancel`, s.manager, {
    cancelled_by: "shop",
  });
  assert.equal(again.status, 409);
  const deliver = await api("POST", `/sales-orders/${order.id}/deliver`, s.manager, {
    lines: [{ line_id: order.lines[1].id, quantity: 1 }],
  });
  assert.equal(deliver.status, 409);
  assert.equal(deliver.body.error.code, "invalid_transition");
  const draft = await api("POST", "/sales-orders", s.manager, {});
  assert.equal(
    (await api("POST", `/sales-orders/${draft.body.id}/cancel`, s.manager, {
      cancelled_by: "shop",
    })).status,
    200,
  );
});

Deno.test("every orders route answers 401 without a token or with a bad one", async () => {
  const id = crypto.randomUUID();
  const routes: [string, string][] = [
    ["GET", "/sales-orders"],
    ["POST", "/sales-orders"],
    ["GET", `/sales-orders/${id}`],
    ["POST", `/sales-orders/${id}/lines`],
    ["PATCH", `/sales-orders/${id}/lines/${id}`],
    ["POST", `/sales-orders/${id}/confirm`],
    ["POST", `/sales-orders/${id}/deliver`],
    ["POST", `/sales-orders/${id}/cancel`],
    ["GET", "/purchase-orders"],
    ["POST", "/purchase-orders"],
    ["GET", `/purchase-orders/${id}`],
    ["POST", `/purchase-orders/${id}/lines`],
    ["PATCH", `/purchase-orders/${id}/lines/${id}`],
    ["POST", `/purchase-orders/${id}/send`],
    ["POST", `/purchase-orders/${id}/receive`],
    ["POST", `/purchase-orders/${id}/cancel`],
    ["GET", "/service-rate?from=2026-01-01&to=2026-01-02"],
    ["GET", "/lead-times"],
  ];
  for (const [method, path] of routes) {
    const body = method === "GET" ? undefined : {};
    assert.equal((await api(method, path, undefined, body)).status, 401, `${method} ${path}`);
    assert.equal((await api(method, path, "not.a.token", body)).status, 401, `${method} ${path}`);
  }
});
