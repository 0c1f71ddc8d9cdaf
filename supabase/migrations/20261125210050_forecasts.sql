-- Forecasts per product × location (issue "Stock-out predictions and replenishment"):
-- the forecasting job's latest outputs, which the rupture prévue alert reads
-- (20261125210200_alert_evaluation.sql) and the STOCK WhatsApp command uses for days of
-- cover. Members read their tenant's rows; only the service role writes.
--
-- Sections: tables · indexes · policies · grants · comments.

-- ===========================================================================
-- Tables
-- ===========================================================================
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

alter table public.forecasts enable row level security;

-- ===========================================================================
-- Indexes
-- ===========================================================================
create index forecasts_tenant_location_idx on public.forecasts (tenant_id, location_id, product_id);

-- ===========================================================================
-- Policies
-- ===========================================================================
create policy forecasts_select on public.forecasts for select to authenticated
  using (tenant_id = (select app.current_tenant_id()));

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on public.forecasts from anon, authenticated;
grant select on public.forecasts to authenticated;
grant select, insert, update, delete on public.forecasts to service_role;

-- ===========================================================================
-- Comments
-- ===========================================================================
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
