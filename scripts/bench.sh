#!/usr/bin/env bash
# Performance benches (issue #6; results in BENCHMARKS.md): builds the release binaries and runs
# sosik-bench, which generates seeded corpora, builds, searches and serves them and prints every
# figure (and writes target/bench/results.json). Takes about 10 minutes for the default sizes
# (10,000 and 100,000 items). Needs the setup (dictionary, model, wrk).
#
#   bash scripts/bench.sh                                   # --items 10000,100000
#   bash scripts/bench.sh --items 10000 --http-seconds 5     # any sosik-bench flag (see --help)
#   bash scripts/bench.sh --dev-corpus ../shared/devcorpus   # + the dev corpus' unchanged rebuild
source "$(dirname "${BASH_SOURCE[0]}")/setup/common.sh"
cd "$REPO_ROOT"
command -v wrk >/dev/null || die "wrk is not installed; run bash scripts/setup/wrk.sh"
step "release build"
cargo build --release -q -p sosik-indexer -p sosik-server -p sosik-bench
step "sosik-bench $*"
exec target/release/sosik-bench "$@"
