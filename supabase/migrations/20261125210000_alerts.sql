-- Alerts: the rule table (a type is a row) and the alerts themselves with their history.
-- What changed since the last evaluation is queued by 20261125210005_alert_queue.sql.
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

alter table public.alert_types enable row level security;
alter table public.alert_rules enable row level security;
alter table public.alerts enable row level security;
alter table public.alert_events enable row level security;

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

-- ===========================================================================
-- Triggers
-- ===========================================================================
create trigger alert_rules_check_params before insert or update of params, alert_type
  on public.alert_rules for each row execute function app.check_alert_rule_params();
create trigger alert_rules_touch before update on public.alert_rules
  for each row execute function app.touch_updated_at();
create trigger alert_rules_audit after insert or update or delete on public.alert_rules
  for each row execute function app.audit_row('id');
create trigger alerts_broadcast after insert on public.alerts
  referencing new table as new_rows
  for each statement execute function app.broadcast_new_alerts();

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
revoke all on public.alert_types, public.alert_rules, public.alerts, public.alert_events
  from anon, authenticated;
grant select on public.alert_types, public.alerts, public.alert_events to authenticated;
grant select, insert, update, delete on public.alert_rules to authenticated;
grant select, insert, update, delete on public.alert_types, public.alert_rules, public.alerts
  to service_role;
-- History is never rewritten, not even by the service role.
grant select, insert on public.alert_events to service_role;
revoke all on function app.check_alert_rule_params(), app.broadcast_new_alerts() from public;

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

comment on index public.alerts_one_open_key is 'Deduplication: one open alert per tenant, type, product and location.';
comment on function app.check_alert_rule_params() is 'Trigger: a rule''s params use only its type''s keys, with numbers.';
comment on function app.broadcast_new_alerts() is 'Trigger: broadcasts each new alert on the private Realtime topic tenant:<id>:alerts.';
