/**
 * Writes of several movements at once: POST /movements/batch (all or nothing, problems
 * per line), POST /transfers (two legs, both or neither) and POST /stock-counts (the
 * difference to the counted quantity).
 */
import assert from "node:assert/strict";
import {
  call,
  createLocation,
  createMovement,
  createProduct,
  createTenantWithTokens,
  defaultLocation,
} from "./helpers/fixtures.ts";
import {
  type ErrorBody,
  type LevelAfter,
  levelOf,
  type Movement,
  movementCount,
  paths,
} from "./helpers/ledger.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

type BatchResult = {
  count: number;
  movements: { line: number; id: number; quantity: number }[];
  stock_levels: LevelAfter[];
};
type TransferResult = { transfer_id: string; movements: Movement[]; stock_levels: LevelAfter[] };
type CountResult = { movements: Movement[]; stock_levels: LevelAfter[] };

const shop = () => createTenantWithTokens(sql, config);
const batch = (token: string, movements: unknown, headers: Record<string, string> = {}) =>
  call<BatchResult & ErrorBody>(url, "POST", "/api/v1/movements/batch", {
    token,
    body: { movements },
    headers,
  });
const transfer = (token: string, body: unknown) =>
  call<TransferResult & ErrorBody>(url, "POST", "/api/v1/transfers", { token, body });
const count = (token: string, body: unknown) =>
  call<CountResult & ErrorBody>(url, "POST", "/api/v1/stock-counts", { token, body });
const receipt = (product_id: string, quantity: number) => ({
  kind: "receipt",
  product_id,
  quantity,
  unit_cost_xof: 100,
});
const sale = (product_id: string, quantity: number) => ({ kind: "sale", product_id, quantity });

Deno.test("POST /movements/batch records every line in order and answers the levels after it", async () => {
  const { t, manager } = await shop();
  const rice = await createProduct(sql, t.id);
  const oil = await createProduct(sql, t.id);
  const shelf = await defaultLocation(sql, t.id);
  const response = await batch(manager, [
    receipt(rice.id, 10),
    sale(rice.id, 12),
    receipt(rice.id, 5),
    receipt(oil.id, 3),
    { kind: "adjustment", product_id: oil.id, quantity: -1, reason: "Casse" },
  ]);
  assert.equal(response.status, 201, JSON.stringify(response.body));
  assert.equal(response.body.count, 5);
  assert.deepEqual(response.body.movements.map((m) => [m.line, m.quantity]), [
    [1, 10],
    [2, -12],
    [3, 5],
    [4, 3],
    [5, -1],
  ]);
  const ids = response.body.movements.map((m) => m.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), "ids increase in line order");
  const levels = Object.fromEntries(response.body.stock_levels.map((l) => [l.product_id, l]));
  assert.deepEqual(levels[rice.id], { product_id: rice.id, location_id: shelf, quantity: 3 });
  assert.equal(levels[oil.id].quantity, 2);
  assert.equal(await levelOf(sql, rice.id, shelf), 3, "only the level after the batch counts");
});

Deno.test("POST /movements/batch validates every line: 400 with line numbers and paths", async () => {
  const { t, manager } = await shop();
  const rice = await createProduct(sql, t.id);
  const response = await batch(manager, [
    receipt(rice.id, 1),
    sale(rice.id, 0),
    { kind: "adjustment", product_id: rice.id, quantity: -1 },
    { kind: "count", product_id: "x", counted_quantity: 1 },
  ]);
  assert.equal(response.status, 400);
  assert.deepEqual(
    response.body.error.details!.map((d) => [d.line, d.path]),
    [
      [2, "json.movements.1.quantity"],
      [3, "json.movements.2.reason"],
      [4, "json.movements.3.product_id"],
    ],
  );
  const twice = await batch(manager, [
    { ...sale(rice.id, 1), idempotency_key: "k" },
    { ...sale(rice.id, 1), idempotency_key: "k" },
  ]);
  assert.deepEqual(
    twice.body.error.details!.map((d) => [d.line, d.path]),
    [[2, "json.movements.1.idempotency_key"]],
    "a client key twice in the batch",
  );
  for (const movements of [[], Array(1001).fill(receipt(rice.id, 1)), "x"]) {
    const bad = await batch(manager, movements);
    assert.deepEqual([bad.status, paths(bad.body)], [400, ["json.movements"]]);
  }
  assert.equal(await movementCount(sql, t.id), 0);
});

