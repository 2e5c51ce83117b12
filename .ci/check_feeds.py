#!/usr/bin/env python3
"""Parses every feed of a built site with Python's feedparser, a real feed reader's parser.

usage: check_feeds.py PUBLIC_DIR [PUBLIC_DIR ...]

Every atom.xml and rss.xml below each folder (the site's, the terms', the authors', the
series') must parse with no `bozo` error, have a title and a link, and entries with a title, a
link, an id and a date. feed.json goes through feedparser too when it has a JSON Feed parser
(feedparser 6.0 has none: then it is checked against JSON Feed 1.1's required fields). Prints one
line per feed; exits 1 on any problem, 2 when feedparser is missing (.ci/run installs it).
"""
import importlib.util
import json
import pathlib
import sys

try:
    import feedparser
except ImportError:
    print("feedparser is not installed (pip install feedparser)", file=sys.stderr)
    sys.exit(2)

# Each feed with the Content-Type a static host sends for it: feedparser picks its JSON Feed
# parser from that header, as it does when it fetches a feed over HTTP.
FEED_TYPES = {
    "atom.xml": "application/atom+xml; charset=utf-8",
    "rss.xml": "application/rss+xml; charset=utf-8",
    "feed.json": "application/feed+json; charset=utf-8",
}


HAS_JSON_PARSER = importlib.util.find_spec("feedparser.parsers.json") is not None


def json_feed_problems(path: pathlib.Path) -> tuple[list[str], str]:
    """JSON Feed 1.1 without feedparser: valid JSON with the fields the spec requires."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        return [f"not JSON: {e}"], "?"
    problems = []
    if doc.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"version is {doc.get('version')!r}")
    if not doc.get("title"):
        problems.append("no feed title")
    items = doc.get("items")
    if not isinstance(items, list):
        return problems + ["no items array"], "json 1.1"
    for n, item in enumerate(items, 1):
        if not item.get("id"):
            problems.append(f"item {n} has no id")
        if not (item.get("content_html") or item.get("content_text")):
            problems.append(f"item {n} has no content_html or content_text")
    authors = sum(1 for i in items if i.get("authors"))
    return problems, f"json 1.1 (checked without feedparser), {len(items)} items, {authors} with an author"


def problems_of(path: pathlib.Path) -> tuple[list[str], str]:
    """What is wrong with one feed, and a one-line description of it."""
    if path.name == "feed.json" and not HAS_JSON_PARSER:
        return json_feed_problems(path)
    parsed = feedparser.parse(
        path.read_bytes(), response_headers={"content-type": FEED_TYPES[path.name]}
    )
    problems = []
    if parsed.bozo:
        problems.append(f"bozo: {parsed.bozo_exception!r}")
    if not parsed.version:
        problems.append("feedparser does not recognise the format")
    feed = parsed.feed
    if not feed.get("title"):
        problems.append("no feed title")
    if not feed.get("link"):
        problems.append("no feed link")
    for n, entry in enumerate(parsed.entries, 1):
        for key in ("title", "link", "id"):
            if not entry.get(key):
                problems.append(f"entry {n} has no {key}")
        if not (entry.get("published_parsed") or entry.get("updated_parsed")):
            problems.append(f"entry {n} ({entry.get('title')!r}) has no date feedparser can read")
    authors = sum(1 for e in parsed.entries if e.get("author"))
    summary = f"{parsed.version or '?'}, {len(parsed.entries)} entries, {authors} with an author"
    return problems, summary


def main(folders: list[str]) -> int:
    if not folders:
        print(__doc__, file=sys.stderr)
        return 2
    feeds = []
    for folder in folders:
        root = pathlib.Path(folder)
        if not root.is_dir():
            print(f"no folder {root}", file=sys.stderr)
            return 2
        feeds += [(root, p) for p in sorted(root.rglob("*")) if p.name in FEED_TYPES]
    if not feeds:
        print("no feed found", file=sys.stderr)
        return 1
    failed = 0
    for root, path in feeds:
        problems, summary = problems_of(path)
        rel = path.relative_to(root)
        if problems:
            failed += 1
            print(f"FAIL {root.name}/{rel}: {summary}")
            for p in problems:
                print(f"     {p}")
        else:
            print(f"ok   {root.name}/{rel}: {summary}")
    print(f"feedparser {feedparser.__version__}: {len(feeds) - failed} of {len(feeds)} feeds parse cleanly")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
