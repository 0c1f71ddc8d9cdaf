-- Demo data: a Dakar shop and a second tenant, with one user of each role, so tenant
-- isolation can be seen at once. Idempotent (re-running changes nothing).
-- Every demo user's password: Demo-Dakar-2026 (bcrypt, as GoTrue stores it).
-- The inventory issue adds the demo catalogue (French product names, XOF prices).

insert into auth.users (instance_id, id, aud, role, email, encrypted_password,
  email_confirmed_at, phone, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
values
  ('00000000-0000-0000-0000-000000000000', 'a0000000-0000-4000-8000-000000000001',
   'authenticated', 'authenticated', 'awa.diop@demo.digiboost.sn',
   '$2a$10$jQUBkiBYOm.H1U3yfLvMbeXKQRw/CLqc2nT0gdG.xfyGUUOz3PEIW', now(), '+221771234501',
   '{"provider":"email","providers":["email"]}', '{"full_name":"Awa Diop"}', now(), now()),
  ('00000000-0000-0000-0000-000000000000', 'a0000000-0000-4000-8000-000000000002',
   'authenticated', 'authenticated', 'moussa.ndiaye@demo.digiboost.sn',
   '$2a$10$jQUBkiBYOm.H1U3yfLvMbeXKQRw/CLqc2nT0gdG.xfyGUUOz3PEIW', now(), '+221771234502',
   '{"provider":"email","providers":["email"]}', '{"full_name":"Moussa Ndiaye"}', now(), now()),
  ('00000000-0000-0000-0000-000000000000', 'a0000000-0000-4000-8000-000000000003',
   'authenticated', 'authenticated', 'fatou.sow@demo.digiboost.sn',
   '$2a$10$jQUBkiBYOm.H1U3yfLvMbeXKQRw/CLqc2nT0gdG.xfyGUUOz3PEIW', now(), '+221761234503',
   '{"provider":"email","providers":["email"]}', '{"full_name":"Fatou Sow"}', now(), now()),
  ('00000000-0000-0000-0000-000000000000', 'b0000000-0000-4000-8000-000000000001',
   'authenticated', 'authenticated', 'ibrahima.fall@demo.digiboost.sn',
   '$2a$10$jQUBkiBYOm.H1U3yfLvMbeXKQRw/CLqc2nT0gdG.xfyGUUOz3PEIW', now(), '+221781234504',
   '{"provider":"email","providers":["email"]}', '{"full_name":"Ibrahima Fall"}', now(), now())
on conflict (id) do nothing;

insert into public.tenants (id, name, currency, timezone, settings, created_by)
values
  ('11111111-1111-4111-8111-111111111111', 'Boutique Sandaga — Chez Awa', 'XOF',
   'Africa/Dakar',
   '{"address":"Marché Sandaga, Dakar","whatsapp":"+221771234501","allow_negative_stock":false}',
   'a0000000-0000-4000-8000-000000000001'),
  ('22222222-2222-4222-8222-222222222222', 'Quincaillerie Fall — Thiès', 'XOF',
   'Africa/Dakar',
   '{"address":"Avenue Léopold Sédar Senghor, Thiès","whatsapp":"+221781234504","allow_negative_stock":false}',
   'b0000000-0000-4000-8000-000000000001')
on conflict (id) do nothing;

insert into public.memberships (tenant_id, user_id, role)
values
  ('11111111-1111-4111-8111-111111111111', 'a0000000-0000-4000-8000-000000000001', 'owner'),
  ('11111111-1111-4111-8111-111111111111', 'a0000000-0000-4000-8000-000000000002', 'manager'),
  ('11111111-1111-4111-8111-111111111111', 'a0000000-0000-4000-8000-000000000003', 'viewer'),
  ('22222222-2222-4222-8222-222222222222', 'b0000000-0000-4000-8000-000000000001', 'owner')
on conflict (tenant_id, user_id) do nothing;
