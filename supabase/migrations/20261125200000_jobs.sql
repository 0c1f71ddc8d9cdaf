-- Scheduled jobs: the one schedule (app.job_schedules), how a job is reached
-- (app.invoke_function), its registration in pg_cron (app.schedule_jobs) and the record of
-- every run (public.job_runs, admin.job_runs). See docs/scheduling.md.
--
-- pg_cron owns the schedule wherever it exists in this database (hosted Supabase: the
-- `postgres` database); elsewhere (PGlite, a database that is not cron.database_name) this
-- migration registers nothing and still succeeds: the local server runs the same
-- schedule in-process on PGlite, and an operator registers it from the cron database on
-- a local Postgres (docs/scheduling.md).
--
-- Sections: extensions · table · view · functions · registration · grants · comments.

-- ===========================================================================
-- Extensions (where available and allowed; never required)
-- ===========================================================================
do $$
begin
  -- pg_cron can only be created in cron.database_name and when preloaded; pg_net only
  -- where installed (hosted Supabase). Any refusal leaves the database as it was.
  if exists (select 1 from pg_available_extensions where name = 'pg_cron')
    and current_database() = coalesce(current_setting('cron.database_name', true), 'postgres')
  then
    begin
      create extension if not exists pg_cron;
    exception when others then
      raise notice 'jobs: pg_cron not enabled here (%)', sqlerrm;
    end;
  end if;
  if exists (select 1 from pg_available_extensions where name = 'pg_net') then
    begin
      create extension if not exists pg_net;
    exception when others then
      raise notice 'jobs: pg_net not enabled here (%)', sqlerrm;
    end;
  end if;
end
$$;

-- ===========================================================================
-- Table
-- ===========================================================================
create table public.job_runs (
  id bigint generated always as identity primary key,
  job text not null check (job ~ '^[a-z0-9-]+$'),
  trigger text not null check (trigger in ('cron', 'notify', 'in_process', 'manual', 'http')),
  status text not null default 'running'
    check (status in ('running', 'succeeded', 'failed', 'skipped')),
  started_at timestamptz not null default clock_timestamp(),
  finished_at timestamptz,
  tenants integer not null default 0,
  alerts_opened integer not null default 0,
  alerts_resolved integer not null default 0,
  messages_queued integer not null default 0,
  messages_sent integer not null default 0,
  errors integer not null default 0,
  error text,
  details jsonb not null default '{}'::jsonb,
  check ((status = 'running') = (finished_at is null))
);
create index job_runs_job_started_idx on public.job_runs (job, started_at desc);
alter table public.job_runs enable row level security;

-- ===========================================================================
-- View
-- ===========================================================================

-- Runs of the last 30 days, newest first, with their duration.
create view admin.job_runs as
select
  r.id,
  r.job,
  r.trigger,
  r.status,
  r.started_at,
  r.finished_at,
  round(extract(epoch from (coalesce(r.finished_at, clock_timestamp()) - r.started_at))::numeric, 3)
    as duration_seconds,
  r.tenants,
  r.alerts_opened,
  r.alerts_resolved,
  r.messages_queued,
  r.messages_sent,
  r.errors,
  r.error,
  r.details
from public.job_runs r
where r.started_at > now() - interval '30 days'
order by r.started_at desc, r.id desc;

-- ===========================================================================
-- Functions
-- ===========================================================================

-- The one schedule: job name, cron expression (5 fields, UTC) and the SQL pg_cron runs.
-- Read by app.schedule_jobs() and by the local server's in-process scheduler (PGlite).
create function app.job_schedules()
returns table (job text, schedule text, command text)
language sql immutable set search_path = '' as $$
  select s.job, s.schedule, format('select app.invoke_function(%L)', s.job)
  from (values
    ('alerts-evaluate', '*/5 * * * *'),
    -- Daily housekeeping at 03:17 UTC (= Dakar time), off the 5-minute marks.
    ('maintenance', '17 3 * * *')
  ) as s (job, schedule)
$$;

-- Reaches the Edge Function `name`: over pg_net with the project URL and service key
-- from Vault (hosted Supabase), else with pg_notify('invoke_function', name), which the
-- local server LISTENs for. Returns the path taken: 'http' or 'notify'.
create function app.invoke_function(name text) returns text
language plpgsql security definer set search_path = '' as $$
declare
  v_url text;
  v_key text;
begin
  if name is null or name !~ '^[a-z0-9-]+$' then
    perform app.raise_error(400, 'invalid_function_name',
      format('Nom de fonction invalide : %s (attendu : ^[a-z0-9-]+$).', coalesce(name, 'null')));
  end if;
  -- Dynamic SQL: neither pg_net nor Vault exists outside hosted Supabase.
  if exists (select 1 from pg_catalog.pg_proc p
      where p.pronamespace = to_regnamespace('net') and p.proname = 'http_post')
    and to_regclass('vault.decrypted_secrets') is not null
  then
    execute $sql$
      select
        (select s.decrypted_secret from vault.decrypted_secrets s where s.name = 'project_url'),
        (select s.decrypted_secret from vault.decrypted_secrets s where s.name = 'service_role_key')
    $sql$ into v_url, v_key;
    if v_url is not null and v_key is not null then
      execute $sql$
        select net.http_post(
          url := $1,
          body := jsonb_build_object('trigger', 'cron'),
          headers := jsonb_build_object('Content-Type', 'application/json',
            'Authorization', 'Bearer ' || $2),
          timeout_milliseconds := 60000)
      $sql$ using rtrim(v_url, '/') || '/functions/v1/' || name, v_key;
      return 'http';
    end if;
  end if;
  perform pg_notify('invoke_function', name);
  return 'notify';
