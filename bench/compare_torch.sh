#!/usr/bin/env bash
# compare_torch.sh — `difflab bench` and PyTorch (bench/torch_reference.py) side by side, in one run, with ratios.
# Not a test. Needs Debian's python3-torch (apt-get install python3-torch). Usage: bench/compare_torch.sh [DIFFLAB]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
difflab=${1:-$here/../build/release/src/app/difflab}
python=/usr/bin/python3
# OpenBLAS is told to act as Haswell on this machine (see shared/PERFORMANCE.md), which halves its speed:
# unset both variables for PyTorch's run only, to compare with PyTorch at its best.
run_torch() { env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" "$here/torch_reference.py" --threads "$1"; }
for threads in 1 2; do
  ours=$("$difflab" bench --threads "$threads" --format json)
  theirs=$(run_torch "$threads")
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
