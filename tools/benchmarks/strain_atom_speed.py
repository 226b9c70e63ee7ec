#!/usr/bin/python3
"""Speed and memory of compute strain/atom, against an MD step and stock fix nonaffine/displacement.

A Cu64Zr36 glass (4000 atoms, EAM/FS, melted at 2000 K and quenched to 300 K) is made once and
replicated to each size. Every LAMMPS run reads it, runs fix nve and evaluates the per-atom
quantity on EVERY step through `fix ave/atom 1 1 1` (or, for the stock fix, its own nevery 1).
The variants differ only in that quantity:

  md         fix ave/atom of x y z: the MD step and the bookkeeping every variant has
  reference  compute strain/atom 3.5 (default: neighbours frozen in the reference)
  current    compute strain/atom 3.5 neighbors current
  stock      fix nonaffine/displacement 1 d2min custom 3.5 fixed 0 (EXTRA-FIX)

All of that work is timed by LAMMPS in its "Modify" row, so the cost of one evaluation is
(Modify of the variant - Modify of md in the same repetition) / steps, and the MD step is the
Loop time of md / steps. Repetitions are interleaved (all sizes, rank counts and variants in turn)
so that slow phases of a shared machine hit all of them. This is a benchmark, not a test: it has no
thresholds and fails only when a LAMMPS run fails or a compute produced no values.

Usage: strain_atom_speed.py [--sizes 4000,32000,256000] [--main-size 32000] [--steps N]
                            [--warmup 2] [--repeat 5] [--np 2] [--lmp LMP] [--plugin SO]
                            [--glass DATA] [--keep] [--quick]
"""

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

# Helpers shared with the other benchmarks: all read LAMMPS's output the same way.
sys.dont_write_bytecode = True    # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import POTENTIAL, BenchmarkError, parse_timing, ratios, resolve_inputs, spread  # noqa: E402
from bench_glass import (CUTOFF, TIMED_INPUT, TIMESTEP, add_glass_options, replicas, run_benchmark,  # noqa: E402
                         run_input)

# Automatic timed steps: about this many atom-steps per run (~2.5 s of MD per run on one core of
# the reference machine; the per-step results vary by only a few % between repetitions), within
# [MIN_STEPS, MAX_STEPS]: 4k atoms get 150 steps, 32k get 25, 256k get 3. This keeps the default
# run near 7 minutes on 2 quiet cores (about 10 when other jobs share them).
ATOM_STEPS = 8.0e5
MIN_STEPS, MAX_STEPS = 3, 150

# The per-atom quantity of each variant: (lines defining and evaluating it every step, name of its
# per-atom array or None). Every variant has exactly one fix ave/atom with 3 columns, so the
# difference to md is the quantity alone.
COMPUTE = "compute s all strain/atom {cutoff}{mode}\nfix ave all ave/atom 1 1 1 c_s[1] c_s[2] c_s[3]"
VARIANTS = {
    "md": ("fix ave all ave/atom 1 1 1 x y z", None),
    "reference": (COMPUTE.format(cutoff=CUTOFF, mode=""), "c_s"),
    "current": (COMPUTE.format(cutoff=CUTOFF, mode=" neighbors current"), "c_s"),
    "stock": (f"fix nad all nonaffine/displacement 1 d2min custom {CUTOFF} fixed 0\n"
              "fix ave all ave/atom 1 1 1 f_nad[1] f_nad[2] f_nad[3]", "f_nad"),
}
STRAIN_VARIANTS = ("reference", "current")
MAIN_ONLY = ("stock",)    # the stock fix is only the yardstick: compared at the main size alone

# After the timed run: the largest values of the three columns (thermo evaluated the reduction on
# the last step, so it is current), to prove the quantity was really computed.
PROBE = ('variable m1 equal c_vmax[1]\nvariable m2 equal c_vmax[2]\nvariable m3 equal c_vmax[3]\n'
         'print "BENCH max ${m1} ${m2} ${m3} invalid ${inv}"')
