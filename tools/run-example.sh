#!/usr/bin/env bash
# Run an example on all cores, then print its per-cycle table and write its figures. Without
# --example: the README's main job, examples/quickstart/in.quickstart (a small Cu64Zr36 glass put
# through cryogenic thermal cycles). Builds what is missing first.
#
#   tools/run-example.sh [--example quickstart|rejuvenation|glass|ctc-undeformed|shear-band-ctc]
#                        [--replicas N] [lmp arguments]
#
# ctc-undeformed and shear-band-ctc read a glass of the glass example (as-quenched, annealed) and
# run that first if its output is missing; ctc-undeformed cycles both glasses (output/as_quenched,
# output/annealed) unless CRYOCYCLE_GLASS_DATA names one, and compares their virtual DSC scans
# (output/dsc.png).
#
# --replicas N: N independent replicas in one mpirun with LAMMPS's multi-partition mode
# (-partition, -var replicas N): replica i draws its velocities from seed+i-1 and writes its files
# with the suffix .i (report ctc_report.i.txt, log log.lammps.<i-1>); then tools/ensemble_cycles.py
# prints mean, standard error and slopes over the N reports and plots them with error bars. The
# ranks are shared out: CRYOCYCLE_NP/N per replica, at least 1 (oversubscribed when N > NP).
#
# Environment: CRYOCYCLE_NP (MPI ranks, default: number of cores), CRYOCYCLE_EXAMPLE_DIR (where
# the run writes its files, default examples/<name>/output).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
example=quickstart
replicas=1
while [[ ${1:-} == --example || ${1:-} == --replicas ]]; do
  if [[ $1 == --example ]]; then example=${2:?--example needs a name}; fi
  if [[ $1 == --replicas ]]; then replicas=${2:?--replicas needs a number}; fi
  shift 2
done
if ! [[ $replicas =~ ^[1-9][0-9]*$ ]]; then
  echo "--replicas needs a whole number of replicas >= 1, not '$replicas'" >&2
  exit 2
fi
# per example: the files the plotting tool reads and what it plots
case $example in
  quickstart)
    report=ctc_report.txt series=ctc_timeseries.txt png=ctc.png
    plot_args=(--title "Cu64Zr36: cryogenic thermal cycling with fix thermal/cycle")
    ensemble_args=("${plot_args[@]}") ;;
  rejuvenation)
    report=rejuvenation_report.txt series=rejuvenation_series.txt png=rejuvenation.png
    plot_args=(--zones rj --zone-value rj:8:icosahedral --zone-value rj:11:pe_spread --histogram rj:1.0
               --title "Sheared Cu64Zr36 glass: thermal cycles")
    ensemble_args=(--zones rj --title "Sheared Cu64Zr36 glass: thermal cycles") ;;
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
          "$0" --example ctc-undeformed --replicas "$replicas" "$@"
      done
      # the virtual DSCs at the end of each run (unless -var dsc 0): all four in one figure; the
      # files of replicas (dsc_before_cycles.i.txt, ...) share their label, so compare_scans.py
      # gives their mean H_rel and its standard error
      out=${CRYOCYCLE_EXAMPLE_DIR:-$repo/examples/ctc-undeformed/output}
      scans=()
      for state in as_quenched annealed; do
        for when in before after; do
          for file in "$out/$state/dsc_${when}_cycles.txt" "$out/$state/dsc_${when}_cycles".*.txt; do
            [[ -f $file ]] && scans+=("$state, $when cycles=$file")
          done
        done
      done
      if ((${#scans[@]})); then
        echo
        echo "Virtual DSC (fix thermal/scan files in $out/*/dsc_*_cycles.txt):"
        /usr/bin/python3 "$repo/tools/compare_scans.py" "${scans[@]}" --png "$out/dsc.png" \
          --title "Cu64Zr36 glasses before and after cryogenic cycling: virtual DSC"
      fi
      exit 0
    fi
    if [[ $example == ctc-undeformed ]]; then
      report=ctc_report.txt series=ctc_timeseries.txt png=ctc.png glass_file=glass_as_quenched.data
      plot_args=(--title "Undeformed Cu64Zr36 glass ($(basename "$CRYOCYCLE_GLASS_DATA" .data)): thermal cycling")
      ensemble_args=("${plot_args[@]}")
    else
      report=sb_report.txt series=sb_series.txt png=sb.png glass_file=glass_annealed.data
      # the zones frozen at the end of loading, whose matrix is the control (the zones re-evaluated at
      # every report, c_total, have a matrix at 0 by construction; they are in the report too)
      plot_args=(--zones frozen --histogram added:1.0 --bands sb_bands.txt --title "Shear bands through thermal cycles")
      # zones re-evaluated at every report (total) and frozen at the end of loading (frozen)
      ensemble_args=(--zones total --zones frozen --hold cold --title "Shear bands through thermal cycles"
                     --columns cold_pe hot_pe "cold:c_total[*][4]" "cold:c_frozen[*][4]"
                     "hot:c_total[*][4]" "hot:c_frozen[*][4]")
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
if ((replicas > 1)); then
  # one partition per replica (LAMMPS -partition); screen output goes to screen.<i-1>
  per=$((np / replicas > 0 ? np / replicas : 1))
  oversubscribe=()
  if ((per * replicas > $(nproc))); then oversubscribe=(--oversubscribe); fi
  echo "Running examples/$example/in.$example as $replicas replicas of $per MPI ranks in $out" \
       "(logs: log.lammps.0 ... log.lammps.$((replicas - 1)))"
  mpirun "${oversubscribe[@]}" -np $((per * replicas)) "$lmp" -partition "${replicas}x$per" \
    -in "$repo/examples/$example/in.$example" -var replicas "$replicas" \
    -var plugin "$build/cryocycleplugin.so" -var potential "$repo/potentials/CuZr_mm.eam.fs" "$@"
  status=$?
  logs=(log.lammps.*)
  if ((status != 0)) || grep -q "ERROR" log.lammps "${logs[@]}"; then
    echo "ERROR: the LAMMPS run failed; see $out/log.lammps*" >&2
    exit 1
  fi
  for ((i = 1; i <= replicas; i++)); do
    grep -h -E '^GLASS|^CTC|^SB' "log.lammps.$((i - 1))" | sed "s/^/replica $i: /" || true
  done
  if [[ -z $report ]]; then
    echo "Outputs in $out"
    exit 0
  fi
  reports=()
  for ((i = 1; i <= replicas; i++)); do reports+=("${report%.txt}.$i.txt"); done
  echo
  echo "Ensemble of $replicas replicas (reports ${report%.txt}.1.txt ... ${report%.txt}.$replicas.txt):"
  /usr/bin/python3 "$repo/tools/ensemble_cycles.py" "${reports[@]}" --png "ensemble_${png}" \
    --out "ensemble_${report}" "${ensemble_args[@]}"
  echo "Figures: $out/ensemble_${png%.png}*.png"
  exit 0
fi

echo "Running examples/$example/in.$example on $np MPI ranks in $out (log: log.lammps)"
mpirun -np "$np" "$lmp" -in "$repo/examples/$example/in.$example" \
  -var plugin "$build/cryocycleplugin.so" -var potential "$repo/potentials/CuZr_mm.eam.fs" "$@" \
  | grep --line-buffered -E '^ *(Step|[0-9]+ )|Loop time|thermal/cycle|thermal/scan|^GLASS|^CTC|^SB|^DSC|ERROR|WARNING'
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
