#!/usr/bin/python3
"""Cost of one evaluation of compute sbzone/atom, against one MD step, at about 100k atoms.

The Cu64Zr36 glass of strain_atom_speed.py (4000 atoms, EAM/FS) is made once and replicated to
the size. Every LAMMPS run reads it, runs fix nve and evaluates its per-atom quantity on EVERY step
through `fix ave/atom 1 1 1`. The variants differ only in that quantity, and come in pairs whose
difference is one sbzone/atom evaluation:

  md             fix ave/atom of x y z: the MD step and the bookkeeping every variant has
  eta            an atom-style variable as the strain: a slab of width 2*HALF_WIDTH across the
                 box normal to z and every 97th atom get 0.5, the others 0
  sbzone         sbzone/atom fed by that variable (link 3.5): one spanning band and ~1000 isolated
                 candidates, the typical picture after a localised deformation
  sbzone_track   the same with the band history: track yes offset 5.0 (displacements from a compute
                 displace/atom, whose cost is in its base eta_displace)
  eta_displace   eta plus compute displace/atom evaluated every step (the base of sbzone_track)
  eta_all        the same variable with the slab as wide as the box: every atom is a candidate
  sbzone_all     sbzone/atom fed by it: one cluster of all atoms (worst case for the labelling)
  strain         compute strain/atom 3.5 (reference = the start of the run)
  strain_sbzone  sbzone/atom fed by that compute: a glass at 300 K, almost no candidates

Cost of one evaluation = (Modify of the variant - Modify of its base in the same repetition) /
steps; the MD step is the Loop time of md / steps. Repetitions are interleaved so that slow phases
of a shared machine hit all variants. This is a benchmark, not a test: it has no thresholds and
fails only when a LAMMPS run fails or the zone counts are not what the variable imposes.

Usage: sbzone_speed.py [--atoms 108000] [--steps 10] [--warmup 2] [--repeat 5] [--np 2]
                       [--lmp LMP] [--plugin SO] [--glass DATA] [--keep] [--quick]
"""

import argparse
import re
import sys
import time
from pathlib import Path

sys.dont_write_bytecode = True    # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import POTENTIAL, BenchmarkError, parse_timing, ratios, resolve_inputs, spread  # noqa: E402
from bench_glass import (CUTOFF, TIMED_INPUT, TIMESTEP, add_glass_options, replicas, run_benchmark,  # noqa: E402
                         run_input)

LINK = 3.5           # Angstrom: link distance of the band clusters
HALF_WIDTH = 4.0     # Angstrom: half width of the imposed band
ISOLATED_EVERY = 97  # every 97th atom (by ID) is an isolated candidate

# The strain field of the variable variants, defined in every variant (the timed input is that of
# strain_atom_speed.py, where these lines are part of the quantity).
ETA_VARIABLE = """variable zmid equal 0.5*(zlo+zhi)
variable eta atom 0.5*((abs(z-v_zmid)<{half_width})||(id%{every}==0))
"""

OFFSET = 5.0        # Angstrom: matrix atoms this close to a band measure its shear offset
DISPLACE = "compute d all displace/atom\n"
SBZONE = "compute z all sbzone/atom {source} link {link}{options}\nfix ave all ave/atom 1 1 1 c_z[1] c_z[2] c_z[3]"
STRAIN = f"compute s all strain/atom {CUTOFF}"
# variant: (lines defining and evaluating the quantity every step, slab half width, base variant)
VARIANTS = {
    "md": ("fix ave all ave/atom 1 1 1 x y z", HALF_WIDTH, None),
    "eta": ("fix ave all ave/atom 1 1 1 v_eta v_eta v_eta", HALF_WIDTH, None),
    "sbzone": (SBZONE.format(source="v_eta", link=LINK, options=""), HALF_WIDTH, "eta"),
    "eta_displace": (DISPLACE + "fix ave all ave/atom 1 1 1 v_eta c_d[1] c_d[2]", HALF_WIDTH, None),
    "sbzone_track": (DISPLACE + SBZONE.format(source="v_eta", link=LINK, options=f" track yes offset {OFFSET} d"),
                     HALF_WIDTH, "eta_displace"),
    "eta_all": ("fix ave all ave/atom 1 1 1 v_eta v_eta v_eta", 1.0e6, None),
    "sbzone_all": (SBZONE.format(source="v_eta", link=LINK, options=""), 1.0e6, "eta_all"),
    "strain": (STRAIN + "\nfix ave all ave/atom 1 1 1 c_s[1] c_s[2] c_s[3]", HALF_WIDTH, None),
    "strain_sbzone": (STRAIN + "\n" + SBZONE.format(source="s", link=LINK, options=""), HALF_WIDTH, "strain"),
}
SBZONE_VARIANTS = [v for v, (_, _, base) in VARIANTS.items() if base]

