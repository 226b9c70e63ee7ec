#!/usr/bin/env python3
"""tools/benchmarks/gpu_check.sh, the GPU check of issue 30, on its CPU paths (no GPU here).

- cpu_path: `--mode cpu` on a tiny glass (256 atoms, 100 timed steps, 1 repetition): exit code 0,
  every variant row in the timing table, each time per step and each ratio equal to what this test
  computes itself from the Loop time lines of the logs the script leaves, the per-cycle table equal
  to the two fix thermal/cycle reports, and the two CPU runs identical (1 rank: deterministic), so
  every difference is 0.
- omp_path: the same with `--mode omp --threads 2` (skipped without OPENMP): the accelerated logs
  ran eam/fs/omp, the reference eam/fs; differences finite and below the threshold.
- refusals: bad usage (a missing lmp, an unknown mode, no mode, bad numbers, a missing plugin, an
  accelerator package the lmp lacks, an unknown option) ends with exit code 2 and one line on
  stderr, no traceback, nothing run; gpu_check.py on a directory without logs likewise.
- syntax: `bash -n` of the script and its --help.
Never a timed test: the timings are only compared with the logs they come from.
"""

import math
import os
import re
import statistics
import subprocess
import sys

from harness import REPO, check, check_close, main, read_table

SCRIPT = REPO / "tools" / "benchmarks" / "gpu_check.sh"
TABLE_PY = REPO / "tools" / "benchmarks" / "gpu_check.py"
PYTHON = "/usr/bin/python3"
VARIANTS = ("md", "cycle", "scan", "strain", "sbzone")
CELLS, STEPS, CYCLES = 4, 100, 2
TINY = ["--cells", CELLS, "--melt-steps", 100, "--quench-rate", 8500, "--steps", STEPS, "--warmup", 10,
        "--repeat", 1, "--every", 10, "--cycles", CYCLES, "--sample", 2]
LOOP = re.compile(r"^Loop time of (\S+) on (\d+) procs for (\d+) steps with (\d+) atoms", re.M)
SPREAD = r"(\S+) \[(\S+)-(\S+)\]"
ROW = re.compile(rf"^(\w+)\s+{SPREAD}\s+{SPREAD}\s+{SPREAD}\s+{SPREAD}\s+(\S+)$", re.M)
CYCLE_ROW = re.compile(r"^\s*(\d+) (cold|hot)\s+(\S+)\s+(\S+)\s+(\S+)$", re.M)
VERDICT = re.compile(r"^largest \|difference\| over \d+ repetitions?: (\S+) meV/atom: (below|NOT below) "
                     r"the threshold 0.5 meV/atom$", re.M)


def run_script(lmp, args, env=None):
    """gpu_check.sh args...: (exit code, stdout, stderr), printed for ctest --output-on-failure."""
    result = subprocess.run(["bash", str(SCRIPT), *map(str, args)], cwd=lmp.workdir, capture_output=True,
                            text=True, timeout=600,
                            env=dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
                                     **(env or {})))
    print(f"$ gpu_check.sh {' '.join(map(str, args))}\n{result.stdout}\nstderr:\n{result.stderr}")
    return result.returncode, result.stdout, result.stderr


def loop_time(path):
    """(seconds, steps, atoms) of the last run of a log, read here independently of the script."""
    loops = LOOP.findall(path.read_text())
    check(loops, f"{path.name}: no Loop time line")
    seconds, _, steps, atoms = loops[-1]
    return float(seconds), int(steps), int(atoms)


def report_pe(path):
    """{(cycle, hold): pe/atom} of a fix thermal/cycle report, and the sample counts."""
    rows = read_table(path)
    check(len(rows) == CYCLES, f"{path.name}: {len(rows)} cycles, expected {CYCLES}")
    pe = {}
    for row in rows:
        check(row[3] > 0 and row[7] > 0, f"{path.name}: a hold without samples: {row}")
        pe[int(row[0]), "cold"], pe[int(row[0]), "hot"] = row[4], row[8]
    return pe


