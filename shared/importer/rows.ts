/**
 * Turns the rows of a product file into import lines, or problems naming the line, the
 * column (as headed in the file), a stable code and a French message. French numbers
 * are read ("17 500", "17 500 FCFA", "1 250,00"); amounts and quantities are integers.
 *
 * Checks that need the database (locations, archived products, barcodes of other
 * products, the merged reorder point and maximum) are in `store.ts`.
 *
 * @module
 */
import { barcode, MAX_QUANTITY, MAX_XOF, sku } from "../catalogue/fields.ts";
import { ApiError } from "../http/errors.ts";
import { type Column, columnOf, HEADERS, REQUIRED_COLUMNS } from "./columns.ts";
import type { Cell, Sheet } from "./read.ts";

/** One valid line of the file. Null = the cell is empty (unchanged on update). */
export type ImportLine = {
  line: number;
  sku: string;
  name: string;
  category: string | null;
  unit: string | null;
  barcode: string | null;
  sale_price_xof: number | null;
  unit_cost_xof: number | null;
  reorder_point: number | null;
  max_stock: number | null;
  lead_time_days: number | null;
  supplier: string | null;
  location: string | null;
  quantity: number | null;
};

/** Why a line is refused. */
export type Problem = { line: number; column: string | null; code: string; message: string };

/** The columns found in the header: field → index, header as written. */
export type Layout = {
  index: Partial<Record<Column, number>>;
  header: Partial<Record<Column, string>>;
  ignored: string[];
};

/** Maps the header row; 400 when the file is empty or lacks required columns. */
export function layoutOf(sheet: Sheet): Layout {
  if (sheet.headers.every((h) => h === "")) {
    throw new ApiError(400, "empty_file", "Le fichier est vide : aucune ligne d'en-tête.");
  }
  const layout: Layout = { index: {}, header: {}, ignored: [] };
  sheet.headers.forEach((header, i) => {
    const column = columnOf(header);
    if (!column || column === "stock_total" || layout.index[column] !== undefined) {
      if (header !== "" && column !== "stock_total") layout.ignored.push(header);
      return;
    }
    layout.index[column] = i;
    layout.header[column] = header;
  });
  const missing = REQUIRED_COLUMNS.filter((column) => layout.index[column] === undefined);
  if (missing.length > 0) {
    const names = missing.map((column) => HEADERS[column]);
    throw new ApiError(
      400,
      "missing_columns",
      `Colonnes obligatoires absentes : ${names.join(", ")}. En-têtes lus : ` +
        (sheet.headers.filter((h) => h !== "").join(", ") || "aucun") + ".",
      { missing: names },
    );
  }
  if (sheet.rows.length === 0) {
    throw new ApiError(400, "no_rows", "Le fichier ne contient aucune ligne de produit.");
  }
  return layout;
}

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const SPACES = /[\s\u00a0\u202f]/g;
const CURRENCY = /\s*(f\s*cfa|fcfa|xof|cfa|f)\s*$/i;

class CellError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** An integer from 0 to `max` in French or plain notation. */
export function parseInteger(cell: Cell, max: number, money: boolean): number | null {
  if (cell === null) return null;
  let value: number;
  if (typeof cell === "number") {
    value = cell;
  } else {
    let text = cell.replace(SPACES, "");
    if (money) text = text.replace(CURRENCY, "");
    // "1250,00" or "1250.00": decimals allowed only if they are zeros.
    const match = /^(-?)(\d+)(?:[.,](\d+))?$/.exec(text);
    if (!match) {
      throw new CellError("not_a_number", `« ${cell} » n'est pas un nombre.`);
    }
    if (match[3] && /[1-9]/.test(match[3])) {
      throw new CellError(
        "not_an_integer",
        money
          ? `« ${cell} » : les montants en francs CFA sont entiers (pas de centimes).`
          : `« ${cell} » : un nombre entier est attendu.`,
      );
    }
    value = Number(match[1] + match[2]);
  }
  if (!Number.isInteger(value)) {
    throw new CellError(
      "not_an_integer",
      money
        ? `${value} : les montants en francs CFA sont entiers (pas de centimes).`
        : `${value} : un nombre entier est attendu.`,
    );
  }
  if (value < 0 || value > max) {
    throw new CellError("out_of_range", `${value} : valeur attendue entre 0 et ${max}.`);
  }
  return value;
}

function text(cell: Cell, max: number): string | null {
  if (cell === null) return null;
  // A leading ' before = + @ is the export's guard against spreadsheet formulas.
  const value = String(cell).trim().replace(/^'(?=[=+@])/, "");
  if (value === "") return null;
  if (CONTROL.test(value)) {
    throw new CellError("control_characters", "Caractères de contrôle interdits.");
  }
  if (value.length > max) {
    throw new CellError("too_long", `Texte trop long : ${max} caractères au plus.`);
  }
  return value;
}

function pattern(cell: Cell, schema: typeof sku | typeof barcode): string | null {
  const value = text(cell, 200);
  if (value === null) return null;
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new CellError("invalid_format", `« ${value} » : ${parsed.error.issues[0].message}.`);
  }
  return parsed.data;
}

