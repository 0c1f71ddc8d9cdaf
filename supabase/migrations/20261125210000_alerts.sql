-- Alerts: the rule table (a type is a row), the alerts themselves with their history,
-- and the queue of products whose stock changed since the last evaluation.
--
-- One active alert per (tenant, type, product, location) is enforced by a partial unique
-- index: that is the deduplication. The evaluation (app.evaluate_alerts, in
-- 20261125210200_alert_evaluation.sql) inserts on conflict with that index, so a
-- condition still true only moves `last_seen_at`; a product newly in a condition gets a
-- new row, which is what is notified. Every inserted alert is broadcast on the private
-- Realtime topic `tenant:<id>:alerts` by a trigger (never from TypeScript).
--
-- Sections: types · tables · indexes · functions · triggers · policies · grants · comments.

-- ===========================================================================
-- Types
-- ===========================================================================
create type public.alert_severity as enum ('info', 'warning', 'critical');
create type public.alert_status as enum ('active', 'acknowledged', 'resolved');

-- ===========================================================================
-- Tables
-- ===========================================================================
-- Reference data: one row per alert type. Defaults live here, so a new type is a row
-- plus its condition in the evaluation, not a branch in TypeScript.
create table public.alert_types (
  code text primary key check (code ~ '^[a-z][a-z_]{1,39}$'),
  title_fr text not null,
  description_fr text not null,
  default_severity public.alert_severity not null,
  -- The parameters a rule may set for this type, with their defaults (numbers only).
  default_params jsonb not null default '{}'::jsonb check (jsonb_typeof(default_params) = 'object'),
  -- Stock types are re-checked only for products whose stock or settings changed;
  -- time-based types are re-checked on every run.
  incremental boolean not null,
  sort_order integer not null
);

insert into public.alert_types
  (code, title_fr, description_fr, default_severity, default_params, incremental, sort_order)
values
  ('stock_out', 'Rupture de stock', 'Stock disponible ≤ 0 dans un emplacement.', 'critical',
    '{}', true, 1),
  ('predicted_stock_out', 'Rupture prévue',
    'La prévision annonce une rupture avant la fin du délai de réapprovisionnement.', 'warning',
    '{"horizon_days": 7, "min_probability": 0.5}', false, 2),
  ('low_stock', 'Stock faible',
    'Stock > 0 mais ≤ au point de commande (ou au seuil de la règle).', 'warning',
    '{"threshold": null}', true, 3),
  ('fill_rate_drop', 'Baisse du taux de service',
    'Taux de service (livré ÷ commandé) des N derniers jours sous le seuil, ou en baisse d''au moins X points sur la période précédente.',
    'warning', '{"window_days": 7, "threshold": 0.9, "drop_points": 10, "min_ordered": 5}',
    false, 4);

