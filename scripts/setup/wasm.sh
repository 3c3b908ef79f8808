#!/usr/bin/env bash
# Sets up the tool-chain that compiles the web UI (crate `web/`) to wasm32-unknown-unknown.
#
# rustup cannot add targets on our machines (no internet but the package registries), so the web UI is
# built by Debian's `rustc-web` instead: its .debs are UNPACKED (dpkg-deb -x, never installed) under
# $SOSIK_HOME/wasm/rust-web, so the machine's rustup cargo/rustc stay the default for everything else.
# Its wasm32 std is compiled once from Debian's std sources and dropped into that sysroot; after that
# the web crate builds like with a normal rustup target. Linker: wasm-ld from Debian's lld-<LLVM>.
#
#   $SOSIK_HOME/wasm/rust-web/   rustc-web + cargo-web + std sources (library/ only) + lld, + wasm32 std
#   $SOSIK_HOME/wasm/tools/      wasm-bindgen-cli (cargo install), binaryen's wasm-opt (npm)
#   $SOSIK_HOME/wasm/env.sh      source it (in a subshell) to build with rustc-web; see scripts/build-web.sh
#   $SOSIK_DOWNLOADS/debs/       the .debs, kept: Debian's security archive drops superseded versions
#
# Idempotent: every step checks whether its result is already there. Re-run after bumping wasm-bindgen
# in web/Cargo.toml: only the wasm-bindgen-cli step runs again.
#   SOSIK_RUST_WEB_VERSION=<debian version>  pin a rustc-web version (default: the cached one, else apt's candidate)
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

WASM_HOME="$SOSIK_HOME/wasm"
TC="$WASM_HOME/rust-web"
TOOLS="$WASM_HOME/tools"
DEBS="$SOSIK_DOWNLOADS/debs"
BINARYEN_VERSION=132.0.0 # NOT Debian's binaryen (108): its wasm-opt corrupts wasm-bindgen's externref table export
mkdir -p "$WASM_HOME" "$TOOLS/bin" "$DEBS"

# A shell that already sourced env.sh must not leak rustc-web into the host cargo used below.
unset RUSTC RUSTDOC CARGO_TARGET_DIR
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$TC/usr/bin" | paste -sd: -)

timed() { # timed LABEL CMD... : runs CMD, prints how long it took
  local label=$1 t0=$SECONDS; shift
  "$@"
  printf '   %s: done in %ds\n' "$label" $((SECONDS - t0)) >&2
}

# ---- 1. Debian rustc-web + cargo-web + std sources + wasm-ld, unpacked ------------------------------
rust_web_version() {
  if [ -n "${SOSIK_RUST_WEB_VERSION:-}" ]; then echo "$SOSIK_RUST_WEB_VERSION"; return; fi
  local cached
  cached=$(ls -t "$DEBS"/rustc-web_*.deb 2>/dev/null | head -1 || true)
  if [ -n "$cached" ]; then dpkg-deb -f "$cached" Version; return; fi
  apt-cache policy rustc-web | awk '/Candidate:/ {print $2}'
}

