/**
 * Categories, suppliers and locations APIs: create, read, update, archive, restore and
 * delete; invalid input (400 with field paths), no token (401), viewer writing (403),
 * another tenant's ids (404), duplicate names (409), rows still in use (409), phone
 * numbers normalised to E.164, the default location kept usable, lists.
 */
import assert from "node:assert/strict";
import {
  call,
  createCategory,
  createLocation,
  createProduct,
  createSupplier,
  createTenantWithTokens,
  type ErrorBody,
  type Page as PageOf,
  paths,
} from "./helpers/fixtures.ts";
import { startStack } from "./helpers/stack.ts";

const stack = await startStack();
const { sql, config, url } = stack;

type Row = Record<string, unknown> & { id: string; name: string; archived_at: string | null };
type Page = PageOf<Row>;

const shop = () => createTenantWithTokens(sql, config);

/** The three resources with a valid body and a fixture each. */
const RESOURCES = [
  {
    path: "/api/v1/categories",
    body: () => ({ name: `Boissons ${crypto.randomUUID().slice(0, 6)}` }),
    create: createCategory,
    notFound: "category_not_found",
  },
  {
    path: "/api/v1/suppliers",
    body: () => ({ name: "Dakar Distribution", phone: "33 821 10 01" }),
    create: createSupplier,
    notFound: "supplier_not_found",
  },
  {
    path: "/api/v1/locations",
    body: () => ({ name: `Dépôt ${crypto.randomUUID().slice(0, 6)}`, kind: "warehouse" }),
    create: createLocation,
    notFound: "location_not_found",
  },
] as const;

Deno.test("categories, suppliers, locations: create, get, patch, archive, restore, hard delete", async () => {
  const { manager } = await shop();
  for (const resource of RESOURCES) {
    const created = await call<Row>(url, "POST", resource.path, {
      token: manager,
      body: resource.body(),
    });
    assert.equal(created.status, 201, resource.path);
    const one = `${resource.path}/${created.body.id}`;
    assert.deepEqual((await call<Row>(url, "GET", one, { token: manager })).body, created.body);
    const patched = await call<Row>(url, "PATCH", one, {
      token: manager,
      body: { name: `  Renommé ${crypto.randomUUID().slice(0, 6)} ` },
    });
    assert.equal(patched.status, 200, resource.path);
    assert.match(patched.body.name, /^Renommé \w+$/);
    const archived = await call<Row>(url, "DELETE", one, { token: manager });
    assert.equal(archived.status, 200, resource.path);
    assert.ok(archived.body.archived_at);
    const listed = await call<Page>(url, "GET", resource.path, { token: manager });
    assert.ok(!listed.body.data.some((r) => r.id === created.body.id), "archived left out");
    const onlyArchived = await call<Page>(url, "GET", `${resource.path}?archived=only`, {
      token: manager,
    });
    assert.deepEqual(onlyArchived.body.data.map((r) => r.id), [created.body.id]);
    const restored = await call<Row>(url, "POST", `${one}/restore`, { token: manager });
    assert.deepEqual([restored.status, restored.body.archived_at], [200, null]);
    assert.equal((await call(url, "DELETE", `${one}?hard=true`, { token: manager })).status, 204);
    assert.equal((await call(url, "GET", one, { token: manager })).status, 404, resource.path);
    const empty = await call<ErrorBody>(url, "PATCH", one, { token: manager, body: {} });
    assert.equal(empty.status, 400, "an empty patch is refused before looking up the row");
  }
});

