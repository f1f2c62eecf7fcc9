#!/usr/bin/env bash
# all_slides.sh — renders every slide of one lesson with `difflab --screenshot-all` under Xvfb and checks
# that each PNG decodes and is not blank. Not a visual diff: a person looks at the images (README).
set -euo pipefail
difflab=$1 png_check=$2 lesson=$3 out=$4
mkdir -p "$out"
rm -f "$out/$(basename "${lesson%.md}")"-*.png
xvfb-run -a -s "-screen 0 1600x1000x24" "$difflab" --lesson "$lesson" --frames 45 --size 1600x1000 \
  --screenshot-all "$out"
shopt -s nullglob
pngs=("$out/$(basename "${lesson%.md}")"-*.png)
[ "${#pngs[@]}" -gt 0 ] || { echo "no screenshots written for $lesson"; exit 1; }
"$png_check" "${pngs[@]}"
