#!/usr/bin/env bash
# A profile-guided build of actorgraph for large corpora: target/pgo/actorgraph. The compiler
# lays out and inlines the code by how a training run used it, which makes `build` about a tenth
# faster than `cargo build --release` (README, Performance). Usage: scripts/pgo.sh
#
# The training run is `build` on a generated corpus (examples/gen_corpus, seed 1: not the seed the
# benchmarks use) and on data/. It needs llvm-profdata of the LLVM version rustc is built with
# (`rustc -vV`): rustup's llvm-tools component, or Debian's llvm-N package.
set -euo pipefail
cd "$(dirname "$0")/.."

llvm=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
profdata=""
for candidate in \
  "$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/llvm-profdata" \
  "/usr/lib/llvm-$llvm/bin/llvm-profdata" \
  "$(command -v "llvm-profdata-$llvm" || true)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    profdata=$candidate
    break
  fi
done
if [ -z "$profdata" ]; then
  echo "pgo.sh: no llvm-profdata for LLVM $llvm: run 'rustup component add llvm-tools'" \
    "or 'apt-get install llvm-$llvm'" >&2
  exit 1
fi

work=target/pgo-work
rm -rf "$work"
mkdir -p "$work/profiles" target/pgo

# 1. An instrumented build, in its own target directory (its flags differ from the usual ones).
RUSTFLAGS="-Cprofile-generate=$PWD/$work/profiles" \
  cargo build --release --quiet --bin actorgraph --target-dir "$work/target"
cargo build --release --quiet --example gen_corpus
target/release/examples/gen_corpus --mb 20 --seed 1 > "$work/corpus.jsonl"

# 2. Training: what a corpus run does (one thread and several), and the default build of data/.
# Only the runs' profiles are kept (build scripts of the instrumented build wrote theirs too).
rm -f "$work"/profiles/*.profraw
for threads in 1 2; do
  "$work/target/release/actorgraph" build "$work/corpus.jsonl" --format json --output "$work/graph.json" \
    --threads "$threads" --quiet
done
# A corpus of gigabytes spills its sentences to a file and reads them back in windows; this one
# is too small to, unless told (ACTORGRAPH_STAGE_SPILL), and the compiler would take that path
# for cold code.
ACTORGRAPH_STAGE_SPILL=1 "$work/target/release/actorgraph" build "$work/corpus.jsonl" --format json \
  --output "$work/graph.json" --threads 1 --quiet
"$work/target/release/actorgraph" build data --format all --output "$work/out" --quiet 2>/dev/null ||
  "$work/target/release/actorgraph" build data --output "$work/out" --quiet
"$profdata" merge -o "$work/actorgraph.profdata" "$work"/profiles/*.profraw

# 3. The build that uses the profile.
RUSTFLAGS="-Cprofile-use=$PWD/$work/actorgraph.profdata" \
  cargo build --release --quiet --bin actorgraph --target-dir "$work/target-use"
cp "$work/target-use/release/actorgraph" target/pgo/actorgraph
echo "pgo.sh: target/pgo/actorgraph"
