/**
 * POST /movements, route by route: each kind with its sign, invalid input (400 with
 * field paths, nothing written), no token (401), viewer (403), another shop's ids (404).
 * The rules behind it: ledger_rules.test.ts; batches, transfers and counts:
 * ledger_batch.test.ts; reads: ledger_reads.test.ts.
 */
import assert from "node:assert/strict";
import {
  call,
  createLocation,
  createProduct,
  createTenantWithTokens,
  defaultLocation,
} from "./helpers/fixtures.ts";
import { type ErrorBody, levelOf, movementCount, movementPoster, paths } from "./helpers/ledger.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

const shop = () => createTenantWithTokens(sql, config);
const post = movementPoster(url);

Deno.test("POST /movements records each kind with its sign and answers the stock after it", async () => {
  const { t, manager, owner } = await shop();
  const product = await createProduct(sql, t.id);
  const shelf = await defaultLocation(sql, t.id);
  const depot = await createLocation(sql, t.id, { kind: "warehouse" });
  const steps: [unknown, number, number][] = [
    [{ kind: "receipt", quantity: 10, unit_cost_xof: 1500, reference: "BL-42" }, 10, 10],
    [{ kind: "sale", quantity: 3 }, -3, 7],
    [{ kind: "return", quantity: 1, note: "Client mécontent" }, 1, 8],
    [{ kind: "adjustment", quantity: -2, reason: "Casse" }, -2, 6],
    [{ kind: "adjustment", quantity: 1, reason: "Trouvé en réserve" }, 1, 7],
    [{ kind: "count", counted_quantity: 5 }, -2, 5],
    [{ kind: "count", counted_quantity: 5 }, 0, 5],
  ];
  for (const [input, stored, after] of steps) {
    const response = await post(manager, { product_id: product.id, ...input as object });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.equal(response.body.movement.quantity, stored, JSON.stringify(input));
    assert.equal(response.body.movement.location_id, shelf, "the default location");
    assert.deepEqual(response.body.stock_level, {
      product_id: product.id,
      location_id: shelf,
      quantity: after,
    });
  }
  const elsewhere = await post(owner, {
    kind: "receipt",
    product_id: product.id,
    location_id: depot.id,
    quantity: 4,
    unit_cost_xof: 1500,
    occurred_at: "2026-01-15T08:00:00+00:00",
  });
  assert.equal(elsewhere.status, 201);
  assert.equal(elsewhere.body.movement.occurred_at, "2026-01-15T08:00:00.000Z");
  assert.equal(elsewhere.body.movement.created_by, t.owner.id);
  assert.equal(elsewhere.body.stock_level.quantity, 4);
  assert.equal(await levelOf(sql, product.id, shelf), 5);
  const [sum] = await sql`select sum(quantity)::int as total from public.stock_movements
    where product_id = ${product.id}`;
  assert.equal(sum.total, 9, "levels are the sum of the movements");
});

Deno.test("POST /movements rejects bad input with 400 and the field paths, writing nothing", async () => {
  const { t, manager } = await shop();
  const product = await createProduct(sql, t.id);
  const p = product.id;
  const cases: [unknown, string[]][] = [
    [{ product_id: p, quantity: 1 }, ["json.kind"]],
    [{ kind: "theft", product_id: p, quantity: 1 }, ["json.kind"]],
    [{ kind: "transfer_out", product_id: p, quantity: 1 }, ["json.kind"]],
    [{ kind: "sale", product_id: p, quantity: 0 }, ["json.quantity"]],
    [{ kind: "sale", product_id: p, quantity: -3 }, ["json.quantity"]],
    [{ kind: "sale", product_id: p, quantity: 1.5 }, ["json.quantity"]],
    [{ kind: "sale", product_id: p, quantity: 1e10 }, ["json.quantity"]],
    [{ kind: "sale", product_id: p, quantity: "3" }, ["json.quantity"]],
    [{ kind: "receipt", product_id: p, quantity: 1 }, ["json.unit_cost_xof"]],
    [{ kind: "receipt", product_id: p, quantity: 1, unit_cost_xof: -1 }, ["json.unit_cost_xof"]],
    [{ kind: "receipt", product_id: p, quantity: 1, unit_cost_xof: 1e13 }, [
      "json.unit_cost_xof",
    ]],
    [{ kind: "adjustment", product_id: p, quantity: 0, reason: "x" }, ["json.quantity"]],
    [{ kind: "adjustment", product_id: p, quantity: -1 }, ["json.reason"]],
    [{ kind: "adjustment", product_id: p, quantity: -1, reason: "  " }, ["json.reason"]],
    [{ kind: "count", product_id: p }, ["json.counted_quantity"]],
    [{ kind: "count", product_id: p, counted_quantity: -1 }, ["json.counted_quantity"]],
    [{ kind: "count", product_id: p, counted_quantity: 1, quantity: 1 }, ["json"]],
    [{ kind: "sale", product_id: "riz", quantity: 1 }, ["json.product_id"]],
    [{ kind: "sale", product_id: p, location_id: 7, quantity: 1 }, ["json.location_id"]],
    [{ kind: "sale", product_id: p, quantity: 1, occurred_at: "hier" }, ["json.occurred_at"]],
    [{ kind: "sale", product_id: p, quantity: 1, tenant_id: crypto.randomUUID() }, ["json"]],
    [{ kind: "sale", product_id: p, quantity: 1, reference: "a\u0000b" }, ["json.reference"]],
    [{ kind: "sale", product_id: p, quantity: 1, idempotency_key: "a b" }, [
      "json.idempotency_key",
    ]],
    [[], ["json"]],
  ];
  for (const [body, expected] of cases) {
    const response = await post(manager, body);
    assert.equal(response.status, 400, JSON.stringify(body));
    assert.equal(response.body.error.code, "validation_failed");
    assert.deepEqual(paths(response.body), expected, JSON.stringify(body));
  }
  const raw = async (text: string, type = "application/json") =>
    await call<ErrorBody>(url, "POST", "/api/v1/movements", {
      token: manager,
      raw: text,
      headers: { "content-type": type },
    });
  const overflow = await raw(`{"kind":"sale","product_id":"${p}","quantity":1e400}`);
  assert.deepEqual([overflow.status, paths(overflow.body)], [400, ["json.quantity"]]);
  assert.equal((await raw(`{"kind":"sale",`)).status, 400, "malformed JSON");
  const form = await raw(
    `kind=sale&product_id=${p}&quantity=1`,
    "application/x-www-form-urlencoded",
  );
  assert.equal(form.status, 415);
  const huge = await post(manager, {
    kind: "sale",
    product_id: p,
    quantity: 1,
    note: "x".repeat(config.bodyLimitBytes - 200),
  });
  assert.deepEqual([huge.status, paths(huge.body)], [400, ["json.note"]]);
  const over = await post(manager, { kind: "sale", product_id: p, note: "x".repeat(2 ** 20) });
  assert.equal(over.status, 413);
  const badKey = await post(manager, { kind: "sale", product_id: p, quantity: 1 }, {
    "idempotency-key": "é".repeat(3),
  });
  assert.deepEqual([badKey.status, paths(badKey.body)], [400, ["header.idempotency-key"]]);
  assert.equal(await movementCount(sql, t.id), 0);
});

