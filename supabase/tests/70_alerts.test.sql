-- Alerts and notifications per actor: the one-open-alert index is the deduplication;
-- members read their tenant's alerts and history, acknowledge (any member), snooze and
-- resolve (managers and owners) only through the functions; rules and recipients are
-- managers' business; the internal queue and the evaluation are out of users' reach;
-- the evaluation opens one alert per condition, keeps it on re-runs, writes the outbox
-- and broadcasts on the tenant's private topic.
begin;
select plan(47);
\ir helpers/tenancy_fixture.psql

insert into public.products (id, tenant_id, sku, name, reorder_point) values
  ('aaaa0001-0000-4000-8000-000000000001', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'RIZ-A', 'Riz A', 10),
  ('bbbb0001-0000-4000-8000-000000000001', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'RIZ-B', 'Riz B', 10);
insert into public.notification_recipients (id, tenant_id, display_name, phone_e164, opted_in) values
  ('aaaa0005-0000-4000-8000-000000000001', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Awa', '+221771234567', true),
  ('bbbb0005-0000-4000-8000-000000000001', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'Ibrahima', '+221761234567', true);

-- ---------------------------------------------------------------------------
-- Schema as designed
-- ---------------------------------------------------------------------------
select tables_are('public', array['alert_types', 'alert_rules', 'alerts', 'alert_events',
  'forecasts', 'alert_dirty_products', 'notification_settings', 'notification_recipients',
  'notification_outbox', 'inbound_messages'] || array(
    select c.relname::text from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relname not in ('alert_types',
      'alert_rules', 'alerts', 'alert_events', 'forecasts', 'alert_dirty_products',
      'notification_settings', 'notification_recipients', 'notification_outbox', 'inbound_messages')),
  'the alert and notification tables exist');
select is((select count(*)::int from public.alert_types), 4, 'four alert types, one row each');
select index_is_unique('public', 'alerts', 'alerts_one_open_key', 'the deduplication index is unique');
select is((select pg_get_expr(i.indpred, i.indrelid) from pg_index i
    where i.indexrelid = 'public.alerts_one_open_key'::regclass),
  '(status <> ''resolved''::alert_status)', 'and covers open alerts only');
select policies_are('public', 'alerts', array['alerts_select'], 'alerts: read only (functions write)');
select policies_are('public', 'alert_rules', array['alert_rules_select', 'alert_rules_insert',
  'alert_rules_update', 'alert_rules_delete'], 'alert_rules: managers write');
select policies_are('public', 'alert_dirty_products', array[]::name[],
  'alert_dirty_products: no policy (internal)');
select function_privs_are('app', 'evaluate_alerts', array['timestamp with time zone', 'boolean', 'bigint'],
  'authenticated', array[]::text[], 'users cannot run the evaluation');

-- ---------------------------------------------------------------------------
-- The evaluation: one alert per condition, kept by re-runs
-- ---------------------------------------------------------------------------
select is((select alerts_opened from app.evaluate_alerts(now(), false, null)), 2,
  'first run opens the two stock-outs (new products, never received)');
select is((select alerts_opened from app.evaluate_alerts(now() + interval '5 minutes', true, null)), 0,
  'a full re-run opens nothing new');
select is((select count(*)::int from public.alerts), 2, 'still two alerts');
select is((select last_seen_at = first_seen_at from public.alerts
    where product_id = 'aaaa0001-0000-4000-8000-000000000001'), true,
  'a re-run 5 minutes later does not rewrite an unchanged alert');
select is((select alerts_opened from app.evaluate_alerts(now() + interval '65 minutes', true, null)), 0,
  'nor does one an hour later open anything');
select is((select last_seen_at - first_seen_at from public.alerts
    where product_id = 'aaaa0001-0000-4000-8000-000000000001'), interval '65 minutes',
  'but it moves last_seen_at (at least hourly)');
select is((select count(*)::int from public.notification_outbox), 2, 'one message per tenant''s recipient');
select is((select count(*)::int from realtime.messages
    where topic = 'tenant:aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa:alerts' and event = 'alert_opened'),
  1, 'A''s alert broadcast once on A''s private topic');
select throws_ok($$ insert into public.alerts (tenant_id, alert_type, product_id, location_id,
    severity, first_seen_at, last_seen_at)
  select tenant_id, alert_type, product_id, location_id, severity, now(), now()
  from public.alerts where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' $$,
  '23505', null, 'a second open alert for the same key is refused');

-- ---------------------------------------------------------------------------
-- anon and strangers
-- ---------------------------------------------------------------------------
select pg_temp.act_as('anon');
select throws_ok('select * from public.alerts', '42501', null, 'anon cannot read alerts');
select throws_ok('select * from public.notification_recipients', '42501', null,
  'anon cannot read recipients');
select pg_temp.act_as('outsider');
select is((select count(*)::int from public.alerts), 0, 'a user without tenant sees no alert');

-- ---------------------------------------------------------------------------
-- Viewers read and acknowledge; they do not resolve, snooze or configure
-- ---------------------------------------------------------------------------
select pg_temp.act_as('viewer_a');
select is((select count(*)::int from public.alerts), 1, 'viewer of A sees A''s alert only');
select is((select count(*)::int from public.alert_types), 4, 'and the alert types');
select is((select count(*)::int from public.notification_recipients), 0,
  'but not the recipients'' phone numbers');
select throws_ok('select * from public.alert_dirty_products', '42501', null,
  'nor the internal queue');
select throws_ok($$ select app.evaluate_alerts(now(), false, null) $$, '42501', null,
  'nor run the evaluation');
select lives_ok($$ select public.acknowledge_alert((select id from public.alerts limit 1), 'vu') $$,
  'viewer acknowledges');
select throws_ok($$ select public.resolve_alert((select id from public.alerts limit 1)) $$,
  'DG403', null, 'viewer cannot resolve');
select throws_ok($$ insert into public.alert_rules (tenant_id, alert_type, enabled)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'low_stock', false) $$,
  '42501', null, 'viewer cannot write rules');
