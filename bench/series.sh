#!/usr/bin/env bash
# GET /api/v1/timeseries: ten years of nine currencies' daily rates as one CSV (some 23,500 rows, 1.8 MB), from
# rate-ticker, written as it is read, against nginx serving the very same bytes as a static file. Prints the time
# of one download (cold, then the median and worst of the warm ones), identity and gzip, the throughput of
# concurrent downloads, and the service's resident memory before and after.
#
#   bench/series.sh [DOWNLOADS] [SECONDS]      defaults: 20 timed downloads per server and encoding, 15 s of wrk
#
# Needs: Java 25, wrk and nginx (Debian: apt-get install -y wrk nginx-light). Builds the jar if it is missing.
# Everything it starts listens on 127.0.0.1 only and is stopped on exit.
set -euo pipefail

DOWNLOADS=${1:-20}
SECONDS_PER_RUN=${2:-15}
SVC_PORT=${SVC_PORT:-18090}
NGINX_PORT=${NGINX_PORT:-18091}
TOKEN=bench-token
CURRENCIES=KGS,KZT,TJS,UZS,TMT,EUR,RUB,CNY,GBP

cd "$(dirname "$0")/.."
. bench/lib.sh
baseline_setup series
bench_prepare

echo "== starting rate-ticker on 127.0.0.1:$SVC_PORT, tracking $CURRENCIES"
ticker_start "$SVC_PORT" "$WORK" -Dticker.admin.token=$TOKEN -Dticker.currencies=$CURRENCIES

TO=$(date -u +%F)
FROM=$(date -u -d "$TO - 10 years" +%F)
echo "== writing every weekday from $FROM to $TO of the nine, through the admin API (manual rates)"
# a random walk per currency from a plausible start, 4 decimals; batches under the 64 KiB body limit
awk -v from="$FROM" -v to="$TO" -v currencies="$CURRENCIES" -v dir="$WORK" 'BEGIN {
  srand(17); n = split(currencies, code, ",")
  split("87.1 330.5 8.8 6400 3.5 0.95 66.5 6.9 0.81", start, " ")
  cmd = "date -u -d " from " +%s"; cmd | getline t; close(cmd)
  cmd = "date -u -d " to " +%s"; cmd | getline end; close(cmd)
  batch = 0; rows = 0
  for (i = 1; i <= n; i++) value[i] = start[i]
  for (; t <= end; t += 86400) {
    wday = strftime("%u", t, 1); if (wday > 5) continue
    day = strftime("%Y-%m-%d", t, 1)
    for (i = 1; i <= n; i++) {
      value[i] *= 1 + (rand() - 0.5) * 0.006
      if (rows % 900 == 0) { if (rows) print "]}" > file; close(file); file = dir "/batch-" (batch++) ".json"; printf "{\"source\":\"manual\",\"rates\":[" > file; sep = "" }
      printf "%s{\"currency\":\"%s\",\"asOf\":\"%s\",\"perUsd\":%.4f}", sep, code[i], day, value[i] > file; sep = ","; rows++
    }
  }
  print "]}" > file; close(file); print rows > (dir "/rows")
}'
for batch in "$WORK"/batch-*.json; do
  curl -fs -o /dev/null -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data-binary @"$batch" "http://127.0.0.1:$SVC_PORT/api/v1/admin/rates"
done
PATH_QUERY="/api/v1/timeseries?from=$FROM&to=$TO&format=csv"

