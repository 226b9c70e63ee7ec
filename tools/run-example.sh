#!/usr/bin/env bash
# The README's main job: build what is missing, put a small Cu64Zr36 glass through cryogenic
# thermal cycles (examples/quickstart/in.quickstart) on all cores, print the per-cycle table and
# write the figure.
#
# Environment: CRYOCYCLE_NP (MPI ranks, default: number of cores), CRYOCYCLE_EXAMPLE_DIR (where
# the run writes its files, default examples/quickstart/output). Arguments are passed to lmp,
# e.g.  tools/run-example.sh -var cycles 5 -var cells 10
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$("$repo/tools/build.sh")
lmp=$(sed -n 's/^LAMMPS_EXECUTABLE:FILEPATH=//p' "$build/CMakeCache.txt")
out=${CRYOCYCLE_EXAMPLE_DIR:-$repo/examples/quickstart/output}
np=${CRYOCYCLE_NP:-$(nproc)}
mkdir -p "$out"
cd "$out"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1
echo "Running examples/quickstart/in.quickstart on $np MPI ranks in $out (log: log.lammps)"
mpirun -np "$np" "$lmp" -in "$repo/examples/quickstart/in.quickstart" \
  -var plugin "$build/cryocycleplugin.so" -var potential "$repo/potentials/CuZr_mm.eam.fs" "$@" \
  | grep --line-buffered -E '^ *(Step|[0-9]+ )|Loop time|thermal/cycle|ERROR|WARNING'
status=${PIPESTATUS[0]}
if ((status != 0)) || grep -q "ERROR" log.lammps; then
  echo "ERROR: the LAMMPS run failed; see $out/log.lammps" >&2
  exit 1
fi

echo
echo "Per-cycle hold means (fix thermal/cycle report $out/ctc_report.txt):"
/usr/bin/python3 "$repo/tools/plot_cycles.py" ctc_report.txt --series ctc_timeseries.txt \
  --png ctc.png --title "Cu64Zr36: cryogenic thermal cycling with fix thermal/cycle"
echo "Figure: $out/ctc.png"
