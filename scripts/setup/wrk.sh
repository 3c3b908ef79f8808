#!/usr/bin/env bash
# Installs Debian's wrk, the HTTP load generator behind scripts/load.sh and the load test in
# tests/e2e/limits.rs. Idempotent: does nothing when `wrk` is already on PATH. Needs root (apt-get).
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

step "wrk (Debian package)"
if command -v wrk >/dev/null; then
  echo "   already there" >&2
else
  apt_install wrk
fi
wrk --version 2>&1 | head -1 | sed 's/^/   /' >&2 || true
