/**
 * `POST /alertes/test-message` (owners): queues a WhatsApp test message for one of the
 * shop's recipients and sends it at once through the outbox dispatcher, so the owner
 * sees whether Twilio accepted it. The outbox is written by the service role only: the
 * caller's role and the recipient are checked under RLS first, then the row is inserted
 * on the service path for that verified tenant.
 *
 * @module
 */
import { createRoute } from "@hono/zod-openapi";
import { requireUser } from "../auth/middleware.ts";
import { withServiceTx } from "../db/tx.ts";
import type { Deps } from "../http/context.ts";
import { ApiError } from "../http/errors.ts";
import {
  AUTHED_ERRORS,
  bearer,
  createRouter,
  errorResponses,
  jsonBody,
  jsonResponse,
} from "../http/openapi.ts";
import { dispatchOutbox } from "../notifications/dispatcher.ts";
import { DEFAULT_TEST_TEXT } from "../notifications/render.ts";
import { getRecipient, queueTestMessage, readOutboxMessage } from "./notification_store.ts";
import { OutboxMessageSchema, TestMessageInput } from "./schemas.ts";
import { inTenant } from "./store.ts";

const testMessage = createRoute({
  tags: ["Alertes : notifications"],
  security: bearer,
  middleware: [requireUser] as [typeof requireUser],
  method: "post",
  path: "/alertes/test-message",
  summary: "Envoyer un message WhatsApp de test à un destinataire (propriétaires)",
  description: "Le message passe par la file d'envoi comme les alertes et part aussitôt ; la " +
    "réponse donne son statut après cette tentative (queued si Twilio l'a accepté, pending " +
    "avec deferred_reason si Twilio n'est pas configuré, failed avec error_code sinon). " +
    "409 recipient_not_opted_in sans consentement, 409 recipient_inactive si désactivé.",
  request: { body: jsonBody(TestMessageInput) },
  responses: {
    201: jsonResponse(OutboxMessageSchema, "Message mis en file et tenté"),
    ...errorResponses(...AUTHED_ERRORS, 404, 409, 415, 422),
  },
});

/** The test-message route (mounted under /v1 with the alerts API). */
export function testMessageRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(testMessage, async (c) => {
    const input = c.req.valid("json");
    const tenantId = await inTenant(deps, c, "owner", async (tx, t) => {
      const recipient = await getRecipient(tx, t.id, input.recipient_id);
      if (!recipient.opted_in) {
        throw new ApiError(
          409,
          "recipient_not_opted_in",
          `${recipient.display_name} n'a pas donné son accord pour recevoir des messages ` +
            "WhatsApp : enregistrez d'abord son consentement (opted_in).",
          { field: "recipient_id" },
        );
      }
      if (!recipient.active) {
        throw new ApiError(
          409,
          "recipient_inactive",
          `${recipient.display_name} est désactivé et ne reçoit aucun message.`,
          { field: "recipient_id" },
        );
      }
      return t.id;
    });
    const id = await withServiceTx(
      deps.db.sql,
      (tx) => queueTestMessage(tx, tenantId, input.recipient_id, input.text ?? DEFAULT_TEST_TEXT),
    );
    await dispatchOutbox(deps, { ids: [id] });
    const row = await inTenant(deps, c, "owner", (tx, t) => readOutboxMessage(tx, t.id, id));
    return c.json(row as never, 201);
  });

  return app;
}
