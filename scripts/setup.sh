#!/usr/bin/env bash
# Installs the Debian packages vcsim needs to build, test and analyse, when missing.
# Idempotent and non-interactive; runs as root or through sudo.
set -euo pipefail

packages=(
  build-essential cmake pkg-config clang-format
  libeigen3-dev libboost-dev libboost-random-dev libtbb-dev
  libhdf5-dev zlib1g-dev catch2 librandom123-dev libtomlplusplus-dev libcli11-dev
  libbenchmark-dev
  libcpp-httplib-dev nlohmann-json3-dev chromium chromium-driver python3-selenium
  python3-h5py python3-numpy python3-pandas python3-matplotlib python3-scipy
  python3-pytest python3-xarray python3-h5netcdf
  openmpi-bin libopenmpi-dev
  clang libclang-rt-14-dev
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "vcsim setup: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
