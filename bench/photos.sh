#!/usr/bin/env bash
# The photo benchmark (issue 22): a column of N photos (default 200) from a phone — 4 000 × 3 000
# JPEGs with EXIF and GPS, a few PNG screenshots — built cold (empty image cache) and warm (the
# second build), with time, peak memory, and the output's bytes against the originals'.
#
#   bench/photos.sh [N]            (ImageMagick's `convert` makes the photos; exiftool, if
#                                   present, writes their GPS position)
#
# Photos are made from 20 fractal "landscapes" (plasma), each turned in 10 hues: N distinct
# files whose pixels differ, as a phone's do. They go 6 to a post, in bundles: the first one is
# the post's lead image, the 5 others are in its text. KEEP=DIR keeps the built column there
# (for Lighthouse: AUDIT_PUBLIC=DIR/public node tools/theme-audit/lighthouse.js /articles/album-0/).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200}"
command -v convert >/dev/null || { echo "needs ImageMagick: apt-get install imagemagick" >&2; exit 2; }
cargo build --release --quiet --bin chronique
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/chronique"
PLACE="${BENCH_DIR:-${TMPDIR:-/tmp}}"
WORK="$(mktemp -d "$PLACE/chronique-photos.XXXXXX")"
trap 'if [[ -n "${KEEP:-}" ]]; then rm -rf "$KEEP"; mv "$WORK/site" "$KEEP"; fi; rm -rf "$WORK"' EXIT
SITE="$WORK/site"
mkdir -p "$SITE/content/articles" "$WORK/bases"
cat > "$SITE/site.toml" <<'TOML'
title = "Chronique en photos"
base_url = "https://exemple.fr/"
language = "fr"
TOML
printf -- '---\ntitle: "Articles"\n---\n' > "$SITE/content/articles/_index.md"
echo "making $N photos…" >&2
for b in $(seq 0 19); do
  convert -seed "$b" -size 4000x3000 plasma:fractal -blur 0x1 "$WORK/bases/$b.png"
done
for i in $(seq 0 $((N - 1))); do
  post=$((i / 6)); dir="$SITE/content/articles/album-$post"; mkdir -p "$dir"
  convert "$WORK/bases/$((i % 20)).png" -modulate 100,100,$((60 + (i / 20) * 9)) -quality 90 "$dir/photo-$i.jpg"
done
if command -v exiftool >/dev/null; then
  exiftool -q -overwrite_original -r -GPSLatitude=48.8566 -GPSLatitudeRef=N -GPSLongitude=2.3522 \
    -GPSLongitudeRef=E -Make=Fairphone -Model=FP5 "$SITE/content" >/dev/null
fi
for post in $(seq 0 $(((N - 1) / 6))); do
  dir="$SITE/content/articles/album-$post"; first=$((post * 6))
  {
    printf -- '---\ntitle: "Album %s"\ndate: 2025-01-%02d\nimage:\n  src: photo-%s.jpg\n  alt: "Une photo"\n---\n' \
      "$post" $((post % 28 + 1)) "$first"
    printf 'Six photos du samedi où tout a déraillé, de la file à la caisse.\n'
    for i in $(seq $((first + 1)) $((first + 5))); do
      if [[ -f "$dir/photo-$i.jpg" ]]; then printf '\n![La photo %s](photo-%s.jpg)\n' "$i" "$i"; fi
    done
  } > "$dir/index.md"
done
ORIGINALS=$(find "$SITE/content" -name '*.jpg' -printf '%s\n' | awk '{s+=$1} END {print s}')
run() {
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" build --root "$SITE" >"$WORK/out" 2>"$WORK/err" \
    || { cat "$WORK/err" >&2; exit 1; }
  read -r secs kib < "$WORK/time"
  printf '%-6s %8.2f s %8.0f MiB   %s\n' "$1" "$secs" "$((kib / 1024))" "$(grep -o '[0-9]* photos:.*' "$WORK/out")"
}
echo "machine: $(nproc) cores; $N photos, originals $((ORIGINALS / 1000000)) MB"
run cold
run warm
OUT=$(find "$SITE/public" \( -name '*.jpg' -o -name '*.webp' -o -name '*.png' \) -printf '%s\n' | awk '{s+=$1} END {print s}')
VARIANTS=$(find "$SITE/public" -name '*w.*' -printf '%s\n' | awk '{s+=$1} END {print s}')
echo "published images: $((OUT / 1000000)) MB, of which variants $((VARIANTS / 1000000)) MB (originals $((ORIGINALS / 1000000)) MB)"
echo "a phone (375 px, 3x: the 1 344 variant) loads per photo: $(find "$SITE/public" -name '*.1344w.webp' -printf '%s\n' | awk '{s+=$1; n++} END {printf "%.0f KB in WebP", s/n/1000}') against $((ORIGINALS / N / 1000)) KB for the original"
