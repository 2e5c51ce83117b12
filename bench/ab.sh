#!/usr/bin/env bash
# Two chronique binaries on the same column, alternately: for telling whether a change made the
# build faster, when the machine's speed drifts between runs (each pair of builds runs at
# nearly the same moment). Prints each binary's median wall time, CPU time (user + system),
# system time and peak memory, then the CPU time of every run.
#
#   bench/ab.sh [-r RUNS] OLD_BIN NEW_BIN SITE_DIR      (default: 5 runs each)
#
# SITE_DIR is a generated column, for instance
#   python3 ../shared/bench/gen_corpus.py --posts 10000 --out /dev/shm/c10k --only ours --themes themes
# then /dev/shm/c10k/ours. The output goes to a fresh folder beside it for every build, as in
# bench/run.sh (no output to compare with).
set -euo pipefail
RUNS=5
if [[ "${1:-}" == "-r" ]]; then RUNS="$2"; shift 2; fi
[[ $# -eq 3 ]] || { sed -n 2,12p "$0" >&2; exit 2; }
OLD="$1"; NEW="$2"; SITE="$3"
OUT="$(mktemp -d "$(dirname "$SITE")/ab-out.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT
for _ in $(seq "$RUNS"); do
  for side in old new; do
    bin="$OLD"; [[ $side == new ]] && bin="$NEW"
    rm -rf "$OUT/public"
    /usr/bin/time -f "$side %e %U %S %M" "$bin" build -q --root "$SITE" --output-dir "$OUT/public" \
      --base-url https://exemple.fr/ 2>&1 >/dev/null | tail -1
  done
done | python3 -c '
import statistics as st, sys
runs = {}
for line in sys.stdin:
    side, wall, user, system, peak = line.split()
    runs.setdefault(side, []).append((float(wall), float(user) + float(system), float(system), int(peak)))
for side in ("old", "new"):
    r = runs[side]
    med = lambda i: st.median(x[i] for x in r)
    print(f"{side}: wall {med(0):.2f} s, cpu {med(1):.2f} s, system {med(2):.2f} s, peak {med(3) / 1024:.0f} MiB;"
          f" cpu by run {[round(x[1], 2) for x in r]}")
'
