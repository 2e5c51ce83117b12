#!/usr/bin/env python3
"""Save-to-rebuilt latency of `hugo server` on the shared synthetic column, for comparison with
bench/latency.sh (chronique serve).

    bench/hugo_latency.py [-e EDITS] [--full] N

Generates the Hugo side of ../shared/bench/gen_corpus.py for N posts, starts `hugo server` on a
free port, appends a line to the first post EDITS times and measures, for each save, the time
until Hugo prints its "Total in … ms" line (the rebuild is done and the browser is told to reload
right after it). Hugo's own figure is printed beside it. `--full` passes --disableFastRender
(Hugo's default "fast render" re-renders only the pages a browser has visited; with no browser
open, that is only the changed post, and lists stay stale until visited).

Standard library only.
"""

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("-e", "--edits", type=int, default=9)
    ap.add_argument("--full", action="store_true", help="hugo server --disableFastRender")
    ap.add_argument("posts", type=int)
    args = ap.parse_args()
    hugo = shutil.which("hugo")
    if not hugo:
        print("hugo is not installed (apt-get install hugo)", file=sys.stderr)
        return 2
    shared = Path(os.environ.get("CHRONIQUE_SHARED", Path(__file__).resolve().parent.parent.parent / "shared")) / "bench"
    work = Path(tempfile.mkdtemp(prefix="hugo-latency."))
    try:
        subprocess.run(
            [sys.executable, str(shared / "gen_corpus.py"), "--posts", str(args.posts), "--out", str(work / "c"), "--only", "hugo"],
            check=True, stdout=subprocess.DEVNULL,
        )
        site = work / "c" / "hugo"
        posts = sorted(p for p in (site / "content").rglob("*.md") if not p.name.startswith("_index"))
        post = posts[0]
        cmd = [hugo, "server", "-s", str(site), "--port", str(free_port()), "--bind", "127.0.0.1"]
        if args.full:
            cmd.append("--disableFastRender")
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines: list[tuple[float, str]] = []
        cond = threading.Condition()

        def reader() -> None:
            assert proc.stdout
            for line in proc.stdout:
                with cond:
                    lines.append((time.monotonic(), line.rstrip()))
                    cond.notify_all()

        threading.Thread(target=reader, daemon=True).start()

        def wait_for(pattern: str, since: int, timeout: float) -> tuple[float, str, int]:
            deadline = time.monotonic() + timeout
            with cond:
                while True:
                    for i in range(since, len(lines)):
                        if re.search(pattern, lines[i][1]):
                            return lines[i][0], lines[i][1], i + 1
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise TimeoutError(pattern)
                    cond.wait(left)

        _, _, seen = wait_for(r"Web Server is available", 0, 600)
        original = post.read_text()
        walls, own = [], []
        for i in range(args.edits):
            time.sleep(1.0)
            with cond:
                seen = len(lines)
            started = time.monotonic()
            post.write_text(f"{original}\nÉdition {i}.\n")
            at, line, seen = wait_for(r"Total in \d+ ms", seen, 120)
            walls.append((at - started) * 1000)
            own.append(int(re.search(r"Total in (\d+) ms", line).group(1)))
        proc.terminate()
        proc.wait(timeout=30)
        mode = "hugo server --disableFastRender" if args.full else "hugo server (fast render)"
        print(f"{mode}, {args.posts} posts, {args.edits} edits: save -> rebuilt median "
              f"{statistics.median(walls):.0f} ms (min {min(walls):.0f}, max {max(walls):.0f}); "
              f"Hugo's own 'Total in': median {statistics.median(own):.0f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
