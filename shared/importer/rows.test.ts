import assert from "node:assert/strict";
import { columnOf } from "./columns.ts";
import { decodeText, looksLikeZip, sniffDelimiter } from "./read.ts";
import { parseInteger } from "./rows.ts";

Deno.test("columnOf() matches French headers ignoring case, accents, spaces and punctuation", () => {
  assert.equal(columnOf(" RÉFÉRENCE "), "sku");
  assert.equal(columnOf("reference"), "sku");
  assert.equal(columnOf("Désignation"), "name");
  assert.equal(columnOf("Prix d’achat"), "unit_cost_xof");
  assert.equal(columnOf("Coût"), "unit_cost_xof");
  assert.equal(columnOf("Seuil de réapprovisionnement"), "reorder_point");
  assert.equal(columnOf("point de commande"), "reorder_point");
  assert.equal(columnOf("Délai (jours)"), "lead_time_days");
  assert.equal(columnOf("Stock initial"), "quantity");
  assert.equal(columnOf("Code-barres"), "barcode");
  assert.equal(columnOf("Remarque"), undefined);
});

Deno.test("parseInteger() reads French numbers and refuses decimals, signs and text", () => {
  assert.equal(parseInteger("17 500", 1e12, true), 17500);
  assert.equal(parseInteger("17\u00a0500 FCFA", 1e12, true), 17500);
  assert.equal(parseInteger("17\u202f500 F", 1e12, true), 17500);
  assert.equal(parseInteger("1 250,00", 1e12, true), 1250);
  assert.equal(parseInteger(850, 1e12, true), 850);
  assert.equal(parseInteger(null, 1e12, true), null);
  assert.throws(() => parseInteger("1 250,50", 1e12, true), /entiers/);
  assert.throws(() => parseInteger(12.5, 1e9, false), /entier/);
  assert.throws(() => parseInteger("-3", 1e9, false), /entre 0 et/);
  assert.throws(() => parseInteger("douze", 1e9, false), /pas un nombre/);
  assert.throws(
    () => parseInteger("12 FCFA", 1e9, false),
    /pas un nombre/,
    "quantities carry no currency",
  );
  assert.throws(() => parseInteger("400", 365, false), /entre 0 et 365/);
});

Deno.test("sniffDelimiter() takes the separator of the header line", () => {
  assert.equal(sniffDelimiter("Référence;Désignation;Prix\n1,5;x;y"), ";");
  assert.equal(sniffDelimiter("Référence,Désignation\nA;B,C"), ",");
  assert.equal(sniffDelimiter("Référence\tDésignation\n"), "\t");
  assert.equal(sniffDelimiter("Référence\n"), ";");
});

Deno.test("decodeText() reads UTF-8 (BOM dropped) and falls back to Windows-1252", () => {
  const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("Café")]);
  assert.deepEqual(decodeText(utf8), { text: "Café", encoding: "utf-8" });
  const latin = new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x80]);
  assert.deepEqual(decodeText(latin), { text: "Café €", encoding: "windows-1252" });
  assert.equal(looksLikeZip(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0])), true);
  assert.equal(looksLikeZip(new TextEncoder().encode("Référence")), false);
});
