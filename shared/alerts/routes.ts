/**
 * The alerts API under `/alertes` (the original product's French path): open alerts,
 * their history with every notification, acknowledge / snooze / resolve, the alert
 * types and the rules. Recipients and settings are in `notification_routes.ts`, the
 * owners' test message in `test_message.ts`. Every read and write runs in the caller's
 * tenant under row-level security; the lifecycle rules are the migration's SQL functions.
 *
 * @module
 */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/middleware.ts";
import type { TenantRole } from "../db/tx.ts";
import type { AppEnv, Deps } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import {
  AUTHED_ERRORS,
  bearer,
  createRouter,
  errorResponses,
  jsonBody,
  jsonResponse,
} from "../http/openapi.ts";
import { notificationRoutes } from "./notification_routes.ts";
import {
  AcknowledgeInput,
  AlertDetailSchema,
  AlertHistoryPage,
  AlertHistoryQuery,
  AlertPage,
  AlertParams,
  AlertSchema,
  AlertTypeList,
  CreateRule,
  OpenAlertsQuery,
  ResolveInput,
  RuleList,
  ruleParamIssues,
  RulePatch,
  RuleSchema,
  SnoozeInput,
  UuidParams,
} from "./schemas.ts";
import {
  type AlertAction,
  changeAlert,
  createRule,
  deleteRule,
  getAlert,
  getRule,
  inTenant,
  listAlertHistory,
  listAlertTypes,
  listOpenAlerts,
  listRules,
  updateRule,
} from "./store.ts";
import { testMessageRoutes } from "./test_message.ts";

const TAG = "Alertes";
const common = { tags: [TAG], security: bearer, middleware: [requireUser] as [typeof requireUser] };
const WRITE = [...AUTHED_ERRORS, 404, 409, 415, 422] as const;

/** Who calls: the verified claims and the tenant the request names. */
type Caller = { var: AppEnv["Variables"] };

// ---------------------------------------------------------------------------
// Alerts
// ---------------------------------------------------------------------------

const listOpen = createRoute({
  ...common,
  method: "get",
  path: "/alertes",
  summary: "Alertes ouvertes (actives et vues), les plus graves d'abord",
  description: "Triées par gravité (critique d'abord) puis dernière détection. Les alertes " +
    "en veille (snoozed_until dans le futur) sont masquées sauf include_snoozed=true.",
  request: { query: OpenAlertsQuery },
  responses: {
    200: jsonResponse(AlertPage, "Une page d'alertes"),
    ...errorResponses(...AUTHED_ERRORS),
  },
});

const history = createRoute({
  ...common,
  method: "get",
  path: "/alertes/history",
  summary: "Historique des alertes (tous états) avec événements et notifications",
  description: "Filtre from/to sur la première détection. Chaque alerte porte ses " +
    "changements d'état (events) et les messages WhatsApp qui l'ont annoncée avec leur " +
    "statut de remise (notifications).",
  request: { query: AlertHistoryQuery },
  responses: {
    200: jsonResponse(AlertHistoryPage, "Une page de l'historique"),
    ...errorResponses(...AUTHED_ERRORS),
  },
});

const getOne = createRoute({
  ...common,
  method: "get",
  path: "/alertes/{id}",
  summary: "Une alerte avec ses événements et ses notifications",
  request: { params: AlertParams },
  responses: {
    200: jsonResponse(AlertDetailSchema, "Trouvée"),
    ...errorResponses(...AUTHED_ERRORS, 404),
  },
});

const actionRoute = <const V extends string>(verb: V) => `/alertes/{id}/${verb}` as const;
const changed = { 200: jsonResponse(AlertSchema, "Alerte modifiée"), ...errorResponses(...WRITE) };

const acknowledge = createRoute({
  ...common,
  method: "post",
  path: actionRoute("acknowledge"),
  summary: "Marquer une alerte comme vue (tout membre)",
  description: "Sans effet si elle l'est déjà. 409 alert_resolved si elle est résolue.",
  request: {
    params: AlertParams,
    body: { content: { "application/json": { schema: AcknowledgeInput } } },
  },
  responses: changed,
});

const snooze = createRoute({
  ...common,
  method: "post",
  path: actionRoute("snooze"),
  summary: "Mettre une alerte en veille, ou l'en sortir (gérants et propriétaires)",
  description: "Exactement un de until (ISO 8601 ; null : sortir de veille) et minutes " +
    "(1 à 43 200). Pas de message sur ce produit et ce type jusque-là.",
  request: { params: AlertParams, body: jsonBody(SnoozeInput) },
  responses: changed,
});

const resolve = createRoute({
  ...common,
  method: "post",
  path: actionRoute("resolve"),
  summary: "Résoudre une alerte à la main (gérants et propriétaires)",
  description: "Si la condition tient encore à l'évaluation suivante, une nouvelle alerte " +
    "s'ouvre. 409 alert_resolved si elle l'est déjà.",
  request: {
    params: AlertParams,
    body: { content: { "application/json": { schema: ResolveInput } } },
  },
  responses: changed,
});

const types = createRoute({
  ...common,
  method: "get",
  path: "/alertes/types",
  summary: "Types d'alerte (nom, gravité et paramètres par défaut)",
  responses: { 200: jsonResponse(AlertTypeList, "Les types"), ...errorResponses(...AUTHED_ERRORS) },
});

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

