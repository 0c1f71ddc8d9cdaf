-- WhatsApp notifications: per-tenant settings (daily budget, quiet hours), recipients
-- with their opt-in, the outbox the evaluation writes in its own transaction and the
-- dispatcher sends after commit, and the inbound messages Twilio posts to us.
--
-- Sections: tables · indexes · triggers · policies · grants · comments.

-- ===========================================================================
-- Tables
-- ===========================================================================
create table public.notification_settings (
  tenant_id uuid primary key references public.tenants (id) on delete cascade,
  daily_budget integer not null default 50 check (daily_budget between 0 and 10000),
  quiet_hours_start time not null default '21:00',
  quiet_hours_end time not null default '07:00',
  stock_out_overrides_quiet_hours boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table public.notification_recipients (
  id uuid primary key default gen_random_uuid(),
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  user_id uuid,
  display_name text not null check (char_length(btrim(display_name)) between 1 and 120),
  phone_e164 text not null check (phone_e164 ~ '^\+[1-9][0-9]{6,14}$'),
  language text not null default 'fr' check (language in ('fr')),
  -- WhatsApp requires the person's consent before we message them.
  opted_in boolean not null default false,
  opted_in_at timestamptz,
  opted_out_at timestamptz,
  -- Null: every type.
  alert_types text[] check (alert_types is null or alert_types <@ array[
    'stock_out', 'low_stock', 'fill_rate_drop', 'predicted_stock_out']::text[]),
  notify_resolved boolean not null default false,
  -- Null: the tenant's quiet hours.
  quiet_hours_start time,
  quiet_hours_end time,
  last_inbound_at timestamptz,
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint notification_recipients_tenant_id_key unique (tenant_id, id),
  constraint notification_recipients_quiet_hours
    check ((quiet_hours_start is null) = (quiet_hours_end is null)),
  -- The member account must be a member of this tenant; leaving it unlinks the recipient.
  constraint notification_recipients_member_fkey foreign key (tenant_id, user_id)
    references public.memberships (tenant_id, user_id) on delete set null (user_id)
);

create table public.notification_outbox (
  id bigint generated always as identity primary key,
  tenant_id uuid not null references public.tenants (id) on delete cascade,
  recipient_id uuid not null,
  -- The job run (job_runs.id) that queued it; no foreign key, so pruning run history
  -- never touches messages.
  run_id bigint,
  kind text not null check (kind in ('alerts', 'test', 'reply')),
  payload jsonb not null check (jsonb_typeof(payload) = 'object'),
  alert_ids bigint[] not null default '{}',
  -- Contains a stock-out: may be sent during quiet hours when the tenant allows it.
  urgent boolean not null default false,
  status text not null default 'pending' check (status in ('pending', 'sending', 'queued',
    'sent', 'delivered', 'read', 'failed', 'undelivered', 'cancelled')),
  message_kind text check (message_kind in ('freeform', 'template')),
  body text,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  locked_until timestamptz,
  deferred_reason text check (deferred_reason in ('quiet_hours', 'budget', 'not_configured',
    'retry')),
  provider_sid text,
  error_code integer,
  last_error text check (char_length(last_error) <= 1000),
  sent_at timestamptz,
  delivered_at timestamptz,
  read_at timestamptz,
  failed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint notification_outbox_recipient_fkey foreign key (tenant_id, recipient_id)
    references public.notification_recipients (tenant_id, id) on delete cascade
);

create table public.inbound_messages (
  id bigint generated always as identity primary key,
  -- Null when the sender is no tenant's recipient.
  tenant_id uuid references public.tenants (id) on delete cascade,
  recipient_id uuid,
  from_e164 text not null check (from_e164 ~ '^\+[1-9][0-9]{6,14}$'),
  body text not null check (char_length(body) <= 4096),
  provider_sid text not null check (char_length(provider_sid) between 1 and 64),
  command text check (command in ('stop', 'start', 'ok', 'stock', 'help', 'unknown')),
  -- Our answer, sent back as TwiML in the webhook's response.
  reply text check (char_length(reply) <= 1600),
  received_at timestamptz not null default now(),
  constraint inbound_messages_recipient_fkey foreign key (tenant_id, recipient_id)
    references public.notification_recipients (tenant_id, id) on delete set null (recipient_id)
);

alter table public.notification_settings enable row level security;
alter table public.notification_recipients enable row level security;
alter table public.notification_outbox enable row level security;
alter table public.inbound_messages enable row level security;

-- ===========================================================================
-- Indexes
-- ===========================================================================
create unique index notification_recipients_phone_key
  on public.notification_recipients (tenant_id, phone_e164);
-- Inbound messages find their sender by number, across tenants.
create index notification_recipients_phone_idx on public.notification_recipients (phone_e164);
create index notification_recipients_user_idx on public.notification_recipients (tenant_id, user_id);
-- The dispatcher's queue.
create index notification_outbox_due_idx on public.notification_outbox (next_attempt_at)
  where status in ('pending', 'sending');
create index notification_outbox_tenant_created_idx
  on public.notification_outbox (tenant_id, created_at desc, id desc);
-- An alert's messages (history): alert_ids @> array[id].
create index notification_outbox_alert_ids_idx on public.notification_outbox using gin (alert_ids);
create index notification_outbox_recipient_idx
  on public.notification_outbox (tenant_id, recipient_id, created_at desc);
create unique index notification_outbox_provider_sid_key on public.notification_outbox (provider_sid)
  where provider_sid is not null;
create unique index inbound_messages_provider_sid_key on public.inbound_messages (provider_sid);
create index inbound_messages_tenant_received_idx
  on public.inbound_messages (tenant_id, received_at desc);
create index inbound_messages_recipient_idx on public.inbound_messages (tenant_id, recipient_id);

-- ===========================================================================
-- Triggers
-- ===========================================================================
create trigger notification_settings_touch before update on public.notification_settings
  for each row execute function app.touch_updated_at();
create trigger notification_recipients_touch before update on public.notification_recipients
  for each row execute function app.touch_updated_at();
create trigger notification_outbox_touch before update on public.notification_outbox
  for each row execute function app.touch_updated_at();
create trigger notification_settings_audit after insert or update on public.notification_settings
  for each row execute function app.audit_row('tenant_id');
create trigger notification_recipients_audit after insert or update or delete
  on public.notification_recipients for each row execute function app.audit_row('id');

-- ===========================================================================
-- Policies: members read the settings and the messages sent; managers and owners manage
-- settings and recipients (phone numbers are personal data) and read inbound replies.
-- The outbox is written by the evaluation and the dispatcher (service role) only.
-- ===========================================================================
create policy notification_settings_select on public.notification_settings for select
  to authenticated using (tenant_id = (select app.current_tenant_id()));
create policy notification_settings_insert on public.notification_settings for insert
  to authenticated
  with check (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));
