#!/usr/bin/env bash
# Starts the packaged application (APP_DIR, default target/quarkus-app next to this script's repository; /app in
# the image) with the JVM settings it ships and is measured with (docs/benchmarks.md):
#   -XX:+UseSerialGC          a heap of a few hundred MB on one or two cores: the least memory and no GC threads
#   -XX:+UseCompactObjectHeaders  8-byte object headers (JEP 519): 8 % less heap per open stream
#   -XX:MaxRAMPercentage=75   the heap may take three quarters of the container's memory limit
#   app.aot                   an AOT cache (JEPs 483, 514, 515: classes loaded and linked, method profiles) that a
#                             training run of this very JVM made of these jars; used when it is newer than they are
# Extra JVM options come from JAVA_OPTS; arguments are passed to java before -jar (e.g. -Dquarkus.http.port=8081).
#
#   scripts/run.sh [JAVA_ARGS...]
#   scripts/run.sh --train       makes APP_DIR/app.aot: one start (H2 in memory, banks off, 127.0.0.1) that serves
#                                the hot paths for a while, then stops (about 30 s on 2 cores)
set -euo pipefail
APP_DIR=${APP_DIR:-$(cd "$(dirname "$0")/.." && pwd)/target/quarkus-app}
JAR="$APP_DIR/quarkus-run.jar"
CACHE="$APP_DIR/app.aot"
FLAGS=(-XX:+UseSerialGC -XX:+UseCompactObjectHeaders -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError
       -Djava.util.logging.manager=org.jboss.logmanager.LogManager)

# HTTP/1.1 by bash alone (JRE images need not have curl): request PORT METHOD PATH [HEADER...], the body from
# $BODY; the answer on stdout.
request() {
  local port=$1 method=$2 path=$3 header extra="" body=${BODY-}
  shift 3
  for header in "$@"; do extra+="$header"$'\r\n'; done
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%sContent-Length: %d\r\n\r\n%s' \
    "$method" "$path" "$extra" "${#body}" "$body" >&3
  cat <&3
  exec 3<&-
}

# call PORT METHOD PATH [HEADER...]: a request of the training workload, which must answer 200 or 304 (a workload
# that got errors would teach the cache the error paths); the answer's headers on stdout.
call() {
  request "$@" | {
    local status line
    IFS= read -r status
    if [[ $status != "HTTP/1.1 200 "* && $status != "HTTP/1.1 304 "* ]]; then
      echo "training: $2 $3: ${status%$'\r'}" >&2
      cat >/dev/null
      return 1
    fi
    while IFS= read -r line && [ "$line" != $'\r' ]; do printf '%s\n' "${line%$'\r'}"; done
    cat >/dev/null
  }
}

# stream PORT PATH [HEADER...]: opens a stream and leaves it open; its descriptor is added to STREAMS.
stream() {
  local port=$1 path=$2 header extra="" fd
  shift 2
  for header in "$@"; do extra+="$header"$'\r\n'; done
  exec {fd}<>"/dev/tcp/127.0.0.1/$port"
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n%s\r\n' "$path" "$extra" >&"$fd"
  STREAMS+=("$fd")
}

