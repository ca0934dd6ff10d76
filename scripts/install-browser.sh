#!/usr/bin/env bash
# Installs the headless browser that sse-bridge's DashboardBrowserIT drives: Debian's chromium and
# chromium-driver. Idempotent: when /usr/bin/chromium and /usr/bin/chromedriver exist it does nothing,
# so `mvn -B verify` can run it every time. Installing needs root (apt-get); without root and without
# the browser it says what to run and fails, rather than letting the test fail obscurely later.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
DRIVER=/usr/bin/chromedriver

if [[ -x "$CHROMIUM" && -x "$DRIVER" ]]; then
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-browser: $CHROMIUM or $DRIVER is missing and installing them needs root." >&2
  echo "install-browser: run: sudo apt-get update && sudo apt-get install -y chromium chromium-driver" >&2
  echo "install-browser: or skip the browser test with -DskipITs" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null; then
  echo "install-browser: no apt-get here; install chromium and its chromedriver at $CHROMIUM and $DRIVER" >&2
  exit 1
fi

echo "install-browser: installing chromium and chromium-driver"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver

if [[ ! -x "$CHROMIUM" || ! -x "$DRIVER" ]]; then
  echo "install-browser: apt-get finished but $CHROMIUM or $DRIVER is still missing" >&2
  exit 1
fi
echo "install-browser: $("$DRIVER" --version)"
