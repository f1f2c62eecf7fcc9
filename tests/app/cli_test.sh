#!/usr/bin/env bash
# cli_test.sh — runs `difflab` commands end to end: outputs, CSV columns, exit codes on bad input.
# Not a unit test: the library tests check the numbers; this checks the command-line contract.
set -u
difflab="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0
check() {  # check NAME EXPECTED_RC COMMAND...
  local name=$1 expected=$2
  shift 2
  "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [ "$rc" -ne "$expected" ]; then
    echo "FAIL: $name: exit $rc, expected $expected"; sed 's/^/  | /' "$work/err" | head -5
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}
expect_text() {  # expect_text NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then passes=$((passes + 1)); else echo "FAIL: $1: '$3' not in $2"; failures=$((failures + 1)); fi
}

check "help" 0 "$difflab" --help
for c in schedule data train sample field eval bench classifier; do check "$c --help" 0 "$difflab" $c --help; done
check "schedule csv" 0 "$difflab" schedule --T 10
expect_text "schedule columns" "$work/out" "t,beta,alpha,alpha_bar,alpha_bar_prev,sqrt_alpha_bar,sqrt_one_minus_alpha_bar,posterior_variance,posterior_log_variance_clipped,posterior_mean_coef1,posterior_mean_coef2,snr,vlb_weight"
[ "$(wc -l <"$work/out")" -eq 11 ] && passes=$((passes + 1)) || { echo "FAIL: schedule rows"; failures=$((failures + 1)); }
check "schedule json" 0 "$difflab" schedule --schedule=cosine --T=20 --format json
expect_text "schedule json key" "$work/out" '"alpha_bar": ['
check "schedule bad T" 2 "$difflab" schedule --T 1
check "schedule bad name" 2 "$difflab" schedule --schedule exponential
check "unknown option" 2 "$difflab" schedule --nope
check "unknown command" 2 "$difflab" frobnicate
check "classifier unknown subcommand" 2 "$difflab" classifier frobnicate
check "data" 0 "$difflab" data --dataset spirals --n 100 --seed 3 --out "$work/d.csv"
expect_text "data columns" "$work/d.csv" "x,y,label"
check "data bad dataset" 1 "$difflab" data --dataset nope --n 10 --out "$work/x.csv"
check "train" 0 "$difflab" train --dataset 8gaussians --steps 200 --batch 64 --out "$work/m.ckpt" --quiet
check "train bad lr" 2 "$difflab" train --dataset moons --lr=-1 --out "$work/x.ckpt"
# The trilemma's families and the metrics for any point set (issue 12 §1).
check "train gan" 0 "$difflab" train --model gan --dataset 8gaussians --steps 20 --batch 32 --out "$work/g.ckpt" --samples-out "$work/g.csv" --samples-n 100 --quiet
expect_text "gan checkpoint family" "$work/g.ckpt" "architecture = gan"
check "train vae" 0 "$difflab" train --model vae --dataset 25gaussians --steps 20 --batch 32 --beta 0.5 --out "$work/v.ckpt" --quiet
expect_text "vae checkpoint beta" "$work/v.ckpt" "beta = 0.5"
check "train bad model" 2 "$difflab" train --model flow --dataset moons --out "$work/x.ckpt"
check "eval samples of data" 0 "$difflab" data --dataset 8gaussians --n 800 --seed 9 --out "$work/d8.csv"
check "eval samples json" 0 "$difflab" eval --samples "$work/d8.csv" --dataset 8gaussians --format json
expect_text "data covers its 8 modes" "$work/out" '"modes_covered": 8,'
check "eval samples text" 0 "$difflab" eval --samples "$work/d8.csv" --dataset 25gaussians
expect_text "8 Gaussians cover few of 25" "$work/out" "modes covered (>= n/(4K) samples within 3 sigma): "
check "eval samples no modes" 0 "$difflab" eval --samples "$work/d8.csv" --dataset moons --format json
expect_text "moons have no labelled modes" "$work/out" '"modes_covered": null'
check "eval samples without dataset" 2 "$difflab" eval --samples "$work/d8.csv"
check "sample ddim" 0 "$difflab" sample --model "$work/m.ckpt" --sampler ddim --steps 10 --n 50 --out "$work/s.csv" --trajectory "$work/traj.csv" --quiet
expect_text "sample columns" "$work/s.csv" "x,y"
expect_text "trajectory columns" "$work/traj.csv" "step,t,i,x,y,x0_x,x0_y"
# Guidance (issue 12 §2): a class-conditional model with label dropout, a noise classifier, cfg and classifier.
check "train cond-mlp" 0 "$difflab" train --model cond-mlp --dataset 8gaussians --classes 2 --p-uncond 0.1 --steps 100 --batch 64 --width 32 --depth 1 --embedding-size 16 --out "$work/c.ckpt" --quiet
expect_text "cond checkpoint family" "$work/c.ckpt" "architecture = mlp2d-cond"
check "train noise-classifier" 0 "$difflab" train --model noise-classifier --dataset 8gaussians --classes 2 --steps 100 --batch 64 --width 32 --depth 1 --out "$work/nc.ckpt" --quiet
check "sample cfg" 0 "$difflab" sample --model "$work/c.ckpt" --class 1 --guidance 3 --sampler ddim --steps 10 --n 50 --out "$work/g.csv" --quiet
expect_text "cfg samples carry the class" "$work/g.csv" "x,y,label"
check "sample classifier guidance" 0 "$difflab" sample --model oracle --dataset 8gaussians --guidance-kind classifier --classifier "$work/nc.ckpt" --class 0 --guidance 2 --sampler ddim --steps 10 --n 50 --out "$work/gc.csv" --quiet
check "sample cfg class out of range" 2 "$difflab" sample --model "$work/c.ckpt" --class 2 --out "$work/x.csv" --quiet
check "sample cond checkpoint without --class" 1 "$difflab" sample --model "$work/c.ckpt" --out "$work/x.csv" --quiet
check "train bad --model" 2 "$difflab" train --model gan2 --dataset moons --out "$work/x.ckpt"
printf 'x,y\n0.5,-1\n-2,1.5\n' >"$work/init.csv"
check "sample init" 0 "$difflab" sample --model oracle --dataset moons --sampler ode-heun --steps 5 --init "$work/init.csv" --out "$work/s2.csv" --quiet
[ "$(wc -l <"$work/s2.csv")" -eq 3 ] && passes=$((passes + 1)) || { echo "FAIL: --init row count"; failures=$((failures + 1)); }
check "sample bad sampler" 2 "$difflab" sample --model oracle --dataset moons --sampler euler --out "$work/x.csv"
check "sample bad steps" 2 "$difflab" sample --model oracle --dataset moons --steps 100000 --out "$work/x.csv"
check "field at negative" 0 "$difflab" field --model oracle --dataset gaussian --t 5 --at=-2,1.5
expect_text "field columns" "$work/out" "x,y,eps_x,eps_y,score_x,score_y,x0_x,x0_y,log_p"
expect_text "field point" "$work/out" "-2,1.5,"
check "field grid" 0 "$difflab" field --model "$work/m.ckpt" --t 3 --grid -2,2,-2,2,4 --out "$work/f.csv"
[ "$(wc -l <"$work/f.csv")" -eq 17 ] && passes=$((passes + 1)) || { echo "FAIL: grid rows"; failures=$((failures + 1)); }
check "field both" 2 "$difflab" field --model oracle --dataset moons --t 3 --at 1,1 --grid 0,1,0,1,2
check "eval json" 0 "$difflab" eval --model oracle --dataset 8gaussians --n 200 --format json
for key in l_simple vlb_total vlb_prior vlb_diffusion vlb_decoder swd swd_floor; do expect_text "eval $key" "$work/out" "\"$key\":"; done
# Issue 13: the σ-step samplers, and quality against NFE.
for s in edm-heun edm-stochastic dpm-solver++ unipc sde-euler edm-euler; do
  check "sample $s" 0 "$difflab" sample --model oracle --dataset 8gaussians --sampler $s --steps 8 --n 50 --out "$work/s.csv" --quiet
