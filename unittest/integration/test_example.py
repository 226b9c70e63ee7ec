#!/usr/bin/env python3
"""Smoke test of the quick-start example (the README's main job) at tiny size, and of the
plotting tool it uses."""

import re
import subprocess

from harness import REPO, check, main, read_table

EXAMPLE = (REPO / "examples" / "quickstart" / "in.quickstart").read_text()
PLOT = REPO / "tools" / "plot_cycles.py"
PYTHON = "/usr/bin/python3"

# 256 atoms, short melt, fast quench, 2 short cycles: the whole input path in a few seconds.
# (Holds of 0.6 ps after 200 K/ps ramps: fix npt's 0.1 ps damping lags a ramp by ~20 K.)
TINY = {"cells": 4, "melt_steps": 300, "quench_rate": 2000, "cycles": 2, "rate": 200, "hold": 0.6}


def quickstart_smoke(lmp):
    """The example runs, halts when the last cycle is complete, and its outputs plot."""
    output = lmp.run("quickstart", EXAMPLE, variables=TINY)
    # two cycles: 2 * (2 * 223/200 + 2 * 0.6) ps = 6.86 ps = 3430 steps at 2 fs
    check(re.search(r"last cycle complete on step 3430", output), "the run did not halt at step 3430")
    report = read_table(lmp.path("ctc_report.txt"))
    check(len(report) == 2, f"expected 2 report rows, got {len(report)}")
    for row in report:
        check(abs(row[5] - 77) < 0.25 * 77 and abs(row[9] - 300) < 0.25 * 300,
              f"hold temperatures far from 77 K / 300 K: {row}")
    series = read_table(lmp.path("ctc_timeseries.txt"))
    check(len(series) >= 29, f"time series too short: {len(series)} rows")
    png = lmp.path("ctc.png")
    result = subprocess.run([PYTHON, str(PLOT), "ctc_report.txt", "--series", "ctc_timeseries.txt",
                             "--png", str(png)], cwd=lmp.workdir, capture_output=True, text=True)
    print(result.stdout, result.stderr)
    check(result.returncode == 0, f"plot_cycles.py failed: {result.stderr}")
    check("d(pe) vs 1" in result.stdout and len(result.stdout.splitlines()) >= 4,
          "plot_cycles.py did not print the per-cycle table")
    check(png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20000,
          "plot_cycles.py did not write a non-trivial PNG")


def plot_malformed_report(lmp):
    """The plotting tool rejects a malformed report with a clear message, not a traceback."""
    bad = {"garbage.txt": ("1 0 100 5 -4.4 77 not-a-number\n", r"garbage.txt:1: not a row of numbers"),
           "short.txt": ("1 0 100 5 -4.4\n", r"report rows need 11 columns, found 5"),
           "empty.txt": ("# only a comment\n", r"no data rows"),
           "missing.txt": (None, r"cannot read fix thermal/cycle report missing.txt")}
    for name, (content, message) in bad.items():
        if content is not None:
            lmp.path(name).write_text(content)
        result = subprocess.run([PYTHON, str(PLOT), name], cwd=lmp.workdir, capture_output=True,
                                text=True)
        check(result.returncode == 2, f"{name}: exit code {result.returncode}, expected 2")
        check(re.search(message, result.stderr), f"{name}: unclear message: {result.stderr!r}")
        check("Traceback" not in result.stderr, f"{name}: traceback instead of a message")


if __name__ == "__main__":
    main({"quickstart_smoke": quickstart_smoke, "plot_malformed_report": plot_malformed_report},
         {"plot_malformed_report": (1,)})
