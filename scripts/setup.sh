#!/usr/bin/env bash
# Installs the Debian 12 packages Diffusion Lab needs to build, test and run.
# Idempotent and quiet when everything is already there; not a build script.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config clang clang-format libclang-rt-dev
  libeigen3-dev doctest-dev libstb-dev zlib1g-dev
  libimgui-dev libglfw3-dev libepoxy-dev libegl-dev libgl-dev libgl1-mesa-dri
  fonts-dejavu-core fonts-dejavu-extra dataset-fashion-mnist
  xvfb xauth xdotool
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0
echo "setup: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
