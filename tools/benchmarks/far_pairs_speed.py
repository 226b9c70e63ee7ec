#!/usr/bin/python3
"""compute strain/atom with reference neighbours far apart: a slab with a spanning slip of > 5 nm.

The seed study's geometry at reduced size: a Cu-Zr slab (random 36 % Zr on fcc sites, a = 3.615 A)
with free surfaces across x (boundary s), thin and periodic along y, periodic along z; by default
40 x 10 x 64 cells = 102400 atoms, 145 x 36 x 231 A. The strain reference is taken, then the
upper half (z > Lz/2) slips by SLIP_CELLS lattice constants along x (5.06 nm): an exact lattice
translation, so the crystal stays a crystal and MD stays stable, while every reference pair across
the two slip planes (z = Lz/2 and, periodically, z = 0) now joins atoms 5 nm apart - 20 times
the default ghost cutoff. On 2 and 4 ranks the processor grid splits x, the slip direction
(processors 2 1 1, 2 1 2), as the seed's sample on many ranks is split: a processor then no
longer holds, as ghost atoms, the atoms that slid away from its own. (On 1 rank every atom is
owned, so nothing is far; with x not split, the ghost atoms cover all of x and nothing is far
either.) The compute is evaluated once at the start (neighbour selection), then
the variants, all with fix nve at 300 K and one OpenMP thread per rank, differ in:

  md            no compute: the MD step (default neighbour settings)
  present       the compute defined and evaluated at the start, not during the timed run: what
                its stored reference costs when atoms migrate
  eval_every    md + the compute evaluated on every step (fix ave/atom 1 1 1), as in
                strain_atom_speed.py: most evaluations reuse the lists of the last LAMMPS
                neighbour list build and only fetch the far pairs' positions
  md_rebuild    neigh_modify every 1 check no: LAMMPS rebuilds its lists on every step
  eval_rebuild  md_rebuild + the compute evaluated on every step (fix ave/atom 1 1 1): each
                evaluation then rebuilds its lists and fetches the far pairs, the work of an
                evaluation every 1000 steps

Cost of one evaluation right after a list build = (Modify of eval_rebuild - Modify of
md_rebuild) / steps, and on every step = (Modify of eval_every - Modify of md) / steps, as ratios
to the MD step of md in the same repetition; MD step with an evaluation every 1000 steps = step of
present + evaluation / 1000. Far pairs and bytes sent per evaluation are read from the compute's
vector (c_s[4], c_s[5]).

With --old-plugin (a build of CryoCycle before far neighbours were fetched), the script also asks
that version for the ghost cutoff it needs for the same case (its error names a comm_modify cutoff)
and times the md variant with that ghost cutoff.

Usage: far_pairs_speed.py [--cells 40,10,64] [--np 1,2,4] [--steps 20] [--repeat 3]
                          [--old-plugin SO] [--lmp LMP] [--plugin SO] [--keep]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import (CUZR_ALLOY, DEFAULT_PLUGIN, POTENTIAL, BenchmarkError, parse_timing,  # noqa: E402
                          resolve_inputs, run_lammps, work_directory)

LATTICE = 3.615    # A
SLIP_CELLS = 14    # 14 a = 50.6 A
CUTOFF = 3.5

SAMPLE = """
plugin load {plugin}
units metal
boundary s p p
{processors}
lattice fcc {a}
region box block 0 {nx} 0 {ny} 0 {nz}
create_box 2 box
create_atoms 1 box""" + CUZR_ALLOY + """{comm}
velocity all create 300 8675 mom yes rot no dist gaussian
timestep 0.002
fix integrate all nve
"""

SLIP = """
region upper block INF INF INF INF {half} INF units lattice
group upper region upper
displace_atoms upper move {slip} 0 0 units lattice
"""

COMPUTE = """
compute s all strain/atom {cutoff}
"""

FIRST_EVALUATION = """
thermo_style custom step pe {thermo}
run 0
"""

TIMED = """
{neigh}
{evaluate}
thermo_style custom step pe {thermo}
thermo {steps}
run {steps}
"""


GRIDS = {1: "", 2: "processors 2 1 1", 4: "processors 2 1 2"}


def build_input(args, variant, plugin, np, comm=""):
    nx, ny, nz = args.cells
    text = SAMPLE.format(plugin=plugin, a=LATTICE, nx=nx, ny=ny, nz=nz, potential=POTENTIAL, comm=comm,
                         processors=GRIDS.get(np, ""))
    with_compute = variant in ("present", "eval_every", "eval_rebuild", "probe")
    if with_compute:
        text += COMPUTE.format(cutoff=CUTOFF)
    text += SLIP.format(half=nz // 2, slip=SLIP_CELLS)
    if with_compute:    # the version before far neighbours has no c_s[4], c_s[5]
        text += FIRST_EVALUATION.format(thermo="c_s" if variant == "probe" else "c_s c_s[4] c_s[5]")
    if variant == "probe":
        return text
    neigh = "neigh_modify every 1 delay 0 check no" if variant in ("md_rebuild", "eval_rebuild") else ""
    evaluating = variant in ("eval_every", "eval_rebuild")
    evaluate = "fix eval all ave/atom 1 1 1 c_s[1]" if evaluating else ""
    thermo = "c_s c_s[4] c_s[5]" if evaluating else ""
    return text + TIMED.format(neigh=neigh, evaluate=evaluate, thermo=thermo, steps=args.steps)


def last_thermo(output, columns):
    """The values of `columns` in the last thermo row printed."""
    header = None
    values = None
    for line in output.splitlines():
        words = line.split()
        if words[:1] == ["Step"]:
            header = words
        elif header and len(words) == len(header):
            try:
                values = dict(zip(header, map(float, words)))
            except ValueError:
                pass
    if not values:
        raise BenchmarkError("no thermo output")
    return {c: values[c] for c in columns}


def ghost_stats(output):
    match = re.search(r"^Nghost:\s+(\S+) ave\s+(\S+) max", output[output.rfind("Loop time of"):], re.M)
    return float(match.group(1)) if match else float("nan")


def run_variant(args, workdir, name, text, np):
    (workdir / f"in.{name}").write_text(text)
    return run_lammps([args.lmp, "-nocite", "-log", f"log.{name}", "-in", f"in.{name}"], np, name, workdir)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cells", default="40,10,64", help="fcc cells along x,y,z")
    parser.add_argument("--np", default="1,2,4")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lmp")
    parser.add_argument("--plugin", default=str(DEFAULT_PLUGIN))
    parser.add_argument("--old-plugin", help="CryoCycle built before far neighbours were fetched")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    args.cells = [int(c) for c in args.cells.split(",")]
    ranks = [int(n) for n in args.np.split(",")]
    resolve_inputs(args)
    atoms = 4 * args.cells[0] * args.cells[1] * args.cells[2]
    print(f"slab of {atoms} atoms, slip {SLIP_CELLS * LATTICE / 10:.2f} nm, cutoff {CUTOFF} A, "
          f"{args.steps} timed steps, {args.repeat} repetitions, ranks {ranks}", flush=True)

    with work_directory("cryocycle-far-", args.keep) as workdir:
        old = {}
        if args.old_plugin:
            probe = build_input(args, "probe", args.old_plugin, 2)
            (workdir / "in.old_probe").write_text(probe)
            env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                       OMP_NUM_THREADS="1")
            output = subprocess.run(["mpirun", "-np", "2", "--oversubscribe", args.lmp, "-nocite",
                                     "-in", "in.old_probe"], cwd=workdir, env=env, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout
            (workdir / "screen.old_probe").write_text(output)
            match = re.search(r"use comm_modify cutoff ([0-9.]+)", output)
            if not match:
                raise BenchmarkError("the old plugin did not name a comm_modify cutoff; see screen.old_probe")
            old["cutoff"] = float(match.group(1))
            print(f"previous version: needs comm_modify cutoff {old['cutoff']}", flush=True)

        results = {}    # (np, variant) -> list of timings
        for rep in range(args.repeat):
            for np in ranks:
                variants = ["md", "present", "eval_every", "md_rebuild", "eval_rebuild"] + (["old_md"] if old else [])
                for variant in variants:
                    if variant == "old_md":
                        text = build_input(args, "md", args.plugin, np, comm=f"comm_modify cutoff {old['cutoff']}")
                    else:
                        text = build_input(args, variant, args.plugin, np)
                    name = f"{variant}.np{np}.r{rep}"
                    output = run_variant(args, workdir, name, text, np)
                    timing = parse_timing(output, args.steps)
                    timing["ghosts"] = ghost_stats(output)
                    if variant in ("eval_every", "eval_rebuild"):
                        values = last_thermo(output, ["c_s", "c_s[4]", "c_s[5]"])
                        if values["c_s"] != 0:
                            raise BenchmarkError(f"{name}: {values['c_s']} invalid atoms")
                        if np > 1 and values["c_s[4]"] <= 0:
                            raise BenchmarkError(f"{name}: no far pairs: not the intended case")
                        timing.update(values)
                    results.setdefault((np, variant), []).append(timing)
                    print(f"  rep {rep} np {np} {variant:13s} loop {timing['loop']:.3f} s "
                          f"modify {timing['modify']:.3f} s ghosts/rank {timing['ghosts']:.0f}", flush=True)

        def summary(values):
            return f"{statistics.median(values):.4g} ({min(values):.4g}-{max(values):.4g})"

        print(f"\nresults: median (range) over {args.repeat} repetitions; ratios within each repetition")
        for np in ranks:
            reps = range(args.repeat)
            md = [results[(np, "md")][r]["loop"] / args.steps for r in reps]
            present = [results[(np, "present")][r]["loop"] / args.steps for r in reps]
            evaluation = [(results[(np, "eval_rebuild")][r]["modify"] - results[(np, "md_rebuild")][r]["modify"])
                          / args.steps for r in reps]
            every_step = [(results[(np, "eval_every")][r]["modify"] - results[(np, "md")][r]["modify"])
                          / args.steps for r in reps]
            ratio_present = [p / m for p, m in zip(present, md)]
            ratio_eval = [e / m for e, m in zip(evaluation, md)]
            every_1000 = [(p + e / 1000) / m for p, e, m in zip(present, evaluation, md)]
            last = results[(np, "eval_rebuild")][0]
            print(f"np {np}: MD step {summary(md)} s, ghost atoms per rank {results[(np, 'md')][0]['ghosts']:.0f}")
            print(f"  far pairs {last['c_s[4]']:.0f}, bytes sent per evaluation {last['c_s[5]']:.0f}")
            print(f"  step with the compute present / MD step: {summary(ratio_present)}")
            print(f"  one evaluation on every step (lists reused, far pairs fetched) / MD step: "
                  f"{summary([e / m for e, m in zip(every_step, md)])}")
            print(f"  one evaluation after a list build (lists made, far pairs fetched) / MD step: "
                  f"{summary(ratio_eval)}")
            print(f"  step with an evaluation every 1000 steps / MD step: {summary(every_1000)}")
            if old:
                old_md = [results[(np, "old_md")][r]["loop"] / args.steps for r in reps]
                print(f"  previous version: comm_modify cutoff {old['cutoff']}, ghost atoms per rank "
                      f"{results[(np, 'old_md')][0]['ghosts']:.0f}, MD step / MD step now: "
                      f"{summary([o / m for o, m in zip(old_md, md)])}")


if __name__ == "__main__":
    main()
