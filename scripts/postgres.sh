#!/usr/bin/env bash
# A throwaway PostgreSQL for trying the PostgreSQL mode locally, from Debian's postgresql package
# (apt-get install postgresql): `bash scripts/postgres.sh start` (or stop). It listens on 127.0.0.1:${PGPORT:-5433}
# only, trusts local connections, and has a database `ticker` owned by the superuser `postgres`; the cluster lives in
# ${TMPDIR:-/tmp}/rate-ticker-postgres and `stop` removes it.
set -euo pipefail
port=${PGPORT:-5433}
dir=${TMPDIR:-/tmp}/rate-ticker-postgres
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed: apt-get install postgresql" >&2; exit 1; }

# PostgreSQL refuses to run as root: as root, run its programs as the postgres user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if [ ! -d "$dir/data" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres: "$dir"
      as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -w -o "-h 127.0.0.1 -p $port -k $dir" start >/dev/null
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'ticker'" | grep -q 1 \
      || as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE ticker"
    echo "PostgreSQL on 127.0.0.1:$port, database ticker, user postgres (log: $dir/postgresql.log)"
    ;;
  stop)
    [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
