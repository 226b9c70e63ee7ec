#!/usr/bin/env bash
# Build everything that is missing, then run every test (kernel unit tests and the integration
# tests that run the host lmp with the plugin, on 1 and 2 MPI ranks).
# Extra arguments go to ctest, e.g.: tools/run-tests.sh -R thermal_cycle
#
# tools/run-tests.sh --host VERSION [ctest arguments]: the same against another host LAMMPS of
# tools/host-lammps.sh (4Jul2026), built in <repo>/build-VERSION. The plugin and lmp of the default
# host (4Feb2025, <repo>/build) are built too and passed as the second host of the tests that
# compare versions (test_versions.py: per-atom values of both hosts, refusal of a plugin built for
# the other version).
#
# tools/run-tests.sh --sanitize [ctest arguments]: the sanitizer part of CI instead. A second build
# (CRYOCYCLE_SANITIZE_BUILD_DIR, default <repo>/build-asan) with -D CRYOCYCLE_SANITIZE=ON (ASan and
# UBSan, any finding fails), running the tests labelled "sanitize": all kernel unit tests and a
# few integration cases of every style (listed in unittest/CMakeLists.txt).
#
# tools/run-tests.sh --many-ranks [ctest arguments]: the tests on 8 and 16 MPI ranks (label
# manyranks, unittest/integration/test_many_ranks.py; oversubscribed, a few minutes on 2 cores),
# which the other modes leave out.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
readonly DEFAULT_HOST=4Feb2025
many_ranks=(-LE manyranks)
if [[ "${1:-}" == --many-ranks ]]; then
  shift
  build=$("$repo/tools/build.sh")
  many_ranks=(-L manyranks)
elif [[ "${1:-}" == --sanitize ]]; then
  shift
  build=$(CRYOCYCLE_BUILD_DIR=${CRYOCYCLE_SANITIZE_BUILD_DIR:-$repo/build-asan} \
          "$repo/tools/build.sh" -D CRYOCYCLE_SANITIZE=ON -D CRYOCYCLE_DOCS=OFF)
  set -- -L sanitize "$@"
elif [[ "${1:-}" == --host ]]; then
  host=${2:?--host needs a LAMMPS version (4Feb2025, 4Jul2026)}
  shift 2
  other=()
  if [[ "$host" != "$DEFAULT_HOST" ]]; then
    other_build=$(CRYOCYCLE_LAMMPS_VERSION=$DEFAULT_HOST "$repo/tools/build.sh")
    other_lmp=$("$repo/tools/host-lammps.sh" "$DEFAULT_HOST")/bin/lmp
    other=(-D CRYOCYCLE_OTHER_LMP="$other_lmp" -D CRYOCYCLE_OTHER_PLUGIN="$other_build/cryocycleplugin.so")
  fi
  build=$(CRYOCYCLE_LAMMPS_VERSION=$host "$repo/tools/build.sh" "${other[@]}")
else
  build=$("$repo/tools/build.sh")
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "${many_ranks[@]}" "$@"
