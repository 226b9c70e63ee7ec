#!/usr/bin/python3
"""Overhead of fix thermal/scan relative to the same MD run without it.

The system and method of thermal_cycle_overhead.py (bench_thermostat.py) (Cu64Zr36, EAM/FS, fix npt at 300 K, warm-up
then timed run, LAMMPS's own Loop time, interleaved repetitions, paired ratios), in variants that
differ only in the fix thermal/scan line, all inside a very slow heating scan 300 -> 301 K at
1e-6 K/ps (a new target every step; the target within 0.01 K of the baseline's 300 K):

  baseline    fix npt at constant T, no fix thermal/scan
  every1      sampling every step: energy and virial tallied and binned each step (worst case)
  every10     sampling every 10 steps (the default)
  every1_p0   every step with a given pressure (pressure 0): energy, no virial

Usage: thermal_scan_overhead.py [--lmp LMP] [--plugin SO] [--atoms N] [--steps N] [--warmup N]
                                [--repeat N] [--np N] [--keep]
"""

import re
import sys

sys.dont_write_bytecode = True    # no __pycache__ in the source tree
from bench_common import BenchmarkError, parse_timing  # noqa: E402
from bench_thermostat import INPUT, run_benchmark, run_variant, summarise  # noqa: E402

SCAN = "fix scan all thermal/scan tstat 300 301 1e-6 baseline no bins 10 300 301 every {}"
VARIANTS = {
    "baseline": None,
    "every1": SCAN.format(1),
    "every10": SCAN.format(10),
    "every1_p0": SCAN.format(1) + " pressure 0",
}
PHASE_PROBE = 'variable phase equal f_scan[1]\nprint "BENCH scan phase ${phase}"'
PHASE_LINE = re.compile(r"^BENCH scan phase (\S+)", re.M)


def run_all(args, workdir):
    """Interleaved repetitions; returns {variant: [timing dict per repetition]}."""
    for variant, line in VARIANTS.items():
        script = INPUT.replace("${cycle_fix}", line or "")
        (workdir / f"in.{variant}").write_text(script.replace("${phase_probe}", PHASE_PROBE if line else ""))
    results = {variant: [] for variant in VARIANTS}
    for rep in range(1, args.repeat + 1):
        for variant, line in VARIANTS.items():
            output = run_variant(args, workdir, variant, rep)
            phases = PHASE_LINE.findall(output)
            if line and (len(phases) != 2 or any(float(p) != 0 for p in phases)):
                raise BenchmarkError(f"{variant}: timed run not inside the scan (phases {phases})")
            timing = parse_timing(output, args.steps)
            results[variant].append(timing)
            print(f"  rep {rep}/{args.repeat} {variant:<9} loop {timing['loop']:8.3f} s  "
                  f"cpu {timing['cpu']:8.3f} s", flush=True)
    return results


def main():
    args, results = run_benchmark(__doc__, run_all)
    rows = summarise(results, args.steps)
    atoms = results["baseline"][0]["atoms"]
    print(f"\nfix thermal/scan overhead: {atoms} atoms Cu64Zr36 EAM/FS, fix npt, {args.steps} timed "
          f"steps (+{args.warmup} warm-up), {args.np} MPI rank(s), {args.repeat} interleaved repetitions")
    print(f"{'variant':<10} {'median s':>9} {'ms/step':>8} {'ratio':>6} {'paired ratio [min-max]':>23} "
          f"{'CPU ratio':>9} {'Modify %':>8}")
    for r in rows:
        paired = f"{r['paired']:.3f} [{r['paired_min']:.3f}-{r['paired_max']:.3f}]"
        print(f"{r['variant']:<10} {r['median']:9.3f} {r['ms_step']:8.2f} {r['ratio']:6.3f} {paired:>23} "
              f"{r['cpu_ratio']:9.3f} {r['modify_pct']:8.2f}")
    print("ratio = median(variant) / median(baseline); paired: per repetition; CPU ratio: Loop time x "
          "% CPU use (robust to other load); see README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
