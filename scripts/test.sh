#!/usr/bin/env bash
# The second README command: set up what is missing, then run every test: formatting, lints (clippy
# with warnings as errors), and the workspace's tests.
source "$(dirname "${BASH_SOURCE[0]}")/setup/common.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh
step "cargo fmt --check"
cargo fmt --all --check
bash scripts/build-web.sh
step "cargo clippy (warnings are errors)"
cargo clippy --quiet --workspace --exclude sosik-web --all-targets -- -D warnings
step "cargo test"
cargo test --workspace --exclude sosik-web