-- A tenant's rules. No row: the type's defaults apply (enabled, default severity,
-- notified). Whether a cleared alert is announced is the recipient's choice
-- (notification_recipients.notify_resolved). A row without category or product is the tenant's default for the type; a
-- category row overrides it for that category, a product row for that product. Null
-- columns inherit from the broader rule.
create table public.alert_rules (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  alert_type text not null references public.alert_types (code),
  category_id uuid,
  product_id uuid,
  enabled boolean,
  severity public.alert_severity,
  notify boolean,
  params jsonb not null default '{}'::jsonb check (jsonb_typeof(params) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint alert_rules_scope check (category_id is null or product_id is null),
  constraint alert_rules_category_fkey foreign key (tenant_id, category_id)
    references public.categories (tenant_id, id) on delete cascade,
  constraint alert_rules_product_fkey foreign key (tenant_id, product_id)
    references public.products (tenant_id, id) on delete cascade
);

create table public.alerts (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  alert_type text not null references public.alert_types (code),
  product_id uuid,
  location_id uuid,
  status public.alert_status not null default 'active',
  severity public.alert_severity not null,
  context jsonb not null default '{}'::jsonb check (jsonb_typeof(context) = 'object'),
  first_seen_at timestamptz not null,
  last_seen_at timestamptz not null,
  notify boolean not null default true,
  acknowledged_at timestamptz,
  acknowledged_by uuid,
  snoozed_until timestamptz,
  resolved_at timestamptz,
  resolved_by uuid,
  resolution text check (resolution in ('cleared', 'manual', 'rule_disabled', 'product_archived')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint alerts_tenant_id_key unique (tenant_id, id),
  constraint alerts_resolved check ((status = 'resolved') = (resolved_at is not null)),
  constraint alerts_product_fkey foreign key (tenant_id, product_id)
    references public.products (tenant_id, id) on delete cascade,
  constraint alerts_location_fkey foreign key (tenant_id, location_id)
    references public.locations (tenant_id, id) on delete cascade
);

-- Every state change of an alert, in order.
create table public.alert_events (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  alert_id bigint not null,
  event text not null
    check (event in ('opened', 'acknowledged', 'snoozed', 'unsnoozed', 'resolved')),
  actor_id uuid,
  source text not null check (source in ('evaluation', 'api', 'whatsapp')),
  details jsonb not null default '{}'::jsonb,
  occurred_at timestamptz not null default now(),
  constraint alert_events_alert_fkey foreign key (tenant_id, alert_id)
    references public.alerts (tenant_id, id) on delete cascade
);

-- Forecasts per product × location, written by the forecasting job (nightly and on
-- demand): the method chosen by backtest, expected daily demand, lead-time demand
-- quantiles, the reorder point for the tenant's service level, the suggested order and
-- the predicted stock-out. The rupture prévue alert reads it.
create table public.forecasts (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  product_id uuid not null,
  location_id uuid not null,
  computed_at timestamptz not null,
  method text not null check (char_length(method) between 1 and 60),
  backtest_rmsse numeric(10, 4) check (backtest_rmsse >= 0),
  history_days integer check (history_days >= 0),
  daily_demand numeric(14, 4) not null check (daily_demand >= 0),
  daily_forecast numeric(14, 4)[] not null default '{}',
  lead_time_days numeric(6, 2) check (lead_time_days between 0 and 365),
  lead_time_source text check (lead_time_source in ('observed', 'supplier', 'product', 'default')),
  lead_time_demand jsonb not null default '{}'::jsonb
    check (jsonb_typeof(lead_time_demand) = 'object'),
  service_level numeric(5, 4) check (service_level > 0 and service_level < 1),
  reorder_point numeric(14, 2) check (reorder_point >= 0),
  suggested_order_quantity integer check (suggested_order_quantity >= 0),
  order_by date,
  predicted_stockout_on date,
  stockout_probability numeric(5, 4) check (stockout_probability between 0 and 1),
  notes text check (char_length(notes) <= 1000),
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  primary key (tenant_id, product_id, location_id),
  constraint forecasts_product_fkey foreign key (tenant_id, product_id)
    references public.products (tenant_id, id) on delete cascade,
  constraint forecasts_location_fkey foreign key (tenant_id, location_id)
    references public.locations (tenant_id, id) on delete cascade
);

-- Products whose stock, settings or rules changed since the last evaluation. Internal:
-- written by triggers, consumed by app.evaluate_alerts.
create table public.alert_dirty_products (
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  product_id uuid not null,
  marked_at timestamptz not null default now(),
  primary key (tenant_id, product_id)
);

alter table public.alert_types enable row level security;
alter table public.alert_rules enable row level security;
alter table public.alerts enable row level security;
alter table public.alert_events enable row level security;
alter table public.forecasts enable row level security;
alter table public.alert_dirty_products enable row level security;

-- ===========================================================================
-- Indexes (every tenant table has one leading with tenant_id)
-- ===========================================================================
-- The deduplication: one open alert per (tenant, type, product, location); a null
-- product or location (a shop-wide condition) counts as one value.
create unique index alerts_one_open_key
  on public.alerts (tenant_id, alert_type, product_id, location_id) nulls not distinct
  where status <> 'resolved';
create index alerts_tenant_created_idx on public.alerts (tenant_id, created_at desc, id desc);
create index alerts_tenant_product_idx on public.alerts (tenant_id, product_id);
create index alerts_tenant_location_idx on public.alerts (tenant_id, location_id);
-- The few snoozed alerts (checked before notifying a re-occurrence).
create index alerts_tenant_snoozed_idx on public.alerts (tenant_id, alert_type)
  where snoozed_until is not null;
create unique index alert_rules_scope_key
  on public.alert_rules (tenant_id, alert_type, category_id, product_id) nulls not distinct;
create index alert_rules_tenant_category_idx on public.alert_rules (tenant_id, category_id);
create index alert_rules_tenant_product_idx on public.alert_rules (tenant_id, product_id);
create index alert_events_tenant_alert_idx on public.alert_events (tenant_id, alert_id, id);
create index forecasts_tenant_location_idx on public.forecasts (tenant_id, location_id, product_id);

-- ===========================================================================
-- Functions
-- ===========================================================================

-- Rule parameters: only the type's keys, each a number or null.
create function app.check_alert_rule_params() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_allowed jsonb;
  v_key text;
  v_value jsonb;
begin
  select t.default_params into v_allowed from public.alert_types t where t.code = new.alert_type;
  for v_key, v_value in select * from jsonb_each(new.params) loop
    if not v_allowed ? v_key then
      perform app.raise_error(422, 'invalid_rule_param',
        format('Paramètre « %s » inconnu pour ce type d''alerte.', v_key),
        jsonb_build_object('param', v_key, 'allowed', (select jsonb_agg(k) from jsonb_object_keys(v_allowed) k)));
    end if;
    if jsonb_typeof(v_value) not in ('number', 'null') then
      perform app.raise_error(422, 'invalid_rule_param',
        format('Le paramètre « %s » doit être un nombre.', v_key), jsonb_build_object('param', v_key));
    end if;
  end loop;
  return new;
end
$$;

-- Statement triggers marking products for the next evaluation. `do update` (not `do
-- nothing`) takes the row lock, so an evaluation claiming the queue waits for this
-- transaction and then reads its committed stock.
create function app.mark_alert_dirty_from_levels() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.alert_dirty_products (tenant_id, product_id)
  select distinct n.tenant_id, n.product_id from new_rows n
  order by 1, 2
  on conflict (tenant_id, product_id) do update set marked_at = excluded.marked_at;
  return null;
end
$$;

create function app.mark_alert_dirty_from_products() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.alert_dirty_products (tenant_id, product_id)
  select n.tenant_id, n.id from new_rows n
  order by 1, 2
  on conflict (tenant_id, product_id) do update set marked_at = excluded.marked_at;
  return null;
end
$$;

-- A rule change can change any of the tenant's products: mark them all.
create function app.mark_alert_dirty_from_rules() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  insert into public.alert_dirty_products (tenant_id, product_id)
  select p.tenant_id, p.id from public.products p
  where p.tenant_id in (select c.tenant_id from changed_rows c)
  order by 1, 2
  on conflict (tenant_id, product_id) do update set marked_at = excluded.marked_at;
  return null;
end
$$;

-- Realtime: one broadcast per new alert on the tenant's private topic.
create function app.broadcast_new_alerts() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform realtime.send(
    jsonb_build_object('id', n.id, 'tenant_id', n.tenant_id, 'alert_type', n.alert_type,
      'product_id', n.product_id, 'location_id', n.location_id, 'status', n.status,
      'severity', n.severity, 'context', n.context, 'first_seen_at', n.first_seen_at),
    'alert_opened', 'tenant:' || n.tenant_id::text || ':alerts', true)
  from new_rows n
  order by n.id;
  return null;
end
$$;

-- One state change by a person (API or WhatsApp): acknowledge, snooze (until a time;
-- null un-snoozes) or resolve. Checks the alert is the tenant's and still open, writes
-- the history row, returns the alert id. Internal: the public wrappers check the caller.
create function app.change_alert(p_tenant_id uuid, p_alert_id bigint, p_action text,
  p_actor uuid, p_source text, p_until timestamptz default null, p_note text default null)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  v_alert public.alerts%rowtype;
begin
  select * into v_alert from public.alerts a
  where a.tenant_id = p_tenant_id and a.id = p_alert_id
  for update;
  if not found then
    perform app.raise_error(404, 'alert_not_found', 'Alerte introuvable.');
  end if;
  if v_alert.status = 'resolved' then
    perform app.raise_error(409, 'alert_resolved', 'Cette alerte est déjà résolue.',
      jsonb_build_object('resolved_at', v_alert.resolved_at));
  end if;
  if p_action = 'acknowledge' then
    if v_alert.status = 'acknowledged' then
      return v_alert.id;
    end if;
    update public.alerts set status = 'acknowledged', acknowledged_at = now(),
      acknowledged_by = p_actor, updated_at = now()
    where id = v_alert.id;
  elsif p_action = 'snooze' then
    if p_until is not null and p_until <= now() then
      perform app.raise_error(422, 'invalid_snooze', 'La fin de la mise en veille doit être dans le futur.');
    end if;
    update public.alerts set snoozed_until = p_until, updated_at = now() where id = v_alert.id;
  elsif p_action = 'resolve' then
    update public.alerts set status = 'resolved', resolved_at = now(), resolved_by = p_actor,
      resolution = 'manual', updated_at = now()
    where id = v_alert.id;
  else
    perform app.raise_error(400, 'invalid_action', 'Action inconnue.');
  end if;
  insert into public.alert_events (tenant_id, alert_id, event, actor_id, source, details)
  values (p_tenant_id, v_alert.id,
    case p_action when 'acknowledge' then 'acknowledged' when 'resolve' then 'resolved'
      else case when p_until is null then 'unsnoozed' else 'snoozed' end end,
    p_actor, p_source,
    jsonb_strip_nulls(jsonb_build_object('until', p_until, 'note', p_note)));
  return v_alert.id;
end
$$;

-- The API's entry points: the caller's current tenant; acknowledging is open to every
-- member, snoozing and resolving to managers and owners.
create function public.acknowledge_alert(p_alert_id bigint, p_note text default null)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  v_tenant uuid := app.current_tenant_id();
begin
  if v_tenant is null then
    perform app.raise_error(403, 'tenant_forbidden', 'Accès refusé à cette boutique.');
  end if;
  return app.change_alert(v_tenant, p_alert_id, 'acknowledge', auth.uid(), 'api', null, p_note);
end
$$;

create function public.snooze_alert(p_alert_id bigint, p_until timestamptz,
  p_note text default null)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  v_tenant uuid := app.current_tenant_id();
begin
  if v_tenant is null or not app.has_current_role('manager') then
    perform app.raise_error(403, 'forbidden', 'Réservé aux gérants et propriétaires.');
  end if;
  return app.change_alert(v_tenant, p_alert_id, 'snooze', auth.uid(), 'api', p_until, p_note);
end
$$;

create function public.resolve_alert(p_alert_id bigint, p_note text default null)
returns bigint
language plpgsql security definer set search_path = '' as $$
declare
  v_tenant uuid := app.current_tenant_id();
begin
  if v_tenant is null or not app.has_current_role('manager') then
    perform app.raise_error(403, 'forbidden', 'Réservé aux gérants et propriétaires.');
  end if;
  return app.change_alert(v_tenant, p_alert_id, 'resolve', auth.uid(), 'api', null, p_note);
end
$$;

-- ===========================================================================
-- Triggers
-- ===========================================================================
create trigger alert_rules_check_params before insert or update of params, alert_type
  on public.alert_rules for each row execute function app.check_alert_rule_params();
create trigger alert_rules_touch before update on public.alert_rules
  for each row execute function app.touch_updated_at();
create trigger alert_rules_audit after insert or update or delete on public.alert_rules
  for each row execute function app.audit_row('id');
create trigger alert_rules_mark_dirty_insert after insert on public.alert_rules
  referencing new table as changed_rows
  for each statement execute function app.mark_alert_dirty_from_rules();
create trigger alert_rules_mark_dirty_update after update on public.alert_rules
  referencing new table as changed_rows
  for each statement execute function app.mark_alert_dirty_from_rules();
create trigger alert_rules_mark_dirty_delete after delete on public.alert_rules
  referencing old table as changed_rows
  for each statement execute function app.mark_alert_dirty_from_rules();

create trigger stock_levels_mark_alert_dirty_insert after insert on public.stock_levels
  referencing new table as new_rows
  for each statement execute function app.mark_alert_dirty_from_levels();
create trigger stock_levels_mark_alert_dirty_update after update on public.stock_levels
  referencing new table as new_rows
  for each statement execute function app.mark_alert_dirty_from_levels();
create trigger products_mark_alert_dirty_insert after insert on public.products
  referencing new table as new_rows
  for each statement execute function app.mark_alert_dirty_from_products();
create trigger products_mark_alert_dirty_update after update on public.products
  referencing new table as new_rows
  for each statement execute function app.mark_alert_dirty_from_products();

create trigger alerts_broadcast after insert on public.alerts
  referencing new table as new_rows
  for each statement execute function app.broadcast_new_alerts();

-- Products that exist before this migration are checked by the first evaluation.
insert into public.alert_dirty_products (tenant_id, product_id)
select p.tenant_id, p.id from public.products p
on conflict do nothing;

-- ===========================================================================
-- Policies: members read alerts and their history; managers and owners manage rules.
-- Alert rows change only through the functions above and the evaluation.
-- ===========================================================================
create policy alert_types_select on public.alert_types for select to authenticated using (true);

create policy alert_rules_select on public.alert_rules for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));
create policy alert_rules_insert on public.alert_rules for insert to authenticated
  with check (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));
