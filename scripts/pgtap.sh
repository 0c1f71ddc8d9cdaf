#!/usr/bin/env bash
# Runs the pgTAP suite (supabase/tests/*.sql) with pg_prove on a fresh database of the
# Postgres server that DATABASE_URL names: creates the database, applies the shim and
# the migrations with `deno task migrate`, installs pgTAP in schema `extensions` (as
# hosted Supabase does, so pgTAP's own objects stay out of public), runs pg_prove and
# drops the database again. The exit code is pg_prove's.
#
#   deno run -A scripts/with_postgres.ts bash scripts/pgtap.sh        # throw-away server
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bash scripts/pgtap.sh
#   bash scripts/pgtap.sh --verbose supabase/tests/12_invitations.test.sql
#
# Arguments starting with "-" go to pg_prove; other arguments are the test files
# (default: supabase/tests/*.sql). PGTAP_KEEP=1 keeps the database for a look.
# Needs psql, pg_prove (Debian: libtap-parser-sourcehandler-pgtap-perl) and the pgTAP
# extension on the server (Debian: postgresql-15-pgtap); the user must be allowed to
# create databases.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?DATABASE_URL must name a Postgres server, e.g. postgres://postgres@127.0.0.1:5432/postgres}"
for tool in psql pg_prove deno; do
  command -v "$tool" >/dev/null || { echo "pgtap: $tool not found on PATH" >&2; exit 2; }
done

options=()
files=()
for arg in "$@"; do
  if [[ $arg == -* ]]; then options+=("$arg"); else files+=("$arg"); fi
done
if [ ${#files[@]} -eq 0 ]; then files=(supabase/tests/*.sql); fi

db="digiboost_pgtap_$(date +%s)_$$"
# Same server, other database: replace the URL's path, keep its query string.
url=$(printf '%s' "$DATABASE_URL" | sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\\1/$db#")

admin() { psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 "$@"; }

admin -c "create database \"$db\""
cleanup() {
  if [ "${PGTAP_KEEP:-}" = 1 ]; then
    echo "pgtap: kept database $db ($url)" >&2
  else
    admin -c "drop database if exists \"$db\" with (force)" || true
  fi
}
trap cleanup EXIT

DATABASE_URL="$url" deno task migrate
psql "$url" -X -q -v ON_ERROR_STOP=1 <<SQL
create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role, supabase_auth_admin;
create extension if not exists pgtap with schema extensions;
alter database "$db" set search_path = "\$user", public, extensions;
SQL

pg_prove --dbname "$url" "${options[@]}" "${files[@]}"
