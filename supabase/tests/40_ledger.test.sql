-- The stock ledger per actor: members read their tenant's movements, levels and costs;
-- managers and owners record movements; nobody reaches another tenant; movements are
-- append-only (for every role, the table owner included); levels are written by the
-- ledger trigger alone and never go below zero unless the tenant allows it.
begin;
select plan(43);
\ir helpers/tenancy_fixture.psql

-- Catalogue rows with known ids (A: rice, oil, a depot and a shop; B: one product, a depot).
insert into public.products (id, tenant_id, sku, name) values
  ('aaaa0001-0000-4000-8000-000000000001', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'RIZ-A', 'Riz A'),
  ('aaaa0001-0000-4000-8000-000000000002', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'HUILE-A', 'Huile A'),
  ('bbbb0001-0000-4000-8000-000000000001', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'RIZ-B', 'Riz B');
insert into public.locations (id, tenant_id, name) values
  ('aaaa0002-0000-4000-8000-000000000001', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Dépôt A'),
  ('aaaa0002-0000-4000-8000-000000000002', 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'Boutique A2'),
  ('bbbb0002-0000-4000-8000-000000000001', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'Dépôt B');

-- ---------------------------------------------------------------------------
-- Policies as designed
-- ---------------------------------------------------------------------------
select policies_are('public', 'stock_movements', array['stock_movements_select', 'stock_movements_insert'],
  'stock_movements: select and insert only (append-only)');
select policies_are('public', 'stock_levels', array['stock_levels_select'],
  'stock_levels: read only (the trigger writes)');
select policies_are('public', 'product_costs', array['product_costs_select'],
  'product_costs: read only (the trigger writes)');
select policies_are('public', 'idempotency_keys',
  array['idempotency_keys_select', 'idempotency_keys_insert', 'idempotency_keys_update'],
  'idempotency_keys: select, insert, update');

-- ---------------------------------------------------------------------------
-- anon
-- ---------------------------------------------------------------------------
select pg_temp.act_as('anon');
select throws_ok('select * from public.stock_movements', '42501', null, 'anon cannot read movements');
select throws_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity, unit_cost_xof)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000001', 'receipt', 1, 1) $$,
  '42501', null, 'anon cannot record a movement');

-- ---------------------------------------------------------------------------
-- Managers record; the level follows in the same statement
-- ---------------------------------------------------------------------------
select pg_temp.act_as('manager_a');
select lives_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity, unit_cost_xof)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000001', 'receipt', 10, 100) $$,
  'manager of A records a receipt');
select results_eq($$ select quantity::int from public.stock_levels
    where product_id = 'aaaa0001-0000-4000-8000-000000000001' $$,
  $$ values (10) $$, 'the level is 10 at once');
select results_eq($$ select created_by from public.stock_movements $$,
  $$ values ('a0000000-0000-4000-8000-000000000002'::uuid) $$, 'created_by is the caller');
select throws_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity, created_by)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000001', 'sale', -1, 'a0000000-0000-4000-8000-000000000001') $$,
  '42501', null, 'nobody chooses created_by');

-- ---------------------------------------------------------------------------
-- Viewers read, never write
-- ---------------------------------------------------------------------------
select pg_temp.act_as('viewer_a');
select results_eq('select count(*)::int from public.stock_movements', $$ values (1) $$,
  'viewer of A reads A''s movements');
select results_eq('select count(*)::int from public.stock_levels', $$ values (1) $$,
  'viewer of A reads A''s levels');
select throws_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000001', 'sale', -1) $$,
  '42501', null, 'a viewer cannot record a movement');
select throws_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, counted_quantity)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000001', 'count', 0) $$,
  '42501', null, 'nor a stock count (refused before the count reads any level)');

-- ---------------------------------------------------------------------------
-- Nobody crosses tenants
-- ---------------------------------------------------------------------------
select pg_temp.act_as('owner_b');
select is_empty('select * from public.stock_movements', 'owner of B sees none of A''s movements');
select is_empty('select * from public.stock_levels', 'owner of B sees none of A''s levels');
select is_empty('select * from public.product_costs', 'owner of B sees none of A''s costs');
select throws_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000001', 'sale', -10) $$,
  '42501', null, 'owner of B cannot record a movement in A');

select pg_temp.act_as('manager_a');
select throws_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity, unit_cost_xof)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'bbbb0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000001', 'receipt', 1, 1) $$,
  '23503', null, 'a movement of A cannot name B''s product (same-tenant foreign key)');
select throws_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity, unit_cost_xof)
    values ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'bbbb0001-0000-4000-8000-000000000001',
      'bbbb0002-0000-4000-8000-000000000001', 'receipt', 1, 1) $$,
  '42501', null, 'manager of A cannot record a movement in B');
select throws_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, counted_quantity)
    values ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'bbbb0001-0000-4000-8000-000000000001',
      'bbbb0002-0000-4000-8000-000000000001', 'count', 0) $$,
  '42501', null, 'nor a stock count in B');

