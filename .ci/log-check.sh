#!/usr/bin/env bash
# Prints the ERROR and WARN lines of a build log that .ci/expected-log-lines does not explain, and fails if there
# are any: a passing build's log stays quiet, so that an ERROR line means something.
set -euo pipefail
log=${1:?usage: .ci/log-check.sh BUILD_LOG}
expected="$(dirname "$0")/expected-log-lines"
# Maven's own [ERROR]/[WARNING] lines, the applications' log lines (JBoss format) and java.util.logging's
lines=$(grep -E '^\[(ERROR|WARNING)\]|^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:,.]+ +(ERROR|WARN|WARNING|SEVERE) |^(ERROR|WARNING|SEVERE):' "$log" || true)
unexplained=$(printf '%s\n' "$lines" | grep -v -E -f <(grep -v -E '^(#|$)' "$expected") | grep -v '^$' || true)
if [ -n "$unexplained" ]; then
  echo "The build log has ERROR/WARN lines that $expected does not explain:" >&2
  printf '%s\n' "$unexplained" | head -50 >&2
  exit 1
fi
echo "Build log: $(printf '%s\n' "$lines" | grep -c . || true) ERROR/WARN lines, each one expected (.ci/expected-log-lines)"
