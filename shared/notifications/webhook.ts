/**
 * The `twilio-webhook` Edge Function: what Twilio posts back to us.
 *
 * - `POST /twilio-webhook/status`: a status callback of a message we sent. The outbox
 *   row with that `provider_sid` moves forward only (queued < sent < delivered < read;
 *   failed/undelivered end it, from queued or sent, with Twilio's `ErrorCode`). A late
 *   or unknown callback changes nothing and is still answered 204, so Twilio does not
 *   retry it forever.
 *   `POST /twilio-webhook` (the function's root) is the same, for a `StatusCallback` set
 *   to the function's URL.
 * - `POST /twilio-webhook/inbound`: a WhatsApp message to our number, stored and
 *   answered as TwiML (see `inbound.ts` and `commands.ts`).
 *
 * Every request is form-encoded (otherwise 415) and signed by Twilio in
 * `X-Twilio-Signature` over the exact public URL it called. Behind Supabase's gateway
 * (or the local server) the function sees another host and path prefix than Twilio
 * used, so the URL verified is `TWILIO_WEBHOOK_BASE_URL` (default `SUPABASE_URL` +
 * `/functions/v1`) + the function's path + the query string, with or without the
 * default port. No auth token configured, no signature or a wrong one → 403 with the
 * error contract, before anything is read from or written to the database.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { withServiceTx } from "../db/tx.ts";
import type { AppEnv, Deps } from "../http/context.ts";
import { ApiError, errorBody } from "../http/errors.ts";
import { installErrorHandlers, limitBody, requestId, requestLog } from "../http/middleware.ts";
import { handleInbound } from "./inbound.ts";
import { twiml } from "./replies.ts";
import { fromWhatsAppAddress, isE164 } from "./whatsapp/phone.ts";
import { SIGNATURE_HEADER, verifySignature } from "./whatsapp/signature.ts";
import { parseStatusCallback, type StatusUpdate } from "./whatsapp/status_callback.ts";

/** The function's name, and so its base path. */
export const WEBHOOK_FUNCTION = "twilio-webhook";

const MESSAGE_SID = /^(SM|MM)[0-9a-fA-F]{32}$/;

/** Builds the `twilio-webhook` app; its base path is `/twilio-webhook`. */
export function createTwilioWebhookApp(deps: Deps): Hono<AppEnv> {
  const app = new Hono<AppEnv>().basePath(`/${WEBHOOK_FUNCTION}`);
  app.use(
    "*",
    async (c, next) => {
      c.set("deps", deps);
      await next();
    },
    requestId,
    requestLog(deps.config),
    limitBody(deps.config),
  );
  installErrorHandlers(app);

  const status = async (c: Context<AppEnv>) => {
    const form = await verifiedForm(c, deps);
    const update = parseStatusCallback(form);
    if (!update) {
      throw new ApiError(400, "invalid_status_callback", "Rappel de statut Twilio invalide.", {
        expected: "MessageSid (SM… ou MM…), MessageStatus, AccountSid",
      });
    }
    await applyStatus(deps, update);
    return c.body(null, 204);
  };
  app.post("/status", status);
  // The function's own URL works as a StatusCallback too (TWILIO_STATUS_CALLBACK_URL set
  // to …/functions/v1/twilio-webhook); the URL verified is then that one.
  app.post("/", status);

  app.post("/inbound", async (c) => {
    const form = await verifiedForm(c, deps);
    const messageSid = form.get("MessageSid") ?? form.get("SmsMessageSid") ?? "";
    const fromField = form.get("From") ?? "";
    const from = fromWhatsAppAddress(fromField) ?? (isE164(fromField) ? fromField : undefined);
    if (!MESSAGE_SID.test(messageSid) || !from) {
      throw new ApiError(400, "invalid_inbound_message", "Message Twilio entrant invalide.", {
        expected: "MessageSid (SM… ou MM…) et From (whatsapp:+221…)",
      });
    }
    const outcome = await handleInbound(deps.db.sql, {
      messageSid,
      from,
      body: form.get("Body") ?? "",
    });
    if (outcome.tenantId) c.set("tenantId", outcome.tenantId);
    return c.body(twiml(outcome.reply), 200, { "Content-Type": "text/xml; charset=utf-8" });
  });

  app.on(
    ["GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
    ["/", "/status", "/inbound"],
    (c) => {
      c.header("Allow", "POST");
      const body = errorBody(
        new ApiError(400, "method_not_allowed", `Méthode ${c.req.method} non autorisée : POST.`),
        c.get("requestId"),
      );
      return c.json(body, 405);
    },
  );
  return app;
}

/**
 * The request's form, once its Twilio signature is checked against the public URL.
 * Throws 415 (not a form), 403 (no token configured, or a missing or wrong signature)
 * or 400 (a body that is not valid form encoding).
 */
async function verifiedForm(c: Context<AppEnv>, deps: Deps): Promise<URLSearchParams> {
  const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") {
    throw new ApiError(
      415,
      "unsupported_media_type",
      "Le corps doit être un formulaire (Content-Type: application/x-www-form-urlencoded).",
      { got: type || null },
    );
  }
  const { authToken, webhookBaseUrl } = deps.config.twilio;
  if (!authToken) {
    throw new ApiError(
      403,
      "webhook_not_configured",
      "Webhook Twilio non configuré : TWILIO_AUTH_TOKEN manquant.",
    );
  }
  const text = await c.req.text();
  const form = parseForm(text);
  const url = publicUrl(webhookBaseUrl, new URL(c.req.url));
  if (!await verifySignature(authToken, c.req.header(SIGNATURE_HEADER), url, form)) {
    throw new ApiError(403, "invalid_signature", "Signature Twilio absente ou invalide.");
  }
  return form;
}