Deno.test("categories, suppliers, locations: 401, viewer 403, another shop's ids 404", async () => {
  const mine = await shop();
  const theirs = await shop();
  for (const resource of RESOURCES) {
    const own = await resource.create(sql, mine.t.id);
    const foreign = await resource.create(sql, theirs.t.id);
    const ownPath = `${resource.path}/${own.id}`;
    const writes: [string, string, unknown?][] = [
      ["POST", resource.path, resource.body()],
      ["PATCH", ownPath, { name: "Vu" }],
      ["DELETE", ownPath],
      ["DELETE", `${ownPath}?hard=true`],
      ["POST", `${ownPath}/restore`],
    ];
    for (const [method, path, body] of writes) {
      const denied = await call<ErrorBody>(url, method, path, { token: mine.viewer, body });
      assert.equal(denied.status, 403, `${method} ${path}`);
      assert.equal(denied.body.error.code, "insufficient_role");
      assert.equal((await call(url, method, path, { body })).status, 401, `${method} ${path}`);
    }
    for (const path of [resource.path, ownPath]) {
      assert.equal((await call(url, "GET", path, { token: mine.viewer })).status, 200, path);
      assert.equal((await call(url, "GET", path)).status, 401, path);
    }
    const foreignPath = `${resource.path}/${foreign.id}`;
    for (
      const [method, path, body] of [
        ["GET", foreignPath],
        ["PATCH", foreignPath, { name: "Piraté" }],
        ["DELETE", foreignPath],
        ["DELETE", `${foreignPath}?hard=true`],
        ["POST", `${foreignPath}/restore`],
      ] as [string, string, unknown?][]
    ) {
      const response = await call<ErrorBody>(url, method, path, { token: mine.manager, body });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.body.error.code, resource.notFound);
    }
    const list = await call<Page>(url, "GET", `${resource.path}?archived=include`, {
      token: mine.manager,
    });
    assert.ok(!list.body.data.some((r) => r.id === foreign.id), resource.path);
    const [row] = await sql`select name, archived_at from ${sql(resource.path.split("/")[3])}
      where id = ${foreign.id}`;
    assert.deepEqual({ ...row }, { name: foreign.name, archived_at: null });
  }
});

Deno.test("categories and locations: a name taken in the shop (any case, even archived) is 409", async () => {
  const { t, manager } = await shop();
  const other = await shop();
  await createCategory(sql, t.id, { name: "Boissons", archived_at: new Date().toISOString() });
  const category = await call<ErrorBody>(url, "POST", "/api/v1/categories", {
    token: manager,
    body: { name: "BOISSONS" },
  });
  assert.equal(category.status, 409);
  assert.equal(category.body.error.code, "category_name_taken");
  assert.deepEqual(category.body.error.details, { field: "name" });
  const location = await call<ErrorBody>(url, "POST", "/api/v1/locations", {
    token: manager,
    body: { name: "boutique principale" },
  });
  assert.equal(location.status, 409, "the default location's name is taken");
  assert.equal(location.body.error.code, "location_name_taken");
  const elsewhere = await call(url, "POST", "/api/v1/categories", {
    token: other.manager,
    body: { name: "Boissons" },
  });
  assert.equal(elsewhere.status, 201);
  const twins = [
    await call(url, "POST", "/api/v1/suppliers", { token: manager, body: { name: "Sédima" } }),
    await call(url, "POST", "/api/v1/suppliers", { token: manager, body: { name: "Sédima" } }),
  ];
  assert.deepEqual(twins.map((r) => r.status), [201, 201], "supplier names need not be unique");
});

Deno.test("categories and suppliers in use by a product cannot be hard-deleted (409), only archived", async () => {
  const { t, manager } = await shop();
  const category = await createCategory(sql, t.id);
  const supplier = await createSupplier(sql, t.id);
  await createProduct(sql, t.id, {
    category_id: category.id,
    supplier_id: supplier.id,
    archived_at: new Date().toISOString(),
  });
  for (
    const [path, code] of [
      [`/api/v1/categories/${category.id}`, "category_in_use"],
      [`/api/v1/suppliers/${supplier.id}`, "supplier_in_use"],
    ]
  ) {
    const refused = await call<ErrorBody>(url, "DELETE", `${path}?hard=true`, { token: manager });
    assert.equal(refused.status, 409, path);
    assert.equal(refused.body.error.code, code);
    assert.match(refused.body.error.message, /archivez/);
    const archived = await call<Row>(url, "DELETE", path, { token: manager });
    assert.equal(archived.status, 200);
    assert.ok(archived.body.archived_at);
  }
});

