#!/usr/bin/env bash
# Compares the speed of two `actorgraph` binaries on one generated corpus (not a test: numbers
# for the issue notes). This machine's speed swings by up to 40% from hour to hour, so two
# builds are only compared in runs made together: the binaries run alternately, RUNS times each,
# and the medians and minimums of wall and user time are printed, with the peak memory.
# Usage: [RUNS=7] [THREADS=1] scripts/compare.sh OLD_BINARY NEW_BINARY [SIZE_MB]
# (SIZE_MB: 10 by default; the corpus is made as scripts/bench.sh makes it). Both binaries must
# write the same graph, and this checks that they do.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,8p' "$0"; exit 2; }
old=$(realpath "$1")
new=$(realpath "$2")
mb=${3:-10}
cd "$(dirname "$0")/.."
corpus="target/bench/corpus-${mb}mb.jsonl"
if [ ! -f "$corpus" ]; then
  cargo build --release --quiet --example gen_corpus
  mkdir -p target/bench
  target/release/examples/gen_corpus --mb "$mb" --seed 7 > "$corpus.tmp" && mv "$corpus.tmp" "$corpus"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq "${RUNS:-7}"); do
  for which in old new; do
    bin=$old
    [ "$which" = new ] && bin=$new
    # Each run writes a new file (see bench.sh: replacing a large one is the filesystem's work).
    rm -f "$work/$which.json" && sync
    /usr/bin/time -f "%e %U %M" -o "$work/time" "$bin" build "$corpus" --format json \
      --output "$work/$which.json" --threads "${THREADS:-1}" --quiet
    echo "$which $(cat "$work/time")" >> "$work/runs"
  done
done
cmp -s "$work/old.json" "$work/new.json" || echo "note: the two binaries write different graphs"
awk '
  function median(list, n,   sorted, i, j, t) {
    for (i = 1; i <= n; i++) sorted[i] = list[i]
    for (i = 2; i <= n; i++) for (j = i; j > 1 && sorted[j - 1] > sorted[j]; j--) {
      t = sorted[j]; sorted[j] = sorted[j - 1]; sorted[j - 1] = t
    }
    return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
  }
  { k = $1; n[k]++; wall[k, n[k]] = $2; user[k, n[k]] = $3; if ($4 > rss[k]) rss[k] = $4 }
  END {
    printf "%-4s %-13s %-13s %-13s %-13s %s\n", "", "wall median", "wall min", "user median", "user min", "peak RSS"
    split("old new", names, " ")
    for (x = 1; x <= 2; x++) {
      k = names[x]; delete w; delete u; min_w = 1e18; min_u = 1e18
      for (i = 1; i <= n[k]; i++) {
        w[i] = wall[k, i]; u[i] = user[k, i]
        if (w[i] < min_w) min_w = w[i]
        if (u[i] < min_u) min_u = u[i]
      }
      printf "%-4s %-13.2f %-13.2f %-13.2f %-13.2f %.0f MB\n", k, median(w, n[k]), min_w, median(u, n[k]), min_u, rss[k] / 1024
    }
  }' "$work/runs"
