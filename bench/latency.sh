#!/usr/bin/env bash
# Edit-to-reload latency of `chronique serve` on the synthetic column.
#
#   bench/latency.sh [-e EDITS] [N]        (default: 10 edits, N = 1000 posts)
#
# Generates the column for N posts with ../shared/bench/gen_corpus.py (our theme copied in), starts
# the real server on it (tests/serve.rs, `reload_latency_on_the_example_site`, ignored by default),
# saves one post EDITS times and prints the time from each save to the reload event, and the
# server's own rebuild time.
set -euo pipefail
cd "$(dirname "$0")/.."
EDITS=10
if [[ "${1:-}" == "-e" ]]; then EDITS="$2"; shift 2; fi
N="${1:-1000}"
SHARED="${CHRONIQUE_SHARED:-../shared}/bench"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/chronique-latency.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
python3 "$SHARED/gen_corpus.py" --posts "$N" --out "$WORK/corpus" --only ours --themes themes >/dev/null
CHRONIQUE_LATENCY_ROOT="$WORK/corpus/ours" CHRONIQUE_LATENCY_EDITS="$EDITS" \
  cargo test --release --quiet --test serve -- --ignored --nocapture reload_latency 2>&1 \
  | grep -E "edit -> reload|of which"
