#!/usr/bin/python3
"""Ensemble statistics of N fix thermal/cycle reports of independent replicas.

    tools/ensemble_cycles.py REPORT REPORT [REPORT ...] [--columns PATTERN ...] [--minus COLUMN]
                             [--out FILE] [--png OUT.png] [--zones ID ...] [--hold hot|cold]
                             [--title TEXT]

The REPORTs are the reports of replicas of one run that differ only in their random seeds (e.g.
lmp -partition 4x1 ... -var replicas 4, or tools/run-example.sh --replicas 4): the same schedule
(the same cycles over the same steps), the same header (fix, group, sampling interval) and the
same columns, else the script refuses them.

Prints, for every value column (or those matching a --columns pattern: * and ? are wildcards, brackets
are literal, e.g. 'hot:c_total[*][4]'),
per cycle the mean over the replicas, its standard error (sample standard deviation with ddof=1,
over sqrt(N)) and N (replicas with a number: a hold without samples reports nan); then the slope
over cycles with its 95 % confidence interval, and whether that interval excludes zero.

The slope is the ordinary least-squares slope of all replica points (cycle, value), which for
replicas with a value in every cycle equals the mean of the N per-replica slopes and the slope of
the per-cycle means. Its confidence interval comes from the spread of the N per-replica slopes:
mean +- t(0.975, N-1) * std(slopes, ddof=1) / sqrt(N). Replicas are independent; the cycles of
one replica are not (each replica keeps its own sample: a replica with a larger front stays larger
every cycle), so treating all N*C points as independent (N*C-2 degrees of freedom) would give an
interval of the wrong width, and one from the C means (C-2 degrees of freedom) wastes the replicas.
A column with nan in some cycle of some replica gets no slope.

--minus COLUMN subtracts, replica by replica and cycle by cycle, COLUMN from every chosen column
before the statistics (printed as NAME-COLUMN): a paired comparison with a control measured in the
same replicas, e.g. the window fraction of a band's front minus that of the matrix of the same
sample, which removes what the cycles do to the whole sample and what one sample has more than
another.

--out FILE writes the per-cycle table (column cycle mean stderr n) and the slopes as whitespace
tables. --png OUT.png writes OUT.png (hold mean pe/atom per cycle with error bars, cold and hot)
and, per --zones ID, OUT_<ID>.png: the fraction of atoms with lo < eta <= hi per zone (columns
<hold>:c_ID[z][4] of a compute rejuvenation with zones) with error bars; --zones ID:z,z,... plots
only those zones (e.g. frozen:4 for the fronts of non-spanning bands).

Uses Debian's python3 with python3-numpy, python3-scipy and python3-matplotlib.
"""

import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cryocycle_files import (SCHEDULE_COLUMNS, ZONE_NAMES, InputError, exit_on_input_error,  # noqa: E402
                             figure_path, open_for_writing, read_report, same_file, save_figure,
                             single_figure, tool_parser)
from replicas import CONFIDENCE, mean_interval, refuse_identical  # noqa: E402


def read_reports(paths):
    """(column names, array replicas x cycles x columns) of reports of one schedule and one set of
    columns; InputError naming the first difference otherwise."""
    if len(paths) < 2:
        raise InputError(f"{len(paths)} report given: an ensemble needs at least 2 replicas")
    for k, path in enumerate(paths):
        for other in paths[:k]:
            if same_file(path, other):
                raise InputError(f"{path} is the report {other} given again: each replica once")
    reports = [read_report(path) for path in paths]
    first = reports[0]
    names = first.names
    for report in reports[1:]:
        path = report.path
        if report.comments != first.comments:
            raise InputError(f"{path} and {first.path} have different headers (fix, group or sampling "
                             f"interval): {(report.comments or [''])[0]!r} and {(first.comments or [''])[0]!r}")
        if report.names != names:
            only_here = [name for name in report.names if name not in names]
            only_first = [name for name in names if name not in report.names]
            detail = (f"columns only in {path}: {' '.join(only_here) or '-'}; only in {first.path}: "
                      f"{' '.join(only_first) or '-'}" if only_here or only_first else
                      "the same columns in another order")
            raise InputError(f"{path} and {first.path} have different columns ({detail}): not reports "
                             "of replicas of one run")
        table, table0 = report.rows, first.rows
        if table.shape[0] != table0.shape[0]:
            raise InputError(f"{path} has {table.shape[0]} cycles, {first.path} {table0.shape[0]}: "
                             "not the same schedule (did a replica stop early?)")
        differ = np.nonzero(np.any(table[:, :3] != table0[:, :3], axis=1))[0]
        if differ.size:
            k = differ[0]
            raise InputError(
                f"{path} and {first.path} have different schedules: row {k + 1} is cycle "
                f"{table[k, 0]:.0f} over steps {table[k, 1]:.0f}-{table[k, 2]:.0f} in one and cycle "
                f"{table0[k, 0]:.0f} over steps {table0[k, 1]:.0f}-{table0[k, 2]:.0f} in the other")
    refuse_identical(paths, [report.rows for report in reports], "report")
    return names, np.array([report.rows for report in reports])


