#!/usr/bin/env bash
# Installs Debian's prometheus-alertmanager package, the real Alertmanager the notifier's integration
# tests send alerts to (scripts/apt-install.sh: nothing to do when it is there).
exec bash "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" install-alertmanager --no-recommends \
  --packages "prometheus-alertmanager" --files "/usr/bin/prometheus-alertmanager" \
  --version "/usr/bin/prometheus-alertmanager --version"
