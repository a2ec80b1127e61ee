#!/usr/bin/env bash
# Builds the project's Dockerfile with podman and checks the container becomes healthy as a non-root user, through
# ../shared/tools/container-smoke.sh (base images made from Debian packages; no registry here). The context is a
# copy whose Dockerfile gets ENV lines switching the six banks off: the container would otherwise try to reach
# them, and a smoke test has no business with hosts outside this machine. Everything else is the Dockerfile as is.
set -euo pipefail
cd "$(dirname "$0")/.."
SMOKE=${SMOKE_SCRIPT:-../shared/tools/container-smoke.sh}
[ -f "$SMOKE" ] || { echo "no $SMOKE: the shared container tools are missing" >&2; exit 1; }
CTX=$(mktemp -d /tmp/rate-ticker-ctx.XXXXXX)
trap 'rm -rf "$CTX"' EXIT
cp -r .mvn mvnw pom.xml src scripts Dockerfile .dockerignore "$CTX"/
for source in nbkr nbk cbu nbt cbt cbr; do
  echo "ENV TICKER_SOURCES_${source^^}_ENABLED=false" >> "$CTX/Dockerfile"
done
# The image serves health on its management interface (port 9000), as the Kubernetes probes use it.
SUITE=trixie JAVA=25 SMOKE_PORT=9000 bash "$SMOKE" "$CTX"
