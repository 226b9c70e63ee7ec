#!/usr/bin/python3
"""Instructions of compute strain/atom under callgrind: one evaluation, and the first one with the
selection of the reference neighbours.

Wall-clock figures on a shared machine are noise; instruction counts are repeatable. The input:
32000 atoms of a disordered fcc crystal (a = 3.6 A, random displacements of up to 0.2 A),
pair_style zero, fix nve at 300 K, `compute s all strain/atom 3.0` (reference neighbours)
evaluated on every step through `fix ave/atom 1 1 1`. Two runs, of STEPS and 2 STEPS + 1 timed
steps (STEPS + 1 and 2 STEPS + 2 evaluations, the first of each at setup, where the neighbours are
selected); one evaluation = the difference of ComputeStrainAtom::compute_peratom (inclusive) over
the difference in evaluations. No neighbour list is rebuilt in either run, so that evaluation
reuses its lists, as most evaluations do.

Usage: strain_atom_callgrind.py [--steps 3] [--lmp LMP] [--plugin SO] [--keep] [--quick]
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True    # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import DEFAULT_PLUGIN, BenchmarkError, resolve_inputs, run_lammps, work_directory  # noqa: E402

INPUT = """plugin load {plugin}
units metal
atom_style atomic
lattice fcc 3.6
region box block 0 20 0 20 0 20
create_box 1 box
create_atoms 1 box
mass 1 63.5
displace_atoms all random 0.2 0.2 0.2 4711 units box
pair_style zero 5.0
pair_coeff * *
neighbor 1.0 bin
velocity all create 300 12345
fix nve all nve
compute s all strain/atom 3.0
fix ave all ave/atom 1 1 1 c_s[1] c_s[2] c_s[3]
thermo 1
run {steps}
"""
# the inclusive count of a function in callgrind_annotate's listing
FUNCTIONS = {"compute_peratom": "ComputeStrainAtom::compute_peratom()",
             "select": "ReferenceNeighbors::select(",
             "evaluate": "cryo_strain_evaluate "}
ROW = re.compile(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*?:(.*)$")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=3, help="timed steps of the shorter run")
    parser.add_argument("--lmp", help="lmp (default: the host lmp of tools/host-lammps.sh)")
    parser.add_argument("--plugin", default=str(DEFAULT_PLUGIN))
    parser.add_argument("--keep", action="store_true", help="keep the work directory")
    parser.add_argument("--quick", action="store_true", help="a smoke run: --steps 1")
    args = parser.parse_args()
    if args.quick:
        args.steps = 1
    return args


def instructions(workdir, name, args, steps):
    """callgrind's inclusive counts of FUNCTIONS for one run of `steps` timed steps"""
    (workdir / f"in.{name}").write_text(INPUT.format(plugin=args.plugin, steps=steps))
    out = workdir / f"callgrind.{name}"
    run_lammps(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", args.lmp,
                "-in", f"in.{name}", "-log", f"log.{name}"], 1, name, workdir)
    listing = subprocess.run(["callgrind_annotate", "--inclusive=yes", str(out)], check=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    counts = {}
    for line in listing.splitlines():
        row = ROW.match(line)
        if not row:
            continue
        for key, function in FUNCTIONS.items():
            if key not in counts and function in row.group(2):
                counts[key] = int(row.group(1).replace(",", ""))
    missing = set(FUNCTIONS) - set(counts)
    if missing:
        raise BenchmarkError(f"{name}: no count for {', '.join(sorted(missing))} in {out}")
    return counts


def main():
    args = parse_args()
    resolve_inputs(args)
    args.plugin = str(Path(args.plugin).resolve())
    with work_directory("cryocycle-strain-callgrind-", args.keep) as workdir:
        short = instructions(workdir, "short", args, args.steps)
        long = instructions(workdir, "long", args, 2 * args.steps + 1)
        evaluations = args.steps + 1
        print(f"compute strain/atom 3.0, 32000 atoms, instructions (callgrind), plugin {args.plugin}")
        for key in FUNCTIONS:
            print(f"  {key:16s} {short[key]:>14,d} ({evaluations} evaluations) "
                  f"{long[key]:>14,d} ({2 * evaluations} evaluations)")
        one = (long["compute_peratom"] - short["compute_peratom"]) / evaluations
        first = short["compute_peratom"] - (evaluations - 1) * one
        print(f"one evaluation (lists reused): {one:,.0f}")
        print(f"the first evaluation (with the selection of reference neighbours): {first:,.0f}")


if __name__ == "__main__":
    main()