Deno.test("a batch is all or nothing: insufficient stock is 409 naming each line at fault", async () => {
  const { t, manager } = await shop();
  const rice = await createProduct(sql, t.id);
  const oil = await createProduct(sql, t.id);
  const shelf = await defaultLocation(sql, t.id);
  await createMovement(sql, t.id, { ...receipt(rice.id, 5) });
  const before = await movementCount(sql, t.id);
  const response = await batch(manager, [
    receipt(oil.id, 10),
    sale(rice.id, 4),
    sale(oil.id, 4),
    sale(rice.id, 2),
    sale(oil.id, 7),
  ]);
  assert.equal(response.status, 409);
  assert.equal(response.body.error.code, "insufficient_stock");
  assert.deepEqual(
    response.body.error.details!.map((d) => [d.line, d.product_id, d.available, d.requested]),
    [[4, rice.id, 5, 6], [5, oil.id, 0, 1]],
  );
  assert.equal(await movementCount(sql, t.id), before, "nothing written");
  assert.equal(await levelOf(sql, rice.id, shelf), 5);
  assert.equal(await levelOf(sql, oil.id, shelf), 0);
});

Deno.test("a batch naming unknown or foreign ids is 404 line by line; a count mixed with other lines is 422", async () => {
  const { t, manager } = await shop();
  const other = await shop();
  const rice = await createProduct(sql, t.id);
  const foreign = await createProduct(sql, other.t.id);
  const foreignLocation = await defaultLocation(sql, other.t.id);
  const response = await batch(manager, [
    receipt(rice.id, 1),
    receipt(foreign.id, 1),
    { ...receipt(rice.id, 1), location_id: foreignLocation },
    receipt(crypto.randomUUID(), 1),
  ]);
  assert.equal(response.status, 404);
  assert.deepEqual(response.body.error.details!.map((d) => [d.line, d.code, d.field]), [
    [2, "product_not_found", "product_id"],
    [3, "location_not_found", "location_id"],
    [4, "product_not_found", "product_id"],
  ]);
  const mixed = await batch(manager, [
    receipt(rice.id, 4),
    { kind: "count", product_id: rice.id, counted_quantity: 2 },
  ]);
  assert.equal(mixed.status, 422);
  assert.equal(mixed.body.error.code, "count_not_alone");
  assert.deepEqual(mixed.body.error.details!.map((d) => d.line), [2]);
  assert.equal(await movementCount(sql, t.id), 0);
  assert.equal(await movementCount(sql, other.t.id), 0);
});

Deno.test("a batch of 1,000 lines is recorded in one request; its key replays it", async () => {
  const { t, manager } = await shop();
  const products = await Promise.all([1, 2, 3, 4].map(() => createProduct(sql, t.id)));
  const shelf = await defaultLocation(sql, t.id);
  const lines = Array.from(
    { length: 1000 },
    (_, i) => i % 8 < 4 ? receipt(products[i % 4].id, 2) : sale(products[i % 4].id, 1),
  );
  const key = { "idempotency-key": crypto.randomUUID() };
  const response = await batch(manager, lines, key);
  assert.equal(response.status, 201, JSON.stringify(response.body).slice(0, 300));
  assert.equal(response.body.count, 1000);
  assert.equal(response.body.movements.at(-1)!.line, 1000);
  const replay = await batch(manager, lines, key);
  assert.equal(replay.headers.get("idempotent-replayed"), "true");
  assert.deepEqual(replay.body, response.body);
  assert.equal(await movementCount(sql, t.id), 1000);
  assert.equal(await levelOf(sql, products[0].id, shelf), 125, "125 × 2 in, 125 × 1 out");
  const [{ total }] = await sql`select sum(quantity)::int as total from public.stock_levels
    where tenant_id = ${t.id}`;
  assert.equal(total, 500);
});

