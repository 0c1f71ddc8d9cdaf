/**
 * `deno task bench:import`: imports a 10,000-line XLSX catalogue with opening stock
 * through `POST /api/v1/imports/products` on the local server and prints the time.
 *
 * Runs on embedded PGlite (in memory), then on real Postgres when `DATABASE_URL` is
 * set (a new database on that server, dropped at the end) or with `--cluster` (a
 * private Postgres 15 cluster in a temporary folder). Each run: a first import (10,000
 * products created, categories and suppliers created, opening stock as receipts), then
 * the same file again with changed prices and quantities (10,000 updates, stock counts).
 * Target: ≤ 3 s per request on Postgres 15.
 *
 * Options: `--rows=10000`, `--cluster`, `--skip-pglite`.
 *
 * @module
 */
import ExcelJS from "exceljs";
import { signAccessToken } from "../../shared/auth/jwt.ts";
import { loadConfig } from "../../shared/config.ts";
import { type Database, openDatabase } from "../../shared/db/client.ts";
import { XLSX_TYPE } from "../../shared/importer/read.ts";
import { bootLocal } from "../../shared/server/boot.ts";
import { createDatabase, startCluster, type ThrowAwayDatabase } from "./postgres.ts";

const args = new Map(
  Deno.args.map((arg) => arg.replace(/^--/, "").split("=") as [string, string | undefined]),
);
const ROWS = Number(args.get("rows") ?? 10_000);
const TARGET_MS = 3_000;

const PRODUCTS: [string, string, string, number][] = [
  ["Riz brisé parfumé", "sac 25 kg", "Épicerie", 9_500],
  ["Huile d'arachide", "bidon 5 L", "Épicerie", 6_500],
  ["Sucre en poudre", "kg", "Épicerie", 700],
  ["Lait en poudre", "boîte 400 g", "Produits laitiers", 2_250],
  ["Café Touba", "paquet 250 g", "Boissons", 1_200],
  ["Thé vert", "paquet 100 g", "Boissons", 600],
  ["Savon de Marseille", "pièce", "Hygiène", 350],
  ["Lessive en poudre", "sachet 1 kg", "Entretien", 1_100],
  ["Bouillon cube", "boîte de 60", "Épicerie", 1_500],
  ["Eau minérale", "pack 6 × 1,5 L", "Boissons", 2_000],
  ["Concentré de tomate", "boîte 400 g", "Conserves", 650],
  ["Sardines à l'huile", "boîte 125 g", "Conserves", 550],
  ["Oignons", "sac 25 kg", "Fruits et légumes", 7_500],
  ["Pommes de terre", "sac 25 kg", "Fruits et légumes", 8_000],
  ["Farine de blé", "sac 50 kg", "Épicerie", 18_500],
  ["Biscuits", "carton de 24", "Confiserie", 3_600],
];
const BRANDS = ["Jumbo", "Dolima", "Niani", "Mamy", "Royal", "Sahel", "Teranga", "Baobab"];
const SUPPLIERS = [
  "Dakar Distribution Alimentaire",
  "Sénégal Négoce",
  "Comptoir de Thiès",
  "Grossiste Sandaga",
  "Touba Import-Export",
  "Kaolack Céréales",
  "SODIPAL",
  "Établissements Ndiaye & Fils",
];

