// Edge Function `alerts-evaluate`: one run of the alerts job, for pg_cron over pg_net
// (see shared/jobs/function.ts and docs/scheduling.md).
import { loadConfig } from "../../shared/config.ts";
import { openDatabase } from "../../shared/db/client.ts";
import { createDeps } from "../../shared/deps.ts";
import { createJobFunction } from "../../shared/jobs/function.ts";

const config = loadConfig();
const db = await openDatabase(config, { allowEmbedded: false });
Deno.serve(createJobFunction("alerts-evaluate")(createDeps(config, db)).fetch);
