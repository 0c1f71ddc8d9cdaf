-- Daily housekeeping (job `maintenance`, see app.job_schedules): what is kept only for a
-- while is deleted once its time is up.
--
-- - Idempotency keys: a retried request is recognised for 7 days (ample for a phone
--   that lost its answer); after that the key may be reused.
-- - job_runs: 90 days of run history (admin.job_runs shows the last 30).
--
-- Sections: indexes · functions · grants · comments.

-- ===========================================================================
-- Indexes
-- ===========================================================================
-- The purge finds old keys across tenants (the primary key leads with tenant_id).
create index idempotency_keys_created_idx on public.idempotency_keys (created_at);

-- ===========================================================================
-- Functions
-- ===========================================================================
create function app.purge_expired(p_now timestamptz default now(),
  p_idempotency_days integer default 7, p_job_runs_days integer default 90)
returns table (idempotency_keys integer, job_runs integer)
language plpgsql security definer set search_path = '' as $$
declare
  v_keys integer;
  v_runs integer;
begin
  if p_idempotency_days < 1 or p_job_runs_days < 1 then
    perform app.raise_error(422, 'invalid_retention', 'Une durée de conservation est d''au moins un jour.');
  end if;
  delete from public.idempotency_keys k
  where k.created_at < p_now - make_interval(days => p_idempotency_days);
  get diagnostics v_keys = row_count;
  -- A run still marked running is never deleted (it is someone's current run).
  delete from public.job_runs r
  where r.started_at < p_now - make_interval(days => p_job_runs_days) and r.status <> 'running';
  get diagnostics v_runs = row_count;
  return query select v_keys, v_runs;
end
$$;

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on function app.purge_expired(timestamptz, integer, integer) from public;
grant execute on function app.purge_expired(timestamptz, integer, integer) to service_role;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on index public.idempotency_keys_created_idx is 'Finds expired keys for the daily purge.';
comment on function app.purge_expired(timestamptz, integer, integer) is
  'Deletes idempotency keys older than p_idempotency_days (default 7) and finished job runs older than p_job_runs_days (default 90). Returns the counts.';
