#!/usr/bin/env bash
# README command 1: builds Vigil, then runs all of it on this machine with a real Kafka broker
# (broker, schema registry, scorer, SSE bridge, replay of the demo data). Ctrl-C stops everything.
# Each run starts clean: .vigil-local/ (broker data, state, logs) is wiped at start.
set -euo pipefail
cd "$(dirname "$0")"
command -v java >/dev/null || { echo "vigil: Java 17 or newer is needed on PATH" >&2; exit 1; }
command -v mvn >/dev/null || { echo "vigil: Maven is needed on PATH" >&2; exit 1; }
start=$(date +%s)
echo "vigil: building (the first build downloads dependencies)..."
mvn -q -B -DskipTests package
echo "vigil: built in $(( $(date +%s) - start )) s"
exec java -Xmx256m -Dvigil.repo="$PWD" \
  -cp "local-stack/target/classes:$(cat local-stack/target/runtime-classpath.txt)" \
  io.vigil.local.LocalStack "$@"
