#!/usr/bin/env python3
"""Prints the ratios of one benchmark size: chronique/Hugo and chronique/Zola (wall, peak memory),
and chronique/floor.

usage: report.py RESULTS.json FLOOR.txt   (written by bench/run.sh)
"""
import json
import statistics
import sys


def main() -> int:
    results = json.load(open(sys.argv[1]))["results"]
    floor = dict(kv.split("=") for kv in open(sys.argv[2]).read().split()[1:])
    med = {name: {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu", "peak_mib")}
           for name, runs in results.items() if runs}
    ours = med.get("ours")
    if not ours:
        print("no chronique result")
        return 1
    floor_s = float(floor["read_s"]) + float(floor["write_s"])
    print(f"chronique median: wall {ours['wall']:.3f} s, cpu {ours['cpu']:.3f} s, peak {ours['peak_mib']:.0f} MiB")
    print(f"floor: read + write {floor_s:.3f} s; pulldown-cmark alone {float(floor['markdown_s']):.3f} s (1 core)"
          f" -> chronique is {ours['wall'] / floor_s:.1f}x the I/O floor")
    for peer in ("hugo", "zola"):
        if peer in med:
            h = med[peer]
            print(f"{peer} median: wall {h['wall']:.3f} s, peak {h['peak_mib']:.0f} MiB"
                  f" -> chronique/{peer}: wall {ours['wall'] / h['wall']:.3f} ({h['wall'] / ours['wall']:.1f}x faster),"
                  f" peak memory {ours['peak_mib'] / h['peak_mib']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