create policy notification_settings_update on public.notification_settings for update
  to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')))
  with check (tenant_id = (select app.current_tenant_id()));

create policy notification_recipients_select on public.notification_recipients for select
  to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));
create policy notification_recipients_insert on public.notification_recipients for insert
  to authenticated
  with check (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));
create policy notification_recipients_update on public.notification_recipients for update
  to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')))
  with check (tenant_id = (select app.current_tenant_id()));
create policy notification_recipients_delete on public.notification_recipients for delete
  to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));

create policy notification_outbox_select on public.notification_outbox for select
  to authenticated using (tenant_id = (select app.current_tenant_id()));
create policy inbound_messages_select on public.inbound_messages for select to authenticated
  using (tenant_id = (select app.current_tenant_id()) and (select app.has_current_role('manager')));

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on public.notification_settings, public.notification_recipients,
  public.notification_outbox, public.inbound_messages from anon, authenticated;
grant select, insert, update (daily_budget, quiet_hours_start, quiet_hours_end,
  stock_out_overrides_quiet_hours) on public.notification_settings to authenticated;
grant select, delete on public.notification_recipients to authenticated;
grant insert (tenant_id, user_id, display_name, phone_e164, language, opted_in, opted_in_at,
  opted_out_at, alert_types, notify_resolved, quiet_hours_start, quiet_hours_end, active)
  on public.notification_recipients to authenticated;
grant update (user_id, display_name, phone_e164, language, opted_in, opted_in_at, opted_out_at,
  alert_types, notify_resolved, quiet_hours_start, quiet_hours_end, active)
  on public.notification_recipients to authenticated;
grant select on public.notification_outbox, public.inbound_messages to authenticated;
grant select, insert, update, delete on public.notification_settings,
  public.notification_recipients, public.notification_outbox, public.inbound_messages
  to service_role;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on table public.notification_settings is 'Per-tenant WhatsApp settings (no row: the defaults).';
comment on column public.notification_settings.tenant_id is 'Tenant.';
comment on column public.notification_settings.daily_budget is 'Most messages sent per day (tenant time zone); beyond it messages wait for the next day.';
comment on column public.notification_settings.quiet_hours_start is 'Start of the quiet hours (local time), default 21:00.';
comment on column public.notification_settings.quiet_hours_end is 'End of the quiet hours (local time), default 07:00.';
comment on column public.notification_settings.stock_out_overrides_quiet_hours is 'A message with a stock-out is sent even during quiet hours.';
comment on column public.notification_settings.created_at is 'Creation time.';
comment on column public.notification_settings.updated_at is 'Last change.';

