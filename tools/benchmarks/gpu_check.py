#!/usr/bin/python3
"""The tables of gpu_check.sh, from the logs and reports it leaves in its work directory.

    gpu_check.py --workdir DIR --mode MODE --steps N [--repeat N] [--threshold X] ...

Reads, for role acc (the accelerated mode) and cpu (the plain CPU reference), variant v and
repetition k: log.<role>.<v>.<k> (the Loop time of its last run, which must be of --steps steps)
and ctc.<role>.<k>.txt (the fix thermal/cycle report of the cycle variant). Prints

- per variant and role: the time per MD step (Loop time / steps) and its ratio to the MD step of
  the same role and repetition (variant md), median [min-max] over the repetitions, and the
  CPU reference's time over the accelerated one;
- the cold and hot hold means of pe/atom of each cycle of repetition 1, accelerated next to CPU,
  their difference in meV/atom, and whether the largest difference over all repetitions is below
  --threshold.

Exit code 0, or 1 when a difference is not below the threshold (or not a number), or 2 when a file
is missing or unreadable (one line on stderr). Standard library only (any python3 >= 3.6), so that
it runs on a cluster node's python.
"""

import argparse
import math
import re
import statistics
import sys
from pathlib import Path

sys.dont_write_bytecode = True    # no __pycache__ in the source tree
from bench_common import LOOP_TIME  # noqa: E402

VARIANTS = ("md", "cycle", "scan", "strain", "sbzone")
DESCRIPTIONS = {
    "md": "EAM/FS + fix npt, no CryoCycle style",
    "cycle": "+ fix thermal/cycle 300 K <-> 77 K",
    "scan": "+ fix thermal/scan 300 -> 400 K",
    "strain": "+ compute strain/atom every N steps",
    "sbzone": "+ compute sbzone/atom track yes every N steps",
}
ROLES = ("acc", "cpu")
REF = "cpu-ref"         # the name of the CPU reference in the tables
MS, RATIO = "{:#.4g}", "{:.4f}"    # formats of ms per step, of ratios
PAIR_STYLE = re.compile(r"^\s+\(\d+\) pair (\S+?),", re.M)
REPORT_NAMES = "# cycle "
HOLDS = (("cold", "cold_pe"), ("hot", "hot_pe"))


class InputError(Exception):
    """A file of the work directory is missing or not what gpu_check.sh writes (exit code 2)."""


def read_text(path):
    try:
        return Path(path).read_text()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}")


def loop_time(path, steps):
    """(Loop time in s of the last run in the log, atoms); that run must have `steps` steps."""
    loops = LOOP_TIME.findall(read_text(path))
    if not loops:
        raise InputError(f"{path}: no 'Loop time' line (the run did not finish?)")
    seconds, _, run_steps, atoms = loops[-1]
    if int(run_steps) != steps:
        raise InputError(f"{path}: the last run has {run_steps} steps, not --steps {steps}")
    return float(seconds), int(atoms)


def pair_style(path):
    """The pair style the log's neighbor list lines name (e.g. eam/fs/kk), or '?'."""
    styles = PAIR_STYLE.findall(read_text(path))
    return styles[-1] if styles else "?"


def read_report(path):
    """{column name: [values]} of a fix thermal/cycle report (its '# cycle ...' header line)."""
    names, rows = None, []
    for number, line in enumerate(read_text(path).splitlines(), 1):
        if line.startswith(REPORT_NAMES):
            names = line[1:].split()
        elif line.strip() and not line.lstrip().startswith("#"):
            if names is None:
                raise InputError(f"{path}:{number}: a row before the '# cycle ...' header line")
            try:
                values = [float(word) for word in line.split()]
            except ValueError:
                raise InputError(f"{path}:{number}: not a row of numbers")
            if len(values) != len(names):
                raise InputError(f"{path}:{number}: {len(values)} columns, the header names {len(names)}")
            rows.append(values)
    if names is None or not rows:
        raise InputError(f"{path}: no completed cycle in this fix thermal/cycle report")
    for needed in ("cycle", "cold_pe", "hot_pe"):
        if needed not in names:
            raise InputError(f"{path}: no column {needed}")
    return {name: [row[k] for row in rows] for k, name in enumerate(names)}


def spread(values, fmt):
    return f"{fmt.format(statistics.median(values))} [{fmt.format(min(values))}-{fmt.format(max(values))}]"


