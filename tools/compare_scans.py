#!/usr/bin/python3
"""Compare virtual DSC scans written by fix thermal/scan (file keyword).

    tools/compare_scans.py [LABEL=]SCAN.txt ... [--range Ta Tb] [--window W] [--merge M]
                           [--png OUT.png] [--title TEXT]

Each SCAN file holds the binned curves of one scan and its baseline. For each file the script
prints the heat of relaxation H_rel over [Ta, Tb] (default: the relaxation range in the file's
header) with its standard uncertainty, recomputed with NumPy from the bin means by
tools/scan_relaxation.py, the evaluation written apart from the fix's C kernel that
test_thermal_scan.py checks the kernel against (the same
definitions as the fix: H_rel = [H_scan - H_base](Ta) - [H_scan - H_base](Tb) on the piecewise-
linear curves of the bin means; sigma of one bin mean from the scatter of each bin mean about
the line through its neighbours), next to the value the fix wrote, and the gap H_scan - H_base
at Ta and at Tb (H_rel is its drop from Ta to Tb: a gap at Tb far from 0 means the scan and its
baseline had not yet become the same liquid there). With a fit window (the fix's
window keyword, read from the header, or --window W) H at Ta and at Tb comes instead from a
least-squares line through the bin means within W/2 of it, and its variance from the residuals of
that fit. --merge M first combines M adjacent bins (sample-weighted), which lowers the noise of
each mean.

A SCAN that names an existing file is that file (also with '=' in its name); otherwise the text
before the first '=' is its LABEL (default: the path), and a pattern after it (LABEL='dir/*.txt',
which the shell leaves alone) stands for the files it matches. Files given the same LABEL are replicas of one measurement (e.g. the files of `--replicas N`, one
per velocity seed): after the per-file rows the script prints, per such label, the mean H_rel,
its standard error from the spread of the replicas (standard deviation / sqrt(N)) and the 95 %
confidence interval (Student's t, N - 1 degrees of freedom), with the spread next to the median
uncertainty of a single scan. The spread also holds what a single scan cannot see: noise that is
correlated over several bins and the chance of the baseline glass; compare samples by it.
Replicas must be scans of the same parameters (the '# scan' line, bar the results and what
--range and --window replace) and bins, from different files with different numbers.

With --png it writes one figure: H(T) - H_base(Ta) of each scan and its baseline (top), the gap
H_scan - H_baseline (middle: H_rel is its drop from Ta to Tb) and the apparent heat capacity
C(T) = dH/dT in k_B per atom (bottom). Energies are eV and temperatures K
for LAMMPS metal units (k_B = 8.617e-5 eV/K).

Uses Debian's python3 with python3-numpy, python3-scipy (replicas) and python3-matplotlib.
"""

import glob
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cryocycle_files import (SCAN_PARAMETERS, InputError, exit_on_input_error, pyplot, read_scan,  # noqa: E402
                             same_file, save_figure, tool_parser)
from replicas import mean_interval, refuse_identical  # noqa: E402
from scan_relaxation import curve, heat_capacity, relaxation_with_gaps  # noqa: E402

K_B = 8.617333262e-5    # eV/K


def replica_groups(scans):
    """{label: [(h_rel, sigma), ...]} of the labels given to two or more files, in order"""
    groups = {}
    for label, _, h_rel, sigma in scans:
        groups.setdefault(label, []).append((h_rel, sigma))
    return {label: values for label, values in groups.items() if len(values) >= 2}


def print_replica_groups(groups, width=20):
    print(f"\n{'replicas':<{width}} {'N':>3} {'mean H_rel +- SE (meV/atom)':>28} {'95 % CI':>18} "
          f"{'spread (sd)':>12} {'single scan':>12}")
    for label, values in groups.items():
        h = np.array([v[0] for v in values])
        mean, stderr, half = mean_interval(h)
        print(f"{label:<{width}} {h.size:>3} {1000 * mean:>17.2f} +- {1000 * stderr:<7.2f} "
              f"[{1000 * (mean - half):+7.2f}, {1000 * (mean + half):+7.2f}] {1000 * h.std(ddof=1):>12.2f} "
              f"{1000 * np.median([v[1] for v in values]):>12.2f}")


