#!/usr/bin/env bash
# Builds Diffusion Lab (Release) and opens the app on its first lesson; arguments go to `difflab`.
# Not for CI: scripts/test.sh builds and tests from scratch.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
exec ./build/release/src/app/difflab "$@"
