#!/usr/bin/env bash
# Runs N replicas (default 2) of the packaged application on one PostgreSQL, as the ha overlay does, on ports
# 8081, 8082, ... of 127.0.0.1, until Ctrl-C. Packages the application first if target/quarkus-app is missing.
# The database is scripts/postgres.sh's unless TICKER_DATABASE_URL/_USER/_PASSWORD say otherwise; the admin token
# is TICKER_ADMIN_TOKEN (default local-token). Logs: target/replica-<port>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-2}
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q package -DskipTests

export TICKER_DATABASE=postgresql
export TICKER_DATABASE_URL=${TICKER_DATABASE_URL:-jdbc:postgresql://127.0.0.1:${PGPORT:-5433}/ticker}
export TICKER_DATABASE_USER=${TICKER_DATABASE_USER:-postgres}
export TICKER_DATABASE_PASSWORD=${TICKER_DATABASE_PASSWORD:-}
export TICKER_ADMIN_TOKEN=${TICKER_ADMIN_TOKEN:-local-token}

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT
trap 'exit 0' INT TERM
for i in $(seq 1 "$count"); do
  port=$((8080 + i))
  scripts/run.sh -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$port >"target/replica-$port.log" 2>&1 &
  pids+=($!)
done
for i in $(seq 1 "$count"); do
  port=$((8080 + i))
  for _ in $(seq 1 300); do
    if (exec 3<>/dev/tcp/127.0.0.1/$port && printf 'GET /q/health/ready HTTP/1.0\r\n\r\n' >&3 && head -1 <&3 | grep -q ' 200 ') 2>/dev/null; then
      echo "replica $i ready: http://127.0.0.1:$port/ (log target/replica-$port.log)"
      break
    fi
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null || { echo "replica $i exited; see target/replica-$port.log" >&2; exit 1; }
    sleep 0.2
  done
done
echo "Ctrl-C stops them."
wait
