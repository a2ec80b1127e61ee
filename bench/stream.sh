#!/usr/bin/env bash
# N concurrent SSE streams on rate-ticker against nginx + nchan (the usual SSE hub) with the same payloads.
# For each N, on a server started for the run: time to connect every client and receive its first event (the
# snapshot); then the first change after start (the server's write and fan-out code cold, as for a pod that just
# started) and further ones (warm), each timed from the moment the admin write's request is sent (so it includes
# the commit) to the last reader (p50, p99, max); server RSS per client, and server CPU for the fan-out.
# nchan runs first at each N, so that the load client is shown not to be the bottleneck.
#
#   bench/stream.sh [N ...]          default: 1000 10000 15000
#
# Needs: Java 25 and nginx with nchan (Debian: apt-get install -y nginx-light libnginx-mod-nchan). Builds the jar if
# it is missing. Everything listens on 127.0.0.1. Clients connect from 127.0.0.1 with kernel-chosen ports, which
# loopback lets reuse from TIME_WAIT (binding each to a source address first, SseLoad --sources, made the kernel
# search for free ports and stretched connecting 15,000 from 5 s to 30 s once earlier runs' sockets lingered).
# Every run is bounded by the load client's timeout (60 s per phase). ROUNDS (default 2) rounds alternate the
# servers; CHANGES (default 10) changes per run.
set -euo pipefail

SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 15000)
SVC_PORT=${SVC_PORT:-18090}
NCHAN_PORT=${NCHAN_PORT:-18091}
TOKEN=bench-token

cd "$(dirname "$0")/.."
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "nginx is missing: apt-get install -y nginx-light" >&2; exit 1; }
NCHAN=/usr/lib/nginx/modules/ngx_nchan_module.so
[ -f "$NCHAN" ] || { echo "nchan is missing: apt-get install -y libnginx-mod-nchan" >&2; exit 1; }
. bench/lib.sh
bench_prepare

WORK=$(mktemp -d /tmp/rate-ticker-stream.XXXXXX)
chmod 755 "$WORK"
cleanup() {
  stop_ticker
  stop_nchan
  rm -rf "$WORK"
}
trap cleanup EXIT

# Each measured run gets a freshly started server, so that memory per client is not hidden in a heap (or a
# shared-memory zone) grown by the run before.
# Every client comes from 127.0.0.1 here: the per-address cap (20 by default) is lifted.
start_ticker() {
  ticker_start "$SVC_PORT" "$WORK" -Dticker.admin.token=$TOKEN -Dticker.stream.max-clients-per-address=20000
  SVC_PID=$TICKER_PID
}
stop_ticker() { ticker_stop; }

mkdir -p "$WORK/nginx-tmp"
cat > "$WORK/nginx.conf" <<NGINX
load_module $NCHAN;
worker_processes auto;
worker_rlimit_nofile 20000;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 20000; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-tmp; proxy_temp_path $WORK/nginx-tmp; fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp; scgi_temp_path $WORK/nginx-tmp;
  server {
    listen 127.0.0.1:$NCHAN_PORT;
    location = /sub {
      nchan_subscriber eventsource;
      nchan_channel_id rates;
      nchan_subscriber_first_message -1;
    }
    location = /pub {
      nchan_publisher;
      nchan_channel_id rates;
      nchan_message_buffer_length 1000;
    }
  }
}
NGINX
start_nchan() {
  "$NGINX" -c "$WORK/nginx.conf"
  sleep 0.5
  NGINX_WORKERS=$(pgrep -P "$(cat "$WORK/nginx.pid")" | paste -sd, -)
  curl -fs -X POST --data-binary @"$WORK/snapshot.json" "http://127.0.0.1:$NCHAN_PORT/pub" >/dev/null
}
stop_nchan() {
  if [ -f "$WORK/nginx.pid" ]; then
    local pid
    pid=$(cat "$WORK/nginx.pid")
    kill "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
}

# The same payloads on both: the snapshot a stream starts with, then a rate event of the same shape and size.
start_ticker
curl -fs "http://127.0.0.1:$SVC_PORT/api/v1/rates" -o "$WORK/snapshot.json"
RATE_JSON=$(curl -fs "http://127.0.0.1:$SVC_PORT/api/v1/rates/KGS")
stop_ticker
echo "== payloads: snapshot $(wc -c < "$WORK/snapshot.json") bytes, rate event $(printf %s "$RATE_JSON" | wc -c) bytes"