-- ---------------------------------------------------------------------------
-- Append-only; levels written by the trigger alone
-- ---------------------------------------------------------------------------
select throws_ok('update public.stock_movements set quantity = 1000', '42501', null,
  'a manager cannot update a movement');
select throws_ok('delete from public.stock_movements', '42501', null,
  'a manager cannot delete a movement');
select throws_ok('update public.stock_levels set quantity = 1000', '42501', null,
  'a manager cannot write a level');
select pg_temp.act_as('owner_a');
select throws_ok($$ insert into public.stock_levels (tenant_id, product_id, location_id, quantity)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000002',
      'aaaa0002-0000-4000-8000-000000000001', 1000) $$,
  '42501', null, 'an owner cannot write a level either');
select pg_temp.act_as('service_role');
select throws_ok('update public.stock_movements set quantity = 1000', '42501', null,
  'the service role cannot update a movement');
reset role;
select throws_ok('update public.stock_movements set quantity = 1000', 'DG409', 'movement_immutable',
  'even the table owner cannot update a movement');
select throws_ok('delete from public.stock_movements', 'DG409', 'movement_immutable',
  'nor delete one');
select throws_ok('truncate public.stock_movements', 'DG409', 'movement_immutable', 'nor truncate');

-- ---------------------------------------------------------------------------
-- Negative stock
-- ---------------------------------------------------------------------------
select pg_temp.act_as('manager_a');
select throws_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000001', 'sale', -11) $$,
  'DG409', 'insufficient_stock', 'a sale beyond the stock is refused');
select throws_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000001', 'sale', 11) $$,
  '23514', null, 'a sale is negative (the kind fixes the sign)');
reset role;
update public.tenants set settings = '{"allow_negative_stock": true}'
  where id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
select pg_temp.act_as('manager_a');
select lives_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000001', 'sale', -15) $$,
  'with allow_negative_stock the sale goes through');
select results_eq($$ select quantity::int from public.stock_levels
    where product_id = 'aaaa0001-0000-4000-8000-000000000001' $$,
  $$ values (-5) $$, 'and the level is -5');

-- ---------------------------------------------------------------------------
-- Stock count, transfer, weighted average cost
-- ---------------------------------------------------------------------------
select results_eq($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, counted_quantity)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000001', 'count', 7) returning quantity $$,
  $$ values (12) $$, 'a count of 7 at -5 writes +12');
select throws_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity, transfer_id)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000001', 'transfer_out', -2, gen_random_uuid()) $$,
  'DG422', 'transfer_unbalanced', 'a transfer leg alone is refused');
select lives_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity, transfer_id)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000001', 'transfer_out', -2, 'aaaa0003-0000-4000-8000-000000000001'),
      ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000002', 'transfer_in', 2, 'aaaa0003-0000-4000-8000-000000000001') $$,
  'both legs in one statement are recorded');
select results_eq($$ select location_id, quantity::int from public.stock_levels
    where product_id = 'aaaa0001-0000-4000-8000-000000000001' order by location_id $$,
  $$ values ('aaaa0002-0000-4000-8000-000000000001'::uuid, 5), ('aaaa0002-0000-4000-8000-000000000002'::uuid, 2) $$,
  'the transfer moved 2 from the depot to the shop');
select lives_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity, unit_cost_xof)
    values ('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', 'aaaa0001-0000-4000-8000-000000000001',
      'aaaa0002-0000-4000-8000-000000000002', 'receipt', 3, 300) $$,
  'a second receipt');
select results_eq($$ select average_unit_cost_xof from public.product_costs
    where product_id = 'aaaa0001-0000-4000-8000-000000000001' $$,
  $$ values (160.0000::numeric) $$,
  'weighted average cost: (7 on hand × 100 + 3 received × 300) ÷ 10 (counts and transfers leave it)');

-- ---------------------------------------------------------------------------
-- The service role; deleting a tenant deletes its ledger
-- ---------------------------------------------------------------------------
select pg_temp.act_as('service_role');
select results_eq($$ select count(*)::int from public.stock_movements
    where tenant_id = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa' $$,
  $$ values (6) $$, 'the service role reads every tenant''s movements');
select lives_ok($$ insert into public.stock_movements (tenant_id, product_id, location_id, kind, quantity, unit_cost_xof)
    values ('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', 'bbbb0001-0000-4000-8000-000000000001',
      'bbbb0002-0000-4000-8000-000000000001', 'receipt', 4, 10) $$,
  'the service role records a movement');
reset role;
select lives_ok($$ delete from public.tenants where id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' $$,
  'deleting tenant B is allowed');
select is_empty($$ select 1 from public.stock_movements where tenant_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb'
    union all select 1 from public.stock_levels where tenant_id = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb' $$,
  'and its ledger went with it');

select * from finish();
rollback;