done
check "sample σ-steps past T" 0 "$difflab" sample --model oracle --dataset gaussian --sampler edm-heun --steps 300 --n 5 --out "$work/s.csv" --quiet
check "sample bad --sigmas" 2 "$difflab" sample --model oracle --dataset gaussian --sampler dpm-solver++ --sigmas bogus --out "$work/s.csv"
check "sweep csv" 0 "$difflab" eval --model oracle --dataset 8gaussians --n 100 --sweep-nfe 1,10,200 --samplers ddim,edm-heun,dpm-solver++ --sweep-out "$work/sweep.csv"
expect_text "sweep columns" "$work/sweep.csv" "sampler,nfe_target,steps,nfe,swd,swd_floor,endpoint_rms,seconds"
expect_text "sweep heun 10" "$work/sweep.csv" "edm-heun,10,5,9,"
[ "$(grep -c '^ddim,' "$work/sweep.csv")" -eq 2 ] && passes=$((passes + 1)) || { echo "FAIL: ddim above T is left out"; failures=$((failures + 1)); }
check "sweep json" 0 "$difflab" eval --model oracle --dataset 8gaussians --n 100 --sweep-nfe 4 --samplers ddpm,unipc --format json
expect_text "sweep json ddpm has no ODE twin" "$work/out" '"sampler": "ddpm", "nfe_target": 4, "steps": 4, "nfe": 4'
expect_text "sweep json null" "$work/out" '"endpoint_rms": null'
check "sweep refuses an underflowing ᾱ_T" 1 "$difflab" eval --model oracle --dataset 8gaussians --T 1000 --n 50 --sweep-nfe 10 --samplers ddim
expect_text "sweep underflow says why" "$work/err" "σ_max = √((1 − ᾱ)/ᾱ) = 2.78e+23"
check "sweep unconverged reference" 0 "$difflab" eval --model oracle --dataset 8gaussians --n 50 --sweep-nfe 4 --samplers ddim --reference-steps 10
expect_text "sweep reference warning" "$work/err" "warning: the reference ODE solution is not converged"
check "train edm" 0 "$difflab" train --dataset 8gaussians --prediction edm --steps 50 --batch 64 --out "$work/edm.ckpt" --quiet
expect_text "edm checkpoint type" "$work/edm.ckpt" "prediction = edm"
check "sample edm unipc" 0 "$difflab" sample --model "$work/edm.ckpt" --sampler unipc --steps 10 --n 20 --out "$work/edm.csv"
check "train edm images" 2 "$difflab" train --dataset idx:/nonexistent --prediction edm --out "$work/x.ckpt"
check "sweep bad sampler" 2 "$difflab" eval --model oracle --dataset 8gaussians --sweep-nfe 4 --samplers ddim,euler-a
check "sweep bad nfe" 2 "$difflab" eval --model oracle --dataset 8gaussians --sweep-nfe 4,x
head -c 1000 "$work/m.ckpt" >"$work/truncated.ckpt"
check "truncated checkpoint" 1 "$difflab" sample --model "$work/truncated.ckpt" --out "$work/x.csv"
expect_text "truncated message" "$work/err" "truncated"
check "missing checkpoint" 1 "$difflab" eval --model "$work/none.ckpt" --dataset moons
check "bench json" 0 "$difflab" bench --seconds 0.05 --unet none --format json
expect_text "bench key" "$work/out" '"train_steps_per_s": {"32":'
expect_text "bench sample key" "$work/out" '"sample_1000x50_ms":'
expect_text "bench kernels key" "$work/out" '"gemm_kernels": "'

