-- public.custom_access_token_hook: Supabase Auth calls it as supabase_auth_admin to
-- add tenant_id and tenant_role to every access token. Only that role may run it;
-- it keeps every other claim and drops stale tenant claims of non-members.
begin;
select plan(19);
\ir helpers/tenancy_fixture.psql

-- The event Supabase Auth sends (trimmed to what matters here) for a user.
create function pg_temp.token_event(p_user uuid, extra_claims jsonb default '{}') returns jsonb
language sql as $$
  select jsonb_build_object(
    'user_id', p_user,
    'authentication_method', 'password',
    'claims', jsonb_build_object(
      'sub', p_user, 'aud', 'authenticated', 'role', 'authenticated',
      'email', 'someone@test.digiboost.sn', 'session_id', 'd0000000-0000-4000-8000-000000000001'
    ) || extra_claims
  )
$$;

-- ---------------------------------------------------------------------------
-- Signature and privileges
-- ---------------------------------------------------------------------------
select has_function('public', 'custom_access_token_hook', array['jsonb'], 'the hook exists');
select function_returns('public', 'custom_access_token_hook', array['jsonb'], 'jsonb',
  'the hook returns jsonb');
select function_privs_are('public', 'custom_access_token_hook', array['jsonb'], 'supabase_auth_admin',
  array['EXECUTE'], 'supabase_auth_admin may execute the hook');
select function_privs_are('public', 'custom_access_token_hook', array['jsonb'], 'authenticated',
  array[]::text[], 'authenticated may not execute the hook');
select function_privs_are('public', 'custom_access_token_hook', array['jsonb'], 'anon',
  array[]::text[], 'anon may not execute the hook');

select pg_temp.act_as('owner_a');
select throws_ok($$ select public.custom_access_token_hook(pg_temp.token_event('a0000000-0000-4000-8000-000000000001')) $$,
  '42501', null, 'a signed-in user calling the hook is refused');
select pg_temp.act_as('anon');
select throws_ok($$ select public.custom_access_token_hook(pg_temp.token_event('a0000000-0000-4000-8000-000000000001')) $$,
  '42501', null, 'anon calling the hook is refused');

-- ---------------------------------------------------------------------------
-- What it adds, run as Supabase Auth runs it
-- ---------------------------------------------------------------------------
reset role;
set local role supabase_auth_admin;

select is(public.custom_access_token_hook(pg_temp.token_event('a0000000-0000-4000-8000-000000000001')) -> 'claims'
    -> 'tenant_id', to_jsonb('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::text),
  'owner of A gets tenant_id A');
select is(public.custom_access_token_hook(pg_temp.token_event('a0000000-0000-4000-8000-000000000001')) -> 'claims'
    ->> 'tenant_role', 'owner', 'owner of A gets tenant_role owner');
select is(public.custom_access_token_hook(pg_temp.token_event('a0000000-0000-4000-8000-000000000002')) -> 'claims'
    ->> 'tenant_role', 'manager', 'manager of A gets tenant_role manager');
select is(public.custom_access_token_hook(pg_temp.token_event('a0000000-0000-4000-8000-000000000003')) -> 'claims'
    ->> 'tenant_role', 'viewer', 'viewer of A gets tenant_role viewer');
select is(public.custom_access_token_hook(pg_temp.token_event('b0000000-0000-4000-8000-000000000001')) -> 'claims'
    ->> 'tenant_id', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'owner of B gets tenant_id B');

select is(
  public.custom_access_token_hook(pg_temp.token_event('a0000000-0000-4000-8000-000000000003')) - 'claims',
  pg_temp.token_event('a0000000-0000-4000-8000-000000000003') - 'claims',
  'the rest of the event comes back unchanged');
select is(
  (public.custom_access_token_hook(pg_temp.token_event('a0000000-0000-4000-8000-000000000003')) -> 'claims')
    - 'tenant_id' - 'tenant_role',
  pg_temp.token_event('a0000000-0000-4000-8000-000000000003') -> 'claims',
  'every other claim is kept as Supabase Auth sent it');

select ok(
  not (public.custom_access_token_hook(pg_temp.token_event('c0000000-0000-4000-8000-000000000001')) -> 'claims'
    ?| array['tenant_id', 'tenant_role']),
  'a user without membership gets no tenant claims');
select ok(
  not (public.custom_access_token_hook(pg_temp.token_event('c0000000-0000-4000-8000-000000000001',
      '{"tenant_id": "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa", "tenant_role": "owner"}')) -> 'claims'
    ?| array['tenant_id', 'tenant_role']),
  'stale tenant claims of a non-member are removed');

-- A user in two tenants gets the membership they joined first.
reset role;
insert into public.memberships (tenant_id, user_id, role)
values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'b0000000-0000-4000-8000-000000000001', 'viewer');
set local role supabase_auth_admin;
select is(public.custom_access_token_hook(pg_temp.token_event('b0000000-0000-4000-8000-000000000001')) -> 'claims'
    ->> 'tenant_id', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
  'a member of two tenants gets the one joined first (B)');

-- supabase_auth_admin reads memberships (for the hook) and nothing else of the tenancy.
select lives_ok('select count(*) from public.memberships', 'supabase_auth_admin reads memberships');
select throws_ok('select * from public.tenants', '42501', null,
  'supabase_auth_admin cannot read tenants');

select * from finish();
rollback;
