/**
 * The alert evaluation over several 5-minute cycles with a controllable clock: one
 * alert per condition however many cycles see it, new products detected, resolution and
 * re-occurrence, snooze, digests, recipients' preferences, rules by scope, the
 * time-based types, and one Realtime broadcast per new alert.
 *
 * The evaluation is global (every tenant at once); each test makes its own tenant and
 * looks only at it.
 */
import assert from "node:assert/strict";
import { evaluateAlerts } from "../shared/alerts/job.ts";
import {
  createCategory,
  createLocation,
  createMovement,
  createProduct,
  createTenantWithRoles,
  defaultLocation,
} from "./helpers/fixtures.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql } = stack;
const deps = stack.deps;

type AlertRow = {
  id: number;
  alert_type: string;
  product_id: string | null;
  location_id: string | null;
  status: string;
  severity: string;
  resolution: string | null;
  first_seen_at: string;
  last_seen_at: string;
  context: Record<string, unknown>;
};
type OutboxRow = {
  id: number;
  recipient_id: string;
  kind: string;
  alert_ids: number[];
  urgent: boolean;
  payload: { alerts: { alert_id: number; type: string; event: string; product_name: string }[] };
};

/** A clock advancing 5 minutes per cycle, from a fixed start. */
function clock(start = new Date()) {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    cycle: async () => {
      at += 5 * 60_000;
      return await evaluateAlerts(deps, { now: new Date(at) });
    },
  };
}

async function alertsOf(tenantId: string): Promise<AlertRow[]> {
  return await sql<AlertRow[]>`
    select id::int, alert_type, product_id, location_id, status::text, severity::text,
      resolution, first_seen_at, last_seen_at, context
    from public.alerts where tenant_id = ${tenantId} order by id`;
}

async function outboxOf(tenantId: string): Promise<OutboxRow[]> {
  return await sql<OutboxRow[]>`
    select id::int, recipient_id, kind, array(select unnest(alert_ids)::int) as alert_ids,
      urgent, payload
    from public.notification_outbox where tenant_id = ${tenantId} order by id`;
}

