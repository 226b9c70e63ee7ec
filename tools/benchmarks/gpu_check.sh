#!/usr/bin/env bash
# gpu_check.sh: CryoCycle on a GPU node. Builds the plugin against an accelerated LAMMPS (KOKKOS
# with CUDA, or the GPU package), runs the quick-start Cu64Zr36 glass (>= 1e5 atoms by default)
# with and without each CryoCycle style, in the accelerated mode and as a plain CPU reference with
# the same lmp, and prints the time per MD step and its ratio to the plain MD step of the same mode
# (LAMMPS's own "Loop time" of the timed runs), and the per-cycle hold energies of fix thermal/cycle
# of the accelerated run next to those of the CPU run, with their difference in meV/atom and
# whether it is below a stated threshold (default 0.5 meV/atom).
#
# Usage:
#   tools/benchmarks/gpu_check.sh --mode MODE --lmp LMP (--lammps-src DIR | --plugin SO) [options]
#
#   --mode kokkos-cuda   the accelerated runs use -k on g G -sf kk [-pk kokkos WORDS]
#          gpu           -sf gpu -pk gpu G [WORDS]
#          omp           -sf omp -pk omp T [WORDS] (OpenMP threads on the CPU)
#          cpu           no accelerator: the "accelerated" runs are CPU runs too (the path the
#                        test suite runs; the comparison with the reference must then be exact)
#   --lmp PATH           lmp of the accelerated LAMMPS, built with PKG_PLUGIN (default: $LMP, or
#                        lmp on PATH); the CPU reference runs the same lmp without accelerator
#                        switches
#   --lammps-src DIR     the src/ directory that lmp was built from: build the plugin against it
#                        (cmake, plugin only, into --build-dir; the project's build/ and cached
#                        host LAMMPS are not touched)
#   --build-dir DIR      where --lammps-src builds (default: <repo>/build-gpu-check)
#   --plugin PATH        an already built cryocycleplugin.so for that lmp (instead of --lammps-src)
#   --gpus G             GPUs per node (kokkos-cuda, gpu; default 1)
#   --threads T          OpenMP threads per rank (omp; default 2)
#   --pk "WORDS"         more package options, e.g. --pk "neigh half newton on" (kokkos-cuda)
#   --np N               MPI ranks of the accelerated runs (default 1; mpirun -np N when N > 1)
#   --cpu-np N           MPI ranks of the CPU reference runs (default: --np; use the node's cores)
#   --mpirun "CMD"       launcher of the accelerated runs instead of "mpirun -np N" (e.g. "srun -n 4")
#   --cpu-mpirun "CMD"   launcher of the CPU runs (default: "mpirun -np <cpu-np>" when > 1)
#   --cells N            fcc cells per box edge, 4 atoms each (default 30: 108000 atoms)
#   --melt-steps N       melt at 2000 K (default 5000, the quick start's)
#   --quench-rate R      quench 2000 K -> 300 K at R K/ps (default 100, the quick start's)
#   --glass FILE         use this glass data file instead of making one (skips melt and quench)
#   --steps N            timed MD steps per run (default 500)
#   --warmup N           untimed MD steps before them (default 50)
#   --repeat N           repetitions of every run (default 3)
#   --every N            thermo output, and so the evaluation of the computes, every N steps (default 10)
#   --cycles N           thermal cycles 300 K <-> 77 K in the timed run of fix thermal/cycle (default 2)
#   --sample N           every keyword of fix thermal/cycle and fix thermal/scan (default 10)
#   --threshold X        largest per-cycle difference allowed, meV/atom (default 0.5)
#   --workdir DIR        where the inputs, logs and reports go (default: a new /tmp/gpu_check.XXXXXX)
#   -h, --help           this text
#
# Variants (each a separate lmp run, in each mode): md (the MD step alone: EAM/FS, fix npt, no
# CryoCycle style), cycle (+ fix thermal/cycle 300 K <-> 77 K, the cycles filling the timed run),
# scan (+ fix thermal/scan 300 -> 400 K over the timed run), strain (+ compute strain/atom
# evaluated every --every steps), sbzone (+ compute sbzone/atom track yes on it, every --every steps).
# Every run reads the same glass (made once, by the accelerated mode), runs --warmup untimed steps,
# then --steps timed steps. Exit codes: 0 all runs done and the per-cycle differences below the
# threshold, 1 a run failed or a difference is not below it, 2 bad usage, or logs that gpu_check.py
# cannot read (one line on stderr).
# The table is printed by gpu_check.py (python3, standard library only) from the logs it leaves in
# the work directory: log.<acc|cpu>.<variant>.<repetition>, ctc.<acc|cpu>.<repetition>.txt.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
me=gpu_check.sh