type Parsers = { [K in Exclude<Column, "stock_total">]: (cell: Cell) => unknown };

const PARSERS: Parsers = {
  sku: (cell) => pattern(cell, sku),
  name: (cell) => text(cell, 200),
  category: (cell) => text(cell, 80),
  unit: (cell) => text(cell, 20),
  barcode: (cell) => pattern(typeof cell === "number" ? String(cell) : cell, barcode),
  sale_price_xof: (cell) => parseInteger(cell, MAX_XOF, true),
  unit_cost_xof: (cell) => parseInteger(cell, MAX_XOF, true),
  reorder_point: (cell) => parseInteger(cell, MAX_QUANTITY, false),
  max_stock: (cell) => parseInteger(cell, MAX_QUANTITY, false),
  lead_time_days: (cell) => parseInteger(cell, 365, false),
  supplier: (cell) => text(cell, 120),
  location: (cell) => text(cell, 120),
  quantity: (cell) => parseInteger(cell, MAX_QUANTITY, false),
};

const PRODUCT_FIELDS = [
  "name",
  "category",
  "unit",
  "barcode",
  "sale_price_xof",
  "unit_cost_xof",
  "reorder_point",
  "max_stock",
  "lead_time_days",
  "supplier",
] as const;

/**
 * Validates every row: cells, required values, the maximum against the reorder point,
 * and repeats. A SKU may appear on several lines for several locations (as the export
 * writes it); its product values then come from its first line, and a later line may
 * only repeat them or leave them empty. Two lines for the same SKU and location are
 * refused, as are two SKUs with one barcode.
 */
export function validateRows(sheet: Sheet, layout: Layout): {
  lines: ImportLine[];
  problems: Problem[];
} {
  const lines: ImportLine[] = [];
  const problems: Problem[] = [];
  const firstBySku = new Map<string, ImportLine>();
  const seenPlace = new Set<string>();
  const skuByBarcode = new Map<string, string>();
  const columns = Object.keys(PARSERS) as (keyof Parsers)[];

  for (const row of sheet.rows) {
    const found: Problem[] = [];
    const problem = (column: Column | null, code: string, message: string) =>
      found.push({
        line: row.line,
        column: column ? layout.header[column] ?? HEADERS[column] : null,
        code,
        message,
      });
    const values: Record<string, unknown> = { line: row.line };
    for (const column of columns) {
      const index = layout.index[column];
      try {
        values[column] = PARSERS[column](index === undefined ? null : row.cells[index] ?? null);
      } catch (error) {
        if (!(error instanceof CellError)) throw error;
        problem(column, error.code, error.message);
      }
    }
    if (found.length === 0) {
      if (values.sku === null) problem("sku", "required", "La référence est obligatoire.");
      if (values.name === null) problem("name", "required", "La désignation est obligatoire.");
      const { reorder_point: min, max_stock: max } = values as ImportLine;
      if (max !== null && min !== null && max < min) {
        problem(
          "max_stock",
          "max_stock_below_reorder_point",
          `Le stock maximum (${max}) doit être supérieur ou égal au seuil (${min}).`,
        );
      }
    }
    const line = values as ImportLine;
    if (found.length === 0) {
      const key = line.sku.toLowerCase();
      const first = firstBySku.get(key);
      const place = `${key}\u0000${(line.location ?? "").toLowerCase()}`;
      if (seenPlace.has(place)) {
        problem(
          line.location ? "location" : "sku",
          "duplicate_row",
          `La référence ${line.sku} figure déjà plus haut` +
            (line.location ? ` pour l'emplacement « ${line.location} ».` : ".") +
            (first ? ` (ligne ${first.line})` : ""),
        );
      } else if (first) {
        for (const field of PRODUCT_FIELDS) {
          if (line[field] !== null && line[field] !== first[field]) {
            problem(
              field,
              "conflicting_values",
              `La référence ${line.sku} a une autre valeur ligne ${first.line} ` +
                `(« ${first[field] ?? ""} ») : une même référence garde les mêmes informations.`,
            );
          }
        }
      }
      if (line.barcode !== null) {
        const other = skuByBarcode.get(line.barcode);
        if (other !== undefined && other !== key) {
          problem(
            "barcode",
            "duplicate_barcode",
            `Le code-barres ${line.barcode} est déjà donné à une autre référence plus haut.`,
          );
        }
      }
    }
    if (found.length > 0) {
      problems.push(...found);
      continue;
    }
    const key = line.sku.toLowerCase();
    seenPlace.add(`${key}\u0000${(line.location ?? "").toLowerCase()}`);
    if (line.barcode !== null) skuByBarcode.set(line.barcode, key);
    if (!firstBySku.has(key)) firstBySku.set(key, line);
    lines.push(line);
  }
  return { lines, problems };
}