def plot(scans, t_range, merge, png, title):
    plt = pyplot()
    fig, (top, middle, bottom) = plt.subplots(3, 1, figsize=(8, 9.5), sharex=True, constrained_layout=True)
    colors = plt.get_cmap("tab10")
    groups = replica_groups(scans)
    labels = list(dict.fromkeys(label for label, _, _, _ in scans))    # one colour per label
    drawn = set()
    for label, table, h_rel, sigma in scans:
        color = colors(labels.index(label) % 10)
        first = label not in drawn    # replicas of a label: one legend entry, their mean and SE
        drawn.add(label)
        name = None
        if first and label in groups:
            mean, stderr, _ = mean_interval([v[0] for v in groups[label]])
            name = f"{label} ({len(groups[label])} replicas): H_rel = {1000 * mean:.1f} +- {1000 * stderr:.1f} meV/atom"
        elif first:
            name = f"{label}: H_rel = {1000 * h_rel:.1f} +- {1000 * sigma:.1f} meV/atom"
        width = 0.6 if label in groups else 1.5
        t_s, h_s, _ = curve(table, "scan", merge)
        t_b, h_b, _ = curve(table, "base", merge)
        zero = np.interp(t_range[0], t_b, h_b) if len(t_b) > 1 else h_s[0]
        top.plot(t_s, 1000 * (h_s - zero), "-", lw=width, color=color, label=name)
        if len(t_b) > 1:
            top.plot(t_b, 1000 * (h_b - zero), "--", color=color, lw=0.8,
                     label=f"{label}: baseline" if first else None)
            middle.plot(t_s, 1000 * (h_s - np.interp(t_s, t_b, h_b)), "o-", ms=3, lw=width, color=color,
                        label=label if first else None)
            bottom.plot(t_b, heat_capacity(t_b, h_b) / K_B, "--", color=color, lw=0.8)
        bottom.plot(t_s, heat_capacity(t_s, h_s) / K_B, "-", lw=width, color=color, label=label if first else None)
    middle.axhline(0.0, color="gray", lw=0.5)
    middle.set_ylabel("H_scan - H_baseline (meV/atom)")
    for ax in (top, middle, bottom):
        for x in t_range:
            ax.axvline(x, color="gray", lw=0.5, ls=":")
    top.set_ylabel("H - H_baseline(Ta) (meV/atom)")
    bottom.set_ylabel("apparent C = dH/dT (k_B per atom)")
    bottom.set_xlabel("target temperature (K)")
    save_figure(fig, png, title, legends=[top, bottom], fontsize=7)


def main(argv=None):
    parser = tool_parser(__doc__)
    parser.add_argument("scans", nargs="+", metavar="[LABEL=]SCAN", help="fix thermal/scan files")
    parser.add_argument("--range", nargs=2, type=float, metavar=("TA", "TB"),
                        help="temperature range of H_rel (default: the relaxation range of each file)")
    parser.add_argument("--window", type=float,
                        help="width of the line fits at Ta and Tb; 0: interpolation (default: the file's window)")
    parser.add_argument("--merge", type=int, default=1, help="combine this many adjacent bins (default 1)")
    parser.add_argument("--png", help="write the figure to this PNG file")
    parser.add_argument("--title", default="", help="figure title")
    args = parser.parse_args(argv)
    return exit_on_input_error("compare_scans.py", lambda: run(args))


