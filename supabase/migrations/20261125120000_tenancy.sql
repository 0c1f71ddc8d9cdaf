-- Tenancy: tenants (shops), memberships with roles, invitations, the custom access
-- token hook, and the helpers every row-level security policy uses.
--
-- Sections: types · tables · helper functions · triggers · API functions ·
-- access token hook · policies · grants · comments.

-- ===========================================================================
-- Types
-- ===========================================================================
create schema if not exists app;
comment on schema app is
  'Digiboost internal functions (RLS helpers, error helpers). Not exposed through the API.';

-- Ordered: viewer < manager < owner, so "at least manager" is `role >= ''manager''`.
create type public.tenant_role as enum ('viewer', 'manager', 'owner');
comment on type public.tenant_role is
  'Role of a user in a tenant: viewer reads, manager also writes stock, owner also manages members and settings.';

-- ===========================================================================
-- Tables
-- ===========================================================================
create table public.tenants (
  id uuid primary key default gen_random_uuid(),
  name text not null check (char_length(btrim(name)) between 1 and 120),
  currency text not null default 'XOF' check (currency ~ '^[A-Z]{3}$'),
  timezone text not null default 'Africa/Dakar' check (char_length(timezone) between 1 and 64),
  settings jsonb not null default '{}'::jsonb check (jsonb_typeof(settings) = 'object'),
  created_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.memberships (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role public.tenant_role not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (tenant_id, user_id)
);
create index memberships_user_id_idx on public.memberships (user_id, tenant_id);

create table public.invitations (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  email text not null check (email ~ '^[^@\s]+@[^@\s]+$' and char_length(email) <= 254),
  role public.tenant_role not null default 'viewer',
  token_hash text not null unique,
  invited_by uuid references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null default now() + interval '7 days',
  accepted_at timestamptz,
  accepted_by uuid references auth.users (id) on delete set null,
  revoked_at timestamptz,
  check (expires_at > created_at)
);
create index invitations_tenant_id_idx on public.invitations (tenant_id, created_at desc);
-- Foreign keys to auth.users get an index each, so deleting a user does not scan.
create index invitations_invited_by_idx on public.invitations (invited_by);
create index invitations_accepted_by_idx on public.invitations (accepted_by);
create index tenants_created_by_idx on public.tenants (created_by);

alter table public.tenants enable row level security;
alter table public.memberships enable row level security;
alter table public.invitations enable row level security;

-- ===========================================================================
-- Helper functions (security definer, empty search_path, as Supabase advises)
-- ===========================================================================
-- The three helpers every tenant request calls are PL/pgSQL, not SQL: a security
-- definer SQL function with `set search_path` is never inlined and, before Postgres 18,
-- is parsed and planned again in every statement that calls it (~110–300 µs on
-- Postgres 15), while PL/pgSQL keeps its plans for the session (~20 µs). See
-- docs/benchmarks.md (`deno task bench:rls`).

-- The tenant named by the `tenant_id` claim, or null when the caller is not a member
-- of it. Policies compare `tenant_id = (select app.current_tenant_id())` so Postgres
-- evaluates it once per statement.
create function app.current_tenant_id() returns uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  v_claim text := auth.jwt() ->> 'tenant_id';
begin
  if v_claim is null
    or v_claim !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return null;
  end if;
  return (
    select m.tenant_id from public.memberships m
    where m.user_id = auth.uid() and m.tenant_id = v_claim::uuid
  );
end
$$;

-- The caller's role in the current tenant (from memberships, never from the claim).
create function app.current_tenant_role() returns public.tenant_role
language plpgsql stable security definer set search_path = '' as $$
declare
  v_tenant uuid := app.current_tenant_id();
begin
  if v_tenant is null then
    return null;
  end if;
  return (
    select m.role from public.memberships m
    where m.user_id = auth.uid() and m.tenant_id = v_tenant
  );
end
$$;

-- True when the caller holds at least `min_role` in the current tenant.
create function app.has_current_role(min_role public.tenant_role) returns boolean
language plpgsql stable security definer set search_path = '' as $$
begin
  return coalesce(app.current_tenant_role() >= min_role, false);
end
$$;

-- True when the caller holds at least `min_role` in the given tenant (any tenant the
-- caller belongs to, not only the current one). Used by the tenancy tables.
create function app.has_role_on_tenant(p_tenant_id uuid, min_role public.tenant_role)
returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.memberships m
    where m.tenant_id = p_tenant_id and m.user_id = auth.uid() and m.role >= min_role
  )
$$;

-- Tenants the caller belongs to.
create function app.user_tenant_ids() returns setof uuid
language sql stable security definer set search_path = '' as $$
  select m.tenant_id from public.memberships m where m.user_id = auth.uid()
