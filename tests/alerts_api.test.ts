/**
 * The alerts API (`/api/v1/alertes`): open alerts listed, filtered and paged after an
 * evaluation; the history with events and notifications; acknowledge / snooze / resolve
 * with their roles, 404 across tenants and 409 once resolved; the alert types; rules
 * CRUD with per-type parameter validation and a rule that stops an alert; recipients
 * with phone normalisation and consent; settings; the owner's test message sent through
 * the outbox to a fake Twilio; hostile strings in filters and bodies.
 * Each test builds its own tenant and evaluates; assertions only read that tenant's rows.
 */
import assert from "node:assert/strict";
import {
  call,
  createCategory,
  createMovement,
  createProduct,
  createTenantWithTokens,
  defaultLocation,
  type ErrorBody,
  paths,
} from "./helpers/fixtures.ts";
import { startFakeTwilio } from "./helpers/fake_twilio.ts";
import { startStack } from "./helpers/stack.ts";

const ACCOUNT_SID = "AC" + "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const AUTH_TOKEN = "fake-auth-token-alerts-api";
const fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
const stack = await startStack({
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_WHATSAPP_FROM: "+14155238886",
  TWILIO_API_BASE_URL: fake.url,
});
const { sql, config, url } = stack;

type Alert = {
  id: number;
  alert_type: string;
  severity: string;
  status: string;
  product_id: string | null;
  product_sku: string | null;
  product_name: string | null;
  location_id: string | null;
  location_name: string | null;
  context: Record<string, unknown>;
  snoozed_until: string | null;
  resolution: string | null;
  events: { event: string; source: string; actor_id: string | null }[];
  notifications: { recipient_name: string | null; status: string }[];
};
type Res =
  & Alert
  & ErrorBody
  & Record<string, unknown>
  & { data: Alert[]; page: { limit: number; offset: number; total: number } };

const api = (method: string, path: string, token?: string, body?: unknown) =>
  call<Res>(url, method, `/api/v1${path}`, { token, body });

const evaluate = () => sql`select * from app.evaluate_alerts(now(), false, null)`;

/**
 * A shop with an out-of-stock product (stock_out, critical) and two products at 5 under
 * a reorder point of 10 (low_stock, warning), evaluated once.
 */
async function shopWithAlerts() {
  const s = await createTenantWithTokens(sql, config);
  const out = await createProduct(sql, s.t.id, { reorder_point: 10 });
  const lowA = await createProduct(sql, s.t.id, { reorder_point: 10 });
  const lowB = await createProduct(sql, s.t.id, { reorder_point: 10 });
  for (const p of [lowA, lowB]) {
    await createMovement(sql, s.t.id, {
      product_id: p.id,
      kind: "receipt",
      quantity: 5,
      unit_cost_xof: 100,
    });
  }
  await evaluate();
  const alertOf = async (productId: string) => {
    const [row] = await sql<{ id: number }[]>`
      select id::float8 as id from public.alerts
      where tenant_id = ${s.t.id} and product_id = ${productId} and status <> 'resolved'`;
    return row.id;
  };
  return { ...s, out, lowA, lowB, alertOf };
}