def split_spec(spec):
    """[(label, path)] of [LABEL=]SCAN: an existing file is a path even with '=' in its name; a
    LABEL=PATTERN with * or ? that names no file stands for the files it matches (the shell does
    not expand a pattern after '=')"""
    if os.path.exists(spec) or "=" not in spec:
        return [(spec, spec)]
    label, _, path = spec.partition("=")
    pattern = not os.path.exists(path) and any(c in path for c in "*?[")
    matches = sorted(glob.glob(path)) if pattern else [path]
    return [(label or name, name) for name in matches or [path]]


def refuse_non_replicas(label, scans, ignored):
    """InputError unless the scans given one label are replicas: different files, the same scan
    parameters (bar `ignored`) and bins, different numbers."""
    first = scans[0]
    for k, scan in enumerate(scans[1:], 1):
        for other in scans[:k]:
            if same_file(scan.path, other.path):
                raise InputError(f"{scan.path} is given twice under the label {label!r}: each replica once")
        for key in SCAN_PARAMETERS:
            mine, theirs = scan.parameters.get(key, "-"), first.parameters.get(key, "-")
            if key not in ignored and mine != theirs:
                raise InputError(f"{scan.path} and {first.path} have different scan parameters under the label "
                                 f"{label!r}: {key} {mine} and {theirs}; replicas must be scans of the same "
                                 "parameters (give each kind its own label)")
        edges = ("T_lo", "T_hi")
        if scan.table.rows.shape != first.table.rows.shape or any(
                not np.array_equal(scan.table.column(e), first.table.column(e)) for e in edges):
            raise InputError(f"{scan.path} and {first.path} have different bins under the label {label!r}: "
                             "replicas must be scans of the same bins")
    refuse_identical([scan.path for scan in scans], [scan.table.rows for scan in scans], "scan file")


def run(args):
    if args.merge < 1:
        raise InputError(f"--merge {args.merge}: must be >= 1")
    if args.range and not (np.all(np.isfinite(args.range)) and args.range[0] < args.range[1]):
        raise InputError(f"--range {args.range[0]:g} {args.range[1]:g}: Ta must be below Tb (and both finite)")
    specs = [pair for spec in args.scans for pair in split_spec(spec)]
    files = {label: [] for label, _ in specs}
    for label, path in specs:
        files[label].append(read_scan(path))
    ignored = ({"t_a", "t_b"} if args.range else set()) | ({"window"} if args.window is not None else set())
    for label, group in files.items():
        refuse_non_replicas(label, group, ignored)
    scans, t_range = [], None
    width = max(20, *(len(label) for label, _ in specs))
    print(f"{'scan':<{width}} {'Ta':>7} {'Tb':>7} {'H_rel (meV/atom)':>18} {'fix wrote':>12} {'rate':>8} "
          f"{'gap(Ta)':>9} {'gap(Tb)':>9}")
    for label, path in specs:
        scan = files[label].pop(0)
        t_range = tuple(args.range) if args.range else (scan.number("t_a"), scan.number("t_b"))
        if not np.all(np.isfinite(t_range)):
            raise InputError(f"{path}: no relaxation range in the file; give --range Ta Tb")
        window = args.window if args.window is not None else scan.number("window", 0.0)
        if not np.isfinite(window) or window < 0.0:
            raise InputError(f"fit window {window}: must be 0 (interpolation) or positive")
        h_rel, sigma, (gap_a, gap_b) = relaxation_with_gaps(scan.table, *t_range, args.merge, window)
        print(f"{label:<{width}} {t_range[0]:>7g} {t_range[1]:>7g} {1000 * h_rel:>9.2f} +- {1000 * sigma:<6.2f}"
              f" {1000 * scan.number('h_rel'):>12.2f} {scan.parameters['rate']:>8} {1000 * gap_a:>9.2f} "
              f"{1000 * gap_b:>9.2f}")
        scans.append((label, scan.table, h_rel, sigma))
    groups = replica_groups(scans)
    if groups:
        print_replica_groups(groups, width)
    if args.png:
        plot(scans, t_range, args.merge, args.png, args.title)
    return 0


if __name__ == "__main__":
    sys.exit(main())
