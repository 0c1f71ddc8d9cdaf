-- Order lines (sales and purchase) change only while their order is a draft: one trigger
-- function shared by both kinds, after both migrations that create their tables.
--
-- Sections: functions · triggers · grants · comments.

-- ===========================================================================
-- Functions
-- ===========================================================================

-- Lines change only while their order is a draft (deliveries and receipts change the
-- delivered / received quantities only, which this trigger does not watch).
create function app.order_line_draft_only() returns trigger
language plpgsql set search_path = '' as $$
declare
  v_status text;
begin
  if tg_table_name = 'sales_order_lines' then
    select o.status::text into v_status from public.sales_orders o
    where o.tenant_id = new.tenant_id and o.id = new.order_id;
  else
    select o.status::text into v_status from public.purchase_orders o
    where o.tenant_id = new.tenant_id and o.id = new.order_id;
  end if;
  if v_status is distinct from 'draft' and v_status is not null then
    perform app.raise_error(409, 'order_not_draft',
      'Les lignes ne se modifient que tant que la commande est un brouillon.',
      jsonb_build_object('status', v_status));
  end if;
  new.updated_at := now();
  return new;
end
$$;

-- ===========================================================================
-- Triggers
-- ===========================================================================
create trigger sales_order_lines_draft_only
  before insert or update of product_id, quantity_ordered, unit_price_xof
  on public.sales_order_lines
  for each row execute function app.order_line_draft_only();

create trigger purchase_order_lines_draft_only
  before insert or update of product_id, quantity_ordered, unit_cost_xof
  on public.purchase_order_lines
  for each row execute function app.order_line_draft_only();

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on function app.order_line_draft_only() from public, anon;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on function app.order_line_draft_only() is
  'Trigger: order lines are added or changed only while their order is a draft (409 order_not_draft).';