/** A 10,000-line (or `rows`) XLSX catalogue as a Dakar shop would fill it in. */
async function catalogueFile(rows: number, round: number): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Produits");
  sheet.addRow([
    "Référence",
    "Désignation",
    "Catégorie",
    "Unité",
    "Code-barres",
    "Prix de vente",
    "Prix d'achat",
    "Seuil de réapprovisionnement",
    "Stock max",
    "Délai (jours)",
    "Fournisseur",
    "Emplacement",
    "Quantité",
  ]);
  for (let i = 0; i < rows; i++) {
    const [name, unit, category, price] = PRODUCTS[i % PRODUCTS.length];
    const brand = BRANDS[Math.floor(i / PRODUCTS.length) % BRANDS.length];
    const salePrice = price + 25 * (i % 40) + round * 50;
    const reorder = 2 + (i % 10);
    sheet.addRow([
      `ART-${String(i + 1).padStart(5, "0")}`,
      `${name} ${brand} ${unit} (réf. ${i + 1})`,
      category,
      unit.split(" ")[0],
      String(6_110_000_000_000 + i),
      // Half the prices typed as French text, as they come from a hand-made sheet.
      i % 2 === 0 ? salePrice.toLocaleString("fr-FR") : salePrice,
      Math.round(salePrice * 0.82),
      reorder,
      reorder * 5,
      1 + (i % 14),
      SUPPLIERS[i % SUPPLIERS.length],
      i % 4 === 0 ? "Dépôt Thiaroye" : "",
      (i * 7 + round * 3) % 60,
    ]);
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

type Report = { created: number; updated: number; movements: number; rejected: number };

/** Boots the local server on `db`, makes a tenant, imports twice; returns the timings. */
async function run(db: Database, label: string, files: Uint8Array<ArrayBuffer>[]) {
  const config = loadConfig({
    APP_ENV: "development",
    LOG_REQUESTS: "false",
    SEED_DEMO: "false",
    DATABASE_URL: undefined,
  });
  const stack = await bootLocal(config, db);
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (request, info) => stack.fetch(request, { remoteAddr: info.remoteAddr as Deno.NetAddr }),
  );
  try {
    const [user] = await db.sql<{ id: string }[]>`
      insert into auth.users (email, email_confirmed_at, aud, role)
      values (${`bench-import-${crypto.randomUUID()}@digiboost.sn`}, now(), 'authenticated',
        'authenticated') returning id`;
    const [tenant] = await db.sql<{ id: string }[]>`
      insert into public.tenants (name, created_by) values ('Boutique Médina', ${user.id})
      returning id`;
    await db.sql`insert into public.memberships (tenant_id, user_id, role)
      values (${tenant.id}, ${user.id}, 'owner')`;
    await db.sql`insert into public.locations (tenant_id, name, kind)
      values (${tenant.id}, 'Dépôt Thiaroye', 'warehouse')`;
    const token = await signAccessToken({
      sub: user.id,
      role: "authenticated",
      tenant_id: tenant.id,
      session_id: crypto.randomUUID(),
    }, config);
    const results: { name: string; ms: number; report: Report }[] = [];
    for (const [index, file] of files.entries()) {
      const started = performance.now();
      const response = await fetch(`http://127.0.0.1:${server.addr.port}/api/v1/imports/products`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": XLSX_TYPE },
        body: file,
      });
      const report = await response.json();
      const ms = performance.now() - started;
      if (response.status !== 200) {
        throw new Error(`${label}: import answered ${response.status}: ${JSON.stringify(report)}`);
      }
      results.push({ name: index === 0 ? "first import" : "re-import", ms, report });
    }
    for (const { name, ms, report } of results) {
      const verdict = label === "PGlite" ? "(no target)" : ms <= TARGET_MS ? "PASS" : "FAIL";
      console.log(
        `${label.padEnd(12)} ${name.padEnd(13)} ${(ms / 1000).toFixed(2)} s  ` +
          `created ${report.created}, updated ${report.updated}, movements ${report.movements}, ` +
          `rejected ${report.rejected}  ${verdict}`,
      );
    }
    return results;
  } finally {
    await server.shutdown();
  }
}

const files = [await catalogueFile(ROWS, 0), await catalogueFile(ROWS, 1)];
console.log(
  `bench:import — ${ROWS} lines, XLSX of ${(files[0].length / 1024).toFixed(0)} KiB, ` +
    `target ≤ ${TARGET_MS / 1000} s per request on Postgres`,
);
let failed = false;
if (!args.has("skip-pglite")) {
  const db = await openDatabase({
    databaseUrl: undefined,
    pgliteDataDir: "memory://",
    databasePoolMax: 1,
  });
  try {
    await run(db, "PGlite", files);
  } finally {
    await db.close();
  }
}
const serverUrl = Deno.env.get("DATABASE_URL");
if (serverUrl || args.has("cluster")) {
  const target: ThrowAwayDatabase = serverUrl
    ? await createDatabase(serverUrl)
    : await startCluster();
  const db = await openDatabase({
    databaseUrl: target.url,
    pgliteDataDir: "",
    databasePoolMax: 10,
  });
  try {
    console.log(`Postgres: ${target.origin}`);
    const results = await run(db, "Postgres", files);
    failed = results.some((r) => r.ms > TARGET_MS);
  } finally {
    await db.close();
    await target.drop();
  }
}
Deno.exit(failed ? 1 : 0);
