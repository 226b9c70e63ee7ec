#!/usr/bin/python3
"""Compare virtual DSC scans written by fix thermal/scan (file keyword).

    tools/compare_scans.py [LABEL=]SCAN.txt ... [--range Ta Tb] [--window W] [--merge M]
                           [--png OUT.png] [--title TEXT]

Each SCAN file holds the binned curves of one scan and its baseline. For each file the script
prints the heat of relaxation H_rel over [Ta, Tb] (default: the relaxation range in the file's
header) with its standard uncertainty, recomputed here with NumPy from the bin means (the same
definitions as the fix: H_rel = [H_scan - H_base](Ta) - [H_scan - H_base](Tb) on the piecewise-
linear curves of the bin means; sigma of one bin mean from the scatter of each bin mean about
the line through its neighbours), next to the value the fix wrote, and the gap H_scan - H_base
at Ta and at Tb (H_rel is its drop from Ta to Tb: a gap at Tb far from 0 means the scan and its
baseline had not yet become the same liquid there). With a fit window (the fix's
window keyword, read from the header, or --window W) H at Ta and at Tb comes instead from a
least-squares line through the bin means within W/2 of it, and its variance from the residuals of
that fit. --merge M first combines M adjacent bins (sample-weighted), which lowers the noise of
each mean.

Files given the same LABEL are replicas of one measurement (e.g. the files of `--replicas N`, one
per velocity seed): after the per-file rows the script prints, per such label, the mean H_rel,
its standard error from the spread of the replicas (standard deviation / sqrt(N)) and the 95 %
confidence interval (Student's t, N - 1 degrees of freedom), with the spread next to the median
uncertainty of a single scan. The spread also holds what a single scan cannot see: noise that is
correlated over several bins and the chance of the baseline glass; compare samples by it.

With --png it writes one figure: H(T) - H_base(Ta) of each scan and its baseline (top), the gap
H_scan - H_baseline (middle: H_rel is its drop from Ta to Tb) and the apparent heat capacity
C(T) = dH/dT in k_B per atom (bottom). Energies are eV and temperatures K
for LAMMPS metal units (k_B = 8.617e-5 eV/K).

Uses Debian's python3 with python3-numpy, python3-scipy (replicas) and python3-matplotlib.
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ensemble_cycles import mean_interval  # noqa: E402    (replicas: mean, SE, 95 % CI)

K_B = 8.617333262e-5    # eV/K
COLUMNS = ["bin", "T_lo", "T_hi", "n_scan", "T_scan", "H_scan", "pe_scan", "vol_scan", "C_scan",
           "n_base", "T_base", "H_base", "pe_base", "vol_base", "C_base"]


class InputError(Exception):
    pass


def read_scan(path):
    """(table as an array, header key/values) of a fix thermal/scan file."""
    header, rows = None, []
    try:
        with open(path) as handle:
            for number, line in enumerate(handle, 1):
                if line.startswith("# scan "):
                    words = line.split()[2:]
                    header = dict(zip(words[0::2], words[1::2]))
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                try:
                    values = [float(word) for word in line.split()]
                except ValueError:
                    raise InputError(f"{path}:{number}: not a row of numbers: {line.strip()!r}")
                if len(values) != len(COLUMNS):
                    raise InputError(f"{path}:{number}: {len(values)} columns, a scan file has {len(COLUMNS)}")
                rows.append(values)
    except OSError as error:
        raise InputError(f"cannot read scan file {path}: {error.strerror}")
    if header is None:
        raise InputError(f"{path}: no '# scan ...' line: not a fix thermal/scan file")
    if not rows:
        raise InputError(f"{path}: no bins")
    return np.array(rows), header


def curve(table, which, merge):
    """(mean T, mean H, count) of the populated (merged) bins of 'scan' or 'base'."""
    n = table[:, COLUMNS.index(f"n_{which}")]
    t = np.nan_to_num(table[:, COLUMNS.index(f"T_{which}")]) * n
    h = np.nan_to_num(table[:, COLUMNS.index(f"H_{which}")]) * n
    groups = -(-len(n) // merge)
    pad = groups * merge - len(n)
    n, t, h = (np.concatenate([a, np.zeros(pad)]).reshape(groups, merge).sum(axis=1) for a in (n, t, h))
    keep = n > 0
    return t[keep] / n[keep], h[keep] / n[keep], n[keep]


def bin_noise(t, h, t_a, t_b):
    """variance of one bin mean: residuals about the neighbours' line, inside [t_a, t_b]"""
    a = (t[2:] - t[1:-1]) / (t[2:] - t[:-2])
    b = 1.0 - a
    d = h[1:-1] - (a * h[:-2] + b * h[2:])
    inside = (t[1:-1] >= t_a) & (t[1:-1] <= t_b)
    if inside.sum() == 0:
        return np.nan
    return np.mean(d[inside] ** 2 / (1.0 + a[inside] ** 2 + b[inside] ** 2))


def interpolation_weight(t, x):
    """weight w of the lower bracketing mean in w h_j + (1 - w) h_j+1"""
    j = np.searchsorted(t, x, side="right") - 1
    j = min(max(j, 0), len(t) - 2)
    return (t[j + 1] - x) / (t[j + 1] - t[j])


