/**
 * `POST /api/v1/imports/products`: CSV and XLSX with French headers and numbers, the
 * validation report with line numbers, all-or-nothing vs `valid_rows_only`, upsert,
 * opening stock through the ledger.
 */
import assert from "node:assert/strict";
import { call, createLocation, createProduct, createTenantWithTokens } from "./helpers/fixtures.ts";
import {
  csv,
  type ImportError,
  importFile,
  type ImportReport,
  xlsx,
  XLSX_TYPE,
} from "./helpers/importer.ts";
import { levelOf, movementCount } from "./helpers/ledger.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

type Product = {
  id: string;
  sku: string;
  name: string;
  unit: string;
  barcode: string | null;
  sale_price_xof: number;
  unit_cost_xof: number;
  reorder_point: number;
  max_stock: number | null;
  lead_time_days: number | null;
  category_id: string | null;
  supplier_id: string | null;
  stock_on_hand: number;
};

async function productBySku(token: string, sku: string): Promise<Product> {
  const page = await call<{ data: Product[] }>(url, "GET", `/api/v1/products?q=${sku}`, {
    token,
  });
  const found = page.body.data.find((p) => p.sku === sku);
  if (!found) throw new Error(`product ${sku} not found`);
  return found;
}

Deno.test("a CSV with French headers, BOM and French numbers creates products, categories, suppliers and stock", async () => {
  const { t, manager, viewer } = await createTenantWithTokens(sql, config);
  const depot = await createLocation(sql, t.id, { name: "Dépôt Thiaroye", kind: "warehouse" });
  const text = "\ufeff" + csv([
    [
      " référence ",
      "DESIGNATION",
      "Catégorie",
      "Unité",
      "Code barres",
      "Prix de vente",
      "Coût",
      "Point de commande",
      "Stock max",
      "Délai (jours)",
      "Fournisseur",
      "Stock initial",
      "Emplacement",
      "Remarque",
    ],
    [
      "RIZ-50",
      "Riz brisé parfumé 50 kg",
      "Épicerie",
      "sac",
      "6111234567890",
      "17 500",
      "15 500 FCFA",
      "5",
      "40",
      "3",
      "Dakar Distribution",
      "12",
      "",
      "x",
    ],
    [
      "HUILE-5L",
      '"Huile ; arachide 5 L"',
      "épicerie",
      "bidon",
      "",
      "6 500",
      "5 800",
      "8",
      "",
      "",
      "",
      "7",
      "Dépôt Thiaroye",
      "",
    ],
  ]);
  const response = await importFile(url, manager, text, "text/csv; charset=utf-8");
  assert.equal(response.status, 200, JSON.stringify(response.body));
  const report = response.body;
  assert.equal(report.format, "csv");
  assert.equal(report.rows, 2);
  assert.equal(report.created, 2);
  assert.equal(report.updated, 0);
  assert.equal(report.rejected, 0);
  assert.equal(report.categories_created, 1, "Épicerie and épicerie are one category");
  assert.equal(report.suppliers_created, 1);
  assert.equal(report.movements, 2);
  assert.deepEqual(report.ignored_columns, ["Remarque"]);

  const riz = await productBySku(viewer, "RIZ-50");
  assert.equal(riz.name, "Riz brisé parfumé 50 kg");
  assert.equal(riz.sale_price_xof, 17500);
  assert.equal(riz.unit_cost_xof, 15500);
  assert.equal(riz.reorder_point, 5);
  assert.equal(riz.max_stock, 40);
  assert.equal(riz.lead_time_days, 3);
  assert.equal(riz.barcode, "6111234567890");
  assert.ok(riz.category_id && riz.supplier_id);
  assert.equal(riz.stock_on_hand, 12);
  const huile = await productBySku(viewer, "HUILE-5L");
  assert.equal(huile.name, "Huile ; arachide 5 L");
  assert.equal(huile.category_id, riz.category_id);
  assert.equal(await levelOf(sql, huile.id, depot.id), 7);

  const levels = await call<{ data: { product_id: string; quantity: number }[] }>(
    url,
    "GET",
    `/api/v1/stock-levels?product_id=${riz.id}`,
    { token: viewer },
  );
  assert.deepEqual(levels.body.data.map((l) => l.quantity), [12], "stock through the ledger");
  const [movement] = await sql<{ kind: string; quantity: number; unit_cost_xof: number }[]>`
    select kind::text, quantity, unit_cost_xof::float8 as unit_cost_xof
    from public.stock_movements where product_id = ${riz.id}`;
  assert.deepEqual(
    { ...movement },
    { kind: "receipt", quantity: 12, unit_cost_xof: 15500 },
    "opening stock is a receipt at the product's cost",
  );
});

