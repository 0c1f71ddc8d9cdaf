-- Idempotency keys: the stored results of API requests sent with an Idempotency-Key
-- header, per tenant, so that a retried request gets the same response again.
--
-- Sections: tables · policies · grants · comments.

-- ===========================================================================
-- Tables
-- ===========================================================================
create table public.idempotency_keys (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  key text not null check (key ~ '^[!-~]{1,255}$'),
  request_path text not null check (char_length(request_path) between 1 and 200),
  request_hash text not null check (request_hash ~ '^[0-9a-f]{64}$'),
  response_status integer check (response_status between 200 and 499),
  response_body json,
  created_by uuid default auth.uid(),
  created_at timestamptz not null default now(),
  primary key (tenant_id, key)
);

alter table public.idempotency_keys enable row level security;

-- ===========================================================================
-- Policies: members read; managers and owners write; nobody crosses tenants.
-- ===========================================================================
create policy idempotency_keys_select on public.idempotency_keys for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));
create policy idempotency_keys_insert on public.idempotency_keys for insert to authenticated
  with check (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));
create policy idempotency_keys_update on public.idempotency_keys for update to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')))
  with check (tenant_id = (select app.current_tenant_id()));

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on public.idempotency_keys from anon, authenticated;
grant select, insert (tenant_id, key, request_path, request_hash),
  update (response_status, response_body) on public.idempotency_keys to authenticated;
grant all on public.idempotency_keys to service_role;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on table public.idempotency_keys is
  'Results of API requests sent with an Idempotency-Key header, per tenant: the same key and body get the stored response again; another body is refused.';
comment on column public.idempotency_keys.tenant_id is 'Tenant the request acted in.';
comment on column public.idempotency_keys.key is 'The Idempotency-Key header (1–255 printable ASCII characters).';
comment on column public.idempotency_keys.request_path is 'Method and route of the first request (e.g. POST /movements).';
comment on column public.idempotency_keys.request_hash is
  'SHA-256 (hex) of the route and the canonical JSON body of the first request.';
comment on column public.idempotency_keys.response_status is 'HTTP status of the stored response: a success, or the refusal of a business rule (404, 409, 422).';
comment on column public.idempotency_keys.response_body is 'JSON body of the stored response, returned again on a replay (an error without its request_id).';
comment on column public.idempotency_keys.created_by is 'User who sent the first request.';
comment on column public.idempotency_keys.created_at is 'When the first request was processed.';
