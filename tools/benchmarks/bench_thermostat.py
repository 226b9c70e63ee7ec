"""The frame of the overhead benchmarks of the thermostat-driving fixes (thermal_cycle_overhead.py,
thermal_scan_overhead.py): one Cu64Zr36 system under fix npt at 300 K whose variants differ in
one fix line, their options, one run of a variant, and the table of medians and paired ratios."""

import argparse
import statistics

from bench_common import DEFAULT_PLUGIN, POTENTIAL, resolve_inputs, run_lammps, work_directory

TIMESTEP = 0.002    # ps (metal units)

# Identical in every variant; only ${cycle_fix} (the line of the fix under test) differs. The atoms get thermal velocities only: the
# cost is dominated by EAM/FS whatever the structure, and the warm-up run randomises them a little.
INPUT = """
plugin load ${plugin}
units metal
boundary p p p
lattice fcc 4.0
region box block 0 ${cells} 0 ${cells} 0 ${cells}
create_box 2 box
create_atoms 1 box
set type 1 type/ratio 2 0.36 4711
group cu type 1
mass 1 63.546
mass 2 91.224
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
velocity all create 600 87287 mom yes rot yes dist gaussian
timestep ${dt}
thermo 0
fix tstat all npt temp 300 300 0.1 iso 0 0 1
${cycle_fix}
run ${warmup}
${phase_probe}
run ${steps}
${phase_probe}
"""

def parse_args(doc):
    """The options of the overhead benchmarks (doc: the script's docstring, for --help)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--lmp", help="LAMMPS executable (default: the host from tools/host-lammps.sh)")
    parser.add_argument("--plugin", default=str(DEFAULT_PLUGIN), help="cryocycleplugin.so")
    parser.add_argument("--atoms", type=int, default=16000, help="approximate number of atoms")
    parser.add_argument("--steps", type=int, default=100, help="timed MD steps per run")
    parser.add_argument("--warmup", type=int, default=20, help="untimed MD steps before them")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved repetitions")
    parser.add_argument("--np", type=int, default=1, help="MPI ranks (mpirun when > 1)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--omp", type=int, default=0,
                        help="run every variant under -sf omp -pk omp N (OPENMP package), N threads")
    args = parser.parse_args()
    for name in ("atoms", "steps", "warmup", "repeat", "np"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be >= 1")
    return args


def lattice_cells(atoms):
    """Cells per box edge of the fcc lattice (4 atoms per cell) closest to `atoms`."""
    return max(1, round((atoms / 4.0) ** (1.0 / 3.0)))


def run_variant(args, workdir, variant, rep):
    """Run one variant once; return its screen output (BenchmarkError if the run failed)."""
    name = f"{variant}.{rep}"
    lmp_args = [args.lmp, "-nocite", "-in", str(workdir / f"in.{variant}"),
                "-log", str(workdir / f"log.{name}"),
                "-var", "plugin", str(args.plugin), "-var", "potential", str(POTENTIAL),
                "-var", "cells", str(lattice_cells(args.atoms)), "-var", "dt", str(TIMESTEP),
                "-var", "warmup", str(args.warmup), "-var", "steps", str(args.steps)]
    if args.omp:
        lmp_args += ["-sf", "omp", "-pk", "omp", str(args.omp)]
    return run_lammps(lmp_args, args.np, name, workdir, threads=max(1, args.omp))


def summarise(results, steps):
    """Rows of the result table: medians, ranges and ratios to the baseline median."""
    base = [t["loop"] for t in results["baseline"]]
    base_median = statistics.median(base)
    base_cpu = statistics.median(t["cpu"] for t in results["baseline"])
    rows = []
    for variant, timings in results.items():
        loops = [t["loop"] for t in timings]
        median = statistics.median(loops)
        modify = statistics.median(t["modify"] for t in timings)
        cpu = statistics.median(t["cpu"] for t in timings)
        # Paired ratios within one repetition: neighbours in time, so they share the machine's mood.
        paired = [v / b for v, b in zip(loops, base)]
        rows.append({
            "variant": variant, "median": median, "min": min(loops), "max": max(loops),
            "ms_step": 1000.0 * median / steps, "ratio": median / base_median,
            "paired": statistics.median(paired), "paired_min": min(paired),
            "paired_max": max(paired),
            "modify_ms": 1000.0 * modify / steps, "modify_pct": 100.0 * modify / median,
            "cpu": cpu, "cpu_ratio": cpu / base_cpu,
        })
    return rows


def run_benchmark(doc, run_all):
    """(args, results): the options (doc: the script's docstring), the host lmp, and
    run_all(args, workdir) in a fresh work directory."""
    args = parse_args(doc)
    resolve_inputs(args)
    print(f"lmp: {args.lmp}\nplugin: {args.plugin}", flush=True)
    with work_directory("cryocycle-bench-", args.keep) as workdir:
        return args, run_all(args, workdir)