async function addRecipient(
  tenantId: string,
  values: Record<string, unknown> = {},
): Promise<string> {
  const phone = `+22177${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  const row = {
    tenant_id: tenantId,
    display_name: "Awa",
    phone_e164: phone,
    opted_in: true,
    opted_in_at: new Date(),
    ...values,
  };
  const [{ id }] = await sql<{ id: string }[]>`
    insert into public.notification_recipients ${sql(row)} returning id`;
  return id;
}

const receive = (tenantId: string, productId: string, quantity: number, location?: string) =>
  createMovement(sql, tenantId, {
    product_id: productId,
    kind: "receipt",
    quantity,
    unit_cost_xof: 100,
    ...(location ? { location_id: location } : {}),
  });
const sell = (tenantId: string, productId: string, quantity: number) =>
  createMovement(sql, tenantId, { product_id: productId, kind: "sale", quantity: -quantity });

Deno.test("a condition seen over many cycles is one alert and one message", async () => {
  const t = await createTenantWithRoles(sql);
  const recipient = await addRecipient(t.id);
  const rice = await createProduct(sql, t.id, { name: "Riz brisé 25 kg", reorder_point: 10 });
  await receive(t.id, rice.id, 4);
  const c = clock();
  await c.cycle();
  for (let i = 0; i < 4; i++) await c.cycle();

  const alerts = await alertsOf(t.id);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].alert_type, "low_stock");
  assert.equal(alerts[0].status, "active");
  assert.equal(alerts[0].severity, "warning");
  assert.equal(alerts[0].context.stock, 4);
  assert.equal(alerts[0].context.reorder_point, 10);
  // last_seen_at moved only when the product was re-checked (here: never after cycle 1).
  assert.equal(String(alerts[0].last_seen_at), String(alerts[0].first_seen_at));
  const outbox = await outboxOf(t.id);
  assert.equal(outbox.length, 1);
  assert.equal(outbox[0].recipient_id, recipient);
  assert.deepEqual(outbox[0].alert_ids, [alerts[0].id]);
  assert.equal(outbox[0].urgent, false);

  // A sale that keeps it low re-checks it: same alert, fresher context, no message.
  await sell(t.id, rice.id, 1);
  await c.cycle();
  const after = await alertsOf(t.id);
  assert.equal(after.length, 1);
  assert.equal(after[0].id, alerts[0].id);
  assert.equal(after[0].context.stock, 3);
  assert.ok(new Date(after[0].last_seen_at) > new Date(alerts[0].last_seen_at));
  assert.equal((await outboxOf(t.id)).length, 1);
  const events = await sql`select event from public.alert_events where alert_id = ${after[0].id}`;
  assert.deepEqual(events.map((e) => e.event), ["opened"]);
});

Deno.test("a product created since the last run is detected and is the only one notified", async () => {
  const t = await createTenantWithRoles(sql);
  await addRecipient(t.id);
  const old = await createProduct(sql, t.id, { reorder_point: 5 });
  await receive(t.id, old.id, 2);
  const c = clock();
  await c.cycle();
  assert.equal((await outboxOf(t.id)).length, 1);

  const fresh = await createProduct(sql, t.id, { name: "Huile Dinor 1 L", reorder_point: 5 });
  const result = await c.cycle();
  assert.ok(result.checked_products >= 1);
  const alerts = await alertsOf(t.id);
  assert.equal(alerts.length, 2);
  const created = alerts.find((a) => a.product_id === fresh.id)!;
  // Never received: 0 at the default location, a stock-out.
  assert.equal(created.alert_type, "stock_out");
  assert.equal(created.location_id, await defaultLocation(sql, t.id));
  const outbox = await outboxOf(t.id);
  assert.equal(outbox.length, 2);
  assert.deepEqual(outbox[1].alert_ids, [created.id]);
  assert.equal(outbox[1].payload.alerts.length, 1);
  assert.equal(outbox[1].payload.alerts[0].product_name, "Huile Dinor 1 L");
  assert.equal(outbox[1].urgent, true);
});

Deno.test("a cleared condition resolves once; a re-occurrence is a new alert", async () => {
  const t = await createTenantWithRoles(sql);
  const wantsResolved = await addRecipient(t.id, { notify_resolved: true });
  const onlyNew = await addRecipient(t.id);
  const sugar = await createProduct(sql, t.id, { reorder_point: 10 });
  await receive(t.id, sugar.id, 3);
  const c = clock();
  await c.cycle();
  const [first] = await alertsOf(t.id);

  await receive(t.id, sugar.id, 50);
  const result = await c.cycle();
  assert.ok(result.alerts_resolved >= 1);
  const [resolved] = await alertsOf(t.id);
  assert.equal(resolved.status, "resolved");
  assert.equal(resolved.resolution, "cleared");
  const events = await sql`
    select event, source from public.alert_events where alert_id = ${first.id} order by id`;
  assert.deepEqual(events.map((e) => e.event), ["opened", "resolved"]);
  // Told once, and only the recipient who asked for it.
  let outbox = await outboxOf(t.id);
  const resolvedMessages = outbox.filter((o) =>
    o.payload.alerts.some((a) => a.event === "resolved")
  );
  assert.equal(resolvedMessages.length, 1);
  assert.equal(resolvedMessages[0].recipient_id, wantsResolved);
  assert.ok(!resolvedMessages.some((o) => o.recipient_id === onlyNew));
  await c.cycle();
  assert.equal((await outboxOf(t.id)).length, outbox.length);

  // Back under the reorder point: a new alert (new id), notified again.
  await sell(t.id, sugar.id, 50);
  await c.cycle();
  const alerts = await alertsOf(t.id);
  assert.equal(alerts.length, 2);
  assert.notEqual(alerts[1].id, first.id);
  assert.equal(alerts[1].status, "active");
  outbox = await outboxOf(t.id);
  assert.ok(outbox.some((o) => o.alert_ids.includes(alerts[1].id) && o.recipient_id === onlyNew));
});

Deno.test("low stock turning into a stock-out resolves one type and opens the other", async () => {
  const t = await createTenantWithRoles(sql);
  const milk = await createProduct(sql, t.id, { reorder_point: 10 });
  await receive(t.id, milk.id, 2);
  const c = clock();
  await c.cycle();
  await sell(t.id, milk.id, 2);
  await c.cycle();
  const alerts = await alertsOf(t.id);
  assert.deepEqual(alerts.map((a) => [a.alert_type, a.status]), [
    ["low_stock", "resolved"],
    ["stock_out", "active"],
  ]);
  assert.equal(alerts[1].severity, "critical");
  assert.equal(alerts[1].context.days_of_cover, 0);
});

Deno.test("stock is judged per location", async () => {
  const t = await createTenantWithRoles(sql);
  const shop = await defaultLocation(sql, t.id);
  const depot = await createLocation(sql, t.id, { name: "Dépôt Pikine", kind: "warehouse" });
  const tea = await createProduct(sql, t.id, { reorder_point: 5 });
  await receive(t.id, tea.id, 20, depot.id);
  await receive(t.id, tea.id, 1, shop);
  await sell(t.id, tea.id, 1);
  const c = clock();
  await c.cycle();
  const alerts = await alertsOf(t.id);
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].alert_type, "stock_out");
  assert.equal(alerts[0].location_id, shop);
});

Deno.test("several alerts of one run become one digest per recipient, filtered by type", async () => {
  const t = await createTenantWithRoles(sql);
  const everyone = await addRecipient(t.id);
  const outsOnly = await addRecipient(t.id, { alert_types: ["stock_out"] });
  const optedOut = await addRecipient(t.id, { opted_in: false, opted_out_at: new Date() });
  const inactive = await addRecipient(t.id, { active: false });
  for (let i = 0; i < 3; i++) await createProduct(sql, t.id, { reorder_point: 5 });
  const low = await createProduct(sql, t.id, { reorder_point: 5 });
  await receive(t.id, low.id, 1);
  await clock().cycle();
  const outbox = await outboxOf(t.id);
  assert.equal(outbox.length, 2);
  const byRecipient = new Map(outbox.map((o) => [o.recipient_id, o]));
  assert.equal(byRecipient.get(everyone)!.alert_ids.length, 4);
  assert.equal(byRecipient.get(outsOnly)!.alert_ids.length, 3);
  assert.ok(byRecipient.get(outsOnly)!.payload.alerts.every((a) => a.type === "stock_out"));
  assert.ok(!byRecipient.has(optedOut) && !byRecipient.has(inactive));
  // Urgency first: the stock-outs come before the low stock in the digest.
  const types = byRecipient.get(everyone)!.payload.alerts.map((a) => a.type);
  assert.deepEqual(types, ["stock_out", "stock_out", "stock_out", "low_stock"]);
});

Deno.test("a snoozed product and type is not notified again until the snooze ends", async () => {
  const t = await createTenantWithRoles(sql);
  await addRecipient(t.id);
  const soap = await createProduct(sql, t.id, { reorder_point: 5 });
  await receive(t.id, soap.id, 2);
  const start = new Date();
  const c = clock(start);
  await c.cycle();
  const [alert] = await alertsOf(t.id);
  await sql`select app.change_alert(${t.id}, ${alert.id}, 'snooze', ${t.manager.id}, 'api',
    now() + interval '1 hour', 'Livraison prévue')`;

  // Clears and comes back within the hour: a new alert, but no message.
  await receive(t.id, soap.id, 10);
  await c.cycle();
  await sell(t.id, soap.id, 10);
  await c.cycle();
  let alerts = await alertsOf(t.id);
  assert.equal(alerts.length, 2);
  assert.equal((await outboxOf(t.id)).length, 1);

  // After the snooze: the next re-occurrence is notified.
  await receive(t.id, soap.id, 10);
  await evaluateAlerts(deps, { now: new Date(start.getTime() + 2 * 3600_000) });
  await sell(t.id, soap.id, 10);
  await evaluateAlerts(deps, { now: new Date(start.getTime() + 2 * 3600_000 + 300_000) });
  alerts = await alertsOf(t.id);
  assert.equal(alerts.length, 3);
  const outbox = await outboxOf(t.id);
  assert.equal(outbox.length, 2);
  assert.deepEqual(outbox[1].alert_ids, [alerts[2].id]);
  const events = await sql`select event, actor_id, details from public.alert_events
    where alert_id = ${alert.id} order by id`;
  assert.deepEqual(events.map((e) => e.event), ["opened", "snoozed", "resolved"]);
  assert.equal(events[1].actor_id, t.manager.id);
});

Deno.test("rules: product over category over tenant over the type's defaults", async () => {
  const t = await createTenantWithRoles(sql);
  await addRecipient(t.id);
  const drinks = await createCategory(sql, t.id, { name: "Boissons" });
  const quiet = await createProduct(sql, t.id, { reorder_point: 5, category_id: drinks.id });
  const loud = await createProduct(sql, t.id, { reorder_point: 5, category_id: drinks.id });
  const bigThreshold = await createProduct(sql, t.id, { reorder_point: 5 });
  for (const p of [quiet, loud, bigThreshold]) await receive(t.id, p.id, 8);
  // Tenant: low stock is critical. Category: low stock off. Product: back on for `loud`.
  await sql`insert into public.alert_rules (tenant_id, alert_type, severity, params)
    values (${t.id}, 'low_stock', 'critical', '{"threshold": 10}')`;
  await sql`insert into public.alert_rules (tenant_id, alert_type, category_id, enabled)
    values (${t.id}, 'low_stock', ${drinks.id}, false)`;
  await sql`insert into public.alert_rules (tenant_id, alert_type, product_id, enabled, notify)
    values (${t.id}, 'low_stock', ${loud.id}, true, false)`;
  await clock().cycle();
  const alerts = await alertsOf(t.id);
  assert.deepEqual(alerts.map((a) => a.product_id).sort(), [loud.id, bigThreshold.id].sort());
  assert.ok(alerts.every((a) => a.severity === "critical" && a.context.threshold === 10));
  // `loud` opted out of messages by its rule.
  const outbox = await outboxOf(t.id);
  assert.equal(outbox.length, 1);
  assert.deepEqual(outbox[0].alert_ids, [alerts.find((a) => a.product_id === bigThreshold.id)!.id]);

  // Disabling the type for the tenant resolves the open alert of bigThreshold at the next run.
  await sql`update public.alert_rules set enabled = false
    where tenant_id = ${t.id} and category_id is null and product_id is null`;
  await clock().cycle();
  const after = await alertsOf(t.id);
  assert.equal(after.find((a) => a.product_id === bigThreshold.id)!.status, "resolved");
  assert.equal(after.find((a) => a.product_id === loud.id)!.status, "active");
});

Deno.test("rule params are checked against the type", async () => {
  const t = await createTenantWithRoles(sql);
  await assert.rejects(
    sql`insert into public.alert_rules (tenant_id, alert_type, params)
      values (${t.id}, 'low_stock', '{"window_days": 3}')`,
    /invalid_rule_param/,
  );
  await assert.rejects(
    sql`insert into public.alert_rules (tenant_id, alert_type, params)
      values (${t.id}, 'fill_rate_drop', '{"threshold": "0.5; drop table alerts"}')`,
    /invalid_rule_param/,
  );
  await assert.rejects(
    sql`insert into public.alert_rules (tenant_id, alert_type) values (${t.id}, 'stock_out'),
      (${t.id}, 'stock_out')`,
    /alert_rules_scope_key/,
  );
});

Deno.test("archived products' alerts are resolved", async () => {
  const t = await createTenantWithRoles(sql);
  const p = await createProduct(sql, t.id, { reorder_point: 5 });
  const c = clock();
  await c.cycle();
  await sql`update public.products set archived_at = now() where id = ${p.id}`;
  await c.cycle();
  const [alert] = await alertsOf(t.id);
  assert.equal(alert.status, "resolved");
  assert.equal(alert.resolution, "product_archived");
});

Deno.test("fill rate: below the threshold over the window, and shop-wide", async () => {
  const t = await createTenantWithRoles(sql);
  const shop = await defaultLocation(sql, t.id);
  const flour = await createProduct(sql, t.id, { name: "Farine", reorder_point: 0 });
  await receive(t.id, flour.id, 1000);
  const start = new Date();
  // Two closed orders two days ago: 20 ordered, 12 delivered (60 %).
  for (const delivered of [5, 7]) {
    const [order] = await sql<{ id: string }[]>`
      insert into public.sales_orders (tenant_id, location_id, ordered_at)
      values (${t.id}, ${shop}, now() - interval '2 days') returning id`;
    await sql`insert into public.sales_order_lines (tenant_id, order_id, product_id,
        quantity_ordered, quantity_delivered)
      values (${t.id}, ${order.id}, ${flour.id}, 10, ${delivered})`;
    await sql`update public.sales_orders set status = 'delivered', confirmed_at = ordered_at,
      delivered_at = ordered_at where id = ${order.id}`;
  }
  await evaluateAlerts(deps, { now: start });
  let alerts = (await alertsOf(t.id)).filter((a) => a.alert_type === "fill_rate_drop");
  assert.equal(alerts.length, 2);
  const product = alerts.find((a) => a.product_id === flour.id)!;
  const shopWide = alerts.find((a) => a.product_id === null)!;
  assert.deepEqual(product.context.fill_rate, { current: 0.6, threshold: 0.9 });
  assert.equal(shopWide.context.shop_wide, true);
  assert.equal(product.location_id, null);

  // Ten days later the orders are out of the 7-day window: both resolve.
  await evaluateAlerts(deps, { now: new Date(start.getTime() + 10 * 86400_000) });
  alerts = (await alertsOf(t.id)).filter((a) => a.alert_type === "fill_rate_drop");
  assert.ok(alerts.every((a) => a.status === "resolved"));
});

Deno.test("predicted stock-out within the lead time, from the forecasts", async () => {
  const t = await createTenantWithRoles(sql);
  const oil = await createProduct(sql, t.id, { reorder_point: 2, lead_time_days: 5 });
  const far = await createProduct(sql, t.id, { reorder_point: 2, lead_time_days: 5 });
  await receive(t.id, oil.id, 30);
  await receive(t.id, far.id, 30);
  const shop = await defaultLocation(sql, t.id);
  await sql`insert into public.forecasts (tenant_id, product_id, location_id, computed_at, method,
      daily_demand, predicted_stockout_on, stockout_probability)
    values (${t.id}, ${oil.id}, ${shop}, now(), 'tsb', 10, current_date + 3, 0.8),
      (${t.id}, ${far.id}, ${shop}, now(), 'tsb', 1, current_date + 30, 0.9)`;
  await evaluateAlerts(deps, {});
  let alerts = (await alertsOf(t.id)).filter((a) => a.alert_type === "predicted_stock_out");
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].product_id, oil.id);
  assert.equal(alerts[0].context.days_of_cover, 3);
  assert.equal(alerts[0].location_id, shop);
  await sql`update public.forecasts set predicted_stockout_on = current_date + 20
    where product_id = ${oil.id}`;
  // Time-based types are re-checked at most once an hour (unless full).
  await evaluateAlerts(deps, { now: new Date(Date.now() + 61 * 60_000) });
  alerts = (await alertsOf(t.id)).filter((a) => a.alert_type === "predicted_stock_out");
  assert.equal(alerts[0].status, "resolved");
});

Deno.test("each new alert is broadcast once on the tenant's private topic", async () => {
  const t = await createTenantWithRoles(sql);
  await createProduct(sql, t.id);
  await createProduct(sql, t.id);
  const c = clock();
  await c.cycle();
  await c.cycle();
  const alerts = await alertsOf(t.id);
  const messages = await sql<
    { topic: string; event: string; private: boolean; payload: { id: number } }[]
  >`
    select topic, event, private, payload from realtime.messages
    where topic = ${`tenant:${t.id}:alerts`} order by id`;
  assert.equal(messages.length, alerts.length);
  assert.ok(messages.every((m) => m.event === "alert_opened" && m.private));
  assert.deepEqual(
    messages.map((m) => Number(m.payload.id)).sort(),
    alerts.map((a) => a.id).sort(),
  );
});

Deno.test("two evaluations at once: one waits its turn or is refused, nothing doubles", async () => {
  const t = await createTenantWithRoles(sql);
  await createProduct(sql, t.id);
  const results = await Promise.allSettled([evaluateAlerts(deps), evaluateAlerts(deps)]);
  for (const r of results) {
    if (r.status === "rejected") assert.match(String(r.reason), /déjà en cours|evaluation_running/);
  }
  assert.equal((await alertsOf(t.id)).length, 1);
});

Deno.test("close", () => stack.close());
