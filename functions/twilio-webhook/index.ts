// Edge Function `twilio-webhook`: Twilio's status callbacks and inbound WhatsApp messages,
// verified by X-Twilio-Signature (see shared/notifications/webhook.ts and docs/whatsapp.md).
import { loadConfig } from "../../shared/config.ts";
import { openDatabase } from "../../shared/db/client.ts";
import { createDeps } from "../../shared/deps.ts";
import { createTwilioWebhookApp } from "../../shared/notifications/webhook.ts";

const config = loadConfig();
const db = await openDatabase(config, { allowEmbedded: false });
Deno.serve(createTwilioWebhookApp(createDeps(config, db)).fetch);