comment on table public.notification_recipients is 'People who receive WhatsApp alerts for a tenant, with consent and preferences.';
comment on column public.notification_recipients.id is 'Recipient identifier.';
comment on column public.notification_recipients.tenant_id is 'Owning tenant.';
comment on column public.notification_recipients.user_id is 'Member account of this person, when there is one (a member of the tenant; unlinked when they leave).';
comment on column public.notification_recipients.display_name is 'Name used in messages and lists.';
comment on column public.notification_recipients.phone_e164 is 'WhatsApp number in E.164 (+221…).';
comment on column public.notification_recipients.language is 'Message language (fr).';
comment on column public.notification_recipients.opted_in is 'The person agreed to receive WhatsApp messages; nothing is sent otherwise.';
comment on column public.notification_recipients.opted_in_at is 'When consent was recorded.';
comment on column public.notification_recipients.opted_out_at is 'When the person replied STOP (or consent was withdrawn).';
comment on column public.notification_recipients.alert_types is 'Alert types this person receives (null: all).';
comment on column public.notification_recipients.notify_resolved is 'Also told once when an alert clears.';
comment on column public.notification_recipients.quiet_hours_start is 'Own quiet hours start (null: the tenant''s).';
comment on column public.notification_recipients.quiet_hours_end is 'Own quiet hours end (null: the tenant''s).';
comment on column public.notification_recipients.last_inbound_at is 'Last message received from this number: opens the 24-hour free-form window.';
comment on column public.notification_recipients.active is 'False: kept for history, receives nothing.';
comment on column public.notification_recipients.created_at is 'Creation time.';
comment on column public.notification_recipients.updated_at is 'Last change.';

comment on table public.notification_outbox is 'Messages to send and sent: written with the alerts in one transaction, sent after commit by the dispatcher with retries.';
comment on column public.notification_outbox.id is 'Message number.';
comment on column public.notification_outbox.tenant_id is 'Owning tenant.';
comment on column public.notification_outbox.recipient_id is 'Who receives it.';
comment on column public.notification_outbox.run_id is 'job_runs.id of the evaluation that queued it (null otherwise).';
comment on column public.notification_outbox.kind is 'alerts (a digest of a run''s alerts), test or reply (to an inbound command).';
comment on column public.notification_outbox.payload is 'What the text is made from: the alerts'' facts, or the text itself.';
comment on column public.notification_outbox.alert_ids is 'Alerts this message is about.';
comment on column public.notification_outbox.urgent is 'Contains a stock-out (may override quiet hours).';
comment on column public.notification_outbox.status is 'pending → sending → queued/sent/delivered/read, or failed/undelivered; cancelled when no longer to be sent.';
comment on column public.notification_outbox.message_kind is 'freeform (inside the 24-hour window) or template (ContentSid), chosen at send time.';
comment on column public.notification_outbox.body is 'Text sent (freeform) or the template variables (JSON).';
comment on column public.notification_outbox.attempts is 'Send attempts so far.';
comment on column public.notification_outbox.next_attempt_at is 'Not sent before this time (backoff, quiet hours, budget).';
comment on column public.notification_outbox.locked_until is 'A dispatcher is sending it until then; after that another may retry.';
comment on column public.notification_outbox.deferred_reason is 'Why it waits: quiet_hours, budget, not_configured or retry.';
comment on column public.notification_outbox.provider_sid is 'Twilio message SID.';
comment on column public.notification_outbox.error_code is 'Twilio error code of the last failure.';
comment on column public.notification_outbox.last_error is 'Last failure, readable.';
comment on column public.notification_outbox.sent_at is 'When Twilio accepted it.';
comment on column public.notification_outbox.delivered_at is 'When Twilio reported it delivered.';
comment on column public.notification_outbox.read_at is 'When Twilio reported it read.';
comment on column public.notification_outbox.failed_at is 'When it failed for good.';
comment on column public.notification_outbox.created_at is 'When it was queued.';
comment on column public.notification_outbox.updated_at is 'Last change.';

comment on table public.inbound_messages is 'WhatsApp messages received (commands STOP, OK n, STOCK …, AIDE), verified by signature.';
comment on column public.inbound_messages.id is 'Order of reception.';
comment on column public.inbound_messages.tenant_id is 'Tenant of the sender (null: unknown number).';
comment on column public.inbound_messages.recipient_id is 'The recipient who sent it.';
comment on column public.inbound_messages.from_e164 is 'Sender number in E.164.';
comment on column public.inbound_messages.body is 'Text as received.';
comment on column public.inbound_messages.provider_sid is 'Twilio message SID (a redelivered webhook is stored once).';
comment on column public.inbound_messages.command is 'Understood command: stop, start, ok, stock, help or unknown.';
comment on column public.inbound_messages.reply is 'Our answer (returned to Twilio as TwiML in the webhook response).';
comment on column public.inbound_messages.received_at is 'When it arrived.';