# After the timed run: atoms per zone (matrix, SSB, NSB tail, NSB front, small) and the number of
# bands, from the last evaluation, to prove the classification really happened.
PROBE = "\n".join(f"variable n{k} equal c_z[{k}]" for k in range(1, 6)) + "\n" + \
    'print "BENCH zones ${n1} ${n2} ${n3} ${n4} ${n5}"'
PROBE_LINE = re.compile(r"^BENCH zones (\S+) (\S+) (\S+) (\S+) (\S+)", re.M)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--atoms", type=int, default=108000,
                        help="approximate atom count (rounded to 4000 x replicas)")
    parser.add_argument("--steps", type=int, default=10, help="timed steps per run")
    parser.add_argument("--np", type=int, default=2,
                        help="MPI ranks of the second set of runs (1: only one rank)")
    add_glass_options(parser)
    parser.add_argument("--quick", action="store_true",
                        help="smoke test: 32000 atoms, 1 repetition, 3 steps, short quench")
    args = parser.parse_args()
    if args.quick:
        args.atoms, args.repeat, args.steps = 32000, 1, 3
    for name in ("steps", "warmup", "repeat", "np", "atoms"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be >= 1")
    args.atoms = replicas(args.atoms)[0]
    # what describe_setup() and make_glass() of bench_glass.py read
    args.sizes, args.main_size = [args.atoms], args.atoms
    return args


def write_input(workdir, glass, plugin, variant, args):
    quantity, half_width, _ = VARIANTS[variant]
    zoned = "c_z" in quantity
    quantity = ETA_VARIABLE.format(half_width=half_width, every=ISOLATED_EVERY) + quantity
    text = TIMED_INPUT.format(plugin=plugin, data=glass, potential=POTENTIAL, dt=TIMESTEP,
                              replicate=" ".join(map(str, replicas(args.atoms)[1])),
                              quantity=quantity, thermo_extra="c_z[1] c_z[2]" if zoned else "",
                              warmup=args.warmup, steps=args.steps, probe=PROBE if zoned else "")
    path = workdir / f"in.{variant}"
    path.write_text(text)
    return path


def check_zones(output, variant, atoms, name):
    """The zones are what the variable imposes: with the slab, a spanning band and isolated atoms
    in the matrix or small clusters; with the box-wide slab, every atom in one spanning band. The
    strain-fed variant only has to account for every atom."""
    if VARIANTS[variant][2] is None:
        return {}
    probe = PROBE_LINE.findall(output)
    if not probe:
        raise BenchmarkError(f"{name}: no BENCH zones line in the output")
    zones = [int(float(v)) for v in probe[-1]]
    if sum(zones) != atoms:
        raise BenchmarkError(f"{name}: the zone counts {zones} do not add up to {atoms} atoms")
    if variant == "sbzone_all" and zones[1] != atoms:
        raise BenchmarkError(f"{name}: not every atom is in the spanning band: {zones}")
    if variant in ("sbzone", "sbzone_track") and not (0 < zones[1] < atoms and zones[2] == zones[3] == 0):
        raise BenchmarkError(f"{name}: expected one spanning band and no NSB: {zones}")
    return {"zones": zones}


def run_all(args, workdir, glass, plugin):
    """Interleaved repetitions; returns {(ranks, variant): [result per repetition]}."""
    ranks = [1] + ([args.np] if args.np > 1 else [])
    runs = [(n, v) for n in ranks for v in VARIANTS]
    for variant in VARIANTS:
        write_input(workdir, glass, plugin, variant, args)
    results = {run: [] for run in runs}
    for rep in range(1, args.repeat + 1):
        for nprocs, variant in runs:
            name = f"{variant}.np{nprocs}.{rep}"
            start = time.monotonic()
            output = run_input(args.lmp, nprocs, workdir / f"in.{variant}", name, workdir)
            result = parse_timing(output, args.steps)
            result.update(check_zones(output, variant, args.atoms, name),
                          cpu_pct=100.0 * result["cpu"] / result["loop"])
            results[(nprocs, variant)].append(result)
            print(f"  rep {rep}/{args.repeat} np {nprocs} {variant:<13} loop {result['loop']:8.3f} s  "
                  f"Modify {result['modify']:7.3f} s  cpu {result['cpu_pct']:5.1f} %  "
                  f"(wall {time.monotonic() - start:5.1f} s)", flush=True)
    return results


def eval_costs(results, nprocs, variant, steps):
    """Per repetition: seconds per evaluation = (Modify - Modify of the base) / steps."""
    base = results[(nprocs, VARIANTS[variant][2])]
    return [(r["modify"] - b["modify"]) / steps for r, b in zip(results[(nprocs, variant)], base)]


def print_summary(results, args):
    ranks = sorted({n for n, _ in results})
    print(f"\nOne evaluation of compute sbzone/atom at {args.atoms} atoms, {args.steps} timed steps "
          "per run: median [min-max] over repetitions")
    header = (f"{'ranks':>5} {'variant':<14} {'ms/evaluation':>22} {'/ MD step':>22} {'zones (last run)':>40}")
    print(header + "\n" + "-" * len(header))
    for nprocs in ranks:
        steps = [m["loop"] / args.steps for m in results[(nprocs, "md")]]
        print(f"{nprocs:>5} {'md step':<14} {spread(steps, 1e3, '{:.1f}'):>22} {'1':>22}")
        for variant in SBZONE_VARIANTS:
            cost = eval_costs(results, nprocs, variant, args.steps)
            zones = results[(nprocs, variant)][-1].get("zones", "")
            print(f"{nprocs:>5} {variant:<14} {spread(cost, 1e3, '{:.2f}'):>22} "
                  f"{spread(ratios(cost, steps), fmt='{:.4f}'):>22} {str(zones):>40}")
    print("ms/evaluation: (Modify - Modify of the same input without sbzone/atom) / steps, paired "
          "within each repetition\n(sbzone - eta, sbzone_track - eta_displace, sbzone_all - eta_all, "
          "strain_sbzone - strain); MD step: Loop time of md / steps.\nzones: atoms in matrix, SSB, "
          "NSB tail, NSB front, small clusters.")
    for nprocs in ranks:
        plain, tracked = (eval_costs(results, nprocs, v, args.steps) for v in ("sbzone", "sbzone_track"))
        added = [100.0 * (t / p - 1.0) for t, p in zip(tracked, plain) if p > 0]
        if added:
            print(f"Band history (track yes offset {OFFSET}) on {nprocs} rank(s): "
                  f"{spread(added, fmt='{:+.0f}')} % of an evaluation without it (paired repetitions)")
    for nprocs in ranks:
        use = [r["cpu_pct"] for (n, _), runs in results.items() if n == nprocs for r in runs]
        print(f"CPU use of the timed runs on {nprocs} rank(s): {spread(use, fmt='{:.0f}')} %"
              + ("  WARNING: below 90 %, the machine was shared" if min(use) < 90.0 else ""))


def main():
    args = parse_args()
    resolve_inputs(args)
    results = run_benchmark(args, "cryocycle-sbzone-bench-", run_all, f"compute sbzone/atom (link {LINK})")
    print_summary(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
