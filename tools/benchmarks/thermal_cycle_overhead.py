#!/usr/bin/python3
"""Overhead of fix thermal/cycle relative to the same MD run without it.

One Cu64Zr36 system (fcc lattice a = 4.0 with 36 % Zr on random sites, EAM/FS, fix npt at 300 K)
is run in four variants that differ only in the fix thermal/cycle line:

  baseline  fix npt at constant T, no fix thermal/cycle
  ramp      fix thermal/cycle inside a very slow ramp: new target every step, no sampling
  hold1     fix thermal/cycle (group all) inside a very long hold, every 1: the global energy is
            tallied and the group temperature computed each step
  hold10    the same hold with every 10
  hold1_cu  hold, every 1, fix group = the Cu atoms: per-atom energies tallied each step

Each LAMMPS run does an untimed warm-up run and then the timed run; the time is LAMMPS's own
"Loop time" of the timed run (setup and process start-up excluded). Repetitions are interleaved
(baseline ramp hold1 hold10 hold1_cu baseline ...) so that slow phases of a shared machine hit all variants.
This is a benchmark, not a test: it reports numbers and fails only when a LAMMPS run fails.

Usage: thermal_cycle_overhead.py [--lmp LMP] [--plugin SO] [--atoms N] [--steps N] [--warmup N]
                                 [--repeat N] [--np N] [--keep]
"""

import re
import sys

sys.dont_write_bytecode = True    # no __pycache__ in the source tree
from bench_common import BenchmarkError, parse_timing  # noqa: E402
from bench_thermostat import INPUT, run_benchmark, run_variant, summarise  # noqa: E402

# Schedules chosen so that the whole warm-up + timed run (a few ps) lies inside one segment, with the
# target within 0.01 K of the baseline's 300 K, so all variants follow practically the same trajectory.
# ramp: start low = heating 300 -> 301 K at 1e-6 K/ps, a ramp of 1e6 ps (holds never reached).
# hold: start low = heating 299.99 -> 300 K at 1000 K/ps (1e-5 ps, less than one step), then a hot
#       hold at 300 K for 1e6 ps: every step from step 1 on is in the hold.
RAMP = "fix cycle all thermal/cycle tstat 301 300 1 rate 1e-6 1e-6 hold 0 0 start low"
HOLD = "fix cycle {} thermal/cycle tstat 300 299.99 1 rate 1000 1000 hold 1e6 1e6 start low every {}"
HEATING, HOT_HOLD = 2, 3    # cryo_schedule_phase codes (fix vector element 2)

# name -> (fix thermal/cycle line or None, phase the whole timed run must be in)
VARIANTS = {
    "baseline": (None, None),
    "ramp": (RAMP, HEATING),
    "hold1": (HOLD.format("all", 1), HOT_HOLD),
    "hold10": (HOLD.format("all", 10), HOT_HOLD),
    "hold1_cu": (HOLD.format("cu", 1), HOT_HOLD),
}

# Printed before and after the timed run: proves the run stayed in the intended segment of cycle 1.
PHASE_PROBE = ('variable phase equal f_cycle[2]\nvariable cycles equal f_cycle[1]\n'
               'print "BENCH phase ${phase} cycles ${cycles}"')

PHASE_LINE = re.compile(r"^BENCH phase (\S+) cycles (\S+)", re.M)


def write_input(workdir, variant):
    cycle_fix, _ = VARIANTS[variant]
    script = INPUT.replace("${cycle_fix}", cycle_fix or "")
    script = script.replace("${phase_probe}", PHASE_PROBE if cycle_fix else "")
    path = workdir / f"in.{variant}"
    path.write_text(script)
    return path


def check_phase(output, variant):
    """The timed run must begin and end in the intended schedule segment of the first cycle."""
    _, phase = VARIANTS[variant]
    if phase is None:
        return
    probes = [(float(p), float(c)) for p, c in PHASE_LINE.findall(output)]
    if len(probes) != 2 or any(p != phase or c != 0 for p, c in probes):
        raise BenchmarkError(f"{variant}: timed run not inside schedule phase {phase} of cycle 1 "
                             f"(phase, completed cycles before/after: {probes})")


def run_all(args, workdir):
    """Interleaved repetitions; returns {variant: [timing dict per repetition]}."""
    for variant in VARIANTS:
        write_input(workdir, variant)
    results = {variant: [] for variant in VARIANTS}
    for rep in range(1, args.repeat + 1):
        for variant in VARIANTS:
            output = run_variant(args, workdir, variant, rep)
            check_phase(output, variant)
            timing = parse_timing(output, args.steps)
            results[variant].append(timing)
            print(f"  rep {rep}/{args.repeat} {variant:<8} loop {timing['loop']:8.3f} s  "
                  f"cpu {timing['cpu']:8.3f} s", flush=True)
    return results


def print_table(rows, args, atoms):
    print()
    print(f"fix thermal/cycle overhead: {atoms} atoms Cu64Zr36 EAM/FS, fix npt, {args.steps} timed "
          f"steps (+{args.warmup} warm-up), {args.np} MPI rank(s), {args.repeat} interleaved repetitions")
    header = (f"{'variant':<9} {'median s':>9} {'min s':>7} {'max s':>7} {'ms/step':>8} "
              f"{'ratio':>6} {'paired ratio [min-max]':>23} {'CPU ratio':>9} {'Modify ms/step':>14} "
              f"{'Modify %':>8}")
    print(header)
    print("-" * len(header))
    for r in rows:
        paired = f"{r['paired']:.3f} [{r['paired_min']:.3f}-{r['paired_max']:.3f}]"
        print(f"{r['variant']:<9} {r['median']:9.3f} {r['min']:7.3f} {r['max']:7.3f} "
              f"{r['ms_step']:8.2f} {r['ratio']:6.3f} {paired:>23} {r['cpu_ratio']:9.3f} "
              f"{r['modify_ms']:14.3f} {r['modify_pct']:8.2f}")
    print("median/min/max s: LAMMPS Loop time of the timed run; ratio = median(variant) / "
          "median(baseline)\n"
          "paired ratio: median [min-max] of variant / baseline within each repetition (neighbours "
          "in time, so robust to load that changes between repetitions)\n"
          "Modify: LAMMPS timing breakdown (all fixes incl. npt; per-atom energy tallying itself is "
          "in Pair), median\n"
          "CPU ratio: median of Loop time x '% CPU use' (the loop's user CPU time), to baseline; "
          "less sensitive to other load\n"
          "  on a shared machine, but with mpirun it includes MPI busy-waiting")


def main():
    args, results = run_benchmark(__doc__, run_all)
    print_table(summarise(results, args.steps), args, results["baseline"][0]["atoms"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
