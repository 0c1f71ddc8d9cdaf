import assert from "node:assert/strict";
import { escapeXml, stockText, twiml } from "./replies.ts";

Deno.test("twiml() answers one XML-escaped message, or an empty response", () => {
  assert.equal(
    twiml(`Stock <riz> & "huile" l'ami`),
    '<?xml version="1.0" encoding="UTF-8"?><Response><Message>' +
      "Stock &lt;riz&gt; &amp; &quot;huile&quot; l&apos;ami</Message></Response>",
  );
  assert.equal(twiml(), '<?xml version="1.0" encoding="UTF-8"?><Response/>');
  assert.equal(escapeXml("a&amp;b"), "a&amp;amp;b");
});

Deno.test("stockText() gives stock, reorder point and days of cover in French", () => {
  const facts = {
    name: "Riz parfumé 25 kg",
    sku: "RIZ-25",
    unit: "sac",
    stock: 26,
    reorderPoint: 10,
    daysOfCover: 52,
    otherMatches: 0,
  };
  assert.equal(
    stockText(facts),
    "🟢 *Riz parfumé 25 kg* (RIZ-25)\nStock : 26 sacs\nPoint de commande : 10 sacs\nCouverture : 52 jours",
  );
  assert.match(
    stockText({ ...facts, stock: 0, daysOfCover: null }),
    /^🔴[\s\S]*Couverture : aucune$/,
  );
  assert.match(stockText({ ...facts, stock: 4, daysOfCover: null }), /^🟠[\s\S]*non calculée$/);
  assert.match(stockText({ ...facts, otherMatches: 2 }), /2 autres produits correspondent/);
});
