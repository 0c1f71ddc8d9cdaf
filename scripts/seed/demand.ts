/**
 * Plans a shop's stock movements from real demand: each product borrows the daily sales
 * profile of one Online Retail SKU (`../shared/data/online-retail/`), scaled to a Dakar
 * shop's volume, so demand is as intermittent and lumpy as the real series. A day's
 * demand is sold in one to four tickets, never more than the stock on the shelf (the
 * rest is a lost sale, as in a real stock-out); when stock falls to the reorder point a
 * replenishment is ordered and received after the product's lead time. Every prefix of
 * the plan therefore leaves every level ≥ 0, so it can be written in chunks.
 *
 * @module
 */
import type { RetailSeries } from "../bench/retail_data.ts";

/** One planned product: its profile and stock policy (integers in XOF and units). */
export type PlannedProduct = {
  profile: RetailSeries;
  offset: number;
  scale: number;
  reorderPoint: number;
  maxStock: number;
  leadTimeDays: number;
  unitCostXof: number;
  salePriceXof: number;
};

/** The planned movements, in ledger order, column by column. */
export type MovementPlan = {
  product: Int32Array;
  /** 0 receipt, 1 sale. */
  kind: Uint8Array;
  /** Signed quantity (sales negative). */
  quantity: Int32Array;
  day: Int32Array;
  /** Rank of the movement within its day, and the day's count, for the time of day. */
  rank: Int32Array;
  length: number;
  days: number;
  dayCounts: Int32Array;
};

function normal(rng: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
}

const round25 = (value: number) => Math.max(25, Math.round(value / 25) * 25);

/** XOF per GBP, roughly (655.957 XOF per EUR, about 1.15 EUR per GBP). */
const XOF_PER_GBP = 760;

/** Draws `count` products from the SKUs that sold on at least 10 days. */
export function planProducts(
  series: RetailSeries[],
  count: number,
  rng: () => number,
): PlannedProduct[] {
  const pool = series.filter((s) => s.sellingDays >= 10 && s.unitPrice > 0);
  if (pool.length === 0) throw new Error("The retail data has no SKU selling on 10 days or more");
  return Array.from({ length: count }, () => {
    const profile = pool[Math.floor(rng() * pool.length)];
    const days = profile.quantity.length;
    let units = 0;
    for (const q of profile.quantity) units += q;
    // Mean units per day in the shop: log-normal, median 2, a few fast movers.
    const mean = Math.exp(Math.log(2) + 0.8 * normal(rng));
    const leadTimeDays = 2 + Math.floor(rng() * 9);
    const reorderPoint = Math.ceil(mean * (leadTimeDays + 3));
    const unitCostXof = round25(profile.unitPrice * XOF_PER_GBP * (0.6 + rng()));
    return {
      profile,
      offset: Math.floor(rng() * days),
      scale: mean / (units / days),
      reorderPoint,
      maxStock: reorderPoint + Math.ceil(mean * 21) + 5,
      leadTimeDays,
      unitCostXof,
      salePriceXof: round25(unitCostXof * (1.15 + 0.3 * rng())),
    };
  });
}

/** Plans exactly `target` movements (or fewer if `maxDays` runs out first). */
export function planMovements(
  products: PlannedProduct[],
  target: number,
  rng: () => number,
  maxDays = 36_500,
): MovementPlan {
  const plan: MovementPlan = {
    product: new Int32Array(target),
    kind: new Uint8Array(target),
    quantity: new Int32Array(target),
    day: new Int32Array(target),
    rank: new Int32Array(target),
    length: 0,
    days: 0,
    dayCounts: new Int32Array(0),
  };
  const counts: number[] = [];
  const stock = new Int32Array(products.length);
  const due = new Int32Array(products.length).fill(-1);
  const ordered = new Int32Array(products.length);
  let n = 0;
  let today = 0;
  const push = (p: number, kind: number, quantity: number) => {
    if (n >= target) return;
    plan.product[n] = p;
    plan.kind[n] = kind;
    plan.quantity[n] = quantity;
    plan.day[n] = today;
    plan.rank[n] = counts[today]++;
    n++;
  };
  for (; today < maxDays && n < target; today++) {
    counts.push(0);
    for (let p = 0; p < products.length && n < target; p++) {
      const product = products[p];
      if (today === 0) {
        stock[p] = product.maxStock;
        push(p, 0, product.maxStock);
        continue;
      }
      if (due[p] === today) {
        stock[p] += ordered[p];
        push(p, 0, ordered[p]);
        due[p] = -1;
      }
      const series = product.profile.quantity;
      const raw = series[(product.offset + today) % series.length] * product.scale;
      let demand = Math.floor(raw) + (rng() < raw - Math.floor(raw) ? 1 : 0);
      demand = Math.min(demand, stock[p]);
      let tickets = Math.min(demand, 1 + Math.floor(rng() * 4));
      while (demand > 0) {
        const q = tickets <= 1 ? demand : 1 + Math.floor(rng() * (demand - tickets + 1));
        push(p, 1, -q);
        stock[p] -= q;
        demand -= q;
        tickets--;
      }
      if (stock[p] <= product.reorderPoint && due[p] < 0) {
        due[p] = today + product.leadTimeDays;
        ordered[p] = product.maxStock - stock[p];
      }
    }
  }
  plan.length = n;
  plan.days = counts.length;
  plan.dayCounts = Int32Array.from(counts);
  return plan;
}
