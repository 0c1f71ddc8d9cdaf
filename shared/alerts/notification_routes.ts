/**
 * WhatsApp side of the alerts API: the recipients (numbers normalised to E.164, consent
 * recorded with its time) and the tenant's notification settings (daily budget, quiet
 * hours). Managers and owners only: phone numbers are personal data (RLS says the same).
 *
 * @module
 */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/middleware.ts";
import type { Deps } from "../http/context.ts";
import {
  AUTHED_ERRORS,
  bearer,
  createRouter,
  errorResponses,
  jsonBody,
  jsonResponse,
} from "../http/openapi.ts";
import {
  createRecipient,
  deleteRecipient,
  getSettings,
  listRecipients,
  putSettings,
  updateRecipient,
} from "./notification_store.ts";
import {
  CreateRecipient,
  RecipientList,
  RecipientPatch,
  RecipientSchema,
  SettingsInput,
  SettingsSchema,
  UuidParams,
} from "./schemas.ts";
import { inTenant } from "./store.ts";

const common = {
  tags: ["Alertes : notifications"],
  security: bearer,
  middleware: [requireUser] as [typeof requireUser],
};
const WRITE = [...AUTHED_ERRORS, 404, 409, 415, 422] as const;

const listRecipientsRoute = createRoute({
  ...common,
  method: "get",
  path: "/alertes/recipients",
  summary: "Destinataires WhatsApp des alertes (gérants et propriétaires)",
  responses: {
    200: jsonResponse(RecipientList, "Les destinataires"),
    ...errorResponses(...AUTHED_ERRORS),
  },
});

const createRecipientRoute = createRoute({
  ...common,
  method: "post",
  path: "/alertes/recipients",
  summary: "Ajouter un destinataire WhatsApp (gérants et propriétaires)",
  description: "phone est normalisé en E.164 (+221 sans indicatif) ; 409 phone_taken si le " +
    "numéro est déjà celui d'un destinataire ; 422 user_not_member si user_id n'est pas " +
    "membre de la boutique. Rien n'est envoyé sans consentement (opted_in).",
  request: { body: jsonBody(CreateRecipient) },
  responses: { 201: jsonResponse(RecipientSchema, "Créé"), ...errorResponses(...WRITE) },
});

const updateRecipientRoute = createRoute({
  ...common,
  method: "patch",
  path: "/alertes/recipients/{id}",
  summary: "Modifier un destinataire WhatsApp (gérants et propriétaires)",
  description: "opted_in true enregistre le consentement (opted_in_at) ; false le retire " +
    "(opted_out_at). Heures calmes : les deux bornes ensemble, ou null pour les deux.",
  request: { params: UuidParams, body: jsonBody(RecipientPatch) },
  responses: { 200: jsonResponse(RecipientSchema, "Modifié"), ...errorResponses(...WRITE) },
});

const deleteRecipientRoute = createRoute({
  ...common,
  method: "delete",
  path: "/alertes/recipients/{id}",
  summary: "Supprimer un destinataire WhatsApp et ses messages (gérants et propriétaires)",
  description: "Pour garder l'historique des messages, préférez active = false.",
  request: { params: UuidParams },
  responses: { 204: { description: "Supprimé" }, ...errorResponses(...AUTHED_ERRORS, 404) },
});

const getSettingsRoute = createRoute({
  ...common,
  method: "get",
  path: "/alertes/settings",
  summary: "Réglages des notifications (budget quotidien, heures calmes)",
  description: "Sans réglage enregistré : 50 messages par jour, heures calmes 21:00–07:00 " +
    "(heure de la boutique), une rupture de stock passe pendant les heures calmes.",
  responses: {
    200: jsonResponse(SettingsSchema, "Les réglages"),
    ...errorResponses(...AUTHED_ERRORS),
  },
});

const putSettingsRoute = createRoute({
  ...common,
  method: "put",
  path: "/alertes/settings",
  summary: "Enregistrer les réglages des notifications (gérants et propriétaires)",
  description: "Les champs absents gardent leur valeur (ou la valeur par défaut).",
  request: { body: jsonBody(SettingsInput) },
  responses: { 200: jsonResponse(SettingsSchema, "Enregistrés"), ...errorResponses(...WRITE) },
});

/** Routes of the recipients and settings (mounted under /v1 with the alerts API). */
export function notificationRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(listRecipientsRoute, async (c) => {
    const list = await inTenant(deps, c, "manager", (tx, t) => listRecipients(tx, t.id));
    return c.json(list as never, 200);
  });

  app.openapi(createRecipientRoute, async (c) => {
    const input = c.req.valid("json");
    const row = await inTenant(deps, c, "manager", (tx, t) => createRecipient(tx, t.id, input));
    return c.json(row as never, 201);
  });

  app.openapi(updateRecipientRoute, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const row = await inTenant(
      deps,
      c,
      "manager",
      (tx, t) => updateRecipient(tx, t.id, id, input),
    );
    return c.json(row as never, 200);
  });

  app.openapi(deleteRecipientRoute, async (c) => {
    const { id } = c.req.valid("param");
    await inTenant(deps, c, "manager", (tx, t) => deleteRecipient(tx, t.id, id));
    return c.body(null, 204);
  });

  app.openapi(getSettingsRoute, async (c) => {
    const settings = await inTenant(deps, c, "viewer", (tx, t) => getSettings(tx, t.id));
    return c.json(settings as never, 200);
  });

  app.openapi(putSettingsRoute, async (c) => {
    const input = c.req.valid("json");
    const settings = await inTenant(deps, c, "manager", (tx, t) => putSettings(tx, t.id, input));
    return c.json(settings as never, 200);
  });

  return app;
}
