/**
 * The catalogue with its stock as a file: one line per product and location holding
 * stock (a product with no stock gets one line with `Emplacement` and `Quantité`
 * empty), `Stock total` over all locations, and exactly the headers the import reads,
 * so an exported file imported again changes nothing. CSV is `;`-separated UTF-8 with
 * a BOM and CRLF line ends (what French Excel opens); XLSX is written by `exceljs`.
 *
 * @module
 */
import ExcelJS from "exceljs";
import type { Tx } from "../db/client.ts";
import { type Column, EXPORT_COLUMNS, HEADERS } from "./columns.ts";

/** One exported line, by column. */
export type ExportRow = Record<Column, string | number | null>;

/** The tenant's products (archived left out) and their stock per location. */
export async function exportRows(tx: Tx, tenantId: string): Promise<ExportRow[]> {
  return await tx<ExportRow[]>`
    select p.sku, p.name, c.name as category, p.unit, p.barcode,
      p.sale_price_xof::float8 as sale_price_xof, p.unit_cost_xof::float8 as unit_cost_xof,
      p.reorder_point, p.max_stock, p.lead_time_days, s.name as supplier,
      l.name as location, sl.quantity::float8 as quantity,
      coalesce(sum(sl.quantity) over (partition by p.id), 0)::float8 as stock_total
    from public.products p
    left join public.categories c on c.tenant_id = p.tenant_id and c.id = p.category_id
    left join public.suppliers s on s.tenant_id = p.tenant_id and s.id = p.supplier_id
    left join public.stock_levels sl on sl.tenant_id = p.tenant_id and sl.product_id = p.id
      and sl.quantity <> 0
    left join public.locations l on l.tenant_id = sl.tenant_id and l.id = sl.location_id
    where p.tenant_id = ${tenantId} and p.archived_at is null
    order by lower(p.sku), l.is_default desc nulls last, lower(l.name)`;
}

const FORMULA_START = /^[=+@\t\r]/;

/** A CSV field: quoted when needed; text Excel would run as a formula gets a `'`. */
function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[";\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows as CSV text (BOM included). */
export function toCsv(rows: ExportRow[]): string {
  const lines = [EXPORT_COLUMNS.map((column) => csvField(HEADERS[column])).join(";")];
  for (const row of rows) lines.push(EXPORT_COLUMNS.map((c) => csvField(row[c])).join(";"));
  return "\ufeff" + lines.join("\r\n") + "\r\n";
}

/** The rows as an XLSX workbook (sheet « Produits »). */
export async function toXlsx(rows: ExportRow[]): Promise<Uint8Array<ArrayBuffer>> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Digiboost PME";
  const sheet = workbook.addWorksheet("Produits", { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = EXPORT_COLUMNS.map((column) => ({
    header: HEADERS[column],
    key: column,
    width: column === "name" ? 40 : Math.max(12, HEADERS[column].length + 2),
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  // Barcodes stay text (leading zeros, 13 digits).
  sheet.getColumn("barcode").numFmt = "@";
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
