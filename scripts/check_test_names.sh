#!/usr/bin/env bash
# check_test_names.sh — fails when a doctest TEST_CASE name holds ';', '[' or ']'. doctest_discover_tests
# splits names there, and ctest then runs pieces that match no test case and "pass" without running anything.
# Not a style check: it guards that every test case really runs under ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
bad=$(grep -rnE 'TEST_CASE\(\s*"[^"]*[][;]' tests --include='*.cpp' || true)
if [[ -n "$bad" ]]; then
  echo "test names ctest would split (use ',' and '(…)' instead):"
  echo "$bad"
  exit 1
fi
