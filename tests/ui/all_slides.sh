#!/usr/bin/env bash
# all_slides.sh — renders every slide of one lesson with `difflab --screenshot-all` under Xvfb and checks
# that each PNG decodes and is not blank, and that no panel's content runs past its area (a scroll bar
# hiding part of it). Spanish lessons render as on a projector (1280×720, presenter mode), English ones at
# 1920×1080. Not a visual diff: a person looks at the images (README).
set -euo pipefail
difflab=$1 png_check=$2 lesson=$3 out=$4
mkdir -p "$out"
rm -f "$out/$(basename "${lesson%.md}")"-*.png
case "$lesson" in
  *.es.md) size=(--size 1280x720 --presenter) ;;
  *) size=(--size 1920x1080) ;;
esac
log=$(xvfb-run -a -s "-screen 0 1920x1080x24" "$difflab" --lesson "$lesson" --frames 45 "${size[@]}" \
  --screenshot-all "$out")
echo "$log"
if grep -q "past its area" <<<"$log"; then
  echo "$lesson: a panel's content does not fit its area at ${size[*]}"
  exit 1
fi
shopt -s nullglob
pngs=("$out/$(basename "${lesson%.md}")"-*.png)
[ "${#pngs[@]}" -gt 0 ] || { echo "no screenshots written for $lesson"; exit 1; }
# A title slide at 1280×720 is ~2 % text; a blank window (its 1-px frame) is 0.5 %.
"$png_check" --min-foreground 0.01 "${pngs[@]}"
