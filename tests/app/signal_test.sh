#!/usr/bin/env bash
# signal_test.sh DIFFLAB — SIGTERM/SIGINT during `difflab train` (2-D and image U-Net) save the last completed step
# atomically, say where, and exit 143/130; SIGKILL at any moment leaves the previous checkpoint loadable.
# Not a timing test: it waits for training to start, however slow the machine (or an ASan build) is.
set -u
difflab="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0
pass() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# interrupt SIGNAL EXPECTED_RC OUT ARGS…: starts `difflab train ARGS --out OUT`, sends SIGNAL once training has
# run for a while (longer on each retry if no step had finished yet), checks the exit code and the message.
interrupt() {
  local signal=$1 expected=$2 out=$3
  shift 3
  local delay
  for delay in 2 5 15; do
    "$difflab" train "$@" --out "$out" --quiet 2>"$work/err" &
    local pid=$!
    sleep "$delay"
    kill "-$signal" "$pid"
    wait "$pid"
    local rc=$?
    grep -q "before the first step" "$work/err" && continue
    [ "$rc" -eq "$expected" ] && pass || fail "$signal: exit $rc, expected $expected"
    if grep -q "interrupted by SIG$signal: saved step [0-9]* of 100000000 to $out" "$work/err"; then pass; else
      fail "$signal: no 'saved step … to $out' message"; sed 's/^/  | /' "$work/err" | tail -3
    fi
    local said written
    said=$(sed -n "s/.*saved step \([0-9]*\) of.*/\1/p" "$work/err")
    written=$(grep -a -m1 '^step = ' "$out" | cut -d' ' -f3)
    [ -n "$said" ] && [ "$said" = "$written" ] && pass || fail "$signal: message says step '$said', file has '$written'"
    return
  done
  fail "$signal: no training step finished within 15 s"
}

interrupt TERM 143 "$work/moons.ckpt" --dataset moons --steps 100000000
"$difflab" sample --model "$work/moons.ckpt" --sampler ddim --steps 5 --n 10 --out "$work/s.csv" --quiet 2>/dev/null && pass ||
  fail "the checkpoint saved on SIGTERM does not sample"
interrupt INT 130 "$work/moons_int.ckpt" --dataset moons --steps 100000000 --ema-only
"$difflab" field --model "$work/moons_int.ckpt" --t 3 --at 0,0 >/dev/null && pass ||
  fail "the --ema-only checkpoint saved on SIGINT does not load"

# The U-Net on 16 random 28×28 images (an IDX file made here).
be32() { printf "\\x$(printf %02x $(($1 >> 24 & 255)))\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))\\x$(printf %02x $(($1 & 255)))"; }
{ printf '\x00\x00\x08\x03'; be32 16; be32 28; be32 28; head -c $((16 * 28 * 28)) /dev/urandom; } >"$work/images.idx"
interrupt TERM 143 "$work/unet.ckpt" --dataset "idx:$work/images.idx" --arch classroom --batch 2 --threads 1 --steps 100000000
"$difflab" sample --model "$work/unet.ckpt" --sampler ddim --steps 2 --n 1 --out "$work/u.png" --quiet 2>/dev/null && pass ||
  fail "the U-Net checkpoint saved on SIGTERM does not sample"

# SIGKILL at any moment, even while the file is being replaced, leaves a complete checkpoint (old or new).
"$difflab" train --dataset moons --steps 50 --out "$work/kill.ckpt" --quiet 2>/dev/null
for delay in 0.05 0.2 0.4 0.7 1.0; do
  "$difflab" train --dataset moons --steps 300 --seed 1 --out "$work/kill.ckpt" --quiet 2>/dev/null &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  "$difflab" field --model "$work/kill.ckpt" --t 3 --at 0,0 >/dev/null 2>"$work/err" && pass ||
    { fail "after SIGKILL at ${delay}s the checkpoint does not load"; sed 's/^/  | /' "$work/err"; }
done
# A later write removes any FILE.tmp-PID a killed writer left.
"$difflab" train --dataset moons --steps 5 --out "$work/kill.ckpt" --quiet 2>/dev/null
if ls "$work" | grep -q 'kill.ckpt.tmp-'; then fail "a stale kill.ckpt.tmp-PID survived the next write"; else pass; fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
