# Sourced by the bench scripts: rate-ticker started on 127.0.0.1, on a fresh H2 file, with the banks switched off;
# LAUNCHER=shipped (the default) starts it as it ships (scripts/run.sh: the image's JVM settings and AOT cache),
# LAUNCHER=plain as a newcomer would (java -jar, the JVM's defaults, no cache). JAVA_OPTS defaults to
# -XX:MaxRAM=768m, so that the JVM sizes itself as in the Kubernetes pod (memory limit 768 MiB).
export JAVA_OPTS=${JAVA_OPTS:--XX:MaxRAM=768m}
LAUNCHER=${LAUNCHER:-shipped}
case $LAUNCHER in shipped | plain) ;; *) echo "LAUNCHER is shipped or plain, not $LAUNCHER" >&2; exit 1 ;; esac
TICKER_PID=""

# baseline_setup NAME: wrk and nginx checked, NGINX set, a work directory WORK (readable by nginx's workers) that
# is removed on exit, with the service and nginx stopped.
baseline_setup() {
  command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
  [ -x "$NGINX" ] || { echo "nginx is missing: apt-get install -y nginx-light" >&2; exit 1; }
  WORK=$(mktemp -d "/tmp/rate-ticker-$1.XXXXXX")
  chmod 755 "$WORK" # nginx workers run as an unprivileged user when started as root
  trap baseline_cleanup EXIT
}

baseline_cleanup() {
  ticker_stop
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}

# Builds the jar if it is missing, and makes the AOT cache if it is missing or older than the jars.
bench_prepare() {
  [ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -ntp package -DskipTests
  local app=target/quarkus-app
  if [ ! -f $app/app.aot ] || [ -n "$(find $app -name '*.jar' -newer $app/app.aot -print -quit)" ]; then
    echo "== making the AOT cache (scripts/run.sh --train)"
    scripts/run.sh --train
  fi
}

# launch JAVA_ARGS... &: the service by LAUNCHER. Run in the background only: it replaces the (sub)shell with the
# JVM, so that $! is the JVM's pid, whose memory the scripts read and which they stop.
launch() {
  if [ "$LAUNCHER" = shipped ]; then
    exec scripts/run.sh "$@"
  else
    # shellcheck disable=SC2086
    exec java $JAVA_OPTS "$@" -jar target/quarkus-app/quarkus-run.jar
  fi
}

# ticker_start PORT DIR [-Dkey=value ...]: starts it on a new database in DIR, with its log there, and waits until it
# is ready.
ticker_start() {
  rm -rf "$2/ticker"*
  ticker_launch "$@"
}

# ticker_launch PORT DIR [-Dkey=value ...]: as ticker_start, on the database DIR holds.
ticker_launch() {
  local port=$1 dir=$2
  shift 2
  launch -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
    -Dquarkus.datasource.jdbc.url="jdbc:h2:file:$dir/ticker" -Dquarkus.log.level=WARN \
    -Dticker.sources.nbkr.enabled=false -Dticker.sources.nbk.enabled=false -Dticker.sources.cbu.enabled=false \
    -Dticker.sources.nbt.enabled=false -Dticker.sources.cbt.enabled=false -Dticker.sources.cbr.enabled=false \
    "$@" > "$dir/ticker.log" 2>&1 &
  TICKER_PID=$!
  for _ in $(seq 1 240); do
    curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && return
    kill -0 "$TICKER_PID" 2>/dev/null || break
    sleep 0.25
  done
  cat "$dir/ticker.log" >&2
  exit 1
}

ticker_stop() {
  if [ -n "$TICKER_PID" ]; then kill "$TICKER_PID" 2>/dev/null && wait "$TICKER_PID" 2>/dev/null || true; fi
  TICKER_PID=""
}

# The service's resident memory (MiB).
rss() { awk '/VmRSS/{printf "%.0f", $2/1024}' "/proc/$TICKER_PID/status"; }

# What the heap holds after a full collection (MiB): what the service keeps, apart from what it made and dropped.
heap() {
  jcmd "$TICKER_PID" GC.run >/dev/null
  jcmd "$TICKER_PID" GC.heap_info | awk '/generation|heap|DefNew|Tenured/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(/K,?/, "", v); kb += v } }
    END { printf "%.1f", kb / 1024 }'
}

machine() {
  echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)," \
    "$(java -version 2>&1 | head -1); service launched: $LAUNCHER" \
    "($([ "$LAUNCHER" = shipped ] && echo "scripts/run.sh with its AOT cache" || echo "java -jar")), JAVA_OPTS=$JAVA_OPTS"
}
