-- The helpers every tenant-table policy builds on (schema app): the current tenant
-- comes from the tenant_id claim only when the caller is a member of it, and the
-- role from memberships, never from the token. Also public.tenant_members (owners).
begin;
select plan(16);
\ir helpers/tenancy_fixture.psql

select pg_temp.act_as('viewer_a');
select is(app.current_tenant_id(), 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::uuid,
  'current_tenant_id() is the claimed tenant when the caller is a member');
select is(app.current_tenant_role()::text, 'viewer', 'current_tenant_role() reads memberships');
select ok(app.has_current_role('viewer') and not app.has_current_role('manager'),
  'has_current_role(): a viewer is at least viewer, not manager');

select pg_temp.act_as('viewer_a', '{"tenant_role": "owner"}');
select is(app.current_tenant_role()::text, 'viewer', 'a tenant_role claim of owner changes nothing');

select pg_temp.act_as('viewer_a', '{"tenant_id": "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"}');
select is(app.current_tenant_id(), null, 'a tenant_id claim naming a tenant the caller is not in gives null');
select ok(not app.has_current_role('viewer'), 'and no role at all');

select pg_temp.act_as('viewer_a', '{"tenant_id": "not-a-uuid"}');
select is(app.current_tenant_id(), null, 'a malformed tenant_id claim gives null, not an error');
select pg_temp.act_as('viewer_a', '{"tenant_id": null}');
select is(app.current_tenant_id(), null, 'no tenant_id claim gives null');

select pg_temp.act_as('manager_a');
select ok(app.has_current_role('manager') and not app.has_current_role('owner'),
  'has_current_role(): a manager is at least manager, not owner');
select ok(app.has_role_on_tenant('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'viewer')
    and not app.has_role_on_tenant('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'viewer'),
  'has_role_on_tenant(): true on A, false on B for A''s manager');

select pg_temp.act_as('anon');
select throws_ok('select app.current_tenant_id()', '42501', null, 'anon cannot use schema app');

-- tenant_members: owners list their tenant's people with e-mails.
select pg_temp.act_as('owner_a');
select results_eq('select email, role::text from public.tenant_members(''aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'')',
  $$ values ('awa@test.digiboost.sn', 'owner'), ('moussa@test.digiboost.sn', 'manager'),
            ('fatou@test.digiboost.sn', 'viewer') $$,
  'tenant_members(): owner of A lists A''s members in joining order');
select throws_ok($$ select * from public.tenant_members('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb') $$,
  'DG403', 'forbidden', 'tenant_members(): owner of A cannot list B');
select pg_temp.act_as('manager_a');
select throws_ok($$ select * from public.tenant_members('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa') $$,
  'DG403', 'forbidden', 'tenant_members(): a manager cannot list members');
select pg_temp.act_as('viewer_a');
select throws_ok($$ select * from public.tenant_members('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa') $$,
  'DG403', 'forbidden', 'tenant_members(): a viewer cannot list members');
select pg_temp.act_as('anon');
select throws_ok($$ select * from public.tenant_members('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa') $$,
  '42501', null, 'tenant_members(): anon cannot call it');

select * from finish();
rollback;