Deno.test("categories, suppliers, locations reject bad input with 400 and the field paths", async () => {
  const { t, manager } = await shop();
  const tables = ["categories", "suppliers", "locations"];
  const counts = async () =>
    await Promise.all(
      tables.map(async (table) =>
        (await sql`select count(*)::int as n from ${sql(table)} where tenant_id = ${t.id}`)[0].n
      ),
    );
  const before = await counts();
  const cases: [string, unknown, string[]][] = [
    ["categories", {}, ["json.name"]],
    ["categories", { name: "x".repeat(81) }, ["json.name"]],
    ["categories", { name: "Ok", description: "x".repeat(501) }, ["json.description"]],
    ["categories", { name: "Ok", parent: "x" }, ["json"]],
    ["suppliers", { name: "Ok", phone: "123" }, ["json.phone"]],
    ["suppliers", { name: "Ok", whatsapp: "77 12" }, ["json.whatsapp"]],
    ["suppliers", { name: "Ok", phone: "x".repeat(1000) }, ["json.phone"]],
    ["suppliers", { name: "Ok", email: "pas-un-email" }, ["json.email"]],
    ["suppliers", { name: "Ok", lead_time_days: -1 }, ["json.lead_time_days"]],
    ["suppliers", { name: "Ok", notes: "x".repeat(1001) }, ["json.notes"]],
    ["locations", { name: "Ok", kind: "garage" }, ["json.kind"]],
    ["locations", { name: "Ok", is_default: false }, ["json.is_default"]],
    ["locations", { name: "Ok", address: "x".repeat(301) }, ["json.address"]],
  ];
  for (const [table, body, expected] of cases) {
    const response = await call<ErrorBody>(url, "POST", `/api/v1/${table}`, {
      token: manager,
      body,
    });
    assert.equal(response.status, 400, `${table} ${JSON.stringify(body).slice(0, 60)}`);
    assert.deepEqual(paths(response.body), expected, `${table} ${JSON.stringify(body)}`);
  }
  const huge = await call<ErrorBody>(url, "POST", "/api/v1/suppliers", {
    token: manager,
    body: { name: "Ok", notes: "x".repeat(config.bodyLimitBytes - 200) },
  });
  assert.deepEqual([huge.status, paths(huge.body)], [400, ["json.notes"]]);
  assert.deepEqual(await counts(), before);
});

Deno.test("supplier phone and WhatsApp numbers are stored in E.164, local Senegalese numbers read as +221", async () => {
  const { manager } = await shop();
  const created = await call<Row>(url, "POST", "/api/v1/suppliers", {
    token: manager,
    body: {
      name: "Ets Ndiaye & Frères",
      phone: "33 821 10 01",
      whatsapp: "77 123 45 67",
      email: "contact@ndiaye.sn",
      lead_time_days: 2,
      notes: "Livraison le mardi\net le vendredi",
    },
  });
  assert.equal(created.status, 201);
  assert.deepEqual([created.body.phone, created.body.whatsapp], ["+221338211001", "+221771234567"]);
  assert.equal(created.body.notes, "Livraison le mardi\net le vendredi");
  const patched = await call<Row>(url, "PATCH", `/api/v1/suppliers/${created.body.id}`, {
    token: manager,
    body: { whatsapp: "00221 78 111 22 33", phone: "+33 6 12 34 56 78" },
  });
  assert.deepEqual([patched.body.whatsapp, patched.body.phone], ["+221781112233", "+33612345678"]);
  const cleared = await call<Row>(url, "PATCH", `/api/v1/suppliers/${created.body.id}`, {
    token: manager,
    body: { phone: null },
  });
  assert.deepEqual([cleared.body.phone, cleared.body.whatsapp], [null, "+221781112233"]);
});