$$;

-- Raises an application error: `code` is the stable English code, `message` the
-- French text for the user; the SQLSTATE class DG carries the HTTP status.
create function app.raise_error(status integer, code text, message text) returns void
language plpgsql set search_path = '' as $$
begin
  raise exception using
    errcode = 'DG' || lpad(status::text, 3, '0'),
    message = code,
    hint = message;
end
$$;

-- ===========================================================================
-- Triggers
-- ===========================================================================
create function app.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  new.updated_at := now();
  return new;
end
$$;

create trigger tenants_touch before update on public.tenants
  for each row execute function app.touch_updated_at();
create trigger memberships_touch before update on public.memberships
  for each row execute function app.touch_updated_at();

-- A tenant always keeps at least one owner. The tenant row is locked first so two
-- owners removing each other at the same moment cannot both succeed.
create function app.keep_one_owner() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if old.role <> 'owner' or (tg_op = 'UPDATE' and new.role = 'owner') then
    return coalesce(new, old);
  end if;
  -- The tenant itself is being deleted: its memberships go with it.
  if tg_op = 'DELETE' and not exists (select 1 from public.tenants t where t.id = old.tenant_id) then
    return old;
  end if;
  perform 1 from public.tenants t where t.id = old.tenant_id for update;
  if not exists (
    select 1 from public.memberships m
    where m.tenant_id = old.tenant_id and m.role = 'owner' and m.user_id <> old.user_id
  ) then
    perform app.raise_error(409, 'last_owner',
      'Impossible de retirer ou de rétrograder le dernier propriétaire de la boutique.');
  end if;
  return coalesce(new, old);
end
$$;

create trigger memberships_keep_one_owner before update of role or delete on public.memberships
  for each row execute function app.keep_one_owner();

-- ===========================================================================
-- API functions
-- ===========================================================================

-- Creates a tenant; the caller becomes its owner.
create function public.create_tenant(p_name text, p_currency text default 'XOF',
  p_timezone text default 'Africa/Dakar')
returns public.tenants
language plpgsql security definer set search_path = '' as $$
declare
  t public.tenants;
begin
  if auth.uid() is null then
    perform app.raise_error(401, 'unauthenticated', 'Connexion requise.');
  end if;
  insert into public.tenants (name, currency, timezone, created_by)
  values (btrim(p_name), p_currency, p_timezone, auth.uid())
  returning * into t;
  insert into public.memberships (tenant_id, user_id, role) values (t.id, auth.uid(), 'owner');
  return t;
end
$$;

-- Creates an invitation (owners only) and returns its secret token once; only the
-- token's SHA-256 is stored.
create function public.create_invitation(p_tenant_id uuid, p_email text,
  p_role public.tenant_role default 'viewer', p_valid_for interval default interval '7 days')
returns table (id uuid, token text, expires_at timestamptz)
language plpgsql security definer set search_path = '' as $$
declare
  v_token text := replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');
  v_id uuid;
  v_expires timestamptz;
begin
  if not app.has_role_on_tenant(p_tenant_id, 'owner') then
    perform app.raise_error(403, 'forbidden',
      'Seul un propriétaire de la boutique peut inviter des membres.');
  end if;
  if p_valid_for <= interval '0' or p_valid_for > interval '30 days' then
    perform app.raise_error(422, 'invalid_validity',
      'La durée de validité doit être comprise entre 1 minute et 30 jours.');
  end if;
  insert into public.invitations (tenant_id, email, role, token_hash, invited_by, expires_at)
  values (p_tenant_id, lower(btrim(p_email)), p_role,
    encode(sha256(convert_to(v_token, 'UTF8')), 'hex'), auth.uid(), now() + p_valid_for)
  returning invitations.id, invitations.expires_at into v_id, v_expires;
  return query select v_id, v_token, v_expires;
end
$$;

-- Accepts an invitation by its token: once, before expiry, by the invited email.
create function public.accept_invitation(p_token text)
returns public.memberships
language plpgsql security definer set search_path = '' as $$
declare
  inv public.invitations;
  m public.memberships;
  v_email text;
