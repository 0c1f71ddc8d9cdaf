/**
 * Exact stock under concurrent writers: 20 clients each send 200 random movements
 * through the HTTP API on the same three products at two locations — single
 * movements, small batches, transfers, stock counts, and keyed requests sent twice at
 * once. At the end every level equals the sum of the movements the API accepted (and
 * of the movements in the table), no level is negative, and no accepted movement is
 * missing or counted twice.
 *
 * On PGlite the server has one connection, so requests are serialised; on Postgres 15
 * (`deno task test:pg`) they really run side by side.
 */
import assert from "node:assert/strict";
import {
  call,
  createLocation,
  createProduct,
  createTenantWithTokens,
  defaultLocation,
} from "./helpers/fixtures.ts";
import type { ErrorBody, Movement } from "./helpers/ledger.ts";
import { startStack } from "./helpers/stack.ts";
import { seededRandom } from "../shared/random.ts";

const stack = await startStack();
const { sql, config, url } = stack;

const CLIENTS = 20;
const MOVEMENTS_PER_CLIENT = 200;

/** A seeded generator, so a failing run can be replayed. */
function random(seed: number) {
  const next = seededRandom(seed);
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: T[]) => items[Math.floor(next() * items.length)],
  };
}

Deno.test(`${CLIENTS} concurrent clients × ${MOVEMENTS_PER_CLIENT} random movements: exact stock, never negative, nothing lost`, async () => {
  const { t, manager } = await createTenantWithTokens(sql, config);
  const products = await Promise.all([1, 2, 3].map(() => createProduct(sql, t.id)));
  const locations = [await defaultLocation(sql, t.id), (await createLocation(sql, t.id)).id];
  const accepted = new Map<number, { pair: string; quantity: number }>();
  const outcomes = new Map<string, number>();
  const seed = Date.now() % 100_000;

  const record = (id: number, product: string, location: string, quantity: number) => {
    const pair = `${product}|${location}`;
    const seen = accepted.get(id);
    if (seen) {
      assert.deepEqual(seen, { pair, quantity }, `movement ${id} answered twice differently`);
    }
    accepted.set(id, { pair, quantity });
  };
  const tally = (response: { status: number; body: unknown }) => {
    const code = response.status === 201
      ? "201"
      : `${response.status} ${(response.body as ErrorBody).error?.code}`;
    outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
    return response.status === 201;
  };
  const line = (rand: ReturnType<typeof random>) => {
    const product_id = rand.pick(products).id;
    const location_id = rand.pick(locations);
    const roll = rand.next();
    if (roll < 0.4) {
      return {
        kind: "receipt",
        product_id,
        location_id,
        quantity: rand.int(1, 5),
        unit_cost_xof: 100,
      };
    }
    if (roll < 0.85) return { kind: "sale", product_id, location_id, quantity: rand.int(1, 6) };
    if (roll < 0.92) return { kind: "return", product_id, location_id, quantity: rand.int(1, 2) };
    return {
      kind: "adjustment",
      product_id,
      location_id,
      quantity: rand.pick([-3, -2, -1, 1, 2]),
      reason: "Écart constaté",
    };
  };
  type Single = { movement: Movement };

  async function client(index: number) {
    const rand = random(seed * 31 + index);
    let sent = 0;
    while (sent < MOVEMENTS_PER_CLIENT) {
      const roll = rand.next();
      if (roll < 0.55) {
        const body = line(rand);
        const response = await call<Single>(url, "POST", "/api/v1/movements", {
          token: manager,
          body,
        });
        if (tally(response)) {
          const m = response.body.movement;
          record(m.id, m.product_id, m.location_id, m.quantity);
        }
        sent += 1;
      } else if (roll < 0.75) {
        const movements = Array.from({ length: rand.int(2, 6) }, () => line(rand));
        const response = await call<
          { movements: { line: number; id: number; quantity: number }[] }
        >(
          url,
          "POST",
          "/api/v1/movements/batch",
          { token: manager, body: { movements } },
        );
        if (tally(response)) {
          for (const m of response.body.movements) {
            const input = movements[m.line - 1];
            record(m.id, input.product_id, input.location_id, m.quantity);
          }
        }
        sent += movements.length;
      } else if (roll < 0.87) {
        const [from, to] = rand.next() < 0.5 ? locations : [...locations].reverse();
        const body = {
          product_id: rand.pick(products).id,
          from_location_id: from,
          to_location_id: to,
          quantity: rand.int(1, 4),
        };
        const response = await call<{ movements: Movement[] }>(url, "POST", "/api/v1/transfers", {
          token: manager,
          body,
        });
        if (tally(response)) {
          for (const m of response.body.movements) {
            record(m.id, m.product_id, m.location_id, m.quantity);
          }
        }
        sent += 2;
      } else if (roll < 0.94) {
        const body = {
          location_id: rand.pick(locations),
          lines: products.filter(() => rand.next() < 0.6).map((p) => ({
            product_id: p.id,
            counted_quantity: rand.int(0, 15),
          })),
        };
        if (body.lines.length === 0) continue;
        const response = await call<{ movements: Movement[] }>(
          url,
          "POST",
          "/api/v1/stock-counts",
          {
            token: manager,
            body,
          },
        );
        if (tally(response)) {
          for (const m of response.body.movements) {
            record(m.id, m.product_id, m.location_id, m.quantity);
          }
        }
        sent += body.lines.length;
      } else {
        // The same keyed request twice at once: one runs, the other waits and replays it.
        const body = line(rand);
        const headers = { "idempotency-key": `client-${index}-${sent}-${crypto.randomUUID()}` };
        const both = await Promise.all(
          [1, 2].map(() =>
            call<Single>(url, "POST", "/api/v1/movements", { token: manager, body, headers })
          ),
        );
        assert.equal(both[0].status, both[1].status, "a replay answers like the first");
        const replays = both.filter((r) => r.headers.get("idempotent-replayed") === "true");
        assert.equal(replays.length, 1, "exactly one of the two ran");
        if (both[0].status === 201) {
          assert.deepEqual(both[0].body, both[1].body, "a replay answers like the first");
        }
        for (const response of both) {
          if (tally(response)) {
            const m = response.body.movement;
            record(m.id, m.product_id, m.location_id, m.quantity);
          }
        }
        sent += 1;
      }
    }
  }

  await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index)));

  const unexpected = [...outcomes.keys()].filter((code) =>
    code !== "201" && code !== "409 insufficient_stock"
  );
  assert.deepEqual(unexpected, [], `seed ${seed}: ${JSON.stringify([...outcomes])}`);
  assert.ok((outcomes.get("201") ?? 0) > 100, "most requests are accepted");
  assert.ok((outcomes.get("409 insufficient_stock") ?? 0) > 0, "some sales meet an empty shelf");

  const expected = new Map<string, number>();
  for (const { pair, quantity } of accepted.values()) {
    expected.set(pair, (expected.get(pair) ?? 0) + quantity);
  }
  const levels = await sql<{ pair: string; quantity: number; ledger: number }[]>`
    select l.product_id || '|' || l.location_id as pair, l.quantity::int as quantity,
      (select coalesce(sum(m.quantity), 0)::int from public.stock_movements m
        where m.tenant_id = l.tenant_id and m.product_id = l.product_id
          and m.location_id = l.location_id) as ledger
    from public.stock_levels l where l.tenant_id = ${t.id}`;
  for (const level of levels) {
    assert.ok(level.quantity >= 0, `seed ${seed}: ${level.pair} is negative (${level.quantity})`);
    assert.equal(level.quantity, level.ledger, `seed ${seed}: ${level.pair} level ≠ its movements`);
    assert.equal(level.quantity, expected.get(level.pair) ?? 0, `seed ${seed}: ${level.pair}`);
  }
  const [{ n }] = await sql`select count(*)::int as n from public.stock_movements
    where tenant_id = ${t.id}`;
  assert.equal(n, accepted.size, "every accepted movement is in the ledger, nothing else is");
});

Deno.test("close the stack", async () => {
  await stack.close();
});
