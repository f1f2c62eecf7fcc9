#!/usr/bin/env bash
# steps_sweep_test.sh — `difflab eval --steps-sweep`: its FID at N steps is `eval`'s FID with --fid-steps N
# (same seed, same samples), for an ε checkpoint (DDIM) and a flow checkpoint (Euler). Not FID's formula.
set -u
difflab="$1"
root="$2"
failures=0
fid_of() { sed -n 's/.*"fid": \([0-9.eE+-]*\).*/\1/p' | head -1; }
for ckpt in fashion-mnist-classroom.ckpt fashion-mnist-dit-flow.ckpt; do
  model="$root/checkpoints/$ckpt"
  common=(--model "$model" --fid-samples 40 --seed 7 --threads 1 --format json --quiet
          --classifier "$root/checkpoints/fashion-mnist-classifier.ckpt")
  sweep=$("$difflab" eval "${common[@]}" --steps-sweep 1,3 2>/dev/null)
  # the sweep's last entry (3 steps)
  fid_sweep=$(printf '%s\n' "$sweep" | grep '"steps": 3' | fid_of)
  fid_one=$(printf '%s\n' "$sweep" | grep '"steps": 1,' | fid_of)
  fid_eval=$("$difflab" eval "${common[@]}" --n 1 --fid-steps 3 2>/dev/null | fid_of)
  if [ -z "$fid_sweep" ] || [ "$fid_sweep" != "$fid_eval" ]; then
    echo "FAIL: $ckpt: sweep FID at 3 steps '$fid_sweep' != eval --fid-steps 3 '$fid_eval'"
    failures=$((failures + 1))
  fi
  if [ -z "$fid_one" ] || [ "$fid_one" = "$fid_sweep" ]; then  # a different step count, different samples
    echo "FAIL: $ckpt: sweep FID at 1 step '$fid_one' equals the 3-step one"
    failures=$((failures + 1))
  fi
  expected_objective=eps
  case "$ckpt" in *flow*) expected_objective=flow ;; esac
  if ! printf '%s\n' "$sweep" | grep -qF "\"objective\": \"$expected_objective\""; then
    echo "FAIL: $ckpt: the sweep does not read the checkpoint as $expected_objective"
    failures=$((failures + 1))
  fi
done
"$difflab" eval --model "$root/checkpoints/fashion-mnist-classroom.ckpt" --steps-sweep 1,0 >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: --steps-sweep 1,0 is not a usage error"; failures=$((failures + 1)); }
echo "steps sweep: $failures failures"
[ "$failures" -eq 0 ]
