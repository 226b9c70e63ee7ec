#!/usr/bin/env bash
# Build everything that is missing, then run every test (kernel unit tests and the integration
# tests that run the host lmp with the plugin, on 1 and 2 MPI ranks).
# Extra arguments go to ctest, e.g.: tools/run-tests.sh -R thermal_cycle
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$("$repo/tools/build.sh")
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" "$@"
