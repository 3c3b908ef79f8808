# Sourced by scripts/setup/wasm.sh (and by tests/e2e/setup.rs, which drives these functions against
# stub package tools): how Debian's rustc-web tool-chain is chosen, fetched and checked.
#
# Functions only; nothing runs when this file is sourced. Expects common.sh's `die` and these
# variables: DEBS (the .deb cache), TC (the unpacked tool-chain).
#
# Why each function exists (issue #11, a fresh bookworm machine):
# - resolve_rust_web_version: apt's *candidate* for rustc-web depends on how fresh the package lists
#   are. Lists from before an `apt-get update` offer bookworm main's 1.85, whose cargo needs
#   libpcre.so.3 and which is too old for the UI anyway. So we pin a known-good version, accept a
#   newer one of the same series only with a warning, refresh the lists ourselves once when neither
#   is offered, and never let a cached .deb of some other version decide.
# - deb_closure: the unpacked binaries need shared libraries that a fresh machine may not have
#   (libgit2-1.5 for cargo, libpcre3 for older cargos, …). Rather than a hand-kept list that goes
#   stale, follow the Depends of every unpacked package and fetch whatever is not installed.
# - missing_libs: after unpacking, ask the dynamic loader (ldd) what it still cannot find, so a gap
#   is an error naming the library instead of exit 127 from the first cargo run.

# The tool-chain the UI is known to build with (Leptos 0.8, wasm-bindgen 0.2.130). Newer Debian
# revisions of the same series are taken when this one is gone from the archive (security updates
# replace it); anything older than RUST_WEB_MIN is refused.
RUST_WEB_PIN="1.96.0+dfsg1-1~deb12u2"
RUST_WEB_MIN="1.96"

# apt_versions PKG: the versions of PKG that apt's package lists offer, newest first.
apt_versions() {
  apt-cache madison "$1" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -u |
    sort -r -V
}

# version_ok VERSION: is this rustc-web version one we accept (upstream ≥ RUST_WEB_MIN)?
version_ok() {
  dpkg --compare-versions "$1" ge "$RUST_WEB_MIN~"
}

# pick_version: the pin when apt offers it, else the newest acceptable version apt offers, else nothing.
pick_version() {
  local offered v
  offered=$(apt_versions rustc-web)
  if printf '%s\n' "$offered" | grep -qxF "$RUST_WEB_PIN"; then
    echo "$RUST_WEB_PIN"
    return
  fi
  for v in $offered; do
    if version_ok "$v"; then
      echo "$v"
      return
    fi
  done
}

# cached_complete VERSION: are the four rustc-web .debs of VERSION all in $DEBS already? (An old
# version stays usable offline after the archive has dropped it.)
cached_complete() {
  local v=${1/:/%3a} p
  for p in rustc-web cargo-web libstd-rust-web-dev rust-web-src; do
    compgen -G "$DEBS/${p}_${v}_*.deb" >/dev/null || return 1
  done
}

# resolve_rust_web_version → prints the rustc-web version to use, or dies saying why.
#   1. SOSIK_RUST_WEB_VERSION, when set (must still be ≥ RUST_WEB_MIN);
#   2. the version already unpacked in $TC, when acceptable (no package lists needed);
#   3. the pin, when its .debs are cached;
#   4. what apt offers (pick_version); when it offers nothing acceptable, `apt-get update` once and ask
#      again. The update is skipped when SOSIK_NO_APT_UPDATE=1.
resolve_rust_web_version() {
  local v
  if [ -n "${SOSIK_RUST_WEB_VERSION:-}" ]; then
    version_ok "$SOSIK_RUST_WEB_VERSION" ||
      die "SOSIK_RUST_WEB_VERSION=$SOSIK_RUST_WEB_VERSION is older than rustc-web $RUST_WEB_MIN, which the web UI needs"
    echo "$SOSIK_RUST_WEB_VERSION"
    return
  fi
  v=$(cat "$TC/.version" 2>/dev/null || true)
  if [ -n "$v" ] && version_ok "$v"; then
    echo "$v"
    return
  fi
  if cached_complete "$RUST_WEB_PIN"; then
    echo "$RUST_WEB_PIN"
    return
  fi
  v=$(pick_version)
  if [ -z "$v" ] && [ "${SOSIK_NO_APT_UPDATE:-0}" != 1 ]; then
    echo "   apt offers no rustc-web >= $RUST_WEB_MIN (stale package lists?): apt-get update" >&2
    apt-get update -q >&2 || die "apt-get update failed (are you root? try: sudo apt-get update)"
    v=$(pick_version)
  fi
  [ -n "$v" ] || die "apt offers no rustc-web >= $RUST_WEB_MIN (known good: $RUST_WEB_PIN), even after" \
    "apt-get update. It comes from Debian bookworm-security: check that /etc/apt/sources.list(.d) has" \
    "'bookworm-security main', or give rustup's wasm32 target to sosik (rustup target add wasm32-unknown-unknown)"
  [ "$v" = "$RUST_WEB_PIN" ] ||
    echo "   warning: rustc-web $RUST_WEB_PIN (known good) is no longer offered; using $v" >&2
  echo "$v"
}

