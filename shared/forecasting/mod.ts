/**
 * Demand forecasting for stock-out prediction and replenishment: pure TypeScript, no
 * network, no database. See `docs/forecasting.md` for the method.
 *
 * @module
 */
export * from "./aggregation.ts";
export * from "./calendar.ts";
export * from "./distribution.ts";
export * from "./forecast.ts";
export * from "./history.ts";
export * from "./intermittent.ts";
export * from "./method.ts";
export * from "./methods.ts";
export * from "./metrics.ts";
export * from "./policy.ts";
export * from "./random.ts";
export * from "./seasonal.ts";
export * from "./select.ts";
export * from "./simple.ts";
export * from "./stockout.ts";
export * from "./uplift.ts";
