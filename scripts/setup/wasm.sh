#!/usr/bin/env bash
# Sets up the tool-chain that compiles the web UI (crate `web/`) to wasm32-unknown-unknown.
#
# Two routes, chosen by SOSIK_WASM_ROUTE (auto, the default | rustup | debian):
# - rustup: the machine's rustup tool-chain with its wasm32-unknown-unknown target. Used when the
#   target is installed already or `rustup target add` can fetch it (most machines with internet).
# - debian, the offline fallback: without internet rustup cannot add targets, so the web UI is built
#   by Debian's `rustc-web` instead (bookworm-security, version pinned in rust-web.sh): its .debs and
#   every library they need that the machine lacks are UNPACKED (dpkg-deb -x, never installed) under
#   $SOSIK_HOME/wasm/rust-web, so rustup's cargo/rustc stay the default for everything else. Its
#   wasm32 std is compiled once from Debian's std sources into that sysroot. Linker: wasm-ld from
#   Debian's lld-<LLVM>.
# auto takes rustup when the target is installed, else a Debian tool-chain already unpacked, else
# rustup if `rustup target add` succeeds within SOSIK_RUSTUP_TIMEOUT seconds (default 90), else Debian.
#
#   $SOSIK_HOME/wasm/rust-web/   (debian) rustc-web, cargo-web, std sources, lld, libraries, wasm32 std
#   $SOSIK_HOME/wasm/tools/      wasm-bindgen-cli (cargo install), binaryen's wasm-opt (npm)
#   $SOSIK_HOME/wasm/env.sh      source it (in a subshell) to build the UI; see scripts/build-web.sh
#   $SOSIK_DOWNLOADS/debs/       (debian) the .debs, kept: Debian's security archive drops superseded versions
#
# Idempotent: every step checks whether its result is already there, and builds beside its
# destination and moves the result in whole, so an interrupted run leaves nothing that changes what
# the next run does. Re-run after bumping wasm-bindgen in web/Cargo.toml: only that step runs again.
#   SOSIK_RUST_WEB_VERSION=<debian version>  (debian) use this rustc-web instead of the pinned one
#   SOSIK_NO_APT_UPDATE=1                    (debian) never run `apt-get update` on stale lists
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
. "$(dirname "${BASH_SOURCE[0]}")/rust-web.sh"

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

# ---- 0. which route ---------------------------------------------------------------------------------
rustup_has_wasm() {
  command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown
}
choose_route() {
  case "${SOSIK_WASM_ROUTE:-auto}" in
    rustup | debian) echo "$SOSIK_WASM_ROUTE"; return ;;
    auto) ;;
    *) die "SOSIK_WASM_ROUTE=$SOSIK_WASM_ROUTE: expected auto, rustup or debian" ;;
  esac
  if rustup_has_wasm; then echo rustup; return; fi
  if [ -x "$TC/usr/bin/rustc" ] && [ -f "$TC/.version" ]; then echo debian; return; fi
  if command -v rustup >/dev/null; then
    echo "   trying: rustup target add wasm32-unknown-unknown (${SOSIK_RUSTUP_TIMEOUT:-90} s at most)" >&2
    if timeout "${SOSIK_RUSTUP_TIMEOUT:-90}" rustup target add wasm32-unknown-unknown >&2 && rustup_has_wasm; then
      echo rustup
      return
    fi
    echo "   rustup could not add the target (offline?): Debian's rustc-web instead" >&2
  fi
  echo debian
}
ROUTE=$(choose_route) || exit 1