usage_error() { echo "$me: error: $*" >&2; exit 2; }
failure() { echo "$me: error: $*" >&2; exit 1; }

mode="" lmp=${LMP:-} lammps_src="" build_dir=$repo/build-gpu-check plugin=""
gpus=1 threads=2 pk="" np=1 cpu_np="" launcher="" cpu_launcher="" launcher_set=0 cpu_launcher_set=0
cells=30 melt_steps=5000 quench_rate=100 glass="" steps=500 warmup=50 repeat=3 every=10 cycles=2
sample=10 threshold=0.5 workdir=""

while (($#)); do
  opt=$1
  case $opt in
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --mode|--lmp|--lammps-src|--build-dir|--plugin|--gpus|--threads|--pk|--np|--cpu-np|--mpirun|\
    --cpu-mpirun|--cells|--melt-steps|--quench-rate|--glass|--steps|--warmup|--repeat|--every|\
    --cycles|--sample|--threshold|--workdir)
      (($# >= 2)) || usage_error "$opt needs a value"
      value=$2
      shift 2 ;;
    *) usage_error "unknown option '$opt' (see --help)" ;;
  esac
  case $opt in
    --mode) mode=$value ;;
    --lmp) lmp=$value ;;
    --lammps-src) lammps_src=$value ;;
    --build-dir) build_dir=$value ;;
    --plugin) plugin=$value ;;
    --gpus) gpus=$value ;;
    --threads) threads=$value ;;
    --pk) pk=$value ;;
    --np) np=$value ;;
    --cpu-np) cpu_np=$value ;;
    --mpirun) launcher=$value; launcher_set=1 ;;
    --cpu-mpirun) cpu_launcher=$value; cpu_launcher_set=1 ;;
    --cells) cells=$value ;;
    --melt-steps) melt_steps=$value ;;
    --quench-rate) quench_rate=$value ;;
    --glass) glass=$value ;;
    --steps) steps=$value ;;
    --warmup) warmup=$value ;;
    --repeat) repeat=$value ;;
    --every) every=$value ;;
    --cycles) cycles=$value ;;
    --sample) sample=$value ;;
    --threshold) threshold=$value ;;
    --workdir) workdir=$value ;;
  esac
done

# ---- check the arguments: every refusal is one line and exit code 2 -------------------------------
positive_int() {    # name value [minimum]
  if ! [[ $2 =~ ^[0-9]+$ ]] || ((10#$2 < ${3:-1})); then
    usage_error "--$1 must be an integer >= ${3:-1}, got '$2'"
  fi
}
positive_number() {
  if ! [[ $2 =~ ^[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$ ]] || ! awk -v x="$2" 'BEGIN { exit !(x > 0) }'; then
    usage_error "--$1 must be a number > 0, got '$2'"
  fi
}
case $mode in
  kokkos-cuda|gpu|omp|cpu) ;;
  "") usage_error "--mode is required: kokkos-cuda, gpu, omp or cpu" ;;
  *) usage_error "unknown --mode '$mode': kokkos-cuda, gpu, omp or cpu" ;;
