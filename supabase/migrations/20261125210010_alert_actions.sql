-- Alert actions by people: acknowledge (any member), snooze and resolve (managers and
-- owners), from the API or a WhatsApp reply (OK <n>). Alert rows change only through
-- these functions and the evaluation; each change writes its alert_events row.
--
-- Sections: functions · grants · comments.

-- ===========================================================================
-- Functions
-- ===========================================================================
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
-- Grants
-- ===========================================================================
revoke all on function app.change_alert(uuid, bigint, text, uuid, text, timestamptz, text)
  from public;
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
comment on function app.change_alert(uuid, bigint, text, uuid, text, timestamptz, text) is
  'Acknowledge, snooze or resolve one open alert of a tenant, with its history row (internal).';
comment on function public.acknowledge_alert(bigint, text) is 'Acknowledges an alert of the current tenant (any member).';
comment on function public.snooze_alert(bigint, timestamptz, text) is 'Snoozes (or with null un-snoozes) an alert of the current tenant (managers and owners).';
comment on function public.resolve_alert(bigint, text) is 'Resolves an alert of the current tenant by hand (managers and owners); if the condition holds at the next run, a new alert opens.';
