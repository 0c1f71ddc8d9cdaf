-- Demo data: a Dakar shop and a second tenant, with one user of each role, so tenant
-- isolation can be seen at once. Idempotent (re-running changes nothing).
-- Every demo user's password: Demo-Dakar-2026 (bcrypt, as GoTrue stores it).

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

-- Catalogue ----------------------------------------------------------------------------
insert into public.categories (id, tenant_id, name, description)
values
  ('c1000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'Épicerie', 'Riz, huile, sucre, condiments'),
  ('c1000000-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'Boissons', 'Eau, café, thé, jus'),
  ('c1000000-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111', 'Hygiène', 'Savon, lessive'),
  ('c1000000-0000-4000-8000-000000000004', '11111111-1111-4111-8111-111111111111', 'Produits frais', 'Oignons, pommes de terre'),
  ('c2000000-0000-4000-8000-000000000001', '22222222-2222-4222-8222-222222222222', 'Gros œuvre', 'Ciment, fer, tôles'),
  ('c2000000-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', 'Finitions', 'Peinture, visserie')
on conflict (id) do nothing;

insert into public.suppliers (id, tenant_id, name, phone, whatsapp, lead_time_days, notes)
values
  ('d1000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111',
   'Dakar Distribution Alimentaire', '+221338211001', '+221771100101', 3, 'Livraison le mardi et le vendredi'),
  ('d1000000-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111',
   'Ets Ndiaye & Frères (Marché Tilène)', '+221776543210', '+221776543210', 1, 'Paiement comptant'),
  ('d2000000-0000-4000-8000-000000000001', '22222222-2222-4222-8222-222222222222',
   'Matériaux du Cayor', '+221339511200', '+221781112233', 5, null)
on conflict (id) do nothing;

insert into public.products (id, tenant_id, sku, name, category_id, unit, barcode,
  sale_price_xof, unit_cost_xof, reorder_point, max_stock, lead_time_days, supplier_id)
values
  ('e1000000-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'RIZ-BRISE-50', 'Riz brisé parfumé 50 kg', 'c1000000-0000-4000-8000-000000000001', 'sac', null, 17500, 15500, 5, 30, 3, 'd1000000-0000-4000-8000-000000000001'),
  ('e1000000-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'HUILE-5L', 'Huile végétale 5 L', 'c1000000-0000-4000-8000-000000000001', 'bidon', null, 6500, 5800, 8, 40, 3, 'd1000000-0000-4000-8000-000000000001'),
  ('e1000000-0000-4000-8000-000000000003', '11111111-1111-4111-8111-111111111111', 'SUCRE-1KG', 'Sucre en morceaux 1 kg', 'c1000000-0000-4000-8000-000000000001', 'paquet', null, 900, 750, 20, 120, 3, 'd1000000-0000-4000-8000-000000000001'),
  ('e1000000-0000-4000-8000-000000000004', '11111111-1111-4111-8111-111111111111', 'LAIT-POUDRE-400', 'Lait en poudre 400 g', 'c1000000-0000-4000-8000-000000000001', 'sachet', null, 2200, 1850, 12, 60, 3, 'd1000000-0000-4000-8000-000000000001'),
  ('e1000000-0000-4000-8000-000000000005', '11111111-1111-4111-8111-111111111111', 'CAFE-TOUBA-250', 'Café Touba 250 g', 'c1000000-0000-4000-8000-000000000002', 'sachet', null, 1000, 800, 15, 80, 1, 'd1000000-0000-4000-8000-000000000002'),
  ('e1000000-0000-4000-8000-000000000006', '11111111-1111-4111-8111-111111111111', 'THE-ATAYA-100', 'Thé vert Ataya 100 g', 'c1000000-0000-4000-8000-000000000002', 'paquet', null, 500, 380, 20, 100, 1, 'd1000000-0000-4000-8000-000000000002'),
  ('e1000000-0000-4000-8000-000000000007', '11111111-1111-4111-8111-111111111111', 'EAU-1L5', 'Eau minérale 1,5 L', 'c1000000-0000-4000-8000-000000000002', 'bouteille', null, 400, 300, 24, 144, 3, 'd1000000-0000-4000-8000-000000000001'),
  ('e1000000-0000-4000-8000-000000000008', '11111111-1111-4111-8111-111111111111', 'BISSAP-500', 'Bissap séché 500 g', 'c1000000-0000-4000-8000-000000000002', 'sachet', null, 1500, 1100, 6, 30, 1, 'd1000000-0000-4000-8000-000000000002'),
  ('e1000000-0000-4000-8000-000000000009', '11111111-1111-4111-8111-111111111111', 'TOMATE-400', 'Concentré de tomate 400 g', 'c1000000-0000-4000-8000-000000000001', 'boîte', null, 750, 600, 18, 90, 3, 'd1000000-0000-4000-8000-000000000001'),
  ('e1000000-0000-4000-8000-000000000010', '11111111-1111-4111-8111-111111111111', 'SAVON-300', 'Savon de ménage 300 g', 'c1000000-0000-4000-8000-000000000003', 'pièce', null, 350, 250, 30, 150, 3, 'd1000000-0000-4000-8000-000000000001'),
  ('e1000000-0000-4000-8000-000000000011', '11111111-1111-4111-8111-111111111111', 'OIGNON-25', 'Oignons (sac de 25 kg)', 'c1000000-0000-4000-8000-000000000004', 'sac', null, 9000, 7500, 3, 15, 1, 'd1000000-0000-4000-8000-000000000002'),
  ('e2000000-0000-4000-8000-000000000001', '22222222-2222-4222-8222-222222222222', 'CIMENT-50', 'Ciment CEM II 42,5 (sac de 50 kg)', 'c2000000-0000-4000-8000-000000000001', 'sac', null, 4200, 3800, 40, 300, 5, 'd2000000-0000-4000-8000-000000000001'),
  ('e2000000-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', 'FER-10', 'Fer à béton 10 mm (barre de 12 m)', 'c2000000-0000-4000-8000-000000000001', 'barre', null, 5200, 4700, 30, 200, 5, 'd2000000-0000-4000-8000-000000000001'),
  ('e2000000-0000-4000-8000-000000000003', '22222222-2222-4222-8222-222222222222', 'TOLE-ONDULEE', 'Tôle ondulée galvanisée 2 m', 'c2000000-0000-4000-8000-000000000001', 'pièce', null, 3500, 3000, 20, 150, 5, 'd2000000-0000-4000-8000-000000000001'),
  ('e2000000-0000-4000-8000-000000000004', '22222222-2222-4222-8222-222222222222', 'PEINTURE-20L', 'Peinture à eau blanche 20 L', 'c2000000-0000-4000-8000-000000000002', 'seau', null, 18000, 15000, 4, 20, 5, 'd2000000-0000-4000-8000-000000000001')
on conflict (id) do nothing;