Deno.test("GET /alertes lists open alerts most severe first, with filters and pages", async () => {
  const s = await shopWithAlerts();
  const all = await api("GET", "/alertes", s.viewer);
  assert.equal(all.status, 200);
  assert.equal(all.body.page.total, 3);
  assert.deepEqual(all.body.data.map((a) => a.alert_type), ["stock_out", "low_stock", "low_stock"]);
  const first = all.body.data[0];
  assert.equal(first.severity, "critical");
  assert.equal(first.product_id, s.out.id);
  assert.equal(first.product_sku, s.out.sku);
  assert.equal(first.product_name, s.out.name);
  assert.equal(first.location_id, await defaultLocation(sql, s.t.id));
  assert.ok(first.location_name);
  assert.equal(typeof first.context, "object");

  const low = await api("GET", "/alertes?type=low_stock", s.viewer);
  assert.equal(low.body.page.total, 2);
  assert.ok(low.body.data.every((a) => a.alert_type === "low_stock"));
  const critical = await api("GET", "/alertes?severity=critical", s.viewer);
  assert.deepEqual(critical.body.data.map((a) => a.product_id), [s.out.id]);
  const one = await api("GET", `/alertes?product_id=${s.lowB.id}`, s.viewer);
  assert.deepEqual(one.body.data.map((a) => a.product_id), [s.lowB.id]);
  const here = await api("GET", `/alertes?location_id=${first.location_id}`, s.viewer);
  assert.equal(here.body.page.total, 3);
  const elsewhere = await api("GET", `/alertes?location_id=${crypto.randomUUID()}`, s.viewer);
  assert.equal(elsewhere.body.page.total, 0);
  const acknowledged = await api("GET", "/alertes?status=acknowledged", s.viewer);
  assert.equal(acknowledged.body.page.total, 0);

  const page = await api("GET", "/alertes?limit=1&offset=1", s.viewer);
  assert.deepEqual(page.body.page, { limit: 1, offset: 1, total: 3 });
  assert.equal(page.body.data.length, 1);
  assert.equal(page.body.data[0].alert_type, "low_stock");

  // Another shop sees none of them.
  const other = await createTenantWithTokens(sql, config);
  assert.equal((await api("GET", "/alertes", other.owner)).body.page.total, 0);
});

Deno.test("GET /alertes refuses bad filters with their paths, hostile strings included", async () => {
  const s = await shopWithAlerts();
  const bad = await api(
    "GET",
    `/alertes?type=${encodeURIComponent("low_stock' or 1=1 --")}&severity=urgent` +
      `&product_id=${encodeURIComponent("x' or '1'='1")}&limit=0&include_snoozed=yes`,
    s.viewer,
  );
  assert.equal(bad.status, 400);
  assert.deepEqual(paths(bad.body), [
    "query.include_snoozed",
    "query.limit",
    "query.product_id",
    "query.severity",
    "query.type",
  ]);
  const history = await api("GET", "/alertes/history?from=yesterday&status=open", s.viewer);
  assert.equal(history.status, 400);
  assert.deepEqual(paths(history.body), ["query.from", "query.status"]);
  assert.equal((await api("GET", "/alertes", undefined)).status, 401);
  // The hostile strings changed nothing.
  assert.equal((await api("GET", "/alertes", s.viewer)).body.page.total, 3);
});

