#!/usr/bin/env bash
# Build CryoCycle: install what is missing, provide the host LAMMPS, configure and build the plugin
# and its tests. Prints the build directory on stdout (logs go to stderr).
# Arguments go to the CMake configure step, e.g.: tools/build.sh -D CRYOCYCLE_SANITIZE=ON
#
# Environment:
#   CRYOCYCLE_LAMMPS_VERSION  host LAMMPS from tools/host-lammps.sh: 4Feb2025 (default) or 4Jul2026
#   CRYOCYCLE_BUILD_DIR       build directory (default: <repo>/build for the default host,
#                             <repo>/build-<version> for another)
#   LAMMPS_SOURCE_DIR         use your own LAMMPS: its src/ directory ...
#   LAMMPS_EXECUTABLE         ... and the lmp built from it with PKG_PLUGIN (skips tools/host-lammps.sh)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=lib/debian-packages.sh
source "$repo/tools/lib/debian-packages.sh"

# What building, testing, plotting, the documentation and the install test (environment-modules)
# need (the host LAMMPS script installs its own build needs).
ensure_debian_packages build-essential cmake ninja-build libgtest-dev libopenmpi-dev openmpi-bin \
  python3 python3-numpy python3-scipy python3-matplotlib python3-sphinx environment-modules >&2

if [[ -n "${LAMMPS_SOURCE_DIR:-}" || -n "${LAMMPS_EXECUTABLE:-}" ]]; then
  [[ -n "${LAMMPS_SOURCE_DIR:-}" && -n "${LAMMPS_EXECUTABLE:-}" ]] || {
    echo "ERROR: set both LAMMPS_SOURCE_DIR (<lammps>/src) and LAMMPS_EXECUTABLE (its lmp)" >&2; exit 1; }
  lammps_src=$LAMMPS_SOURCE_DIR
  lmp=$LAMMPS_EXECUTABLE
else
  version=${CRYOCYCLE_LAMMPS_VERSION:-4Feb2025}
  host=$("$repo/tools/host-lammps.sh" "$version")
  lammps_src=$host/src/lammps-$version/src
  lmp=$host/bin/lmp
fi

default_build=$repo/build
[[ "${version:-4Feb2025}" == 4Feb2025 ]] || default_build=$repo/build-$version
build=${CRYOCYCLE_BUILD_DIR:-$default_build}
cmake -S "$repo" -B "$build" -G Ninja -D LAMMPS_SOURCE_DIR="$lammps_src" \
      -D LAMMPS_EXECUTABLE="$lmp" "$@" >&2
cmake --build "$build" >&2
echo "$build"
