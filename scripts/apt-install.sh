#!/usr/bin/env bash
# Installs Debian packages that tests need, once: when every file named exists it does nothing, so a
# build can run it every time. Installing needs root (apt-get); without root and without the files it
# says what to run and fails, rather than letting a test fail obscurely later.
#
#   scripts/apt-install.sh NAME --packages "P ..." --files "F ..." [--no-recommends] [--hint TEXT] [--version CMD]
#
# NAME prefixes its messages; --version is a command whose first line is printed after installing.
set -euo pipefail

usage() {
  sed -n '2,8s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 2
}

[[ $# -ge 1 ]] || usage
name="$1"
shift
packages=""
files=""
hint=""
version=""
recommends=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --packages) packages="$2"; shift 2 ;;
    --files) files="$2"; shift 2 ;;
    --hint) hint="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    --no-recommends) recommends=(--no-install-recommends); shift ;;
    *) usage ;;
  esac
done
[[ -n "$packages" && -n "$files" ]] || usage

missing() {
  local f
  for f in $files; do
    [[ -x "$f" ]] || return 0
  done
  return 1
}

if ! missing; then
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "$name: one of $files is missing and installing them needs root." >&2
  echo "$name: run: sudo apt-get update && sudo apt-get install -y $packages" >&2
  [[ -z "$hint" ]] || echo "$name: $hint" >&2
  exit 1
fi

if ! command -v apt-get >/dev/null; then
  echo "$name: no apt-get here; install $packages so that $files exist" >&2
  exit 1
fi

echo "$name: installing $packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086 # the package list is words
apt-get install -y -qq ${recommends[@]+"${recommends[@]}"} $packages

if missing; then
  echo "$name: apt-get finished but one of $files is still missing" >&2
  exit 1
fi
[[ -z "$version" ]] || echo "$name: $($version 2>&1 | head -1)"