# The workload the cache learns from: what the service spends its time on in production, each path many times
# so that its methods are profiled (JEP 515). PUBLIC serves the API and streams, OPS the admin API and metrics
# (the same port unless the jar was built with the management interface).
train() {
  local public=$1 ops=$2 token=$3 round etag id="" line fd today month_ago STREAMS=()
  local admin=("Authorization: Bearer $token" "Content-Type: application/json")
  today=$(date -u +%F)
  month_ago=$(date -u -d '-30 days' +%F)
  # Readers of the stream, of every rate and of a selection in another base: a write fans out to all of them.
  for round in $(seq 1 50); do
    stream "$public" /api/v1/stream
    stream "$public" '/api/v1/stream?symbols=USD,EUR,KGS&base=KZT'
  done
  # The snapshot's id: where readers that come back resume from.
  while IFS= read -r -t 5 -u "${STREAMS[0]}" line; do
    if [[ $line == id:* ]]; then id=${line#id: }; id=${id%$'\r'}; break; fi
  done
  [ -n "$id" ] || { echo "training: the stream sent no snapshot id" >&2; return 1; }
  for round in $(seq 1 120); do
    etag=$(call "$public" GET /api/v1/rates | awk -F': ' 'tolower($1) == "etag" {print $2}')
    call "$public" GET /api/v1/rates "If-None-Match: $etag" >/dev/null
    call "$public" GET /api/v1/rates "Accept-Encoding: gzip" >/dev/null
    call "$public" GET '/api/v1/rates?base=KZT&symbols=USD,EUR,RUB' >/dev/null
    call "$public" GET /api/v1/rates/KGS >/dev/null
    call "$public" GET '/api/v1/convert?from=USD&to=KZT&amount=100' >/dev/null
    if (( round % 4 == 0 )); then
      # A change: admin write, guard, store, change log, snapshot, fan-out; then a reader back from a dropped
      # connection, resuming from an earlier id.
      BODY="{\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"$today\",\"perUsd\":87.$((1000 + round))}]}" \
        call "$ops" POST /api/v1/admin/rates "${admin[@]}" >/dev/null
      stream "$public" /api/v1/stream "Last-Event-ID: $id"
    fi
    if (( round % 10 == 0 )); then
      call "$ops" GET /q/metrics >/dev/null
      call "$ops" GET /q/health/ready >/dev/null
      call "$public" GET /api/v1/currencies >/dev/null
      call "$public" GET "/api/v1/rates/KZT/history?from=$month_ago" >/dev/null
      call "$public" GET /widget/rate-ticker.js "Accept-Encoding: gzip" >/dev/null
    fi
  done
  for fd in "${STREAMS[@]}"; do exec {fd}<&-; done
}

if [ "${1:-}" = --train ]; then
  port=${TRAIN_PORT:-18099}
  management=$((port + 1)) # health, metrics and admin, when the jar is built with the management interface (the image)
  token=train-$RANDOM$RANDOM
  rm -f "$CACHE"
  log=$(mktemp)
  java "${FLAGS[@]}" -XX:AOTCacheOutput="$CACHE" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
       -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$management" \
       -Dquarkus.datasource.jdbc.url=jdbc:h2:mem:train -Dquarkus.log.level=WARN \
       -Dticker.admin.token="$token" -Dticker.stream.max-clients-per-address=1000 \
       -Dticker.sources.nbkr.enabled=false -Dticker.sources.nbk.enabled=false -Dticker.sources.cbu.enabled=false \
       -Dticker.sources.nbt.enabled=false -Dticker.sources.cbt.enabled=false -Dticker.sources.cbr.enabled=false \
       -jar "$JAR" >"$log" 2>&1 &
  pid=$!
  # The training JVM never outlives this script; killed (-9), it writes no cache.
  trap 'status=$?; [ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true
        [ "$status" = 0 ] || { cat "$log" >&2; rm -f "$CACHE"; echo "training failed: no AOT cache" >&2; }
        rm -f "$log"' EXIT
  ready() { local answer; answer=$(request "$1" GET /q/health/ready 2>/dev/null) && [[ ${answer%%$'\r'*} == *' 200 '* ]]; }
  ops=""
  for _ in $(seq 1 600); do
    if ready "$port"; then ops=$port; break; fi
    if ready "$management"; then ops=$management; break; fi
    kill -0 "$pid" 2>/dev/null || exit 1
    sleep 0.1
  done
  [ -n "$ops" ] || exit 1
  train "$port" "$ops" "$token"
  # The cache is written as the JVM exits: it records, then starts a JVM of its own to assemble the cache.
  kill "$pid"
  wait "$pid" || true
  pid=""
  [ -f "$CACHE" ]
  exit 0
fi

# A cache made for other jars (or another JVM) would only be refused with a warning: use it only when it is newer.
AOT=()
if [ -f "$CACHE" ] && [ -z "$(find "$APP_DIR" -name '*.jar' -newer "$CACHE" -print -quit)" ]; then
  AOT=(-XX:AOTCache="$CACHE")
else
  echo "run.sh: no AOT cache for these jars; '$0 --train' makes one, and starts take half the time" >&2
fi
# shellcheck disable=SC2086
exec java "${FLAGS[@]}" "${AOT[@]}" ${JAVA_OPTS:-} "$@" -jar "$JAR"
