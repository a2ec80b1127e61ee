#!/usr/bin/env bash
# Start of the packaged jar (JVM mode) to /q/health/ready UP, and its RSS once idle; median of RUNS starts of each
# way of starting it, taken in turns:
#   shipped    scripts/run.sh: the JVM settings the image ships and the AOT cache (made first if missing)
#   restart    the same, again on the store the shipped start left (a pod restarted on its volume, or a replica
#              on a migrated PostgreSQL: no migration, no bundled load)
#   plain-aot  java -XX:+UseCompactObjectHeaders -XX:AOTCache=app.aot -jar quarkus-run.jar: Quarkus's AOT guide
#              with the one flag the cache was made with that the JVM does not default to; its defaults otherwise
#   plain      java -jar quarkus-run.jar, as a newcomer would: the JVM's defaults, no cache
#
#   bench/startup.sh [RUNS]           default: 5
#
# Each start but a restart is on a fresh, empty H2 file (so it migrates the schema and loads the bundled rates, as a
# first start does), with the banks switched off, on 127.0.0.1. JAVA_OPTS defaults to -XX:MaxRAM=768m, which makes the JVM
# size itself as in the Kubernetes pod (memory limit 768 MiB). Builds the jar if it is missing.
set -euo pipefail
RUNS=${1:-5}
PORT=${PORT:-18092}
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_prepare
APP=target/quarkus-app
WORK=$(mktemp -d /tmp/rate-ticker-startup.XXXXXX)
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT

ready() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf 'GET /q/health/ready HTTP/1.0\r\n\r\n' >&3 && head -1 <&3 | grep -q ' 200 ') 2>/dev/null; }

# start KIND: one start of that kind
start() {
  local kind=$1 begin ms rss
  [ "$kind" = restart ] || rm -rf "$WORK/db"
  begin=$(date +%s%N)
  local props=(-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" -Dquarkus.datasource.jdbc.url="jdbc:h2:file:$WORK/db/ticker"
    -Dticker.sources.nbkr.enabled=false -Dticker.sources.nbk.enabled=false -Dticker.sources.cbu.enabled=false
    -Dticker.sources.nbt.enabled=false -Dticker.sources.cbt.enabled=false -Dticker.sources.cbr.enabled=false)
  case $kind in
    shipped | restart) scripts/run.sh "${props[@]}" > "$WORK/log" 2>&1 & ;;
    # shellcheck disable=SC2086
    plain-aot) java $JAVA_OPTS -XX:+UseCompactObjectHeaders -XX:AOTCache=$APP/app.aot "${props[@]}" -jar $APP/quarkus-run.jar > "$WORK/log" 2>&1 & ;;
    # shellcheck disable=SC2086
    plain) java $JAVA_OPTS "${props[@]}" -jar $APP/quarkus-run.jar > "$WORK/log" 2>&1 & ;;
  esac
  PID=$!
  until ready; do
    kill -0 "$PID" 2>/dev/null || { cat "$WORK/log"; exit 1; }
    [ $(( $(date +%s%N) - begin )) -lt 60000000000 ] || { echo "not ready within 60 s" >&2; exit 1; }
    sleep 0.01
  done
  ms=$(( ($(date +%s%N) - begin) / 1000000 ))
  sleep 5 # idle: the start-up work is over, no request comes in
  rss=$(awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$PID/status")
  kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""
  printf '%-4s %-9s %10s %12s\n' "$run" "$kind" "$ms" "$rss"
  echo "$kind $ms $rss" >> "$WORK/results"
}

printf '%-4s %-9s %10s %12s\n' run kind ready_ms idle_rss_MB
: > "$WORK/results"
for run in $(seq 1 "$RUNS"); do
  start shipped
  start restart
  start plain-aot
  start plain
done
median() { sort -n | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo
for kind in shipped restart plain-aot plain; do
  echo "$kind: median of $RUNS: ready $(awk -v k=$kind '$1==k{print $2}' "$WORK/results" | median) ms," \
    "idle RSS $(awk -v k=$kind '$1==k{print $3}' "$WORK/results" | median) MB"
done
echo "targets: ready <= 1000 ms shipped, <= 1500 ms plain-aot; idle RSS <= 120 MB"
machine
