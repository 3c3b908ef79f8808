#!/usr/bin/env python3
"""Search latency by depth over HTTP: the server's own `took_ms` for the same queries at several
`limit`s and modes (issue #14). Standard library only.

    python3 scripts/latency-depth.py [--url http://127.0.0.1:8080] [--queries FILE.jsonl]
        [--modes bm25,hybrid] [--limits 10,20,100] [--rounds 3]

Queries: the `query` of every line of a JSON-lines file (default: the tuning relevance set). A
warm-up round in hybrid mode comes first, so hybrid figures are for queries whose vectors the
server has cached (they leave out embedding a new query). Prints p50 and p90 per mode and limit.
"""
import argparse
import json
import statistics
import urllib.parse
import urllib.request


def took(url, q, mode, limit):
    qs = urllib.parse.urlencode({"q": q, "mode": mode, "limit": limit})
    with urllib.request.urlopen(f"{url}/api/search?{qs}") as r:
        return json.load(r)["took_ms"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", default="http://127.0.0.1:8080")
    ap.add_argument("--queries", default="tests/fixtures/relevance/queries.jsonl")
    ap.add_argument("--modes", default="bm25,hybrid")
    ap.add_argument("--limits", default="10,20,100")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    with open(a.queries, encoding="utf-8") as f:
        queries = [json.loads(line)["query"] for line in f if line.strip()]
    for q in queries:
        took(a.url, q, "hybrid", 20)
    print(f"{len(queries)} queries × {a.rounds} rounds, server took_ms")
    for mode in a.modes.split(","):
        for limit in [int(x) for x in a.limits.split(",")]:
            t = sorted(took(a.url, q, mode, limit) for _ in range(a.rounds) for q in queries)
            print(f"{mode:6} limit {limit:3}: p50 {statistics.median(t):6.2f} ms  p90 {t[int(0.9 * len(t))]:6.2f} ms")


if __name__ == "__main__":
    main()
