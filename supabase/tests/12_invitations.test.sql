-- public.invitations per actor and the invitation RPCs: owners alone see, send and
-- revoke their tenant's invitations; an invitation is accepted once, before it
-- expires, by the invited address only (errcodes DG403/DG404/DG409/DG422).
begin;
select plan(33);
\ir helpers/tenancy_fixture.psql

-- ---------------------------------------------------------------------------
-- anon
-- ---------------------------------------------------------------------------
select pg_temp.act_as('anon');
select throws_ok('select * from public.invitations', '42501', null, 'anon cannot read invitations');
select throws_ok($$ select * from public.accept_invitation('tok-a-pending') $$, '42501', null,
  'anon cannot call accept_invitation');
select throws_ok($$ select * from public.create_invitation('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'x@test.digiboost.sn') $$,
  '42501', null, 'anon cannot call create_invitation');

-- ---------------------------------------------------------------------------
-- Reading: owners only, their own tenant only
-- ---------------------------------------------------------------------------
select pg_temp.act_as('owner_a');
select results_eq('select id from public.invitations order by id',
  $$ values ('aaaaaaaa-0000-4000-8000-000000000001'::uuid), ('aaaaaaaa-0000-4000-8000-000000000002'::uuid),
            ('aaaaaaaa-0000-4000-8000-000000000003'::uuid), ('aaaaaaaa-0000-4000-8000-000000000004'::uuid) $$,
  'owner of A sees A''s invitations, none of B');
select pg_temp.act_as('owner_b');
select results_eq('select id from public.invitations',
  $$ values ('bbbbbbbb-0000-4000-8000-000000000001'::uuid) $$, 'owner of B sees only B''s invitation');
select pg_temp.act_as('manager_a');
select is_empty('select * from public.invitations', 'a manager sees no invitation');
select pg_temp.act_as('viewer_a');
select is_empty('select * from public.invitations', 'a viewer sees no invitation');
select pg_temp.act_as('invitee');
select is_empty('select * from public.invitations', 'the invitee cannot list invitations either');

-- ---------------------------------------------------------------------------
-- Writing the table: owners revoke (revoked_at only); no direct insert or delete
-- ---------------------------------------------------------------------------
select pg_temp.act_as('owner_a');
select throws_ok($$ insert into public.invitations (tenant_id, email, token_hash)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'x@test.digiboost.sn', 'x') $$,
  '42501', null, 'no direct insert into invitations (create_invitation does it)');
select throws_ok($$ delete from public.invitations $$, '42501', null, 'no delete on invitations');
select throws_ok($$ update public.invitations set role = 'owner' $$, '42501', null,
  'an owner cannot rewrite an invitation''s role (only revoked_at is updatable)');
select pg_temp.act_as('manager_a');
select is_empty($$ update public.invitations set revoked_at = now() returning id $$,
  'a manager cannot revoke invitations');
select pg_temp.act_as('owner_b');
select is_empty($$ update public.invitations set revoked_at = now()
    where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' returning id $$,
  'owner of B cannot revoke A''s invitations');
select pg_temp.act_as('owner_a');
select results_eq($$ update public.invitations set revoked_at = now()
    where id = 'aaaaaaaa-0000-4000-8000-000000000003' returning id $$,
  $$ values ('aaaaaaaa-0000-4000-8000-000000000003'::uuid) $$, 'owner of A revokes an invitation of A');

