#!/usr/bin/env bash
# N concurrent SSE streams on rate-ticker against nginx + nchan (the usual SSE hub) with the same payloads.
# For each N: time to connect every client and receive its first event (the snapshot), then one published change
# and the delay until every client has it (p50, p99, max), server RSS per client, and server CPU for the fan-out.
# nchan runs first at each N, so that the load client is shown not to be the bottleneck.
#
#   bench/stream.sh [N ...]          default: 1000 10000 15000
#
# Needs: Java 17 and nginx with nchan (Debian: apt-get install -y nginx-light libnginx-mod-nchan). Builds the jar if
# it is missing. Everything listens on 127.0.0.1; clients connect from 127.0.0.2-127.0.0.5 so that 15,000
# connections never run short of ports; every run is bounded by the load client's timeout (60 s per phase).
set -euo pipefail

SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 15000)
SVC_PORT=${SVC_PORT:-18090}
NCHAN_PORT=${NCHAN_PORT:-18091}
SOURCES=127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5
TOKEN=bench-token

cd "$(dirname "$0")/.."
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "nginx is missing: apt-get install -y nginx-light" >&2; exit 1; }
NCHAN=/usr/lib/nginx/modules/ngx_nchan_module.so
[ -f "$NCHAN" ] || { echo "nchan is missing: apt-get install -y libnginx-mod-nchan" >&2; exit 1; }
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -ntp package -DskipTests

WORK=$(mktemp -d /tmp/rate-ticker-stream.XXXXXX)
chmod 755 "$WORK"
SVC_PID=""
cleanup() {
  stop_ticker
  stop_nchan
  rm -rf "$WORK"
}
trap cleanup EXIT

# Each measured run gets a freshly started server, so that memory per client is not hidden in a heap (or a
# shared-memory zone) grown by the run before.
start_ticker() {
  rm -rf "$WORK/ticker"*
  # shellcheck disable=SC2086
  java ${JAVA_OPTS:-} -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$SVC_PORT" \
       -Dquarkus.datasource.jdbc.url="jdbc:h2:file:$WORK/ticker" -Dquarkus.log.level=WARN -Dticker.admin.token=$TOKEN \
       -Dticker.sources.nbkr.enabled=false -Dticker.sources.nbk.enabled=false -Dticker.sources.cbu.enabled=false \
       -Dticker.sources.nbt.enabled=false -Dticker.sources.cbt.enabled=false -Dticker.sources.cbr.enabled=false \
       -jar target/quarkus-app/quarkus-run.jar > "$WORK/service.log" 2>&1 &
  SVC_PID=$!
  for _ in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$SVC_PORT/q/health/ready" >/dev/null 2>&1 && return
    sleep 0.25
  done
  cat "$WORK/service.log"
  exit 1
}
stop_ticker() {
  if [ -n "$SVC_PID" ]; then kill "$SVC_PID" 2>/dev/null && wait "$SVC_PID" 2>/dev/null || true; fi
  SVC_PID=""
}

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

LOAD=(java -Xss256k -cp "target/quarkus-app/lib/main/*" bench/SseLoad.java --sources "$SOURCES" --timeout 60 --loops 1)
echo "== load client: $(nproc) cores shared with the server; one Vert.x event loop; connections from $SOURCES"
run=0
# load SERVER N: one run of the load client; prints its result line
load() {
  local server=$1 n=$2 value marker
  run=$((run + 1))
  value="87.$(printf '%06d' $((RANDOM * 32 + run)))1"
  marker="\"perUsd\":$value"
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
  start_nchan
  line=$(load nchan "$n")
  stop_nchan
  echo "nchan  n=$n $line"
  echo "nchan $line" >> "$WORK/results"

  start_ticker
  load ticker 200 >/dev/null # warm-up: the JIT compiles the stream path; not counted
  sleep 2
  line=$(load ticker "$n")
  stop_ticker
  echo "ticker n=$n $line"
  echo "ticker $line" >> "$WORK/results"
done

echo
echo "== results"
printf '%-7s %7s %9s %7s %10s %9s %10s %10s %10s %9s %10s %9s\n' server clients connected failed connect_s \
  received p50_ms p99_ms max_ms rss_MB kB/client cpu_s
while read -r server rest; do
  get() { echo "$rest" | tr ' ' '\n' | awk -F= -v k="$1" '$1==k{print $2}'; }
  printf '%-7s %7s %9s %7s %10s %9s %10s %10s %10s %9.0f %10s %9s\n' "$server" "$(get clients)" "$(get connected)" \
    "$(get failed)" "$(get connect_all_s)" "$(get received)" "$(get fanout_p50_ms)" "$(get fanout_p99_ms)" \
    "$(get fanout_max_ms)" "$(awk -v k="$(get server_rss_kb)" 'BEGIN{print k/1024}')" "$(get rss_per_client_kb)" \
    "$(get server_cpu_s)"
  heap=$(get heap_used_after_gc_kb)
  [ -n "$heap" ] && echo "        heap used after a full GC with $(get connected) streams open: $((heap / 1024)) MB"
done < "$WORK/results"
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1), $("$NGINX" -v 2>&1), nchan $(dpkg-query -W -f '${Version}' libnginx-mod-nchan 2>/dev/null)"
