#!/usr/bin/env bash
# Builds Debian's oneTBB with ThreadSanitizer, for the `tsan` preset (docs/reliability.md).
# TSan sees only the synchronisation of code it instruments, so against the packaged
# libtbb it reports a false race in every parallel_for; Debian ships no instrumented one.
#
#   bash scripts/build_tsan_tbb.sh [PREFIX]        (default build/tbb-tsan)
#   VCSIM_TSAN_TBB_DIR=$PWD/build/tbb-tsan/lib/cmake/TBB cmake --preset tsan
#
# It fetches the source of the installed libtbb's version from Debian's archive with a
# private apt source list (the machine's own lists are left alone) and needs dpkg-dev.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$(realpath -m "${1:-build/tbb-tsan}")
command -v dpkg-source >/dev/null || { echo "build_tsan_tbb: needs dpkg-dev (apt-get install dpkg-dev)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
mkdir -p "$work/lists/partial" "$work/archives/partial"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $codename main" \
  >"$work/sources.list"
apt=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=-"
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives")
apt-get "${apt[@]}" update -qq
version=$(dpkg-query -W -f '${source:Version}' libtbb12 2>/dev/null || true)
(cd "$work" && apt-get "${apt[@]}" source -qq "onetbb${version:+=$version}")
source_dir=$(find "$work" -maxdepth 1 -type d -name 'onetbb-*' | head -1)
flags="-fsanitize=thread -fno-omit-frame-pointer -g -O1"
cmake -S "$source_dir" -B "$work/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" -DTBB_TEST=OFF -DTBB_STRICT=OFF \
  -DTBBMALLOC_BUILD=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$work/build" -j"$(nproc)"
cmake --install "$work/build" >/dev/null
echo "built: VCSIM_TSAN_TBB_DIR=$prefix/lib/cmake/TBB"
