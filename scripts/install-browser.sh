#!/usr/bin/env bash
# Installs the headless browser that sse-bridge's DashboardBrowserIT drives: Debian's chromium and
# chromium-driver (scripts/apt-install.sh: nothing to do when they are there).
exec bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" install-browser \
  --packages "chromium chromium-driver" --files "/usr/bin/chromium /usr/bin/chromedriver" \
  --hint "or skip the browser test with -DskipITs" --version "/usr/bin/chromedriver --version"
