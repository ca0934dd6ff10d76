#!/usr/bin/env bash
# Installs promtool, which the k8s module's MonitoringRulesTest runs over the alert rules: Debian's
# prometheus package. Idempotent: when /usr/bin/promtool exists it does nothing, so `mvn -B verify`
# can run it every time. Installing needs root (apt-get); without root and without promtool it says
# what to run and fails, rather than letting the test fail obscurely later.
set -euo pipefail

PROMTOOL=/usr/bin/promtool

if [[ -x "$PROMTOOL" ]]; then
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-promtool: $PROMTOOL is missing and installing it needs root." >&2
  echo "install-promtool: run: sudo apt-get update && sudo apt-get install -y prometheus" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null; then
  echo "install-promtool: no apt-get here; install Prometheus' promtool at $PROMTOOL" >&2
  exit 1
fi

echo "install-promtool: installing Debian's prometheus package (for promtool)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends prometheus
if [[ ! -x "$PROMTOOL" ]]; then
  echo "install-promtool: apt-get finished but $PROMTOOL is still missing" >&2
  exit 1
fi
echo "install-promtool: $("$PROMTOOL" --version 2>&1 | head -1)"