create policy alert_rules_update on public.alert_rules for update to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')))
  with check (tenant_id = (select app.current_tenant_id()));
create policy alert_rules_delete on public.alert_rules for delete to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));

create policy alerts_select on public.alerts for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));
create policy alert_events_select on public.alert_events for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));
create policy forecasts_select on public.forecasts for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));

-- Realtime authorisation of the alerts topic: a member of the tenant may join
-- `tenant:<id>:alerts` (Supabase Realtime checks select on realtime.messages).
do $$
begin
  if to_regclass('realtime.messages') is not null then
    execute $p$
      create policy tenant_alerts_topic_read on realtime.messages for select to authenticated
        using (
          realtime.topic() = 'tenant:' || (select app.current_tenant_id())::text || ':alerts'
          and extension = 'broadcast'
        )
    $p$;
    execute $c$
      comment on policy tenant_alerts_topic_read on realtime.messages is
        'Members of a tenant may receive the broadcasts of tenant:<id>:alerts (private channel).'
    $c$;
  end if;
end
$$;

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on public.alert_types, public.alert_rules, public.alerts, public.alert_events,
  public.forecasts, public.alert_dirty_products from anon, authenticated;
grant select on public.alert_types, public.alerts, public.alert_events, public.forecasts
  to authenticated;
