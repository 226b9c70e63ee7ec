#!/usr/bin/env bash
# Run an example on all cores, then print its per-cycle table and write its figures. Without
# --example: the README's main job, examples/quickstart/in.quickstart (a small Cu64Zr36 glass put
# through cryogenic thermal cycles). Builds what is missing first.
#
#   tools/run-example.sh [--example quickstart|rejuvenation|glass|ctc-undeformed|shear-band-ctc]
#                        [lmp arguments]
#
# ctc-undeformed and shear-band-ctc read a glass of the glass example (as-quenched, annealed) and
# run that first if its output is missing; ctc-undeformed cycles both glasses (output/as_quenched,
# output/annealed) unless CRYOCYCLE_GLASS_DATA names one.
#
# Environment: CRYOCYCLE_NP (MPI ranks, default: number of cores), CRYOCYCLE_EXAMPLE_DIR (where
# the run writes its files, default examples/<name>/output).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
example=quickstart
if [[ ${1:-} == --example ]]; then
  example=${2:?--example needs a name}
  shift 2
fi
# per example: the files the plotting tool reads and what it plots
case $example in
  quickstart)
    report=ctc_report.txt series=ctc_timeseries.txt png=ctc.png
    plot_args=(--title "Cu64Zr36: cryogenic thermal cycling with fix thermal/cycle") ;;
  rejuvenation)
    report=rejuvenation_report.txt series=rejuvenation_series.txt png=rejuvenation.png
    plot_args=(--zones rj --histogram rj:1.0 --title "Sheared Cu64Zr36 glass: thermal cycles") ;;
  glass)
    report="" ;;
  ctc-undeformed | shear-band-ctc)
    if [[ $example == ctc-undeformed && -z ${CRYOCYCLE_GLASS_DATA:-} ]]; then
      # the comparison of the experiment: the as-quenched and the annealed glass, one run each
      for state in as_quenched annealed; do
        glass=$repo/examples/glass/output/glass_$state.data
        if [[ ! -f $glass ]]; then
          echo "No glass at $glass: running the glass example first"
          CRYOCYCLE_EXAMPLE_DIR=$repo/examples/glass/output "$0" --example glass
        fi
        echo "=== $state glass ==="
        CRYOCYCLE_GLASS_DATA=$glass \
          CRYOCYCLE_EXAMPLE_DIR=${CRYOCYCLE_EXAMPLE_DIR:-$repo/examples/ctc-undeformed/output}/$state \
          "$0" --example ctc-undeformed "$@"
      done
      exit 0
    fi
    if [[ $example == ctc-undeformed ]]; then
      report=ctc_report.txt series=ctc_timeseries.txt png=ctc.png glass_file=glass_as_quenched.data
      plot_args=(--title "Undeformed Cu64Zr36 glass ($(basename "$CRYOCYCLE_GLASS_DATA" .data)): thermal cycling")
    else
      report=sb_report.txt series=sb_series.txt png=sb.png glass_file=glass_annealed.data
      plot_args=(--zones total --histogram added:1.0 --bands sb_bands.txt --title "Shear bands through thermal cycles")
    fi
    glass=${CRYOCYCLE_GLASS_DATA:-$repo/examples/glass/output/$glass_file}
    if [[ ! -f $glass ]]; then
      echo "No glass at $glass: running the glass example first"
      CRYOCYCLE_EXAMPLE_DIR=$repo/examples/glass/output "$0" --example glass
    fi
    set -- -var data "$glass" "$@" ;;
  *)
    echo "unknown example: $example (quickstart, rejuvenation, glass, ctc-undeformed or shear-band-ctc)" >&2
    exit 2 ;;
esac

build=$("$repo/tools/build.sh")
lmp=$(sed -n 's/^LAMMPS_EXECUTABLE:FILEPATH=//p' "$build/CMakeCache.txt")
out=${CRYOCYCLE_EXAMPLE_DIR:-$repo/examples/$example/output}
np=${CRYOCYCLE_NP:-$(nproc)}
mkdir -p "$out"
cd "$out"

export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1
echo "Running examples/$example/in.$example on $np MPI ranks in $out (log: log.lammps)"
mpirun -np "$np" "$lmp" -in "$repo/examples/$example/in.$example" \
  -var plugin "$build/cryocycleplugin.so" -var potential "$repo/potentials/CuZr_mm.eam.fs" "$@" \
  | grep --line-buffered -E '^ *(Step|[0-9]+ )|Loop time|thermal/cycle|^GLASS|^CTC|^SB|ERROR|WARNING'
status=${PIPESTATUS[0]}
if ((status != 0)) || grep -q "ERROR" log.lammps; then
  echo "ERROR: the LAMMPS run failed; see $out/log.lammps" >&2
  exit 1
fi

if [[ -z $report ]]; then
  echo "Outputs in $out"
  exit 0
fi
echo
echo "Per-cycle hold means (fix thermal/cycle report $out/$report):"
/usr/bin/python3 "$repo/tools/plot_cycles.py" "$report" --series "$series" --png "$png" "${plot_args[@]}"
echo "Figures: $out/${png%.png}*.png"
