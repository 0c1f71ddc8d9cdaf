import assert from "node:assert/strict";
import { buildDigest, digestTemplateVariables, MAX_BODY_LENGTH } from "./digest.ts";
import { type AlertMessage, alertText } from "./messages.ts";

const stockOut: AlertMessage = {
  type: "stock_out",
  productName: "Riz parfumé 25 kg",
  stock: 0,
  reorderPoint: 10,
  daysOfCover: 0,
};
const lowStock: AlertMessage = {
  type: "low_stock",
  productName: "Huile 1L",
  stock: 12,
  reorderPoint: 15,
  daysOfCover: 3.5,
};
const fillRate: AlertMessage = {
  type: "fill_rate_drop",
  productName: "Sucre",
  stock: 40,
  fillRate: { current: 0.8 },
};

function manyAlerts(count: number): AlertMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    type: i % 2 === 0 ? "low_stock" : "stock_out",
    productName: `Produit numéro ${i + 1} avec un nom assez long pour remplir la ligne`,
    sku: `SKU-${i + 1}`,
    stock: i % 2 === 0 ? 3 : 0,
    reorderPoint: 10,
    daysOfCover: i % 2 === 0 ? 1.5 : 0,
  }));
}

Deno.test("buildDigest() sends one alert as its full text", () => {
  assert.equal(buildDigest([stockOut]), alertText(stockOut));
});

Deno.test("buildDigest() combines several alerts into one message, most urgent first", () => {
  const text = buildDigest([fillRate, lowStock, stockOut], { shopName: "Boutique Awa" });
  const lines = text.split("\n");
  assert.equal(lines[0], "📦 *3 alertes de stock* — Boutique Awa");
  assert.match(lines[2], /^🔴 Rupture de stock : Riz parfumé 25 kg/);
  assert.match(lines[3], /^🟠 Stock faible : Huile 1L — stock 12 unités \/ point 15/);
  assert.match(lines[4], /^📉 Baisse du taux de service : Sucre — service 80/);
  assert.equal(lines.at(-1), "Répondez AIDE pour la liste des commandes.");
  assert.equal(text.includes("autres"), false);
});

Deno.test("buildDigest() stays within WhatsApp's 1,600 characters and counts the rest", () => {
  for (const count of [2, 10, 15, 16, 17, 30, 100, 1000]) {
    const text = buildDigest(manyAlerts(count), { shopName: "Boutique Awa" });
    assert.ok(text.length <= MAX_BODY_LENGTH, `${count} alerts: ${text.length} characters`);
    const shown = text.split("\n").filter((line) => /^(🔴|🟠)/u.test(line)).length;
    const more = /… et (\d+) autres?…/.exec(text);
    assert.equal(shown + Number(more?.[1] ?? 0), count, `${count} alerts all accounted for`);
    if (more) {
      assert.ok(shown > 5, `${count} alerts: ${shown} shown`);
      // One more line would not have fitted.
      const longer = buildDigest(manyAlerts(count), {
        shopName: "Boutique Awa",
        maxLength: 10_000,
      });
      const nextLine = longer.split("\n")[2 + shown];
      assert.ok(text.length + nextLine.length + 1 > MAX_BODY_LENGTH - 20);
    }
  }
  assert.match(buildDigest(manyAlerts(100)), /… et \d+ autres…\n\nRépondez AIDE/);
});

Deno.test("buildDigest() honours a smaller limit, down to the header alone", () => {
  const text = buildDigest(manyAlerts(5), { maxLength: 120 });
  assert.ok(text.length <= 120, text);
  assert.match(text, /… et 5 autres…/);
  assert.throws(() => buildDigest([]), /expects at least one alert/);
});

Deno.test("digestTemplateVariables() gives single-line, non-empty template values", () => {
  const variables = digestTemplateVariables([lowStock, stockOut], " Boutique\nAwa ");
  assert.equal(variables["1"], "2");
  assert.equal(variables["2"], "Boutique Awa");
  assert.match(variables["3"], /^🔴 Rupture de stock : Riz parfumé/);
  for (const value of Object.values(variables)) {
    assert.ok(value.length > 0 && !/[\n\t]| {5,}/.test(value), value);
  }
  assert.equal(digestTemplateVariables([lowStock], "")["2"], "votre boutique");
});
