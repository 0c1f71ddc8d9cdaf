/**
 * Every tenant table, for the cross-tenant attack suite (tests/isolation.test.ts) —
 * adding a table to the suite is adding one entry here.
 *
 * `key` is the column holding the tenant id; `row(tenantId, userId)` builds a valid
 * row for that tenant; `set` is an update an attacker would like to make; `appendOnly`
 * tables refuse updates and deletes to everyone, the service role included.
 *
 * @module
 */

/** How the attack suite writes to one tenant table. */
export type TenantTable = {
  table: string;
  key: string;
  row: (tenantId: string, userId: string) => Record<string, unknown>;
  set: Record<string, unknown>;
  /** Rows are never updated or deleted, not even by the service role. */
  appendOnly?: boolean;
  /** Internal: no user of any tenant reads it, only the service role. */
  internal?: boolean;
};

const token = () => crypto.randomUUID().replaceAll("-", "");

// deno-fmt-ignore
export const TENANT_TABLES: TenantTable[] = [
  { table: "tenants", key: "id", row: (t) => ({ id: t, name: "Boutique pirate" }), set: { name: "Piraté" } },
  { table: "memberships", key: "tenant_id", row: (t, u) => ({ tenant_id: t, user_id: u, role: "owner" }), set: { role: "owner" } },
  { table: "invitations", key: "tenant_id", row: (t) => ({ tenant_id: t, email: "pirate@example.sn", role: "owner", token_hash: token() }), set: { revoked_at: "2026-01-01T00:00:00Z" } },
  { table: "locations", key: "tenant_id", row: (t) => ({ tenant_id: t, name: `Dépôt ${token()}` }), set: { name: "Piraté" } },
  { table: "categories", key: "tenant_id", row: (t) => ({ tenant_id: t, name: `Cat ${token()}` }), set: { name: "Piraté" } },
  { table: "suppliers", key: "tenant_id", row: (t) => ({ tenant_id: t, name: "Fournisseur pirate" }), set: { name: "Piraté" } },
  { table: "products", key: "tenant_id", row: (t) => ({ tenant_id: t, sku: `P-${token()}`, name: "Produit pirate" }), set: { sale_price_xof: 1 } },
  { table: "audit_log", key: "tenant_id", row: (t) => ({ tenant_id: t, action: "insert", entity: "products", entity_id: "x", changes: {} }), set: { changes: {} }, appendOnly: true },
  { table: "stock_movements", key: "tenant_id", row: (t) => ({ tenant_id: t, product_id: crypto.randomUUID(), location_id: crypto.randomUUID(), kind: "receipt", quantity: 5, unit_cost_xof: 1 }), set: { quantity: 1000 }, appendOnly: true },
  // Written by the ledger trigger only: no API role (service included) updates or deletes them.
  { table: "stock_levels", key: "tenant_id", row: (t) => ({ tenant_id: t, product_id: crypto.randomUUID(), location_id: crypto.randomUUID(), quantity: 1000 }), set: { quantity: 1000 }, appendOnly: true },
  { table: "product_costs", key: "tenant_id", row: (t) => ({ tenant_id: t, product_id: crypto.randomUUID(), average_unit_cost_xof: 1 }), set: { average_unit_cost_xof: 0 }, appendOnly: true },
  { table: "sales_orders", key: "tenant_id", row: (t) => ({ tenant_id: t, location_id: crypto.randomUUID(), customer_name: "Client pirate" }), set: { customer_name: "Piraté" } },
  { table: "sales_order_lines", key: "tenant_id", row: (t) => ({ tenant_id: t, order_id: crypto.randomUUID(), product_id: crypto.randomUUID(), quantity_ordered: 5 }), set: { quantity_ordered: 1000 } },
  { table: "purchase_orders", key: "tenant_id", row: (t) => ({ tenant_id: t, supplier_id: crypto.randomUUID(), location_id: crypto.randomUUID() }), set: { reference: "Piraté" } },
  { table: "purchase_order_lines", key: "tenant_id", row: (t) => ({ tenant_id: t, order_id: crypto.randomUUID(), product_id: crypto.randomUUID(), quantity_ordered: 5, unit_cost_xof: 1 }), set: { quantity_ordered: 1000 } },
  // Written by receive_purchase_order only: no API role (service included) updates or deletes them.
  { table: "purchase_receipts", key: "tenant_id", row: (t) => ({ tenant_id: t, order_id: crypto.randomUUID(), line_id: crypto.randomUUID(), supplier_id: crypto.randomUUID(), product_id: crypto.randomUUID(), movement_id: 1, quantity: 1, unit_cost_xof: 1, received_at: "2026-01-01T00:00:00Z", lead_time_days: 1 }), set: { lead_time_days: 0 }, appendOnly: true },
  { table: "idempotency_keys", key: "tenant_id", row: (t) => ({ tenant_id: t, key: token(), request_path: "POST /movements", request_hash: "0".repeat(64) }), set: { response_status: 201 } },
  { table: "alert_rules", key: "tenant_id", row: (t) => ({ tenant_id: t, alert_type: "fill_rate_drop", params: { threshold: 0.5 } }), set: { enabled: false } },
  { table: "alerts", key: "tenant_id", row: (t) => ({ tenant_id: t, alert_type: "stock_out", severity: "critical", first_seen_at: "2026-01-01T00:00:00Z", last_seen_at: "2026-01-01T00:00:00Z" }), set: { severity: "info" } },
  // History: written by the evaluation and app.change_alert, never rewritten.
  { table: "alert_events", key: "tenant_id", row: (t) => ({ tenant_id: t, alert_id: 1, event: "resolved", source: "api" }), set: { event: "opened" }, appendOnly: true },
  { table: "forecasts", key: "tenant_id", row: (t) => ({ tenant_id: t, product_id: crypto.randomUUID(), location_id: crypto.randomUUID(), computed_at: "2026-01-01T00:00:00Z", method: "pirate", daily_demand: 1 }), set: { daily_demand: 0 } },
  { table: "alert_dirty_products", key: "tenant_id", row: (t) => ({ tenant_id: t, product_id: crypto.randomUUID() }), set: { marked_at: "2026-01-01T00:00:00Z" }, internal: true },
  { table: "notification_settings", key: "tenant_id", row: (t) => ({ tenant_id: t, daily_budget: 10000 }), set: { daily_budget: 10000 } },
  { table: "notification_recipients", key: "tenant_id", row: (t) => ({ tenant_id: t, display_name: "Pirate", phone_e164: "+221770000001", opted_in: true }), set: { phone_e164: "+221770000002" } },
  { table: "notification_outbox", key: "tenant_id", row: (t) => ({ tenant_id: t, recipient_id: crypto.randomUUID(), kind: "test", payload: { text: "pirate" } }), set: { status: "cancelled" } },
  { table: "inbound_messages", key: "tenant_id", row: (t) => ({ tenant_id: t, from_e164: "+221770000003", body: "STOP", provider_sid: `SM${token()}` }), set: { command: "stop" } },
];