Deno.test("acknowledge is for every member; snooze and resolve for managers; 409 once resolved", async () => {
  const s = await shopWithAlerts();
  const id = await s.alertOf(s.lowA.id);

  const seen = await api("POST", `/alertes/${id}/acknowledge`, s.viewer, { note: "Vu" });
  assert.equal(seen.status, 200);
  assert.equal(seen.body.status, "acknowledged");
  assert.equal(seen.body.id, id);
  const again = await api("POST", `/alertes/${id}/acknowledge`, s.viewer);
  assert.equal(again.status, 200, "acknowledging twice is harmless (no body needed)");

  assert.equal((await api("POST", `/alertes/${id}/resolve`, s.viewer)).status, 403);
  assert.equal((await api("POST", `/alertes/${id}/snooze`, s.viewer, { minutes: 60 })).status, 403);

  const snoozed = await api("POST", `/alertes/${id}/snooze`, s.manager, { minutes: 60 });
  assert.equal(snoozed.status, 200);
  assert.ok(snoozed.body.snoozed_until);
  assert.ok(Date.parse(snoozed.body.snoozed_until!) > Date.now());
  const visible = await api("GET", "/alertes", s.viewer);
  assert.ok(!visible.body.data.some((a) => a.id === id), "a snoozed alert is hidden");
  const withSnoozed = await api("GET", "/alertes?include_snoozed=true", s.viewer);
  assert.ok(withSnoozed.body.data.some((a) => a.id === id));

  const woken = await api("POST", `/alertes/${id}/snooze`, s.manager, { until: null });
  assert.equal(woken.status, 200);
  assert.equal(woken.body.snoozed_until, null);
  const later = new Date(Date.now() + 86_400_000).toISOString();
  assert.equal(
    (await api("POST", `/alertes/${id}/snooze`, s.manager, { until: later })).status,
    200,
  );

  const both = await api("POST", `/alertes/${id}/snooze`, s.manager, { until: later, minutes: 5 });
  assert.equal(both.status, 400);
  assert.deepEqual(paths(both.body), ["json.until"]);
  assert.equal((await api("POST", `/alertes/${id}/snooze`, s.manager, {})).status, 400);
  const tooLong = await api("POST", `/alertes/${id}/snooze`, s.manager, { minutes: 43_201 });
  assert.deepEqual(paths(tooLong.body), ["json.minutes"]);
  const past = await api("POST", `/alertes/${id}/snooze`, s.manager, {
    until: "2020-01-01T00:00:00Z",
  });
  assert.equal(past.status, 422);
  assert.equal(past.body.error.code, "invalid_snooze");

  const resolved = await api("POST", `/alertes/${id}/resolve`, s.manager, { note: "Réassort" });
  assert.equal(resolved.status, 200);
  assert.equal(resolved.body.status, "resolved");
  assert.equal(resolved.body.resolution, "manual");
  for (const verb of ["resolve", "acknowledge"]) {
    const late = await api("POST", `/alertes/${id}/${verb}`, s.owner);
    assert.equal(late.status, 409, verb);
    assert.equal(late.body.error.code, "alert_resolved");
  }
  const open = await api("GET", "/alertes", s.viewer);
  assert.ok(!open.body.data.some((a) => a.id === id), "a resolved alert is no longer open");

  const detail = await api("GET", `/alertes/${id}`, s.viewer);
  assert.equal(detail.status, 200);
  assert.deepEqual(
    detail.body.events.map((e) => e.event),
    ["opened", "acknowledged", "snoozed", "unsnoozed", "snoozed", "resolved"],
  );
  assert.ok(detail.body.events.slice(1).every((e) => e.source === "api"));
});

Deno.test("another shop's token gets 404 on this shop's alert, for reads and actions", async () => {
  const s = await shopWithAlerts();
  const other = await createTenantWithTokens(sql, config);
  const id = await s.alertOf(s.out.id);
  assert.equal((await api("GET", `/alertes/${id}`, s.viewer)).status, 200);
  for (const token of [other.owner, other.viewer]) {
    const read = await api("GET", `/alertes/${id}`, token);
    assert.equal(read.status, 404);
    assert.equal(read.body.error.code, "alert_not_found");
  }
  assert.equal((await api("POST", `/alertes/${id}/acknowledge`, other.viewer)).status, 404);
  assert.equal((await api("POST", `/alertes/${id}/resolve`, other.owner)).status, 404);
  assert.equal(
    (await api("POST", `/alertes/${id}/snooze`, other.owner, { minutes: 5 })).status,
    404,
  );
  const [row] = await sql`select status from public.alerts where id = ${id}`;
  assert.equal(row.status, "active", "nothing changed");
  assert.equal((await api("GET", "/alertes/999999999999", s.viewer)).status, 404);
  const notANumber = await api("GET", `/alertes/${encodeURIComponent("1 or 1=1")}`, s.viewer);
  assert.equal(notANumber.status, 400);
  assert.deepEqual(paths(notANumber.body), ["param.id"]);
});

