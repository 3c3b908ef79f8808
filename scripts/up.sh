#!/usr/bin/env bash
# The first README command: set up what is missing, index a folder of posts, serve the UI.
#   bash scripts/up.sh [POSTS_DIR]
#   POSTS_DIR (or SOSIK_POSTS) — the posts to index (default: data/posts, the bundled sample)
#   SOSIK_INDEX — where the index goes (default: target/sample-index for the sample, else
#                 target/indexes/<folder name>-<hash of its path>)
#   PORT=8080 (default) — the port to serve on (127.0.0.1 only)
source "$(dirname "${BASH_SOURCE[0]}")/setup/common.sh"
cd "$REPO_ROOT"

posts=${1:-${SOSIK_POSTS:-data/posts}}
[ -d "$posts" ] || die "no folder of posts at '$posts' (usage: bash scripts/up.sh [POSTS_DIR])"
posts=$(cd "$posts" && pwd)
if [ "$posts" = "$REPO_ROOT/data/posts" ]; then
  index=${SOSIK_INDEX:-$REPO_ROOT/target/sample-index}
else
  index=${SOSIK_INDEX:-$REPO_ROOT/target/indexes/$(basename "$posts")-$(printf '%s' "$posts" | sha256sum | cut -c1-8)}
fi
mkdir -p target # for the web chain's log; the indexer makes the index's own folder

# Two chains that share nothing run side by side: the web UI's (wasm tool-chain, then the wasm
# build) and the host's (dictionary, model, then the binaries). On 2 cores each fills the other's
# downloads, links and single-crate stretches; a fresh machine saves minutes.
web_log="$REPO_ROOT/target/up-web.log"
step "web UI: wasm tool-chain and build, in the background (log: $web_log)"
(bash scripts/setup/wasm.sh && bash scripts/build-web.sh) > "$web_log" 2>&1 &
web_pid=$!
# The model and ONNX Runtime are downloads and a short conversion: they run beside the compile.
embed_log="$REPO_ROOT/target/up-embed.log"
step "embedding model and ONNX Runtime, in the background (log: $embed_log)"
bash scripts/setup/embed.sh > "$embed_log" 2>&1 &
embed_pid=$!
bash scripts/setup/dict.sh # compiles the host binaries when the dictionary must be built
step "building sosik"
build_host_binaries
if ! wait "$embed_pid"; then
  tail -25 "$embed_log" >&2
  die "the embedding model or ONNX Runtime could not be set up (whole log: $embed_log)"
fi
grep -a -E '== |up to date|MB' "$embed_log" | sed 's/\x1b\[[0-9;]*m//g' >&2 || true
if ! wait "$web_pid"; then
  tail -25 "$web_log" >&2
  die "the web UI did not build (whole log: $web_log)"
fi
grep -a -E '== |done in|up to date|bytes' "$web_log" | sed 's/\x1b\[[0-9;]*m//g' >&2 || true

n=$(find "$posts" \( -name '.*' -prune \) -o -type f \( -iname '*.md' -o -iname '*.markdown' -o -iname '*.txt' \) -print | wc -l)
step "indexing $n posts from $posts into $index"
# A first build embeds every passage (about 50 a second on 2 idle cores, BENCHMARKS.md: ~8½ minutes
# for the 2,017-post dev corpus);
# the embedding cache ($SOSIK_HOME/cache) makes later builds of the same posts take seconds.
target/debug/sosik-indexer build --posts "$posts" --index "$index"
step "serving"
# --web: the UI was built beside the server binary, which may have compiled before it existed
exec target/debug/sosik-server --index "$index" --addr "127.0.0.1:${PORT:-8080}" --web "$REPO_ROOT/web/dist"
