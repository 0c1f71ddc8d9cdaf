/**
 * Reads an uploaded product file into rows of cells, whatever its format: CSV (`;`,
 * `,` or tab separated, UTF-8 with or without BOM, or Windows-1252 when the bytes are
 * not valid UTF-8) parsed by `csv-parse`, or XLSX (first worksheet) read by `exceljs`.
 * Each row keeps its line number as the user sees it in the sheet (header = line 1).
 *
 * @module
 */
/// <reference types="@types/node" />
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { ApiError } from "../http/errors.ts";

/** A cell: text, number, or nothing. */
export type Cell = string | number | null;

/** A data row and its line number in the sheet. */
export type SheetRow = { line: number; cells: Cell[] };

/** A file as read: its header row and data rows (empty rows left out). */
export type Sheet = { format: "csv" | "xlsx"; headers: string[]; rows: SheetRow[] };

/** Media type of XLSX files. */
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Most data rows one import takes. */
export const MAX_ROWS = 20_000;

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** True when the bytes start like a ZIP archive (as every XLSX file does). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((byte, index) => bytes[index] === byte);
}

/** Decodes CSV bytes: UTF-8 (BOM dropped) or, if not valid UTF-8, Windows-1252. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string } {
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(bytes), encoding: "windows-1252" };
  }
}

/** The separator of the header line: the most frequent of `;`, `,` and tab. */
export function sniffDelimiter(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const counts = [";", ",", "\t"].map((d) => [d, header.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ";";
}

const emptyRow = (cells: Cell[]) => cells.every((cell) => cell === null || cell === "");

function tooMany(rows: number): ApiError {
  return new ApiError(
    413,
    "too_many_rows",
    `Le fichier a trop de lignes (${rows}) : ${MAX_ROWS} lignes au plus par import.`,
    { max_rows: MAX_ROWS, rows },
  );
}

/** Reads CSV bytes. */
export function readCsv(bytes: Uint8Array): Sheet {
  const { text } = decodeText(bytes);
  let records: { info: { lines: number }; record: string[] }[];
  try {
    records = parse(text, {
      delimiter: sniffDelimiter(text),
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      bom: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new ApiError(400, "invalid_csv", "Le fichier CSV est illisible : " + csvReason(error));
  }
  const [header, ...data] = records;
  if (data.length > MAX_ROWS) throw tooMany(data.length);
  return {
    format: "csv",
    headers: (header?.record ?? []).map((h) => h.trim()),
    rows: data.map(({ info, record }) => ({
      line: info.lines,
      cells: record.map((cell) => cell.trim() === "" ? null : cell),
    })).filter((row) => !emptyRow(row.cells)),
  };
}

function csvReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Invalid Record Length: /, "").slice(0, 300);
}

/** The plain value of an exceljs cell (formulas give their result, rich text its text). */
function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === "number") return value;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "VRAI" : "FAUX";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("result" in value) return cellValue(value.result as ExcelJS.CellValue);
    if ("richText" in value) return value.richText.map((part) => part.text).join("");
    if ("text" in value) return cellValue(value.text as ExcelJS.CellValue);
    if ("error" in value) return String(value.error);
  }
  return String(value);
}

/** Reads XLSX bytes (the first worksheet). */
export async function readXlsx(bytes: Uint8Array): Promise<Sheet> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs types its input as Node's Buffer; it reads any Uint8Array through JSZip.
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new ApiError(
      400,
      "invalid_xlsx",
      "Le fichier XLSX est illisible ou endommagé : enregistrez-le de nouveau au format " +
        "Classeur Excel (.xlsx) ou exportez-le en CSV.",
    );
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return { format: "xlsx", headers: [], rows: [] };
  if (sheet.actualRowCount > MAX_ROWS + 1) throw tooMany(sheet.actualRowCount - 1);
  const lines: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    // row.values is 1-based: index 0 is always empty.
    const values = (row.values as ExcelJS.CellValue[]).slice(1);
    const cells = Array.from(values, (value) => {
      const cell = cellValue(value);
      return typeof cell === "string" && cell.trim() === "" ? null : cell;
    });
    lines.push({ line, cells });
  });
  const [header, ...data] = lines;
  return {
    format: "xlsx",
    headers: (header?.cells ?? []).map((cell) => cell === null ? "" : String(cell).trim()),
    rows: data.filter((row) => !emptyRow(row.cells)),
  };
}

/**
 * Reads a file of the given media type (parameters ignored); `name` helps when the type
 * is generic. A ZIP is read as XLSX whatever its declared type. Other types → 415.
 */
export async function readSheet(
  bytes: Uint8Array,
  type: string,
  name = "",
): Promise<Sheet> {
  const media = type.split(";")[0].trim().toLowerCase();
  if (looksLikeZip(bytes)) return await readXlsx(bytes);
  if (media === XLSX_TYPE || /\.xlsx$/i.test(name)) return await readXlsx(bytes);
  const csvTypes = ["text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"];
  if (csvTypes.includes(media) || /\.(csv|txt)$/i.test(name)) return readCsv(bytes);
  if (media === "application/octet-stream") return readCsv(bytes);
  throw new ApiError(
    415,
    "unsupported_media_type",
    "Envoyez un fichier CSV (text/csv) ou XLSX (" + XLSX_TYPE + "), en corps brut ou dans " +
      "un formulaire multipart (champ « file »).",
    { received: media || null },
  );
}
