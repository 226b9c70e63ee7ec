"""The frame of the benchmarks on the Cu64Zr36 glass (strain_atom_speed.py, sbzone_speed.py): the
glass (4000 atoms, EAM/FS, melted at 2000 K and quenched to 300 K) made once and replicated to
each size, the timed input around a per-atom quantity, their options, and the run that prints
the setup, makes the glass and times the variants in a fresh work directory."""

import datetime
import hashlib
import os
import platform
import shutil
import subprocess
from pathlib import Path

from bench_common import CUZR_ALLOY, DEFAULT_PLUGIN, POTENTIAL, REPO, run_lammps, work_directory

CUTOFF = 3.5          # Angstrom, for our compute and for the stock fix
TIMESTEP = 0.002      # ps (metal units)
BASE_CELLS = 10       # the glass is made from 10^3 fcc cells = 4000 atoms, then replicated
BASE_ATOMS = 4 * BASE_CELLS ** 3
# Melt at 2000 K, quench to 300 K at 2000 K / 4 ps, hold: amorphous, and cheap to make (~20 s).
GLASS_INPUT = """
units metal
boundary p p p
lattice fcc 4.0
region box block 0 {cells} 0 {cells} 0 {cells}
create_box 2 box
create_atoms 1 box""" + CUZR_ALLOY + """velocity all create 2000 87287 mom yes rot yes dist gaussian
timestep {dt}
thermo 0
fix md all npt temp 2000 2000 0.1 iso 0 0 1
run {melt}
unfix md
fix md all npt temp 2000 300 0.1 iso 0 0 1
run {quench}
unfix md
fix md all npt temp 300 300 0.1 iso 0 0 1
run {hold}
write_data {data}
"""
GLASS_STEPS = {"melt": 600, "quench": 2000, "hold": 300}

# One timed run. The plugin is loaded in every variant (also md and stock) so that they carry the
# same code and memory. The short warm-up run is untimed: in reference mode the neighbours are
# selected at the first evaluation (in setup), and buffers grow then.
TIMED_INPUT = """
plugin load {plugin}
units metal
boundary p p p
read_data {data}
replicate {replicate}
pair_style eam/fs
pair_coeff * * {potential} Cu Zr
timestep {dt}
fix md all nve
{quantity}
thermo_style custom step temp pe {thermo_extra}
thermo 0
run {warmup}
run {steps}
{probe}
info memory
"""

def add_glass_options(parser):
    """The options of every benchmark that runs on the replicated glass (also sbzone_speed.py)."""
    parser.add_argument("--warmup", type=int, default=2, help="untimed MD steps before the timed ones")
    parser.add_argument("--repeat", type=int, default=5, help="interleaved repetitions")
    parser.add_argument("--lmp", help="LAMMPS executable (default: the host from tools/host-lammps.sh)")
    parser.add_argument("--plugin", default=str(DEFAULT_PLUGIN), help="cryocycleplugin.so")
    parser.add_argument("--glass", help="reuse this 4000-atom glass data file instead of making one")
    parser.add_argument("--keep", action="store_true", help="keep the work directory")


def replicas(atoms):
    """(atoms, (rx, ry, rz)): the replication of the 4000-atom glass closest to `atoms`, as cubic
    as possible (e.g. 16000 -> 2 2 1)."""
    count = max(1, round(atoms / BASE_ATOMS))
    best = None
    for rx in range(1, count + 1):
        for ry in range(1, count // rx + 1):
            if count % (rx * ry):
                continue
            rz = count // (rx * ry)
            shape = sorted((rx, ry, rz), reverse=True)
            if best is None or shape[0] / shape[2] < best[0] / best[2]:
                best = shape
    return count * BASE_ATOMS, tuple(best)


def run_input(lmp, nprocs, input_path, name, workdir):
    """Run one input file; return its screen output (BenchmarkError if the run failed)."""
    return run_lammps([lmp, "-nocite", "-in", str(input_path), "-log", str(workdir / f"log.{name}")],
                      nprocs, name, workdir)


def make_glass(args, workdir):
    """The 4000-atom glass, made once (on up to 2 ranks: it is the longest single run)."""
    if args.glass:
        return Path(args.glass).resolve()
    data = workdir / "glass.data"
    steps = {k: max(50, v // 5) for k, v in GLASS_STEPS.items()} if args.quick else GLASS_STEPS
    path = workdir / "in.glass"
    path.write_text(GLASS_INPUT.format(cells=BASE_CELLS, potential=POTENTIAL, dt=TIMESTEP,
                                       data=data, **steps))
    print(f"making the glass ({BASE_ATOMS} atoms, {sum(steps.values())} MD steps) ...", flush=True)
    run_input(args.lmp, min(2, os.cpu_count() or 1), path, "glass", workdir)
    return data


def describe_setup(args, plugin):
    """What a reader needs to reproduce the numbers: machine, load, code."""
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text()
                      .splitlines() if line.startswith("model name")), "")
    except OSError:
        pass
    git = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    digest = hashlib.sha256(Path(plugin).read_bytes()).hexdigest()[:12]
    print(f"date: {datetime.datetime.now().isoformat(timespec='seconds')}\n"
          f"machine: {os.cpu_count()} cores, {model}, {platform.platform()}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n"
          f"lmp: {args.lmp}\nplugin: {args.plugin} (sha256 {digest}; the checkout is now at "
          f"{git or '?'}, which need not be what the plugin was built from)\n"
          f"sizes: {args.sizes}, main size {args.main_size}, repetitions {args.repeat}, "
          f"warm-up {args.warmup} steps, speed-up ranks {args.np}", flush=True)


def run_benchmark(args, prefix, run_all, what):
    """The glass benchmarks' frame (also sbzone_speed.py): a fresh work directory with a private
    copy of the plugin (a rebuild of the build tree during the benchmark must not change the code
    between runs), the setup printed, the glass made, run_all(args, workdir, glass, plugin) run,
    and a heading for the summaries. Returns run_all's results."""
    with work_directory(prefix, args.keep) as workdir:
        plugin = workdir / "cryocycleplugin.so"
        shutil.copy2(args.plugin, plugin)
        describe_setup(args, plugin)
        glass = make_glass(args, workdir)
        results = run_all(args, workdir, glass, plugin)
    print(f"\n{what}: Cu64Zr36 glass, EAM/FS, fix nve at ~300 K, evaluated every step; "
          f"{args.repeat} interleaved repetitions; load average at the end "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return results
