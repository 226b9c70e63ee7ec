#!/usr/bin/python3
"""Young's modulus, yield stress, peak stress and stress overshoot of uniaxial tension tests.

    tools/stress_strain.py [LABEL=]CURVE.txt ... [--strain COLUMN] [--stress COLUMN]
                           [--slope-window E1 E2] [--offset STRAIN] [--flow-window F1 F2]
                           [--smooth N] [--out FILE] [--plot OUT.png] [--title TEXT]

Each CURVE is a whitespace table of one tension test at constant strain rate, one row per output
(e.g. examples/mechanical-test: fix ave/time rows of step, strain, stress_GPa, ...), '#' comment
lines above the rows; the last comment line above the first row names the columns. --strain and
--stress choose the columns by name (defaults strain and stress_GPa) or by number (1 is the first
column; a file without a names line can only be read by number). Strain is the engineering strain
(dimensionless), stress is in GPa, positive in tension.

Per curve the script reports:

  E       Young's modulus: the least-squares slope (with intercept) of stress against strain over
          the points with E1 <= strain <= E2 (--slope-window, default 0 0.01).
  yield   the 0.2 % offset yield stress (and its strain): where the curve first falls below the
          fitted line shifted by --offset (default 0.002) in strain, sigma = E (strain - offset) + b
          (b the intercept of the fit), after it has been above it, interpolated linearly between
          the two points around the crossing.
  peak    the largest stress of the curve (and its strain).
  flow    the flow stress: the mean stress of the points with F1 <= strain <= F2 (--flow-window,
          default 0.10 0.15); the curve must reach F2.
  overshoot   peak - flow.

--smooth N (odd, default 1 = none) replaces stress and strain by their running means over N
consecutive points before the yield and the peak are found (noise of amplitude s raises the peak
of a curve by about 2 s and can make the offset line's crossing early); E and the flow stress are
always taken from the points as written.

CURVEs given the same LABEL (LABEL=FILE ..., or LABEL='dir/*.txt' which the shell leaves alone)
are replicas of one glass (e.g. tension tests with different velocity seeds): after the per-curve
rows the script prints, per label, the mean of each quantity with its 95 % confidence interval,
mean +- t(0.975, N-1) s / sqrt(N) (Student's t, s the sample standard deviation of the N
replicas, ddof = 1). A CURVE that names an existing file is that file (label: its path).

A curve the script cannot use is refused with one line naming the file and the cause, and exit
code 2: fewer than 4 points in the slope window, no elastic part (the fitted slope is not positive
at 95 % confidence), a strain that does not increase from row to row, a column that is not there,
a strain that never reaches the end of the flow window, a curve that never falls below the offset
line, numbers that are not finite.

--out FILE writes the per-curve values and the per-label means and intervals as whitespace tables.
--plot OUT.png writes the curves (one colour per label), each with its fitted slope, yield and peak
marked, and the flow window shaded; the right panel enlarges the elastic part.

Uses Debian's python3 with python3-numpy, python3-scipy and python3-matplotlib.
"""

import glob
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cryocycle_files import (InputError, exit_on_input_error, numbers, open_for_writing, pyplot,  # noqa: E402
                             read_lines, same_file, save_figure, tool_parser)
from replicas import CONFIDENCE, mean_interval, refuse_identical  # noqa: E402

CURVE = "stress-strain curve"
MIN_SLOPE_POINTS = 4
QUANTITIES = (("E", "E (GPa)"), ("yield_stress", "yield 0.2% (GPa)"), ("peak_stress", "peak (GPa)"),
              ("flow_stress", "flow (GPa)"), ("overshoot", "overshoot (GPa)"))


