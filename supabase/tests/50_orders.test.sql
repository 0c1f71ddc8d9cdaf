-- Orders per actor: members read their tenant's sales and purchase orders; managers and
-- owners create them and edit draft lines; statuses change only through the transition
-- functions (confirm, deliver, cancel; send, receive, cancel), which write stock through
-- the ledger; nobody reaches another tenant; receipts keep the observed lead time.
begin;
select plan(36);
\ir helpers/tenancy_fixture.psql

-- Catalogue of A (rice with 5 in stock at the depot, a supplier) and of B (one product).
insert into public.products (id, tenant_id, sku, name) values
  ('aaaa0001-0000-4000-8000-000000000001', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'RIZ-A', 'Riz A'),
  ('bbbb0001-0000-4000-8000-000000000001', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'RIZ-B', 'Riz B');
insert into public.locations (id, tenant_id, name) values
  ('aaaa0002-0000-4000-8000-000000000001', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Dépôt A'),
  ('bbbb0002-0000-4000-8000-000000000001', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'Dépôt B');
insert into public.suppliers (id, tenant_id, name) values
  ('aaaa0003-0000-4000-8000-000000000001', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Grossiste A');
insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity, unit_cost_xof)
values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
  'aaaa0002-0000-4000-8000-000000000001', 'receipt', 5, 100);

-- ---------------------------------------------------------------------------
-- Policies as designed
-- ---------------------------------------------------------------------------
select policies_are('public', 'sales_orders', array['sales_orders_select', 'sales_orders_insert'],
  'sales_orders: select and insert (statuses through functions)');
select policies_are('public', 'sales_order_lines',
  array['sales_order_lines_select', 'sales_order_lines_insert', 'sales_order_lines_update'],
  'sales_order_lines: select, insert, update');
select policies_are('public', 'purchase_orders', array['purchase_orders_select', 'purchase_orders_insert'],
  'purchase_orders: select and insert');
select policies_are('public', 'purchase_order_lines',
  array['purchase_order_lines_select', 'purchase_order_lines_insert', 'purchase_order_lines_update'],
  'purchase_order_lines: select, insert, update');
select policies_are('public', 'purchase_receipts', array['purchase_receipts_select'],
  'purchase_receipts: read only (receive_purchase_order writes)');

-- ---------------------------------------------------------------------------
-- anon
-- ---------------------------------------------------------------------------
select pg_temp.act_as('anon');
select throws_ok('select * from public.sales_orders', '42501', null, 'anon cannot read sales orders');
select throws_ok('select * from public.purchase_receipts', '42501', null, 'anon cannot read receipts');
select throws_ok($$ select public.service_rate('2026-01-01', '2026-12-31', 'day') $$, '42501', null,
  'anon cannot compute a service rate');

-- ---------------------------------------------------------------------------
-- Managers create, edit drafts and move orders on
-- ---------------------------------------------------------------------------
select pg_temp.act_as('manager_a');
select lives_ok($$ insert into public.sales_orders (id, tenant_id, location_id, customer_name)
    values ('aaaa0004-0000-4000-8000-000000000001', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      'aaaa0002-0000-4000-8000-000000000001', 'Awa') $$, 'manager of A creates a sales order');
select lives_ok($$ insert into public.sales_order_lines (tenant_id, order_id, product_id, quantity_ordered)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0004-0000-4000-8000-000000000001',
      'aaaa0001-0000-4000-8000-000000000001', 8) $$, 'and adds a line while draft');
select throws_ok($$ update public.sales_orders set status = 'delivered' $$, '42501', null,
  'nobody sets a status by hand');
select throws_ok($$ update public.sales_order_lines set quantity_delivered = 8 $$, '42501', null,
  'nor a delivered quantity');
select lives_ok($$ select public.confirm_sales_order('aaaa0004-0000-4000-8000-000000000001') $$,
  'manager confirms');
select throws_ok($$ update public.sales_order_lines set quantity_ordered = 9 $$, 'DG409',
  'order_not_draft', 'lines are frozen once confirmed');
select throws_ok($$ select public.deliver_sales_order('aaaa0004-0000-4000-8000-000000000001',
    jsonb_build_array(jsonb_build_object('line_id', (select id from public.sales_order_lines), 'quantity', 8))) $$,
  'DG409', 'insufficient_stock', 'delivering more than the stock is refused');
select results_eq($$ select quantity::int from public.stock_levels $$, $$ values (5) $$,
  'and nothing was taken');
select lives_ok($$ select public.deliver_sales_order('aaaa0004-0000-4000-8000-000000000001',
    jsonb_build_array(jsonb_build_object('line_id', (select id from public.sales_order_lines), 'quantity', 3))) $$,
  'a partial delivery within the stock');
