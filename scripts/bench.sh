#!/usr/bin/env bash
# Throughput and memory of `actorgraph build` on generated corpora (not a test: numbers for the
# README and the issue notes). Usage: [ACTORS=N] [PER_DAY=N] [THREADS="1 2"] [BIN=path] scripts/bench.sh [SIZES_MB...]
# (default sizes: 10 100). Writes corpora to target/bench/ (deterministic, seed 7; ACTORS=N
# fixes the actor set, PER_DAY=N dates articles in order, N a day: see examples/gen_corpus.rs) and prints one line per run: size, threads,
# seconds, MB/s, articles/s, peak RSS, actors and relations in the graph, then the time each
# stage took (`build --timings`: extraction stages summed over threads). BIN: the binary to
# measure (default target/release/actorgraph, built first; target/pgo/actorgraph is scripts/pgo.sh's).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10 100}")
[ $# -eq 0 ] && sizes=(10 100)
cargo build --release --quiet --bin actorgraph --example gen_corpus
bin=${BIN:-target/release/actorgraph}
mkdir -p target/bench
printf '%-8s %-8s %-9s %-9s %-11s %-10s %-8s %s\n' size threads seconds MB/s articles/s peak-RSS actors relations
for mb in "${sizes[@]}"; do
  corpus="target/bench/corpus-${mb}mb${ACTORS:+-${ACTORS}actors}${PER_DAY:+-${PER_DAY}perday}.jsonl"
  [ -f "$corpus" ] || { target/release/examples/gen_corpus --mb "$mb" --seed 7 ${ACTORS:+--actors "$ACTORS"} \
    ${PER_DAY:+--per-day "$PER_DAY"} > "$corpus.tmp" \
    && mv "$corpus.tmp" "$corpus"; }
  bytes=$(stat -c %s "$corpus")
  articles=$(wc -l < "$corpus")
  for threads in ${THREADS:-1 2}; do
    log=$(mktemp)
    # The previous run's graph is deleted before the clock starts: replacing a file of gigabytes
    # is the filesystem's work (freeing its blocks, and ext4 writing the new one out at the
    # rename), 4 s at 1 GB on this machine, not reading, extracting, merging or writing.
    rm -f target/bench/graph.json && sync
    /usr/bin/time -v "$bin" build "$corpus" --format json --output target/bench/graph.json \
      --threads "$threads" --timings 2> "$log" || { cat "$log"; exit 1; }
    secs=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
    actors=$(grep -o '[0-9]* actors' "$log" | head -1 | cut -d' ' -f1)
    relations=$(grep -o '[0-9]* relations' "$log" | head -1 | cut -d' ' -f1)
    awk -v mb="$mb" -v t="$threads" -v s="$secs" -v b="$bytes" -v a="$articles" -v r="$rss" -v na="$actors" -v nr="$relations" \
      'BEGIN { printf "%-8s %-8s %-9.2f %-9.1f %-11.0f %-10s %-8s %s\n", mb "MB", t, s, b/1e6/s, a/s, sprintf("%.0f MB", r/1024), na, nr }'
    # The time split by stage, from `build --timings`, on one line.
    grep -E '^ +[a-z]+ +[0-9.]+s' "$log" | awk '{ printf "%s%s %s", (NR > 1 ? ", " : "         stages: "), $1, $2 } END { print "" }'
    rm -f "$log"
  done
done