Deno.test("POST /transfers writes both legs, linked, or neither", async () => {
  const { t, manager } = await shop();
  const rice = await createProduct(sql, t.id);
  const shelf = await defaultLocation(sql, t.id);
  const depot = await createLocation(sql, t.id, { kind: "warehouse" });
  await createMovement(sql, t.id, { ...receipt(rice.id, 10), location_id: depot.id });
  const moved = await transfer(manager, {
    product_id: rice.id,
    from_location_id: depot.id,
    to_location_id: shelf,
    quantity: 4,
    reference: "BT-001",
  });
  assert.equal(moved.status, 201, JSON.stringify(moved.body));
  const [out, into] = moved.body.movements;
  assert.deepEqual([out.kind, out.location_id, out.quantity], ["transfer_out", depot.id, -4]);
  assert.deepEqual([into.kind, into.location_id, into.quantity], ["transfer_in", shelf, 4]);
  assert.equal(out.transfer_id, moved.body.transfer_id);
  assert.equal(into.transfer_id, moved.body.transfer_id);
  assert.equal(into.reference, "BT-001");
  assert.deepEqual(
    moved.body.stock_levels.map((l) => [l.location_id, l.quantity]).sort(),
    [[depot.id, 6], [shelf, 4]].sort(),
  );

  const before = await movementCount(sql, t.id);
  const tooMuch = await transfer(manager, {
    product_id: rice.id,
    from_location_id: depot.id,
    to_location_id: shelf,
    quantity: 7,
  });
  assert.equal(tooMuch.status, 409);
  assert.equal(tooMuch.body.error.code, "insufficient_stock");
  assert.equal(tooMuch.body.error.details![0].location_id, depot.id);
  assert.equal(await movementCount(sql, t.id), before, "no leg written");
  assert.equal(await levelOf(sql, rice.id, shelf), 4, "the destination did not receive anything");

  const same = await transfer(manager, {
    product_id: rice.id,
    from_location_id: shelf,
    to_location_id: shelf,
    quantity: 1,
  });
  assert.deepEqual([same.status, paths(same.body)], [400, ["json.to_location_id"]]);
  const other = await shop();
  const foreign = await transfer(manager, {
    product_id: rice.id,
    from_location_id: depot.id,
    to_location_id: await defaultLocation(sql, other.t.id),
    quantity: 1,
  });
  assert.equal(foreign.status, 404);
  assert.deepEqual(foreign.body.error.details!.map((d) => d.field), ["to_location_id"]);
  const bad = await transfer(manager, { product_id: rice.id, quantity: -1 });
  assert.deepEqual(paths(bad.body), [
    "json.from_location_id",
    "json.quantity",
    "json.to_location_id",
  ]);
  assert.equal(await movementCount(sql, t.id), before);
});

Deno.test("POST /stock-counts writes the difference to the counted quantity, per line", async () => {
  const { t, manager } = await shop();
  const rice = await createProduct(sql, t.id);
  const oil = await createProduct(sql, t.id);
  const sugar = await createProduct(sql, t.id);
  const shelf = await defaultLocation(sql, t.id);
  await createMovement(sql, t.id, { ...receipt(rice.id, 10) });
  await createMovement(sql, t.id, { ...receipt(oil.id, 3) });
  const counted = await count(manager, {
    reference: "Inventaire novembre",
    lines: [
      { product_id: rice.id, counted_quantity: 7 },
      { product_id: oil.id, counted_quantity: 5 },
      { product_id: sugar.id, counted_quantity: 0 },
    ],
  });
  assert.equal(counted.status, 201, JSON.stringify(counted.body));
  assert.deepEqual(
    counted.body.movements.map((m) => [m.product_id, m.kind, m.counted_quantity, m.quantity]),
    [[rice.id, "count", 7, -3], [oil.id, "count", 5, 2], [sugar.id, "count", 0, 0]],
    "in the order of the request",
  );
  assert.equal(counted.body.movements[0].reference, "Inventaire novembre");
  assert.equal(await levelOf(sql, rice.id, shelf), 7);
  assert.equal(await levelOf(sql, oil.id, shelf), 5);
  assert.equal(counted.body.stock_levels.length, 3);

  const twice = await count(manager, {
    lines: [
      { product_id: rice.id, counted_quantity: 1 },
      { product_id: rice.id, counted_quantity: 2 },
    ],
  });
  assert.equal(twice.status, 400);
  assert.deepEqual(twice.body.error.details!.map((d) => [d.line, d.path]), [
    [2, "json.lines.1.product_id"],
  ]);
  const unknown = await count(manager, {
    lines: [
      { product_id: rice.id, counted_quantity: 1 },
      { product_id: crypto.randomUUID(), counted_quantity: 2 },
    ],
  });
  assert.equal(unknown.status, 404);
  assert.deepEqual(unknown.body.error.details!.map((d) => d.line), [2]);
  const negative = await count(manager, { lines: [{ product_id: rice.id, counted_quantity: -1 }] });
  assert.deepEqual(paths(negative.body), ["json.lines.0.counted_quantity"]);
  assert.equal(await levelOf(sql, rice.id, shelf), 7);
});

Deno.test("close the stack", async () => {
  await stack.close();
});
