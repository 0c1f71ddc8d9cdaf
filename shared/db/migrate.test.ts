import assert from "node:assert/strict";
import { openDatabase } from "./client.ts";
import { migrate, MigrationChecksumError, readMigrations } from "./migrate.ts";

Deno.test("migrate() applies each migration once, in order, and refuses an edited one", async () => {
  const db = await openDatabase({
    databaseUrl: undefined,
    pgliteDataDir: "memory://",
    databasePoolMax: 1,
  });
  const dir = await Deno.makeTempDir();
  try {
    const real = await readMigrations();
    assert.ok(real.length >= 2);
    assert.deepEqual(real.map((m) => m.version), [...real.map((m) => m.version)].sort());

    const migrations = new URL(`file://${dir}/`);
    await Deno.writeTextFile(
      `${dir}/20260101000000_first.sql`,
      "create table public.t_first (id int);",
    );
    await Deno.writeTextFile(
      `${dir}/20260102000000_second.sql`,
      "insert into public.t_first values (1);",
    );
    await Deno.writeTextFile(`${dir}/notes.txt`, "ignored");
    assert.deepEqual(await migrate(db.sql, { dir: migrations }), [
      "20260101000000_first.sql",
      "20260102000000_second.sql",
    ]);
    assert.deepEqual(await migrate(db.sql, { dir: migrations }), [], "nothing twice");
    const [{ n }] = await db.sql`select count(*)::int as n from public.t_first`;
    assert.equal(n, 1);

    await Deno.writeTextFile(
      `${dir}/20260102000000_second.sql`,
      "insert into public.t_first values (2);",
    );
    await assert.rejects(
      () => migrate(db.sql, { dir: migrations }),
      (error: Error) =>
        error instanceof MigrationChecksumError &&
        /20260102000000_second\.sql was changed/.test(error.message),
    );

    await Deno.writeTextFile(
      `${dir}/20260102000000_second.sql`,
      "insert into public.t_first values (1);",
    );
    await Deno.writeTextFile(
      `${dir}/20260103000000_broken.sql`,
      "insert into public.t_first values (3); select nope;",
    );
    await assert.rejects(() => migrate(db.sql, { dir: migrations }));
    const [{ m }] = await db.sql`select count(*)::int as m from public.t_first`;
    assert.equal(m, 1, "a failing migration leaves nothing half-applied");
    const [{ recorded }] = await db
      .sql`select count(*)::int as recorded from app.schema_migrations`;
    assert.equal(recorded, 2);
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the shim is idempotent and auth.uid() is null without claims", async () => {
  const db = await openDatabase({
    databaseUrl: undefined,
    pgliteDataDir: "memory://",
    databasePoolMax: 1,
  });
  try {
    await migrate(db.sql);
    await migrate(db.sql);
    const [row] = await db.sql`select auth.uid() as uid, auth.jwt() as jwt, auth.role() as role`;
    assert.deepEqual(row, { uid: null, jwt: null, role: null });
    const claims = JSON.stringify({
      sub: "a0000000-0000-4000-8000-000000000001",
      role: "authenticated",
    });
    const [set] = await db.sql.begin(async (tx) => {
      await tx`select set_config('request.jwt.claims', ${claims}, true)`;
      return await tx`select auth.uid()::text as uid, auth.role() as role, auth.jwt() ->> 'sub' as sub`;
    });
    assert.deepEqual(set, {
      uid: "a0000000-0000-4000-8000-000000000001",
      role: "authenticated",
      sub: "a0000000-0000-4000-8000-000000000001",
    });
    const roles = await db.sql`select rolname, rolbypassrls from pg_roles
      where rolname in ('anon', 'authenticated', 'service_role', 'supabase_auth_admin') order by rolname`;
    assert.deepEqual(roles.map((r) => [r.rolname, r.rolbypassrls]), [
      ["anon", false],
      ["authenticated", false],
      ["service_role", true],
      ["supabase_auth_admin", false],
    ]);
  } finally {
    await db.close();
  }
});
