/**
 * Tenancy API: create and list my tenants, invitations, members.
 *
 * Rules (one owner at least, invitations accepted once, owner-only member management)
 * live in SQL; these handlers validate, call the database and shape the output.
 *
 * @module
 */
import { createRoute, z } from "@hono/zod-openapi";
import { requireUser } from "../auth/middleware.ts";
import type { Tx } from "../db/client.ts";
import { withTenantTx, withUserTx } from "../db/tx.ts";
import type { Deps } from "../http/context.ts";
import { errors } from "../http/errors.ts";
import {
  AUTHED_ERRORS,
  bearer,
  createRouter,
  errorResponses,
  jsonBody,
  jsonResponse,
} from "../http/openapi.ts";
import {
  AcceptInvitationSchema,
  ChangeRoleSchema,
  CreatedInvitationSchema,
  CreateInvitationSchema,
  CreateTenantSchema,
  InvitationParams,
  InvitationSchema,
  MemberParams,
  MemberSchema,
  MembershipSchema,
  MeSchema,
  TenantIdParams,
  TenantSchema,
} from "./schemas.ts";

const me = createRoute({
  method: "get",
  path: "/me",
  tags: ["Boutiques"],
  summary: "Utilisateur courant, boutique courante et boutiques accessibles",
  security: bearer,
  middleware: [requireUser] as const,
  responses: { 200: jsonResponse(MeSchema, "Profil"), ...errorResponses(...AUTHED_ERRORS) },
});

const listTenants = createRoute({
  method: "get",
  path: "/tenants",
  tags: ["Boutiques"],
  summary: "Mes boutiques, avec mon rôle dans chacune",
  security: bearer,
  middleware: [requireUser] as const,
  responses: {
    200: jsonResponse(z.object({ data: z.array(TenantSchema) }), "Boutiques"),
    ...errorResponses(...AUTHED_ERRORS),
  },
});

const createTenant = createRoute({
  method: "post",
  path: "/tenants",
  tags: ["Boutiques"],
  summary: "Créer une boutique (le créateur en devient propriétaire)",
  security: bearer,
  middleware: [requireUser] as const,
  request: { body: jsonBody(CreateTenantSchema) },
  responses: {
    201: jsonResponse(TenantSchema, "Boutique créée"),
    ...errorResponses(...AUTHED_ERRORS, 415),
  },
});

const listMembers = createRoute({
  method: "get",
  path: "/tenants/{tenant_id}/members",
  tags: ["Membres"],
  summary: "Membres de la boutique (propriétaires)",
  security: bearer,
  middleware: [requireUser] as const,
  request: { params: TenantIdParams },
  responses: {
    200: jsonResponse(z.object({ data: z.array(MemberSchema) }), "Membres"),
    ...errorResponses(...AUTHED_ERRORS),
  },
});

const changeRole = createRoute({
  method: "patch",
  path: "/tenants/{tenant_id}/members/{user_id}",
  tags: ["Membres"],
  summary: "Changer le rôle d'un membre (propriétaires ; le dernier propriétaire reste)",
  security: bearer,
  middleware: [requireUser] as const,
  request: { params: MemberParams, body: jsonBody(ChangeRoleSchema) },
  responses: {
    200: jsonResponse(MembershipSchema, "Rôle modifié"),
    ...errorResponses(...AUTHED_ERRORS, 404, 409, 415),
  },
});

const removeMember = createRoute({
  method: "delete",
  path: "/tenants/{tenant_id}/members/{user_id}",
  tags: ["Membres"],
  summary: "Retirer un membre (propriétaires, ou soi-même pour quitter la boutique)",
  security: bearer,
  middleware: [requireUser] as const,
  request: { params: MemberParams },
  responses: { 204: { description: "Retiré" }, ...errorResponses(...AUTHED_ERRORS, 404, 409) },
});

