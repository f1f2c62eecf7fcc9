#!/usr/bin/env bash
# compare_torch.sh — `difflab bench` and PyTorch side by side, in one run, with ratios: the reference MLP
# (bench/torch_reference.py) at 1 and 2 threads, then issue 5's U-Nets A and B (bench/torch_unet_reference.py)
# at batch 64 and 2 threads, each measured twice, alternating difflab and PyTorch.
# Not a test. Needs Debian's python3-torch (apt-get install python3-torch).
# Usage: bench/compare_torch.sh [DIFFLAB] [mlp|unet|all]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
difflab=${1:-$here/../build/release/src/app/difflab}
what=${2:-all}
python=/usr/bin/python3
# OpenBLAS is told to act as Haswell on this machine (see shared/PERFORMANCE.md), which halves its speed:
# unset both variables for PyTorch's run only, to compare with PyTorch at its best.
torch_env() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@"; }
if [[ $what == mlp || $what == all ]]; then
  for threads in 1 2; do
    ours=$("$difflab" bench --threads "$threads" --unet none --format json)
    theirs=$(torch_env "$python" "$here/torch_reference.py" --threads "$threads")
    "$python" - "$threads" "$ours" "$theirs" <<'PY'
import json, sys
threads, ours, theirs = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(f"== {threads} thread(s): difflab vs PyTorch {theirs['torch']}")
for b in ("32", "256", "1024"):
    o, t = ours["train_steps_per_s"][b], theirs["train_steps_per_s"][b]
    print(f"  train batch {b:>4}: {o:8.1f} vs {t:8.1f} steps/s   ratio {o / t:5.2f}x")
o, t = ours["sample_1000x50_ms"], theirs["sample_1000x50_ms"]
print(f"  sample 1000x50:   {o:8.1f} vs {t:8.1f} ms        ratio {t / o:5.2f}x")
PY
  done
fi
if [[ $what == unet || $what == all ]]; then
  for round in 1 2; do
    ours=$("$difflab" bench --threads 2 --mlp off --unet A,B --seconds 3 --format json)
    theirs=$(torch_env "$python" "$here/torch_unet_reference.py" --threads 2)
    "$python" - "$round" "$ours" "$theirs" <<'PY'
import json, sys
round_, ours, theirs = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(f"== U-Net, batch 64, 2 threads, round {round_}: difflab vs PyTorch {theirs['torch']}")
for arch in ("A", "B"):
    o, t = ours["unet_train_img_per_s"][arch], theirs["unet_train_img_per_s"][arch]
    so, st = ours["unet_sample_16x1000_s"][arch], theirs["unet_sample_16x1000_s"][arch]
    print(f"  config {arch} train: {o:7.1f} vs {t:7.1f} images/s  ratio {o / t:5.2f}x   "
          f"16 images x 1000 DDPM steps: {so:5.1f} vs {st:5.1f} s  ratio {st / so:5.2f}x")
PY
  done
fi
