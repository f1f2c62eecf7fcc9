#!/usr/bin/env bash
# Re-creates the trained 2-D checkpoints shipped in checkpoints/2d/ (the lessons open with these).
# Not run by the build or CI: the files are committed; this documents exactly how they were made.
set -euo pipefail
cd "$(dirname "$0")/.."
difflab=${DIFFLAB:-build/release/src/app/difflab}
mkdir -p checkpoints/2d
for dataset in swiss-roll moons 8gaussians 25gaussians checkerboard rings spirals gaussian; do
  "$difflab" train --dataset "$dataset" --steps 8000 --seed 0 --ema-only --quiet --out "checkpoints/2d/$dataset.ckpt"
done