end
$$;

-- (Re)registers every job of app.job_schedules() in pg_cron when pg_cron is in this
-- database (cron.schedule with a job name replaces the job of that name). Returns the
-- number of jobs registered: 0 where pg_cron is absent.
create function app.schedule_jobs() returns integer
language plpgsql security definer set search_path = '' as $$
declare
  v_job record;
  v_count integer := 0;
begin
  if to_regclass('cron.job') is null then
    return 0;
  end if;
  for v_job in select * from app.job_schedules() loop
    execute 'select cron.schedule($1, $2, $3)' using v_job.job, v_job.schedule, v_job.command;
    v_count := v_count + 1;
  end loop;
  return v_count;
end
$$;

-- ===========================================================================
-- Registration (where pg_cron lives in this database; never fails the migration)
-- ===========================================================================
do $$
begin
  perform app.schedule_jobs();
exception when others then
  raise notice 'jobs: not registered in pg_cron (%)', sqlerrm;
end
$$;

-- ===========================================================================
-- Grants (not tenant data: service_role only)
-- ===========================================================================
revoke all on public.job_runs from public, anon, authenticated;
grant all on public.job_runs to service_role;
revoke all on admin.job_runs from public, anon, authenticated;
grant select on admin.job_runs to service_role;
revoke all on function app.job_schedules(), app.invoke_function(text), app.schedule_jobs()
  from public, anon, authenticated;
grant execute on function app.job_schedules(), app.invoke_function(text), app.schedule_jobs()
  to service_role;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on table public.job_runs is 'One row per run of a scheduled job, wherever it started (pg_cron, notification, in-process, manual, HTTP). Service role only.';
comment on column public.job_runs.id is 'Run identifier.';
comment on column public.job_runs.job is 'Job name (the Edge Function name, e.g. alerts-evaluate).';
comment on column public.job_runs.trigger is 'What started it: cron (pg_net call), notify (pg_notify to the local server), in_process (PGlite scheduler), manual (deno task), http (a direct call).';
comment on column public.job_runs.status is 'running, succeeded, failed, or skipped (another run of the job held the lock).';
comment on column public.job_runs.started_at is 'When the run started.';
comment on column public.job_runs.finished_at is 'When it finished (null while running).';
comment on column public.job_runs.tenants is 'Tenants evaluated.';
comment on column public.job_runs.alerts_opened is 'Alerts opened by this run.';
comment on column public.job_runs.alerts_resolved is 'Alerts resolved by this run.';
comment on column public.job_runs.messages_queued is 'Notification messages queued in the outbox.';
comment on column public.job_runs.messages_sent is 'Notification messages sent.';
comment on column public.job_runs.errors is 'Errors counted by the job (e.g. failed sends) in a run that still finished.';
comment on column public.job_runs.error is 'Error text of a failed run.';
comment on column public.job_runs.details is 'Job-specific details (timings, counts by type).';

comment on view admin.job_runs is 'Job runs of the last 30 days, newest first, with their duration.';
comment on column admin.job_runs.id is 'Run identifier.';
comment on column admin.job_runs.job is 'Job name.';
comment on column admin.job_runs.trigger is 'What started it (cron, notify, in_process, manual, http).';
comment on column admin.job_runs.status is 'running, succeeded, failed or skipped.';
comment on column admin.job_runs.started_at is 'When the run started.';
comment on column admin.job_runs.finished_at is 'When it finished.';
comment on column admin.job_runs.duration_seconds is 'Duration in seconds (so far, while running).';
comment on column admin.job_runs.tenants is 'Tenants evaluated.';
comment on column admin.job_runs.alerts_opened is 'Alerts opened.';
comment on column admin.job_runs.alerts_resolved is 'Alerts resolved.';
comment on column admin.job_runs.messages_queued is 'Messages queued.';
comment on column admin.job_runs.messages_sent is 'Messages sent.';
comment on column admin.job_runs.errors is 'Errors counted in the run.';
comment on column admin.job_runs.error is 'Error text of a failed run.';
comment on column admin.job_runs.details is 'Job-specific details.';

comment on function app.job_schedules() is 'The one schedule of the scheduled jobs: name, cron expression (UTC), pg_cron command. Read by app.schedule_jobs() and the local in-process scheduler.';
comment on function app.invoke_function(text) is 'Reaches an Edge Function: pg_net POST with Vault secrets project_url and service_role_key (hosted), else pg_notify(''invoke_function'', name). Returns ''http'' or ''notify''.';
comment on function app.schedule_jobs() is '(Re)registers app.job_schedules() in pg_cron where pg_cron is in this database; returns the number registered (0 without pg_cron).';
