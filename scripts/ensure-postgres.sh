#!/usr/bin/env bash
# Makes sure a PostgreSQL server runs on localhost for the store tests, and
# prints the connection string for Backstage's TestDatabases. Uses Debian's
# postgresql package (installed when missing) and a role `cno_test`.
set -euo pipefail
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "[bootstrap] installing Debian's postgresql for the store tests" >&2
  $SUDO apt-get install -y --no-install-recommends postgresql >&2 ||
    { $SUDO apt-get update >&2 && $SUDO apt-get install -y --no-install-recommends postgresql >&2; }
fi
version="$(ls /usr/lib/postgresql | sort -n | tail -n 1)"
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version "; then
  $SUDO pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $4 }' | grep -q online; then
  $SUDO pg_ctlcluster "$version" main start >&2
fi
port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')"
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && su postgres -c "$1"); else (cd / && sudo -u postgres sh -c "$1"); fi
}
for _ in 1 2 3 4 5 6 7 8 9 10; do
  as_postgres "psql -p $port -tAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
as_postgres "psql -p $port -tAc \"select 1 from pg_roles where rolname='cno_test'\"" | grep -q 1 ||
  as_postgres "psql -p $port -c \"create role cno_test login superuser password 'cno_test'\"" >&2
echo "BACKSTAGE_TEST_DATABASE_POSTGRES${version}_CONNECTION_STRING=postgresql://cno_test:cno_test@localhost:$port"
