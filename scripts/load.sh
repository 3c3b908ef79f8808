#!/usr/bin/env bash
# A bounded load run on loopback: wrk with N connections for a while against search (varied
# queries, all three modes, filters, paging), items and similar items, and the explore endpoints
# (companies, timeline) when the server has them. Prints wrk's latency distribution and one line
#   LOAD-SUMMARY {"requests":…,"errors":{…,"status":N},"latency_ms":{"p50":…,"p90":…,"p99":…}}
# (status = answers with a status of 400 or more). Exits 1 if any request failed.
#
#   bash scripts/load.sh                          # 64 connections, 30 s, a server of its own
#   bash scripts/load.sh -c 64 -d 10s --url http://127.0.0.1:8080   # against a running server
#   bash scripts/load.sh --only search ...        # only search and item paths (or --only explore)
#
# Without --url it builds the debug binaries, indexes data/posts into target/load-index and starts
# target/debug/sosik-server on a free port (log: target/load-server.log), stopped at the end.
source "$(dirname "${BASH_SOURCE[0]}")/setup/common.sh"
cd "$REPO_ROOT"

connections=64 duration=30s threads=2 url="" only=all extra_server_args=()
while [ $# -gt 0 ]; do
  case $1 in
    -c | --connections) connections=$2; shift 2 ;;
    -d | --duration) duration=$2; shift 2 ;;
    -t | --threads) threads=$2; shift 2 ;;
    --url) url=${2%/}; shift 2 ;;
    --server-arg) extra_server_args+=("$2"); shift 2 ;;
    --only) only=$2; shift 2 ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) die "unknown argument $1 (see --help)" ;;
  esac
done
[[ $connections =~ ^[0-9]+$ && $connections -gt 0 ]] || die "--connections must be a positive number, got $connections"
[[ $duration =~ ^[0-9]+[smh]?$ ]] || die "--duration must be like 30s or 2m, got $duration"
[[ $only =~ ^(all|search|explore)$ ]] || die "--only must be all, search or explore, got $only"
command -v wrk >/dev/null || die "wrk is not installed; run bash scripts/setup/wrk.sh"

work=$(mktemp -d)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$url" ]; then
  step "build and index"
  cargo build -q -p sosik-indexer -p sosik-server
  target/debug/sosik-indexer build --posts data/posts --index target/load-index >/dev/null
  target/debug/sosik-server --index target/load-index --addr 127.0.0.1:0 "${extra_server_args[@]}" \
    >"$work/server.out" 2>target/load-server.log &
  server_pid=$!
  for _ in $(seq 600); do
    url=$(grep -o 'http://[0-9.:]*' "$work/server.out" 2>/dev/null || true)
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || die "sosik-server exited; see target/load-server.log"
    sleep 0.1
  done
  [ -n "$url" ] || die "sosik-server did not start in 60 s; see target/load-server.log"
fi

step "paths"
# Item ids and company slugs come from the server itself; the queries are ours.
python3 - "$url" "$only" >"$work/paths.txt" <<'PY'
import json, sys, urllib.error, urllib.parse, urllib.request

base = sys.argv[1]
def get(path):
    try:
        with urllib.request.urlopen(base + path, timeout=30) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, None

queries = ["앤트로픽", "Claude Cowork", "오픈AI GPT", "엔비디아 H200 수출", "AI 에이전트", "데이터센터 투자",
           "반도체 규제", "구글 제미나이", "메타 라마", "마이크로소프트 코파일럿", "오픈소스 모델", "AI 안전",
           "휴머노이드 로봇", "자율주행", "삼성전자 HBM", "생성형 AI 저작권", "추론 모델", "딥시크",
           "coding agent", "클라우드 매출", "스타트업 투자 유치", "칩 수출 통제", "멀티모달", "what did Anthropic release"]
q = urllib.parse.quote
search, items, explore = [], [], []
for i, text in enumerate(queries):
    for mode in ("bm25", "vector", "hybrid"):
        search.append(f"/api/search?q={q(text)}&mode={mode}")
    extra = ["&sort=date", "&limit=5&offset=10", "&company=anthropic", "&from=2026-01-01&to=2026-12-31"][i % 4]
    search.append(f"/api/search?q={q(text)}{extra}")
ids = []
for text in queries[:8]:
    status, body = get(f"/api/search?q={q(text)}&mode=bm25&limit=5")
    assert status == 200, f"search answered {status}"
    ids += [h["id"] for h in body["hits"] if h["id"] not in ids]
for id in ids:
    items += [f"/api/items/{id}", f"/api/items/{id}/similar"]
status, body = get("/api/companies")
if status == 200:
    slugs = [c["slug"] for c in body["entities"] if c["items"] > 0][:12]
    explore += [f"/api/companies/{s}" for s in slugs]
status, _ = get("/api/timeline")
if status == 200:
    explore.append("/api/timeline")
    explore += [f"/api/timeline?q={q(t)}" for t in queries[:8] if get(f"/api/timeline?q={q(t)}")[0] == 200]
lines = {"all": search + items + explore * 3, "search": search + items, "explore": explore}[sys.argv[2]]
assert lines, f"no {sys.argv[2]} paths on this server"
for line in lines:
    print(line)
print(f"{len(set(search))} search, {len(set(items))} item, {len(set(explore))} explore paths; "
      f"{len(lines)} lines", file=sys.stderr)
PY

step "wrk: $connections connections, $duration, $threads threads → $url"
wrk --latency -t "$threads" -c "$connections" -d "$duration" --timeout 10s \
  -s scripts/load.lua "$url" -- "$work/paths.txt" | tee "$work/wrk.out"
summary=$(grep '^LOAD-SUMMARY ' "$work/wrk.out" | sed 's/^LOAD-SUMMARY //')
[ -n "$summary" ] || die "wrk printed no summary"
python3 - "$summary" <<'PY' || exit 1
import json, sys
s = json.loads(sys.argv[1])
failed = sum(s["errors"].values())
print(f"requests {s['requests']} ({s['rps']}/s), failed {failed}, latency ms p50 {s['latency_ms']['p50']} "
      f"p90 {s['latency_ms']['p90']} p99 {s['latency_ms']['p99']} max {s['latency_ms']['max']}")
sys.exit(1 if failed or s["requests"] == 0 else 0)
PY
