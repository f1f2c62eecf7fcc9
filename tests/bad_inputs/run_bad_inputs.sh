#!/usr/bin/env bash
# run_bad_inputs.sh DIFFLAB — runs every case of manifest.txt against the given difflab binary (release or ASan):
# exit code, message, and no AddressSanitizer/UBSan report. Not a fuzzer: fixed inputs, each one a past defect.
set -u
difflab=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Generated inputs: binary or large files, and file-system objects that cannot live in git.
be32() { printf "\\x$(printf %02x $(($1 >> 24 & 255)))\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))\\x$(printf %02x $(($1 & 255)))"; }
idx_header() { printf '\x00\x00\x08\x03'; be32 "$1"; be32 2; be32 2; }  # N images of 2×2
{ idx_header 3; head -c 12 /dev/zero; } >"$work/small.idx"
{ printf '\x00\x00\x08\x01'; be32 4; printf '\x00\x01\x00\x01'; } >"$work/four_labels.idx"
{ idx_header 3; head -c 268435456 /dev/zero; } | gzip -1 >"$work/bomb.idx.gz"  # 256 MiB → ≈ 250 KB
{ idx_header 3; head -c 13 /dev/zero; } | gzip >"$work/one_byte_more.idx.gz"
{ printf '\x00\x00\x08\x03'; be32 60000; be32 1000; be32 1000; } >"$work/huge_header.idx"
{ idx_header 3; head -c 5 /dev/zero; } >"$work/truncated.idx"
{ idx_header 3; head -c 12 /dev/zero; } | gzip | head -c 20 >"$work/truncated.idx.gz"
head -c 1000 "$repo/checkpoints/2d/moons.ckpt" >"$work/truncated.ckpt"
cp "$repo/checkpoints/2d/moons.ckpt" "$work/flipped.ckpt"
printf '\x55' | dd of="$work/flipped.ckpt" bs=1 seek=4000 conv=notrunc status=none
head -c 50000 "$repo/checkpoints/fashion-mnist-ip-adapter.ipa" >"$work/truncated.ipa"
cp "$repo/checkpoints/fashion-mnist-ip-adapter.ipa" "$work/flipped.ipa"
printf '\x55' | dd of="$work/flipped.ipa" bs=1 seek=4000 conv=notrunc status=none
mkdir "$work/dir"
mkfifo "$work/fifo"
ln -s /dev/full "$work/full_link"
printf 'old\n' >"$work/target.csv"
ln -s target.csv "$work/link.csv"
printf 'half a file' >"$work/stale.csv.tmp-4194305"  # above Linux's default pid_max: its writer is gone

failures=0
passes=0
line_number=0
while IFS= read -r line; do
  line_number=$((line_number + 1))
  case "$line" in '' | '#'*) continue ;; esac
  expected=${line%% | *}
  rest=${line#* | }
  message=${rest%% | *}
  command=${rest#* | }
  output=$(cd "$work" && DIFFLAB="$difflab" IN="$here" WORK="$work" REPO="$repo" timeout 120 bash -c "$command" 2>&1)
  rc=$?
  message=${message//'$WORK'/$work}  # messages may name generated files
  message=${message//'$IN'/$here}
  message=${message//'$REPO'/$repo}
  problem=""
  [ "$rc" -ne "$expected" ] && problem="exit $rc, expected $expected"
  [ "$message" != "-" ] && ! grep -qF -- "$message" <<<"$output" && problem="${problem:+$problem; }message '$message' missing"
  grep -qE 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' <<<"$output" &&
    problem="${problem:+$problem; }sanitizer report"
  if [ -n "$problem" ]; then
    echo "FAIL manifest.txt:$line_number: $command"
    echo "  $problem"
    sed 's/^/  | /' <<<"$output" | head -8
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
done <"$here/manifest.txt"

# Nothing the cases did may have replaced a device node (the old atomic write turned /dev/full into a file).
if [ -e /dev/full ] && [ ! -c /dev/full ]; then
  echo "FAIL: /dev/full is no longer a character device"
  failures=$((failures + 1))
fi
echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