grant select, insert, update, delete on public.alert_rules to authenticated;
grant select, insert, update, delete on public.alert_types, public.alert_rules, public.alerts,
  public.forecasts, public.alert_dirty_products to service_role;
-- History is never rewritten, not even by the service role.
grant select, insert on public.alert_events to service_role;
revoke all on function app.check_alert_rule_params(), app.mark_alert_dirty_from_levels(),
  app.mark_alert_dirty_from_products(), app.mark_alert_dirty_from_rules(),
  app.broadcast_new_alerts(),
  app.change_alert(uuid, bigint, text, uuid, text, timestamptz, text) from public;
grant execute on function app.change_alert(uuid, bigint, text, uuid, text, timestamptz, text)
  to service_role;
revoke all on function public.acknowledge_alert(bigint, text),
  public.snooze_alert(bigint, timestamptz, text), public.resolve_alert(bigint, text)
  from public, anon;
grant execute on function public.acknowledge_alert(bigint, text),
  public.snooze_alert(bigint, timestamptz, text), public.resolve_alert(bigint, text)
  to authenticated, service_role;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on type public.alert_severity is 'How urgent an alert is: info, warning, critical.';
comment on type public.alert_status is 'Lifecycle of an alert: active → acknowledged → resolved.';

comment on table public.alert_types is 'The alert types (one row each) with their French names, default severity and the parameters a rule may set.';
comment on column public.alert_types.code is 'Stable code: stock_out, low_stock, fill_rate_drop, predicted_stock_out.';
comment on column public.alert_types.title_fr is 'Name shown to users.';
comment on column public.alert_types.description_fr is 'When the alert is raised, in French.';
comment on column public.alert_types.default_severity is 'Severity when no rule sets one.';
comment on column public.alert_types.default_params is 'Parameters a rule may set, with their defaults (null: none).';
comment on column public.alert_types.incremental is 'True: re-checked only for products that changed; false: re-checked on every run (time-based).';
comment on column public.alert_types.sort_order is 'Urgency order in lists and digests.';