Deno.test("locations: one default per shop, moved by is_default; the default is never archived or deleted", async () => {
  const { t, manager, viewer } = await shop();
  const list = await call<Page>(url, "GET", "/api/v1/locations", { token: viewer });
  assert.equal(list.body.page.total, 1, "every shop starts with its default location");
  const main = list.body.data[0];
  assert.deepEqual([main.name, main.kind, main.is_default], ["Boutique principale", "shop", true]);
  const mainPath = `/api/v1/locations/${main.id}`;

  for (const [method, path] of [["DELETE", mainPath], ["DELETE", `${mainPath}?hard=true`]]) {
    const refused = await call<ErrorBody>(url, method, path, { token: manager });
    assert.equal(refused.status, 409, path);
    assert.equal(refused.body.error.code, "location_is_default");
    assert.match(refused.body.error.message, /par défaut/);
  }

  const depot = await call<Row>(url, "POST", "/api/v1/locations", {
    token: manager,
    body: { name: "Dépôt Thiaroye", kind: "warehouse", is_default: true },
  });
  assert.equal(depot.status, 201);
  assert.equal(depot.body.is_default, true);
  const defaults = async () =>
    (await sql<{ id: string }[]>`select id from public.locations
      where tenant_id = ${t.id} and is_default`).map((r) => r.id);
  assert.deepEqual(await defaults(), [depot.body.id]);

  const back = await call<Row>(url, "PATCH", mainPath, {
    token: manager,
    body: { is_default: true },
  });
  assert.deepEqual([back.status, back.body.is_default], [200, true]);
  assert.deepEqual(await defaults(), [main.id]);

  const archived = await call<Row>(url, "DELETE", `/api/v1/locations/${depot.body.id}`, {
    token: manager,
  });
  assert.equal(archived.status, 200);
  const archivedDefault = await call<ErrorBody>(
    url,
    "PATCH",
    `/api/v1/locations/${depot.body.id}`,
    { token: manager, body: { is_default: true } },
  );
  assert.equal(archivedDefault.status, 409);
  assert.equal(archivedDefault.body.error.code, "location_archived");
  assert.deepEqual(await defaults(), [main.id], "a refused change moves nothing");

  const warehouses = await call<Page>(
    url,
    "GET",
    "/api/v1/locations?kind=warehouse&archived=include",
    {
      token: viewer,
    },
  );
  assert.deepEqual(warehouses.body.data.map((r) => r.id), [depot.body.id]);

  await sql`delete from public.tenants where id = ${t.id}`;
  const [{ n }] =
    await sql`select count(*)::int as n from public.locations where tenant_id = ${t.id}`;
  assert.equal(n, 0, "deleting the shop still deletes its locations, default included");
});

Deno.test("categories: search ignores case and accents; sort by name with ties broken by id; pages", async () => {
  const { t, viewer } = await shop();
  for (const name of ["Épicerie", "boissons", "Hygiène", "Gros œuvre", "épices"]) {
    await createCategory(sql, t.id, { name });
  }
  const names = async (query: string) =>
    (await call<Page>(url, "GET", `/api/v1/categories?${query}`, { token: viewer })).body.data
      .map((r) => r.name);
  assert.deepEqual(await names(""), ["boissons", "Épicerie", "épices", "Gros œuvre", "Hygiène"]);
  assert.deepEqual(await names("sort=-name"), [
    "Hygiène",
    "Gros œuvre",
    "épices",
    "Épicerie",
    "boissons",
  ]);
  assert.deepEqual(await names(`q=${encodeURIComponent("EPIC")}`), ["Épicerie", "épices"]);
  assert.deepEqual(await names("q=oeuvre"), ["Gros œuvre"]);
  assert.deepEqual(await names(`q=${encodeURIComponent("hygiène")}`), ["Hygiène"]);
  const page = await call<Page>(url, "GET", "/api/v1/categories?limit=2&offset=2", {
    token: viewer,
  });
  assert.deepEqual(page.body.page, { limit: 2, offset: 2, total: 5 });
  assert.deepEqual(page.body.data.map((r) => r.name), ["épices", "Gros œuvre"]);
  const suppliers = await call<Page>(url, "GET", "/api/v1/suppliers?sort=-created_at", {
    token: viewer,
  });
  assert.deepEqual([suppliers.status, suppliers.body.data], [200, []]);
  const bad = await call<ErrorBody>(url, "GET", "/api/v1/categories?sort=sku&kind=shop", {
    token: viewer,
  });
  assert.deepEqual([bad.status, paths(bad.body)], [400, ["query", "query.sort"]]);
});

Deno.test("close the stack", async () => {
  await stack.close();
});