class Curve:
    """The rows of one curve file: `names` (None without a names line), `rows` (array), `lines`
    (the file line of each row)."""

    def __init__(self, path, names, rows, lines):
        self.path, self.names, self.rows, self.lines = path, names, rows, lines

    def column(self, spec, option):
        """The column named `spec`, or numbered `spec` (from 1)."""
        if spec.isdigit():
            k = int(spec)
            if not 1 <= k <= self.rows.shape[1]:
                raise InputError(f"{self.path}: {option} {spec}: no such column (the rows have "
                                 f"{self.rows.shape[1]} columns, numbered from 1)")
            return self.rows[:, k - 1]
        if self.names is None:
            raise InputError(f"{self.path}: {option} {spec}: the file has no line of column names above its "
                             "rows; give the column by number (from 1)")
        if spec not in self.names:
            raise InputError(f"{self.path}: {option} {spec}: no such column (columns: {' '.join(self.names)})")
        return self.rows[:, self.names.index(spec)]


def read_curve(path):
    """Curve of a whitespace table with '#' comments; the last comment line above the first row
    names the columns if it has one word per column."""
    comments, rows, lines = [], [], []
    for number, line in enumerate(read_lines(path, CURVE), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if not rows:
                comments.append(stripped[1:].split())
            continue
        values = numbers(path, number, line)
        if rows and len(values) != len(rows[0]):
            raise InputError(f"{path}:{number}: {len(values)} columns, the first row (line {lines[0]}) has "
                             f"{len(rows[0])}")
        rows.append(values)
        lines.append(number)
    if not rows:
        raise InputError(f"{path}: no data rows in this {CURVE}")
    names = comments[-1] if comments and len(comments[-1]) == len(rows[0]) else None
    return Curve(path, names, np.array(rows, dtype=float), lines)


def running_mean(values, n):
    return np.convolve(values, np.ones(n) / n, mode="valid") if n > 1 else values


def analyze(curve, args):
    """{quantity: value} of one curve (see the module doc), plus what the figure needs."""
    path = curve.path
    strain = curve.column(args.strain, "--strain")
    stress = curve.column(args.stress, "--stress")
    bad = ~np.isfinite(strain) | ~np.isfinite(stress)
    if np.any(bad):
        k = int(np.nonzero(bad)[0][0])
        raise InputError(f"{path}:{curve.lines[k]}: strain {strain[k]:g}, stress {stress[k]:g}: not a number")
    back = np.nonzero(np.diff(strain) <= 0)[0]
    if back.size:
        k = int(back[0]) + 1
        raise InputError(f"{path}:{curve.lines[k]}: strain {strain[k]:.6g} after {strain[k - 1]:.6g}: the strain "
                         "must increase from row to row (two runs in one file, a file not of a tension test at "
                         "constant strain rate, or the wrong --strain column?)")
    e1, e2 = args.slope_window
    in_slope = (strain >= e1) & (strain <= e2)
    if in_slope.sum() < MIN_SLOPE_POINTS:
        raise InputError(f"{path}: {int(in_slope.sum())} points with strain in the slope window [{e1:g}, {e2:g}] "
                         f"(the curve has {strain.size} from strain {strain[0]:.4g} to {strain[-1]:.4g}): E needs "
                         f"at least {MIN_SLOPE_POINTS}; write the curve more often or widen --slope-window")
    x, y = strain[in_slope], stress[in_slope]
    xm = x - x.mean()
    modulus = float(xm @ (y - y.mean()) / (xm @ xm))
    intercept = float(y.mean() - modulus * x.mean())
    residual = y - (intercept + modulus * x)
    from scipy import stats
    dof = x.size - 2
    modulus_se = math.sqrt(float(residual @ residual) / dof / float(xm @ xm))
    modulus_low = modulus - stats.t.ppf(0.5 + CONFIDENCE / 2, dof) * modulus_se
    if not modulus_low > 0:
        raise InputError(f"{path}: no elastic part: the slope of stress against strain over [{e1:g}, {e2:g}] is "
                         f"{modulus:.4g} +- {modulus_se:.2g} GPa, not positive at {CONFIDENCE:.0%} confidence "
                         "(does the curve start at the beginning of loading? is --stress the tensile stress?)")
    f1, f2 = args.flow_window
    if strain[-1] < f2:
        where = "never reaches" if strain[-1] < f1 else "ends inside"
        raise InputError(f"{path}: the strain {where} the flow window [{f1:g}, {f2:g}]: it ends at "
                         f"{strain[-1]:.6g} (load further, or give --flow-window within the curve)")
    in_flow = (strain >= f1) & (strain <= f2)
    if not np.any(in_flow):
        raise InputError(f"{path}: no point with strain in the flow window [{f1:g}, {f2:g}]")
    flow = float(stress[in_flow].mean())
    sx, sy = running_mean(strain, args.smooth), running_mean(stress, args.smooth)
    if sx.size < 2:
        raise InputError(f"{path}: {strain.size} points, fewer than --smooth {args.smooth} + 1")
    above = sy - (modulus * (sx - args.offset) + intercept)
    first_above = np.nonzero(above > 0)[0]
    if first_above.size == 0:
        raise InputError(f"{path}: the curve never rises above the {100 * args.offset:g} % offset line "
                         f"(E = {modulus:.4g} GPa): no elastic loading")
    below = np.nonzero(above[first_above[0]:] <= 0)[0] + first_above[0]
    if below.size == 0:
        raise InputError(f"{path}: the curve never falls below the {100 * args.offset:g} % offset line "
                         f"(E = {modulus:.4g} GPa): no yield up to strain {strain[-1]:.6g}")
    k = int(below[0])
    w = above[k - 1] / (above[k - 1] - above[k])    # linear interpolation to the crossing
    yield_strain = float(sx[k - 1] + w * (sx[k] - sx[k - 1]))
    yield_stress = float(sy[k - 1] + w * (sy[k] - sy[k - 1]))
    p = int(np.argmax(sy))
    return {"E": modulus, "E_stderr": modulus_se, "intercept": intercept, "yield_stress": yield_stress,
            "yield_strain": yield_strain, "peak_stress": float(sy[p]), "peak_strain": float(sx[p]),
            "flow_stress": flow, "overshoot": float(sy[p]) - flow, "points": strain.size,
            "strain": strain, "stress": stress}


def split_spec(spec):
    """[(label, path)] of [LABEL=]CURVE (as tools/compare_scans.py): an existing file is a path even
    with '=' in its name; LABEL=PATTERN with * or ? that names no file stands for its matches."""
    if os.path.exists(spec) or "=" not in spec:
        return [(spec, spec)]
    label, _, path = spec.partition("=")
    pattern = not os.path.exists(path) and any(c in path for c in "*?[")
    matches = sorted(glob.glob(path)) if pattern else [path]
    if pattern and not matches:
        raise InputError(f"{spec}: the pattern {path} matches no file")
    return [(label or name, name) for name in matches or [path]]


def summaries(results):
    """{label: {quantity: (n, mean, half-width or nan)}} over the curves of each label"""
    groups = {}
    for label, _, values in results:
        groups.setdefault(label, []).append(values)
    out = {}
    for label, group in groups.items():
        out[label] = {}
        for key, _ in QUANTITIES:
            v = np.array([g[key] for g in group])
            if v.size >= 2:
                mean, _, half = mean_interval(v)
            else:
                mean, half = float(v[0]), math.nan
            out[label][key] = (v.size, float(mean), float(half))
    return out


def print_tables(results, summary, args):
    width = max(12, *(len(label) for label, _, _ in results))
    pwidth = max(8, *(len(path) for _, path, _ in results))
    print(f"Slope window [{args.slope_window[0]:g}, {args.slope_window[1]:g}], offset {args.offset:g}, "
          f"flow window [{args.flow_window[0]:g}, {args.flow_window[1]:g}], smooth {args.smooth}; stresses in GPa")
    print(f"{'label':<{width}} {'curve':<{pwidth}} {'points':>6} {'E':>8} {'+- fit SE':>9} {'yield':>7} "
          f"{'at strain':>9} {'peak':>7} {'at strain':>9} {'flow':>7} {'overshoot':>9}")
    for label, path, r in results:
        print(f"{label:<{width}} {path:<{pwidth}} {r['points']:>6} {r['E']:>8.2f} {r['E_stderr']:>9.2f} "
              f"{r['yield_stress']:>7.3f} {r['yield_strain']:>9.4f} {r['peak_stress']:>7.3f} {r['peak_strain']:>9.4f} "
              f"{r['flow_stress']:>7.3f} {r['overshoot']:>9.3f}")
    print(f"\nPer label: mean +- half-width of the {CONFIDENCE:.0%} confidence interval (Student's t, N-1 degrees "
          "of freedom; none for N = 1)")
    print(f"{'label':<{width}} {'N':>3}" + "".join(f" {title:>20}" for _, title in QUANTITIES))
    for label, values in summary.items():
        cells = []
        for key, _ in QUANTITIES:
            n, mean, half = values[key]
            digits = 2 if key == "E" else 3
            cells.append(f"{mean:.{digits}f} +- {half:.{digits}f}" if n >= 2 else f"{mean:.{digits}f}")
        print(f"{label:<{width}} {values['E'][0]:>3}" + "".join(f" {c:>20}" for c in cells))


def write_tables(path, results, summary, args):
    with open_for_writing(path) as out:
        out.write(f"# tools/stress_strain.py: slope_window {args.slope_window[0]:g} {args.slope_window[1]:g} "
                  f"offset {args.offset:g} flow_window {args.flow_window[0]:g} {args.flow_window[1]:g} "
                  f"smooth {args.smooth}; stresses in GPa\n")
        out.write("# curve label path points E E_stderr yield_stress yield_strain peak_stress peak_strain "
                  "flow_stress overshoot\n")
        for label, file, r in results:
            out.write(f"curve {label} {file} {r['points']} " + " ".join(
                f"{r[k]:.10g}" for k in ("E", "E_stderr", "yield_stress", "yield_strain", "peak_stress",
                                         "peak_strain", "flow_stress", "overshoot")) + "\n")
        out.write(f"# summary label quantity n mean ci{100 * CONFIDENCE:.0f}_low ci{100 * CONFIDENCE:.0f}_high\n")
        for label, values in summary.items():
            for key, _ in QUANTITIES:
                n, mean, half = values[key]
                out.write(f"summary {label} {key} {n} {mean:.10g} {mean - half:.10g} {mean + half:.10g}\n")
    print(f"wrote {path}")


def plot(results, summary, args):
    plt = pyplot()
    fig, (full, zoom) = plt.subplots(1, 2, figsize=(11, 4.5), constrained_layout=True,
                                     gridspec_kw={"width_ratios": [3, 2]})
    colors = plt.get_cmap("tab10")
    labels = list(summary)
    drawn = set()
    zoom_end = max(1.6 * max(r["yield_strain"] for _, _, r in results), 1.5 * args.slope_window[1])
    for label, _, r in results:
        color = colors(labels.index(label) % 10)
        n, mean, half = summary[label]["E"]
        name = None
        if label not in drawn:
            drawn.add(label)
            ci = f" +- {half:.1f}" if n >= 2 else ""
            name = f"{label} (N = {n}): E = {mean:.1f}{ci} GPa"
        line = np.array([0.0, r["yield_strain"] + args.offset])
        for ax in (full, zoom):
            ax.plot(r["strain"], r["stress"], "-", lw=0.8, color=color, alpha=0.8, label=name if ax is full else None)
            ax.plot(line, r["E"] * line + r["intercept"], "--", lw=0.8, color=color)
            ax.plot(r["yield_strain"], r["yield_stress"], "o", ms=4, color=color, mfc="white")
            ax.plot(r["peak_strain"], r["peak_stress"], "^", ms=4, color=color)
        zoom.plot(line, r["E"] * (line - args.offset) + r["intercept"], ":", lw=0.8, color=color)
    full.axvspan(*args.flow_window, color="0.9", zorder=0, label="flow window")
    zoom.axvspan(*args.slope_window, color="0.9", zorder=0, label="slope window")
    for ax in (full, zoom):
        ax.xaxis.set_major_locator(plt.MaxNLocator(6))
        ax.set_xlabel("engineering strain")
        ax.axhline(0.0, color="gray", lw=0.5)
    full.set_ylabel("tensile stress (GPa)")
    zoom.set_xlim(min(0.0, args.slope_window[0]), zoom_end)
    top = max(float(np.max(r["stress"][r["strain"] <= zoom_end])) for _, _, r in results)
    zoom.set_ylim(min(0.0, min(float(np.min(r["stress"])) for _, _, r in results)), 1.1 * top)
    zoom.set_title(f"elastic part: fits (dashed), {100 * args.offset:g} % offset lines (dotted);\n"
                   "yield o, peak ^", fontsize=8)
    save_figure(fig, args.plot, args.title, legends=[full, zoom], fontsize=7)


def main(argv=None):
    parser = tool_parser(__doc__)
    parser.add_argument("curves", nargs="+", metavar="[LABEL=]CURVE", help="stress-strain curve files")
    parser.add_argument("--strain", default="strain", help="strain column: name or number from 1 (default strain)")
    parser.add_argument("--stress", default="stress_GPa",
                        help="tensile stress column in GPa: name or number from 1 (default stress_GPa)")
    parser.add_argument("--slope-window", nargs=2, type=float, default=(0.0, 0.01), metavar=("E1", "E2"),
                        help="strain range of the fit that gives E (default 0 0.01)")
    parser.add_argument("--offset", type=float, default=0.002, help="offset strain of the yield stress (default 0.002)")
    parser.add_argument("--flow-window", nargs=2, type=float, default=(0.10, 0.15), metavar=("F1", "F2"),
                        help="strain range of the flow stress (default 0.10 0.15)")
    parser.add_argument("--smooth", type=int, default=1, help="running mean over N points for yield and peak "
                        "(odd, default 1: none)")
    parser.add_argument("--out", help="write the tables to this file")
    parser.add_argument("--plot", "--png", dest="plot", metavar="OUT.png", help="write the figure to this PNG file")
    parser.add_argument("--title", default="", help="figure title")
    args = parser.parse_args(argv)
    return exit_on_input_error("stress_strain.py", lambda: run(args))


def check_options(args):
    e1, e2 = args.slope_window
    f1, f2 = args.flow_window
    if not (math.isfinite(e1) and math.isfinite(e2) and e1 < e2):
        raise InputError(f"--slope-window {e1:g} {e2:g}: E1 must be below E2 (and both finite)")
    if not (math.isfinite(f1) and math.isfinite(f2) and f1 < f2):
        raise InputError(f"--flow-window {f1:g} {f2:g}: F1 must be below F2 (and both finite)")
    if not (math.isfinite(args.offset) and args.offset > 0):
        raise InputError(f"--offset {args.offset:g}: must be a positive strain")
    if args.smooth < 1 or args.smooth % 2 == 0:
        raise InputError(f"--smooth {args.smooth}: must be an odd number >= 1")


def run(args):
    check_options(args)
    specs = [pair for spec in args.curves for pair in split_spec(spec)]
    for k, (label, path) in enumerate(specs):
        for other_label, other in specs[:k]:
            if same_file(path, other):
                raise InputError(f"{path} is given twice (under {other_label!r} and {label!r}): each curve once")
    curves = [(label, read_curve(path)) for label, path in specs]
    results = [(label, curve.path, analyze(curve, args)) for label, curve in curves]
    for label in dict.fromkeys(label for label, _ in specs):
        group = [(r["strain"], r["stress"]) for lab, _, r in results if lab == label]
        paths = [path for lab, path, _ in results if lab == label]
        refuse_identical(paths, [np.stack(g) for g in group], "curve")
    summary = summaries(results)
    print_tables(results, summary, args)
    if args.out:
        write_tables(args.out, results, summary, args)
    if args.plot:
        plot(results, summary, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
