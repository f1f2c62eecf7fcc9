#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang, ASan + UBSan) in build/fuzz and runs each for SECONDS (default 20),
# seeded from fuzz/seeds/TARGET and the repository's own files; first replays fuzz/regressions/TARGET/*.
# Not a test suite for ctest. Usage: scripts/fuzz.sh [SECONDS] [TARGET …]   (FUZZ_FLAGS adds libFuzzer flags,
# e.g. FUZZ_FLAGS="-fork=2 -ignore_crashes=1" for a long run). Exit 1 when any target crashed or a replay failed.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(fuzz_idx fuzz_checkpoint fuzz_lesson fuzz_csv fuzz_json fuzz_settings fuzz_args)
build=build/fuzz
jobs=${FUZZ_BUILD_JOBS:-$(nproc)}

[ -f "$build/build.ninja" ] || cmake --preset fuzz >/dev/null || exit 1  # clang, ASan + UBSan, -O1
build_start=$SECONDS
cmake --build "$build" -j "$jobs" --target "${targets[@]}" || exit 1
echo "fuzz: built ${#targets[@]} targets in $((SECONDS - build_start)) s"

# Seeds from the repository's own files, beside the hand-made ones in fuzz/seeds.
extra_seeds() {
  case "$1" in
    fuzz_lesson) echo lessons ;;
    fuzz_settings | fuzz_args | fuzz_idx | fuzz_checkpoint | fuzz_csv | fuzz_json) ;;
  esac
}

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
printf '%-16s %10s %9s %7s %7s %7s %8s  %s\n' target runs exec/s cov ft corpus rss_mb result > "$build/fuzz-summary.txt"
for t in "${targets[@]}"; do
  name=${t#fuzz_}
  corpus=$build/corpus/$name
  artifacts=$build/artifacts/$name
  mkdir -p "$corpus" "$artifacts"
  if compgen -G "fuzz/regressions/$name/*" >/dev/null; then
    if ! "$build/fuzz/$t" fuzz/regressions/"$name"/* >"$build/$name-regressions.log" 2>&1; then
      echo "fuzz: $t: a saved regression input crashes (see $build/$name-regressions.log)"
      failed+=("$t(regression)")
    fi
  fi
  dict=()
  [ -f "fuzz/dicts/$name.dict" ] && dict=(-dict="fuzz/dicts/$name.dict")
  # Lessons cost ~4 ms per KiB under ASan: mutate prefixes of at most 4 KiB (ample for nesting and math).
  [ "$name" = lesson ] && dict+=(-max_len=4096)
  dirs=("$corpus" "fuzz/seeds/$name")
  for d in $(extra_seeds "$t"); do dirs+=("$d"); done
  log=$build/$name.log
  touch "$build/.start-$name"
  # shellcheck disable=SC2086
  "$build/fuzz/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" ${FUZZ_FLAGS:-} "${dirs[@]}" >"$log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  rss=$(grep -o 'stat::peak_rss_mb: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$')
  last=$(grep -E '^#[0-9]+:?[[:space:]]+(NEW|REDUCE|pulse|DONE|INITED|cov:)' "$log" | grep -E ' cov: ' | tail -1)
  [ -n "$runs" ] || runs=$(grep -oE '^#[0-9]+' <<<"$last" | tr -d '#')  # -fork mode prints no stat:: lines
  [ -n "$speed" ] || speed=$(grep -oE 'exec/s:? [0-9]+' <<<"$last" | grep -oE '[0-9]+$')
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*')
  ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*')
  corp=$(grep -o 'corp: [0-9]*' <<<"$last" | grep -o '[0-9]*')
  # With -fork=N -ignore_crashes=1 the run goes on past a crash and exits 0: count the inputs it saved.
  saved=$(find "$artifacts" -type f -newer "$build/.start-$name" | wc -l)
  result=ok
  if ((rc != 0 || saved > 0)); then
    result="CRASH (rc $rc, $saved inputs saved in $artifacts/; log $log)"
    failed+=("$t")
  fi
  printf '%-16s %10s %9s %7s %7s %7s %8s  %s\n' "$t" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" \
    "${rss:-?}" "$result" >> "$build/fuzz-summary.txt"
done
cat "$build/fuzz-summary.txt"
if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, no crash"