comment on table public.alert_rules is 'Per-tenant alert settings: tenant default (no category, no product), category override or product override; null columns inherit.';
comment on column public.alert_rules.id is 'Rule identifier.';
comment on column public.alert_rules.tenant_id is 'Owning tenant.';
comment on column public.alert_rules.alert_type is 'The type this rule configures.';
comment on column public.alert_rules.category_id is 'Category this rule overrides (null: not a category rule).';
comment on column public.alert_rules.product_id is 'Product this rule overrides (null: not a product rule).';
comment on column public.alert_rules.enabled is 'Whether the type is evaluated in this scope (null: inherit, default true).';
comment on column public.alert_rules.severity is 'Severity in this scope (null: inherit).';
comment on column public.alert_rules.notify is 'Whether new alerts are sent on WhatsApp (null: inherit, default true).';
comment on column public.alert_rules.params is 'Thresholds for this scope; keys from alert_types.default_params, numbers only.';
comment on column public.alert_rules.created_at is 'When the rule was created.';
comment on column public.alert_rules.updated_at is 'Last change.';

comment on table public.alerts is 'Alerts raised by the evaluation; one open alert per (tenant, type, product, location).';
comment on column public.alerts.id is 'Alert number (used in WhatsApp replies: OK <n>).';
comment on column public.alerts.tenant_id is 'Owning tenant.';
comment on column public.alerts.alert_type is 'Type (alert_types.code).';
comment on column public.alerts.product_id is 'Product concerned (null: the whole shop).';
comment on column public.alerts.location_id is 'Location concerned (null: all locations).';
comment on column public.alerts.status is 'active, acknowledged (seen by someone) or resolved.';
comment on column public.alerts.severity is 'Severity from the rules at opening (updated while open).';
comment on column public.alerts.context is 'Facts at the last evaluation: stock, reorder point, days of cover, fill rates, suggested quantity, names.';
comment on column public.alerts.first_seen_at is 'Evaluation time at which the condition was first seen.';
comment on column public.alerts.last_seen_at is 'Last evaluation that saw the condition still true.';
comment on column public.alerts.notify is 'Whether the rules asked for a WhatsApp message when it opened.';
comment on column public.alerts.acknowledged_at is 'When someone acknowledged it.';
comment on column public.alerts.acknowledged_by is 'Who acknowledged it (auth.users.id; null from an unknown WhatsApp sender).';
comment on column public.alerts.snoozed_until is 'No message about this product and type until then, even if it re-occurs.';
comment on column public.alerts.resolved_at is 'When it was resolved (the condition cleared, or by hand).';
comment on column public.alerts.resolved_by is 'Who resolved it by hand (null when it cleared).';
comment on column public.alerts.resolution is 'cleared, manual, rule_disabled or product_archived.';
comment on column public.alerts.created_at is 'Row creation time.';
comment on column public.alerts.updated_at is 'Last change of status or context.';

