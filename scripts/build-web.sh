#!/usr/bin/env bash
# Builds the web UI (crate `web/`, package sosik-web) into web/dist/, which the server serves at `/`:
#   cargo (wasm32: rustup's target or Debian's rustc-web) → wasm-bindgen --target web → wasm-opt -Oz → web/dist/
#     index.html   from web/index.html, asset URLs absolute (/app.js…) so deep links like /?q=x work
#     app.js, app_bg.wasm, style.css, boot.js   plain names; index.html asks for them with ?v=<content hash>
# Skips everything when nothing that goes into the site changed since the last build (it runs before
# every test run). Needs the tool-chain of scripts/setup/wasm.sh.
#   SOSIK_WEB_FORCE=1          rebuild even when up to date
#   SOSIK_WEB_TARGET_DIR=DIR   cargo's target dir (default target-web/). A fresh clone (CI) pays a cold
#                              build of Leptos (~5-15 min on 2 cores); a dir under $SOSIK_HOME survives clones.
. "$(dirname "${BASH_SOURCE[0]}")/setup/common.sh"

ENV_SH="$SOSIK_HOME/wasm/env.sh"
WEB="$REPO_ROOT/web"
DIST="$WEB/dist"
# One target dir per compiler: rustc-web's artifacts never mix with rustup's in target/.
export CARGO_TARGET_DIR="${SOSIK_WEB_TARGET_DIR:-$REPO_ROOT/target-web}"
STAMP="$DIST/.inputs" # hash of the inputs web/dist was built from (kept with the site it describes)
# The release profile for this build only (it has its own target dir), so Cargo.toml's stays the
# servers': size matters more than speed for the page. Proc macros (syn, leptos_macro, …) unoptimised:
# a cold build takes ~2.5 CPU-minutes instead of ~9 with the workspace's build-override opt-level 3.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=z CARGO_PROFILE_RELEASE_LTO=true \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_PANIC=abort \
  CARGO_PROFILE_RELEASE_BUILD_OVERRIDE_OPT_LEVEL=0

[ -f "$ENV_SH" ] || die "no wasm tool-chain in $SOSIK_HOME/wasm: run scripts/setup/wasm.sh first"
mkdir -p "$CARGO_TARGET_DIR"
exec 9>"$CARGO_TARGET_DIR/.build-web.lock"
flock 9 # two test runs at once: the second waits, then finds the site up to date

# Everything the site is made of: the crate and the types it shares with the server, the lockfile and
# the workspace manifest (dependency versions, profiles), this script and the tool-chain's env file.
inputs_hash() {
  cd "$REPO_ROOT"
  {
    find -H web types -type f ! -path 'web/dist/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    sha256sum Cargo.lock Cargo.toml scripts/build-web.sh "$ENV_SH" 2>/dev/null || true
  } | sha256sum | cut -c1-16
}
hash=$(inputs_hash)
if [ "${SOSIK_WEB_FORCE:-0}" != 1 ] && [ -f "$DIST/index.html" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$hash" ]; then
  step "web/dist is up to date"
  exit 0
fi

# wasm-bindgen's CLI must be exactly the version of the wasm-bindgen crate the wasm is built with.
check_wasm_bindgen() {
  local lock cli
  lock=$(awk '/^\[\[package\]\]/ {n = ""} /^name = / {n = $3}
    n == "\"wasm-bindgen\"" && /^version = / {gsub(/"/, "", $3); print $3}' "$REPO_ROOT/Cargo.lock")
  cli=$(. "$ENV_SH" && wasm-bindgen --version 2>/dev/null | awk '{print $2}') || cli=''
  [ -n "$lock" ] || die "no wasm-bindgen in Cargo.lock"
  [ "$lock" = "$cli" ] || die "wasm-bindgen is $lock in Cargo.lock but the CLI is ${cli:-missing}:" \
    "run scripts/setup/wasm.sh (it installs the version web/Cargo.toml pins)"
  cli_wbg=$cli
}
[ -f "$REPO_ROOT/Cargo.lock" ] && check_wasm_bindgen # fail before a long build, not after

step "cargo build sosik-web (wasm32-unknown-unknown, $(. "$ENV_SH" && echo "${SOSIK_WASM_ROUTE:-debian}") route)"
(
  . "$ENV_SH"
  cd "$REPO_ROOT"
  cargo build --release --target wasm32-unknown-unknown -p sosik-web
)
WASM="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/sosik-web.wasm"
[ -f "$WASM" ] || die "cargo produced no $WASM"
check_wasm_bindgen # the build may have (re)written Cargo.lock

step "wasm-bindgen $cli_wbg + wasm-opt -Oz → web/dist"
out="$DIST.new"
rm -rf "$out" && mkdir -p "$out"
(
  . "$ENV_SH"
  wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$out" --out-name app "$WASM"
  wasm-opt -Oz "$out/app_bg.wasm" -o "$out/app_bg.wasm"
)
cp "$WEB/style.css" "$out/"
v=$(cat "$out/app.js" "$out/app_bg.wasm" "$out/style.css" | sha256sum | cut -c1-12)
sed "s/__V__/$v/g" "$WEB/index.html" > "$out/index.html"
sed "s/__V__/$v/g" "$WEB/boot.js" > "$out/boot.js"
grep -q "/app.js?v=$v" "$out/index.html" || die "web/index.html must load /app.js?v=__V__"
# Swap the new site in whole: a running server never serves half of one.
rm -rf "$DIST.old"
[ -d "$DIST" ] && mv "$DIST" "$DIST.old"
mv "$out" "$DIST"
rm -rf "$DIST.old"
inputs_hash > "$STAMP" # hashed again: a build may have just rewritten Cargo.lock
for f in app_bg.wasm app.js boot.js style.css index.html; do
  printf '   %-12s %7d bytes, %6d gzipped\n' "$f" "$(stat -c %s "$DIST/$f")" "$(gzip -9c "$DIST/$f" | wc -c)" >&2
done