Deno.test("401 without a token; a viewer reads but every write is 403 insufficient_role", async () => {
  const { t, viewer } = await shop();
  const product = await createProduct(sql, t.id);
  const location = await defaultLocation(sql, t.id);
  const writes: [string, unknown][] = [
    ["/api/v1/movements", {
      kind: "receipt",
      product_id: product.id,
      quantity: 1,
      unit_cost_xof: 1,
    }],
    ["/api/v1/movements/batch", {
      movements: [{ kind: "sale", product_id: product.id, quantity: 1 }],
    }],
    ["/api/v1/transfers", {
      product_id: product.id,
      from_location_id: location,
      to_location_id: crypto.randomUUID(),
      quantity: 1,
    }],
    ["/api/v1/stock-counts", { lines: [{ product_id: product.id, counted_quantity: 1 }] }],
  ];
  for (const [path, body] of writes) {
    const denied = await call<ErrorBody>(url, "POST", path, { token: viewer, body });
    assert.equal(denied.status, 403, path);
    assert.equal(denied.body.error.code, "insufficient_role");
    const keyed = await call<ErrorBody>(url, "POST", path, {
      token: viewer,
      body,
      headers: { "idempotency-key": "viewer-1" },
    });
    assert.equal(keyed.status, 403, `${path} with a key`);
    assert.equal((await call(url, "POST", path, { body })).status, 401, path);
  }
  for (const path of ["/api/v1/stock-levels", `/api/v1/products/${product.id}/ledger`]) {
    assert.equal((await call(url, "GET", path, { token: viewer })).status, 200, path);
    assert.equal((await call(url, "GET", path)).status, 401, path);
  }
  assert.equal(await movementCount(sql, t.id), 0);
  const [keys] = await sql`select count(*)::int as n from public.idempotency_keys
    where tenant_id = ${t.id}`;
  assert.equal(keys.n, 0);
});

Deno.test("another shop's product or location is 404, like an unknown id; nothing is written", async () => {
  const mine = await shop();
  const theirs = await shop();
  const own = await createProduct(sql, mine.t.id);
  const foreign = await createProduct(sql, theirs.t.id);
  const foreignLocation = await defaultLocation(sql, theirs.t.id);
  const cases: [object, string, string][] = [
    [{ product_id: foreign.id }, "product_not_found", "product_id"],
    [{ product_id: crypto.randomUUID() }, "product_not_found", "product_id"],
    [{ product_id: own.id, location_id: foreignLocation }, "location_not_found", "location_id"],
    [{ product_id: own.id, location_id: crypto.randomUUID() }, "location_not_found", "location_id"],
  ];
  for (const [ids, code, field] of cases) {
    const response = await post(mine.manager, {
      kind: "receipt",
      quantity: 5,
      unit_cost_xof: 100,
      ...ids,
    });
    assert.equal(response.status, 404, JSON.stringify(ids));
    assert.equal(response.body.error.code, code);
    assert.equal(response.body.error.details?.[0].field, field);
  }
  assert.equal(await movementCount(sql, mine.t.id), 0);
  assert.equal(await movementCount(sql, theirs.t.id), 0);
});

Deno.test("close the stack", async () => {
  await stack.close();
});