select results_eq($$ select o.status::text, l.quantity_delivered, s.quantity::int
    from public.sales_orders o, public.sales_order_lines l, public.stock_levels s $$,
  $$ values ('partially_delivered', 3, 2) $$, 'partially delivered; 3 sold through the ledger');
select lives_ok($$ select public.cancel_sales_order('aaaa0004-0000-4000-8000-000000000001', 'shop') $$,
  'manager cancels the rest');
select results_eq($$ select o.status::text, l.quantity_delivered, s.quantity::int
    from public.sales_orders o, public.sales_order_lines l, public.stock_levels s $$,
  $$ values ('cancelled', 3, 2) $$, 'cancelling returns nothing and keeps the delivered 3');
select throws_ok($$ select public.cancel_sales_order('aaaa0004-0000-4000-8000-000000000001', 'shop') $$,
  'DG409', 'invalid_transition', 'a cancelled order is not cancelled again');
select results_eq($$ select quantity_ordered::int, quantity_delivered::int, fill_rate
    from public.service_rate(current_date - 1, current_date + 1, 'product') $$,
  $$ values (8, 3, 0.3750::numeric) $$, 'closed short by the shop: 3 of 8');

select lives_ok($$ insert into public.purchase_orders (id, tenant_id, supplier_id, location_id)
    values ('aaaa0005-0000-4000-8000-000000000001', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      'aaaa0003-0000-4000-8000-000000000001', 'aaaa0002-0000-4000-8000-000000000001');
  insert into public.purchase_order_lines (tenant_id, order_id, product_id, quantity_ordered, unit_cost_xof)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0005-0000-4000-8000-000000000001',
      'aaaa0001-0000-4000-8000-000000000001', 10, 200) $$, 'manager creates a purchase order');
select lives_ok($$ select public.send_purchase_order('aaaa0005-0000-4000-8000-000000000001') $$,
  'and sends it');
reset role;
update public.purchase_orders set sent_at = now() - interval '2 days';
select pg_temp.act_as('manager_a');
select lives_ok($$ select public.receive_purchase_order('aaaa0005-0000-4000-8000-000000000001',
    jsonb_build_array(jsonb_build_object('line_id', (select id from public.purchase_order_lines), 'quantity', 10))) $$,
  'receives it (two days after it was sent)');
select results_eq($$ select p.status::text, r.quantity, r.lead_time_days = 2,
      s.quantity::int, c.average_unit_cost_xof::int
    from public.purchase_orders p, public.purchase_receipts r, public.stock_levels s,
      public.product_costs c $$,
  $$ values ('received', 10, true, 12, 183) $$,
  'received: lead time stored; stock 2 + 10; average cost (2 × 100 + 10 × 200) ÷ 12');
select throws_ok($$ select public.receive_purchase_order('aaaa0005-0000-4000-8000-000000000001',
    jsonb_build_array(jsonb_build_object('line_id', (select id from public.purchase_order_lines), 'quantity', 1))) $$,
  'DG409', 'invalid_transition', 'a received order receives nothing more');
select results_eq($$ select receipts::int from public.lead_time_stats(null, null) where product_id is null $$,
  $$ values (1) $$, 'lead time statistics see the receipt');

-- ---------------------------------------------------------------------------
-- Viewers read, never write
-- ---------------------------------------------------------------------------
select pg_temp.act_as('viewer_a');
select results_eq('select count(*)::int from public.sales_orders', $$ values (1) $$,
  'viewer of A reads A''s sales orders');
select throws_ok($$ insert into public.sales_orders (tenant_id, location_id)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0002-0000-4000-8000-000000000001') $$,
  '42501', null, 'a viewer cannot create an order');
select throws_ok($$ select public.cancel_purchase_order('aaaa0005-0000-4000-8000-000000000001') $$,
  'DG403', 'insufficient_role', 'nor move one on');

-- ---------------------------------------------------------------------------
-- Nobody crosses tenants
-- ---------------------------------------------------------------------------
select pg_temp.act_as('owner_b');
select is_empty('select * from public.sales_orders', 'owner of B sees none of A''s sales orders');
select is_empty('select * from public.purchase_receipts', 'nor A''s receipts');
select is_empty($$ select * from public.service_rate(current_date - 1, current_date + 1, 'day') $$,
  'nor A''s service rate');
select throws_ok($$ select public.confirm_sales_order('aaaa0004-0000-4000-8000-000000000001') $$,
  'DG404', 'sales_order_not_found', 'A''s order does not exist for B');
select throws_ok($$ insert into public.sales_orders (tenant_id, location_id)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0002-0000-4000-8000-000000000001') $$,
  '42501', null, 'owner of B cannot create an order in A');
reset role;

select * from finish();
rollback;
