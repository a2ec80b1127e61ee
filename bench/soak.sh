#!/usr/bin/env bash
# Soak: rate-ticker under steady load for a while, its resources sampled, and a check that they stay flat.
#
#   bench/soak.sh [MINUTES]          default 30
#
# Load (bench/Soak.java): 5,000 streams (CLIENTS), 1 % of them replaced every minute (half of the newcomers resume
# with Last-Event-ID), GET /api/v1/rates 50 times a second (every other one with If-None-Match), an admin write every
# 10 s, and NBKR fetched every 20 s from a bank served by the load client that answers 503 for one minute in three.
# Every 30 s: heap after a full GC (jcmd), RSS, open file descriptors and threads of the server, its open streams
# (ticker_stream_clients). At the end: soak.csv, soak.svg and soak-summary.txt in OUT (default
# /tmp/rate-ticker-soak); exit status 1 if a curve grows after the first 3 minutes (heap or RSS by more than
# 10 % + slack, descriptors, threads or streams by more than the churn), or if a write, a JSON request or an event
# went missing. The service runs as it ships (scripts/run.sh, JAVA_OPTS -XX:MaxRAM=768m as in the pod), on
# 127.0.0.1, on a fresh H2 file.
set -euo pipefail

MINUTES=${1:-30}
CLIENTS=${CLIENTS:-5000}
SVC_PORT=${SVC_PORT:-18095}
BANK_PORT=${BANK_PORT:-18096}
OUT=${OUT:-/tmp/rate-ticker-soak}
TOKEN=soak-token

cd "$(dirname "$0")/.."
. bench/lib.sh
bench_prepare
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/rate-ticker-soak.XXXXXX)
trap 'ticker_stop; rm -rf "$WORK"' EXIT
# A copy: a rebuild during a long soak must not swap the jars under the running service.
cp -a target/quarkus-app "$WORK/app"
export APP_DIR="$WORK/app"
ulimit -n 65536 2>/dev/null || true

echo "== soak: $MINUTES min, $CLIENTS streams; $(machine)"
ticker_start "$SVC_PORT" "$WORK" -Dticker.admin.token=$TOKEN \
  -Dticker.stream.max-clients-per-address=$((CLIENTS * 2)) \
  -Dticker.sources.nbkr.enabled=true -Dticker.sources.nbkr.url="http://127.0.0.1:$BANK_PORT/nbkr/daily.xml" \
  -Dticker.sources.nbkr.schedule="0/20 * * * * ?"
java --sun-misc-unsafe-memory-access=allow -cp "$APP_DIR/lib/main/*" bench/Soak.java \
  --port "$SVC_PORT" --token $TOKEN --pid "$TICKER_PID" \
  --seconds $((MINUTES * 60)) --clients "$CLIENTS" --bank-port "$BANK_PORT" \
  --bank-document src/test/resources/upstream/nbkr-daily.xml --out "$OUT"
status=$?
grep -c "nbkr" "$WORK/ticker.log" >/dev/null && echo "fetch errors logged: $(grep -c 'nbkr.*503\|503.*nbkr' "$WORK/ticker.log" || true)"
exit $status
