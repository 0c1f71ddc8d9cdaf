-- public.tenants per actor: members read their own shops only, owners alone rename
-- them, nobody writes rows directly (create_tenant does), and tenant B stays out of
-- reach of tenant A's people whatever their token claims.
begin;
select plan(26);
\ir helpers/tenancy_fixture.psql

-- ---------------------------------------------------------------------------
-- anon
-- ---------------------------------------------------------------------------
select pg_temp.act_as('anon');
select throws_ok('select * from public.tenants', '42501', null, 'anon cannot read tenants');
select throws_ok($$ select public.create_tenant('Boutique anonyme') $$, '42501', null,
  'anon cannot call create_tenant');

-- ---------------------------------------------------------------------------
-- Reading: each member sees exactly the tenants they belong to
-- ---------------------------------------------------------------------------
select pg_temp.act_as('owner_a');
select results_eq('select id from public.tenants',
  $$ values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::uuid) $$, 'owner of A sees only A');
select pg_temp.act_as('manager_a');
select results_eq('select id from public.tenants',
  $$ values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::uuid) $$, 'manager of A sees only A');
select pg_temp.act_as('viewer_a');
select results_eq('select id from public.tenants',
  $$ values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::uuid) $$, 'viewer of A sees only A');
select pg_temp.act_as('owner_b');
select results_eq('select id from public.tenants',
  $$ values ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'::uuid) $$, 'owner of B sees only B');
select pg_temp.act_as('outsider');
select is_empty('select id from public.tenants', 'a user without membership sees no tenant');

-- A forged tenant_id claim naming B gives A's viewer nothing of B.
select pg_temp.act_as('viewer_a', '{"tenant_id": "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"}');
select is_empty($$ select id from public.tenants where id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' $$,
  'a tenant_id claim naming B does not reveal B to A''s viewer');

-- ---------------------------------------------------------------------------
-- Writing: only owners rename, only their own tenant, only the allowed columns
-- ---------------------------------------------------------------------------
select pg_temp.act_as('viewer_a');
select is_empty($$ update public.tenants set name = 'Piratée' where id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' returning id $$,
  'viewer of A cannot rename A');
select pg_temp.act_as('manager_a');
select is_empty($$ update public.tenants set name = 'Piratée' where id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' returning id $$,
  'manager of A cannot rename A');
select pg_temp.act_as('owner_b');
select is_empty($$ update public.tenants set name = 'Piratée' where id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' returning id $$,
  'owner of B cannot rename A');
select pg_temp.act_as('owner_a');
select is_empty($$ update public.tenants set name = 'Piratée' where id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' returning id $$,
  'owner of A cannot rename B');
select results_eq(
  $$ update public.tenants set name = 'Boutique Sandaga — Chez Awa', settings = '{"allow_negative_stock": true}'
     where id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' returning name $$,
  $$ values ('Boutique Sandaga — Chez Awa') $$, 'owner of A renames A and changes its settings');
select throws_ok($$ update public.tenants set name = '  ' where id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' $$,
  '23514', null, 'a blank tenant name is refused');
select throws_ok($$ update public.tenants set created_by = 'a0000000-0000-4000-8000-000000000002' $$,
  '42501', null, 'owner cannot rewrite created_by (column not granted)');
select throws_ok($$ insert into public.tenants (name) values ('Boutique directe') $$,
  '42501', null, 'no direct insert into tenants (create_tenant does it)');
select throws_ok($$ delete from public.tenants where id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' $$,
  '42501', null, 'owner cannot delete a tenant through the API');

reset role;
select is((select name from public.tenants where id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'),
  'Quincaillerie Thiès (test B)', 'B kept its name through all of that');

-- ---------------------------------------------------------------------------
-- create_tenant: any signed-in user, who becomes the owner
-- ---------------------------------------------------------------------------
select pg_temp.act_as('outsider');
select results_eq($$ select name, currency, created_by from public.create_tenant('  Boutique Khady  ') $$,
  $$ values ('Boutique Khady', 'XOF', 'c0000000-0000-4000-8000-000000000001'::uuid) $$,
  'create_tenant trims the name, defaults to XOF and records the creator');
select results_eq($$ select t.name, m.role::text from public.tenants t join public.memberships m on m.tenant_id = t.id $$,
  $$ values ('Boutique Khady', 'owner') $$, 'the creator sees the new tenant and owns it');
select pg_temp.act_as('outsider', '{"sub": null}');
select throws_ok($$ select public.create_tenant('Sans utilisateur') $$, 'DG401', 'unauthenticated',
  'create_tenant without a user (no sub claim) is DG401');

-- ---------------------------------------------------------------------------
-- service_role bypasses RLS (server-side jobs filter by tenant themselves)
-- ---------------------------------------------------------------------------
select pg_temp.act_as('service_role');
select results_eq($$ select count(*)::int from public.tenants
    where id in ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb') $$,
  array[2], 'service_role reads every tenant');
select lives_ok($$ delete from public.tenants where id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' $$,
  'deleting a tenant is not blocked by the last-owner rule');
select is_empty($$ select 1 from public.memberships where tenant_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' $$,
  'its memberships go with it');
select is_empty($$ select 1 from public.invitations where tenant_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' $$,
  'its invitations go with it');

reset role;
select is((select name from public.tenants where id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'),
  'Boutique Sandaga — Chez Awa', 'A carries only its owner''s rename');

select * from finish();
rollback;