begin
  if auth.uid() is null then
    perform app.raise_error(401, 'unauthenticated', 'Connexion requise.');
  end if;
  select * into inv from public.invitations i
  where i.token_hash = encode(sha256(convert_to(p_token, 'UTF8')), 'hex')
  for update;
  if not found or inv.revoked_at is not null then
    perform app.raise_error(404, 'invitation_not_found', 'Invitation introuvable ou annulée.');
  end if;
  if inv.accepted_at is not null then
    perform app.raise_error(409, 'invitation_already_used', 'Cette invitation a déjà été utilisée.');
  end if;
  if inv.expires_at <= now() then
    perform app.raise_error(409, 'invitation_expired', 'Cette invitation a expiré.');
  end if;
  select lower(u.email) into v_email from auth.users u where u.id = auth.uid();
  if v_email is distinct from inv.email then
    perform app.raise_error(403, 'invitation_email_mismatch',
      'Cette invitation est destinée à une autre adresse e-mail.');
  end if;
  if exists (select 1 from public.memberships x where x.tenant_id = inv.tenant_id and x.user_id = auth.uid()) then
    perform app.raise_error(409, 'already_member', 'Vous êtes déjà membre de cette boutique.');
  end if;
  update public.invitations set accepted_at = now(), accepted_by = auth.uid() where invitations.id = inv.id;
  insert into public.memberships (tenant_id, user_id, role)
  values (inv.tenant_id, auth.uid(), inv.role)
  returning * into m;
  return m;
end
$$;

-- Members of a tenant with their e-mail (owners only; auth.users is not readable
-- by API roles).
create function public.tenant_members(p_tenant_id uuid)
returns table (user_id uuid, email text, role public.tenant_role, created_at timestamptz)
language plpgsql stable security definer set search_path = '' as $$
begin
  if not app.has_role_on_tenant(p_tenant_id, 'owner') then
    perform app.raise_error(403, 'forbidden', 'Seul un propriétaire peut voir les membres.');
  end if;
  return query
    select m.user_id, u.email::text, m.role, m.created_at
    from public.memberships m join auth.users u on u.id = m.user_id
    where m.tenant_id = p_tenant_id
    order by m.created_at, m.user_id;
end
$$;

-- ===========================================================================
-- Custom access token hook (Supabase Auth calls it as supabase_auth_admin)
-- ===========================================================================
create function public.custom_access_token_hook(event jsonb) returns jsonb
language plpgsql stable set search_path = '' as $$
declare
  claims jsonb := coalesce(event -> 'claims', '{}'::jsonb);
  v_tenant uuid;
  v_role public.tenant_role;
begin
  select m.tenant_id, m.role into v_tenant, v_role
  from public.memberships m
  where m.user_id = (event ->> 'user_id')::uuid
  order by m.created_at, m.tenant_id
  limit 1;
  if v_tenant is null then
    claims := claims - 'tenant_id' - 'tenant_role';
  else
    claims := claims || jsonb_build_object('tenant_id', v_tenant, 'tenant_role', v_role);
  end if;
  return jsonb_set(event, '{claims}', claims);
end
$$;

-- ===========================================================================
-- Policies
-- ===========================================================================
create policy tenants_select on public.tenants for select to authenticated
  using (id in (select app.user_tenant_ids()));
create policy tenants_update on public.tenants for update to authenticated
  using (app.has_role_on_tenant(id, 'owner'))
  with check (app.has_role_on_tenant(id, 'owner'));

create policy memberships_select on public.memberships for select to authenticated
  using (user_id = (select auth.uid()) or app.has_role_on_tenant(tenant_id, 'owner'));
create policy memberships_update on public.memberships for update to authenticated
  using (app.has_role_on_tenant(tenant_id, 'owner'))
  with check (app.has_role_on_tenant(tenant_id, 'owner'));
create policy memberships_delete on public.memberships for delete to authenticated
  using (user_id = (select auth.uid()) or app.has_role_on_tenant(tenant_id, 'owner'));
create policy memberships_auth_admin_read on public.memberships for select
  to supabase_auth_admin using (true);

create policy invitations_select on public.invitations for select to authenticated
  using (app.has_role_on_tenant(tenant_id, 'owner'));
create policy invitations_update on public.invitations for update to authenticated
  using (app.has_role_on_tenant(tenant_id, 'owner'))
  with check (app.has_role_on_tenant(tenant_id, 'owner'));

-- ===========================================================================
-- Grants (explicit; anon gets nothing)
-- ===========================================================================
grant usage on schema app to authenticated, service_role, supabase_auth_admin;
revoke all on all functions in schema app from public;
grant execute on function app.current_tenant_id(), app.current_tenant_role(),
  app.has_current_role(public.tenant_role), app.has_role_on_tenant(uuid, public.tenant_role),
  app.user_tenant_ids(), app.raise_error(integer, text, text)
  to authenticated, service_role;

revoke all on public.tenants, public.memberships, public.invitations from anon, authenticated;
grant select, update (name, currency, timezone, settings) on public.tenants to authenticated;
grant select, delete, update (role) on public.memberships to authenticated;
grant select, update (revoked_at) on public.invitations to authenticated;
grant all on public.tenants, public.memberships, public.invitations to service_role;