/** The URL Twilio called: the public base, the function's own path, the query string. */
export function publicUrl(webhookBaseUrl: string, requested: URL): string {
  return `${webhookBaseUrl}${requested.pathname}${requested.search}`;
}

/** Parses `application/x-www-form-urlencoded`, refusing invalid percent-encoding. */
function parseForm(text: string): URLSearchParams {
  for (const part of text.split("&")) {
    try {
      decodeURIComponent(part.replaceAll("+", " "));
    } catch {
      throw new ApiError(400, "malformed_form", "Formulaire mal encodé.");
    }
  }
  return new URLSearchParams(text);
}

/** Outbox statuses in the order a message goes through them. */
const TARGET: Partial<Record<StatusUpdate["status"], string>> = {
  accepted: "queued",
  scheduled: "queued",
  queued: "queued",
  sending: "queued",
  sent: "sent",
  delivered: "delivered",
  read: "read",
  failed: "failed",
  undelivered: "undelivered",
};

/**
 * Moves the message forward, never back: the update applies only when the row's status
 * ranks below the new one (pending 0, sending 1, queued 2, sent 3, delivered 4, read 5,
 * anything final 9). A failure ranks 4: it ends a queued or sent message, never a
 * delivered one. Answers how many rows changed (0 or 1).
 */
async function applyStatus(deps: Deps, update: StatusUpdate): Promise<number> {
  const target = TARGET[update.status];
  if (!target) return 0;
  const failure = target === "failed" || target === "undelivered";
  const rank = { queued: 2, sent: 3, delivered: 4, read: 5 }[target] ?? 4;
  const errorCode = failure ? update.errorCode ?? null : null;
  const lastError = failure
    ? `Twilio ${target}` + (update.errorCode
      ? ` (code ${update.errorCode}` +
        (update.reason ? `, ${update.reason})` : ")")
      : "")
    : null;
  return await withServiceTx(deps.db.sql, async (tx) => {
    const rows = await tx`
      update public.notification_outbox o set
        status = ${target}::text,
        sent_at = case when ${target}::text in ('sent', 'delivered', 'read')
          then coalesce(o.sent_at, now()) else o.sent_at end,
        delivered_at = case when ${target}::text in ('delivered', 'read')
          then coalesce(o.delivered_at, now()) else o.delivered_at end,
        read_at = case when ${target}::text = 'read' then coalesce(o.read_at, now()) else o.read_at end,
        failed_at = case when ${failure}::boolean then now() else o.failed_at end,
        error_code = case when ${failure}::boolean then ${errorCode}::integer else o.error_code end,
        last_error = case when ${failure}::boolean then ${lastError}::text else o.last_error end
      where o.provider_sid = ${update.messageSid}
        and (case o.status when 'pending' then 0 when 'sending' then 1 when 'queued' then 2
          when 'sent' then 3 when 'delivered' then 4 when 'read' then 5 else 9 end) < ${rank}::integer
      returning o.id`;
    return rows.length;
  });
}