# deb_fetch PKG[=VERSION]... : downloads into $DEBS the packages not already there. apt-get writes
# into a private staging folder and only whole files are moved in, so an interrupted download
# leaves nothing behind that a later run would trust.
deb_fetch() {
  local want=() spec name ver stage f
  for spec in "$@"; do
    name=${spec%%=*}
    if [ "$name" = "$spec" ]; then ver='*'; else ver=${spec#*=}; ver=${ver/:/%3a}; fi # apt-get download: 1:2.0 → 1%3a2.0
    compgen -G "$DEBS/${name}_${ver}_*.deb" >/dev/null || want+=("$spec")
  done
  [ ${#want[@]} -eq 0 ] && return 0
  echo "   apt-get download ${want[*]}" >&2
  stage=$(mktemp -d "$DEBS/.download.XXXXXX")
  if ! (cd "$stage" && apt-get download -q -o APT::Sandbox::User=root "${want[@]}" >&2); then
    rm -rf "$stage"
    die "apt-get download ${want[*]} failed"
  fi
  for f in "$stage"/*.deb; do mv "$f" "$DEBS/"; done
  rm -rf "$stage"
}

# deb_path PKG [VERSION] : the cached .deb of PKG (the newest one when VERSION is not given)
deb_path() {
  local ver='*'
  [ -n "${2:-}" ] && ver=${2/:/%3a}
  ls -v "$DEBS"/"$1"_${ver}_*.deb 2>/dev/null | tail -1 | grep . || die "no $1 ${2:-} in $DEBS"
}

# installed PKG: does the machine have PKG installed, or an installed package that provides it?
# (dpkg is asked once per run: the answer is kept in INSTALLED_NAMES.)
INSTALLED_NAMES=''
installed() {
  if [ -z "$INSTALLED_NAMES" ]; then
    INSTALLED_NAMES=" $(dpkg-query -W -f='${db:Status-Status} ${Package} ${Provides}\n' 2>/dev/null |
      awk '$1 == "installed" { for (i = 2; i <= NF; i++) { n = $i; sub(/,$/, "", n); sub(/:.*/, "", n); if (n !~ /^\(/ && n !~ /\)$/) print n } }' |
      sort -u | tr '\n' ' ') "
  fi
  case "$INSTALLED_NAMES" in *" $1 "*) return 0 ;; *) return 1 ;; esac
}

# deps_of DEB: the package names DEB depends on, one per line; for a choice (a | b) the first
# alternative, unless one of them is installed already (then nothing).
deps_of() {
  local alt name any
  { dpkg-deb -f "$1" Pre-Depends; dpkg-deb -f "$1" Depends; } | tr '\n' ',' | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep . |
    while IFS= read -r alt; do
      any=''
      while IFS= read -r name; do
        installed "$name" && any=1 && break
      done < <(printf '%s\n' "$alt" | tr '|' '\n' | sed 's/([^)]*)//g; s/:any//; s/^ *//; s/ *$//')
      [ -n "$any" ] || printf '%s\n' "$alt" | sed 's/|.*//; s/([^)]*)//g; s/:any//; s/ //g'
    done
}

# deb_closure PKG=VERSION... : fetches the given packages and, transitively, every package they
# depend on that the machine does not have installed; prints the names of all of them (the given
# ones first), to be unpacked together.
deb_closure() {
  local queue=() seen=" " spec name dep
  for spec in "$@"; do queue+=("$spec"); seen+="${spec%%=*} "; done
  local i=0
  while [ $i -lt ${#queue[@]} ]; do
    spec=${queue[$i]}
    i=$((i + 1))
    name=${spec%%=*}
    deb_fetch "$spec"
    echo "$name"
    while IFS= read -r dep; do
      [ -n "$dep" ] || continue
      case "$seen" in *" $dep "*) continue ;; esac
      seen+="$dep "
      queue+=("$dep")
    done < <(if [ "$name" = "$spec" ]; then deps_of "$(deb_path "$name")"; else deps_of "$(deb_path "$name" "${spec#*=}")"; fi)
  done
}

# missing_libs LIBDIR BIN... : for every BIN, the shared libraries the loader cannot find even with
# LIBDIR on LD_LIBRARY_PATH, as "BIN: libfoo.so.1" lines. Prints nothing when all are found.
missing_libs() {
  local libdir=$1 bin
  shift
  for bin in "$@"; do
    LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd "$bin" 2>/dev/null |
      awk -v b="$(basename "$bin")" '/not found/ { print b ": " $1 }'
  done
}