def cycle_statistics(values):
    """Per cycle (values: replicas x cycles): mean, standard error (ddof=1) and count of the
    finite values; nan where fewer than 2 replicas have a number."""
    finite = np.isfinite(values)
    n = finite.sum(axis=0)
    mean = np.full(values.shape[1], np.nan)
    stderr = np.full(values.shape[1], np.nan)
    for k in range(values.shape[1]):
        column = values[finite[:, k], k]
        if column.size >= 1:
            mean[k] = column.mean()
        if column.size >= 2:
            stderr[k] = column.std(ddof=1) / np.sqrt(column.size)
    return mean, stderr, n


def slope_statistics(cycles, values):
    """(slope, lower, upper) of the 95 % confidence interval over cycles (see the module doc);
    None if some replica lacks a value in some cycle or there are fewer than 2 cycles."""
    if not np.all(np.isfinite(values)) or len(cycles) < 2:
        return None
    x = cycles - cycles.mean()
    slopes = values @ x / (x @ x)    # the least-squares slope of each replica
    slope, _, half = mean_interval(slopes)
    return slope, slope - half, slope + half


def matches(name, pattern):
    """Shell-style * and ? only: brackets are literal, as in the column names (hot:c_rj[4][4])."""
    regex = re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")
    return re.fullmatch(regex, name) is not None


def selected(names, patterns):
    chosen = [name for name in names if name not in SCHEDULE_COLUMNS and
              (not patterns or any(matches(name, p) for p in patterns))]
    if not chosen:
        raise InputError(f"no column matches {' '.join(patterns)} (columns: {' '.join(names)})")
    return chosen


def summarize(names, data, columns):
    """{column: (mean, stderr, n, slope or None)} for the chosen columns."""
    cycles = data[0, :, 0]
    result = {}
    for name in columns:
        values = data[:, :, names.index(name)]
        result[name] = (*cycle_statistics(values), slope_statistics(cycles, values))
    return result


def print_summary(cycles, nreplicas, summary, out=sys.stdout):
    out.write(f"{nreplicas} replicas, {len(cycles)} cycles; per cycle: mean +- standard error (n); "
              f"slope per cycle with its {CONFIDENCE:.0%} confidence interval\n")
    for name, (mean, stderr, n, slope) in summary.items():
        out.write(f"\n{name}\n")
        for k, cycle in enumerate(cycles):
            out.write(f"  cycle {cycle:3.0f}   {mean[k]:14.6g} +- {stderr[k]:<12.4g} ({n[k]})\n")
        if slope is None:
            out.write("  slope: none (a replica has nan in some cycle)\n")
        else:
            s, lo, hi = slope
            verdict = "excludes 0" if lo > 0 or hi < 0 else "includes 0"
            if lo == hi:    # every replica has the same slope: no spread to judge it by
                verdict = "no interval: every replica has this slope"
            out.write(f"  slope {s:+.4g} per cycle, {CONFIDENCE:.0%} CI [{lo:+.4g}, {hi:+.4g}]: {verdict}\n")


def write_tables(path, cycles, nreplicas, summary):
    with open_for_writing(path) as out:
        out.write(f"# ensemble of {nreplicas} fix thermal/cycle reports (tools/ensemble_cycles.py)\n")
        out.write("# column cycle mean stderr n\n")
        for name, (mean, stderr, n, _) in summary.items():
            for k, cycle in enumerate(cycles):
                out.write(f"{name} {cycle:.0f} {mean[k]:.10g} {stderr[k]:.10g} {n[k]}\n")
        out.write(f"# column slope_per_cycle ci{CONFIDENCE * 100:.0f}_low ci{CONFIDENCE * 100:.0f}_high\n")
        for name, (_, _, _, slope) in summary.items():
            out.write(f"# slope {name} " + ("nan nan nan" if slope is None else
                                            " ".join(f"{v:.10g}" for v in slope)) + "\n")


