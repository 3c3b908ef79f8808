#!/usr/bin/env bash
# Installs Debian's wrk, the HTTP load generator behind scripts/load.sh and the load test in
# tests/e2e/limits.rs. Idempotent: does nothing when `wrk` is already on PATH. Needs root (apt-get).
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

step "wrk (Debian package)"
if command -v wrk >/dev/null; then
  echo "   already there" >&2
else
  echo "   apt-get install wrk" >&2
  # The package lists may be missing or stale: update once, retry.
  apt-get install -y -q --no-install-recommends wrk >&2 ||
    { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends wrk >&2; } ||
    die "could not install wrk"
fi
wrk --version 2>&1 | head -1 | sed 's/^/   /' >&2 || true
