#!/usr/bin/env bash
# Starts the packaged application (APP_DIR, default target/quarkus-app next to this script's repository; /app in
# the image) with the JVM settings it ships and is measured with (docs/benchmarks.md):
#   -XX:+UseSerialGC          a heap of a few hundred MB on one or two cores: the least memory and no GC threads
#   -XX:MaxRAMPercentage=75   the heap may take three quarters of the container's memory limit
#   app-cds.jsa               a class data sharing archive of a start-up, when one was made for these jars
# Extra JVM options come from JAVA_OPTS; arguments are passed to java before -jar (e.g. -Dquarkus.http.port=8081).
#
#   scripts/run.sh [JAVA_ARGS...]
#   scripts/run.sh --train       makes APP_DIR/app-cds.jsa from one start: H2 in memory, banks off, 127.0.0.1
set -euo pipefail
APP_DIR=${APP_DIR:-$(cd "$(dirname "$0")/.." && pwd)/target/quarkus-app}
JAR="$APP_DIR/quarkus-run.jar"
ARCHIVE="$APP_DIR/app-cds.jsa"
FLAGS=(-XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError
       -Djava.util.logging.manager=org.jboss.logmanager.LogManager)

if [ "${1:-}" = --train ]; then
  port=${TRAIN_PORT:-18099}
  management=$((port + 1)) # health and metrics, when the jar is built with the management interface (the image)
  rm -f "$ARCHIVE"
  log=$(mktemp)
  java "${FLAGS[@]}" -XX:ArchiveClassesAtExit="$ARCHIVE" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
       -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$management" \
       -Dquarkus.datasource.jdbc.url=jdbc:h2:mem:train -Dquarkus.log.level=WARN \
       -Dticker.sources.nbkr.enabled=false -Dticker.sources.nbk.enabled=false -Dticker.sources.cbu.enabled=false \
       -Dticker.sources.nbt.enabled=false -Dticker.sources.cbt.enabled=false -Dticker.sources.cbr.enabled=false \
       -jar "$JAR" >"$log" 2>&1 &
  pid=$!
  get() { exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET %s HTTP/1.0\r\n\r\n' "$2" >&3 && head -1 <&3; }
  for _ in $(seq 1 600); do
    if (get "$port" /q/health/ready | grep -q ' 200 ') 2>/dev/null \
        || (get "$management" /q/health/ready | grep -q ' 200 ') 2>/dev/null; then
      # The first request of each hot path loads its classes too.
      (get "$port" /api/v1/rates; get "$port" /api/v1/rates/KGS; get "$port" /q/metrics; get "$management" /q/metrics) \
        >/dev/null 2>&1 || true
      kill "$pid"
      wait "$pid" || true
      rm -f "$log"
      [ -f "$ARCHIVE" ] && exit 0
      echo "no archive was written" >&2
      exit 1
    fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  kill "$pid" 2>/dev/null || true
  exit 1
fi

# An archive made for other jars (or another JVM) would only be refused with a warning: use it only when it is newer.
CDS=()
if [ -f "$ARCHIVE" ] && [ -z "$(find "$APP_DIR" -name '*.jar' -newer "$ARCHIVE" -print -quit)" ]; then
  CDS=(-XX:SharedArchiveFile="$ARCHIVE")
fi
# shellcheck disable=SC2086
exec java "${FLAGS[@]}" "${CDS[@]}" ${JAVA_OPTS:-} "$@" -jar "$JAR"
