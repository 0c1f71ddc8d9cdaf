// Edge Function `api`: the REST API under /functions/v1/api/v1/… (see shared/api.ts).
import { createApiApp } from "../../shared/api.ts";
import { loadConfig } from "../../shared/config.ts";
import { openDatabase } from "../../shared/db/client.ts";
import { createDeps } from "../../shared/deps.ts";

const config = loadConfig();
const db = await openDatabase(config, { allowEmbedded: false });
Deno.serve(createApiApp(createDeps(config, db)).fetch);
