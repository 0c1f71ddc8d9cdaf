/**
 * Schemas of the tenancy API (validation and documentation at once).
 *
 * @module
 */
import { z } from "@hono/zod-openapi";

export const TenantRoleSchema = z.enum(["viewer", "manager", "owner"]).openapi("TenantRole", {
  description: "viewer lit, manager gère aussi le stock, owner gère aussi membres et réglages.",
});

export const TenantSchema = z.object({
  id: z.uuid(),
  name: z.string().openapi({ example: "Boutique Sandaga" }),
  currency: z.string().openapi({ example: "XOF" }),
  timezone: z.string().openapi({ example: "Africa/Dakar" }),
  role: TenantRoleSchema.optional(),
  created_at: z.string(),
}).openapi("Tenant");

export const CreateTenantSchema = z.object({
  name: z.string().trim().min(1).max(120).openapi({ example: "Boutique Sandaga" }),
  currency: z.string().regex(/^[A-Z]{3}$/).default("XOF"),
  timezone: z.string().min(1).max(64).refine((tz) => {
    try {
      new Intl.DateTimeFormat("fr", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "fuseau horaire IANA inconnu").default("Africa/Dakar"),
}).strict().openapi("CreateTenant");

export const TenantIdParams = z.object({
  tenant_id: z.uuid().openapi({ param: { name: "tenant_id", in: "path" } }),
});

export const MemberParams = TenantIdParams.extend({
  user_id: z.uuid().openapi({ param: { name: "user_id", in: "path" } }),
});

export const InvitationParams = TenantIdParams.extend({
  invitation_id: z.uuid().openapi({ param: { name: "invitation_id", in: "path" } }),
});

export const MemberSchema = z.object({
  user_id: z.uuid(),
  email: z.string(),
  role: TenantRoleSchema,
  created_at: z.string(),
}).openapi("Member");

export const ChangeRoleSchema = z.object({ role: TenantRoleSchema }).strict().openapi(
  "ChangeRole",
);

export const CreateInvitationSchema = z.object({
  email: z.email().max(254).openapi({ example: "awa.diop@example.sn" }),
  role: TenantRoleSchema.default("viewer"),
  valid_for_hours: z.number().int().min(1).max(720).default(168),
}).strict().openapi("CreateInvitation");

export const InvitationSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  role: TenantRoleSchema,
  created_at: z.string(),
  expires_at: z.string(),
  accepted_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
}).openapi("Invitation");

export const CreatedInvitationSchema = z.object({
  id: z.uuid(),
  token: z.string().openapi({
    description: "Secret à transmettre à l'invité ; affiché une seule fois.",
  }),
  expires_at: z.string(),
}).openapi("CreatedInvitation");

export const AcceptInvitationSchema = z.object({
  token: z.string().min(16).max(128),
}).strict().openapi("AcceptInvitation");

export const MembershipSchema = z.object({
  tenant_id: z.uuid(),
  user_id: z.uuid(),
  role: TenantRoleSchema,
  created_at: z.string(),
}).openapi("Membership");

export const MeSchema = z.object({
  user_id: z.uuid(),
  email: z.string().nullable(),
  current_tenant: z.object({ id: z.uuid(), role: TenantRoleSchema }).nullable(),
  tenants: z.array(TenantSchema),
}).openapi("Me");
