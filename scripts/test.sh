#!/usr/bin/env bash
# Builds Diffusion Lab from scratch in Release (warnings as errors) and runs every test with ctest.
# Not a benchmark: `difflab bench` and bench/compare_torch.sh measure speed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rm -rf build/ci
cmake --preset ci
cmake --build --preset ci -j "$(nproc)"
ctest --preset ci
