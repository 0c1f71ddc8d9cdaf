/**
 * `GET /api/v1/exports/products.csv|.xlsx` and the round trip export → import (no
 * change), cross-tenant isolation of imports, and a 2,000-line XLSX in one request (the
 * 10,000-line one is `deno task bench:import`: ~9 s on PGlite, too slow for the suite).
 */
import assert from "node:assert/strict";
import {
  call,
  createCategory,
  createLocation,
  createProduct,
  createSupplier,
  createTenantWithTokens,
} from "./helpers/fixtures.ts";
import {
  importFile,
  type ImportReport,
  readXlsxRows,
  xlsx,
  XLSX_TYPE,
} from "./helpers/importer.ts";
import { movementCount } from "./helpers/ledger.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

async function download(path: string, token: string) {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

/** A tenant with a small catalogue: stock at two locations, a product without stock. */
async function stockedTenant() {
  const tokens = await createTenantWithTokens(sql, config);
  const { t, manager } = tokens;
  const category = await createCategory(sql, t.id, { name: "Épicerie" });
  const supplier = await createSupplier(sql, t.id, { name: "Sénégal Distribution" });
  await createLocation(sql, t.id, { name: "Dépôt Pikine", kind: "warehouse" });
  const riz = await createProduct(sql, t.id, {
    sku: "RIZ-25",
    name: 'Riz; "parfumé" 25 kg',
    category_id: category.id,
    supplier_id: supplier.id,
    unit: "sac",
    barcode: "0611123456789",
    sale_price_xof: 9500,
    unit_cost_xof: 8200,
    reorder_point: 4,
    max_stock: 30,
    lead_time_days: 5,
  });
  await createProduct(sql, t.id, { sku: "SEL-1", name: "=Sel fin 1 kg" });
  const file = [
    ["Référence", "Emplacement", "Quantité"],
    ["RIZ-25", "", 12],
    ["RIZ-25", "Dépôt Pikine", 20],
  ];
  const stocked = await importFile(url, manager, await xlsx(file), XLSX_TYPE);
  assert.equal(stocked.status, 400, "Désignation is a required column");
  const withNames = file.map((row, i) => [...row, i === 0 ? "Désignation" : riz.name]);
  const ok = await importFile(url, manager, await xlsx(withNames), XLSX_TYPE);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.movements, 2);
  return { ...tokens, riz };
}

Deno.test("the CSV export has the import's headers, one line per product and location, and imports back unchanged", async () => {
  const { t, manager, viewer } = await stockedTenant();
  const { response, bytes } = await download("/api/v1/exports/products.csv", viewer);
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/csv/);
  assert.match(response.headers.get("content-disposition") ?? "", /produits-.*\.csv/);
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  assert.ok(text.startsWith("\ufeffRéférence;Désignation;Catégorie;Unité;Code-barres;"));
  const lines = text.trim().split("\r\n");
  assert.equal(lines.length, 4);
  assert.equal(
    lines[1],
    'RIZ-25;"Riz; ""parfumé"" 25 kg";Épicerie;sac;0611123456789;9500;8200;4;30;5;' +
      "Sénégal Distribution;Boutique principale;12;32",
  );
  assert.match(lines[2], /;Dépôt Pikine;20;32$/);
  assert.equal(lines[3], "SEL-1;'=Sel fin 1 kg;;pièce;;0;0;0;;;;;;0", "formulas are neutralised");

  const before = await movementCount(sql, t.id);
  const again = await importFile<ImportReport>(url, manager, bytes, "text/csv");
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.deepEqual(
    [again.body.created, again.body.updated, again.body.unchanged, again.body.movements],
    [0, 0, 2, 0],
  );
  assert.equal(await movementCount(sql, t.id), before);
});

Deno.test("the XLSX export reads back with exceljs and imports back unchanged", async () => {
  const { t, manager, viewer } = await stockedTenant();
  const { response, bytes } = await download("/api/v1/exports/products.xlsx", viewer);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), XLSX_TYPE);
  const rows = await readXlsxRows(bytes);
  assert.equal(rows[0][0], "Référence");
  assert.equal(rows[0][13], "Stock total");
  assert.deepEqual(rows[1].slice(0, 2), ["RIZ-25", 'Riz; "parfumé" 25 kg']);
  assert.equal(rows[1][4], "0611123456789", "barcodes stay text");
  const before = await movementCount(sql, t.id);
  const again = await importFile<ImportReport>(url, manager, bytes, XLSX_TYPE);
  assert.equal(again.status, 200, JSON.stringify(again.body));
  assert.deepEqual([again.body.created, again.body.updated, again.body.movements], [0, 0, 0]);
  assert.equal(await movementCount(sql, t.id), before);
  const anonymous = await fetch(`${url}/api/v1/exports/products.csv`);
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
});

