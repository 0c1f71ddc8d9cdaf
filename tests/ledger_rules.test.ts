/**
 * The ledger's rules through POST /movements: negative stock refused or allowed by the
 * tenant setting, weighted average cost, Idempotency-Key replay and conflict, a
 * movement's own client key, archived rows, hard deletes of rows with history, dates.
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
import { type ErrorBody, levelOf, movementCount, movementPoster } from "./helpers/ledger.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

const shop = () => createTenantWithTokens(sql, config);
const post = movementPoster(url);

Deno.test("stock never goes below zero: 409 insufficient_stock naming product, location, available and requested", async () => {
  const { t, manager } = await shop();
  const product = await createProduct(sql, t.id, { name: "Huile Dinor 5 L", sku: "HUILE-5L" });
  const shelf = await defaultLocation(sql, t.id);
  await createMovement(sql, t.id, {
    product_id: product.id,
    kind: "receipt",
    quantity: 5,
    unit_cost_xof: 1,
  });
  const refused = await post(manager, { kind: "sale", product_id: product.id, quantity: 7 });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, "insufficient_stock");
  assert.match(
    refused.body.error.message,
    /Huile Dinor 5 L.*Boutique principale.*disponible 5, demandé 7/,
  );
  assert.deepEqual(
    { ...refused.body.error.details![0], message: undefined },
    {
      code: "insufficient_stock",
      message: undefined,
      product_id: product.id,
      location_id: shelf,
      available: 5,
      requested: 7,
    },
  );
  const adjustment = await post(manager, {
    kind: "adjustment",
    product_id: product.id,
    quantity: -6,
    reason: "Vol",
  });
  assert.equal(adjustment.status, 409);
  assert.equal(await levelOf(sql, product.id, shelf), 5);
  assert.equal(await movementCount(sql, t.id), 1, "nothing written");
  assert.equal(
    (await post(manager, { kind: "sale", product_id: product.id, quantity: 5 })).status,
    201,
  );

  await sql`update public.tenants set settings = settings || '{"allow_negative_stock": true}'
    where id = ${t.id}`;
  const allowed = await post(manager, { kind: "sale", product_id: product.id, quantity: 3 });
  assert.equal(allowed.status, 201);
  assert.equal(allowed.body.stock_level.quantity, -3);

  await sql`update public.tenants set settings = settings || '{"allow_negative_stock": false}'
    where id = ${t.id}`;
  const again = await post(manager, { kind: "sale", product_id: product.id, quantity: 1 });
  assert.equal(again.status, 409, "a negative level cannot go further down once disallowed");
  assert.equal(again.body.error.details![0].available, -3);
  const receipt = await post(manager, {
    kind: "receipt",
    product_id: product.id,
    quantity: 1,
    unit_cost_xof: 1,
  });
  assert.equal(receipt.status, 201, "but it may come back up");
  assert.equal(receipt.body.stock_level.quantity, -2);
});

Deno.test("receipts keep the weighted average unit cost of the product over all locations", async () => {
  const { t, manager } = await shop();
  const product = await createProduct(sql, t.id);
  const depot = await createLocation(sql, t.id);
  const average = async () => {
    const [row] = await sql<{ average: number; last: number }[]>`
      select average_unit_cost_xof::float8 as average, last_unit_cost_xof::float8 as last
      from public.product_costs where product_id = ${product.id}`;
    return row;
  };
  const receive = (quantity: number, cost: number, location_id?: string) =>
    post(manager, {
      kind: "receipt",
      product_id: product.id,
      quantity,
      unit_cost_xof: cost,
      location_id,
    });
  await receive(10, 100);
  assert.deepEqual(await average(), { average: 100, last: 100 });
  await receive(30, 200, depot.id);
  assert.equal((await average()).average, 175, "(10×100 + 30×200) ÷ 40");
  await post(manager, {
    kind: "sale",
    product_id: product.id,
    location_id: depot.id,
    quantity: 20,
  });
  assert.equal((await average()).average, 175, "sales do not change the average");
  await receive(20, 100);
  assert.equal((await average()).average, 137.5, "(20×175 + 20×100) ÷ 40");
  await receive(3, 101);
  assert.equal((await average()).average, 134.9535, "(40×137.5 + 3×101) ÷ 43, kept to 4 decimals");
  assert.equal((await average()).last, 101);
  await post(manager, {
    kind: "adjustment",
    product_id: product.id,
    quantity: -33,
    reason: "Perte",
  });
  await post(manager, {
    kind: "adjustment",
    product_id: product.id,
    location_id: depot.id,
    quantity: -10,
    reason: "Perte",
  });
  await receive(5, 90);
  assert.equal((await average()).average, 90, "nothing on hand: the receipt's cost");
});

Deno.test("Idempotency-Key: the same key and body replay the first answer; another body is 409", async () => {
  const { t, manager, owner } = await shop();
  const other = await shop();
  const product = await createProduct(sql, t.id);
  const body = { kind: "receipt", product_id: product.id, quantity: 4, unit_cost_xof: 250 };
  const key = { "idempotency-key": "caisse-1:vente-0001" };
  const first = await post(manager, body, key);
  assert.equal(first.status, 201);
  assert.equal(first.headers.get("idempotent-replayed"), null);
  const reordered = { unit_cost_xof: 250, quantity: 4, product_id: product.id, kind: "receipt" };
  const replay = await post(owner, reordered, key);
  assert.equal(replay.status, 201);
  assert.equal(replay.headers.get("idempotent-replayed"), "true");
  assert.deepEqual(replay.body, first.body, "the first answer, the same movement");
  assert.equal(await movementCount(sql, t.id), 1);

  const conflict = await post(manager, { ...body, quantity: 5 }, key);
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.error.code, "idempotency_conflict");
  const otherRoute = await call<ErrorBody>(url, "POST", "/api/v1/movements/batch", {
    token: manager,
    body: { movements: [body] },
    headers: key,
  });
  assert.equal(otherRoute.status, 409, "a key is for one route");
  assert.equal(await movementCount(sql, t.id), 1);

  const otherProduct = await createProduct(sql, other.t.id);
  const elsewhere = await post(other.manager, { ...body, product_id: otherProduct.id }, key);
  assert.equal(elsewhere.status, 201, "keys are per shop");

  const failing = { kind: "sale", product_id: product.id, quantity: 100 };
  const failKey = { "idempotency-key": "refused-once" };
  const refused = await post(manager, failing, failKey);
  assert.equal(refused.status, 409);
  await createMovement(sql, t.id, {
    product_id: product.id,
    kind: "receipt",
    quantity: 100,
    unit_cost_xof: 1,
  });
  const again = await post(manager, failing, failKey);
  assert.equal(again.status, 409, "a refusal is the first answer too: it is replayed");
  assert.equal(again.headers.get("idempotent-replayed"), "true");
  assert.deepEqual(
    { ...again.body.error, request_id: "" },
    { ...refused.body.error, request_id: "" },
  );
  assert.equal((await post(manager, failing, { "idempotency-key": "new-key" })).status, 201);

  const invalid = { "idempotency-key": "invalid-first" };
  assert.equal(
    (await post(manager, { kind: "sale", product_id: product.id }, invalid)).status,
    400,
  );
  const valid = await post(manager, { kind: "sale", product_id: product.id, quantity: 1 }, invalid);
  assert.equal(valid.status, 201, "invalid input never claims the key");
  assert.equal(valid.headers.get("idempotent-replayed"), null);
});

Deno.test("a movement's own idempotency_key is unique in the shop: 409 duplicate_movement", async () => {
  const { t, manager } = await shop();
  const product = await createProduct(sql, t.id);
  const line = { kind: "receipt", product_id: product.id, quantity: 1, unit_cost_xof: 1 };
  assert.equal((await post(manager, { ...line, idempotency_key: "pos-7:123" })).status, 201);
  const duplicate = await post(manager, { ...line, idempotency_key: "pos-7:123" });
  assert.equal(duplicate.status, 409);
  assert.equal(duplicate.body.error.code, "duplicate_movement");
  assert.equal(duplicate.body.error.details?.[0].field, "idempotency_key");
  assert.equal(await movementCount(sql, t.id), 1);
});

Deno.test("archived products and locations take no movement (409); with history they cannot be hard-deleted (409 …_in_use)", async () => {
  const { t, manager } = await shop();
  const product = await createProduct(sql, t.id);
  const depot = await createLocation(sql, t.id);
  await createMovement(sql, t.id, {
    product_id: product.id,
    kind: "receipt",
    quantity: 2,
    unit_cost_xof: 1,
  });
  await createMovement(sql, t.id, {
    product_id: product.id,
    location_id: depot.id,
    kind: "receipt",
    quantity: 2,
    unit_cost_xof: 1,
  });
  const hardProduct = await call<ErrorBody>(
    url,
    "DELETE",
    `/api/v1/products/${product.id}?hard=true`,
    {
      token: manager,
    },
  );
  assert.equal(hardProduct.status, 409);
  assert.equal(hardProduct.body.error.code, "product_in_use");
  const hardLocation = await call<ErrorBody>(
    url,
    "DELETE",
    `/api/v1/locations/${depot.id}?hard=true`,
    {
      token: manager,
    },
  );
  assert.equal(hardLocation.status, 409);
  assert.equal(hardLocation.body.error.code, "location_in_use");

  assert.equal(
    (await call(url, "DELETE", `/api/v1/locations/${depot.id}`, { token: manager })).status,
    200,
  );
  const atArchived = await post(manager, {
    kind: "sale",
    product_id: product.id,
    location_id: depot.id,
    quantity: 1,
  });
  assert.equal(atArchived.status, 409);
  assert.equal(atArchived.body.error.code, "location_archived");
  assert.equal(
    (await call(url, "DELETE", `/api/v1/products/${product.id}`, { token: manager })).status,
    200,
  );
  const archived = await post(manager, { kind: "sale", product_id: product.id, quantity: 1 });
  assert.equal(archived.status, 409);
  assert.equal(archived.body.error.code, "product_archived");
  assert.equal(await movementCount(sql, t.id), 2);
});

Deno.test("a movement dated more than a day ahead is 422; a past date takes its place", async () => {
  const { t, manager } = await shop();
  const product = await createProduct(sql, t.id);
  const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
  const response = await post(manager, {
    kind: "receipt",
    product_id: product.id,
    quantity: 1,
    unit_cost_xof: 1,
    occurred_at: future,
  });
  assert.equal(response.status, 422);
  assert.equal(response.body.error.code, "occurred_at_in_future");
  const past = await post(manager, {
    kind: "receipt",
    product_id: product.id,
    quantity: 1,
    unit_cost_xof: 1,
    occurred_at: "2025-06-01T10:00:00Z",
  });
  assert.equal(past.status, 201);
  assert.equal(await movementCount(sql, t.id), 1);
});

Deno.test("close the stack", async () => {
  await stack.close();
});