def line_fit_at(t, h, x, window):
    """(value, variance) at x of the least-squares line through the points within window/2 of x"""
    near = np.abs(t - x) <= 0.5 * window
    if near.sum() < 2 or np.ptp(t[near]) == 0.0:
        raise InputError(f"the fit window {window} around {x} holds fewer than 2 bins")
    design = np.vstack([np.ones(near.sum()), t[near] - x]).T
    coef, _, _, _ = np.linalg.lstsq(design, h[near], rcond=None)
    if near.sum() < 3:
        return coef[0], np.nan
    rss = float(np.sum((h[near] - design @ coef) ** 2))
    # variance of the intercept (the value at x): s^2 [(X^T X)^-1]_00
    return coef[0], rss / (near.sum() - 2) * np.linalg.inv(design.T @ design)[0, 0]


def relaxation(table, t_a, t_b, merge, window=0.0):
    """(H_rel, its uncertainty); window > 0: the ends from line fits over that width"""
    h_rel, sigma, _ = relaxation_with_gaps(table, t_a, t_b, merge, window)
    return h_rel, sigma


def relaxation_with_gaps(table, t_a, t_b, merge, window=0.0):
    """(H_rel, its uncertainty, (gap at Ta, gap at Tb)) with gap = H_scan - H_base: H_rel is
    the drop of the gap from Ta to Tb"""
    gap, variance = [], 0.0
    ends = np.array([t_a, t_b])
    for which in ("scan", "base"):
        t, h, _ = curve(table, which, merge)
        if len(t) < 2 or t_a < t[0] or t_b > t[-1]:
            raise InputError(f"the range {t_a} to {t_b} is outside the {which} curve "
                             f"({t[0] if len(t) else 'no'} to {t[-1] if len(t) else 'bins'})")
        if window > 0.0:
            fits = [line_fit_at(t, h, x, window) for x in ends]
            gap.append(np.array([value for value, _ in fits]))
            variance += sum(var for _, var in fits)
            continue
        gap.append(np.interp(ends, t, h))
        sigma2 = bin_noise(t, h, t_a, t_b)
        for x in ends:
            w = interpolation_weight(t, x)
            variance += sigma2 * (w * w + (1.0 - w) ** 2)
    (scan_a, scan_b), (base_a, base_b) = gap
    return (scan_a - base_a) - (scan_b - base_b), float(np.sqrt(variance)), (scan_a - base_a, scan_b - base_b)


def heat_capacity(t, h):
    """central differences of bin means, one-sided at the ends"""
    c = np.empty_like(h)
    c[1:-1] = (h[2:] - h[:-2]) / (t[2:] - t[:-2])
    c[0] = (h[1] - h[0]) / (t[1] - t[0])
    c[-1] = (h[-1] - h[-2]) / (t[-1] - t[-2])
    return c


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
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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
    top.legend(fontsize=7)
    bottom.set_ylabel("apparent C = dH/dT (k_B per atom)")
    bottom.set_xlabel("target temperature (K)")
    bottom.legend(fontsize=7)
    if title:
        fig.suptitle(title)
    fig.savefig(png, dpi=120)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("scans", nargs="+", metavar="[LABEL=]SCAN", help="fix thermal/scan files")
    parser.add_argument("--range", nargs=2, type=float, metavar=("TA", "TB"),
                        help="temperature range of H_rel (default: the relaxation range of each file)")
    parser.add_argument("--window", type=float,
                        help="width of the line fits at Ta and Tb; 0: interpolation (default: the file's window)")
    parser.add_argument("--merge", type=int, default=1, help="combine this many adjacent bins (default 1)")
    parser.add_argument("--png", help="write the figure to this PNG file")
    parser.add_argument("--title", default="", help="figure title")
    args = parser.parse_args(argv)
    try:
        if args.merge < 1:
            raise InputError(f"--merge {args.merge}: must be >= 1")
        scans, t_range = [], None
        width = max(20, *(len(spec.rpartition("=")[0] or spec) for spec in args.scans))
        print(f"{'scan':<{width}} {'Ta':>7} {'Tb':>7} {'H_rel (meV/atom)':>18} {'fix wrote':>12} {'rate':>8} "
              f"{'gap(Ta)':>9} {'gap(Tb)':>9}")
        for spec in args.scans:
            label, _, path = spec.rpartition("=")
            table, header = read_scan(path)
            label = label or path
            t_range = tuple(args.range) if args.range else (float(header["t_a"]), float(header["t_b"]))
            if not np.all(np.isfinite(t_range)):
                raise InputError(f"{path}: no relaxation range in the file; give --range Ta Tb")
            window = args.window if args.window is not None else float(header.get("window", 0.0))
            if not np.isfinite(window) or window < 0.0:
                raise InputError(f"fit window {window}: must be 0 (interpolation) or positive")
            h_rel, sigma, (gap_a, gap_b) = relaxation_with_gaps(table, *t_range, args.merge, window)
            print(f"{label:<{width}} {t_range[0]:>7g} {t_range[1]:>7g} {1000 * h_rel:>9.2f} +- {1000 * sigma:<6.2f}"
                  f" {1000 * float(header['h_rel']):>12.2f} {header['rate']:>8} {1000 * gap_a:>9.2f} {1000 * gap_b:>9.2f}")
            scans.append((label, table, h_rel, sigma))
        groups = replica_groups(scans)
        if groups:
            print_replica_groups(groups, width)
        if args.png:
            plot(scans, t_range, args.merge, args.png, args.title)
            print(f"wrote {args.png}")
    except InputError as error:
        print(f"compare_scans.py: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