def timing_table(args, workdir):
    """Rows (variant, {role: (ms per step list, ratio list)}), and the atom count."""
    seconds, atoms = {}, set()
    for role in ROLES:
        for variant in VARIANTS:
            for rep in range(1, args.repeat + 1):
                t, n = loop_time(workdir / f"log.{role}.{variant}.{rep}", args.steps)
                seconds[role, variant, rep] = t
                atoms.add(n)
    if len(atoms) != 1:
        raise InputError(f"the logs have different atom counts: {sorted(atoms)}")
    reps = range(1, args.repeat + 1)
    rows = []
    for variant in VARIANTS:
        per_role = {}
        for role in ROLES:
            ms = [1000.0 * seconds[role, variant, k] / args.steps for k in reps]
            ratio = [seconds[role, variant, k] / seconds[role, "md", k] if seconds[role, "md", k] > 0
                     else float("nan") for k in reps]
            per_role[role] = (ms, ratio)
        rows.append((variant, per_role))
    return rows, atoms.pop()


def print_timing(args, rows, atoms, workdir):
    acc = args.mode
    print()
    print(f"gpu_check: {atoms} atoms Cu64Zr36 glass (quick-start recipe), EAM/FS, fix npt at 300 K; "
          f"{args.steps} timed steps (+{args.warmup} warm-up), {args.repeat} {'repetition' if args.repeat == 1 else 'repetitions'}; "
          f"computes evaluated every {args.every} steps")
    print(f"  {acc}: {args.accelerated}   (pair style {pair_style(workdir / 'log.acc.md.1')})")
    print(f"  {REF}: {args.reference}   (pair style {pair_style(workdir / 'log.cpu.md.1')})")
    print()
    print("Time per MD step (ms, Loop time / steps) and its ratio to the MD step alone (md) of the same "
          "mode and repetition: median [min-max]")
    head = (f"{'variant':<8} {acc + ' ms/step':>27} {acc + ' ratio':>25} {REF + ' ms/step':>27} "
            f"{REF + ' ratio':>25} {REF + '/' + acc:>20}")
    print(head)
    print("-" * len(head))
    for variant, per_role in rows:
        (acc_ms, acc_ratio), (cpu_ms, cpu_ratio) = per_role["acc"], per_role["cpu"]
        speedup = statistics.median(cpu_ms) / statistics.median(acc_ms)
        print(f"{variant:<8} {spread(acc_ms, MS):>27} {spread(acc_ratio, RATIO):>25} "
              f"{spread(cpu_ms, MS):>27} {spread(cpu_ratio, RATIO):>25} {speedup:20.3f}")
    for variant in VARIANTS:
        print(f"  {variant:<7} {DESCRIPTIONS[variant].replace(' N ', f' {args.every} ')}")


def per_cycle(args, workdir):
    """Print the per-cycle table of repetition 1; return the largest |difference| (meV/atom) over
    all repetitions (nan if any is not a number)."""
    differences, table = [], []
    for rep in range(1, args.repeat + 1):
        acc = read_report(workdir / f"ctc.acc.{rep}.txt")
        cpu = read_report(workdir / f"ctc.cpu.{rep}.txt")
        if acc["cycle"] != cpu["cycle"]:
            raise InputError(f"ctc.acc.{rep}.txt has cycles {acc['cycle']}, ctc.cpu.{rep}.txt {cpu['cycle']}")
        for k, cycle in enumerate(acc["cycle"]):
            for hold, column in HOLDS:
                a, c = acc[column][k], cpu[column][k]
                difference = 1000.0 * (a - c)
                differences.append(difference)
                if rep == 1:
                    table.append((int(cycle), hold, a, c, difference))
    print()
    print(f"Per-cycle hold means of pe/atom (eV/atom), fix thermal/cycle report of repetition 1: "
          f"{args.mode} next to {REF}")
    head = f"{'cycle':>5} {'hold':<5} {args.mode + ' eV/atom':>22} {REF + ' eV/atom':>22} {'difference meV/atom':>20}"
    print(head)
    print("-" * len(head))
    for cycle, hold, a, c, difference in table:
        print(f"{cycle:5d} {hold:<5} {a:22.12f} {c:22.12f} {difference:20.4g}")
    if not all(math.isfinite(d) for d in differences):    # a hold without samples (nan in a report)
        return float("nan")
    return max(abs(d) for d in differences)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--mode", required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--warmup", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--every", type=int, default=10)
    parser.add_argument("--threshold", type=float, default=0.5, help="meV/atom")
    parser.add_argument("--accelerated", default="", help="the command of the accelerated runs (printed)")
    parser.add_argument("--reference", default="", help="the command of the CPU runs (printed)")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    try:
        rows, atoms = timing_table(args, workdir)
        print_timing(args, rows, atoms, workdir)
        largest = per_cycle(args, workdir)
    except InputError as error:
        print(f"gpu_check.py: error: {error}", file=sys.stderr)
        return 2
    below = largest < args.threshold    # False for nan
    print(f"largest |difference| over {args.repeat} {'repetition' if args.repeat == 1 else 'repetitions'}: {largest:.4g} meV/atom: "
          f"{'below' if below else 'NOT below'} the threshold {args.threshold:g} meV/atom")
    return 0 if below else 1


if __name__ == "__main__":
    sys.exit(main())
