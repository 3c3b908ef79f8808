#!/usr/bin/env bash
# The second README command: set up what is missing, then run every test.
source "$(dirname "${BASH_SOURCE[0]}")/setup/common.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh
bash scripts/build-web.sh
step "cargo test"
cargo test --workspace --exclude sosik-web
