// Edge Function `maintenance`: the daily housekeeping job, for pg_cron over pg_net
// (see shared/jobs/function.ts and docs/scheduling.md).
import { loadConfig } from "../../shared/config.ts";
import { openDatabase } from "../../shared/db/client.ts";
import { createDeps } from "../../shared/deps.ts";
import { createJobFunction } from "../../shared/jobs/function.ts";

const config = loadConfig();
const db = await openDatabase(config, { allowEmbedded: false });
// pg_net sends the Vault's service_role_key: the project's service key, set by Supabase in
// every function's environment.
const serviceRoleKey = Deno.env.get("SUPABASE_SERVICE_ROLE_KEY") || undefined;
Deno.serve(createJobFunction("maintenance", { serviceRoleKey })(createDeps(config, db)).fetch);