CHANGES=${CHANGES:-10}
ROUNDS=${ROUNDS:-2}
LOAD=(java -Xss256k --sun-misc-unsafe-memory-access=allow -cp "target/quarkus-app/lib/main/*" bench/SseLoad.java --timeout 60 --loops 1 --changes "$CHANGES")
echo "== load client: $(nproc) cores shared with the server; one Vert.x event loop; $CHANGES changes per run;" \
  "$ROUNDS rounds alternating the servers"
run=0
# load SERVER N: one run of the load client; prints its result line.
load() {
  local server=$1 n=$2 value marker
  run=$((run + 1))
  value="87.$(printf '%05d' $((RANDOM + run))){n}1" # {n}: the number of the change, 1 to $CHANGES
  marker="\"perUsd\":$value,"
  if [ "$server" = nchan ]; then
    "${LOAD[@]}" --url "http://127.0.0.1:$NCHAN_PORT/sub" --clients "$n" --pid "$NGINX_WORKERS" \
      --publish-url "http://127.0.0.1:$NCHAN_PORT/pub" \
      --publish-body "$(printf %s "$RATE_JSON" | sed -E "s/\"perUsd\":[0-9.]+/\"perUsd\":$value/")" \
      --marker "$marker" || true
  else
    "${LOAD[@]}" --url "http://127.0.0.1:$SVC_PORT/api/v1/stream" --clients "$n" --pid "$SVC_PID" --jcmd true \
      --publish-url "http://127.0.0.1:$SVC_PORT/api/v1/admin/rates" \
      --publish-header "Authorization: Bearer $TOKEN" --publish-header "Content-Type: application/json" \
      --publish-body "{\"rates\":[{\"currency\":\"KGS\",\"asOf\":\"$(date -u +%F)\",\"perUsd\":$value}]}" \
      --marker "$marker" || true
  fi
}

: > "$WORK/results"
for n in "${SIZES[@]}"; do
  for round in $(seq 1 "$ROUNDS"); do
    start_nchan
    line=$(load nchan "$n")
    stop_nchan
    echo "nchan  n=$n round=$round $line"
    echo "nchan $n $line" >> "$WORK/results"

    start_ticker
    line=$(load ticker "$n")
    stop_ticker
    echo "ticker n=$n round=$round $line"
    echo "ticker $n $line" >> "$WORK/results"
  done
done

# The table: per server and N, the median over the rounds. "first" is the first change after start (the server's
# write and fan-out code cold), "warm" the median of the second half of the changes.
echo
echo "== results (medians over $ROUNDS rounds)"
printf '%-7s %6s %6s %8s %9s | %9s %9s | %8s %8s %8s %8s | %7s %9s %9s\n' server N failed missed connect_s \
  first_p99 first_cpu warm_p50 warm_p99 warm_max warm_cpu rss_MB kB/client heap_kB/cl
median() { sort -g | awk '{a[NR]=$1} END{if (NR==0) print "-"; else print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for n in "${SIZES[@]}"; do
  for server in nchan ticker; do
    col() { awk -v s="$server" -v n="$n" -v k="$1" '$1==s && $2==n {for (i=3;i<=NF;i++) {split($i,kv,"="); if (kv[1]==k) print kv[2]}}' "$WORK/results" | median; }
    missed=0
    for c in $(seq 1 "$CHANGES"); do missed=$((missed + $(col "c${c}_missed" | sed 's/-/0/'))); done
    printf '%-7s %6s %6s %8s %9s | %9s %9s | %8s %8s %8s %8s | %7.0f %9s %9s\n' "$server" "$n" "$(col failed)" "$missed" \
      "$(col connect_all_s)" "$(col c1_fanout_p99_ms)" "$(col c1_server_cpu_s)" "$(col warm_fanout_p50_ms)" \
      "$(col warm_fanout_p99_ms)" "$(col warm_fanout_max_ms)" "$(col warm_server_cpu_s)" \
      "$(awk -v k="$(col server_rss_kb)" 'BEGIN{print k/1024}')" "$(col rss_per_client_kb)" "$(col heap_per_client_kb)"
  done
done
echo "failed: streams that did not connect; missed: change events a connected client never received (all changes)"
echo
machine
echo "baseline: $("$NGINX" -v 2>&1), nchan $(dpkg-query -W -f '${Version}' libnginx-mod-nchan 2>/dev/null)"
