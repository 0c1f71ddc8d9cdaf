#!/usr/bin/env bash
# The real-Postgres half of .ci/run, run inside scripts/with_postgres.ts (which sets
# DATABASE_URL to a throw-away Postgres 15 cluster and removes it afterwards):
#   1. the Deno suite against Postgres     -> $1/postgres.log, $1/postgres.rc
#   2. deno task migrate checks            -> $1/migrate.log,  $1/migrate.rc
#   3. the pgTAP suite through pg_prove    -> $1/pgtap.log,    $1/pgtap.rc
#   4. with pg_cron: the jobs pgTAP file in the cron database (`postgres`, migrated here
#      last), where the cron.job checks are real -> $1/pgtap_cron.log, $1/pgtap_cron.rc
# Every step runs even when an earlier one fails; .ci/run reads the files.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=${1:?usage: postgres_steps.sh LOG_DIR}

echo
echo "==> Deno tests against Postgres ($DATABASE_URL)"
deno task test 2>&1 | tee "$logs/postgres.log"
echo "${PIPESTATUS[0]}" >"$logs/postgres.rc"

echo
echo "==> deno task migrate: applies, is idempotent, refuses an edited migration"
(
  set -e
  db=digiboost_migrate_check
  url="${DATABASE_URL%/*}/$db"
  psql -X -q -v ON_ERROR_STOP=1 -c "create database $db"
  trap 'psql -X -q -c "drop database if exists $db with (force)"' EXIT
  DATABASE_URL=$url deno task migrate
  again=$(DATABASE_URL=$url deno task migrate)
  echo "$again"
  [[ $again == *"is up to date"* ]]
  # An edited migration looks like this to the runner: the recorded checksum differs.
  psql -X -q -v ON_ERROR_STOP=1 -d "$db" \
    -c "update app.schema_migrations set checksum = 'edited' where version = (select min(version) from app.schema_migrations)"
  if DATABASE_URL=$url deno task migrate 2>"$logs/migrate.err"; then
    echo "deno task migrate accepted an edited migration" >&2
    exit 1
  fi
  cat "$logs/migrate.err" >&2
  grep -q 'was changed after it was applied' "$logs/migrate.err"
  echo "migrate checks: ok"
) 2>&1 | tee "$logs/migrate.log"
echo "${PIPESTATUS[0]}" >"$logs/migrate.rc"

echo
echo "==> pgTAP (pg_prove supabase/tests/*.sql)"
bash scripts/pgtap.sh --verbose 2>&1 | tee "$logs/pgtap.log"
echo "${PIPESTATUS[0]}" >"$logs/pgtap.rc"

# pg_cron can only live in cron.database_name (`postgres`): the fresh database of step 3
# skips the cron.job checks of 60_jobs.test.sql, so that file runs again here, in the
# cron database, once the migrations (which register the jobs) are applied to it.
if [ "$(psql -X -tA -c "select 1 from pg_extension where extname = 'pg_cron'")" = 1 ]; then
  echo
  echo "==> pgTAP in the cron database (supabase/tests/60_jobs.test.sql in postgres)"
  (
    set -e
    deno task migrate
    psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role, supabase_auth_admin;
create extension if not exists pgtap with schema extensions;
alter database postgres set search_path = "$user", public, extensions;
SQL
    pg_prove --verbose --dbname "$DATABASE_URL" supabase/tests/60_jobs.test.sql
  ) 2>&1 | tee "$logs/pgtap_cron.log"
  echo "${PIPESTATUS[0]}" >"$logs/pgtap_cron.rc"
fi
