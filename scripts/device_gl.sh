#!/usr/bin/env bash
# device_gl.sh — the GPU check of issue 11 as one prepared run on a lent NVIDIA machine (the `device` tool):
# GL op table, CPU-vs-GL parity, and `difflab bench --backend gl`, all headless through EGL, results under
# $OUT. Not a build script for this machine and not part of CI (CI has no GPU).
#
# The device machine is bare: build here first, then carry the build and the GL loader packages.
#   cmake -S . -B build/device -G Ninja -DCMAKE_BUILD_TYPE=Release -DDIFFLAB_NATIVE=OFF -DDIFFLAB_GUI=OFF
#   cmake --build build/device -j2 --target difflab test_backend_ops test_backend_parity test_finetune_gl
#   echo /.gl/ >> .git/info/exclude; mkdir -p .gl /tmp/amd64/partial
#   o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
#   apt-get $o update; (cd .gl && apt-get $o download libegl1 libglvnd0 libopengl0 libgl1 libglx0 \
#     libgles2 libepoxy0 libstb0)
# then: device run, carry [build/device, .gl], command `bash scripts/device_gl.sh`, timeout_s 540.
set -uo pipefail
out=${OUT:-/tmp/device_out}
mkdir -p "$out"
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
export __EGL_VENDOR_LIBRARY_FILENAMES=${__EGL_VENDOR_LIBRARY_FILENAMES:-/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json}
b=build/device
{
  date -u
  nvidia-smi --query-gpu=name,driver_version,clocks.max.sm --format=csv 2>&1
  timeout 120 "$b/tests/nn/test_backend_ops" -b gl 2>&1 | tail -40
  timeout 120 "$b/tests/nn/test_backend_ops" -b gl --perf 2>&1 | tail -60
} | tee "$out/ops.txt"
timeout 150 "$b/tests/train/test_backend_parity" 2>&1 | tail -30 | tee "$out/parity.txt"
timeout 200 "$b/src/app/difflab" bench --backend gl --unet classroom,A,B --gemm 256,1024,4096 2>&1 |
  tee "$out/bench_gl.txt"
# Lesson 18's live paths on the GPU (its "How long it takes" slide): the finetune parity, then each method
# with the shipped checkpoint's settings through --backend gl, wall-clock per run.
timeout 60 "$b/tests/train/test_finetune_gl" 2>&1 | tail -5 | tee "$out/finetune_parity.txt"
{
  for m in "textual-inversion --base checkpoints/fashion-mnist-9class-cond.ckpt --subject bag --steps 300" \
    "dreambooth --base checkpoints/fashion-mnist-9class-cond.ckpt --subject bag --steps 200" \
    "controlnet --base checkpoints/fashion-mnist-classroom-cond.ckpt --steps 400 --control-n 16" \
    "ip-adapter --base checkpoints/fashion-mnist-classroom-cond.ckpt --steps 1000 --lr 2e-3 --eval-n 100"; do
    start=$(date +%s%N)
    # shellcheck disable=SC2086
    timeout 120 "$b/src/app/difflab" finetune --method $m --backend gl --quiet --snapshot-every 0 \
      --out "/tmp/ft.out" 2>&1 | tail -3
    echo "finetune --method $m --backend gl: $((($(date +%s%N) - start) / 1000000)) ms"
  done
} | tee "$out/finetune_gl.txt"
