#!/usr/bin/env bash
# The first README command: set up what is missing, index data/posts, serve the UI.
#   PORT=8080 (default) — the port to serve on (127.0.0.1 only)
source "$(dirname "${BASH_SOURCE[0]}")/setup/common.sh"
cd "$REPO_ROOT"
bash scripts/setup.sh
bash scripts/build-web.sh
step "building sosik"
cargo build --quiet -p sosik-indexer -p sosik-server
INDEX="$REPO_ROOT/target/sample-index"
step "indexing data/posts"
target/debug/sosik-indexer build --posts data/posts --index "$INDEX"
step "serving"
exec target/debug/sosik-server --index "$INDEX" --addr "127.0.0.1:${PORT:-8080}"
