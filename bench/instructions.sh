#!/usr/bin/env bash
# Instructions executed by one build of the synthetic column, counted by valgrind's callgrind:
# a figure that does not drift with the machine, unlike wall time on a shared 2-core VM (the
# same build varies by ±10 % from run to run there). For comparing two commits, not for the
# README's table (bench/run.sh).
#
#   bench/instructions.sh [N] [BIN]        (default: N = 1000, BIN = the release build)
#
# One rayon thread, so that work stealing and spinning do not change the count; the build runs
# ~50x slower under callgrind (~35 s for 1 000 posts). Prints the total, then the functions
# with the most instructions of their own.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000}"
SHARED="${CHRONIQUE_SHARED:-../shared}/bench"
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }
if [[ -n "${2:-}" ]]; then
  BIN="$2"
else
  cargo build --release --quiet --bin chronique
  BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/chronique"
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/chronique-ir.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
python3 "$SHARED/gen_corpus.py" --posts "$N" --out "$WORK/corpus" --only ours --themes themes --force >/dev/null
(cd "$WORK/corpus/ours" && RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$WORK/cg.out" \
  "$BIN" build -q --output-dir "$WORK/out" 2>&1 | grep -E 'Collected')
callgrind_annotate "$WORK/cg.out" 2>/dev/null | grep -E '^ *[0-9,]+ \(' | sed -n 2,16p | cut -c1-150