Deno.test("an XLSX file built with exceljs imports; re-importing updates by SKU and sets the stock", async () => {
  const { t, manager, viewer } = await createTenantWithTokens(sql, config);
  const header = ["Référence", "Désignation", "Prix de vente", "Prix d'achat", "Quantité"];
  const first = await xlsx([header, ["SUCRE-1", "Sucre en poudre 1 kg", 850, 700, 20], [
    "LAIT-400",
    "Lait en poudre 400 g",
    "2 250",
    null,
    null,
  ]]);
  const created = await importFile(url, manager, first, XLSX_TYPE);
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.deepEqual(
    [created.body.format, created.body.created, created.body.movements],
    ["xlsx", 2, 1],
  );

  const sucre = await productBySku(viewer, "SUCRE-1");
  await call(url, "POST", "/api/v1/movements", {
    token: manager,
    body: { kind: "sale", product_id: sucre.id, quantity: 5 },
  });
  const second = await xlsx([header, ["sucre-1", "Sucre en poudre 1 kg", 900, null, 20], [
    "LAIT-400",
    "Lait en poudre 400 g",
    2250,
    null,
    null,
  ]]);
  const updated = await importFile(url, manager, second, XLSX_TYPE);
  assert.equal(updated.status, 200, JSON.stringify(updated.body));
  assert.deepEqual(
    [updated.body.created, updated.body.updated, updated.body.unchanged, updated.body.movements],
    [0, 1, 1, 1],
    "SKUs match ignoring case; the count brings 15 back to 20",
  );
  const [count] = await sql<{ kind: string; quantity: number }[]>`
    select kind::text, quantity from public.stock_movements
    where product_id = ${sucre.id} order by id desc limit 1`;
  assert.deepEqual({ ...count }, { kind: "count", quantity: 5 }, "a stock there: a count");
  const after = await productBySku(viewer, "SUCRE-1");
  assert.equal(after.id, sucre.id);
  assert.equal(after.sale_price_xof, 900);
  assert.equal(after.unit_cost_xof, 700, "an empty cell keeps the stored value");
  assert.equal(after.stock_on_hand, 20, "Quantité is the stock after the import");
  assert.equal(await movementCount(sql, t.id), 3);
});

Deno.test("bad rows are reported with their sheet line, column, code and French message; nothing is written", async () => {
  const { t, manager } = await createTenantWithTokens(sql, config);
  await createProduct(sql, t.id, { sku: "ARCH-1", archived_at: new Date().toISOString() });
  const text = csv([
    ["Référence", "Désignation", "Prix de vente", "Quantité", "Emplacement", "Stock max", "Seuil"],
    ["OK-1", "Bon produit", "1 000", "3", "", "", ""],
    ["", "Sans référence", "100", "", "", "", ""],
    ["BAD SKU!", "Référence invalide", "100", "", "", "", ""],
    ["DEC-1", "Prix à centimes", "1 250,50", "", "", "", ""],
    ["NEG-1", "Quantité négative", "100", "-4", "", "", ""],
    ["LOC-1", "Emplacement inconnu", "100", "2", "Nulle part", "", ""],
    ["OK-1", "Bon produit", "1 000", "4", "", "", ""],
    ["MAX-1", "Max sous le seuil", "100", "", "", "2", "5"],
    ["ARCH-1", "Archivé", "100", "", "", "", ""],
  ]);
  const response = await importFile<ImportError>(url, manager, text, "text/csv");
  assert.equal(response.status, 422, JSON.stringify(response.body));
  assert.equal(response.body.error.code, "import_rejected");
  const report = response.body.error.details!;
  assert.deepEqual(
    report.problems.map((p) => [p.line, p.column, p.code]),
    [
      [3, "Référence", "required"],
      [4, "Référence", "invalid_format"],
      [5, "Prix de vente", "not_an_integer"],
      [6, "Quantité", "out_of_range"],
      [7, "Emplacement", "location_not_found"],
      [8, "Référence", "duplicate_row"],
      [9, "Stock max", "max_stock_below_reorder_point"],
      [10, "Référence", "product_archived"],
    ],
  );
  assert.equal(report.rejected, 8);
  assert.match(report.problems[2].message, /entiers/);
  const [{ n }] = await sql<{ n: number }[]>`
    select count(*)::int as n from public.products where tenant_id = ${t.id}`;
  assert.equal(n, 1, "only the archived product made by the test");
  assert.equal(await movementCount(sql, t.id), 0);

  const partial = await importFile(url, manager, text, "text/csv", "?mode=valid_rows_only");
  assert.equal(partial.status, 200, JSON.stringify(partial.body));
  assert.deepEqual(
    [partial.body.created, partial.body.rejected, partial.body.movements],
    [1, 8, 1],
  );
  assert.equal(partial.body.problems.length, 8);
});