const createInvitation = createRoute({
  method: "post",
  path: "/tenants/{tenant_id}/invitations",
  tags: ["Membres"],
  summary: "Inviter une adresse e-mail avec un rôle (propriétaires)",
  security: bearer,
  middleware: [requireUser] as const,
  request: { params: TenantIdParams, body: jsonBody(CreateInvitationSchema) },
  responses: {
    201: jsonResponse(CreatedInvitationSchema, "Invitation créée ; le jeton n'est montré qu'ici"),
    ...errorResponses(...AUTHED_ERRORS, 415, 422),
  },
});

const listInvitations = createRoute({
  method: "get",
  path: "/tenants/{tenant_id}/invitations",
  tags: ["Membres"],
  summary: "Invitations de la boutique (propriétaires)",
  security: bearer,
  middleware: [requireUser] as const,
  request: { params: TenantIdParams },
  responses: {
    200: jsonResponse(z.object({ data: z.array(InvitationSchema) }), "Invitations"),
    ...errorResponses(...AUTHED_ERRORS),
  },
});

const revokeInvitation = createRoute({
  method: "delete",
  path: "/tenants/{tenant_id}/invitations/{invitation_id}",
  tags: ["Membres"],
  summary: "Annuler une invitation non acceptée (propriétaires)",
  security: bearer,
  middleware: [requireUser] as const,
  request: { params: InvitationParams },
  responses: { 204: { description: "Annulée" }, ...errorResponses(...AUTHED_ERRORS, 404, 409) },
});

const acceptInvitation = createRoute({
  method: "post",
  path: "/invitations/accept",
  tags: ["Membres"],
  summary: "Accepter une invitation (une fois, avant expiration, par l'adresse invitée)",
  security: bearer,
  middleware: [requireUser] as const,
  request: { body: jsonBody(AcceptInvitationSchema) },
  responses: {
    200: jsonResponse(MembershipSchema, "Vous êtes membre"),
    ...errorResponses(...AUTHED_ERRORS, 404, 409, 415),
  },
});

type TenantRow = z.infer<typeof TenantSchema>;

/** The caller's tenants with their role, oldest membership first. */
async function myTenants(tx: Tx, userId: string): Promise<TenantRow[]> {
  return [
    ...await tx<TenantRow[]>`
      select t.id, t.name, t.currency, t.timezone, m.role, t.created_at
      from public.tenants t join public.memberships m on m.tenant_id = t.id
      where m.user_id = ${userId}
      order by m.created_at, t.id`,
  ];
}

