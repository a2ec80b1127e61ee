#!/usr/bin/env bash
# GET /api/v1/rates from rate-ticker against nginx serving the very same bytes as a static file, on loopback.
# Alternates the two servers run by run (200, 304, and 200 gzip: the service's once-per-change compressed body
# against nginx's gzip_static serving the same compressed bytes), then prints requests/s, p50, p99 and the ratio.
#
#   bench/http.sh [ROUNDS] [SECONDS_PER_RUN]      defaults: 3 rounds of 15 s per server and path
#
# Needs: Java 25, wrk and nginx (Debian: apt-get install -y wrk nginx-light). Builds the jar if it is missing.
# Everything it starts listens on 127.0.0.1 only and is stopped on exit.
set -euo pipefail

ROUNDS=${1:-3}
SECONDS_PER_RUN=${2:-15}
THREADS=2
CONNECTIONS=128
SVC_PORT=${SVC_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}

cd "$(dirname "$0")/.."
. bench/lib.sh
baseline_setup bench
bench_prepare

echo "== starting rate-ticker on 127.0.0.1:$SVC_PORT"
ticker_start "$SVC_PORT" "$WORK"

mkdir -p "$WORK/www/api/v1" "$WORK/nginx-tmp"
curl -fs "http://127.0.0.1:$SVC_PORT/api/v1/rates" -o "$WORK/www/api/v1/rates.json"
# curl without --compressed keeps the bytes as sent: the service's own gzip body, which gzip_static then serves
curl -fs -H 'Accept-Encoding: gzip' "http://127.0.0.1:$SVC_PORT/api/v1/rates" -o "$WORK/www/api/v1/rates.json.gz"
SVC_ETAG=$(curl -fsI "http://127.0.0.1:$SVC_PORT/api/v1/rates" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')

cat > "$WORK/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx-tmp; proxy_temp_path $WORK/nginx-tmp; fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp; scgi_temp_path $WORK/nginx-tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location = /api/v1/rates {
      default_type application/json;
      add_header Cache-Control "public, max-age=30";
      gzip_static on;
      gzip_vary on;
      try_files /api/v1/rates.json =404;
    }
  }
}
NGINX
"$NGINX" -c "$WORK/nginx.conf"
sleep 0.5
NGINX_ETAG=$(curl -fsI "http://127.0.0.1:$NGINX_PORT/api/v1/rates" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
cmp <(curl -fs "http://127.0.0.1:$SVC_PORT/api/v1/rates") <(curl -fs "http://127.0.0.1:$NGINX_PORT/api/v1/rates") \
  || { echo "the two servers do not serve the same bytes" >&2; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $SVC_ETAG" "http://127.0.0.1:$SVC_PORT/api/v1/rates")" = 304 ]
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $NGINX_ETAG" "http://127.0.0.1:$NGINX_PORT/api/v1/rates")" = 304 ]
GZ='Accept-Encoding: gzip'
cmp <(curl -fs -H "$GZ" "http://127.0.0.1:$SVC_PORT/api/v1/rates") <(curl -fs -H "$GZ" "http://127.0.0.1:$NGINX_PORT/api/v1/rates") \
  || { echo "the two servers do not serve the same gzip bytes" >&2; exit 1; }
for port in "$SVC_PORT" "$NGINX_PORT"; do
  curl -fsI -H "$GZ" "http://127.0.0.1:$port/api/v1/rates" | tr -d '\r' | grep -qi '^content-encoding: gzip$' \
    || { echo "127.0.0.1:$port does not answer gzip" >&2; exit 1; }
done
echo "== same $(wc -c < "$WORK/www/api/v1/rates.json") bytes from both, $(wc -c < "$WORK/www/api/v1/rates.json.gz") with gzip;" \
  "ETags $SVC_ETAG / $NGINX_ETAG"

# run NAME PORT [HEADER]: one wrk run; appends "name rps p50_ms p99_ms" to $WORK/results
run() {
  local name=$1 port=$2 header=${3:-} out
  if [ -n "$header" ]; then
    out=$(wrk -t$THREADS -c$CONNECTIONS -d"${SECONDS_PER_RUN}s" --latency -H "$header" "http://127.0.0.1:$port/api/v1/rates")
  else
    out=$(wrk -t$THREADS -c$CONNECTIONS -d"${SECONDS_PER_RUN}s" --latency "http://127.0.0.1:$port/api/v1/rates")
  fi
  if echo "$out" | grep -q "Non-2xx or 3xx"; then echo "$out" >&2; echo "errors in $name" >&2; exit 1; fi
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  p50=$(echo "$out" | awk '$1=="50%"{print $2}')
  p99=$(echo "$out" | awk '$1=="99%"{print $2}')
  printf '%-14s %12s %10s %10s\n' "$name" "$rps" "$p50" "$p99"
  echo "$name $rps $(to_ms "$p50") $(to_ms "$p99")" >> "$WORK/results"
}
to_ms() { # wrk prints 512.00us, 1.20ms or 1.02s
  awk -v v="$1" 'BEGIN{ if (v ~ /us$/) { sub(/us$/,"",v); print v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v); print v } else if (v ~ /s$/) { sub(/s$/,"",v); print v*1000 } }'
}

echo "== warm-up (JIT): 10 s against rate-ticker, not counted"
wrk -t$THREADS -c$CONNECTIONS -d10s "http://127.0.0.1:$SVC_PORT/api/v1/rates" >/dev/null

echo "== $ROUNDS rounds, ${SECONDS_PER_RUN}s per run, wrk -t$THREADS -c$CONNECTIONS, servers alternating"
printf '%-14s %12s %10s %10s\n' run requests/s p50 p99
: > "$WORK/results"
for round in $(seq 1 "$ROUNDS"); do
  run ticker-200 "$SVC_PORT" ""
  run nginx-200 "$NGINX_PORT" ""
  run ticker-304 "$SVC_PORT" "If-None-Match: $SVC_ETAG"
  run nginx-304 "$NGINX_PORT" "If-None-Match: $NGINX_ETAG"
  run ticker-gzip "$SVC_PORT" "$GZ"
  run nginx-gzip "$NGINX_PORT" "$GZ"
done

echo
echo "== medians over $ROUNDS rounds"
printf '%-6s %14s %14s %8s %12s %12s %12s %12s\n' path ticker-req/s nginx-req/s ratio ticker-p50ms nginx-p50ms ticker-p99ms nginx-p99ms
for path in 200 304 gzip; do
  med() { grep "^$1-$path " "$WORK/results" | awk -v c="$2" '{print $c}' | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
  t_rps=$(med ticker 2); n_rps=$(med nginx 2)
  printf '%-6s %14.0f %14.0f %8.2f %12s %12s %12s %12s\n' "$path" "$t_rps" "$n_rps" "$(awk -v a="$t_rps" -v b="$n_rps" 'BEGIN{print a/b}')" \
    "$(med ticker 3)" "$(med nginx 3)" "$(med ticker 4)" "$(med nginx 4)"
done
echo
machine
echo "baseline: $("$NGINX" -v 2>&1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2)"