def zone_columns(names, spec, hold):
    """{zone name: column} for --zones ID or ID:z,z,... (only those zones: e.g. only the zones
    that all the given replicas have)"""
    compute, _, rows = spec.partition(":")
    try:
        wanted = {int(z) for z in rows.split(",")} if rows else set(range(1, len(ZONE_NAMES) + 1))
    except ValueError:
        raise InputError(f"--zones {spec}: expected ID or ID:z,z,... with zone numbers")
    found = {name: f"{hold}:c_{compute}[{z}][4]" for z, name in enumerate(ZONE_NAMES, 1)
             if z in wanted and f"{hold}:c_{compute}[{z}][4]" in names}
    if not found:
        raise InputError(f"the reports have no column {hold}:c_{compute}[z][4] (--zones {spec})")
    return found


def plot_energies(cycles, summary, png, title):
    _, fig, ax = single_figure()
    for hold, marker, color in (("cold", "o", "tab:blue"), ("hot", "s", "tab:red")):
        mean, stderr, n, _ = summary[f"{hold}_pe"]
        temp = np.nanmean(summary[f"{hold}_temp"][0])
        ax.errorbar(cycles, 1000 * (mean - mean[0]), yerr=1000 * stderr, fmt=marker + "-",
                    color=color, capsize=3, label=f"{hold} hold ({temp:.0f} K), n = {n.min()}")
    ax.axhline(0.0, color="gray", lw=0.5)
    ax.set_xlabel("cycle")
    ax.set_ylabel("hold mean pe/atom - cycle 1 (meV)\nmean +- standard error over replicas")
    ax.set_xticks(cycles)
    save_figure(fig, png, title, legends=[ax])


def plot_zone_fractions(cycles, summary, zones, hold, png, title):
    _, fig, ax = single_figure()
    for marker, (zone, name) in zip("osD^v", zones.items()):
        mean, stderr, n, _ = summary[name]
        ax.errorbar(cycles, mean, yerr=stderr, fmt=marker + "-", capsize=3, label=f"{zone} (n = {n.min()})")
    ax.set_xlabel("cycle")
    ax.set_ylabel(f"fraction of atoms with lo < eta <= hi\n(end of {hold} hold, mean +- standard error)")
    ax.set_xticks(cycles)
    save_figure(fig, png, title, legends=[ax])


def main(argv=None):
    parser = tool_parser(__doc__)
    parser.add_argument("reports", nargs="+", help="fix thermal/cycle reports of the replicas")
    parser.add_argument("--columns", nargs="+", default=[], metavar="PATTERN",
                        help="only these columns (* and ? as wildcards; default all value columns)")
    parser.add_argument("--minus", metavar="COLUMN",
                        help="subtract this column of the same replica and cycle from the chosen columns")
    parser.add_argument("--out", help="write the tables to this file")
    parser.add_argument("--png", help="write the figures (OUT.png, OUT_<zones ID>.png)")
    parser.add_argument("--zones", action="append", default=[], metavar="ID[:z,z]",
                        help="compute rejuvenation with zones: plot its window fraction per zone")
    parser.add_argument("--hold", choices=("hot", "cold"), default="hot", help="hold of the zone plots")
    parser.add_argument("--title", default="", help="figure title")
    args = parser.parse_args(argv)
    return exit_on_input_error("ensemble_cycles.py", lambda: run(args))


def run(args):
    names, data = read_reports(args.reports)
    cycles = data[0, :, 0]
    columns = selected(names, args.columns)
    zones = {compute: zone_columns(names, compute, args.hold) for compute in args.zones}
    needed = columns + [c for z in zones.values() for c in z.values() if c not in columns]
    if args.png:
        needed += [c for c in ("cold_pe", "hot_pe", "cold_temp", "hot_temp") if c not in needed]
    if args.minus:
        if args.minus not in names or args.minus in SCHEDULE_COLUMNS:
            raise InputError(f"--minus {args.minus}: no such value column (columns: {' '.join(names)})")
        columns = [c for c in columns if c != args.minus]
        if not columns:
            raise InputError(f"--minus {args.minus}: no other column chosen to subtract it from")
        control = data[:, :, names.index(args.minus)]
        differences = [data[:, :, names.index(c)] - control for c in columns]
        columns = [f"{c}-{args.minus}" for c in columns]
        names = names + columns
        data = np.concatenate([data, np.stack(differences, axis=2)], axis=2)
    summary = summarize(names, data, needed + [c for c in columns if c not in needed])
    print_summary(cycles, len(args.reports), {c: summary[c] for c in columns})
    if args.out:
        write_tables(args.out, cycles, len(args.reports), {c: summary[c] for c in columns})
        print(f"\nwrote {args.out}")
    if args.png:
        plot_energies(cycles, summary, args.png, args.title)
        for compute, zone in zones.items():
            png = figure_path(args.png, compute.partition(":")[0])
            plot_zone_fractions(cycles, summary, zone, args.hold, png, args.title)
    return 0


if __name__ == "__main__":
    sys.exit(main())