/** Routes of the tenancy API (mounted under /v1 by the api function). */
export function tenancyRoutes(deps: Deps) {
  const { sql } = deps.db;
  const app = createRouter();

  app.openapi(me, async (c) => {
    const claims = c.get("claims");
    const { tenants, current } = await withUserTx(
      sql,
      claims,
      c.get("tenantId"),
      async (tx, current) => ({ tenants: await myTenants(tx, claims.sub), current }),
    );
    return c.json({
      user_id: claims.sub,
      email: claims.email ?? null,
      current_tenant: current,
      tenants,
    }, 200);
  });

  app.openapi(listTenants, async (c) => {
    const claims = c.get("claims");
    const data = await withUserTx(
      sql,
      claims,
      c.get("tenantId"),
      (tx) => myTenants(tx, claims.sub),
    );
    return c.json({ data }, 200);
  });

  app.openapi(createTenant, async (c) => {
    const input = c.req.valid("json");
    const [row] = await withUserTx(sql, c.get("claims"), c.get("tenantId"), (tx) =>
      tx<TenantRow[]>`
        select t.id, t.name, t.currency, t.timezone, 'owner'::text as role, t.created_at
        from public.create_tenant(${input.name}, ${input.currency}, ${input.timezone}) t`);
    return c.json(row, 201);
  });

  app.openapi(listMembers, async (c) => {
    const { tenant_id } = c.req.valid("param");
    const rows = await withTenantTx(
      sql,
      c.get("claims"),
      tenant_id,
      (tx) =>
        tx<z.infer<typeof MemberSchema>[]>`
        select user_id, email, role, created_at from public.tenant_members(${tenant_id})`,
      "owner",
    );
    return c.json({ data: [...rows] }, 200);
  });

  app.openapi(changeRole, async (c) => {
    const { tenant_id, user_id } = c.req.valid("param");
    const { role } = c.req.valid("json");
    const [row] = await withTenantTx(
      sql,
      c.get("claims"),
      tenant_id,
      (tx) =>
        tx<z.infer<typeof MembershipSchema>[]>`
        update public.memberships set role = ${role}
        where tenant_id = ${tenant_id} and user_id = ${user_id}
        returning tenant_id, user_id, role, created_at`,
      "owner",
    );
    if (!row) throw errors.notFound("Membre introuvable.", "member_not_found");
    return c.json(row, 200);
  });

  app.openapi(removeMember, async (c) => {
    const { tenant_id, user_id } = c.req.valid("param");
    const claims = c.get("claims");
    const leaving = user_id === claims.sub;
    const rows = await withTenantTx(
      sql,
      claims,
      tenant_id,
      (tx) =>
        tx`delete from public.memberships where tenant_id = ${tenant_id} and user_id = ${user_id}
        returning user_id`,
      leaving ? "viewer" : "owner",
    );
    if (rows.length === 0) throw errors.notFound("Membre introuvable.", "member_not_found");
    return c.body(null, 204);
  });

  app.openapi(createInvitation, async (c) => {
    const { tenant_id } = c.req.valid("param");
    const input = c.req.valid("json");
    const [row] = await withTenantTx(
      sql,
      c.get("claims"),
      tenant_id,
      (tx) =>
        tx<z.infer<typeof CreatedInvitationSchema>[]>`
        select id, token, expires_at from public.create_invitation(
          ${tenant_id}, ${input.email}, ${input.role},
          make_interval(hours => ${input.valid_for_hours}::int))`,
      "owner",
    );
    return c.json(row, 201);
  });

  app.openapi(listInvitations, async (c) => {
    const { tenant_id } = c.req.valid("param");
    const rows = await withTenantTx(
      sql,
      c.get("claims"),
      tenant_id,
      (tx) =>
        tx<z.infer<typeof InvitationSchema>[]>`
        select id, email, role, created_at, expires_at, accepted_at, revoked_at
        from public.invitations where tenant_id = ${tenant_id}
        order by created_at desc, id`,
      "owner",
    );
    return c.json({ data: [...rows] }, 200);
  });

  app.openapi(revokeInvitation, async (c) => {
    const { tenant_id, invitation_id } = c.req.valid("param");
    await withTenantTx(sql, c.get("claims"), tenant_id, async (tx) => {
      const [invitation] = await tx<{ accepted_at: string | null }[]>`
        select accepted_at from public.invitations
        where tenant_id = ${tenant_id} and id = ${invitation_id} for update`;
      if (!invitation) throw errors.notFound("Invitation introuvable.", "invitation_not_found");
      if (invitation.accepted_at) {
        throw errors.conflict("invitation_already_used", "Cette invitation a déjà été acceptée.");
      }
      await tx`update public.invitations set revoked_at = coalesce(revoked_at, now())
        where tenant_id = ${tenant_id} and id = ${invitation_id}`;
    }, "owner");
    return c.body(null, 204);
  });

  app.openapi(acceptInvitation, async (c) => {
    const { token } = c.req.valid("json");
    const [row] = await withUserTx(
      sql,
      c.get("claims"),
      c.get("tenantId"),
      (tx) =>
        tx<z.infer<typeof MembershipSchema>[]>`
        select tenant_id, user_id, role, created_at from public.accept_invitation(${token})`,
    );
    return c.json(row, 200);
  });

  return app;
}