mkdir -p "$WORK/www" "$WORK/nginx-tmp"
curl -fs "http://127.0.0.1:$SVC_PORT$PATH_QUERY" -o "$WORK/www/series.csv"
gzip -9 -k "$WORK/www/series.csv"
ROWS=$(($(wc -l < "$WORK/www/series.csv") - 1))
# the written ones, and the bundled rates of a weekend that no written one replaces
[ "$ROWS" -ge "$(cat "$WORK/rows")" ] || { echo "the CSV has $ROWS rows, $(cat "$WORK/rows") were written" >&2; exit 1; }
cat > "$WORK/nginx.conf" <<NGINX
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx-tmp; proxy_temp_path $WORK/nginx-tmp; fastcgi_temp_path $WORK/nginx-tmp;
  uwsgi_temp_path $WORK/nginx-tmp; scgi_temp_path $WORK/nginx-tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
    location = /api/v1/timeseries {
      default_type text/csv;
      gzip_static on;
      gzip_vary on;
      try_files /series.csv =404;
    }
  }
}
NGINX
"$NGINX" -c "$WORK/nginx.conf"
sleep 0.5
cmp <(curl -fs "http://127.0.0.1:$SVC_PORT$PATH_QUERY") <(curl -fs "http://127.0.0.1:$NGINX_PORT$PATH_QUERY") \
  || { echo "the two servers do not serve the same bytes" >&2; exit 1; }
echo "== $ROWS rows, $(wc -c < "$WORK/www/series.csv") bytes ($(wc -c < "$WORK/www/series.csv.gz") gzipped by nginx's copy at -9)"

RSS_BEFORE=$(rss)
HEAP_BEFORE=$(heap)
GZ='Accept-Encoding: gzip'
# times NAME PORT [HEADER]: one cold download, then DOWNLOADS timed ones; prints cold, median and worst in ms
times() {
  local name=$1 port=$2 header=${3:-X-None: 1} cold
  cold=$(curl -fs -o /dev/null -H "$header" -w '%{time_total}' "http://127.0.0.1:$port$PATH_QUERY")
  for _ in $(seq 1 "$DOWNLOADS"); do
    curl -fs -o /dev/null -H "$header" -w '%{time_total}\n' "http://127.0.0.1:$port$PATH_QUERY"
  done | sort -g | awk -v name="$name" -v cold="$cold" '{a[NR]=$1} END {
    printf "%-16s %10.0f %10.0f %10.0f\n", name, cold*1000, (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)*1000, a[NR]*1000 }'
}
echo "== one download at a time: $DOWNLOADS after a first (cold) one; ms"
printf '%-16s %10s %10s %10s\n' run cold median worst
times ticker-csv "$SVC_PORT"
times nginx-csv "$NGINX_PORT"
times ticker-csv-gzip "$SVC_PORT" "$GZ"
times nginx-csv-gzip "$NGINX_PORT" "$GZ"

echo "== concurrent downloads: wrk -t2 -c8 -d${SECONDS_PER_RUN}s"
printf '%-16s %12s %10s %10s\n' run downloads/s p50 p99
for run in "ticker-csv $SVC_PORT X-None:1" "nginx-csv $NGINX_PORT X-None:1" "ticker-csv-gzip $SVC_PORT $GZ" "nginx-csv-gzip $NGINX_PORT $GZ"; do
  set -- $run
  name=$1; port=$2; shift 2
  out=$(wrk -t2 -c8 -d"${SECONDS_PER_RUN}s" --timeout 10s --latency -H "$*" "http://127.0.0.1:$port$PATH_QUERY")
  if echo "$out" | grep -q "Non-2xx or 3xx"; then echo "$out" >&2; echo "errors in $name" >&2; exit 1; fi
  printf '%-16s %12s %10s %10s\n' "$name" "$(echo "$out" | awk '/Requests\/sec/{print $2}')" \
    "$(echo "$out" | awk '$1=="50%"{print $2}')" "$(echo "$out" | awk '$1=="99%"{print $2}')"
done
echo "== rate-ticker's memory before the downloads and after: heap after a full GC $HEAP_BEFORE / $(heap) MiB," \
  "resident $RSS_BEFORE / $(rss) MiB"
echo
machine
echo "baseline: $("$NGINX" -v 2>&1), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $(curl --version | head -1 | cut -d' ' -f1-2)"
