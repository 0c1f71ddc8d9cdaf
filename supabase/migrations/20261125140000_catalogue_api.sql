-- What the catalogue API needs from the schema: accent- and case-insensitive search and
-- name ordering that work the same on Postgres 15, 18 and PGlite (no `unaccent`, no
-- ICU collation assumed), and a default location that stays usable.
--
-- Sections: functions · columns and indexes · triggers · grants · comments.

-- ===========================================================================
-- Functions
-- ===========================================================================

-- Folds text for searching and ordering: French (and common Latin-1) accents removed,
-- ligatures expanded, lower case. Accented capitals are translated before lower(),
-- which under the C locale lowers ASCII letters only.
create function app.fold_search(value text) returns text
language sql immutable parallel safe set search_path = '' as $$
  select lower(
    replace(replace(replace(replace(
      translate(value,
        'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿŸ',
        'aaaaaaaaaaaacceeeeeeeeiiiiiiiinnoooooooooouuuuuuuuyyyy'),
      'Œ', 'oe'), 'œ', 'oe'), 'Æ', 'ae'), 'æ', 'ae'))
$$;

-- A LIKE pattern matching `query` anywhere in a folded text; the query's own `%`, `_`
-- and `\` are matched literally.
create function app.search_pattern(query text) returns text
language sql immutable parallel safe set search_path = '' as $$
  select '%' || replace(replace(replace(app.fold_search(query), '\', '\\'), '%', '\%'), '_', '\_')
    || '%'
$$;

-- ===========================================================================
-- Columns and indexes
-- ===========================================================================
alter table public.products
  add column name_search text generated always as (app.fold_search(name)) stored;

create index products_tenant_name_search_idx on public.products (tenant_id, name_search, id);

-- ===========================================================================
-- Triggers
-- ===========================================================================

-- The default location is where stock goes when a request names no location: it may
-- be neither archived nor deleted (choose another default first), and an archived
-- location cannot become the default. Deleting the tenant still deletes it.
create function app.guard_default_location() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'DELETE' then
    if old.is_default and exists (select 1 from public.tenants t where t.id = old.tenant_id) then
      perform app.raise_error(409, 'location_is_default',
        'La boutique par défaut ne peut pas être supprimée : choisissez d''abord une autre '
        || 'boutique par défaut.');
    end if;
    return old;
  end if;
  if new.is_default and new.archived_at is not null then
    if old.is_default then
      perform app.raise_error(409, 'location_is_default',
        'La boutique par défaut ne peut pas être archivée : choisissez d''abord une autre '
        || 'boutique par défaut.');
    end if;
    perform app.raise_error(409, 'location_archived',
      'Une boutique archivée ne peut pas devenir la boutique par défaut : restaurez-la d''abord.');
  end if;
  return new;
end
$$;

create trigger locations_guard_default before update or delete on public.locations
  for each row execute function app.guard_default_location();

-- ===========================================================================
-- Grants
-- ===========================================================================
revoke all on function app.fold_search(text), app.search_pattern(text),
  app.guard_default_location() from public;
grant execute on function app.fold_search(text), app.search_pattern(text)
  to authenticated, service_role;

-- ===========================================================================
-- Comments
-- ===========================================================================
comment on function app.fold_search(text) is
  'Folds text for search and ordering: accents removed, ligatures expanded, lower case (portable stand-in for unaccent).';
comment on function app.search_pattern(text) is
  'LIKE pattern matching a folded query anywhere in a folded text, with %, _ and \ taken literally.';
comment on function app.guard_default_location() is
  'Trigger: the default location is neither archived nor deleted (unless its tenant is), and an archived location never becomes the default.';
comment on column public.products.name_search is
  'Name folded by app.fold_search (no accents, lower case): what searches and name ordering use.';
