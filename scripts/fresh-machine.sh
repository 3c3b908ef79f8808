#!/usr/bin/env bash
# Runs the first README command (scripts/up.sh) as a new machine would, and times it: a fresh clone
# of this repository's HEAD, an empty $SOSIK_HOME, empty cargo, pip and npm caches, a copy of
# rustup's tool-chains without the wasm32 target, and — with --stale-lists — apt package lists
# without the bookworm-security suite (as on an image whose lists predate an `apt-get update`).
# Stops the server once it answers and prints how long each step took.
#
#   bash scripts/fresh-machine.sh WORKDIR [--route auto|debian] [--stale-lists] [--port N]
#
#   WORKDIR        a new or empty folder; everything the run makes goes there (several GB)
#   --route        SOSIK_WASM_ROUTE for the run (default auto: rustup's target when it can be added)
#   --stale-lists  apt reads a copy of /var/lib/apt/lists without bookworm-security
#
# Nothing outside WORKDIR is changed, except what apt-get installs system-wide if it has to (the
# run needs no system package a Debian image with Rust, Python and npm lacks). It never deletes.
set -euo pipefail
usage() { echo "usage: bash scripts/fresh-machine.sh WORKDIR [--route auto|debian] [--stale-lists] [--port N]" >&2; exit 2; }
[ $# -ge 1 ] || usage
work=$1
shift
route=auto stale='' port=18080
while [ $# -gt 0 ]; do
  case "$1" in
    --route) route=${2:?}; shift 2 ;;
    --stale-lists) stale=1; shift ;;
    --port) port=${2:?}; shift 2 ;;
    *) usage ;;
  esac
done
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -e "$work" ] && [ -n "$(ls -A "$work")" ]; then
  echo "error: $work is not empty; give a new or empty folder (this script never deletes)" >&2
  exit 1
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)

git clone --quiet "$repo" "$work/clone"
mkdir -p "$work/sosik-home" "$work/cargo-home" "$work/pip-cache" "$work/npm-cache"
# rustup's tool-chains as a new machine has them: the host target only.
rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
cp -a "$rustup_home" "$work/rustup-home"
RUSTUP_HOME="$work/rustup-home" rustup target remove wasm32-unknown-unknown >/dev/null 2>&1 || true

env=(SOSIK_HOME="$work/sosik-home" CARGO_HOME="$work/cargo-home" RUSTUP_HOME="$work/rustup-home"
  PIP_CACHE_DIR="$work/pip-cache" npm_config_cache="$work/npm-cache" SOSIK_WASM_ROUTE="$route" PORT="$port")
if [ -n "$stale" ]; then
  mkdir -p "$work/apt/lists/partial" "$work/apt/cache/archives/partial"
  find /var/lib/apt/lists -maxdepth 1 -type f ! -name '*security*' ! -name lock -exec cp {} "$work/apt/lists/" \;
  printf 'Dir::State::Lists "%s/apt/lists/";\nDir::Cache "%s/apt/cache/";\n' "$work" "$work" > "$work/apt/apt.conf"
  env+=(APT_CONFIG="$work/apt/apt.conf")
  echo "stale package lists: apt offers rustc-web $(APT_CONFIG="$work/apt/apt.conf" apt-cache policy rustc-web | awk '/Candidate/ {print $2}')" >&2
fi

echo "fresh run in $work (route $route${stale:+, stale package lists}), load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
t0=$(date +%s)
(cd "$work/clone" && env "${env[@]}" bash scripts/up.sh) > "$work/up.log" 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; do
  if ! kill -0 "$pid" 2>/dev/null; then
    tail -30 "$work/up.log" >&2
    echo "error: scripts/up.sh stopped before serving (log: $work/up.log)" >&2
    exit 1
  fi
  sleep 2
done
t1=$(date +%s)
kill "$pid" 2>/dev/null || true
pkill -f "sosik-server --index $work/" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
echo "--- steps (from $work/up.log)" >&2
grep -a '^.\[1m==' "$work/up.log" | sed 's/\x1b\[[0-9;]*m//g' >&2 || true
grep -a 'done in' "$work/up.log" >&2 || true
printf 'sosik was serving %d s (%dm %02ds) after the start; load average now %s\n' \
  $((t1 - t0)) $(((t1 - t0) / 60)) $(((t1 - t0) % 60)) "$(cut -d' ' -f1-3 /proc/loadavg)"