# Images: a bad IDX file is a message and exit 1; with Fashion-MNIST installed, train → sample PNG → eval.
head -c 100 /dev/urandom >"$work/bad.idx"
check "bad idx file" 1 "$difflab" train --dataset "idx:$work/bad.idx" --out "$work/u.ckpt"
expect_text "bad idx message" "$work/err" "bad.idx"
check "missing idx file" 1 "$difflab" train --dataset "idx:$work/none.idx" --out "$work/u.ckpt"
if [ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
  check "train unet" 0 "$difflab" train --dataset fashion-mnist --arch classroom --steps 3 --batch 4 --out "$work/u.ckpt" --quiet
  check "sample png grid" 0 "$difflab" sample --model "$work/u.ckpt" --sampler ddim --steps 3 --n 4 --out "$work/grid.png" --quiet
  [ "$(head -c 4 "$work/grid.png" | od -An -c | tr -d ' ')" = "211PNG" ] && passes=$((passes + 1)) || { echo "FAIL: grid.png is not a PNG"; failures=$((failures + 1)); }
  check "eval bits/dim, FID" 0 "$difflab" eval --model "$work/u.ckpt" --n 1 --fid-samples 16 --fid-steps 2 --format json --quiet
  expect_text "eval bits_per_dim" "$work/out" '"bits_per_dim":'
  expect_text "eval fid" "$work/out" '"fid": '
  expect_text "eval fid_floor" "$work/out" '"fid_floor": '
  check "eval without a classifier skips FID" 0 "$difflab" eval --model "$work/u.ckpt" --n 1 --classifier "$work/none.ckpt"
  expect_text "eval says FID was skipped" "$work/out" 'FID: skipped (no classifier checkpoint at'
  check "classifier eval" 0 "$difflab" classifier eval --n 200 --format json
  expect_text "classifier accuracy" "$work/out" '"accuracy":'
  check "classifier eval refuses a U-Net" 1 "$difflab" classifier eval --model "$work/u.ckpt" --n 10
  check "sample refuses a classifier" 1 "$difflab" sample --model "$(dirname "$0")/../../checkpoints/fashion-mnist-classifier.ckpt" --out "$work/x.png"
  check "field refuses images" 2 "$difflab" field --model "$work/u.ckpt" --t 3 --at 0,0
fi
# Flow matching (issue 14 §1): on images a U-Net with prediction = flow, sampled through the change of
# variables; on 2-D data `field --objective flow` gives the velocity at flow time t.
if [ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
  check "train unet --objective flow" 0 "$difflab" train --dataset fashion-mnist --objective flow --steps 2 --batch 4 --out "$work/uf.ckpt" --quiet
  expect_text "flow checkpoint header" "$work/uf.ckpt" 'prediction = flow'
  check "sample a flow U-Net" 0 "$difflab" sample --model "$work/uf.ckpt" --sampler ddim --steps 2 --n 2 --out "$work/gridf.png" --quiet
  check "a flow U-Net refuses CFG" 2 "$difflab" sample --model "$work/uf.ckpt" --guidance 3 --label 2 --out "$work/x.png"
fi
check "2-D --objective flow points to flow train" 2 "$difflab" train --dataset moons --objective flow --out "$work/x.ckpt"
check "field --objective flow" 0 "$difflab" field --objective flow --model oracle --dataset 8gaussians --t 0.5 --at 1,0
expect_text "field --objective flow columns" "$work/out" "x,y,vx,vy"
check "field --objective other" 2 "$difflab" field --objective v --model oracle --dataset 8gaussians --t 5 --at 1,0

# Issue 10 §5: one schedule rule in every command. For data 𝒩(0, I) the exact x̂₀ = E[x₀ | xₜ] = √ᾱₜ·xₜ, so
# `field` at t = 10 and a one-step DDIM `sample` (leading spacing: t = 0 → x̂₀) from (1, 0) print √ᾱₜ, which
# must equal what `schedule` prints for the same options (2-D data: β 1e-3 … 0.2 whatever T is).
printf '{"weights": [1], "means": [[0, 0]], "covariances": [[[1, 0], [0, 1]]]}\n' >"$work/std.json"
printf 'x,y\n1,0\n' >"$work/one.csv"
same_number() {  # same_number NAME A B: |A − B| ≤ 1e-6·|B| + 1e-30
  if awk -v a="$2" -v b="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; exit !(d <= 1e-6 * m + 1e-30) }'; then
    passes=$((passes + 1))
  else
    echo "FAIL: $1: $2 ≠ $3"; failures=$((failures + 1))
  fi
}
for opts in "--T 1000" "--T 1000 --beta-end 0.05" "--T 50 --schedule quadratic" "--T 200 --schedule cosine"; do
  # shellcheck disable=SC2086
  "$difflab" schedule $opts >"$work/sched.csv"
  at10=$(awk -F, '$1 == 10 { print $6 }' "$work/sched.csv")
  at0=$(awk -F, '$1 == 0 { print $6 }' "$work/sched.csv")
  # shellcheck disable=SC2086
  check "field $opts" 0 "$difflab" field --model oracle --dataset "gmm:$work/std.json" $opts --t 10 --at 1,0
  same_number "field x̂₀ = schedule's √ᾱ₁₀ ($opts)" "$(tail -1 "$work/out" | cut -d, -f7)" "$at10"
  # shellcheck disable=SC2086
  check "sample $opts" 0 "$difflab" sample --model oracle --dataset "gmm:$work/std.json" $opts --sampler ddim \
    --steps 1 --spacing leading --init "$work/one.csv" --out "$work/one_out.csv" --quiet
  same_number "sample x̂₀ = schedule's √ᾱ₀ ($opts)" "$(tail -1 "$work/one_out.csv" | cut -d, -f1)" "$at0"
done
"$difflab" schedule --T 1000 --dataset fashion-mnist >"$work/sched_img.csv"
expect_text "schedule for images: β starts at 1e-4" "$work/sched_img.csv" "0,0.0001,"
"$difflab" schedule --T 1000 >"$work/sched_2d.csv"
expect_text "schedule for 2-D data: β starts at 1e-3" "$work/sched_2d.csv" "0,0.001,"
check "train --T 300 (2-D)" 0 "$difflab" train --dataset moons --steps 2 --T 300 --out "$work/t300.ckpt" --quiet
expect_text "2-D checkpoint keeps the 2-D β range" "$work/t300.ckpt" "beta_end = 0.20000000000000001"
for c in schedule train sample field eval; do
  "$difflab" $c --help >"$work/help.txt"
  expect_text "$c --help states the schedule rule" "$work/help.txt" "Schedule rule (every command)"
done
check "a checkpoint's schedule wins: --T that contradicts it" 2 "$difflab" sample --model "$work/m.ckpt" --T 1000 --out "$work/x.csv"
expect_text "conflict message" "$work/err" "(the checkpoint has 100)"
check "a checkpoint's schedule: the same value is fine" 0 "$difflab" field --model "$work/m.ckpt" --T 100 --t 3 --at 0,0
if [ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
  check "train images --T 50" 0 "$difflab" train --dataset fashion-mnist --steps 1 --batch 2 --T 50 --out "$work/u50.ckpt" --quiet
  expect_text "image checkpoint keeps the image β range with --T 50" "$work/u50.ckpt" "beta_end = 0.02"
  # FID per NFE (a tiny configuration: the shipped U-Net and classifier, 4 samples, 1 and 2 NFE).
  check "fid sweep" 0 "$difflab" eval --model "$(dirname "$0")/../../checkpoints/fashion-mnist-classroom.ckpt" --sweep-nfe 1,2 --samplers ddim,dpm-solver++ --fid-samples 4 --threads 1 --classifier "$(dirname "$0")/../../checkpoints/fashion-mnist-classifier.ckpt"
  expect_text "fid sweep columns" "$work/out" "sampler,nfe_target,steps,nfe,fid,fid_floor,seconds"
  expect_text "fid sweep row" "$work/out" "dpm-solver++,2,2,2,"
  [ "$(grep -c '^ddim,' "$work/out")" -eq 2 ] && passes=$((passes + 1)) || { echo "FAIL: fid sweep ddim rows"; failures=$((failures + 1)); }
  # Classifier-free guidance (issue 12 §3): the shipped class-conditional U-Net, one class or one row per class.
  cond="$(dirname "$0")/../../checkpoints/fashion-mnist-classroom-cond.ckpt"
  check "cfg sample all classes" 0 "$difflab" sample --model "$cond" --sampler ddim --steps 2 --class all --columns 1 --guidance 3 --threads 1 --quiet --out "$work/cfg.png"
  expect_text "cfg: one forward of 2n rows per step" "$work/err" "2 forward passes of 40 image rows"
  check "cfg sample ddpm one class" 0 "$difflab" sample --model "$cond" --sampler ddpm --steps 2 --class 3 --n 2 --guidance 2 --threads 1 --quiet --out "$work/cfg3.png"
  check "cfg needs a conditional checkpoint" 2 "$difflab" sample --model "$(dirname "$0")/../../checkpoints/fashion-mnist-classroom.ckpt" --class 3 --out "$work/x.png"
  check "cfg class out of range" 2 "$difflab" sample --model "$cond" --class 10 --out "$work/x.png"
  check "cfg guidance without a class" 2 "$difflab" sample --model "$cond" --guidance 2 --out "$work/x.png"
  check "cfg sweep bad list" 2 "$difflab" eval --model "$cond" --guidance-sweep 0,x
  check "cfg sweep" 0 "$difflab" eval --model "$cond" --guidance-sweep 0,3 --n 2 --fid-steps 1 --threads 1 --quiet --format json --classifier "$(dirname "$0")/../../checkpoints/fashion-mnist-classifier.ckpt"
  expect_text "cfg sweep json" "$work/out" '"gamma": 3, "accuracy": '
  # Classifier guidance on images with the shipped noise-conditional classifier, and CFG against it.
  check "cg sample all classes" 0 "$difflab" sample --model "$cond" --sampler ddim --steps 2 --class all --columns 1 --guidance 10 --guidance-kind classifier --threads 1 --quiet --out "$work/cg.png"
  expect_text "cg: one U-Net pass per step" "$work/err" "2 forward passes of 20 image rows"
  check "cg refuses a FID classifier" 2 "$difflab" sample --model "$cond" --class 1 --guidance-kind classifier --classifier "$(dirname "$0")/../../checkpoints/fashion-mnist-classifier.ckpt" --out "$work/x.png"
  check "guidance match" 0 "$difflab" eval --model "$cond" --guidance-match 3 --cg-scales 0,10 --n 2 --fid-steps 1 --threads 1 --quiet --format json --classifier "$(dirname "$0")/../../checkpoints/fashion-mnist-classifier.ckpt"
  expect_text "guidance match json" "$work/out" '"matched": {"cfg_gamma": 3,'
fi

# Issue 16 §7: sampling memory is flat in n (the network runs in 4,096-point chunks). 200,000 points took
# ≈ 1.3 GB before; now the points themselves (≈ 5 MB) plus the program. Peak RSS (VmHWM) polled while it runs.
peak_rss_kb() {  # peak_rss_kb COMMAND…: runs it, prints its peak resident set in KB (last VmHWM seen)
  "$@" >/dev/null 2>&1 &
  local pid=$! peak=0 hwm
  while kill -0 "$pid" 2>/dev/null; do
    hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
    [ -n "$hwm" ] && [ "$hwm" -gt "$peak" ] && peak=$hwm
    sleep 0.05
  done
  wait "$pid"
  echo "$peak"
}
if [ -r /proc/self/status ]; then
  # On an ASan build freed blocks wait in a 256 MB quarantine by default: keep it small for this measurement.
  rss=$(ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16" peak_rss_kb "$difflab" sample --model "$work/m.ckpt" --sampler ddim --steps 3 --n 200000 --threads 1 \
    --out "$work/big.csv" --quiet)
  [ "$rss" -gt 0 ] && [ "$rss" -lt 300000 ] && passes=$((passes + 1)) ||
    { echo "FAIL: sample --n 200000 peaked at $rss KB (limit 300000)"; failures=$((failures + 1)); }
  [ "$(wc -l <"$work/big.csv")" -eq 200001 ] && passes=$((passes + 1)) || { echo "FAIL: big sample rows"; failures=$((failures + 1)); }
fi

# Issue 12 §2: conditional generation with exact guided fields (--class, --guidance γ, --guidance-kind).
check "field guided" 0 "$difflab" field --model oracle --dataset 8gaussians --t 30 --at 1,0.5 --class 0 --guidance 3
expect_text "field guided columns" "$work/out" "x,y,eps_x,eps_y,score_x,score_y,x0_x,x0_y,log_p,log_p_x_given_y,log_p_y_given_x"
tail -1 "$work/out" | cut -d, -f3,4 >"$work/exact_eps"
for kind in cfg classifier; do  # with exact ε and the exact classifier, the three kinds give the same field
  check "field guided $kind" 0 "$difflab" field --model oracle --dataset 8gaussians --t 30 --at 1,0.5 --class 0 --guidance 3 --guidance-kind $kind
  tail -1 "$work/out" | cut -d, -f3,4 | awk -F, -v f="$work/exact_eps" 'BEGIN { getline e < f; split(e, r, ",") }
    { exit !(($1 - r[1])^2 + ($2 - r[2])^2 < 1e-10) }' && passes=$((passes + 1)) || { echo "FAIL: $kind field differs from exact"; failures=$((failures + 1)); }
done
check "field class out of range" 2 "$difflab" field --model oracle --dataset 8gaussians --t 3 --at 0,0 --class 8
expect_text "class range message" "$work/err" "--class = 8 is outside 0 … 7"
check "field one-class data" 2 "$difflab" field --model oracle --dataset gaussian --t 3 --at 0,0 --class 0
expect_text "one-class message" "$work/err" "single class (no labels)"
check "guidance without class" 2 "$difflab" field --model oracle --dataset moons --t 3 --at 0,0 --guidance 2
check "guidance kind unknown" 2 "$difflab" field --model oracle --dataset moons --t 3 --at 0,0 --class 1 --guidance-kind foo
check "guidance exact with a checkpoint" 2 "$difflab" field --model "$work/m.ckpt" --t 3 --at 0,0 --class 1 --guidance-kind exact
check "guidance negative" 2 "$difflab" field --model oracle --dataset moons --t 3 --at 0,0 --class 1 --guidance=-1
for s in ddpm ddim ode-heun; do
  check "sample guided $s" 0 "$difflab" sample --model oracle --dataset 8gaussians --class 2 --guidance 3 --sampler $s --n 200 --out "$work/g_$s.csv" --quiet
  expect_text "sample guided label column" "$work/g_$s.csv" "x,y,label"
  # Class 2 of 8gaussians is the mode at (0, 2): every sample above y = 1.
  awk -F, 'NR > 1 && $2 < 1 { bad = 1 } END { exit bad }' "$work/g_$s.csv" && passes=$((passes + 1)) || { echo "FAIL: $s guided samples not at class 2's mode"; failures=$((failures + 1)); }
done
check "sample tilted reference" 0 "$difflab" sample --model oracle --dataset 8gaussians --class 2 --guidance 3 --mcmc-tilted --n 200 --mcmc-levels 8 --mcmc-steps 20 --out "$work/tilted.csv"
expect_text "tilted summary" "$work/err" "tilted density p(x|y)^γ p(x)^(1−γ), class 2, γ = 3"
check "tilted on a point set at the data" 2 "$difflab" sample --model oracle --dataset moons --class 1 --mcmc-tilted --n 50 --out "$work/x.csv"
expect_text "tilted point-set message" "$work/err" "try --mcmc-t 0"
check "tilted without class" 2 "$difflab" sample --model oracle --dataset moons --mcmc-tilted --n 50 --out "$work/x.csv"

# --backend (issue 11): cpu|gl|auto everywhere a model runs; auto keeps the 99,074-parameter MLP on the CPU
# (kAutoGlMinParams = 1,000,000) and says so once; anything else is a usage error.
check "train bad backend" 2 "$difflab" train --dataset moons --steps 5 --backend tpu --out "$work/x.ckpt"
expect_text "bad backend message" "$work/err" "--backend must be cpu, gl or auto (not 'tpu')"
check "train auto backend" 0 "$difflab" train --dataset moons --steps 5 --backend auto --out "$work/auto.ckpt" --quiet
expect_text "auto note" "$work/err" "backend: auto: cpu (99074 parameters: a model this small runs faster on the CPU)"
[ "$(grep -c '^backend: ' "$work/err")" -eq 1 ] && passes=$((passes + 1)) || { echo "FAIL: auto note not once"; failures=$((failures + 1)); }
# A width-1024 MLP (over kAutoGlMinParams = 1,000,000 parameters): auto says what it chose (gl on a GPU; cpu on llvmpipe or
# without GL, and why).
check "train auto backend, large model" 0 "$difflab" train --dataset moons --steps 2 --width 1024 --depth 1 --backend auto --out "$work/big.ckpt" --quiet
expect_text "auto note, large model" "$work/err" "backend: auto: "
check "sample cpu backend" 0 "$difflab" sample --model "$work/auto.ckpt" --sampler ddim --steps 5 --n 20 --backend cpu --out "$work/s_cpu.csv" --quiet
check "field auto backend" 0 "$difflab" field --model "$work/auto.ckpt" --t 10 --at 0.5,0.5 --backend auto
check "eval bad backend" 2 "$difflab" eval --model "$work/auto.ckpt" --backend reference
check "bench cpu backend" 0 "$difflab" bench --backend cpu --seconds 0.05 --mlp off --unet none --gemm 64
expect_text "bench backend line" "$work/out" "backend cpu: CPU, "
expect_text "bench peak line" "$work/out" "assumed fp32 peak: "
expect_text "bench gemm row" "$work/out" "64 x 64 x 64"

# The mini-CLIP (issue 14 §2): help, usage errors, the shipped checkpoint, a 2-step run (needs Fashion-MNIST).
check "clip --help" 0 "$difflab" clip --help
check "train --model clip --help" 0 "$difflab" train --model clip --help
check "clip without --image or --zero-shot" 2 "$difflab" clip
check "clip --zero-shot with 2 prompts" 2 "$difflab" clip --zero-shot --prompts bolso,botín
if [ -e /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
  check "clip image json" 0 "$difflab" clip --image 0 --prompts "bolso,botín" --format json
  expect_text "clip image label" "$work/out" '"label": 9'
  expect_text "clip prompt tokens" "$work/out" '"tokens": "botín"'
  check "clip zero-shot" 0 "$difflab" clip --zero-shot --n 200
  expect_text "clip zero-shot ensemble" "$work/out" "ensemble (es + en)"
  check "train clip 2 steps" 0 "$difflab" train --model clip --steps 2 --batch 8 --eval-n 50 --out "$work/clip.ckpt" --quiet
  check "clip of a 2-D checkpoint" 1 "$difflab" clip --model "$work/auto.ckpt" --zero-shot
fi
# difflab finetune (lesson 18): bad inputs get clear messages; a short textual inversion writes a checkpoint
# whose token row `sample --class` reads.
if [ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ]; then
  ck="$(dirname "$0")/../../checkpoints"
  check "finetune missing base" 2 "$difflab" finetune --method dreambooth --base "$work/none.ckpt" --subject bag --out "$work/f.ckpt"
  expect_text "finetune missing base says so" "$work/err" "no such file"
  check "finetune no such class" 2 "$difflab" finetune --method textual-inversion --base "$ck/fashion-mnist-classroom-cond.ckpt" --subject purse --out "$work/f.ckpt"
  expect_text "finetune lists the classes" "$work/err" "8 Bag"
  check "finetune unconditional base" 2 "$difflab" finetune --method dreambooth --base "$ck/fashion-mnist-classroom.ckpt" --subject 8 --out "$work/f.ckpt"
  check "finetune bad token" 2 "$difflab" finetune --method dreambooth --base "$ck/fashion-mnist-classroom-cond.ckpt" --subject 8 --token 10 --out "$work/f.ckpt"
  check "finetune bad method" 2 "$difflab" finetune --method lora --base "$ck/fashion-mnist-classroom-cond.ckpt" --subject 8 --out "$work/f.ckpt"
  check "finetune bad backend" 2 "$difflab" finetune --method textual-inversion --backend cuda --base "$ck/fashion-mnist-classroom-cond.ckpt" --subject 8 --out "$work/f.ckpt"
  expect_text "finetune bad backend names the choices" "$work/err" "cpu, gl or auto"
  check "finetune textual inversion" 0 "$difflab" finetune --method textual-inversion --base "$ck/fashion-mnist-classroom-cond.ckpt" --subject bag --steps 2 --batch 2 --eval-per-class 0 --snapshot-every 0 --threads 1 --out "$work/ti.ckpt" --quiet
  check "finetune controlnet" 0 "$difflab" finetune --method controlnet --base "$ck/fashion-mnist-classroom-cond.ckpt" --steps 2 --batch 2 --control-n 2 --sample-steps 2 --control-scales 0,1 --threads 1 --quiet
  expect_text "controlnet step 0 line" "$work/out" "step 0 (zero convolutions): edge agreement"
  check "finetune controlnet --out" 0 "$difflab" finetune --method controlnet --base "$ck/fashion-mnist-classroom-cond.ckpt" --steps 1 --batch 2 --control-n 1 --sample-steps 1 --control-scales 0 --threads 1 --quiet --out "$work/cn.ckpt"
  check "sample a controlnet" 0 "$difflab" sample --model "$work/cn.ckpt" --control fashion-mnist --n 2 --sampler ddim --steps 2 --control-scale 0 --out "$work/cn.png" --quiet
  expect_text "controlnet sample agreement" "$work/out" "edge agreement"
  check "controlnet missing base" 2 "$difflab" sample --model "$work/cn.ckpt" --control fashion-mnist --control-base "$work/none.ckpt" --sampler ddim --steps 2 --out "$work/cn.png"
  expect_text "controlnet missing base says so" "$work/err" "is not there"
  head -c 4000 "$work/cn.ckpt" > "$work/cn-cut.ckpt"
  check "controlnet truncated" 2 "$difflab" sample --model "$work/cn-cut.ckpt" --control fashion-mnist --sampler ddim --steps 2 --out "$work/cn.png"
  expect_text "controlnet truncated says so" "$work/err" "truncated"
  check "ip-adapter missing base" 2 "$difflab" finetune --method ip-adapter --base "$work/none.ckpt" --out "$work/f.ipa"
  expect_text "ip-adapter missing base says so" "$work/err" "no such file"
  check "ip-adapter index out of range" 2 "$difflab" finetune --method ip-adapter --adapter "$ck/fashion-mnist-ip-adapter.ipa" --base "$ck/fashion-mnist-classroom-cond.ckpt" --image-prompt 10000 --eval-n 0 --quiet
  expect_text "ip-adapter index range" "$work/err" "the index must be 0 … 9999"
  printf '\x00\x00\x08\x03\x00\x00\x00\x01\x00\x00\x00\x04\x00\x00\x00\x04' > "$work/small.idx"
  head -c 16 /dev/zero >> "$work/small.idx"
  check "ip-adapter wrong image size" 2 "$difflab" finetune --method ip-adapter --adapter "$ck/fashion-mnist-ip-adapter.ipa" --base "$ck/fashion-mnist-classroom-cond.ckpt" --image-prompt "idx:$work/small.idx:0" --eval-n 0 --quiet
  expect_text "ip-adapter image size" "$work/err" "images are 4×4×1, the U-Net's are 28×28"
  check "ip-adapter trains" 0 "$difflab" finetune --method ip-adapter --base "$ck/fashion-mnist-classroom-cond.ckpt" --out "$work/f.ipa" --steps 2 --batch 2 --train-n 20 --eval-n 2 --sample-steps 2 --ip-scales 0,1 --threads 1 --quiet
  expect_text "ip-adapter verdict line" "$work/out" "null class, λ = 0: classifier agrees"
  check "ip-adapter samples from the shipped adapter" 0 "$difflab" finetune --method ip-adapter --adapter "$ck/fashion-mnist-ip-adapter.ipa" --image-prompt 0 --class 3 --samples 2 --sample-steps 2 --eval-n 0 --samples-out "$work/ip.png" --threads 1 --quiet
  check "sample with an ip-adapter" 0 "$difflab" sample --model "$ck/fashion-mnist-ip-adapter.ipa" --reference 0 --ip-scale 2 --label 3 --n 2 --sampler ddim --steps 2 --threads 1 --out "$work/ips.png" --quiet
  expect_text "ip-adapter sample line" "$work/err" "IP-Adapter λ = 2, reference test image 0 (class 9), label 3"
  [ -s "$work/ips.png" ] && passes=$((passes + 1)) || { echo "FAIL: sample --reference wrote no PNG"; failures=$((failures + 1)); }
  check "ip-adapter sample reference out of range" 2 "$difflab" sample --model "$ck/fashion-mnist-ip-adapter.ipa" --reference 10000 --sampler ddim --steps 2 --out "$work/ips.png"
  expect_text "ip-adapter sample reference range" "$work/err" "the test image index must be 0 … 9999"
  check "ip-adapter sample missing base" 2 "$difflab" sample --model "$ck/fashion-mnist-ip-adapter.ipa" --ip-base "$work/none.ckpt" --reference 0 --sampler ddim --steps 2 --out "$work/ips.png"
  expect_text "ip-adapter sample missing base says so" "$work/err" "does not exist"
  head -c 30000 "$ck/fashion-mnist-ip-adapter.ipa" > "$work/cut.ipa"
  check "ip-adapter sample truncated" 2 "$difflab" sample --model "$work/cut.ipa" --reference 0 --out "$work/ips.png"
  expect_text "ip-adapter sample truncated says so" "$work/err" "truncated IP-Adapter file"
  check "sample the learned token" 0 "$difflab" sample --model "$work/ti.ckpt" --class 8 --guidance 3 --sampler ddim --steps 2 --n 2 --out "$work/ti.png" --quiet
fi

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
