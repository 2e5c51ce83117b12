#!/usr/bin/env bash
# The speed benchmark: chronique beside Hugo on the same synthetic column, and the floor.
#
#   bench/run.sh [-r RUNS] [N ...]        (default: -r 5, N = 1000 10000)
#   WARMUP=0 bench/run.sh -r 1 100000     (one run each, no warm-up: N = 100 000 takes ~20 min)
#
# For each N it generates the column with ../shared/bench/gen_corpus.py (our theme copied in),
# times chronique and Hugo interleaved in one run (../shared/bench/run_bench.py: median wall time,
# CPU time, peak memory), measures the floor (reading every input, writing the same bytes,
# pulldown-cmark alone on every body: examples/floor.rs), and prints a table with the ratios.
# Hugo comes from `apt-get install hugo`; without it only chronique is timed. Zola is timed too
# when ZOLA=… names its binary (it has no Debian package: built from its source, see docs/speed.md).
#
# Where it runs: BENCH_DIR, else /dev/shm (tmpfs) for N <= 20 000, else TMPDIR or /tmp.
# On an ext4 without a journal (this project's machines), creating a file skips every inode
# deleted in the last 60 s (5 min while its block is dirty: fs/ext4/ialloc.c, recently_deleted),
# one by one. The harness deletes each run's ~20 000 files just before the next run creates as
# many, so on disk the runs measure that scan more than the generators: writing the same
# 335 MB five times in a row here took 2.6, 6.3, 11.8, 16.9 and 20.1 s (examples/floor.rs),
# against 0.6 s on tmpfs. On tmpfs both tools, and the floor, are timed on the same footing.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=5
if [[ "${1:-}" == "-r" ]]; then RUNS="$2"; shift 2; fi
SIZES=("$@"); [[ ${#SIZES[@]} -gt 0 ]] || SIZES=(1000 10000)
SHARED="${CHRONIQUE_SHARED:-../shared}/bench"
[[ -f "$SHARED/compare.sh" ]] || { echo "no $SHARED/compare.sh: set CHRONIQUE_SHARED" >&2; exit 2; }

cargo build --release --quiet --bin chronique --example floor
TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
BIN="$TARGET/release/chronique"
FLOOR="$TARGET/release/examples/floor"
BIGGEST=0; for N in "${SIZES[@]}"; do if (( N > BIGGEST )); then BIGGEST=$N; fi; done
if [[ -n "${BENCH_DIR:-}" ]]; then PLACE="$BENCH_DIR"
elif (( BIGGEST <= 20000 )) && [[ -d /dev/shm && -w /dev/shm ]]; then PLACE=/dev/shm
else PLACE="${TMPDIR:-/tmp}"; fi
WORK="$(mktemp -d "$PLACE/chronique-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
HUGO="$(command -v hugo || true)"
ZOLA="${ZOLA:-$(command -v zola || true)}"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "working in $WORK ($(df --output=fstype "$WORK" | tail -1))"
echo "chronique $(git rev-parse --short HEAD 2>/dev/null || echo '?'); hugo: ${HUGO:+$("$HUGO" version | cut -d' ' -f2)}; zola: ${ZOLA:+$("$ZOLA" --version)}"
for N in "${SIZES[@]}"; do
  echo
  echo "=== N = $N posts"
  # The corpus's base_url is the placeholder https://exemple.fr/, which chronique warns about
  # and the harness counts as a problem: the same address given with --base-url says it is meant
  # (the output is the same bytes).
  bash "$SHARED/compare.sh" -n "$N" -r "$RUNS" --warmup "${WARMUP:-1}" --ours "$BIN" --hugo "${HUGO:-/nonexistent}" --zola "${ZOLA:-/nonexistent}" \
       --ours-args '{bin} build --output-dir {out} --base-url https://exemple.fr/' \
       --themes themes --keep "$WORK/n$N" 2>&1 | grep -v '^skip zola' || true
  # The floor, on chronique's own output of the same corpus.
  SITE="$WORK/n$N/corpus-$N/ours"
  "$BIN" build -q --root "$SITE" --output-dir "$WORK/floor-out" --base-url https://exemple.fr/
  "$FLOOR" "$SITE" "$WORK/floor-out" "$WORK/floor-scratch" | tee "$WORK/floor-$N.txt"
  rm -rf "$WORK/floor-out"
  python3 bench/report.py "$WORK/n$N/results-$N.json" "$WORK/floor-$N.txt"
  rm -rf "$WORK/n$N"
done
