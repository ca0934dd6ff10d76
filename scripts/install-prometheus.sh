#!/usr/bin/env bash
# Installs Debian's prometheus package: promtool, which the k8s module's MonitoringTest runs over the
# alert rules, and the server, which the replay producer's tests read series from
# (scripts/apt-install.sh: nothing to do when they are there).
exec bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" install-prometheus --no-recommends \
  --packages "prometheus" --files "/usr/bin/promtool /usr/bin/prometheus" --version "/usr/bin/promtool --version"
