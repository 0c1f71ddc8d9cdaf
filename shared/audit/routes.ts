/**
 * Audit log API: owners read who changed what and when in their shop. Entries are
 * written by database triggers (supabase/migrations/*_audit_log.sql), never by this code.
 *
 * @module
 */
import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../auth/middleware.ts";
import { PageSchema } from "../catalogue/crud.ts";
import { withTenantTx } from "../db/tx.ts";
import type { Deps } from "../http/context.ts";
import {
  AUTHED_ERRORS,
  bearer,
  createRouter,
  errorResponses,
  jsonResponse,
} from "../http/openapi.ts";

/** Tables whose changes are audited (stock_movements: adjustments and counts only). */
export const AUDITED = [
  "tenants",
  "memberships",
  "invitations",
  "products",
  "categories",
  "suppliers",
  "locations",
  "stock_movements",
] as const;

const EntrySchema = z.object({
  id: z.string().openapi({ description: "Ordre d'enregistrement (entier 64 bits en texte)." }),
  occurred_at: z.string(),
  actor_id: z.uuid().nullable(),
  actor_role: z.string().nullable(),
  action: z.enum(["insert", "update", "delete"]),
  entity: z.string(),
  entity_id: z.string(),
  changes: z.record(z.string(), z.unknown()).openapi({
    description:
      "insert/delete : la ligne ; update : {colonne: {old, new}} des colonnes modifiées.",
  }),
}).openapi("AuditEntry");

const QuerySchema = z.object({
  entity: z.enum(AUDITED).optional(),
  entity_id: z.string().min(1).max(64).optional(),
  actor_id: z.uuid().optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
}).strict();

const list = createRoute({
  method: "get",
  path: "/audit-log",
  tags: ["Journal"],
  summary: "Journal des modifications de la boutique, le plus récent d'abord (propriétaires)",
  security: bearer,
  middleware: [requireUser] as const,
  request: { query: QuerySchema },
  responses: {
    200: jsonResponse(z.object({ data: z.array(EntrySchema), page: PageSchema }), "Entrées"),
    ...errorResponses(...AUTHED_ERRORS),
  },
});

type Entry = z.infer<typeof EntrySchema>;

/** Routes of the audit log API (mounted under /v1). */
export function auditRoutes(deps: Deps) {
  const { sql } = deps.db;
  const app = createRouter();

  app.openapi(list, async (c) => {
    const q = c.req.valid("query");
    const page = await withTenantTx(sql, c.get("claims"), c.get("tenantId"), async (tx, t) => {
      const where = () =>
        tx`tenant_id = ${t.id}
          ${q.entity ? tx`and entity = ${q.entity}` : tx``}
          ${q.entity_id ? tx`and entity_id = ${q.entity_id}` : tx``}
          ${q.actor_id ? tx`and actor_id = ${q.actor_id}` : tx``}
          ${q.since ? tx`and occurred_at >= ${q.since}` : tx``}
          ${q.until ? tx`and occurred_at < ${q.until}` : tx``}`;
      const [rows, [{ total }]] = await Promise.all([
        tx<Entry[]>`
          select id::text as id, occurred_at, actor_id, actor_role, action, entity, entity_id, changes
          from public.audit_log where ${where()}
          order by occurred_at desc, id desc
          limit ${q.limit} offset ${q.offset}`,
        tx<
          { total: number }[]
        >`select count(*)::int as total from public.audit_log where ${where()}`,
      ]);
      return { data: [...rows], page: { limit: q.limit, offset: q.offset, total } };
    }, "owner");
    return c.json(page, 200);
  });

  return app;
}
