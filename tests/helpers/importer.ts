/**
 * What the import/export tests share: sending a file to `POST /imports/products`,
 * building XLSX files with exceljs, and the report's shape.
 *
 * @module
 */
import ExcelJS from "exceljs";
import { XLSX_TYPE } from "../../shared/importer/read.ts";
import { call, type JsonResponse } from "./fixtures.ts";

export { XLSX_TYPE };

/** A problem of the import report. */
export type ImportProblem = { line: number; column: string | null; code: string; message: string };

/** The import report. */
export type ImportReport = {
  mode: string;
  format: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  categories_created: number;
  suppliers_created: number;
  movements: number;
  ignored_columns: string[];
  problems: ImportProblem[];
};

/** An error answer of the import (422 carries the report in details). */
export type ImportError = {
  error: { code: string; message: string; details?: ImportReport & { missing?: string[] } };
};

/** Sends `body` as the raw import body with `type`. */
export function importFile<T = ImportReport>(
  url: string,
  token: string,
  body: BodyInit,
  type: string,
  query = "",
): Promise<JsonResponse<T>> {
  return call<T>(url, "POST", `/api/v1/imports/products${query}`, {
    token,
    raw: body,
    headers: { "content-type": type },
  });
}

/** CSV text from rows of cells, `;`-separated. */
export const csv = (rows: (string | number)[][], separator = ";") =>
  rows.map((row) => row.join(separator)).join("\r\n") + "\r\n";

/** An XLSX workbook with one sheet holding `rows`. */
export async function xlsx(rows: (string | number | null)[][]): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Produits");
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The rows of the first sheet of an XLSX file, as cell values. */
export async function readXlsxRows(bytes: Uint8Array): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}