# ---- 1. the compiler: rustup's wasm32 target, or Debian's rustc-web unpacked with its libraries ------
install_rust_web() {
  local v=$1 mm llvm pkgs pkg missing check wasm_ld libdir new="$TC.new"
  mm=$(echo "$v" | sed -E 's/^([0-9]+\.[0-9]+).*/\1/')
  deb_fetch "libstd-rust-web-$mm=$v"
  llvm=$(dpkg-deb -f "$(deb_path "libstd-rust-web-$mm" "$v")" Depends |
    sed -n 's/.*libllvm\([0-9][0-9]*\).*/\1/p')
  [ -n "$llvm" ] || die "cannot tell which libllvm rustc-web $v needs"
  echo "   rustc-web $v, LLVM $llvm" >&2
  # The given packages and every package they need that this machine lacks (libgit2 for cargo, …).
  pkgs=$(deb_closure "rustc-web=$v" "cargo-web=$v" "libstd-rust-web-dev=$v" "libstd-rust-web-$mm=$v" \
    "lld-$llvm") || exit 1
  echo "   unpacking:" $pkgs >&2
  rm -rf "$new" && mkdir -p "$new"
  for pkg in $pkgs; do
    case "$pkg" in
      rustc-web | cargo-web | libstd-rust-web-*) dpkg-deb -x "$(deb_path "$pkg" "$v")" "$new" ;;
      *) dpkg-deb -x "$(deb_path "$pkg")" "$new" ;;
    esac
  done
  # Of the 340 MB of sources only library/ is needed (for -Zbuild-std), plus the sysroot's link to it.
  deb_fetch "rust-web-src=$v"
  dpkg-deb --fsys-tarfile "$(deb_path rust-web-src "$v")" |
    tar -x -C "$new" --wildcards './usr/lib/rustlib/src' './usr/src/rustc-*/library'
  rm -rf "$new/usr/share/doc" "$new/usr/share/man" "$new/usr/share/lintian"
  # Check before publishing: every binary finds its libraries, then answers.
  wasm_ld=$(ls -d "$new"/usr/lib/llvm-*/bin/wasm-ld 2>/dev/null | head -1)
  libdir=$(ls -d "$new"/usr/lib/*-linux-gnu | head -1)
  [ -x "$wasm_ld" ] || die "lld-$llvm unpacked no wasm-ld under $new"
  missing=$(missing_libs "$libdir" "$new/usr/bin/cargo" "$new/usr/bin/rustc" "$wasm_ld")
  [ -z "$missing" ] || die "the unpacked rustc-web $v cannot run, shared libraries not found:" \
    "$(echo "$missing" | paste -sd';' -)." \
    "Install the Debian packages that provide them, or report this as a sosik bug"
  for check in "$new/usr/bin/cargo -V" "$new/usr/bin/rustc -V" "$wasm_ld --version"; do
    # shellcheck disable=SC2086 # the command and its flag
    LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" RUSTC="$new/usr/bin/rustc" $check >/dev/null ||
      die "the unpacked '$check' does not run (rustc-web $v in $new)"
  done
  echo "$v" > "$new/.version"
  rm -rf "$TC" && mv "$new" "$TC"
}

write_env_debian() {
  local v=$1 wasm_ld libdir
  wasm_ld=$(ls -d "$TC"/usr/lib/llvm-*/bin/wasm-ld | head -1)
  libdir=$(ls -d "$TC"/usr/lib/*-linux-gnu | head -1)
  [ -x "$wasm_ld" ] || die "no wasm-ld under $TC"
  cat > "$WASM_HOME/env.sh.new" <<EOF
# Generated by scripts/setup/wasm.sh (route: debian). Source it in a SUBSHELL before building the web
# crate: it puts Debian's rustc-web (Rust ${v%%+*}) ahead of rustup's cargo/rustc.
export SOSIK_WASM_HOME="$WASM_HOME" SOSIK_WASM_ROUTE=debian
export PATH="$TC/usr/bin:$TOOLS/bin:\$PATH"
export LD_LIBRARY_PATH="$libdir\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export RUSTC="$TC/usr/bin/rustc" RUSTDOC="$TC/usr/bin/rustdoc"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$wasm_ld"
EOF
  mv "$WASM_HOME/env.sh.new" "$WASM_HOME/env.sh"
  (. "$WASM_HOME/env.sh" && rustc -V && cargo -V && "$wasm_ld" --version) | sed 's/^/   /' >&2
}

write_env_rustup() {
  cat > "$WASM_HOME/env.sh.new" <<EOF
# Generated by scripts/setup/wasm.sh (route: rustup). Source it in a SUBSHELL before building the web
# crate: the machine's rustup tool-chain and its wasm32-unknown-unknown target, plus our tools.
export SOSIK_WASM_HOME="$WASM_HOME" SOSIK_WASM_ROUTE=rustup
export PATH="$TOOLS/bin:\$PATH"
unset RUSTC RUSTDOC CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER
EOF
  mv "$WASM_HOME/env.sh.new" "$WASM_HOME/env.sh"
  (. "$WASM_HOME/env.sh" && rustc -V && cargo -V) | sed 's/^/   /' >&2
}

if [ "$ROUTE" = rustup ]; then
  step "1/4 wasm32 target: rustup's ($(rustc -V))"
  rustup_has_wasm || die "rustup has no wasm32-unknown-unknown target; SOSIK_WASM_ROUTE=debian builds one offline"
  echo "   installed" >&2
  write_env_rustup
else
  v=$(resolve_rust_web_version) || exit 1
  step "1/4 rustc-web $v (Debian, unpacked into $TC)"
  if [ "$(cat "$TC/.version" 2>/dev/null)" = "$v" ] && [ -x "$TC/usr/bin/rustc" ]; then
    echo "   already there" >&2
  else
    timed "rustc-web" install_rust_web "$v"
  fi
  write_env_debian "$v"
fi

# ---- 2. (debian) std for wasm32-unknown-unknown, compiled once into rustc-web's sysroot --------------
WSYS="$TC/usr/lib/rustlib/wasm32-unknown-unknown/lib"
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
if [ "$ROUTE" = debian ]; then
  step "2/4 wasm32-unknown-unknown std (into $WSYS)"
  if compgen -G "$WSYS/libstd-*.rlib" >/dev/null; then
    echo "   already there" >&2
  else
    timed "wasm32 std" build_wasm_std
  fi
else
  step "2/4 wasm32-unknown-unknown std: rustup's"
fi

# ---- 3. wasm-bindgen-cli, exactly the wasm-bindgen version web/Cargo.toml pins ----------------------
WBG=$(sed -n 's/^wasm-bindgen *= *"=\([0-9][0-9.]*\)".*/\1/p' "$REPO_ROOT/web/Cargo.toml" | head -1)
[ -n "$WBG" ] || die "web/Cargo.toml must pin wasm-bindgen exactly (wasm-bindgen = \"=X.Y.Z\")"
step "3/4 wasm-bindgen-cli $WBG (cargo install into $TOOLS)"
install_wasm_bindgen() {
  local b="$WASM_HOME/build/wasm-bindgen-cli"
  # The host (rustup) cargo builds it. No --locked: its lockfile pins a crate version crates.io lacks.
  # opt-level 1: the CLI runs for a second per UI build, and full optimisation doubles its compile time.
  # No default features: they are rustls (with ring's C and assembly) for the test runner's
  # WebDriver client, which we never use; without them a fresh machine compiles ~15 crates less.
  CARGO_TARGET_DIR="$b" CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
    cargo install --quiet --force --no-default-features wasm-bindgen-cli --version "=$WBG" --root "$TOOLS"
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
  command -v npm >/dev/null || apt_install nodejs npm
  rm -rf "$TOOLS/npm.new"
  npm install --silent --prefix "$TOOLS/npm.new" --no-audit --no-fund "binaryen@$BINARYEN_VERSION" >&2
  rm -rf "$TOOLS/npm" && mv "$TOOLS/npm.new" "$TOOLS/npm"
  ln -sfn ../npm/node_modules/.bin/wasm-opt "$TOOLS/bin/wasm-opt"
}
if "$TOOLS/bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}\b"; then
  echo "   already there" >&2
else
  timed "binaryen" install_binaryen
fi
"$TOOLS/bin/wasm-opt" --version | sed 's/^/   /' >&2

rmdir "$WASM_HOME/build" 2>/dev/null || true
step "wasm tool-chain ready ($ROUTE route): source $WASM_HOME/env.sh ($(du -sh "$WASM_HOME" | cut -f1) in $WASM_HOME)"