Deno.test("GET /alertes/history has resolved alerts with their events and notifications", async () => {
  const s = await createTenantWithTokens(sql, config);
  const recipient = await api("POST", "/alertes/recipients", s.manager, {
    display_name: "Awa Ndiaye",
    phone: "77 100 00 01",
    opted_in: true,
  });
  assert.equal(recipient.status, 201);
  const product = await createProduct(sql, s.t.id, { reorder_point: 10 });
  await evaluate();
  // The stock comes back: the next evaluation resolves the stock-out (condition cleared).
  await createMovement(sql, s.t.id, {
    product_id: product.id,
    kind: "receipt",
    quantity: 50,
    unit_cost_xof: 100,
  });
  await evaluate();

  const history = await api("GET", "/alertes/history", s.manager);
  assert.equal(history.status, 200);
  assert.equal(history.body.page.total, 1);
  const [alert] = history.body.data;
  assert.equal(alert.status, "resolved");
  assert.equal(alert.resolution, "cleared");
  assert.deepEqual(alert.events.map((e) => e.event), ["opened", "resolved"]);
  assert.ok(alert.events.every((e) => e.source === "evaluation"));
  assert.equal(alert.notifications.length, 1);
  assert.equal(alert.notifications[0].recipient_name, "Awa Ndiaye");
  assert.ok(["pending", "sending", "queued"].includes(alert.notifications[0].status));

  // Viewers see the messages but not who received them (recipients are personal data).
  const asViewer = await api("GET", "/alertes/history", s.viewer);
  assert.equal(asViewer.body.data[0].notifications[0].recipient_name, null);

  const resolved = await api("GET", "/alertes/history?status=resolved&type=stock_out", s.viewer);
  assert.equal(resolved.body.page.total, 1);
  assert.equal(
    (await api("GET", "/alertes/history?status=active", s.viewer)).body.page.total,
    0,
  );
  const future = new Date(Date.now() + 3_600_000).toISOString();
  const past = "2020-01-01T00:00:00Z";
  assert.equal(
    (await api("GET", `/alertes/history?from=${encodeURIComponent(future)}`, s.viewer)).body
      .page.total,
    0,
  );
  assert.equal(
    (await api("GET", `/alertes/history?to=${encodeURIComponent(past)}`, s.viewer)).body.page
      .total,
    0,
  );
  assert.equal(
    (await api("GET", `/alertes/history?product_id=${product.id}`, s.viewer)).body.page.total,
    1,
  );
  const detail = await api("GET", `/alertes/${alert.id}`, s.manager);
  assert.deepEqual(detail.body.events.map((e) => e.event), ["opened", "resolved"]);
  assert.equal(detail.body.notifications.length, 1);
});

Deno.test("GET /alertes/types lists the four types with their defaults", async () => {
  const s = await createTenantWithTokens(sql, config);
  const types = await api("GET", "/alertes/types", s.viewer);
  assert.equal(types.status, 200);
  const data = types.body.data as unknown as { code: string; default_params: object }[];
  assert.deepEqual(data.map((t) => t.code), [
    "stock_out",
    "predicted_stock_out",
    "low_stock",
    "fill_rate_drop",
  ]);
  assert.deepEqual(data[3].default_params, {
    window_days: 7,
    threshold: 0.9,
    drop_points: 10,
    min_ordered: 5,
  });
});

