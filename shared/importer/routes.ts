/**
 * Import/export API, mounted under `/v1`:
 * `POST /imports/products` (CSV or XLSX; managers) and
 * `GET /exports/products.csv`, `GET /exports/products.xlsx` (members).
 *
 * The import reads the file, validates every line, asks the database what only it
 * knows, then writes everything in one transaction — or nothing: with problems and the
 * default mode the answer is 422 `import_rejected` with the report in `details`.
 *
 * @module
 */
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requireUser } from "../auth/middleware.ts";
import { withTenantTx } from "../db/tx.ts";
import type { AppEnv, Deps } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import {
  AUTHED_ERRORS,
  bearer,
  createRouter,
  errorResponses,
  jsonResponse,
} from "../http/openapi.ts";
import { HEADERS } from "./columns.ts";
import { exportRows, toCsv, toXlsx } from "./export.ts";
import { readSheet, XLSX_TYPE } from "./read.ts";
import { layoutOf, type Problem, validateRows } from "./rows.ts";
import { importBody, ImportQuery, ImportReportSchema } from "./schemas.ts";
import { checkLines, writeLines } from "./store.ts";

const importProducts = createRoute({
  method: "post",
  path: "/imports/products",
  tags: ["Import / export"],
  summary: "Importer un catalogue et un stock initial (CSV ou XLSX ; managers)",
  description: "En-têtes français reconnus sans tenir compte des majuscules, accents et " +
    "espaces : Référence, Désignation (obligatoires), Catégorie, Unité, Code-barres, Prix de " +
    "vente, Prix d'achat, Seuil de réapprovisionnement, Stock max, Délai (jours), " +
    "Fournisseur, Emplacement, Quantité. Une référence existante est mise à jour (une " +
    "cellule vide garde la valeur enregistrée). Quantité : le stock à l'emplacement devient " +
    "cette quantité (mouvement d'inventaire). Catégories et fournisseurs absents sont créés.",
  security: bearer,
  middleware: [requireUser] as const,
  request: { query: ImportQuery, body: importBody },
  responses: {
    200: jsonResponse(ImportReportSchema, "Import effectué (rapport)"),
    ...errorResponses(...AUTHED_ERRORS, 415, 422),
  },
});

const exportRoute = (format: "csv" | "xlsx") =>
  createRoute({
    method: "get",
    path: `/exports/products.${format}`,
    tags: ["Import / export"],
    summary: `Exporter le catalogue avec le stock (${format.toUpperCase()})`,
    description: "Une ligne par produit et emplacement ayant du stock, avec les en-têtes que " +
      "l'import lit (réimporter le fichier ne change rien). Produits archivés exclus.",
    security: bearer,
    middleware: [requireUser] as const,
    responses: {
      200: {
        description: "Le fichier",
        content: {
          [format === "csv" ? "text/csv" : XLSX_TYPE]: {
            schema: { type: "string" as const, format: "binary" },
          },
        },
      },
      ...errorResponses(...AUTHED_ERRORS),
    },
  });

/** The uploaded file: the raw body, or the `file` field of a multipart form. */
async function uploaded(
  c: Context<AppEnv>,
): Promise<{ bytes: Uint8Array; type: string; name: string }> {
  const type = c.req.header("content-type") ?? "";
  if (/^multipart\/form-data/i.test(type)) {
    let form: Record<string, unknown>;
    try {
      form = await c.req.parseBody();
    } catch {
      throw new ApiError(400, "invalid_form", "Formulaire multipart illisible.");
    }
    const file = form.file ?? Object.values(form).find((v) => v instanceof File);
    if (!(file instanceof File)) {
      throw new ApiError(400, "missing_file", "Joignez le fichier dans le champ « file ».");
    }
    return { bytes: new Uint8Array(await file.arrayBuffer()), type: file.type, name: file.name };
  }
  return { bytes: new Uint8Array(await c.req.arrayBuffer()), type, name: "" };
}

/** Routes of import and export (mounted under /v1). */
export function importerRoutes(deps: Deps) {
  const { sql } = deps.db;
  const app = createRouter();

  app.openapi(importProducts, async (c) => {
    const { mode } = c.req.valid("query");
    // Role first, so a viewer is told 403 before a large file is read.
    await withTenantTx(sql, c.var.claims, c.var.tenantId, async () => {}, "manager");
    const file = await uploaded(c);
    if (file.bytes.length === 0) {
      throw new ApiError(400, "empty_file", "Le fichier est vide.");
    }
    const sheet = await readSheet(file.bytes, file.type, file.name);
    const layout = layoutOf(sheet);
    const { lines, problems } = validateRows(sheet, layout);
    const header = (column: keyof typeof HEADERS | null) =>
      column ? layout.header[column] ?? HEADERS[column] : null;

    const report = await withTenantTx(sql, c.var.claims, c.var.tenantId, async (tx, tenant) => {
      const found = await checkLines(tx, tenant.id, lines);
      const all: Problem[] = [
        ...problems,
        ...found.map((p) => ({ ...p, column: header(p.column) })),
      ]
        .sort((a, b) => a.line - b.line);
      const bad = new Set(all.map((p) => p.line));
      const summary = {
        mode,
        format: sheet.format,
        rows: sheet.rows.length,
        rejected: bad.size,
        ignored_columns: layout.ignored,
        problems: all,
      };
      if (bad.size > 0 && mode === "all_or_nothing") {
        throw new ApiError(
          422,
          "import_rejected",
          `${bad.size} ligne(s) invalide(s) : rien n'a été importé. Corrigez-les ou ` +
            "importez avec mode=valid_rows_only.",
          summary,
        );
      }
      const counts = await writeLines(tx, tenant.id, lines.filter((l) => !bad.has(l.line)));
      return { ...summary, ...counts };
    }, "manager");
    return c.json(
      {
        mode: report.mode,
        format: report.format,
        rows: report.rows,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        rejected: report.rejected,
        categories_created: report.categories_created,
        suppliers_created: report.suppliers_created,
        movements: report.movements,
        ignored_columns: report.ignored_columns,
        problems: report.problems,
      },
      200,
    );
  });

  for (const format of ["csv", "xlsx"] as const) {
    app.openapi(exportRoute(format), async (c) => {
      const rows = await withTenantTx(
        sql,
        c.var.claims,
        c.var.tenantId,
        (tx, tenant) => exportRows(tx, tenant.id),
        "viewer",
      );
      const date = new Date().toISOString().slice(0, 10);
      c.header("Content-Disposition", `attachment; filename="produits-${date}.${format}"`);
      if (format === "csv") {
        c.header("Content-Type", "text/csv; charset=utf-8");
        return c.body(toCsv(rows), 200);
      }
      c.header("Content-Type", XLSX_TYPE);
      return c.body(await toXlsx(rows), 200);
    });
  }

  return app;
}
