#!/usr/bin/python3
"""Print and plot the results of a fix thermal/cycle run.

    tools/plot_cycles.py REPORT [--series SERIES] [--png OUT.png] [--title TEXT]
                                [--zones ID] [--zone-value ID:COLUMN:NAME ...] [--histogram ID:MAX]
                                [--hold hot|cold]

REPORT is the fix thermal/cycle report file (one row per completed cycle). SERIES is a
fix ave/time file with the columns  step time target_T T pe_per_atom [volume]  (as written by
examples/quickstart/in.quickstart). Prints the per-cycle table and, with --png, writes a figure:
temperature (target and measured) and potential energy per atom against time, and the hold means
per cycle. Energies are eV and temperatures K for LAMMPS metal units.

With a compute rejuvenation whose values are report columns (fix thermal/cycle ... values ...):
  --zones ID         columns <hold>:c_ID[z][4], z = 1..5 (zone rows of the array, column 4: the
                     fraction of atoms with lo < eta <= hi): table and OUT_zones.png, the fraction
                     per zone against the cycle
  --zone-value ID:COLUMN:NAME   (repeatable) columns <hold>:c_ID[z][COLUMN]: any column of the
                     zone rows, e.g. the mean of a per-atom value of compute rejuvenation ... values
                     (column 8 for the first value, 9 its standard deviation, ...), named NAME in the
                     table and in OUT_NAME.png (NAME: letters, digits, _ and -)
  --histogram ID:MAX columns <hold>:c_ID[8] ... (the histogram elements of the vector, e.g. from
                     values c_ID[*]), bins over [0, MAX): OUT_histogram.png, one curve per cycle
  --hold             which hold's values to use (default hot)

With a compute sbzone/atom with track yes whose global array is written by fix ave/time mode vector
(e.g. fix bands all ave/time 500 1 500 c_zone[*] mode vector file bands.txt):
  --bands FILE       per band (persistent ID) and cycle: atoms, front advance (the advance of its
                     free ends since it became a band, columns 18-23) and shear offset (column 24):
                     table at the end of every cycle and OUT_bands.png, both against the cycle
  --top N            of those, the N bands seen in the most evaluations (ties: the larger at its
                     last evaluation), default 6: clusters of thermal noise that cross the band
                     threshold for an evaluation or two are counted, not drawn

Uses Debian's python3 with python3-numpy and python3-matplotlib.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cryocycle_files import (ZONE_NAMES, InputError, exit_on_input_error, figure_path, pyplot,  # noqa: E402
                             read_blocks, read_report, read_series, save_figure, single_figure, tool_parser)

SERIES_COLUMNS = 5    # step time target_T T pe_per_atom (by position: the names are the input's)
VECTOR_VALUES = 7    # compute rejuvenation: the histogram starts at vector element 8


def value_column(report, name, hint):
    if name not in report.names:
        raise InputError(f"{report.path}: the report has no column {name}; {hint}")
    return report.index(name)


def zone_fractions(report, compute, hold, column=4):
    """{zone name: value per cycle} of column `column` of the zone rows (4: the window fraction), for
    the zones whose column the report has (at least one). Where the report also has the zone's atom
    count (column 1) and it is 0, the value is nan: a zone without atoms has no mean (compute
    rejuvenation writes 0 there), and 0 minus the matrix would read as a difference."""
    found = {}
    for z, name in enumerate(ZONE_NAMES, 1):
        name_in_report = f"{hold}:c_{compute}[{z}][{column}]"
        if name_in_report in report.names:
            found[name] = report.column(name_in_report).astype(float)
            count = f"{hold}:c_{compute}[{z}][1]"
            if column != 1 and count in report.names:
                found[name][report.column(count) == 0] = np.nan
    if not found:
        raise InputError(f"{report.path}: the report has no column {hold}:c_{compute}[z][{column}]; add e.g. "
                         f"values c_{compute}[1][{column}] c_{compute}[2][{column}] c_{compute}[3][{column}] "
                         f"c_{compute}[4][{column}] to fix thermal/cycle")
    return found


def zone_value_spec(spec):
    """(compute, column, name) from ID:COLUMN:NAME."""
    parts = spec.split(":")
    if (len(parts) != 3 or not parts[0] or not parts[1].isdigit() or int(parts[1]) < 1
            or not parts[2] or not all(c.isalnum() or c in "_-" for c in parts[2])):
        raise InputError(f"--zone-value {spec}: expected ID:COLUMN:NAME, e.g. rj:8:icosahedral (a column number "
                         "from 1 of the zone rows, a name of letters, digits, _ and -)")
    return parts[0], int(parts[1]), parts[2]


def histogram_counts(report, spec, hold):
    """(bin edges, counts per cycle and bin, atoms beyond the last edge per cycle)."""
    compute, _, top = spec.partition(":")
    try:
        top = float(top)
    except ValueError:
        top = float("nan")
    if not compute or not top > 0:
        raise InputError(f"--histogram {spec}: expected ID:MAX with MAX > 0 (the histogram max of "
                         "compute rejuvenation)")
    first = value_column(report, f"{hold}:c_{compute}[{VECTOR_VALUES + 1}]",
                         f"add values c_{compute}[*] to fix thermal/cycle")
    k = VECTOR_VALUES + 1
    while f"{hold}:c_{compute}[{k + 1}]" in report.names:
        k += 1
    nbins = k - VECTOR_VALUES - 1    # the last element counts eta >= MAX
    if nbins < 1:
        raise InputError(f"{report.path}: only one histogram column for c_{compute}: need the bins and "
                         "the overflow element")
    counts = report.rows[:, first:first + nbins + 1]
    return np.linspace(0.0, top, nbins + 1), counts[:, :nbins], counts[:, nbins]


def print_zones(cycles, fractions, hold, compute, out=sys.stdout, what="fraction of atoms with lo < eta <= hi",
                digits=4):
    """The window fraction per zone and, with the matrix as the control, each zone's fraction minus
    the matrix's. A matrix at 0 in every cycle is so by construction (zones evaluated at that
    instant: matrix atoms lie below the band threshold): then there is no control to subtract."""
    matrix = fractions.get("matrix")
    controlled = matrix is not None and len(fractions) > 1 and np.any(matrix != 0.0)
    differences = {f"{name} - matrix": values - matrix
                   for name, values in fractions.items() if name != "matrix"} if controlled else {}
    out.write(f"\n{what} per zone of c_{compute}, end of the {hold} hold"
              f"{' (and minus the matrix, the control)' if controlled else ''}:\n")
    columns = {**fractions, **differences}
    out.write("cycle" + "".join(f"{name:>20}" for name in columns) + "\n")
    for k, cycle in enumerate(cycles):
        out.write(f"{cycle:5.0f}" + "".join(f"{values[k]:20.{digits}f}" for values in columns.values()) + "\n")
    if any(np.isnan(values).any() for values in fractions.values()):
        out.write("(nan: the zone had no atoms then)\n")
    if matrix is not None and not controlled and what.startswith("fraction of atoms with lo < eta"):
        out.write("(the matrix is 0 by construction: zones evaluated at that instant put every atom above the band "
                  "threshold in a band; zones frozen earlier have a matrix to compare with)\n")


def print_table(report, out=sys.stdout):
    """Per-cycle hold means; energy changes relative to cycle 1 at the same hold temperature."""
    names = ("cycle", "step_begin", "step_end", "cold_pe", "cold_temp", "cold_vol", "hot_pe", "hot_temp")
    columns = np.column_stack([report.column(name) for name in names])
    cold0, hot0 = columns[0, 3], columns[0, 6]
    out.write("cycle   steps            cold hold: pe/atom    d(pe) vs 1   T       volume     "
              "hot hold: pe/atom    d(pe) vs 1   T\n")
    out.write("                                   [eV]         [meV]       [K]     [A^3]      "
              "          [eV]         [meV]       [K]\n")
    for cycle, begin, end, cold, cold_temp, vol, hot, hot_temp in columns:
        out.write(f"{cycle:5.0f}   {begin:6.0f}-{end:<8.0f}   {cold:14.6f}   "
                  f"{1000 * (cold - cold0):+9.3f}   {cold_temp:7.2f}  {vol:10.1f}   "
                  f"{hot:14.6f}   {1000 * (hot - hot0):+9.3f}   {hot_temp:7.2f}\n")


def plot(report, series, png, title):
    plt = pyplot()
    panels = 3 if series is not None else 1
    fig, axes = plt.subplots(panels, 1, figsize=(8, 3.0 * panels), constrained_layout=True)
    axes = np.atleast_1d(axes)
    if series is not None:
        time, target, temp, pe = (series.rows[:, k] for k in (1, 2, 3, 4))
        axes[0].plot(time, temp, lw=0.8, color="tab:red", label="measured T")
        axes[0].plot(time, target, lw=1.5, color="black", label="target T (fix thermal/cycle)")
        axes[0].set_xlabel("time (ps)")
        axes[0].set_ylabel("temperature (K)")
        axes[0].legend(loc="upper right", fontsize=8)
        axes[1].plot(time, pe, lw=0.8, color="tab:blue")
        axes[1].set_xlabel("time (ps)")
        axes[1].set_ylabel("potential energy (eV/atom)")
    cycles = report.column("cycle")
    last = axes[-1]
    for hold, marker, color in (("cold", "o", "tab:blue"), ("hot", "s", "tab:red")):
        pe = report.column(f"{hold}_pe")
        last.plot(cycles, 1000 * (pe - pe[0]), marker + "-", color=color,
                  label=f"{hold} hold ({np.nanmean(report.column(f'{hold}_temp')):.0f} K)")
    last.axhline(0.0, color="gray", lw=0.5)
    last.set_xlabel("cycle")
    last.set_ylabel("hold mean pe/atom - cycle 1 (meV)")
    last.set_xticks(cycles)
    save_figure(fig, png, title, legends=[last])


def plot_zones(cycles, fractions, hold, png, title, what="fraction of atoms with\n0.3 < eta <= 0.7"):
    """The window fraction per zone against the cycle; under it, with a matrix, each zone minus the
    matrix (the control)."""
    plt = pyplot()
    against_matrix = "matrix" in fractions and len(fractions) > 1 and np.any(fractions["matrix"] != 0.0)
    fig, axes = plt.subplots(2 if against_matrix else 1, 1, figsize=(7, 6 if against_matrix else 4), sharex=True,
                             constrained_layout=True, squeeze=False)
    top = axes[0, 0]
    colors = {}
    for marker, (name, values) in zip("osD^v", fractions.items()):
        label = name if not np.all(np.isnan(values)) else f"{name} (no atoms)"    # e.g. no spanning band
        colors[name] = top.plot(cycles, values, marker + "-", label=label)[0].get_color()
    top.set_ylabel(f"{what} (end of {hold} hold)")
    top.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, borderaxespad=0.0)
    if against_matrix:
        bottom = axes[1, 0]
        for marker, (name, values) in zip("osD^v", fractions.items()):
            if name != "matrix" and not np.all(np.isnan(values)):
                bottom.plot(cycles, values - fractions["matrix"], marker + "-", color=colors[name],
                            label=f"{name} - matrix")
        bottom.axhline(0.0, color="grey", linewidth=0.8)
        bottom.set_ylabel("zone minus matrix")
        bottom.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, borderaxespad=0.0)
    axes[-1, 0].set_xlabel("cycle")
    axes[-1, 0].set_xticks(cycles)
    save_figure(fig, png, title)


def plot_histogram(cycles, edges, counts, beyond, hold, png, title):
    plt, fig, ax = single_figure()
    colors = plt.get_cmap("viridis")(np.linspace(0.0, 0.9, len(cycles)))
    for k, cycle in enumerate(cycles):
        total = counts[k].sum() + beyond[k]
        ax.stairs(counts[k] / total if total else counts[k], edges, color=colors[k],
                  label=f"cycle {cycle:.0f}")
    ax.set_xlabel("atomic shear strain eta^Mises")
    ax.set_ylabel(f"fraction of atoms per bin (end of {hold} hold)")
    ax.set_yscale("log")
    save_figure(fig, png, title, legends=[ax])


BAND_TRACK_COLUMNS = 24    # compute sbzone/atom with track yes


def read_bands(path):
    """[(step, rows)] from a fix ave/time mode vector file of compute sbzone/atom's band array
    (track yes: 24 columns); rows is an array (nbands x 24), possibly empty."""
    hint = " (compute sbzone/atom ... track yes, c_ID[*])"
    blocks = read_blocks(path, BAND_TRACK_COLUMNS, "band file", hint)
    for step, rows in blocks:
        ids = rows[:, 12]    # column 13: the persistent ID
        bad = ~np.isfinite(ids) | (ids != np.round(ids)) | (ids < 1)
        if bad.any():
            raise InputError(f"{path}: the block of step {step} has a band of persistent ID (column 13) "
                             f"{ids[bad][0]:g}: not rows of a band array{hint}")
    return blocks


def cycle_position(step, report):
    """The cycle as a number: k - 1 + the fraction of cycle k that has passed at `step` (report rows
    give the first and last step of every completed cycle); clamped to the completed cycles."""
    for cycle, begin, end in schedule(report):
        if step <= end:
            return cycle - 1 + max(0.0, (step - begin) / (end - begin))
    return float(report.column("cycle")[-1])


def schedule(report):
    """rows (cycle, step_begin, step_end)"""
    return np.column_stack([report.column(name) for name in ("cycle", "step_begin", "step_end")])


def band_histories(blocks, report):
    """{persistent ID: array of (cycle position, atoms, spanning, front advance, offset)}."""
    histories = {}
    for step, rows in blocks:
        for row in rows:
            # columns (1-based): 2 atoms, 3 spanning, 18/19 advance of the low/high end since the
            # band appeared, 22/23 low/high end free, 24 shear offset
            front = row[17] * row[21] + row[18] * row[22]
            histories.setdefault(int(row[12]), []).append(
                (cycle_position(step, report), row[1], row[2], front, row[23]))
    return {band: np.array(points) for band, points in sorted(histories.items())}


def top_bands(blocks, top):
    """The persistent IDs of the `top` bands seen in the most blocks (ties: more atoms in the last
    block that has them, then the smaller ID), and how many bands the file has."""
    seen, last_atoms = {}, {}
    for _, rows in blocks:
        for row in rows:
            band = int(row[12])
            seen[band] = seen.get(band, 0) + 1
            last_atoms[band] = row[1]
    ranked = sorted(seen, key=lambda band: (-seen[band], -last_atoms[band], band))
    return ranked[:top], seen


def print_selection(shown, seen, out=sys.stdout):
    if not seen:
        print("\nBands in the file: none (no cluster reached the band size)", file=out)
        return
    short = sum(1 for band in seen if band not in shown and seen[band] <= 2)
    print(f"\nBands in the file: {len(seen)}; shown: {len(shown)}, those seen in the most evaluations "
          f"(IDs {' '.join(map(str, sorted(shown)))}); of the others {short} were seen in at most 2 "
          f"evaluations (transient clusters)", file=out)


def print_bands(blocks, report, shown, out=sys.stdout):
    """At the end of every cycle (the last block at or before its last step): the bands `shown`."""
    print("\nBands at the end of each cycle (front advance: of the free ends since it became a band)", file=out)
    print(f"{'cycle':>5} {'band':>5} {'atoms':>7} {'spanning':>8} {'front advance':>14} {'offset':>8}", file=out)
    for cycle, _, end in schedule(report):
        before = [rows for step, rows in blocks if step <= end]
        for row in before[-1] if before else []:
            if int(row[12]) not in shown:
                continue
            print(f"{cycle:5.0f} {row[12]:5.0f} {row[1]:7.0f} {row[2]:8.0f} "
                  f"{row[17] * row[21] + row[18] * row[22]:14.3f} {row[23]:8.3f}", file=out)


def plot_bands(histories, png, title):
    """Front advance and shear offset of each band against the cycle; the legend outside the axes,
    so that it covers no curve however many bands there are."""
    plt = pyplot()
    fig, (front, offset) = plt.subplots(2, 1, figsize=(8, 6), sharex=True, constrained_layout=True)
    for band, points in histories.items():
        style = "-" if points[-1, 2] == 0 else "--"
        kind = "SSB" if points[-1, 2] else "NSB"
        front.plot(points[:, 0], points[:, 3], style, marker=".", label=f"band {band} ({kind}, {points[-1, 1]:.0f} atoms)")
        offset.plot(points[:, 0], points[:, 4], style, marker=".")
    front.set_title("front advance: of the free ends since it became a band", fontsize=9)
    front.set_ylabel("front advance (A)")
    offset.set_ylabel("shear offset (A)")
    offset.set_xlabel("cycle")
    if histories:
        front.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=7, borderaxespad=0.0)
    else:
        front.text(0.5, 0.5, "no bands", transform=front.transAxes, ha="center")
    save_figure(fig, png, title)


def main(argv=None):
    parser = tool_parser(__doc__)
    parser.add_argument("report", help="fix thermal/cycle report file")
    parser.add_argument("--series", help="fix ave/time file: step time target_T T pe_per_atom ...")
    parser.add_argument("--png", help="write the figure to this PNG file")
    parser.add_argument("--title", default="", help="figure title")
    parser.add_argument("--zones", metavar="ID", help="compute rejuvenation with zones (see above)")
    parser.add_argument("--zone-value", metavar="ID:COLUMN:NAME", action="append", default=[],
                        help="any column of the zone rows (see above; repeatable)")
    parser.add_argument("--histogram", metavar="ID:MAX", help="compute rejuvenation histogram")
    parser.add_argument("--hold", choices=("hot", "cold"), default="hot", help="hold of the values")
    parser.add_argument("--bands", metavar="FILE", help="band array of compute sbzone/atom track yes")
    parser.add_argument("--top", metavar="N", type=int, default=6, help="bands shown (default 6)")
    args = parser.parse_args(argv)
    return exit_on_input_error("plot_cycles.py", lambda: run(args))


def run(args):
    specs = [zone_value_spec(spec) for spec in args.zone_value]    # refused before any output
    report = read_report(args.report, header_required=False)
    series = read_series(args.series, SERIES_COLUMNS) if args.series else None
    print_table(report)
    fractions = zone_fractions(report, args.zones, args.hold) if args.zones else None
    histogram = histogram_counts(report, args.histogram, args.hold) if args.histogram else None
    cycles = report.column("cycle")
    if fractions:
        print_zones(cycles, fractions, args.hold, args.zones)
    zone_values = []
    for compute, column, name in specs:
        zone_values.append((name, zone_fractions(report, compute, args.hold, column)))
        print_zones(cycles, zone_values[-1][1], args.hold, compute, what=f"{name} (c_{compute}[z][{column}])",
                    digits=6)
    if args.top < 1:
        raise InputError(f"--top {args.top}: must be at least 1")
    blocks = read_bands(args.bands) if args.bands else None
    if blocks:
        shown, seen = top_bands(blocks, args.top)
        print_selection(shown, seen)
        print_bands(blocks, report, shown)
    if args.png:
        plot(report, series, args.png, args.title)
        if fractions:
            plot_zones(cycles, fractions, args.hold, figure_path(args.png, "zones"), args.title)
        for name, values in zone_values:
            plot_zones(cycles, values, args.hold, figure_path(args.png, name), args.title, what=name)
        if histogram:
            plot_histogram(cycles, *histogram, args.hold, figure_path(args.png, "histogram"), args.title)
        if blocks:
            histories = band_histories(blocks, report)
            plot_bands({band: histories[band] for band in sorted(shown)}, figure_path(args.png, "bands"), args.title)
    return 0


if __name__ == "__main__":
    sys.exit(main())
