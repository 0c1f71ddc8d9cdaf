import assert from "node:assert/strict";
import {
  alertLine,
  type AlertMessage,
  alertText,
  formatDaysOfCover,
  formatQuantity,
  suggestedAction,
} from "./messages.ts";

const NNBSP = "\u202f"; // French thousands separator (Intl fr-FR)

Deno.test("alertText() writes a stock-out with product, stock, reorder point, cover and action", () => {
  const text = alertText({
    type: "stock_out",
    productName: "Riz parfumé 25 kg",
    sku: "RIZ-25",
    locationName: "Boutique Médina",
    stock: 0,
    reorderPoint: 10,
    daysOfCover: 0,
    suggestedOrderQuantity: 30,
  });
  assert.equal(
    text,
    [
      "🔴 *Rupture de stock* : Riz parfumé 25 kg (RIZ-25) — Boutique Médina",
      "Stock : 0 unité",
      "Point de commande : 10 unités",
      "Couverture : aucune",
      "👉 Commandez 30 unités dès aujourd'hui : chaque jour sans stock est une vente perdue.",
    ].join("\n"),
  );
});

Deno.test("alertText() writes a low stock with French number formats", () => {
  const text = alertText({
    type: "low_stock",
    productName: "Huile 1L",
    stock: 1250,
    reorderPoint: 1500,
    daysOfCover: 3.46,
  });
  assert.match(text, /^🟠 \*Stock faible\* : Huile 1L\n/);
  assert.ok(text.includes(`Stock : 1${NNBSP}250 unités`), text);
  assert.ok(text.includes(`Point de commande : 1${NNBSP}500 unités`), text);
  assert.ok(text.includes("Couverture : 3,5 jours"), text);
  assert.ok(text.endsWith("👉 Réapprovisionnez avant la rupture."), text);
});

Deno.test("alertText() writes a service-rate drop with the rates and the threshold", () => {
  const text = alertText({
    type: "fill_rate_drop",
    productName: "Sucre",
    stock: 40,
    reorderPoint: 20,
    daysOfCover: 12,
    fillRate: { current: 0.82, previous: 0.95, threshold: 0.9 },
  });
  assert.match(text, /^📉 \*Baisse du taux de service\* : Sucre/);
  assert.ok(text.includes("Taux de service : 82\u00a0% (contre 95\u00a0% avant), seuil 90\u00a0%"));
  assert.ok(text.includes("👉 Vérifiez les ruptures"));
});

Deno.test("alertText() writes a predicted stock-out with its date and the lead time", () => {
  const text = alertText({
    type: "predicted_stock_out",
    productName: "Lait en poudre",
    stock: 14,
    unit: "boîtes",
    reorderPoint: 10,
    daysOfCover: 4,
    predictedStockOutOn: "2026-11-29",
    leadTimeDays: 7,
    suggestedOrderQuantity: 48,
  });
  assert.ok(text.startsWith("⏳ *Rupture prévue* : Lait en poudre"));
  assert.ok(text.includes("Stock : 14 boîtes"));
  assert.ok(text.includes("Rupture prévue le 29/11/2026"));
  assert.ok(
    text.endsWith("👉 Commandez 48 boîtes maintenant : le délai fournisseur est de 7 jours."),
  );
});

Deno.test("formatQuantity() and formatDaysOfCover() speak French", () => {
  assert.equal(formatQuantity(1), "1 unité");
  assert.equal(formatQuantity(2), "2 unités");
  assert.equal(formatQuantity(-3), "-3 unités");
  assert.equal(formatQuantity(4, "pièce"), "4 pièces");
  assert.equal(formatQuantity(1, "pièce"), "1 pièce");
  assert.equal(formatQuantity(2, "sac de 50 kg"), "2 sacs de 50 kg");
  assert.equal(formatQuantity(3, "kg"), "3 kg");
  assert.equal(formatQuantity(3, "L"), "3 L");
  assert.equal(formatQuantity(5, "boîtes"), "5 boîtes");
  assert.equal(formatQuantity(5, "paquet"), "5 paquets");
  assert.equal(formatQuantity(2.5, "kg"), "2,5 kg");
  assert.equal(formatDaysOfCover(null), "non calculée");
  assert.equal(formatDaysOfCover(0), "aucune");
  assert.equal(formatDaysOfCover(0.4), "moins d'un jour");
  assert.equal(formatDaysOfCover(1), "1 jour");
  assert.equal(formatDaysOfCover(Infinity), "non calculée");
});

Deno.test("suggestedAction() has a suggestion for every alert type", () => {
  const base: Omit<AlertMessage, "type"> = { productName: "X", stock: 1 };
  for (const type of ["stock_out", "low_stock", "fill_rate_drop", "predicted_stock_out"] as const) {
    assert.ok(suggestedAction({ ...base, type }).length > 10, type);
  }
});

Deno.test("alertLine() fits one alert on one line and shortens very long names", () => {
  const line = alertLine({
    type: "low_stock",
    productName: "P".repeat(200),
    stock: 3,
    reorderPoint: 5,
    daysOfCover: 2,
  });
  assert.equal(line.includes("\n"), false);
  assert.ok(line.length < 160, `${line.length} characters`);
  assert.ok(line.includes("P".repeat(59) + "…"));
});
