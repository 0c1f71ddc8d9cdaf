/**
 * Test fixtures shared by every test file: users, tenants, memberships, tokens and a
 * small HTTP client. Each test builds its own data with these (fresh random names),
 * so no test depends on another's data or order.
 *
 * @module
 */
import { signAccessToken } from "../../shared/auth/jwt.ts";
import type { Config } from "../../shared/config.ts";
import type { Sql } from "../../shared/db/client.ts";
import type { TenantRole } from "../../shared/db/tx.ts";

/** A user made for a test. */
export type TestUser = { id: string; email: string };

const suffix = () => crypto.randomUUID().slice(0, 8);

/** Inserts a confirmed user into auth.users (no password: tokens are minted directly). */
export async function createUser(
  sql: Sql,
  email = `user-${suffix()}@test.digiboost.sn`,
): Promise<TestUser> {
  const [row] = await sql<{ id: string }[]>`
    insert into auth.users (email, email_confirmed_at, aud, role)
    values (${email}, now(), 'authenticated', 'authenticated') returning id`;
  return { id: row.id, email };
}

/** Creates a tenant owned by `owner`. */
export async function createTenant(
  sql: Sql,
  owner: TestUser,
  name = `Boutique ${suffix()}`,
): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    insert into public.tenants (name, created_by) values (${name}, ${owner.id}) returning id`;
  await addMember(sql, row.id, owner, "owner");
  return row.id;
}

/** Adds `user` to `tenantId` with `role`. */
export async function addMember(
  sql: Sql,
  tenantId: string,
  user: TestUser,
  role: TenantRole,
): Promise<void> {
  await sql`insert into public.memberships (tenant_id, user_id, role)
    values (${tenantId}, ${user.id}, ${role})`;
}

/** A tenant with one user of each role. */
export type TestTenant = { id: string; owner: TestUser; manager: TestUser; viewer: TestUser };

/** Creates a tenant with an owner, a manager and a viewer. */
export async function createTenantWithRoles(sql: Sql): Promise<TestTenant> {
  const owner = await createUser(sql);
  const manager = await createUser(sql);
  const viewer = await createUser(sql);
  const id = await createTenant(sql, owner);
  await addMember(sql, id, manager, "manager");
  await addMember(sql, id, viewer, "viewer");
  return { id, owner, manager, viewer };
}

/** Mints an access token as Supabase Auth would after the custom access token hook. */
export async function tokenFor(
  config: Config,
  user: TestUser,
  extra: Record<string, unknown> = {},
): Promise<string> {
  return await signAccessToken({
    sub: user.id,
    email: user.email,
    role: "authenticated",
    session_id: crypto.randomUUID(),
    ...extra,
  }, config);
}

/** A JSON response: status, parsed body, headers. */
export type JsonResponse<T = unknown> = { status: number; body: T; headers: Headers };

/** The error contract, with per-line details where the API gives them. */
export type ErrorBody = {
  error: {
    code: string;
    message: string;
    details?: (
      & { line?: number; path?: string; code: string; message: string }
      & Record<
        string,
        unknown
      >
    )[];
    request_id: string;
  };
};

/** The field paths of a validation error, sorted. */
export const paths = (body: ErrorBody) => (body.error.details ?? []).map((d) => d.path).sort();

/** A page of a list: its rows and where it stands. */
export type Page<T> = { data: T[]; page: { limit: number; offset: number; total: number } };

/** Calls the local server with JSON in and out. */
export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: BodyInit } =
    {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] ??= "application/json";
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

/** Column values for a catalogue row made by a fixture. */
export type CatalogueValues = Record<string, string | number | boolean | null>;

async function insertCatalogueRow(
  sql: Sql,
  table: "products" | "categories" | "suppliers" | "locations",
  row: CatalogueValues,
): Promise<{ id: string; name: string }> {
  const [created] = await sql<{ id: string; name: string }[]>`
    insert into ${sql(`public.${table}`)} ${sql(row)} returning id, name`;
  return created;
}

/** Inserts a category in `tenantId` (a fresh name unless given). */
export function createCategory(sql: Sql, tenantId: string, values: CatalogueValues = {}) {
  return insertCatalogueRow(sql, "categories", {
    tenant_id: tenantId,
    name: `Catégorie ${suffix()}`,
    ...values,
  });
}

/** Inserts a supplier in `tenantId`. */
export function createSupplier(sql: Sql, tenantId: string, values: CatalogueValues = {}) {
  return insertCatalogueRow(sql, "suppliers", {
    tenant_id: tenantId,
    name: `Fournisseur ${suffix()}`,
    ...values,
  });
}

/** Inserts a location in `tenantId` (a shop unless `kind` is given). */
export function createLocation(sql: Sql, tenantId: string, values: CatalogueValues = {}) {
  return insertCatalogueRow(sql, "locations", {
    tenant_id: tenantId,
    name: `Emplacement ${suffix()}`,
    ...values,
  });
}

/** Inserts a product in `tenantId` (a fresh SKU and name unless given). */
export async function createProduct(
  sql: Sql,
  tenantId: string,
  values: CatalogueValues = {},
): Promise<{ id: string; name: string; sku: string }> {
  const sku = `SKU-${suffix()}`;
  const row = await insertCatalogueRow(sql, "products", {
    tenant_id: tenantId,
    sku,
    name: `Produit ${sku}`,
    ...values,
  });
  return { ...row, sku: String(values.sku ?? sku) };
}

/** A tenant with one user of each role and an access token for each, scoped to it. */
export async function createTenantWithTokens(sql: Sql, config: Config) {
  const t = await createTenantWithRoles(sql);
  return {
    t,
    owner: await tokenFor(config, t.owner, { tenant_id: t.id }),
    manager: await tokenFor(config, t.manager, { tenant_id: t.id }),
    viewer: await tokenFor(config, t.viewer, { tenant_id: t.id }),
  };
}

/** The default location of `tenantId` (every tenant gets one). */
export async function defaultLocation(sql: Sql, tenantId: string): Promise<string> {
  const [row] = await sql<{ id: string }[]>`
    select id from public.locations where tenant_id = ${tenantId} and is_default`;
  return row.id;
}

/**
 * Records a stock movement in `tenantId` as the superuser, at the default location
 * unless `location_id` is given; the ledger trigger applies it like any other. Returns
 * its id and stored (signed) quantity.
 */
export async function createMovement(
  sql: Sql,
  tenantId: string,
  values: CatalogueValues & { product_id: string; kind: string },
): Promise<{ id: number; quantity: number }> {
  const row = {
    tenant_id: tenantId,
    location_id: values.location_id ?? await defaultLocation(sql, tenantId),
    ...values,
  };
  const [created] = await sql<{ id: number; quantity: number }[]>`
    insert into public.stock_movements ${sql(row)} returning id::float8 as id, quantity`;
  return created;
}