def check_tables(lmp, out, mode):
    """The timing table against the logs, the per-cycle table against the reports; returns the
    printed differences (meV/atom)."""
    work = lmp.path("check")
    atoms = 4 * CELLS ** 3
    check(re.search(rf"^gpu_check: {atoms} atoms .* {STEPS} timed steps", out, re.M),
          f"no header line naming {atoms} atoms and {STEPS} steps")
    rows = {m.group(1): m for m in ROW.finditer(out)}
    check(list(rows) == list(VARIANTS), f"variant rows {list(rows)}, expected {list(VARIANTS)}")
    seconds = {}
    for role in ("acc", "cpu"):
        for variant in VARIANTS:
            t, steps, n = loop_time(work / f"log.{role}.{variant}.1")
            check(steps == STEPS and n == atoms, f"log.{role}.{variant}.1: {steps} steps, {n} atoms")
            seconds[role, variant] = t
    for variant, m in rows.items():
        numbers = [float(w) for w in m.groups()[1:]]
        for k, role in enumerate(("acc", "cpu")):
            ms, ms_lo, ms_hi, ratio, ratio_lo, ratio_hi = numbers[6 * k:6 * k + 6]
            expected_ms = 1000.0 * seconds[role, variant] / STEPS
            expected_ratio = seconds[role, variant] / seconds[role, "md"]
            for value in (ms, ms_lo, ms_hi):    # 1 repetition: median = min = max
                check_close(value, expected_ms, rel=5e-4, what=f"{variant} {role} ms/step")
            for value in (ratio, ratio_lo, ratio_hi):
                check_close(value, expected_ratio, abs_tol=5.1e-5, what=f"{variant} {role} ratio")
            if variant == "md":
                check(ratio == 1.0, f"md {role} ratio {ratio}, expected 1")
        check_close(numbers[12], seconds["cpu", variant] / seconds["acc", variant], abs_tol=5.1e-4,
                    what=f"{variant} cpu-ref/acc")
    print(f"timing table: {len(rows)} rows equal to the Loop times of the logs")

    acc, cpu = report_pe(work / "ctc.acc.1.txt"), report_pe(work / "ctc.cpu.1.txt")
    printed = [(int(c), hold, float(a), float(r), float(d)) for c, hold, a, r, d in CYCLE_ROW.findall(out)]
    check([(c, h) for c, h, *_ in printed] == sorted(acc, key=lambda key: (key[0], key[1] == "hot")),
          f"per-cycle rows {[(c, h) for c, h, *_ in printed]}, expected the cold and hot holds of {CYCLES} cycles")
    for cycle, hold, a, r, difference in printed:
        check_close(a, acc[cycle, hold], abs_tol=6e-13, what=f"cycle {cycle} {hold} {mode}")
        check_close(r, cpu[cycle, hold], abs_tol=6e-13, what=f"cycle {cycle} {hold} cpu-ref")
        check_close(difference, 1000.0 * (acc[cycle, hold] - cpu[cycle, hold]), rel=5e-4, abs_tol=1e-15,
                    what=f"cycle {cycle} {hold} difference")
    verdict = VERDICT.search(out)
    check(verdict, "no verdict line on the threshold")
    largest = max(abs(1000.0 * (acc[key] - cpu[key])) for key in acc)
    check_close(float(verdict.group(1)), largest, rel=5e-4, abs_tol=1e-15, what="largest difference")
    check(verdict.group(2) == "below", f"verdict: {verdict.group(0)}")
    print(f"per-cycle table: {len(printed)} holds equal to the reports; largest difference {largest:.3g} meV/atom")
    return acc, cpu, [d for *_, d in printed]


def cpu_path(lmp):
    """--mode cpu: tables consistent with the logs and reports; the two CPU runs identical."""
    status, out, err = run_script(lmp, ["--mode", "cpu", "--lmp", lmp.lmp, "--plugin", lmp.plugin,
                                        "--workdir", lmp.path("check"), *TINY])
    check(status == 0, f"exit code {status}: {err.strip()}")
    acc, cpu, differences = check_tables(lmp, out, "cpu")
    check(acc == cpu, f"two CPU runs on 1 rank differ: {acc} against {cpu}")
    check(all(d == 0.0 for d in differences), f"printed differences {differences}, expected 0")
    check(re.search(r"^  cpu: lmp\s+\(pair style eam/fs\)$", out, re.M), "the cpu runs did not use eam/fs")


def has_openmp(lmp):
    help_text = subprocess.run([lmp.lmp, "-h"], capture_output=True, text=True).stdout
    packages = help_text.split("Installed packages:", 1)[-1].split("List of", 1)[0]
    return "OPENMP" in packages.split()


def omp_path(lmp):
    """--mode omp --threads 2: eam/fs/omp in the accelerated runs, eam/fs in the reference;
    tables consistent; differences finite and below the threshold."""
    if not has_openmp(lmp):
        print(f"SKIP: {lmp.lmp} has no OPENMP package")
        sys.exit(77)
    # 2 threads on a shared 2-core machine: threads that spin while waiting would take minutes
    status, out, err = run_script(lmp, ["--mode", "omp", "--threads", 2, "--lmp", lmp.lmp, "--plugin",
                                        lmp.plugin, "--workdir", lmp.path("check"), *TINY],
                                  env={"OMP_WAIT_POLICY": "PASSIVE"})
    check(status == 0, f"exit code {status}: {err.strip()}")
    _, _, differences = check_tables(lmp, out, "omp")
    check(all(math.isfinite(d) and abs(d) < 0.5 for d in differences), f"differences {differences}")
    check(re.search(r"^  omp: lmp -sf omp -pk omp 2\s+\(pair style eam/fs/omp\)$", out, re.M),
          "the accelerated runs did not use eam/fs/omp with 2 threads")
    check(re.search(r"^  cpu-ref: lmp\s+\(pair style eam/fs\)$", out, re.M), "the reference did not use eam/fs")
    for variant in VARIANTS:
        log = lmp.path("check") / f"log.acc.{variant}.1"
        check("x 2 OpenMP threads" in log.read_text(), f"{log.name}: not 2 OpenMP threads")
    print(f"omp against cpu: differences {statistics.median(map(abs, differences)):.3g} meV/atom (median)")