const listRulesRoute = createRoute({
  ...common,
  method: "get",
  path: "/alertes/rules",
  summary: "Règles d'alerte de la boutique",
  description: "Sans règle, les valeurs du type s'appliquent. Une règle sans catégorie ni " +
    "produit vaut pour la boutique ; une règle de catégorie ou de produit la remplace dans " +
    "sa portée ; une colonne null hérite de la règle plus large.",
  responses: { 200: jsonResponse(RuleList, "Les règles"), ...errorResponses(...AUTHED_ERRORS) },
});

const createRuleRoute = createRoute({
  ...common,
  method: "post",
  path: "/alertes/rules",
  summary: "Créer une règle d'alerte (gérants et propriétaires)",
  description: "409 rule_exists si une règle existe déjà pour ce type dans cette portée ; " +
    "422 category_not_found / product_not_found hors de la boutique.",
  request: { body: jsonBody(CreateRule) },
  responses: { 201: jsonResponse(RuleSchema, "Créée"), ...errorResponses(...WRITE) },
});

const updateRuleRoute = createRoute({
  ...common,
  method: "patch",
  path: "/alertes/rules/{id}",
  summary: "Modifier une règle d'alerte (gérants et propriétaires)",
  description: "params remplace les paramètres en entier. Le type et la portée ne changent " +
    "pas : supprimez la règle et créez-en une autre.",
  request: { params: UuidParams, body: jsonBody(RulePatch) },
  responses: { 200: jsonResponse(RuleSchema, "Modifiée"), ...errorResponses(...WRITE) },
});

const deleteRuleRoute = createRoute({
  ...common,
  method: "delete",
  path: "/alertes/rules/{id}",
  summary: "Supprimer une règle d'alerte (gérants et propriétaires)",
  request: { params: UuidParams },
  responses: {
    204: { description: "Supprimée" },
    ...errorResponses(...AUTHED_ERRORS, 404),
  },
});

/** Routes of the alerts API (mounted under /v1 by the api function). */
export function alertRoutes(deps: Deps) {
  const app = createRouter();

  // Fixed paths first: `/alertes/{id}` would otherwise answer `/alertes/types` with a 400.
  app.openapi(types, async (c) => {
    return c.json(await inTenant(deps, c, "viewer", (tx) => listAlertTypes(tx)) as never, 200);
  });

  app.openapi(history, async (c) => {
    const query = c.req.valid("query");
    const page = await inTenant(deps, c, "viewer", (tx, t) => listAlertHistory(tx, t.id, query));
    return c.json(page as never, 200);
  });

  app.openapi(listRulesRoute, async (c) => {
    return c.json(await inTenant(deps, c, "viewer", (tx, t) => listRules(tx, t.id)) as never, 200);
  });

  app.openapi(createRuleRoute, async (c) => {
    const input = c.req.valid("json");
    const rule = await inTenant(deps, c, "manager", (tx, t) => createRule(tx, t.id, input));
    return c.json(rule as never, 201);
  });

  app.openapi(updateRuleRoute, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const rule = await inTenant(deps, c, "manager", async (tx, t) => {
      if (input.params) {
        const { alert_type } = await getRule(tx, t.id, id);
        checkParams(alert_type, input.params);
      }
      return await updateRule(tx, t.id, id, input);
    });
    return c.json(rule as never, 200);
  });

  app.openapi(deleteRuleRoute, async (c) => {
    const { id } = c.req.valid("param");
    await inTenant(deps, c, "manager", (tx, t) => deleteRule(tx, t.id, id));
    return c.body(null, 204);
  });

  app.route("/", notificationRoutes(deps));
  app.route("/", testMessageRoutes(deps));

  app.openapi(listOpen, async (c) => {
    const query = c.req.valid("query");
    const page = await inTenant(deps, c, "viewer", (tx, t) => listOpenAlerts(tx, t.id, query));
    return c.json(page as never, 200);
  });

  app.openapi(getOne, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(
      await inTenant(deps, c, "viewer", (tx, t) => getAlert(tx, t.id, id)) as never,
      200,
    );
  });

  // Roles: the SQL functions check them too (acknowledge: any member; the others: managers).
  const change = (c: Caller, id: string, minRole: TenantRole, what: AlertAction) =>
    inTenant(deps, c, minRole, (tx, t) => changeAlert(tx, t.id, id, what));

  app.openapi(acknowledge, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json") ?? {};
    const alert = await change(c, id, "viewer", { action: "acknowledge", ...input });
    return c.json(alert as never, 200);
  });

  app.openapi(snooze, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const alert = await change(c, id, "manager", { action: "snooze", ...input });
    return c.json(alert as never, 200);
  });

  app.openapi(resolve, async (c) => {
    const { id } = c.req.valid("param");
    const input = c.req.valid("json") ?? {};
    const alert = await change(c, id, "manager", { action: "resolve", ...input });
    return c.json(alert as never, 200);
  });

  return app;
}

/** 400 with `json.params.<key>` paths when `params` do not fit the rule's type. */
function checkParams(type: string, params: unknown): void {
  const issues = ruleParamIssues(type, params);
  if (issues.length === 0) return;
  throw new ApiError(
    400,
    "validation_failed",
    "Certains champs sont invalides.",
    issues.map((issue) => ({
      path: ["json", ...issue.path.map(String)].join("."),
      message: issue.message,
      code: "custom",
    })),
  );
}
