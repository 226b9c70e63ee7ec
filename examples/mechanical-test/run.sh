#!/usr/bin/env bash
# The tension test of examples/mechanical-test for every glass, with replicas, then
# tools/stress_strain.py over all curves (one label per glass) and its figure.
#
#   examples/mechanical-test/run.sh [--replicas N] [LABEL=GLASS.data ...] [lmp arguments]
#
# Without LABEL=GLASS.data: the glasses the other examples write, those that exist:
#   as_quenched         examples/glass/output/glass_as_quenched.data
#   annealed            examples/glass/output/glass_annealed.data
#   as_quenched_cycled  examples/ctc-undeformed/output/as_quenched/glass_after_cycles.data
#   annealed_cycled     examples/ctc-undeformed/output/annealed/glass_after_cycles.data
# (runs examples/glass first if its glasses are missing; the cycled glasses come from
# `tools/run-example.sh --example ctc-undeformed`, add `-var dsc 0` to skip its DSCs).
# --replicas N (default 4): N tension tests per glass in one mpirun (lmp -partition Nx1, velocity
# seeds seed ... seed+N-1); each glass writes output/<label>/stress_strain.<i>.txt (with N = 1:
# stress_strain.txt) and its log; then stress_strain.py prints E, yield, peak, flow stress and
# overshoot per curve and their means with 95 % confidence intervals per glass
# (output/stress_strain_summary.txt, output/stress_strain.png). lmp arguments (-var name value)
# go to every test, e.g. -var temp 50 -var erate 0.001; the tool's windows follow -var strain
# only through STRESS_STRAIN_ARGS (e.g. STRESS_STRAIN_ARGS="--flow-window 0.15 0.2").
#
# Environment: CRYOCYCLE_NP (MPI ranks, default: number of cores), CRYOCYCLE_EXAMPLE_DIR (output
# directory, default examples/mechanical-test/output), CRYOCYCLE_LMP (an lmp to use; unset:
# tools/build.sh builds what is missing and provides the host lmp; no plugin is needed).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
replicas=4
if [[ ${1:-} == --replicas ]]; then
  replicas=${2:?--replicas needs a number}
  shift 2
fi
if ! [[ $replicas =~ ^[1-9][0-9]*$ ]]; then
  echo "--replicas needs a whole number of replicas >= 1, not '$replicas'" >&2
  exit 2
fi
labels=() glasses=()
while [[ ${1:-} == *=* && ${1:-} != -* ]]; do
  labels+=("${1%%=*}") glasses+=("${1#*=}")
  shift
done
if ((${#labels[@]} == 0)); then
  if [[ ! -f $repo/examples/glass/output/glass_as_quenched.data ]]; then
    echo "No glasses in examples/glass/output: running the glass example first"
    CRYOCYCLE_EXAMPLE_DIR=$repo/examples/glass/output "$repo/tools/run-example.sh" --example glass
  fi
  for pair in as_quenched=examples/glass/output/glass_as_quenched.data \
              annealed=examples/glass/output/glass_annealed.data \
              as_quenched_cycled=examples/ctc-undeformed/output/as_quenched/glass_after_cycles.data \
              annealed_cycled=examples/ctc-undeformed/output/annealed/glass_after_cycles.data; do
    if [[ -f $repo/${pair#*=} ]]; then
      labels+=("${pair%%=*}") glasses+=("$repo/${pair#*=}")
    else
      echo "No ${pair%%=*} glass ($repo/${pair#*=}): skipped (the cycled glasses: tools/run-example.sh --example ctc-undeformed)"
    fi
  done
fi
for glass in "${glasses[@]}"; do
  [[ -f $glass ]] || { echo "no glass data file $glass" >&2; exit 2; }
done

lmp=${CRYOCYCLE_LMP:-}
if [[ -z $lmp ]]; then
  build=$("$repo/tools/build.sh")
  lmp=$(sed -n 's/^LAMMPS_EXECUTABLE:FILEPATH=//p' "$build/CMakeCache.txt")
fi
out=${CRYOCYCLE_EXAMPLE_DIR:-$repo/examples/mechanical-test/output}
np=${CRYOCYCLE_NP:-$(nproc)}
per=$((np / replicas > 0 ? np / replicas : 1))
oversubscribe=()
if ((per * replicas > $(nproc))); then oversubscribe=(--oversubscribe); fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1

curves=()
for k in "${!labels[@]}"; do
  label=${labels[$k]} glass=$(cd "$(dirname "${glasses[$k]}")" && pwd)/$(basename "${glasses[$k]}")
  mkdir -p "$out/$label"
  echo "=== $label: $glass, $replicas replicas of $per MPI ranks in $out/$label ==="
  if ((replicas > 1)); then
    (cd "$out/$label" && mpirun "${oversubscribe[@]}" -np $((per * replicas)) "$lmp" -nocite \
       -partition "${replicas}x$per" -in "$repo/examples/mechanical-test/in.mechanical-test" \
       -var replicas "$replicas" -var data "$glass" -var potential "$repo/potentials/CuZr_mm.eam.fs" "$@" \
       > screen.txt 2>&1) || true
    logs=("$out/$label"/log.lammps.*)
    curves+=("$label=$out/$label/stress_strain.*.txt")
  else
    (cd "$out/$label" && mpirun "${oversubscribe[@]}" -np "$np" "$lmp" -nocite \
       -in "$repo/examples/mechanical-test/in.mechanical-test" -var data "$glass" \
       -var potential "$repo/potentials/CuZr_mm.eam.fs" "$@" > screen.txt 2>&1) || true
    logs=("$out/$label/log.lammps")
    curves+=("$label=$out/$label/stress_strain.txt")
  fi
  if grep -q "ERROR" "$out/$label/screen.txt" "${logs[@]}" || ! grep -q "^TENSION" "${logs[@]}"; then
    echo "ERROR: the LAMMPS run failed; see $out/$label/screen.txt and its logs" >&2
    exit 1
  fi
  grep -h "^TENSION" "${logs[@]}"
done

echo
# shellcheck disable=SC2086
/usr/bin/python3 "$repo/tools/stress_strain.py" "${curves[@]}" ${STRESS_STRAIN_ARGS:-} \
  --out "$out/stress_strain_summary.txt" --plot "$out/stress_strain.png" \
  --title "Cu64Zr36 glasses: uniaxial tension after cryogenic thermal cycling"