comment on table public.alert_events is 'History of every alert state change (opened, acknowledged, snoozed, resolved).';
comment on column public.alert_events.id is 'Order of recording.';
comment on column public.alert_events.tenant_id is 'Owning tenant.';
comment on column public.alert_events.alert_id is 'The alert.';
comment on column public.alert_events.event is 'opened, acknowledged, snoozed, unsnoozed or resolved.';
comment on column public.alert_events.actor_id is 'User who acted (null: the evaluation or an unknown sender).';
comment on column public.alert_events.source is 'evaluation, api or whatsapp.';
comment on column public.alert_events.details is 'Resolution, snooze end, note, job run.';
comment on column public.alert_events.occurred_at is 'When it happened.';

comment on table public.forecasts is 'Latest demand forecast per product and location (forecasting job): method, demand, lead-time quantiles, reorder point, suggested order, predicted stock-out.';
comment on column public.forecasts.tenant_id is 'Owning tenant.';
comment on column public.forecasts.product_id is 'Forecast product.';
comment on column public.forecasts.location_id is 'Location whose sales and stock were forecast.';
comment on column public.forecasts.computed_at is 'When the forecast was computed.';
comment on column public.forecasts.method is 'Method or combination chosen by rolling-origin backtest for this series.';
comment on column public.forecasts.backtest_rmsse is 'Backtest error (RMSSE) of the chosen method.';
comment on column public.forecasts.history_days is 'Days of sales history used.';
comment on column public.forecasts.daily_demand is 'Expected units sold per day over the coming weeks.';
comment on column public.forecasts.daily_forecast is 'Expected units per day, from tomorrow on.';
comment on column public.forecasts.lead_time_days is 'Supplier lead time used (days).';
comment on column public.forecasts.lead_time_source is 'Where the lead time comes from: observed receipts, supplier, product or default.';
comment on column public.forecasts.lead_time_demand is 'Quantiles of demand over the lead time, e.g. {"0.5": 12, "0.9": 20}.';
comment on column public.forecasts.service_level is 'Target service level the reorder point is computed for.';
comment on column public.forecasts.reorder_point is 'Reorder point for that service level.';
comment on column public.forecasts.suggested_order_quantity is 'Quantity to order now (0: nothing to order).';
comment on column public.forecasts.order_by is 'Last day to order to avoid a stock-out.';
comment on column public.forecasts.predicted_stockout_on is 'Date stock is expected to run out (null: not within the horizon).';
comment on column public.forecasts.stockout_probability is 'Probability of a stock-out within the lead time.';
comment on column public.forecasts.notes is 'Fallbacks taken, in French (short history, no sales…).';
comment on column public.forecasts.details is 'Other outputs of the engine.';

