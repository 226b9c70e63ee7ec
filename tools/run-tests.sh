#!/usr/bin/env bash
# Build everything that is missing, then run every test (kernel unit tests and the integration
# tests that run the host lmp with the plugin, on 1 and 2 MPI ranks).
# Extra arguments go to ctest, e.g.: tools/run-tests.sh -R thermal_cycle
#
# tools/run-tests.sh --sanitize [ctest arguments]: the sanitizer part of CI instead. A second build
# (CRYOCYCLE_SANITIZE_BUILD_DIR, default <repo>/build-asan) with -D CRYOCYCLE_SANITIZE=ON (ASan and
# UBSan, any finding fails), running the tests labelled "sanitize": all kernel unit tests and a
# few integration cases of every style (listed in unittest/CMakeLists.txt).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ "${1:-}" == --sanitize ]]; then
  shift
  build=$(CRYOCYCLE_BUILD_DIR=${CRYOCYCLE_SANITIZE_BUILD_DIR:-$repo/build-asan} \
          "$repo/tools/build.sh" -D CRYOCYCLE_SANITIZE=ON)
  set -- -L sanitize "$@"
else
  build=$("$repo/tools/build.sh")
fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@"
