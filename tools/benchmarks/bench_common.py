"""What the benchmarks share: locating the host lmp, running LAMMPS and recognising failure,
reading LAMMPS's own timing, the scratch directory, and the spread of repetitions."""

import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
POTENTIAL = REPO / "potentials" / "CuZr_mm.eam.fs"
DEFAULT_PLUGIN = REPO / "build" / "cryocycleplugin.so"
# Cu64Zr36: 36 % of the type-1 atoms of a 2-type box turned into Zr at random, with the EAM/FS
# potential (a part of an input written with str.format: {potential})
CUZR_ALLOY = """
set type 1 type/ratio 2 0.36 4711
mass 1 63.546
mass 2 91.224
pair_style eam/fs
pair_coeff * * {potential} Cu Zr
"""

# A failed `plugin load` does not stop LAMMPS (it only prints "Open of file ... failed"), so the
# output is searched as well as the return code checked.
FAILURES = re.compile(r"ERROR|Open of file|CryoCycle plugin not loaded")
LOOP_TIME = re.compile(r"^Loop time of (\S+) on (\d+) procs for (\d+) steps with (\d+) atoms", re.M)
CPU_USE = re.compile(r"^(\S+)% CPU use with", re.M)
MODIFY_ROW = re.compile(r"^Modify\s*\|\s*\S+\s*\|\s*(\S+)\s*\|", re.M)    # its avg time


class BenchmarkError(Exception):
    pass


def host_lmp():
    """The host lmp that the plugin is built against (host-lammps.sh returns at once when cached)."""
    prefix = subprocess.run([str(REPO / "tools" / "host-lammps.sh")], check=True,
                            stdout=subprocess.PIPE, text=True).stdout.strip()
    return str(Path(prefix) / "bin" / "lmp")


def resolve_inputs(args):
    """args.lmp defaults to the host lmp; a missing plugin ends the benchmark (exit code 2)."""
    args.lmp = args.lmp or host_lmp()
    if not Path(args.plugin).is_file():
        print(f"plugin not found: {args.plugin}", file=sys.stderr)
        sys.exit(2)


def run_lammps(lmp_args, nprocs, name, workdir, threads=1):
    """Run `lmp lmp_args...` (under mpirun when nprocs > 1) in workdir; return its screen output,
    raising BenchmarkError if the run failed."""
    cmd = ["mpirun", "-np", str(nprocs), "--oversubscribe"] if nprocs > 1 else []
    # One OpenMP thread unless asked (-sf omp -pk omp N): MPI ranks are the parallelism under test.
    env = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMP_NUM_THREADS=str(threads))
    proc = subprocess.run(cmd + list(lmp_args), cwd=workdir, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    output = proc.stdout
    (Path(workdir) / f"screen.{name}").write_text(output)
    failure = FAILURES.search(output)
    if proc.returncode != 0 or failure:
        tail = "\n".join(output.splitlines()[-20:])
        what = f"exit code {proc.returncode}"
        if failure:    # the offending line, which may be far from the end of the output
            start = output.rfind("\n", 0, failure.start()) + 1
            end = output.find("\n", failure.end())
            what += f", output has: {output[start:end if end >= 0 else None]}"
        raise BenchmarkError(f"{name}: LAMMPS run failed ({what}); see {workdir}\n{tail}")
    return output


def parse_timing(output, steps):
    """Of the last (timed) run: loop time (s), the CPU time LAMMPS reports for it (s, user time
    per rank) and the Modify time (s, average over ranks)."""
    loops = LOOP_TIME.findall(output)
    if not loops or int(loops[-1][2]) != steps:
        raise BenchmarkError(f"no 'Loop time ... for {steps} steps' line in the output")
    loop_time, _, _, atoms = loops[-1]
    # The timing breakdown of the timed run follows its Loop time line.
    tail = output[output.rfind("Loop time of"):]
    modify = MODIFY_ROW.search(tail)
    cpu_use = CPU_USE.search(tail)
    # Loop time is wall time: on a shared machine it also counts time the process waited for a
    # core. "% CPU use" lets us recover the CPU time the loop itself consumed.
    cpu = float(loop_time) * float(cpu_use.group(1)) / 100.0 if cpu_use else float("nan")
    return {"loop": float(loop_time), "cpu": cpu,
            "modify": float(modify.group(1)) if modify else float("nan"), "atoms": int(atoms)}


@contextlib.contextmanager
def work_directory(prefix, keep):
    """A fresh scratch directory, deleted afterwards unless `keep` or a BenchmarkError (the logs
    are the evidence). The error is reported and turned into exit code 1."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    print(f"work directory: {workdir}", flush=True)
    try:
        yield workdir
    except BenchmarkError as exc:
        print(f"benchmark failed: {exc}", file=sys.stderr)
        print(f"kept work directory: {workdir}")
        sys.exit(1)
    if keep:
        print(f"kept work directory: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


def spread(values, scale=1.0, fmt="{:.3f}"):
    """'median [min-max]' of the values times scale."""
    v = [x * scale for x in values]
    return f"{fmt.format(statistics.median(v))} [{fmt.format(min(v))}-{fmt.format(max(v))}]"


def ratios(numerators, denominators):
    return [n / d if d else float("nan") for n, d in zip(numerators, denominators)]