-- ---------------------------------------------------------------------------
-- create_invitation: owners of the tenant only
-- ---------------------------------------------------------------------------
select pg_temp.act_as('manager_a');
select throws_ok($$ select * from public.create_invitation('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'x@test.digiboost.sn') $$,
  'DG403', 'forbidden', 'a manager cannot invite');
select pg_temp.act_as('viewer_a');
select throws_ok($$ select * from public.create_invitation('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'x@test.digiboost.sn') $$,
  'DG403', 'forbidden', 'a viewer cannot invite');
select pg_temp.act_as('owner_b');
select throws_ok($$ select * from public.create_invitation('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'x@test.digiboost.sn', 'owner') $$,
  'DG403', 'forbidden', 'owner of B cannot invite into A');
select pg_temp.act_as('owner_a');
select throws_ok($$ select * from public.create_invitation('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'x@test.digiboost.sn', 'viewer', interval '31 days') $$,
  'DG422', 'invalid_validity', 'an invitation valid for more than 30 days is refused');

-- Awa invites Khady (the outsider); the token is returned once, kept in :khady_token.
select token as khady_token, expires_at - now() as khady_validity
from public.create_invitation('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', '  Khady@Test.Digiboost.SN ', 'viewer') \gset
select matches(:'khady_token'::text, '^[0-9a-f]{64}$', 'create_invitation returns a 64-hex-digit token');
select is(:'khady_validity'::interval, interval '7 days', 'invitations are valid 7 days by default');
select results_eq($$ select email, role::text, invited_by from public.invitations
    where email like 'khady%' $$,
  $$ values ('khady@test.digiboost.sn', 'viewer', 'a0000000-0000-4000-8000-000000000001'::uuid) $$,
  'the invitation stores the trimmed lower-case address, the role and who invited');
select is_empty(format($$ select 1 from public.invitations where token_hash = %L $$, :'khady_token'),
  'the token itself is not stored, only its hash');

-- ---------------------------------------------------------------------------
-- accept_invitation: once, before expiry, by the invited address
-- ---------------------------------------------------------------------------
select pg_temp.act_as('invitee');  -- Ousmane, auth e-mail in mixed case
select results_eq($$ select tenant_id, user_id, role::text from public.accept_invitation('tok-a-pending') $$,
  $$ values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::uuid, 'c0000000-0000-4000-8000-000000000002'::uuid, 'manager') $$,
  'the invitee accepts and becomes a manager of A (e-mail compared case-insensitively)');
select results_eq('select id from public.tenants',
  $$ values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'::uuid) $$, 'the new member now sees tenant A');
select throws_ok($$ select * from public.accept_invitation('tok-a-pending') $$,
  'DG409', 'invitation_already_used', 'an invitation is accepted only once');
select throws_ok($$ select * from public.accept_invitation('tok-a-expired') $$,
  'DG409', 'invitation_expired', 'an expired invitation cannot be accepted');
select throws_ok($$ select * from public.accept_invitation('tok-a-revoked') $$,
  'DG404', 'invitation_not_found', 'a revoked invitation cannot be accepted');
select throws_ok($$ select * from public.accept_invitation('tok-a-other-email') $$,
  'DG404', 'invitation_not_found', 'the invitation revoked above cannot be accepted');
select throws_ok($$ select * from public.accept_invitation('no-such-token') $$,
  'DG404', 'invitation_not_found', 'an unknown token is DG404');

select pg_temp.act_as('outsider');  -- Khady
select throws_ok($$ select * from public.accept_invitation('tok-b-pending') $$,
  'DG403', 'invitation_email_mismatch', 'an invitation addressed to someone else is refused');
select results_eq(format($$ select role::text from public.accept_invitation(%L) $$, :'khady_token'),
  $$ values ('viewer') $$, 'Khady accepts the invitation created for her');

select pg_temp.act_as('owner_a');
select token as fatou_token
from public.create_invitation('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'fatou@test.digiboost.sn', 'manager') \gset
select pg_temp.act_as('viewer_a');
select throws_ok(format($$ select * from public.accept_invitation(%L) $$, :'fatou_token'),
  'DG409', 'already_member', 'a member cannot accept an invitation to a tenant they are in');

reset role;
select results_eq($$ select accepted_by from public.invitations where id = 'aaaaaaaa-0000-4000-8000-000000000001' $$,
  $$ values ('c0000000-0000-4000-8000-000000000002'::uuid) $$, 'the accepted invitation records who accepted it');

select * from finish();
rollback;
