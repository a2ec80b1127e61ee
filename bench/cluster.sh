#!/usr/bin/env bash
# Two replicas on one PostgreSQL, N stream clients split evenly across them; a change written on replica A, and the
# delay until the last client on either replica has it (p50, p99, max): the cost of the LISTEN/NOTIFY fan-out.
#
#   bench/cluster.sh [N]            default: 10000
#
# Needs: Java 25 and Debian's postgresql (a throwaway server on 127.0.0.1, started by scripts/postgres.sh in a
# directory of this run and removed at the end). Builds the jar if it is missing. Bounded by the load client's
# timeout (60 s per phase); CHANGES (default 10) changes, the first cold, the rest giving the warm medians.
set -euo pipefail
N=${1:-10000}
CHANGES=${CHANGES:-10}
PORT_A=${PORT_A:-18095}
PORT_B=${PORT_B:-18096}
export PGPORT=${PGPORT:-18432}
TOKEN=bench-token
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_prepare

WORK=$(mktemp -d /tmp/rate-ticker-cluster.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  [ ${#PIDS[@]} -gt 0 ] && kill "${PIDS[@]}" 2>/dev/null && wait "${PIDS[@]}" 2>/dev/null || true
  TMPDIR=$WORK bash scripts/postgres.sh stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

TMPDIR=$WORK bash scripts/postgres.sh start
for port in $PORT_A $PORT_B; do
  TICKER_DATABASE=postgresql TICKER_DATABASE_URL="jdbc:postgresql://127.0.0.1:$PGPORT/ticker" \
    TICKER_DATABASE_USER=postgres TICKER_DATABASE_PASSWORD= \
    launch -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" -Dquarkus.log.level=WARN \
    -Dticker.admin.token=$TOKEN -Dticker.stream.max-clients-per-address=20000 \
    -Dticker.sources.nbkr.enabled=false -Dticker.sources.nbk.enabled=false -Dticker.sources.cbu.enabled=false \
    -Dticker.sources.nbt.enabled=false -Dticker.sources.cbt.enabled=false -Dticker.sources.cbr.enabled=false \
    > "$WORK/replica-$port.log" 2>&1 &
  PIDS+=($!)
done
for port in $PORT_A $PORT_B; do
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
    sleep 0.25
  done
  curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null || { cat "$WORK/replica-$port.log"; exit 1; }
done
echo "== two replicas on PostgreSQL: A on :$PORT_A, B on :$PORT_B; $N clients split across them; writes on A"

value="87.$(printf '%05d' $RANDOM){n}1"
line=$(java -Xss256k --sun-misc-unsafe-memory-access=allow -cp "target/quarkus-app/lib/main/*" bench/SseLoad.java \
  --timeout 60 --loops 1 --changes "$CHANGES" \
  --url "http://127.0.0.1:$PORT_A/api/v1/stream,http://127.0.0.1:$PORT_B/api/v1/stream" --clients "$N" \
  --pid "$(IFS=,; echo "${PIDS[*]}")" \
  --publish-url "http://127.0.0.1:$PORT_A/api/v1/admin/rates" \
  --publish-header "Authorization: Bearer $TOKEN" --publish-header "Content-Type: application/json" \
  --publish-body "{\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"$(date -u +%F)\",\"perUsd\":$value}]}" \
  --marker "\"perUsd\":$value,") || true
echo "$line"
get() { echo "$line" | tr ' ' '\n' | awk -F= -v k="$1" '$1==k{print $2}'; }
missed=0
for c in $(seq 1 "$CHANGES"); do missed=$((missed + $(get "c${c}_missed"))); done
echo
echo "== results: write on A to the last client on A or B"
printf '%6s %7s %7s %10s | %9s %9s | %9s %9s %9s %9s\n' clients failed missed connect_s first_p99 first_max \
  warm_p50 warm_p99 warm_max warm_cpu
printf '%6s %7s %7s %10s | %9s %9s | %9s %9s %9s %9s\n' "$(get clients)" "$(get failed)" "$missed" \
  "$(get connect_all_s)" "$(get c1_fanout_p99_ms)" "$(get c1_fanout_max_ms)" "$(get warm_fanout_p50_ms)" \
  "$(get warm_fanout_p99_ms)" "$(get warm_fanout_max_ms)" "$(get warm_server_cpu_s)"
echo "target: write to the last client p99 <= 1000 ms; cpu: both replicas together"
machine
echo "database: PostgreSQL $("$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/postgres" --version | awk '{print $3}')"