# deb_fetch PKG[=VERSION]... : downloads into $DEBS the packages not already there
deb_fetch() {
  local want=() spec name ver
  for spec in "$@"; do
    name=${spec%%=*}
    if [ "$name" = "$spec" ]; then ver='*'; else ver=${spec#*=}; ver=${ver/:/%3a}; fi # apt-get download: 1:2.0 → 1%3a2.0
    compgen -G "$DEBS/${name}_${ver}_*.deb" >/dev/null || want+=("$spec")
  done
  [ ${#want[@]} -eq 0 ] && return 0
  echo "   apt-get download ${want[*]}" >&2
  (cd "$DEBS" && apt-get download -q -o APT::Sandbox::User=root "${want[@]}" >&2) ||
    die "apt-get download failed (run 'apt-get update' first?)"
}

# deb_path PKG [VERSION] : the cached .deb of PKG (the newest one when VERSION is not given)
deb_path() {
  local ver='*'
  [ -n "${2:-}" ] && ver=${2/:/%3a}
  ls -v "$DEBS"/"$1"_${ver}_*.deb 2>/dev/null | tail -1 | grep . || die "no $1 ${2:-} in $DEBS"
}

install_rust_web() {
  local v=$1 mm llvm deb
  mm=$(echo "$v" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
  deb_fetch "libstd-rust-web-$mm=$v"
  llvm=$(dpkg-deb -f "$(deb_path "libstd-rust-web-$mm" "$v")" Depends |
    sed -n 's/.*libllvm\([0-9][0-9]*\).*/\1/p')
  [ -n "$llvm" ] || die "cannot tell which libllvm rustc-web $v needs"
  echo "   rustc-web $v, LLVM $llvm" >&2
  # cargo-web also needs libgit2-1.5 and the libs below it; the rest of its deps are on every Debian.
  deb_fetch "rustc-web=$v" "cargo-web=$v" "libstd-rust-web-dev=$v" "rust-web-src=$v" \
    "libllvm$llvm" "lld-$llvm" libgit2-1.5 libhttp-parser2.9 libmbedcrypto7 libmbedtls14 libmbedx509-1
  rm -rf "$TC.new" && mkdir -p "$TC.new"
  for deb in rustc-web cargo-web libstd-rust-web-dev "libstd-rust-web-$mm"; do
    dpkg-deb -x "$(deb_path "$deb" "$v")" "$TC.new"
  done
  for deb in "libllvm$llvm" "lld-$llvm" libgit2-1.5 libhttp-parser2.9 libmbedcrypto7 libmbedtls14 libmbedx509-1; do
    dpkg-deb -x "$(deb_path "$deb")" "$TC.new"
  done
  # Of the 340 MB of sources only library/ is needed (for -Zbuild-std), plus the sysroot's link to it.
  dpkg-deb --fsys-tarfile "$(deb_path rust-web-src "$v")" | tar -x -C "$TC.new" --wildcards './usr/lib/rustlib/src' './usr/src/rustc-*/library'
  rm -rf "$TC.new/usr/share/doc" "$TC.new/usr/share/man" "$TC.new/usr/share/lintian"
  echo "$v" > "$TC.new/.version"
  rm -rf "$TC" && mv "$TC.new" "$TC"
}

v=$(rust_web_version)
[ -n "$v" ] || die "apt knows no rustc-web (Debian bookworm-security); run 'apt-get update'"
step "1/4 rustc-web $v (Debian, unpacked into $TC)"
if [ "$(cat "$TC/.version" 2>/dev/null)" = "$v" ] && [ -x "$TC/usr/bin/rustc" ]; then
  echo "   already there" >&2
else
  timed "rustc-web" install_rust_web "$v"
fi
WASM_LD=$(ls -d "$TC"/usr/lib/llvm-*/bin/wasm-ld | head -1)
LIBDIR=$(ls -d "$TC"/usr/lib/*-linux-gnu | head -1)
[ -x "$WASM_LD" ] || die "no wasm-ld under $TC"

cat > "$WASM_HOME/env.sh" <<EOF
# Generated by scripts/setup/wasm.sh. Source it in a SUBSHELL before building the web crate: it puts
# Debian's rustc-web (Rust ${v%%+*}) ahead of rustup's cargo/rustc.
export SOSIK_WASM_HOME="$WASM_HOME"
export PATH="$TC/usr/bin:$TOOLS/bin:\$PATH"
export LD_LIBRARY_PATH="$LIBDIR\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export RUSTC="$TC/usr/bin/rustc" RUSTDOC="$TC/usr/bin/rustdoc"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$WASM_LD"
EOF
(. "$WASM_HOME/env.sh" && rustc -V && cargo -V && "$WASM_LD" --version) | sed 's/^/   /' >&2

# ---- 2. std for wasm32-unknown-unknown, compiled once into rustc-web's sysroot ----------------------
WSYS="$TC/usr/lib/rustlib/wasm32-unknown-unknown/lib"
step "2/4 wasm32-unknown-unknown std (into $WSYS)"
build_wasm_std() {
  local b="$WASM_HOME/build/sysroot"
  rm -rf "$b" && mkdir -p "$b/src" && : > "$b/src/lib.rs"
  cat > "$b/Cargo.toml" <<'EOF'
[package]
name = "sysroot-builder"
version = "0.0.0"
edition = "2021"

[profile.release]
opt-level = 3
panic = "abort"
EOF
  # -Cembed-bitcode=yes keeps LLVM bitcode in the rlibs so the web crate can use lto = true.
  # std's own dependencies (libc, hashbrown, ...) come from crates.io, as pinned by library/Cargo.lock.
  (. "$WASM_HOME/env.sh" && cd "$b" &&
    RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$b/target" CARGO_ENCODED_RUSTFLAGS=-Cembed-bitcode=yes \
      cargo build --release --target wasm32-unknown-unknown -Zbuild-std=std,panic_abort)
  rm -rf "$WSYS.new" && mkdir -p "$WSYS.new"
  find "$b/target/wasm32-unknown-unknown/release/deps" -name '*.rlib' ! -name 'libsysroot_builder-*' \
    -exec cp {} "$WSYS.new/" \;
  rm -rf "$WSYS" && mv "$WSYS.new" "$WSYS"
  rm -rf "$b"
}
if compgen -G "$WSYS/libstd-*.rlib" >/dev/null; then
  echo "   already there" >&2
else
  timed "wasm32 std" build_wasm_std
fi

# ---- 3. wasm-bindgen-cli, exactly the wasm-bindgen version web/Cargo.toml pins ----------------------
WBG=$(sed -n 's/^wasm-bindgen *= *"=\([0-9][0-9.]*\)".*/\1/p' "$REPO_ROOT/web/Cargo.toml" | head -1)
[ -n "$WBG" ] || die "web/Cargo.toml must pin wasm-bindgen exactly (wasm-bindgen = \"=X.Y.Z\")"
step "3/4 wasm-bindgen-cli $WBG (cargo install into $TOOLS)"
install_wasm_bindgen() {
  local b="$WASM_HOME/build/wasm-bindgen-cli"
  # The host (rustup) cargo builds it. No --locked: its lockfile pins a crate version crates.io lacks.
  CARGO_TARGET_DIR="$b" cargo install --quiet --force wasm-bindgen-cli --version "=$WBG" --root "$TOOLS"
  rm -rf "$b" # ~2 GB
}
if [ "$("$TOOLS/bin/wasm-bindgen" --version 2>/dev/null)" = "wasm-bindgen $WBG" ]; then
  echo "   already there" >&2
else
  timed "wasm-bindgen-cli" install_wasm_bindgen
fi

# ---- 4. wasm-opt from npm's binaryen ----------------------------------------------------------------
step "4/4 wasm-opt (npm binaryen@$BINARYEN_VERSION into $TOOLS/npm)"
install_binaryen() {
  command -v npm >/dev/null || apt-get install -y --no-install-recommends nodejs npm >&2
  npm install --silent --prefix "$TOOLS/npm" --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >&2
  ln -sf ../npm/node_modules/.bin/wasm-opt "$TOOLS/bin/wasm-opt"
}
if "$TOOLS/bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}\b"; then
  echo "   already there" >&2
else
  timed "binaryen" install_binaryen
fi
"$TOOLS/bin/wasm-opt" --version | sed 's/^/   /' >&2

rmdir "$WASM_HOME/build" 2>/dev/null || true
step "wasm tool-chain ready: source $WASM_HOME/env.sh ($(du -sh "$WASM_HOME" | cut -f1) in $WASM_HOME)"
