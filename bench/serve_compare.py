#!/usr/bin/env python3
"""Save → the edited page served with the change, for `chronique serve`, `hugo server` and
`zola serve` on the same synthetic column (../shared/bench/gen_corpus.py), in one run.

    bench/serve_compare.py [-e EDITS] [--skip SERVER] [N ...]   (default: 7 edits, N = 1000 10000)

For each N and each server found (chronique: this repository's release build; hugo and zola
from PATH, or HUGO=… ZOLA=…; zola both plain and with --fast, which renders only the edited
page), starts the server on the column, waits for its first answer, then
saves the middle post EDITS times with a body edit (a unique word appended) and EDITS times with
a title edit (a unique word in the title: for chronique a change of the site's structure, every
list showing the post), and polls the post's URL every 5 ms until the served page contains the
word. Prints one table per N: median, min and max of each. `--skip "zola serve"` leaves a server
out (plain `zola serve` rebuilds the whole site at each save: at 10 000 posts a run of edits
takes longer than the rest together). Standard library only.
"""

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SHARED = Path(os.environ.get("CHRONIQUE_SHARED", REPO.parent / "shared")) / "bench"


def servers():
    """(name, the corpus folder it serves, its command for a port)."""
    ours = str(REPO / "target" / "release" / "chronique")
    found = [("chronique serve", "ours", lambda p: [ours, "serve", "-p", str(p)])]
    hugo = os.environ.get("HUGO") or shutil.which("hugo")
    if hugo:
        found.append(("hugo server", "hugo", lambda p: [hugo, "server", "-p", str(p), "--bind", "127.0.0.1"]))
    else:
        print("hugo not found (apt-get install hugo, or HUGO=…): skipped")
    zola = os.environ.get("ZOLA") or shutil.which("zola")
    if zola:
        found.append(("zola serve", "zola", lambda p: [zola, "serve", "-p", str(p)]))
        found.append(("zola serve --fast", "zola", lambda p: [zola, "serve", "--fast", "-p", str(p)]))
    else:
        print("zola not found (ZOLA=…): skipped")
    return found


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return None


def middle_post(site):
    posts = sorted((site / "content" / "posts").glob("*.md"))
    if not posts:
        posts = sorted(p for p in (site / "content").rglob("*.md") if not p.name.startswith("_"))
    return posts[len(posts) // 2]


def url_of(post):
    # The corpus gives every tool the same address for a post: /posts/<file name>/.
    return f"/posts/{post.stem}/"


def timed_edits(post, url, edits, how):
    original = post.read_text(encoding="utf-8")
    times = []
    for i in range(edits):
        word = f"marqueur{how}{i}x{int(time.time() * 1000) % 100000}"
        if how == "body":
            text = original + f"\n\n{word}\n"
        else:
            text = re.sub(r'^(title\s*[:=]\s*")', lambda m: m.group(1) + word + " ", original, count=1, flags=re.M)
        start = time.monotonic()
        post.write_text(text, encoding="utf-8")
        while time.monotonic() - start < 120:
            page = get(url)
            if page and word in page:
                times.append((time.monotonic() - start) * 1000)
                break
            time.sleep(0.005)
        time.sleep(1.5)
    post.write_text(original, encoding="utf-8")
    time.sleep(1.5)
    return times


def measure(name, cmd, site, edits, port):
    post = middle_post(site)
    url = f"http://127.0.0.1:{port}{url_of(post)}"
    server = subprocess.Popen(cmd, cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    try:
        started = time.monotonic()
        while get(url) is None:
            if time.monotonic() - started > 900 or server.poll() is not None:
                return None
            time.sleep(0.2)
        first = time.monotonic() - started
        time.sleep(2)
        body = timed_edits(post, url, edits, "body")
        title = timed_edits(post, url, edits, "title")
        return first, body, title
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


def show(times):
    if not times:
        return "—"
    return f"{statistics.median(times):.0f} ms ({min(times):.0f}–{max(times):.0f})"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-e", "--edits", type=int, default=7)
    ap.add_argument("--skip", action="append", default=[], metavar="SERVER")
    ap.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    a = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "chronique"], cwd=REPO, check=True)
    place = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    work = Path(tempfile.mkdtemp(prefix="chronique-serve-", dir=place))
    port = 18800
    try:
        for n in a.sizes:
            corpus = work / f"n{n}"
            subprocess.run([sys.executable, str(SHARED / "gen_corpus.py"), "--posts", str(n), "--out",
                            str(corpus), "--themes", str(REPO / "themes"), "--force"],
                           check=True, stdout=subprocess.DEVNULL)
            print(f"\n{n} posts, {a.edits} edits of each kind, save → the edited page served (median, min–max)")
            print("| server | first answer | body edit | title edit |\n|---|---|---|---|")
            for name, folder, command in servers():
                if name in a.skip:
                    print(f"| {name} | skipped (--skip) | | |")
                    continue
                port += 1
                result = measure(name, command(port), corpus / folder, a.edits, port)
                if result is None:
                    print(f"| {name} | did not answer | | |")
                    continue
                first, body, title = result
                print(f"| {name} | {first:.1f} s | {show(body)} | {show(title)} |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