revoke execute on function public.create_tenant(text, text, text),
  public.create_invitation(uuid, text, public.tenant_role, interval),
  public.accept_invitation(text), public.tenant_members(uuid) from public, anon;
grant execute on function public.create_tenant(text, text, text),
  public.create_invitation(uuid, text, public.tenant_role, interval),
  public.accept_invitation(text), public.tenant_members(uuid) to authenticated, service_role;

grant usage on schema public to supabase_auth_admin;
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;
revoke execute on function public.custom_access_token_hook(jsonb) from authenticated, anon, public;
grant select on table public.memberships to supabase_auth_admin;

-- ===========================================================================
-- Comments (what admins read in Supabase Studio)
-- ===========================================================================
comment on table public.tenants is 'A shop (tenant). Every tenant table carries tenant_id and is isolated by RLS.';
comment on column public.tenants.id is 'Tenant identifier, carried in the JWT claim tenant_id.';
comment on column public.tenants.name is 'Shop name shown to users (1–120 characters).';
comment on column public.tenants.currency is 'ISO 4217 currency of all amounts of this tenant (XOF by default).';
comment on column public.tenants.timezone is 'IANA time zone for days, quiet hours and reports (Africa/Dakar by default).';
comment on column public.tenants.settings is 'Tenant settings as a JSON object (e.g. allow_negative_stock).';
comment on column public.tenants.created_by is 'User who created the tenant (its first owner).';
comment on column public.tenants.created_at is 'When the tenant was created.';
comment on column public.tenants.updated_at is 'When the tenant row last changed.';

comment on table public.memberships is 'Who belongs to which tenant, with which role (owner, manager, viewer).';
comment on column public.memberships.tenant_id is 'Tenant the user belongs to.';
comment on column public.memberships.user_id is 'Member (auth.users.id).';
comment on column public.memberships.role is 'Role in the tenant; a tenant always keeps at least one owner.';
comment on column public.memberships.created_at is 'When the user joined the tenant.';
comment on column public.memberships.updated_at is 'When the role last changed.';

comment on table public.invitations is 'Invitations to join a tenant; the secret token is shown once and stored only as a hash.';
comment on column public.invitations.id is 'Invitation identifier.';
comment on column public.invitations.tenant_id is 'Tenant the invitee will join.';
comment on column public.invitations.email is 'E-mail address (lower case) allowed to accept the invitation.';
comment on column public.invitations.role is 'Role granted on acceptance.';
comment on column public.invitations.token_hash is 'SHA-256 (hex) of the secret invitation token.';
comment on column public.invitations.invited_by is 'Owner who sent the invitation.';
comment on column public.invitations.created_at is 'When the invitation was created.';
comment on column public.invitations.expires_at is 'After this instant the invitation can no longer be accepted.';
comment on column public.invitations.accepted_at is 'When the invitation was accepted (it can be accepted once).';
comment on column public.invitations.accepted_by is 'User who accepted the invitation.';
comment on column public.invitations.revoked_at is 'When an owner cancelled the invitation.';

comment on function app.current_tenant_id() is 'Tenant from the tenant_id claim if the caller is a member of it, else null. Used by RLS policies.';
comment on function app.current_tenant_role() is 'Caller role in the current tenant, read from memberships (never trusted from the claim).';
comment on function app.has_current_role(public.tenant_role) is 'True when the caller has at least the given role in the current tenant.';
comment on function app.has_role_on_tenant(uuid, public.tenant_role) is 'True when the caller has at least the given role in the given tenant.';
comment on function app.user_tenant_ids() is 'Tenants the caller is a member of.';
comment on function app.raise_error(integer, text, text) is 'Raises an application error: SQLSTATE DG<status>, message = stable code, hint = French text.';
comment on function app.touch_updated_at() is 'Trigger: sets updated_at to now() on update.';
comment on function app.keep_one_owner() is 'Trigger: refuses to delete or demote the last owner of a tenant.';
comment on function public.create_tenant(text, text, text) is 'Creates a tenant; the caller becomes its owner.';
comment on function public.create_invitation(uuid, text, public.tenant_role, interval) is 'Owner invites an e-mail address with a role; returns the secret token once.';
comment on function public.accept_invitation(text) is 'Accepts an invitation by token: once, before expiry, by the invited e-mail.';
comment on function public.tenant_members(uuid) is 'Members of a tenant with e-mail and role (owners only).';
comment on function public.custom_access_token_hook(jsonb) is 'Supabase Auth hook: adds tenant_id and tenant_role (first membership) to the access token claims.';
