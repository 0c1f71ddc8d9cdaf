import assert from "node:assert/strict";
import {
  confirmLine,
  DEFAULT_TEST_TEXT,
  payloadAlerts,
  renderBody,
  renderTemplateVariables,
  toAlertMessage,
} from "./render.ts";
import { MAX_BODY_LENGTH } from "./whatsapp/digest.ts";

const stockOut = {
  alert_id: 12,
  type: "stock_out",
  event: "opened",
  severity: "critical",
  product_name: "Riz parfumé 25 kg",
  sku: "RIZ-25",
  unit: "sac",
  stock: 0,
  reorder_point: 10,
  days_of_cover: 0,
  suggested_order_quantity: 20,
};
const lowStock = {
  alert_id: 13,
  type: "low_stock",
  event: "opened",
  product_name: "Huile 1L",
  stock: 12,
  reorder_point: 15,
  days_of_cover: 3.5,
};
const resolved = { alert_id: 7, type: "low_stock", event: "resolved", product_name: "Sucre" };

Deno.test("toAlertMessage() maps the evaluation's snake_case context to an AlertMessage", () => {
  assert.deepEqual(toAlertMessage(stockOut), {
    type: "stock_out",
    productName: "Riz parfumé 25 kg",
    sku: "RIZ-25",
    stock: 0,
    unit: "sac",
    reorderPoint: 10,
    daysOfCover: 0,
    suggestedOrderQuantity: 20,
    fillRate: null,
    predictedStockOutOn: null,
    leadTimeDays: null,
  });
  const fill = toAlertMessage({
    type: "fill_rate_drop",
    product_name: "Sucre",
    fill_rate: { current: 0.8, threshold: 0.9, previous: "0.95" },
  });
  assert.deepEqual(fill.fillRate, { current: 0.8, threshold: 0.9, previous: 0.95 });
});

Deno.test("payloadAlerts() skips entries that are not alerts of a known type", () => {
  const alerts = payloadAlerts({ alerts: [stockOut, { type: "nope" }, 3, null, resolved] });
  assert.deepEqual(alerts.map((a) => [a.alertId, a.event]), [[12, "opened"], [7, "resolved"]]);
  assert.deepEqual(payloadAlerts({}), []);
});

Deno.test("renderBody() writes one alert in full, with its number and how to confirm it", () => {
  const body = renderBody({ kind: "alerts", payload: { alerts: [stockOut] }, shopName: "Awa" });
  assert.match(body, /^🔴 \*Rupture de stock\* : n°12 Riz parfumé 25 kg \(RIZ-25\)/);
  assert.match(body, /Stock : 0 sac/);
  assert.ok(body.endsWith("\n\nRépondez OK 12 pour confirmer, AIDE pour l'aide."), body);
});

Deno.test("renderBody() makes a digest of several alerts with resolved lines and one footer", () => {
  const body = renderBody({
    kind: "alerts",
    payload: { alerts: [lowStock, stockOut, resolved] },
    shopName: "Boutique Awa",
  });
  const lines = body.split("\n");
  assert.equal(lines[0], "📦 *2 alertes de stock* — Boutique Awa");
  assert.match(lines[2], /^🔴 Rupture de stock : n°12 Riz/);
  assert.match(lines[3], /^🟠 Stock faible : n°13 Huile 1L/);
  assert.ok(body.includes("✅ Résolu : Sucre"), body);
  assert.ok(
    body.endsWith("Répondez OK <n°> (par exemple OK 12) pour confirmer, AIDE pour l'aide."),
  );
  assert.equal(body.includes("liste des commandes"), false, "one footer, not two");
});

Deno.test("renderBody() with only resolved alerts lists them", () => {
  const body = renderBody({ kind: "alerts", payload: { alerts: [resolved] }, shopName: "Awa" });
  assert.equal(body, "✅ Résolu : Sucre\nRépondez AIDE pour l'aide.");
});

Deno.test("renderBody() stays within Twilio's body limit for hundreds of alerts", () => {
  const many = Array.from({ length: 300 }, (_, i) => ({
    ...lowStock,
    alert_id: 1000 + i,
    product_name: `Article ${i} — savon de Marseille parfumé, carton de 72`,
    event: i % 3 === 0 ? "resolved" : "opened",
  }));
  const body = renderBody({ kind: "alerts", payload: { alerts: many }, shopName: "Awa" });
  assert.ok(body.length <= MAX_BODY_LENGTH, `expected ≤ ${MAX_BODY_LENGTH}, got ${body.length}`);
  assert.match(body, /… et \d+ autres résolues/);
  assert.match(body, /pour confirmer, AIDE pour l'aide\.$/);
});

Deno.test("renderBody() sends a test's text or the default, and a reply's text", () => {
  assert.equal(renderBody({ kind: "test", payload: {}, shopName: "Awa" }), DEFAULT_TEST_TEXT);
  assert.equal(renderBody({ kind: "test", payload: { text: "Salut" }, shopName: "A" }), "Salut");
  assert.equal(
    renderBody({ kind: "reply", payload: { text: "Stock : 3" }, shopName: "A" }),
    "Stock : 3",
  );
  assert.throws(() => renderBody({ kind: "reply", payload: {}, shopName: "A" }), /payload\.text/);
  assert.throws(() => renderBody({ kind: "alerts", payload: {}, shopName: "A" }), /at least one/);
});

Deno.test("renderTemplateVariables() gives single-line {{1}} {{2}} {{3}} values", () => {
  assert.deepEqual(
    renderTemplateVariables({
      kind: "alerts",
      payload: { alerts: [lowStock, stockOut, resolved] },
      shopName: "Boutique\nAwa",
    }),
    {
      "1": "2",
      "2": "Boutique Awa",
      "3": "🔴 Rupture de stock : n°12 Riz parfumé 25 kg (RIZ-25) — stock 0 sac / point 10, " +
        "couverture aucune",
    },
  );
  assert.deepEqual(
    renderTemplateVariables({ kind: "alerts", payload: { alerts: [resolved] }, shopName: "" }),
    { "1": "1", "2": "votre boutique", "3": "✅ Résolu : Sucre" },
  );
  assert.equal(
    renderTemplateVariables({ kind: "test", payload: {}, shopName: "A" })?.["3"],
    DEFAULT_TEST_TEXT,
  );
  assert.equal(
    renderTemplateVariables({ kind: "reply", payload: { text: "x" }, shopName: "A" }),
    null,
  );
});

Deno.test("confirmLine() names the one alert, or shows the form for several", () => {
  assert.equal(confirmLine([]), "Répondez AIDE pour l'aide.");
});