Deno.test("Windows-1252 CSV with commas is decoded; missing columns, empty files, wrong types and corrupt XLSX are 4xx", async () => {
  const { manager, viewer } = await createTenantWithTokens(sql, config);
  const latin = new Uint8Array([
    ...new TextEncoder().encode("R"),
    0xe9, // é
    ...new TextEncoder().encode("f,D"),
    0xe9,
    ...new TextEncoder().encode("signation\r\nCAFE-1,Caf"),
    0xe9,
    ...new TextEncoder().encode(" Touba 250 g\r\n"),
  ]);
  const decoded = await importFile(url, manager, latin, "text/csv");
  assert.equal(decoded.status, 200, JSON.stringify(decoded.body));
  const cafe = await call<{ data: { name: string }[] }>(url, "GET", "/api/v1/products?q=CAFE-1", {
    token: viewer,
  });
  assert.equal(cafe.body.data[0].name, "Café Touba 250 g");

  const missing = await importFile<ImportError>(url, manager, "Nom;Prix\nRiz;100\n", "text/csv");
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.code, "missing_columns");
  assert.deepEqual(missing.body.error.details?.missing, ["Référence"]);
  const empty = await importFile<ImportError>(url, manager, "", "text/csv");
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error.code, "empty_file");
  const headerOnly = await importFile<ImportError>(
    url,
    manager,
    "Référence;Désignation\n",
    "text/csv",
  );
  assert.equal(headerOnly.status, 400);
  assert.equal(headerOnly.body.error.code, "no_rows");
  const json = await importFile<ImportError>(url, manager, "{}", "application/json");
  assert.equal(json.status, 415);
  const corrupt = await importFile<ImportError>(
    url,
    manager,
    new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
    XLSX_TYPE,
  );
  assert.equal(corrupt.status, 400);
  assert.equal(corrupt.body.error.code, "invalid_xlsx");
  const notZip = await importFile<ImportError>(url, manager, "hello", XLSX_TYPE);
  assert.equal(notZip.status, 400);
});

Deno.test("multipart upload, 403 for viewers, 401 without token, 413 over 10 MiB", async () => {
  const { manager, viewer } = await createTenantWithTokens(sql, config);
  const form = new FormData();
  form.append(
    "file",
    new File([csv([["SKU", "Nom"], ["PAIN-1", "Pain"]])], "produits.csv", { type: "text/csv" }),
  );
  const multipart = await call<ImportReport>(url, "POST", "/api/v1/imports/products", {
    token: manager,
    raw: form,
  });
  assert.equal(multipart.status, 200, JSON.stringify(multipart.body));
  assert.equal(multipart.body.created, 1);

  const body = csv([["SKU", "Nom"], ["X-1", "X"]]);
  assert.equal((await importFile(url, viewer, body, "text/csv")).status, 403);
  const anonymous = await call(url, "POST", "/api/v1/imports/products", {
    raw: body,
    headers: { "content-type": "text/csv" },
  });
  assert.equal(anonymous.status, 401);
  const big = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x41);
  const tooBig = await importFile<ImportError>(url, manager, big, "text/csv");
  assert.equal(tooBig.status, 413);
  const overDefault = new Uint8Array(2 * 1024 * 1024).fill(0x20);
  const json = await call(url, "POST", "/api/v1/movements", {
    token: manager,
    raw: overDefault,
    headers: { "content-type": "application/json" },
  });
  assert.equal(json.status, 413, "other routes keep the default limit");
});

Deno.test("close the stack", async () => {
  await stack.close();
});