PROBE_LINE = re.compile(r"^BENCH max (\S+) (\S+) (\S+) invalid (\S+)", re.M)
MEMORY_LINE = re.compile(r"^Per MPI rank memory allocation \(min/avg/max\) = \S+ \| (\S+) \| \S+ Mbytes", re.M)
HEAP_LINE = re.compile(r"^Current reserved memory pool size: (\S+) Mbyte", re.M)
MBYTE = 1024.0 * 1024.0    # LAMMPS's Mbytes


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="4000,32000,256000",
                        help="approximate atom counts, comma-separated (rounded to 4000 x replicas)")
    parser.add_argument("--main-size", type=int, default=32000,
                        help="size for the MD-step, stock-fix, rank and memory comparisons")
    parser.add_argument("--steps", type=int, help="timed steps per run at every size "
                        f"(default: {ATOM_STEPS:.0e} / atoms within [{MIN_STEPS}, {MAX_STEPS}])")
    parser.add_argument("--np", type=int, default=2,
                        help="MPI ranks of the speed-up comparison at the main size (1: skip it)")
    add_glass_options(parser)
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: 4000 and 32000 atoms, 1 repetition, 5 steps, short quench")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.main_size, args.repeat = "4000,32000", 32000, 1
        args.steps = args.steps or 5
    try:
        sizes = {int(s) for s in args.sizes.split(",") if s.strip()}
    except ValueError:
        parser.error("--sizes must be comma-separated integers")
    # Sizes are rounded to whole replicas of the base glass; the main size is always measured.
    args.sizes = sorted({replicas(n)[0] for n in sizes | {args.main_size}})
    args.main_size = replicas(args.main_size)[0]
    for name in ("warmup", "repeat", "np"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be >= 1")
    if args.steps is not None and args.steps < 1:
        parser.error("--steps must be >= 1")
    if min(args.sizes) < 1:
        parser.error("--sizes must be >= 1")
    return args


def timed_steps(args, atoms):
    if args.steps:
        return args.steps
    return int(min(MAX_STEPS, max(MIN_STEPS, round(ATOM_STEPS / atoms))))


def write_input(workdir, glass, plugin, variant, atoms, steps, warmup):
    quantity, array = VARIANTS[variant]
    if array:
        # the reduction is evaluated by thermo on the last step; c_s (number of invalid atoms)
        # only exists for our compute
        invalid = "c_s" if array == "c_s" else "0"
        quantity += f"\ncompute vmax all reduce max {array}[1] {array}[2] {array}[3]"
        thermo_extra = "c_vmax[1] c_vmax[2] c_vmax[3]" + (" c_s" if array == "c_s" else "")
        probe = f"variable inv equal {invalid}\n" + PROBE
    else:
        thermo_extra, probe = "", ""
    text = TIMED_INPUT.format(plugin=plugin, data=glass, potential=POTENTIAL, dt=TIMESTEP,
                              replicate=" ".join(map(str, replicas(atoms)[1])), quantity=quantity,
                              thermo_extra=thermo_extra, warmup=warmup, steps=steps, probe=probe)
    path = workdir / f"in.{variant}.{atoms}"
    path.write_text(text)
    return path


def check_values(output, variant, name):
    """The quantity was computed: its eta^Mises (or sqrt(D2min)) and D2min maxima are > 0."""
    if VARIANTS[variant][1] is None:
        return {}
    probe = PROBE_LINE.findall(output)
    if not probe:
        raise BenchmarkError(f"{name}: no BENCH max line in the output")
    m1, m2, m3, invalid = (float(v) for v in probe[-1])
    if not (m1 > 0.0 and m3 > 0.0):
        raise BenchmarkError(f"{name}: the per-atom values are not > 0 (max {m1} {m2} {m3})")
    return {"max": (m1, m2, m3), "invalid": invalid}


def parse_memory(output):
    """Of the timed run (the last memory line): LAMMPS's tally of its large allocations, average per
    rank (Mbytes); and, from `info memory` after it, rank 0's heap in use (malloc'd Mbytes), which
    also counts allocations that a style does not report in memory_usage()."""
    tally = MEMORY_LINE.findall(output)
    heap = HEAP_LINE.findall(output)
    return {"tally": float(tally[-1]) if tally else float("nan"),
            "heap": float(heap[-1]) if heap else float("nan")}


def schedule(args):
    """The (atoms, ranks, variant) runs of one repetition, in order. The md run of a (size, ranks)
    pair sits next to the variants it is subtracted from."""
    runs = []
    for atoms in args.sizes:
        ranks = [1] + ([args.np] if atoms == args.main_size and args.np > 1 else [])
        for nprocs in ranks:
            variants = ["md", *STRAIN_VARIANTS]
            if atoms == args.main_size and nprocs == 1:
                variants += MAIN_ONLY
            runs += [(atoms, nprocs, v) for v in variants]
    return runs


def run_all(args, workdir, glass, plugin):
    """Interleaved repetitions; returns {(atoms, ranks, variant): [result per repetition]}."""
    runs = schedule(args)
    for atoms, _, variant in runs:
        write_input(workdir, glass, plugin, variant, atoms, timed_steps(args, atoms), args.warmup)
    results = {run: [] for run in runs}
    for rep in range(1, args.repeat + 1):
        for atoms, nprocs, variant in runs:
            name = f"{variant}.{atoms}.np{nprocs}.{rep}"
            steps = timed_steps(args, atoms)
            start = time.monotonic()
            output = run_input(args.lmp, nprocs, workdir / f"in.{variant}.{atoms}", name, workdir)
            result = parse_timing(output, steps)
            result.update(parse_memory(output), steps=steps, cpu_pct=100.0 * result["cpu"] / result["loop"])
            result.update(check_values(output, variant, name))
            results[(atoms, nprocs, variant)].append(result)
            print(f"  rep {rep}/{args.repeat} {atoms:>7} atoms np {nprocs} {variant:<9} "
                  f"loop {result['loop']:8.3f} s  Modify {result['modify']:7.3f} s  "
                  f"cpu {result['cpu_pct']:5.1f} %  (wall {time.monotonic() - start:5.1f} s)",
                  flush=True)
    return results


# ---- summaries -------------------------------------------------------------------------------

def eval_costs(results, atoms, nprocs, variant):
    """Per repetition: seconds per evaluation = (Modify - Modify of md in the same repetition) / steps."""
    md = results[(atoms, nprocs, "md")]
    runs = results[(atoms, nprocs, variant)]
    return [(r["modify"] - m["modify"]) / r["steps"] for r, m in zip(runs, md)]


def md_steps(results, atoms, nprocs):
    """Per repetition: seconds per MD step (Loop time of md / steps)."""
    return [m["loop"] / m["steps"] for m in results[(atoms, nprocs, "md")]]


def print_main(results, args):
    """Targets 1 and 2: an evaluation against one MD step, and against the stock fix."""
    atoms = args.main_size
    steps = md_steps(results, atoms, 1)
    stock = eval_costs(results, atoms, 1, "stock")
    print(f"\n[1,2] One evaluation at {atoms} atoms, 1 rank "
          f"({timed_steps(args, atoms)} timed steps per run): median [min-max] over repetitions")
    header = (f"{'variant':<10} {'ms/evaluation':>24} {'/ MD step':>24} {'stock / this':>24}")
    print(header + "\n" + "-" * len(header))
    print(f"{'md step':<10} {spread(steps, 1e3, '{:.2f}'):>24} {'1':>24} {'':>24}")
    for variant in (*STRAIN_VARIANTS, "stock"):
        cost = eval_costs(results, atoms, 1, variant)
        faster = "" if variant == "stock" else spread(ratios(stock, cost), fmt="{:.1f}")
        print(f"{variant:<10} {spread(cost, 1e3, '{:.2f}'):>24} "
              f"{spread(ratios(cost, steps), fmt='{:.4f}'):>24} {faster:>24}")
    print("ms/evaluation: (Modify - Modify of md) / steps, paired within each repetition; "
          "MD step: Loop time of md / steps;\n"
          "stock / this: how many times faster than fix nonaffine/displacement d2min custom "
          f"{CUTOFF} (same repetition)")


def print_sizes(results, args):
    """Target 3: time per atom per evaluation at every size."""
    print("\n[3] Time per atom, 1 rank: median [min-max] over repetitions, microseconds")
    header = (f"{'atoms':>7} {'steps':>5} {'MD step us/atom':>22} "
              + " ".join(f"{v + ' us/atom/eval':>26}" for v in STRAIN_VARIANTS)
              + " " + " ".join(f"{v + ' / MD step':>18}" for v in STRAIN_VARIANTS))
    print(header + "\n" + "-" * len(header))
    for atoms in args.sizes:
        steps = md_steps(results, atoms, 1)
        costs = {v: eval_costs(results, atoms, 1, v) for v in STRAIN_VARIANTS}
        line = f"{atoms:>7} {timed_steps(args, atoms):>5} {spread(steps, 1e6 / atoms):>22} "
        line += " ".join(f"{spread(costs[v], 1e6 / atoms):>26}" for v in STRAIN_VARIANTS)
        line += " " + " ".join(f"{statistics.median(ratios(costs[v], steps)):>18.4f}"
                               for v in STRAIN_VARIANTS)
        print(line)


def print_ranks(results, args):
    """Target 4: speed-up of one evaluation from 1 to np ranks."""
    atoms, n = args.main_size, args.np
    if n < 2:
        return
    print(f"\n[4] Speed-up from 1 to {n} MPI ranks at {atoms} atoms (per-repetition ratios, "
          "median [min-max])")
    header = (f"{'variant':<10} {'ms on 1 rank':>22} {f'ms on {n} ranks':>22} {'speed-up':>22} "
              f"{f'cpu % on {n}':>12}")
    print(header + "\n" + "-" * len(header))
    for variant in ("md", *STRAIN_VARIANTS):
        if variant == "md":    # the MD step itself, for context
            one, many = md_steps(results, atoms, 1), md_steps(results, atoms, n)
        else:
            one, many = eval_costs(results, atoms, 1, variant), eval_costs(results, atoms, n, variant)
        cpu = statistics.median(r["cpu_pct"] for r in results[(atoms, n, variant)])
        label = "md step" if variant == "md" else variant
        print(f"{label:<10} {spread(one, 1e3, '{:.2f}'):>22} {spread(many, 1e3, '{:.2f}'):>22} "
              f"{spread(ratios(one, many), fmt='{:.2f}'):>22} {cpu:>12.0f}")
    print(f"With {n} ranks, Modify is the average over ranks; a rank that waits for the other at "
          "the compute's collective calls counts the wait as Modify time.")


def print_memory(results, args):
    """Target 5: per-atom memory, with vs without the quantity (1 rank, main size)."""
    atoms = args.main_size
    base = results[(atoms, 1, "md")][0]
    print(f"\n[5] Memory at {atoms} atoms, 1 rank (timed run of the first repetition; the values "
          "do not change between repetitions)")
    header = (f"{'variant':<10} {'LAMMPS tally MB':>16} {'extra bytes/atom':>17} "
              f"{'heap MB':>9} {'extra bytes/atom':>17}")
    print(header + "\n" + "-" * len(header))
    for variant in ("md", *STRAIN_VARIANTS, "stock"):
        mem = results[(atoms, 1, variant)][0]
        extra = [(mem[k] - base[k]) * MBYTE / atoms for k in ("tally", "heap")]
        print(f"{variant:<10} {mem['tally']:>16.2f} {extra[0]:>17.0f} {mem['heap']:>9.2f} "
              f"{extra[1]:>17.0f}")
    print("LAMMPS tally: 'Per MPI rank memory allocation' (memory_usage() of all styles; the stock "
          "fix does not report its per-atom arrays there);\n"
          "heap: 'Current reserved memory pool size' of `info memory` after the run (all malloc'd "
          "memory of the process)")


def print_load(results):
    """LAMMPS's '% CPU use' of the timed runs: below ~90 % a rank shared its core with other
    processes, which inflates absolute times; ratios within a repetition suffer much less."""
    print("\nCPU use of the timed runs ('% CPU use', per rank), median [min-max]:")
    for nprocs in sorted({n for _, n, _ in results}):
        use = [r["cpu_pct"] for (_, n, _), runs in results.items() if n == nprocs for r in runs]
        print(f"  {nprocs} rank(s): {spread(use, fmt='{:.0f}')} %")
        if min(use) < 90.0:
            print(f"  WARNING: some {nprocs}-rank runs got less than 90 % of a core: the machine was "
                  "shared; absolute times are inflated" +
                  ("; the speed-up is not meaningful" if nprocs > 1 else "") + ".")


def print_checks(results):
    """How the values looked: a sanity check, and the invalid-atom count of our compute."""
    print("\nValues at the end of the last repetition (max of the three per-atom columns; "
          "invalid atoms):")
    for (atoms, nprocs, variant), runs in results.items():
        if "max" in runs[-1]:
            m1, m2, m3 = runs[-1]["max"]
            print(f"  {variant:<9} {atoms:>7} atoms np {nprocs}: max {m1:.4g} {m2:.4g} {m3:.4g}"
                  + (f", invalid {runs[-1]['invalid']:.0f}" if variant != "stock" else ""))


# ---- main ------------------------------------------------------------------------------------

def main():
    args = parse_args()
    resolve_inputs(args)
    results = run_benchmark(args, "cryocycle-strain-bench-", run_all, f"compute strain/atom {CUTOFF}")
    print_main(results, args)
    print_sizes(results, args)
    print_ranks(results, args)
    print_memory(results, args)
    print_load(results)
    print_checks(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
