/**
 * `deno task token [--email <address>] [--password <password>]`: prints an access token
 * for a seeded demo user (default awa.diop@demo.digiboost.sn, owner of the Dakar shop)
 * on stdout, and a curl example on stderr:
 *
 *     TOKEN=$(deno task token)
 *     curl -H "Authorization: Bearer $TOKEN" http://localhost:8000/api/v1/me
 *
 * Where the token comes from, in order:
 * 1. `DATABASE_URL` set: the user is looked up in that database and a session is
 *    created for them, as a sign-in would (no password needed);
 * 2. the local server answers at `SUPABASE_URL` (default http://localhost:8000): a
 *    password sign-in through its `/auth/v1/token` (demo password by default);
 * 3. otherwise the embedded database in `PGLITE_DATA_DIR` (`.data/pglite`) is opened,
 *    as in 1. PGlite's folder can be opened by one process only, so this is refused
 *    while anything listens on `PGLITE_PORT` (a server whose URL is not SUPABASE_URL).
 *
 * Either way the custom access token hook runs, so the token carries `tenant_id` and
 * `tenant_role`. Exit codes: 0 printed; 1 no such user, wrong password or database
 * error; 2 bad arguments or configuration.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { decodeJwt } from "jose";
import { type Config, ConfigError, loadConfig } from "../shared/config.ts";
import { openDatabase } from "../shared/db/client.ts";
import { issueSession } from "../shared/gotrue/access_tokens.ts";
import { withAuthAdminTx } from "../shared/gotrue/db.ts";
import { findUserByEmail } from "../shared/gotrue/users.ts";

const DEMO_EMAIL = "awa.diop@demo.digiboost.sn";
/** Every seeded demo user's password (supabase/seed.sql). */
const DEMO_PASSWORD = "Demo-Dakar-2026";

const USAGE = `Usage: deno task token [--email <address>] [--password <password>]

Prints an access token for a user of the local stack (default ${DEMO_EMAIL}).
  --email      the user (seeded: awa.diop@, moussa.ndiaye@, fatou.sow@,
               ibrahima.fall@demo.digiboost.sn)
  --password   used only when signing in through the running server
               (default: the demo password)`;

/** A failure to report on stderr with an exit code. */
class TokenError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

type Minted = { token: string; source: string };

/** Signs in through the running local server; undefined when nothing answers there. */
async function viaServer(
  config: Config,
  email: string,
  password: string,
): Promise<Minted | undefined> {
  const url = `${config.supabaseUrl}/auth/v1/token?grant_type=password`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password }),
      signal: AbortSignal.timeout(3000),
    });
  } catch {
    return undefined; // connection refused or no answer: no server there
  }
  const body = await response.json().catch(() => ({})) as Record<string, unknown>;
  if (response.ok && typeof body.access_token === "string") {
    return { token: body.access_token, source: `signed in through ${config.supabaseUrl}` };
  }
  const reason = body.msg ?? body.message ?? body.error_description ?? response.statusText;
  throw new TokenError(
    `token: the server at ${config.supabaseUrl} refused the sign-in for ${email}: ` +
      `${response.status} ${body.error_code ?? body.code ?? ""} ${reason}\n` +
      "  For another user pass --password, or set DATABASE_URL to mint without a password.",
  );
}

/** True when something accepts connections on 127.0.0.1:`port`. */
async function listening(port: number): Promise<boolean> {
  try {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

/** Looks the user up in the database and creates a session for them. */
async function viaDatabase(config: Config, email: string): Promise<Minted> {
  if (!config.databaseUrl) {
    const initialised = await Deno.stat(`${config.pgliteDataDir}/PG_VERSION`).then(
      () => true,
      () => false,
    );
    if (!initialised) {
      throw new TokenError(
        `token: no local database in ${config.pgliteDataDir} yet. Run \`deno task start\` once ` +
          "(it creates and seeds it), then run this again while it serves.",
      );
    }
    if (await listening(config.pglitePort)) {
      throw new TokenError(
        `token: the embedded database is in use (something listens on port ${config.pglitePort}) ` +
          `but no server answers at ${config.supabaseUrl}. Set SUPABASE_URL to the running ` +
          "server's address, or stop it: PGlite's folder can be opened by one process only.",
      );
    }
  }
  const db = await openDatabase({ ...config, databasePoolMax: 1 });
  try {
    return await withAuthAdminTx(db.sql, async (tx) => {
      const user = await findUserByEmail(tx, email);
      if (!user) {
        throw new TokenError(
          `token: no user ${email} in ${
            db.mode === "embedded" ? config.pgliteDataDir : "DATABASE_URL"
          }. ` +
            "Seeded users are in supabase/seed.sql (loaded by `deno task start` in development).",
        );
      }
      const session = await issueSession(tx, config, user, { method: "password" });
      const where = db.mode === "embedded" ? config.pgliteDataDir : "DATABASE_URL";
      return { token: session.access_token, source: `minted from ${where}` };
    });
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  let values: { email?: string; password?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: Deno.args,
      options: {
        email: { type: "string" },
        password: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    throw new TokenError(`token: ${(error as Error).message}\n\n${USAGE}`, 2);
  }
  if (values.help) {
    console.error(USAGE);
    return;
  }
  const email = (values.email ?? DEMO_EMAIL).trim().toLowerCase();
  const config = loadConfig();
  const minted = (config.databaseUrl ? undefined : await viaServer(
    config,
    email,
    values.password ?? DEMO_PASSWORD,
  )) ?? await viaDatabase(config, email);

  const claims = decodeJwt(minted.token);
  const tenant = claims.tenant_id
    ? `tenant ${claims.tenant_id} as ${claims.tenant_role}`
    : "no tenant (not a member of any shop)";
  console.log(minted.token);
  console.error(
    [
      `token: ${email} (${claims.sub}), ${tenant}, expires ${
        new Date((claims.exp ?? 0) * 1000).toISOString()
      }; ${minted.source}.`,
      "",
      "  TOKEN=$(deno task token" + (values.email ? ` --email ${email}` : "") + ")",
      `  curl -H "Authorization: Bearer $TOKEN" ${config.supabaseUrl}/api/v1/me`,
    ].join("\n"),
  );
}

try {
  await main();
} catch (error) {
  if (error instanceof TokenError) {
    console.error(error.message);
    Deno.exit(error.exitCode);
  }
  if (error instanceof ConfigError) {
    console.error(error.message);
    Deno.exit(2);
  }
  console.error(`token: ${error instanceof Error ? error.message : String(error)}`);
  Deno.exit(1);
}
