#!/usr/bin/env bash
# Installs Debian's Chromium, which the end-to-end tests drive headless to check the web UI.
# Idempotent: does nothing when `chromium` is already on PATH. Needs root (apt-get).
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

step "chromium (Debian package)"
if command -v chromium >/dev/null; then
  echo "   already there" >&2
else
  t0=$SECONDS
  apt_install chromium
  printf '   chromium: done in %ds\n' $((SECONDS - t0)) >&2
fi
chromium --version 2>/dev/null | sed 's/^/   /' >&2

# Without a CJK font Chromium draws Korean as empty boxes in the tests' screenshots.
step "Korean fonts for Chromium (fonts-noto-cjk)"
if dpkg -s fonts-noto-cjk >/dev/null 2>&1; then
  echo "   already there" >&2
else
  apt_install fonts-noto-cjk
fi