esac
for pair in gpus:$gpus threads:$threads np:$np cells:$cells steps:$steps repeat:$repeat every:$every \
            cycles:$cycles sample:$sample; do
  positive_int "${pair%%:*}" "${pair#*:}"
done
positive_int melt-steps "$melt_steps" 0
positive_int warmup "$warmup" 0
cpu_np=${cpu_np:-$np}
positive_int cpu-np "$cpu_np"
positive_number quench-rate "$quench_rate"
positive_number threshold "$threshold"
# the schedule of fix thermal/cycle needs a few steps per segment (4 segments per cycle)
((steps >= 16 * cycles)) || usage_error "--steps $steps is too short for $cycles cycles: at least $((16 * cycles))"

[[ -n $lmp ]] || lmp=$(command -v lmp || true)
[[ -n $lmp ]] || usage_error "no lmp: give --lmp PATH (or set LMP)"
if [[ $lmp != */* ]]; then
  lmp_found=$(command -v "$lmp" || true)
  [[ -n $lmp_found ]] || usage_error "--lmp '$lmp' is not a command on PATH"
  lmp=$lmp_found
fi
[[ -f $lmp && -x $lmp ]] || usage_error "--lmp '$lmp' is not an executable file"
lmp=$(cd "$(dirname "$lmp")" && pwd)/$(basename "$lmp")

if [[ -n $plugin && -n $lammps_src ]]; then
  usage_error "give either --plugin or --lammps-src, not both"
elif [[ -z $plugin && -z $lammps_src ]]; then
  usage_error "give --lammps-src DIR (build the plugin against lmp's sources) or --plugin PATH"
elif [[ -n $plugin ]]; then
  [[ -f $plugin ]] || usage_error "--plugin '$plugin' is not a file"
  plugin=$(cd "$(dirname "$plugin")" && pwd)/$(basename "$plugin")
else
  [[ -f $lammps_src/lammpsplugin.h && -f $lammps_src/version.h ]] ||
    usage_error "--lammps-src '$lammps_src' is not a LAMMPS src/ directory (no lammpsplugin.h, version.h)"
fi
if [[ -n $glass ]]; then
  [[ -f $glass ]] || usage_error "--glass '$glass' is not a file"
  glass=$(cd "$(dirname "$glass")" && pwd)/$(basename "$glass")
fi

python=${PYTHON:-/usr/bin/python3}
[[ -x $python ]] || python=$(command -v python3 || true)
[[ -n $python ]] || usage_error "no python3 (set PYTHON)"

help_text=$("$lmp" -h 2>/dev/null || true)
[[ $help_text == *"Large-scale Atomic/Molecular Massively Parallel Simulator"* ]] ||
  usage_error "--lmp '$lmp' -h does not identify itself as LAMMPS"
# the words between "Installed packages:" and the next "List of" line of lmp -h
packages=$(sed -n '/^Installed packages:/,/^List of/p' <<<"$help_text" | sed '1d;$d')
has_package() { grep -Eq "(^|[[:space:]])$1([[:space:]]|$)" <<<"$packages"; }
has_package PLUGIN || usage_error "$lmp has no PLUGIN package: it cannot load the plugin"
case $mode in
  kokkos-cuda) has_package KOKKOS || usage_error "$lmp has no KOKKOS package (needed by --mode kokkos-cuda)" ;;
  gpu) has_package GPU || usage_error "$lmp has no GPU package (needed by --mode gpu)" ;;
  omp) has_package OPENMP || usage_error "$lmp has no OPENMP package (needed by --mode omp)" ;;
esac

# ---- the accelerator switches and the launchers ----------------------------------------------------
read -r -a pk_words <<<"$pk"
acc_threads=1
case $mode in
  kokkos-cuda)
    acc_args=(-k on g "$gpus" -sf kk)
    if ((${#pk_words[@]})); then acc_args+=(-pk kokkos "${pk_words[@]}"); fi ;;
  gpu) acc_args=(-sf gpu -pk gpu "$gpus" ${pk_words[@]+"${pk_words[@]}"}) ;;
  omp) acc_args=(-sf omp -pk omp "$threads" ${pk_words[@]+"${pk_words[@]}"}); acc_threads=$threads ;;
  cpu) acc_args=() ;;
esac
if ((!launcher_set && np > 1)); then launcher="mpirun -np $np"; fi
if ((!cpu_launcher_set && cpu_np > 1)); then cpu_launcher="mpirun -np $cpu_np"; fi
read -r -a acc_launch <<<"$launcher"
read -r -a cpu_launch <<<"$cpu_launcher"

# ---- the work directory and the plugin ------------------------------------------------------------
if [[ -n $workdir ]]; then
  mkdir -p "$workdir" || usage_error "cannot create --workdir '$workdir'"
else
  workdir=$(mktemp -d /tmp/gpu_check.XXXXXX)
fi
workdir=$(cd "$workdir" && pwd)
echo "work directory: $workdir"

if [[ -n $lammps_src ]]; then
  jobs=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 4)}
  echo "building the plugin against $lammps_src into $build_dir (log: $workdir/build.log) ..."
  { cmake -S "$repo" -B "$build_dir" -D LAMMPS_SOURCE_DIR="$lammps_src" -D LAMMPS_EXECUTABLE="$lmp" \
      -D CRYOCYCLE_TESTS=OFF -D CMAKE_BUILD_TYPE=Release &&
    cmake --build "$build_dir" --target cryocycleplugin --parallel "$jobs"; } >"$workdir/build.log" 2>&1 ||
    failure "building the plugin failed; see $workdir/build.log"
  plugin=$build_dir/cryocycleplugin.so
fi

# ---- the inputs ------------------------------------------------------------------------------------
# The quick start's glass (examples/quickstart/in.quickstart): random fcc Cu64Zr36, a = 4.0 A,
# melted at 2000 K and quenched to 300 K at zero pressure.
cat >"$workdir/in.glass" <<'EOF'
plugin load ${plugin}
units metal
boundary p p p
timestep 0.002
lattice fcc 4.0
region box block 0 ${cells} 0 ${cells} 0 ${cells}
create_box 2 box
create_atoms 1 box
set type 1 type/ratio 2 0.36 20250204
mass 1 63.546
mass 2 91.224
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
thermo 1000
velocity all create 2000 20250204 mom yes rot yes dist gaussian
fix melt all npt temp 2000 2000 0.1 iso 0 0 1
run ${melt_steps}
unfix melt
variable quench_steps equal ceil(1700/${quench_rate}/dt)
fix quench all npt temp 2000 300 0.1 iso 0 0 1
run ${quench_steps}
unfix quench
write_data ${glass} nocoeff
EOF

# One input per variant: the same MD (fix npt at 300 K and zero pressure, thermo every ${every}
# steps), an untimed warm-up, the variant's lines, the timed run (its Loop time is the last one).
variant_lines() {
  case $1 in
    md) ;;
    cycle) cat <<'EOF'
# the cycles fill 95 % of the timed run: four equal segments per cycle (ramp, cold hold, ramp, hot hold)
variable segment equal ${steps}*dt*0.95/(4*${cycles})
fix ctc all thermal/cycle tstat 300 77 ${cycles} rate $(223/v_segment) $(223/v_segment) &
    hold ${segment} ${segment} every ${sample} report ${report}
EOF
    ;;
    scan) cat <<'EOF'
# a heating scan 300 -> 400 K over 95 % of the timed run
fix scan all thermal/scan tstat 300 400 $(100/(v_steps*dt*0.95)) baseline no bins 10 300 400 every ${sample}
EOF
    ;;
    strain) cat <<'EOF'
compute s all strain/atom 3.5
compute smean all reduce ave c_s[1]
variable extra string c_smean
EOF
    ;;
    sbzone) cat <<'EOF'
compute s all strain/atom 3.5
compute z all sbzone/atom s track yes
variable extra string "c_z[1] c_z[11]"
EOF
    ;;
  esac
}
variants=(md cycle scan strain sbzone)
for variant in "${variants[@]}"; do
  {
    cat <<'EOF'
plugin load ${plugin}
units metal
boundary p p p
timestep 0.002
read_data ${glass}
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
fix tstat all npt temp 300 300 0.1 iso 0 0 1
thermo ${every}
run ${warmup}
variable extra string ""
EOF
    variant_lines "$variant"
    cat <<'EOF'
thermo_style custom step temp pe press vol ${extra}
run ${steps}
EOF
  } >"$workdir/in.$variant"
done

# ---- the runs ----------------------------------------------------------------------------------------
potential=$repo/potentials/CuZr_mm.eam.fs
[[ -f $potential ]] || failure "the potential $potential is missing"

# run_lmp ROLE NAME INPUT [-var name value ...]: one lmp run in the work directory; a non-zero exit
# code, an ERROR or a plugin that did not load end the check (exit code 1).
run_lmp() {
  local role=$1 name=$2 input=$3
  shift 3
  local launch=() args=() threads=1
  if [[ $role == acc ]]; then
    launch=(${acc_launch[@]+"${acc_launch[@]}"}); args=(${acc_args[@]+"${acc_args[@]}"}); threads=$acc_threads
  else
    launch=(${cpu_launch[@]+"${cpu_launch[@]}"})
  fi
  local status=0
  (cd "$workdir" && OMP_NUM_THREADS=$threads ${launch[@]+"${launch[@]}"} "$lmp" -nocite -in "$input" \
     -log "log.$name" ${args[@]+"${args[@]}"} -var plugin "$plugin" -var potential "$potential" "$@" \
     >"screen.$name" 2>&1) || status=$?
  local bad
  bad=$(grep -m1 -E 'ERROR|Open of file|CryoCycle plugin not loaded' "$workdir/screen.$name" || true)
  if ((status != 0)) || [[ -n $bad ]]; then
    failure "run $name failed (exit code $status${bad:+: $bad}); see $workdir/screen.$name"
  fi
}

describe() {    # the command of a role, for the reader
  local role=$1
  if [[ $role == acc ]]; then
    echo "${launcher}${launcher:+ }lmp${acc_args[*]+ ${acc_args[*]}}"
  else
    echo "${cpu_launcher}${cpu_launcher:+ }lmp"
  fi
}
echo "lmp: $lmp"
echo "plugin: $plugin"
echo "accelerated ($mode): $(describe acc)"
echo "CPU reference: $(describe cpu)"

if [[ -z $glass ]]; then
  glass=$workdir/glass.data
  echo "making the glass ($((4 * cells * cells * cells)) atoms, quick-start recipe, $mode) ..."
  run_lmp acc glass in.glass -var cells "$cells" -var melt_steps "$melt_steps" \
    -var quench_rate "$quench_rate" -var glass "$glass"
fi

for ((rep = 1; rep <= repeat; rep++)); do
  for variant in "${variants[@]}"; do
    for role in acc cpu; do
      name=$role.$variant.$rep
      run_lmp "$role" "$name" "in.$variant" -var glass "$glass" -var steps "$steps" -var warmup "$warmup" \
        -var every "$every" -var cycles "$cycles" -var sample "$sample" -var report "ctc.$role.$rep.txt"
      loop=$(grep -E '^Loop time of' "$workdir/log.$name" | tail -n 1 | awk '{print $4}')
      printf '  rep %d/%d %-7s %-4s loop %s s\n' "$rep" "$repeat" "$variant" "$role" "$loop"
    done
  done
done

exec "$python" "$here/gpu_check.py" --workdir "$workdir" --mode "$mode" --steps "$steps" \
  --warmup "$warmup" --repeat "$repeat" --every "$every" --threshold "$threshold" \
  --accelerated "$(describe acc)" --reference "$(describe cpu)"
