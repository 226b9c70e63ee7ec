"""The independent NumPy evaluation of a fix thermal/scan file: the heat of relaxation H_rel and
its uncertainty recomputed from the bin means by the fix's documented definitions, written apart
from the C kernel (src/cryo_scan.c) so that test_thermal_scan.py checks the kernel against it, and
used by tools/compare_scans.py for other ranges, windows and merged bins.

Definitions (doc/fix_thermal_scan.rst): H_rel = [H_scan - H_base](Ta) - [H_scan - H_base](Tb) on the
piecewise-linear curves of the bin means; sigma of one bin mean from the scatter of each bin mean
about the line through its neighbours. With a fit window W, H at Ta and at Tb comes instead from a
least-squares line through the bin means within W/2 of it, and its variance from the residuals of
that fit. `merge` first combines that many adjacent bins (sample-weighted).

Uses Debian's python3 with python3-numpy.
"""

import numpy as np

from cryocycle_files import InputError
from cryocycle_files import read_scan as read_scan_file


def read_scan(path):
    """(Table of the bins, {parameter: word} of the '# scan ...' line) of a fix thermal/scan file"""
    scan = read_scan_file(path)
    return scan.table, scan.parameters


def curve(table, which, merge):
    """(mean T, mean H, count) of the populated (merged) bins of 'scan' or 'base'."""
    n = table.column(f"n_{which}")
    t = np.nan_to_num(table.column(f"T_{which}")) * n
    h = np.nan_to_num(table.column(f"H_{which}")) * n
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
    if not (np.isfinite(t_a) and np.isfinite(t_b) and t_a < t_b):
        raise InputError(f"the range {t_a:g} to {t_b:g} of H_rel: Ta must be below Tb")
    for which in ("scan", "base"):
        t, h, _ = curve(table, which, merge)
        if len(t) < 2:
            raise InputError(f"{table.path}: the {which} curve has {len(t)} populated (merged) bins: H_rel needs "
                             "2 or more in both curves (a scan with baseline no, or one that ended early?)")
        if t_a < t[0] or t_b > t[-1]:
            raise InputError(f"the range {t_a} to {t_b} is outside the {which} curve ({t[0]} to {t[-1]})")
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
