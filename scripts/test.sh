#!/usr/bin/env bash
# What CI runs: the format check; a clean Release build with warnings as errors and every test (ctest); an
# ASan + UBSan build (assertions on, no GUI) running every test it has; a 20-second libFuzzer smoke run per
# parser. Prints what each part cost. Not a benchmark: `difflab bench` and bench/compare_torch.sh measure speed.
# Every part runs even when an earlier one fails; the exit code is non-zero when any failed.
# Environment: DIFFLAB_CI_PARTS="format release asan fuzz" (default: all), FUZZ_SECONDS (default 20).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
parts=${DIFFLAB_CI_PARTS:-format release asan fuzz}
jobs=$(nproc)
report=()
failed=()
run_part() {  # run_part NAME COMMAND… — times it, records the outcome
  local name=$1 start=$SECONDS
  shift
  echo "=== $name"
  if "$@"; then report+=("$(printf '%-34s %5d s  ok' "$name" $((SECONDS - start)))")
  else
    report+=("$(printf '%-34s %5d s  FAILED' "$name" $((SECONDS - start)))")
    failed+=("$name")
  fi
}
has() { [[ " $parts " == *" $1 "* ]]; }

if has format; then run_part "format (clang-format)" bash scripts/check_format.sh; fi
if has release; then
  rm -rf build/ci
  run_part "release: configure + build (Werror)" bash -c "cmake --preset ci >/dev/null && cmake --build --preset ci -j $jobs"
  run_part "release: ctest (all)" ctest --preset ci
fi
if has asan; then
  rm -rf build/ci-asan
  run_part "asan: configure + build (no GUI)" bash -c "cmake --preset ci-asan >/dev/null && cmake --build --preset ci-asan -j $jobs"
  run_part "asan: ctest (all non-GUI tests)" ctest --preset ci-asan
fi
if has fuzz; then
  run_part "fuzz: build + ${FUZZ_SECONDS:-20} s per target" bash scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
fi

echo "=== summary ($jobs cores)"
printf '%s\n' "${report[@]}"
echo "total $SECONDS s"
if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
