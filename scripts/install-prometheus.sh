#!/usr/bin/env bash
# Installs Debian's prometheus package: promtool, which the k8s module's MonitoringTest runs over the
# alert rules, and the server, which the replay producer's tests read series from. Idempotent: when
# both exist it does nothing, so `mvn -B verify` can run it every time. Installing needs root
# (apt-get); without root and without them it says what to run and fails, rather than letting a test
# fail obscurely later.
set -euo pipefail

PROMTOOL=/usr/bin/promtool
SERVER=/usr/bin/prometheus

if [[ -x "$PROMTOOL" && -x "$SERVER" ]]; then
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-prometheus: $PROMTOOL or $SERVER is missing and installing them needs root." >&2
  echo "install-prometheus: run: sudo apt-get update && sudo apt-get install -y prometheus" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null; then
  echo "install-prometheus: no apt-get here; install Prometheus at $SERVER and its promtool at $PROMTOOL" >&2
  exit 1
fi

echo "install-prometheus: installing Debian's prometheus package"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus
if [[ ! -x "$PROMTOOL" || ! -x "$SERVER" ]]; then
  echo "install-prometheus: apt-get finished but $PROMTOOL or $SERVER is still missing" >&2
  exit 1
fi
echo "install-prometheus: $("$PROMTOOL" --version 2>&1 | head -1)"