def refusals(lmp):
    """Bad usage: exit code 2, one line on stderr, no traceback, nothing run."""
    plugin = ["--plugin", lmp.plugin]
    help_text = subprocess.run([lmp.lmp, "-h"], capture_output=True, text=True).stdout
    packages = help_text.split("Installed packages:", 1)[-1].split("List of", 1)[0].split()
    cases = [
        (["--mode", "cpu", "--lmp", lmp.path("no-such-lmp"), *plugin], r"--lmp '.*no-such-lmp' is not an executable file"),
        (["--mode", "cuda", "--lmp", lmp.lmp, *plugin], r"unknown --mode 'cuda': kokkos-cuda, gpu, omp or cpu"),
        (["--lmp", lmp.lmp, *plugin], r"--mode is required"),
        (["--mode", "cpu", "--lmp", lmp.lmp], r"give --lammps-src DIR .* or --plugin PATH"),
        (["--mode", "cpu", "--lmp", lmp.lmp, "--plugin", lmp.path("none.so")], r"--plugin '.*none.so' is not a file"),
        (["--mode", "cpu", "--lmp", lmp.lmp, "--lammps-src", lmp.workdir], r"is not a LAMMPS src/ directory"),
        (["--mode", "cpu", "--lmp", lmp.lmp, *plugin, "--steps", "0"], r"--steps must be an integer >= 1, got '0'"),
        (["--mode", "cpu", "--lmp", lmp.lmp, *plugin, "--cells", "ten"], r"--cells must be an integer >= 1"),
        (["--mode", "cpu", "--lmp", lmp.lmp, *plugin, "--threshold", "-1"], r"--threshold must be a number > 0"),
        (["--mode", "cpu", "--lmp", lmp.lmp, *plugin, "--steps", "20"], r"--steps 20 is too short for 2 cycles"),
        (["--mode", "cpu", "--lmp", lmp.lmp, *plugin, "--frobnicate"], r"unknown option '--frobnicate'"),
        (["--mode", "cpu", "--lmp", lmp.lmp, *plugin, "--np"], r"--np needs a value"),
    ]
    for package, mode in (("KOKKOS", "kokkos-cuda"), ("GPU", "gpu")):
        if package not in packages:    # the host lmp: neither
            cases.append((["--mode", mode, "--lmp", lmp.lmp, *plugin], rf"has no {package} package"))
    for args, message in cases:
        status, out, err = run_script(lmp, args)
        lines = err.strip().splitlines()
        check(status == 2, f"{args}: exit code {status}, expected 2")
        check(len(lines) == 1 and lines[0].startswith("gpu_check.sh: error: "), f"{args}: stderr {err!r}")
        check(re.search(message, lines[0]), f"{args}: {lines[0]!r} does not match /{message}/")
        check(out == "", f"{args}: printed {out!r}: it went on")
    check(not any(p.name.startswith("check") for p in lmp.workdir.iterdir()), "a refusal made a work directory")
    # the table of a directory without logs
    result = subprocess.run([PYTHON, str(TABLE_PY), "--workdir", str(lmp.workdir), "--mode", "cpu", "--steps", "10"],
                            capture_output=True, text=True)
    print(result.stdout, result.stderr)
    check(result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
          and result.stderr.startswith("gpu_check.py: error: cannot read "), f"gpu_check.py: {result}")
    print(f"{len(cases) + 1} refusals with exit code 2 and one line")


def syntax(lmp):
    """bash -n of the script; --help prints the usage and exits 0."""
    result = subprocess.run(["bash", "-n", str(SCRIPT)], capture_output=True, text=True)
    check(result.returncode == 0 and not result.stderr, f"bash -n: {result.returncode} {result.stderr}")
    status, out, err = run_script(lmp, ["--help"])
    check(status == 0 and "--mode kokkos-cuda" in out and "--lammps-src DIR" in out and not err,
          f"--help: exit code {status}")


if __name__ == "__main__":
    CASES = {"cpu_path": cpu_path, "omp_path": omp_path, "refusals": refusals, "syntax": syntax}
    main(CASES, {name: (1,) for name in CASES})