Deno.test("rules CRUD: per-type params validated, 409 on a duplicate scope, managers only", async () => {
  const s = await createTenantWithTokens(sql, config);
  const other = await createTenantWithTokens(sql, config);
  const category = await createCategory(sql, s.t.id);
  const foreign = await createProduct(sql, other.t.id);

  const created = await api("POST", "/alertes/rules", s.manager, {
    alert_type: "low_stock",
    params: { threshold: 3 },
    severity: "critical",
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.alert_type, "low_stock");
  assert.deepEqual(created.body.params, { threshold: 3 });
  assert.equal(created.body.category_id, null);
  const duplicate = await api("POST", "/alertes/rules", s.owner, { alert_type: "low_stock" });
  assert.equal(duplicate.status, 409);
  assert.equal(duplicate.body.error.code, "rule_exists");
  const forCategory = await api("POST", "/alertes/rules", s.manager, {
    alert_type: "fill_rate_drop",
    category_id: category.id,
    params: { window_days: 14, threshold: 0.8, drop_points: 5, min_ordered: 0 },
  });
  assert.equal(forCategory.status, 201);

  const invalid = [
    [{ alert_type: "low_stock", params: { threshold: -1 } }, ["json.params.threshold"]],
    [{ alert_type: "low_stock", params: { threshold: 2.5 } }, ["json.params.threshold"]],
    [{ alert_type: "fill_rate_drop", params: { threshold: 2 } }, ["json.params.threshold"]],
    [{ alert_type: "fill_rate_drop", params: { window_days: 0, drop_points: 101 } }, [
      "json.params.drop_points",
      "json.params.window_days",
    ]],
    [{ alert_type: "fill_rate_drop", params: { min_ordered: -1 } }, ["json.params.min_ordered"]],
    [{ alert_type: "predicted_stock_out", params: { horizon_days: 366, min_probability: 1.5 } }, [
      "json.params.horizon_days",
      "json.params.min_probability",
    ]],
    [{ alert_type: "stock_out", params: { threshold: 1 } }, ["json.params"]],
    [{ alert_type: "low_stock", params: { threshold: "3" } }, ["json.params.threshold"]],
    [{ alert_type: "low_stock", category_id: category.id, product_id: foreign.id }, [
      "json.product_id",
    ]],
    [{ alert_type: "low_stock", severity: "urgent", extra: 1 }, ["json", "json.severity"]],
    [{ alert_type: "'; drop table public.alert_rules; --" }, ["json.alert_type"]],
  ] as const;
  for (const [body, expected] of invalid) {
    const res = await api("POST", "/alertes/rules", s.manager, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.deepEqual(paths(res.body), [...expected], JSON.stringify(body));
  }
  const unknownType = await api("POST", "/alertes/rules", s.manager, { alert_type: "nope" });
  assert.equal(unknownType.status, 422);
  assert.equal(unknownType.body.error.code, "unknown_alert_type");
  const foreignProduct = await api("POST", "/alertes/rules", s.manager, {
    alert_type: "low_stock",
    product_id: foreign.id,
  });
  assert.equal(foreignProduct.status, 422);
  assert.equal(foreignProduct.body.error.code, "product_not_found");
  const foreignCategory = await api("POST", "/alertes/rules", other.manager, {
    alert_type: "low_stock",
    category_id: category.id,
  });
  assert.equal(foreignCategory.status, 422);
  assert.equal(foreignCategory.body.error.code, "category_not_found");
  assert.equal(
    (await api("POST", "/alertes/rules", s.viewer, { alert_type: "stock_out" })).status,
    403,
  );

  const list = await api("GET", "/alertes/rules", s.viewer);
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.data.map((r) => r.alert_type).sort(), ["fill_rate_drop", "low_stock"]);
  assert.equal((await api("GET", "/alertes/rules", other.owner)).body.data.length, 0);

  const id = created.body.id;
  const badPatch = await api("PATCH", `/alertes/rules/${id}`, s.manager, {
    params: { threshold: -2, window_days: 3 },
  });
  assert.equal(badPatch.status, 400);
  assert.deepEqual(paths(badPatch.body), ["json.params", "json.params.threshold"]);
  assert.equal((await api("PATCH", `/alertes/rules/${id}`, s.manager, {})).status, 400);
  const patched = await api("PATCH", `/alertes/rules/${id}`, s.manager, {
    params: { threshold: 7 },
    notify: false,
  });
  assert.equal(patched.status, 200);
  assert.deepEqual(patched.body.params, { threshold: 7 });
  assert.equal(patched.body.notify, false);
  assert.equal(patched.body.severity, "critical", "unchanged");
  assert.equal(
    (await api("PATCH", `/alertes/rules/${id}`, s.viewer, { enabled: false })).status,
    403,
  );
  assert.equal(
    (await api("PATCH", `/alertes/rules/${id}`, other.owner, { enabled: false })).status,
    404,
  );
  assert.equal((await api("DELETE", `/alertes/rules/${id}`, other.owner)).status, 404);
  assert.equal((await api("DELETE", `/alertes/rules/${id}`, s.viewer)).status, 403);
  assert.equal((await api("DELETE", `/alertes/rules/${id}`, s.manager)).status, 204);
  assert.equal((await api("DELETE", `/alertes/rules/${id}`, s.manager)).status, 404);
});

Deno.test("a rule disabling low_stock resolves the low_stock alert at the next evaluation", async () => {
  const s = await shopWithAlerts();
  const id = await s.alertOf(s.lowA.id);
  const rule = await api("POST", "/alertes/rules", s.manager, {
    alert_type: "low_stock",
    enabled: false,
  });
  assert.equal(rule.status, 201);
  await evaluate();
  const alert = await api("GET", `/alertes/${id}`, s.viewer);
  assert.equal(alert.body.status, "resolved");
  const open = await api("GET", "/alertes", s.viewer);
  assert.deepEqual(open.body.data.map((a) => a.alert_type), ["stock_out"]);
});

type Recipient = {
  id: string;
  phone_e164: string;
  opted_in: boolean;
  opted_in_at: string | null;
  opted_out_at: string | null;
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  alert_types: string[] | null;
  user_id: string | null;
  display_name: string;
};

Deno.test("recipients: phone normalised to E.164, consent timestamps, managers only, per shop", async () => {
  const s = await createTenantWithTokens(sql, config);
  const other = await createTenantWithTokens(sql, config);
  const created = await api("POST", "/alertes/recipients", s.manager, {
    display_name: "Moussa Diop",
    phone: "77 123 45 67",
    opted_in: true,
    alert_types: ["stock_out", "low_stock"],
    quiet_hours_start: "22:00",
    quiet_hours_end: "06:30",
  });
  assert.equal(created.status, 201);
  const r = created.body as unknown as Recipient;
  assert.equal(r.phone_e164, "+221771234567");
  assert.equal(r.opted_in, true);
  assert.ok(r.opted_in_at);
  assert.equal(r.opted_out_at, null);
  assert.equal(r.quiet_hours_start, "22:00");
  assert.equal(r.quiet_hours_end, "06:30");
  assert.deepEqual(r.alert_types, ["stock_out", "low_stock"]);

  const same = await api("POST", "/alertes/recipients", s.owner, {
    display_name: "Doublon",
    phone: "+221 77 123 45 67",
  });
  assert.equal(same.status, 409);
  assert.equal(same.body.error.code, "phone_taken");
  // The same number in another shop is fine.
  const elsewhere = await api("POST", "/alertes/recipients", other.owner, {
    display_name: "Moussa",
    phone: "00221771234567",
  });
  assert.equal(elsewhere.status, 201);

  const invalid = [
    [{ display_name: "X", phone: "123" }, ["json.phone"]],
    [{ display_name: "X", phone: "pas un numéro" }, ["json.phone"]],
    [{ display_name: "", phone: "771234568" }, ["json.display_name"]],
    [{ display_name: "X", phone: "771234568", quiet_hours_start: "22:00" }, [
      "json.quiet_hours_end",
    ]],
    [{ display_name: "X", phone: "771234568", quiet_hours_start: "25:00", quiet_hours_end: "x" }, [
      "json.quiet_hours_end",
      "json.quiet_hours_start",
    ]],
    [{ display_name: "X", phone: "771234568", alert_types: ["tout"] }, ["json.alert_types.0"]],
  ] as const;
  for (const [body, expected] of invalid) {
    const res = await api("POST", "/alertes/recipients", s.manager, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.deepEqual(paths(res.body), [...expected], JSON.stringify(body));
  }
  const stranger = await api("POST", "/alertes/recipients", s.manager, {
    display_name: "X",
    phone: "771234568",
    user_id: other.t.owner.id,
  });
  assert.equal(stranger.status, 422);
  assert.equal(stranger.body.error.code, "user_not_member");
  const member = await api("POST", "/alertes/recipients", s.manager, {
    display_name: "Fatou (lectrice)",
    phone: "+221 76 000 00 02",
    user_id: s.t.viewer.id,
  });
  assert.equal(member.status, 201);
  assert.equal((member.body as unknown as Recipient).user_id, s.t.viewer.id);
  assert.equal((member.body as unknown as Recipient).opted_in_at, null);

  assert.equal((await api("GET", "/alertes/recipients", s.viewer)).status, 403);
  assert.equal(
    (await api("POST", "/alertes/recipients", s.viewer, { display_name: "V", phone: "771234569" }))
      .status,
    403,
  );
  const list = await api("GET", "/alertes/recipients", s.manager);
  assert.equal(list.status, 200);
  assert.deepEqual(
    (list.body.data as unknown as Recipient[]).map((x) => x.display_name),
    ["Fatou (lectrice)", "Moussa Diop"],
  );
  const theirs = await api("GET", "/alertes/recipients", other.owner);
  assert.ok(!(theirs.body.data as unknown as Recipient[]).some((x) => x.id === r.id));
  assert.equal(
    (await api("PATCH", `/alertes/recipients/${r.id}`, other.owner, { display_name: "Pirate" }))
      .status,
    404,
  );
  assert.equal((await api("DELETE", `/alertes/recipients/${r.id}`, other.owner)).status, 404);
  assert.equal(
    (await api("PATCH", `/alertes/recipients/${r.id}`, s.viewer, { opted_in: false })).status,
    403,
  );

  const optedOut = await api("PATCH", `/alertes/recipients/${r.id}`, s.manager, {
    opted_in: false,
    phone: "78 555 66 77",
    quiet_hours_start: null,
    quiet_hours_end: null,
  });
  assert.equal(optedOut.status, 200);
  const o = optedOut.body as unknown as Recipient;
  assert.equal(o.opted_in, false);
  assert.ok(o.opted_out_at);
  assert.equal(o.phone_e164, "+221785556677");
  assert.equal(o.quiet_hours_start, null);
  assert.equal(o.opted_in_at, r.opted_in_at, "the first consent time is kept");
  const badPhone = await api("PATCH", `/alertes/recipients/${r.id}`, s.manager, { phone: "12" });
  assert.deepEqual(paths(badPhone.body), ["json.phone"]);
  const halfQuiet = await api("PATCH", `/alertes/recipients/${r.id}`, s.manager, {
    quiet_hours_end: "07:00",
  });
  assert.deepEqual(paths(halfQuiet.body), ["json.quiet_hours_end"]);
  const optedIn = await api("PATCH", `/alertes/recipients/${r.id}`, s.manager, { opted_in: true });
  assert.equal((optedIn.body as unknown as Recipient).opted_out_at, null);
  assert.ok((optedIn.body as unknown as Recipient).opted_in_at);
  const taken = await api("PATCH", `/alertes/recipients/${r.id}`, s.manager, {
    phone: "76 000 00 02",
  });
  assert.equal(taken.status, 409);

  assert.equal((await api("DELETE", `/alertes/recipients/${r.id}`, s.viewer)).status, 403);
  assert.equal((await api("DELETE", `/alertes/recipients/${r.id}`, s.manager)).status, 204);
  assert.equal((await api("DELETE", `/alertes/recipients/${r.id}`, s.manager)).status, 404);
});

Deno.test("hostile strings in bodies are stored as text, never run", async () => {
  const s = await createTenantWithTokens(sql, config);
  const name = "Robert'); drop table public.alerts; --";
  const created = await api("POST", "/alertes/recipients", s.manager, {
    display_name: name,
    phone: "77 200 00 03",
  });
  assert.equal(created.status, 201);
  assert.equal(created.body.display_name, name);
  const [{ exists }] = await sql`select to_regclass('public.alerts') is not null as exists`;
  assert.equal(exists, true);
  const note = await api("POST", "/alertes/99999999/acknowledge", s.viewer, {
    note: "'; update public.alerts set status = 'resolved'; --",
  });
  assert.equal(note.status, 404);
});

Deno.test("settings: defaults without a row, PUT upserts for managers, validated", async () => {
  const s = await createTenantWithTokens(sql, config);
  const defaults = await api("GET", "/alertes/settings", s.viewer);
  assert.equal(defaults.status, 200);
  assert.deepEqual(defaults.body, {
    daily_budget: 50,
    quiet_hours_start: "21:00",
    quiet_hours_end: "07:00",
    stock_out_overrides_quiet_hours: true,
    updated_at: null,
  });
  assert.equal((await api("PUT", "/alertes/settings", s.viewer, { daily_budget: 5 })).status, 403);
  const put = await api("PUT", "/alertes/settings", s.manager, {
    daily_budget: 10,
    quiet_hours_start: "22:30",
  });
  assert.equal(put.status, 200);
  assert.equal(put.body.daily_budget, 10);
  assert.equal(put.body.quiet_hours_start, "22:30");
  assert.equal(put.body.quiet_hours_end, "07:00");
  assert.ok(put.body.updated_at);
  const again = await api("PUT", "/alertes/settings", s.owner, {
    stock_out_overrides_quiet_hours: false,
  });
  assert.equal(again.body.daily_budget, 10, "fields left out keep their value");
  assert.equal(again.body.stock_out_overrides_quiet_hours, false);
  const bad = await api("PUT", "/alertes/settings", s.manager, {
    daily_budget: -1,
    quiet_hours_end: "7h",
  });
  assert.equal(bad.status, 400);
  assert.deepEqual(paths(bad.body), ["json.daily_budget", "json.quiet_hours_end"]);
  const other = await createTenantWithTokens(sql, config);
  assert.equal((await api("GET", "/alertes/settings", other.viewer)).body.daily_budget, 50);
});

type OutboxMessage = {
  id: number;
  kind: string;
  status: string;
  message_kind: string | null;
  provider_sid: string | null;
  deferred_reason: string | null;
};

Deno.test("POST /alertes/test-message: owners only, consent required, sent through the outbox", async () => {
  const s = await createTenantWithTokens(sql, config);
  const other = await createTenantWithTokens(sql, config);
  const recipient = async (opted_in: boolean, phone: string) => {
    const res = await api("POST", "/alertes/recipients", s.manager, {
      display_name: "Awa",
      phone,
      opted_in,
    });
    return String(res.body.id);
  };
  const consenting = await recipient(true, "77 300 00 01");
  const silent = await recipient(false, "77 300 00 02");
  // A recent reply opens the 24-hour window: the test goes as a free-form text.
  await sql`update public.notification_recipients set last_inbound_at = now()
    where id = ${consenting}`;

  assert.equal(
    (await api("POST", "/alertes/test-message", s.manager, { recipient_id: consenting })).status,
    403,
  );
  const refused = await api("POST", "/alertes/test-message", s.owner, { recipient_id: silent });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, "recipient_not_opted_in");
  const foreign = await api("POST", "/alertes/test-message", other.owner, {
    recipient_id: consenting,
  });
  assert.equal(foreign.status, 404);
  const invalid = await api("POST", "/alertes/test-message", s.owner, {
    recipient_id: "'; delete from public.notification_outbox; --",
    text: "",
  });
  assert.equal(invalid.status, 400);
  assert.deepEqual(paths(invalid.body), ["json.recipient_id", "json.text"]);

  const before = fake.requests.length;
  const sent = await api("POST", "/alertes/test-message", s.owner, {
    recipient_id: consenting,
    text: "Bonjour Awa, ceci est un test.",
  });
  assert.equal(sent.status, 201);
  const message = sent.body as unknown as OutboxMessage;
  assert.equal(message.kind, "test");
  assert.equal(message.status, "queued");
  assert.equal(message.message_kind, "freeform");
  assert.ok(message.provider_sid);
  const requests = fake.requests.slice(before);
  assert.equal(requests.length, 1);
  assert.equal(requests[0].form.To, "whatsapp:+221773000001");
  assert.match(requests[0].form.Body, /Bonjour Awa, ceci est un test\./);
  const [row] = await sql`select tenant_id, payload from public.notification_outbox
    where id = ${message.id}`;
  assert.equal(row.tenant_id, s.t.id);
  assert.deepEqual(row.payload, { text: "Bonjour Awa, ceci est un test." });
});

Deno.test("close", async () => {
  await stack.close();
  await fake.close();
});
