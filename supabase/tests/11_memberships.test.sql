-- public.memberships per actor: members see their own row, owners see and manage
-- their tenant's people, nobody adds rows directly (invitations do), and a tenant
-- always keeps one owner (errcode DG409, message last_owner).
begin;
select plan(28);
\ir helpers/tenancy_fixture.psql

-- ---------------------------------------------------------------------------
-- Reading
-- ---------------------------------------------------------------------------
select pg_temp.act_as('anon');
select throws_ok('select * from public.memberships', '42501', null, 'anon cannot read memberships');

select pg_temp.act_as('viewer_a');
select results_eq('select tenant_id, user_id, role::text from public.memberships',
  $$ values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::uuid, 'a0000000-0000-4000-8000-000000000003'::uuid, 'viewer') $$,
  'viewer of A sees only their own membership');
select pg_temp.act_as('manager_a');
select results_eq('select user_id from public.memberships',
  $$ values ('a0000000-0000-4000-8000-000000000002'::uuid) $$,
  'manager of A sees only their own membership');
select pg_temp.act_as('owner_a');
select results_eq('select user_id, role::text from public.memberships order by user_id',
  $$ values ('a0000000-0000-4000-8000-000000000001'::uuid, 'owner'),
            ('a0000000-0000-4000-8000-000000000002'::uuid, 'manager'),
            ('a0000000-0000-4000-8000-000000000003'::uuid, 'viewer') $$,
  'owner of A sees every membership of A and none of B');
select pg_temp.act_as('owner_b');
select results_eq('select tenant_id, user_id from public.memberships',
  $$ values ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'::uuid, 'b0000000-0000-4000-8000-000000000001'::uuid) $$,
  'owner of B sees only B''s membership');
select pg_temp.act_as('outsider');
select is_empty('select * from public.memberships', 'a user without membership sees none');

-- ---------------------------------------------------------------------------
-- Nobody joins by writing the table (create_tenant / accept_invitation do)
-- ---------------------------------------------------------------------------
select throws_ok($$ insert into public.memberships (tenant_id, user_id, role)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001', 'owner') $$,
  '42501', null, 'an outsider cannot insert themselves into A');
select pg_temp.act_as('owner_a');
select throws_ok($$ insert into public.memberships (tenant_id, user_id, role)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'c0000000-0000-4000-8000-000000000001', 'viewer') $$,
  '42501', null, 'even an owner cannot insert memberships directly');
select throws_ok($$ update public.memberships set tenant_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'
    where user_id = 'a0000000-0000-4000-8000-000000000003' $$,
  '42501', null, 'an owner cannot move a membership to another tenant (only role is updatable)');

-- ---------------------------------------------------------------------------
-- Changing roles: owners of the tenant only
-- ---------------------------------------------------------------------------
select pg_temp.act_as('viewer_a');
select is_empty($$ update public.memberships set role = 'owner'
    where user_id = 'a0000000-0000-4000-8000-000000000003' returning role $$,
  'a viewer cannot promote themselves');
select pg_temp.act_as('manager_a');
select is_empty($$ update public.memberships set role = 'manager'
    where user_id = 'a0000000-0000-4000-8000-000000000003' returning role $$,
  'a manager cannot change a viewer''s role');
select is_empty($$ update public.memberships set role = 'owner'
    where user_id = 'a0000000-0000-4000-8000-000000000002' returning role $$,
  'a manager cannot promote themselves');
select pg_temp.act_as('owner_b');
select is_empty($$ update public.memberships set role = 'viewer'
    where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' returning user_id $$,
  'owner of B cannot change roles in A');
select is_empty($$ delete from public.memberships
    where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' returning user_id $$,
  'owner of B cannot remove members of A');
select pg_temp.act_as('viewer_a');
select is_empty($$ delete from public.memberships
    where user_id = 'a0000000-0000-4000-8000-000000000002' returning user_id $$,
  'a viewer cannot remove another member');

reset role;
select results_eq($$ select user_id, role::text from public.memberships
    where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' order by user_id $$,
  $$ values ('a0000000-0000-4000-8000-000000000001'::uuid, 'owner'),
            ('a0000000-0000-4000-8000-000000000002'::uuid, 'manager'),
            ('a0000000-0000-4000-8000-000000000003'::uuid, 'viewer') $$,
  'A''s memberships are untouched by the refused attempts');

select pg_temp.act_as('owner_a');
select results_eq($$ update public.memberships set role = 'manager'
    where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'
      and user_id = 'a0000000-0000-4000-8000-000000000003' returning role::text $$,
  $$ values ('manager') $$, 'owner of A promotes the viewer to manager');

-- ---------------------------------------------------------------------------
-- The last owner stays
-- ---------------------------------------------------------------------------
select throws_ok($$ update public.memberships set role = 'manager'
    where user_id = 'a0000000-0000-4000-8000-000000000001' $$,
  'DG409', 'last_owner', 'the last owner cannot demote themselves');
select throws_ok($$ delete from public.memberships
    where user_id = 'a0000000-0000-4000-8000-000000000001' $$,
  'DG409', 'last_owner', 'the last owner cannot leave');
select throws_ok($$ delete from public.memberships
    where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' $$,
  'DG409', 'last_owner', 'removing everyone at once is refused too (nothing removed)');

select results_eq($$ update public.memberships set role = 'owner'
    where user_id = 'a0000000-0000-4000-8000-000000000002' returning role::text $$,
  $$ values ('owner') $$, 'owner of A makes the manager a second owner');
select throws_ok($$ update public.memberships set role = 'viewer'
    where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' and role = 'owner' $$,
  'DG409', 'last_owner', 'demoting both owners in one statement is refused');
select lives_ok($$ update public.memberships set role = 'viewer'
    where user_id = 'a0000000-0000-4000-8000-000000000001' $$,
  'with a second owner, the first one may step down');
select results_eq('select user_id, role::text from public.memberships',
  $$ values ('a0000000-0000-4000-8000-000000000001'::uuid, 'viewer') $$,
  'stepped down to viewer, Awa now sees only her own membership');

select pg_temp.act_as('manager_a');  -- Moussa, now the only owner of A
select throws_ok($$ delete from public.memberships
    where user_id = 'a0000000-0000-4000-8000-000000000002' $$,
  'DG409', 'last_owner', 'the new last owner cannot leave either');

-- ---------------------------------------------------------------------------
-- Leaving and removing
-- ---------------------------------------------------------------------------
select pg_temp.act_as('viewer_a');
select results_eq($$ delete from public.memberships
    where user_id = 'a0000000-0000-4000-8000-000000000003' returning user_id $$,
  $$ values ('a0000000-0000-4000-8000-000000000003'::uuid) $$, 'a member may leave a tenant');
select pg_temp.act_as('manager_a');
select results_eq($$ delete from public.memberships
    where user_id = 'a0000000-0000-4000-8000-000000000001' returning user_id $$,
  $$ values ('a0000000-0000-4000-8000-000000000001'::uuid) $$, 'an owner removes a member');

-- ---------------------------------------------------------------------------
-- service_role sees everyone
-- ---------------------------------------------------------------------------
select pg_temp.act_as('service_role');
select results_eq($$ select tenant_id, user_id from public.memberships
    where tenant_id in ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb')
    order by tenant_id, user_id $$,
  $$ values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::uuid, 'a0000000-0000-4000-8000-000000000002'::uuid),
            ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'::uuid, 'b0000000-0000-4000-8000-000000000001'::uuid) $$,
  'service_role reads the memberships of every tenant');

select * from finish();
rollback;
