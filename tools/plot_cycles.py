#!/usr/bin/python3
"""Print and plot the results of a fix thermal/cycle run.

    tools/plot_cycles.py REPORT [--series SERIES] [--png OUT.png] [--title TEXT]

REPORT is the fix thermal/cycle report file (one row per completed cycle). SERIES is a
fix ave/time file with the columns  step time target_T T pe_per_atom [volume]  (as written by
examples/quickstart/in.quickstart). Prints the per-cycle table and, with --png, writes a figure:
temperature (target and measured) and potential energy per atom against time, and the hold means
per cycle. Energies are eV and temperatures K for LAMMPS metal units.

Uses Debian's python3 with python3-numpy and python3-matplotlib.
"""

import argparse
import sys

import numpy as np

REPORT_COLUMNS = ["cycle", "step_begin", "step_end", "cold_samples", "cold_pe", "cold_temp",
                  "cold_vol", "hot_samples", "hot_pe", "hot_temp", "hot_vol"]
SERIES_COLUMNS = ["step", "time", "target_T", "T", "pe_per_atom"]


class InputError(Exception):
    pass


def read_numbers(path, min_columns, what):
    """Rows of floats from a whitespace table with '#' comments; a clear error if malformed."""
    rows = []
    try:
        with open(path) as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                try:
                    values = [float(word) for word in line.split()]
                except ValueError:
                    raise InputError(f"{path}:{number}: not a row of numbers: {line.strip()!r}")
                if len(values) < min_columns:
                    raise InputError(f"{path}:{number}: {what} rows need {min_columns} columns, "
                                     f"found {len(values)}")
                rows.append(values[:min_columns])
    except OSError as error:
        raise InputError(f"cannot read {what} {path}: {error.strerror}")
    if not rows:
        raise InputError(f"{path}: no data rows in this {what}")
    return np.array(rows)


def read_report(path):
    return read_numbers(path, len(REPORT_COLUMNS), "fix thermal/cycle report")


def read_series(path):
    return read_numbers(path, len(SERIES_COLUMNS), "time series")


def print_table(report, out=sys.stdout):
    """Per-cycle hold means; energy changes relative to cycle 1 at the same hold temperature."""
    cold0, hot0 = report[0, 4], report[0, 8]
    out.write("cycle   steps            cold hold: pe/atom    d(pe) vs 1   T       volume     "
              "hot hold: pe/atom    d(pe) vs 1   T\n")
    out.write("                                   [eV]         [meV]       [K]     [A^3]      "
              "          [eV]         [meV]       [K]\n")
    for row in report:
        out.write(f"{row[0]:5.0f}   {row[1]:6.0f}-{row[2]:<8.0f}   {row[4]:14.6f}   "
                  f"{1000 * (row[4] - cold0):+9.3f}   {row[5]:7.2f}  {row[6]:10.1f}   "
                  f"{row[8]:14.6f}   {1000 * (row[8] - hot0):+9.3f}   {row[9]:7.2f}\n")


def plot(report, series, png, title):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = 3 if series is not None else 1
    fig, axes = plt.subplots(panels, 1, figsize=(8, 3.0 * panels), constrained_layout=True)
    axes = np.atleast_1d(axes)
    if series is not None:
        time, target, temp, pe = series[:, 1], series[:, 2], series[:, 3], series[:, 4]
        axes[0].plot(time, temp, lw=0.8, color="tab:red", label="measured T")
        axes[0].plot(time, target, lw=1.5, color="black", label="target T (fix thermal/cycle)")
        axes[0].set_xlabel("time (ps)")
        axes[0].set_ylabel("temperature (K)")
        axes[0].legend(loc="upper right", fontsize=8)
        axes[1].plot(time, pe, lw=0.8, color="tab:blue")
        axes[1].set_xlabel("time (ps)")
        axes[1].set_ylabel("potential energy (eV/atom)")
    cycles = report[:, 0]
    last = axes[-1]
    last.plot(cycles, 1000 * (report[:, 4] - report[0, 4]), "o-", color="tab:blue",
              label=f"cold hold ({np.nanmean(report[:, 5]):.0f} K)")
    last.plot(cycles, 1000 * (report[:, 8] - report[0, 8]), "s-", color="tab:red",
              label=f"hot hold ({np.nanmean(report[:, 9]):.0f} K)")
    last.axhline(0.0, color="gray", lw=0.5)
    last.set_xlabel("cycle")
    last.set_ylabel("hold mean pe/atom - cycle 1 (meV)")
    last.set_xticks(cycles)
    last.legend(fontsize=8)
    if title:
        fig.suptitle(title)
    fig.savefig(png, dpi=120)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("report", help="fix thermal/cycle report file")
    parser.add_argument("--series", help="fix ave/time file: step time target_T T pe_per_atom ...")
    parser.add_argument("--png", help="write the figure to this PNG file")
    parser.add_argument("--title", default="", help="figure title")
    args = parser.parse_args(argv)
    try:
        report = read_report(args.report)
        series = read_series(args.series) if args.series else None
        print_table(report)
        if args.png:
            plot(report, series, args.png, args.title)
            print(f"wrote {args.png}")
    except InputError as error:
        print(f"plot_cycles.py: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