select throws_ok($$ update public.alerts set status = 'resolved' $$, '42501', null,
  'nobody changes an alert row by hand');

-- ---------------------------------------------------------------------------
-- Managers snooze, resolve and configure their tenant only
-- ---------------------------------------------------------------------------
select pg_temp.act_as('manager_a');
select lives_ok($$ select public.snooze_alert((select id from public.alerts limit 1),
    now() + interval '2 hours', 'livraison demain') $$, 'manager snoozes');
select throws_ok($$ select public.snooze_alert((select id from public.alerts limit 1),
    now() - interval '1 hour') $$, 'DG422', null, 'a snooze ending in the past is refused');
select lives_ok($$ select public.resolve_alert((select id from public.alerts limit 1), 'compté') $$,
  'manager resolves');
select throws_ok($$ select public.acknowledge_alert((select id from public.alerts limit 1)) $$,
  'DG409', null, 'a resolved alert cannot be acknowledged');
select lives_ok($$ insert into public.alert_rules (tenant_id, alert_type, params)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'fill_rate_drop', '{"threshold": 0.8}') $$,
  'manager writes a rule for A');
select throws_ok($$ insert into public.alert_rules (tenant_id, alert_type)
    values ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'low_stock') $$,
  '42501', null, 'but not for B');
select is((select count(*)::int from public.notification_recipients), 1,
  'manager reads A''s recipients only');
select is((select array_agg(event order by id) from public.alert_events),
  array['opened', 'acknowledged', 'snoozed', 'resolved'], 'every state change is in the history');

-- ---------------------------------------------------------------------------
-- Another tenant's owner cannot touch A's alert
-- ---------------------------------------------------------------------------
reset role;
insert into public.alerts (tenant_id, alert_type, product_id, location_id, severity, first_seen_at,
  last_seen_at)
select tenant_id, alert_type, product_id, location_id, severity, now(), now()
from public.alerts where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
select is((select count(*)::int from public.alerts where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'
    and status <> 'resolved'), 1, 'after resolution, a re-occurrence is a new open alert');
select max(id) as a_alert from public.alerts where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' \gset
select pg_temp.act_as('owner_b');
select throws_ok(format($$ select public.acknowledge_alert(%s) $$, :a_alert),
  'DG404', null, 'owner of B acknowledging A''s alert: not found');
select is((select count(*)::int from public.notification_outbox
    where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'), 0, 'owner of B sees none of A''s messages');

-- ---------------------------------------------------------------------------
-- Service role: history stays append-only
-- ---------------------------------------------------------------------------
select pg_temp.act_as('service_role');
select throws_ok($$ update public.alert_events set event = 'opened' $$, '42501', null,
  'the history is never rewritten');
select throws_ok($$ delete from public.alert_events $$, '42501', null, 'nor deleted');
reset role;
select throws_ok($$ insert into public.alert_rules (tenant_id, alert_type, params)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'low_stock', '{"window_days": 3}') $$,
  'DG422', null, 'a param of another type is refused');
select throws_ok($$ insert into public.notification_recipients (tenant_id, display_name, phone_e164)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'X', '0771234567') $$,
  '23514', null, 'a number not in E.164 is refused');

-- A recipient's account must be a member of the tenant; leaving unlinks it.
select lives_ok($$ insert into public.notification_recipients (tenant_id, user_id, display_name, phone_e164)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'a0000000-0000-4000-8000-000000000003', 'Fatou', '+221775550001') $$,
  'a member of A linked to a recipient of A');
select throws_ok($$ insert into public.notification_recipients (tenant_id, user_id, display_name, phone_e164)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'b0000000-0000-4000-8000-000000000001', 'Ibrahima', '+221775550002') $$,
  '23503', null, 'a user of another tenant cannot be linked');
delete from public.memberships where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'
  and user_id = 'a0000000-0000-4000-8000-000000000003';
select is((select user_id from public.notification_recipients where phone_e164 = '+221775550001'),
  null, 'leaving the tenant unlinks the recipient (kept, without account)');

select * from finish();
rollback;
