-- Scheduled jobs: job_runs (columns, checks, RLS, closed to API roles, service_role
-- only), admin.job_runs, the one schedule (app.job_schedules), app.invoke_function
-- (validation, pg_notify where there is no pg_net) and — where pg_cron lives in this
-- database — the alerts-evaluate job registered in cron.job every 5 minutes.
begin;
select plan(25);
\ir helpers/tenancy_fixture.psql

-- ---------------------------------------------------------------------------
-- job_runs: shape and checks
-- ---------------------------------------------------------------------------
select has_table('public', 'job_runs', 'public.job_runs exists');
select columns_are('public', 'job_runs', array['id', 'job', 'trigger', 'status', 'started_at',
  'finished_at', 'tenants', 'alerts_opened', 'alerts_resolved', 'messages_queued',
  'messages_sent', 'errors', 'error', 'details'], 'job_runs has exactly its columns');
select col_is_pk('public', 'job_runs', 'id', 'job_runs: primary key id');
select col_type_is('public', 'job_runs', 'started_at', 'timestamp with time zone',
  'job_runs.started_at is a timestamptz');
select col_type_is('public', 'job_runs', 'details', 'jsonb', 'job_runs.details is jsonb');
select ok((select relrowsecurity from pg_class where oid = 'public.job_runs'::regclass),
  'job_runs has row level security enabled');
select policies_are('public', 'job_runs', array[]::name[],
  'job_runs has no policy: API roles never see it');
select throws_ok($$ insert into public.job_runs (job, trigger) values ('alerts-evaluate', 'pigeon') $$,
  '23514', null, 'trigger is one of cron, notify, in_process, manual, http');
select throws_ok($$ insert into public.job_runs (job, trigger, status)
    values ('alerts-evaluate', 'manual', 'succeeded') $$,
  '23514', null, 'a finished status needs finished_at');
select throws_ok($$ insert into public.job_runs (job, trigger) values ('Alerts Evaluate', 'manual') $$,
  '23514', null, 'job names are lowercase function names');

-- ---------------------------------------------------------------------------
-- Actors: nothing for anon and authenticated, everything for service_role
-- ---------------------------------------------------------------------------
select pg_temp.act_as('anon');
select throws_ok('select * from public.job_runs', '42501', null, 'anon cannot read job_runs');
select pg_temp.act_as('owner_a');
select throws_ok('select * from public.job_runs', '42501', null,
  'a tenant owner cannot read job_runs (not tenant data)');
select throws_ok($$ insert into public.job_runs (job, trigger) values ('alerts-evaluate', 'manual') $$,
  '42501', null, 'a tenant owner cannot write job_runs');
select throws_ok('select * from admin.job_runs', '42501', null,
  'a tenant owner cannot read admin.job_runs');
select throws_ok($$ select app.invoke_function('alerts-evaluate') $$, '42501', null,
  'a tenant owner cannot invoke a function from SQL');
select pg_temp.act_as('service_role');
select lives_ok($$ insert into public.job_runs (job, trigger) values ('alerts-evaluate', 'manual') $$,
  'service_role records a run');
select is((select count(*)::int from admin.job_runs where job = 'alerts-evaluate' and status = 'running'), 1,
  'service_role sees the run in admin.job_runs');
select ok((select duration_seconds >= 0 from admin.job_runs where job = 'alerts-evaluate'),
  'admin.job_runs shows a duration (so far, while running)');
reset role;

-- ---------------------------------------------------------------------------
-- The one schedule and app.invoke_function
-- ---------------------------------------------------------------------------
select results_eq($$ select job, schedule, command from app.job_schedules() $$,
  $$ values ('alerts-evaluate', '*/5 * * * *', 'select app.invoke_function(''alerts-evaluate'')'),
    ('maintenance', '17 3 * * *', 'select app.invoke_function(''maintenance'')') $$,
  'app.job_schedules(): alerts every 5 minutes and the daily maintenance, through app.invoke_function');
select throws_ok($$ select app.invoke_function('alerts-evaluate; drop table public.tenants') $$,
  'DG400', 'invalid_function_name', 'invoke_function refuses a name that is not ^[a-z0-9-]+$');
select throws_ok($$ select app.invoke_function(null) $$,
  'DG400', 'invalid_function_name', 'invoke_function refuses a null name');
-- No pg_net and no Vault secrets in the test database: the local path, pg_notify.
listen invoke_function;
select is(app.invoke_function('alerts-evaluate'), 'notify',
  'without pg_net and Vault secrets, invoke_function notifies channel invoke_function');
unlisten invoke_function;

-- ---------------------------------------------------------------------------
-- pg_cron registration
-- ---------------------------------------------------------------------------
-- pg_cron lives only in the database cron.database_name names (`postgres` on hosted
-- Supabase and in scripts/with_postgres.ts); scripts/pgtap.sh tests a fresh database,
-- where app.schedule_jobs() registers nothing and the last two checks are skipped. CI
-- runs this file again in the cron database, migrated, where they are real
-- (.ci/postgres_steps.sh); tests/jobs.test.ts proves the path pg_cron →
-- invoke_function → LISTEN → job_runs either way.
select is(app.schedule_jobs(),
  case when to_regclass('cron.job') is null then 0 else 2 end,
  'app.schedule_jobs() registers the two jobs where pg_cron exists, nothing elsewhere');
select case when to_regclass('cron.job') is null
  then skip('pg_cron is not installed in this database (only in cron.database_name)', 2)
  else collect_tap(
    results_eq($$ select schedule, command from cron.job where jobname = 'alerts-evaluate' $$,
      $$ values ('*/5 * * * *'::text, 'select app.invoke_function(''alerts-evaluate'')'::text) $$,
      'cron.job has alerts-evaluate every 5 minutes calling app.invoke_function'),
    results_eq($$ select count(*)::int from cron.job where jobname = 'alerts-evaluate' $$,
      $$ values (1) $$,
      'app.schedule_jobs() is idempotent: one alerts-evaluate job however often it runs'))
  end;

select * from finish();
rollback;
