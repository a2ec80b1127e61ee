#!/usr/bin/env bash
# What keeping the banks' whole tables costs: ten years of every weekday of six banks' tables (each bank's currency
# per USD and per each other currency it quotes: EUR, RUB, CNY and the tracked ones, some 125,000 rows) against the
# same ten years of their dollar rates alone (some 15,600 rows, the baseline), in one run, each on its own H2 store.
# For each: the rows written, start to ready on that store, the heap after a full collection and the resident
# memory, and the time of one more write through the admin API until it is answered (one bank's rows of the last day
# again with new values, as a fetched document writes them: stored, applied, the snapshot rebuilt and the stream's
# events made).
#
#   bench/tables.sh [WRITES]      default: 20 timed writes per store
#
# Needs: Java 25 and curl. Builds the jar if it is missing. Everything it starts listens on 127.0.0.1 only and is
# stopped on exit.
set -euo pipefail

WRITES=${1:-20}
SVC_PORT=${SVC_PORT:-18092}
TOKEN=bench-token
BASES=(KGS KZT UZS TJS TMT RUB)

cd "$(dirname "$0")/.."
. bench/lib.sh
WORK=$(mktemp -d /tmp/rate-ticker-tables.XXXXXX)
trap 'ticker_stop; rm -rf "$WORK"' EXIT
bench_prepare
machine

TO=$(date -u +%F)
FROM=$(date -u -d "$TO - 10 years" +%F)

# batches FILE_PREFIX TABLES: every weekday from FROM to TO, each base's dollar rate (a random walk from a plausible
# start) and, with TABLES=1, its rows of every other currency (the two dollar rates crossed), in batches under the
# 64 KiB body limit; the last day's rows of the tenge again, moved, as WRITES files for the timed writes.
batches() {
  awk -v from="$FROM" -v to="$TO" -v dir="$WORK" -v prefix="$1" -v tables="$2" -v writes="$WRITES" 'BEGIN {
    srand(17); n = split("KGS KZT UZS TJS TMT RUB EUR CNY", code, " ")
    split("87.1 330.5 6400 8.8 3.5 66.5 0.95 6.9", value, " ")
    cmd = "date -u -d " from " +%s"; cmd | getline t; close(cmd)
    cmd = "date -u -d " to " +%s"; cmd | getline end; close(cmd)
    batch = 0; rows = 0
    for (; t <= end; t += 86400) {
      if (strftime("%u", t, 1) > 5) continue
      day = strftime("%Y-%m-%d", t, 1)
      for (i = 1; i <= n; i++) value[i] *= 1 + (rand() - 0.5) * 0.006
      for (b = 1; b <= 6; b++) {
        for (q = 0; q <= (tables ? n : 0); q++) {
          if (q == b) continue
          if (rows % 600 == 0) { if (rows) print "]}" > file; close(file); file = dir "/" prefix "-" (batch++) ".json"; printf "{\"rates\":[" > file; sep = "" }
          printf "%s{\"currency\":\"%s\",\"quote\":\"%s\",\"asOf\":\"%s\",\"perUsd\":%.6g}", sep, code[b], q ? code[q] : "USD", day,
            q ? value[b] / value[q] : value[b] > file
          sep = ","; rows++
        }
      }
    }
    print "]}" > file; close(file); print rows > (dir "/" prefix ".rows")
    for (w = 1; w <= writes; w++) {
      file = dir "/" prefix ".write-" w ".json"; printf "{\"rates\":[" > file; sep = ""
      b = 2
      for (q = 0; q <= (tables ? n : 0); q++) if (q != b) {
        printf "%s{\"currency\":\"%s\",\"quote\":\"%s\",\"asOf\":\"%s\",\"perUsd\":%.6g}", sep, code[b], q ? code[q] : "USD", day,
          (q ? value[b] / value[q] : value[b]) * (1 + w / 10000) > file; sep = ","
      }
      print "]}" > file; close(file)
    }
  }'
}

post() {
  curl -fs -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    --data-binary @"$1" "http://127.0.0.1:$SVC_PORT/api/v1/admin/rates"
}

# median and worst of the seconds on stdin, in ms
stats() { sort -n | awk '{ v[NR] = $1 } END { printf "median %.1f ms, worst %.1f ms", v[int((NR + 1) / 2)] * 1000, v[NR] * 1000 }'; }

measure() {
  local name=$1 tables=$2 dir="$WORK/$1"
  mkdir -p "$dir"
  batches "$name" "$tables"
  ticker_start "$SVC_PORT" "$dir" -Dticker.admin.token=$TOKEN
  local started=$SECONDS
  for batch in "$WORK/$name"-*.json; do post "$batch" >/dev/null; done
  local rows written=$((SECONDS - started))
  rows=$(cat "$WORK/$name.rows")
  ticker_stop
  local t0 t1
  t0=$(date +%s.%N)
  ticker_launch "$SVC_PORT" "$dir" -Dticker.admin.token=$TOKEN
  t1=$(date +%s.%N)
  local ready heap_mib rss_mib writes
  ready=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  heap_mib=$(heap)
  rss_mib=$(rss)
  writes=$(for w in $(seq 1 "$WRITES"); do post "$WORK/$name.write-$w.json"; done | stats)
  ticker_stop
  echo "$name: $rows rows (written in ${written} s); start to ready ${ready} s; heap after a full GC ${heap_mib} MiB," \
    "resident ${rss_mib} MiB; one more document's write (the tenge's rows): ${writes}"
}

echo "== from $FROM to $TO, every weekday, bases ${BASES[*]}"
measure dollars 0
measure tables 1