Deno.test("an import never reads or touches another tenant's SKUs, categories or locations", async () => {
  const a = await createTenantWithTokens(sql, config);
  const b = await createTenantWithTokens(sql, config);
  const theirs = await createProduct(sql, b.t.id, {
    sku: "SHARED-1",
    name: "Produit de B",
    sale_price_xof: 100,
    barcode: "1234567890123",
  });
  await createCategory(sql, b.t.id, { name: "Boissons" });
  await createLocation(sql, b.t.id, { name: "Dépôt de B" });
  const file = await xlsx([
    ["Référence", "Désignation", "Prix de vente", "Catégorie", "Code-barres", "Quantité"],
    ["SHARED-1", "Produit de A", 999, "Boissons", "1234567890123", 5],
  ]);
  const response = await importFile<ImportReport>(url, a.manager, file, XLSX_TYPE);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  assert.deepEqual([response.body.created, response.body.categories_created], [1, 1]);
  const [row] = await sql<{ name: string; sale_price_xof: number }[]>`
    select name, sale_price_xof::float8 as sale_price_xof from public.products
    where id = ${theirs.id}`;
  assert.deepEqual({ ...row }, { name: "Produit de B", sale_price_xof: 100 });
  assert.equal(await movementCount(sql, b.t.id), 0);
  const located = await importFile(
    url,
    a.manager,
    await xlsx([["SKU", "Nom", "Quantité", "Emplacement"], ["A-2", "A", 1, "Dépôt de B"]]),
    XLSX_TYPE,
  );
  assert.equal(located.status, 422, "another tenant's location is unknown here");
  const exported = await download("/api/v1/exports/products.csv", b.viewer);
  const text = new TextDecoder().decode(exported.bytes);
  assert.ok(text.includes("Produit de B") && !text.includes("Produit de A"));
  const header = new Headers({ "x-tenant-id": b.t.id });
  const foreign = await call(url, "POST", "/api/v1/imports/products", {
    token: a.manager,
    raw: "SKU;Nom\nX;Y\n",
    headers: { "content-type": "text/csv", ...Object.fromEntries(header) },
  });
  assert.equal(foreign.status, 403);
});

Deno.test("2,000 XLSX lines import in one request", async () => {
  const LINES = 2_000;
  const { t, manager } = await createTenantWithTokens(sql, config);
  const rows: (string | number | null)[][] = [[
    "Référence",
    "Désignation",
    "Catégorie",
    "Prix de vente",
    "Prix d'achat",
    "Fournisseur",
    "Quantité",
  ]];
  for (let i = 0; i < LINES; i++) {
    rows.push([
      `ART-${String(i).padStart(5, "0")}`,
      `Article ${i}`,
      `Rayon ${i % 20}`,
      1000 + i,
      800 + i,
      `Fournisseur ${i % 15}`,
      i % 7,
    ]);
  }
  const file = await xlsx(rows);
  const started = performance.now();
  const response = await importFile<ImportReport>(url, manager, file, XLSX_TYPE);
  const ms = performance.now() - started;
  assert.equal(response.status, 200, JSON.stringify(response.body).slice(0, 500));
  assert.equal(response.body.created, LINES);
  assert.equal(response.body.categories_created, 20);
  assert.equal(response.body.suppliers_created, 15);
  assert.equal(response.body.movements, LINES - Math.ceil(LINES / 7), "no movement for 0");
  const [{ total }] = await sql<{ total: number }[]>`
    select sum(quantity)::float8 as total from public.stock_levels where tenant_id = ${t.id}`;
  let expected = 0;
  for (let i = 0; i < LINES; i++) expected += i % 7;
  assert.equal(total, expected);
  console.log(`${LINES}-line XLSX import: ${Math.round(ms)} ms`);
});

Deno.test("close the stack", async () => {
  await stack.close();
});
