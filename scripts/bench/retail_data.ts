/**
 * Loads `../shared/data/online-retail/daily_sales.csv.gz` (relative to the repository)
 * into daily series on the trading-day index: the dates present in the file, a SKU
 * absent on a trading day sold 0.
 *
 * @module
 */

/** One SKU on the trading-day index. */
export type RetailSeries = {
  sku: string;
  quantity: Float64Array;
  revenue: Float64Array;
  sellingDays: number;
  /** Revenue ÷ units over the whole file (GBP a unit). */
  unitPrice: number;
};

/** The trading days and every SKU's series. */
export type RetailData = { dates: string[]; series: RetailSeries[] };

/** Default location of the data, relative to this file (the repository's `../shared/data`). */
export const DEFAULT_DATA = new URL(
  "../../../shared/data/online-retail/daily_sales.csv.gz",
  import.meta.url,
);

/** Reads and parses the gzip CSV (`date,sku,description,quantity,revenue_gbp`). */
export async function loadRetail(path: string | URL = DEFAULT_DATA): Promise<RetailData> {
  const file = await Deno.open(path);
  const text = await new Response(
    file.readable.pipeThrough(new DecompressionStream("gzip")),
  ).text();
  const lines = text.split("\n");
  const rows: { date: string; sku: string; quantity: number; revenue: number }[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    // The description may hold quoted commas: read the first two and the last two fields.
    const a = line.indexOf(",");
    const b = line.indexOf(",", a + 1);
    const z = line.lastIndexOf(",");
    const y = line.lastIndexOf(",", z - 1);
    const quantity = Number(line.slice(y + 1, z));
    const revenue = Number(line.slice(z + 1));
    if (!Number.isFinite(quantity) || !Number.isFinite(revenue)) {
      throw new Error(`line ${i + 1}: expected numeric quantity and revenue, got "${line}"`);
    }
    rows.push({ date: line.slice(0, a), sku: line.slice(a + 1, b), quantity, revenue });
  }
  const dates = [...new Set(rows.map((r) => r.date))].sort();
  const dayOf = new Map(dates.map((d, i) => [d, i]));
  const bySku = new Map<string, RetailSeries>();
  for (const r of rows) {
    let s = bySku.get(r.sku);
    if (!s) {
      s = {
        sku: r.sku,
        quantity: new Float64Array(dates.length),
        revenue: new Float64Array(dates.length),
        sellingDays: 0,
        unitPrice: 0,
      };
      bySku.set(r.sku, s);
    }
    const d = dayOf.get(r.date)!;
    if (s.quantity[d] === 0 && r.quantity > 0) s.sellingDays++;
    s.quantity[d] += r.quantity;
    s.revenue[d] += r.revenue;
  }
  for (const s of bySku.values()) {
    let units = 0;
    let revenue = 0;
    for (let i = 0; i < dates.length; i++) {
      units += s.quantity[i];
      revenue += s.revenue[i];
    }
    s.unitPrice = units > 0 ? revenue / units : 0;
  }
  return { dates, series: [...bySku.values()] };
}