comment on table public.alert_dirty_products is 'Internal queue: products whose stock, settings or alert rules changed since the last evaluation.';
comment on column public.alert_dirty_products.tenant_id is 'Owning tenant.';
comment on column public.alert_dirty_products.product_id is 'Product to re-check.';
comment on column public.alert_dirty_products.marked_at is 'Last change that marked it.';

comment on index public.alerts_one_open_key is 'Deduplication: one open alert per tenant, type, product and location.';
comment on function app.check_alert_rule_params() is 'Trigger: a rule''s params use only its type''s keys, with numbers.';
comment on function app.mark_alert_dirty_from_levels() is 'Trigger: queues products whose stock level changed for the next evaluation.';
comment on function app.mark_alert_dirty_from_products() is 'Trigger: queues created or changed products for the next evaluation.';
comment on function app.mark_alert_dirty_from_rules() is 'Trigger: queues every product of a tenant whose alert rules changed.';
comment on function app.broadcast_new_alerts() is 'Trigger: broadcasts each new alert on the private Realtime topic tenant:<id>:alerts.';
comment on function app.change_alert(uuid, bigint, text, uuid, text, timestamptz, text) is
  'Acknowledge, snooze or resolve one open alert of a tenant, with its history row (internal).';
comment on function public.acknowledge_alert(bigint, text) is 'Acknowledges an alert of the current tenant (any member).';
comment on function public.snooze_alert(bigint, timestamptz, text) is 'Snoozes (or with null un-snoozes) an alert of the current tenant (managers and owners).';
comment on function public.resolve_alert(bigint, text) is 'Resolves an alert of the current tenant by hand (managers and owners); if the condition holds at the next run, a new alert opens.';
