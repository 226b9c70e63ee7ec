"""The files the CryoCycle styles write, read for the tools in tools/ (and the tests).

    fix thermal/cycle ... report FILE     read_report: one row per completed cycle
    fix thermal/scan ... file FILE        read_scan: the bins of one scan and its baseline
    fix ave/time ... file FILE            read_series (mode scalar), read_blocks (mode vector)

Column names come from each file's own header line ('# cycle ...', '# bin ...', the comment line
above the rows of a fix ave/time file),
so a tool asks for a column by name (table.column("hot_pe")). Whatever makes a file unreadable or
its numbers meaningless (no header, a second header of a concatenated file, a row of the wrong
width, bytes that are not text, cycles out of order, a populated bin without a mean) is an
InputError naming the file and the line; `exit_on_input_error` turns it into the one-line message
and exit code 2 of every tool. `save_figure` writes a figure without a display.

Uses Debian's python3 with python3-numpy (python3-matplotlib for figures).
"""

import argparse
import os
import sys

import numpy as np


class InputError(Exception):
    """Input a tool cannot use: printed as one line, exit code 2 (exit_on_input_error)."""


def exit_on_input_error(tool, main):
    """Run main() (which returns an exit code); an InputError becomes the line
    '<tool>: error: <message>' on stderr and exit code 2."""
    try:
        return main()
    except InputError as error:
        print(f"{tool}: error: {error}", file=sys.stderr)
        return 2


def tool_parser(doc):
    """The command-line parser of a tool whose --help prints its docstring `doc`."""
    return argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)


def read_lines(path, what):
    """The lines of a text file, or an InputError saying why not (missing, a directory, not text)."""
    try:
        with open(path, encoding="utf-8-sig") as handle:    # -sig: a byte order mark is no text
            return handle.read().splitlines()
    except OSError as error:
        raise InputError(f"cannot read {what} {path}: {error.strerror}")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: byte {error.object[error.start]:#04x} at offset {error.start} is not "
                         f"text (UTF-8): not a {what}")


def same_file(path, other):
    """path and other name one file (also through links or another spelling)"""
    return os.path.realpath(path) == os.path.realpath(other)


class Table:
    """Rows of numbers under named columns: `names` from the header line, `rows` an array
    (rows x names), `comments` the other '#' lines above the rows, `lines` the file line of each row."""

    def __init__(self, path, what, names, rows, comments, lines):
        self.path, self.what, self.names, self.comments = path, what, names, comments
        self.rows = np.array(rows, dtype=float).reshape(len(rows), len(names))
        self.lines = lines

    def index(self, name):
        if name not in self.names:
            raise InputError(f"{self.path}: the {self.what} has no column {name} (columns: {' '.join(self.names)})")
        return self.names.index(name)

    def column(self, name):
        return self.rows[:, self.index(name)]

    def refuse_rows(self, bad, message):
        """InputError at the first row where `bad` is true: '<path>:<line>: ' + message(row index)"""
        if np.any(bad):
            k = int(np.nonzero(bad)[0][0])
            raise InputError(f"{self.path}:{self.lines[k]}: {message(k)}")


def open_for_writing(path):
    """The file `path`, opened to be written, or an InputError naming it and why not."""
    try:
        return open(path, "w")
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}")


def numbers(path, number, line):
    try:
        return [float(word) for word in line.split()]
    except ValueError:
        raise InputError(f"{path}:{number}: not a row of numbers: {line.strip()!r}")


def read_table(path, what, names_line=None, default_names=None):
    """The Table of a whitespace file with '#' comments whose column names stand in the comment
    line that starts with `names_line` (e.g. '# cycle '; None: the last comment line above the
    rows, as fix ave/time's title2). Without that line the file is refused, unless default_names
    are given (the columns every such file has: rows need at least that many, and only those are
    kept). A second names line (files concatenated, or two runs in one file) is refused."""
    names, names_at, comments, comment_at, rows, lines = None, None, [], None, [], []
    for number, line in enumerate(read_lines(path, what), 1):
        if names_line is None and not rows and comments and not line.lstrip().startswith("#") and line.strip():
            names, names_at = comments[-1][1:].split(), comment_at
        if names_line is not None and line.startswith(names_line):
            if names is not None:
                raise InputError(f"{path}:{number}: a second header line {names_line.strip()!r} (the first "
                                 f"on line {names_at}): two {what}s in one (concatenated files, or two runs)?")
            if rows:
                raise InputError(f"{path}:{number}: the header line {names_line.strip()!r} after rows (line "
                                 f"{lines[0]}): not a {what} as written (lines reordered, or files joined?)")
            names, names_at = line[1:].split(), number
        elif line.lstrip().startswith("#"):
            if not rows:
                comments.append(line.strip())
                comment_at = number
        elif line.strip():
            values = numbers(path, number, line)
            need = len(names) if names else len(default_names or [])
            if names and len(values) != need:
                raise InputError(f"{path}:{number}: {len(values)} columns, the header line "
                                 f"({names_at}) names {need}")
            if not names and len(values) < need:
                raise InputError(f"{path}:{number}: {what} rows need {need} columns, found {len(values)}")
            rows.append(values[:need] if need else values)
            lines.append(number)
    if names is None and default_names is None:
        raise InputError(f"{path}: no {(names_line or '# column names').strip()!r} header line: not a {what}")
    if not rows:
        raise InputError(f"{path}: no data rows in this {what}")
    return Table(path, what, names or list(default_names), rows, comments, lines)


# ---- fix thermal/cycle report ------------------------------------------------------------------

REPORT = "fix thermal/cycle report"
# the columns every report has, before the values of its `values` keyword
REPORT_COLUMNS = ("cycle", "step_begin", "step_end", "cold_samples", "cold_pe", "cold_temp", "cold_vol",
                  "hot_samples", "hot_pe", "hot_temp", "hot_vol")
SCHEDULE_COLUMNS = REPORT_COLUMNS[:3]
# the zone rows 1..5 of compute rejuvenation's array (values <hold>:c_ID[z][k] of a report)
ZONE_NAMES = ("matrix", "SSB", "NSB tail", "NSB front", "small clusters")


def read_report(path, header_required=True):
    """Table of a fix thermal/cycle report; its cycles must increase (a report/append of a run
    repeated from the same start would count its cycles twice). header_required=False: a file
    without the '# cycle ...' line is read as the standard columns (e.g. rows cut out of a report)."""
    table = read_table(path, REPORT, "# cycle ", None if header_required else REPORT_COLUMNS)
    cycles, begin, end = (table.column(name) for name in SCHEDULE_COLUMNS)
    table.refuse_rows(~np.isfinite(cycles + begin + end) | (end <= begin),
                      lambda k: f"cycle {cycles[k]:g} over steps {begin[k]:g} to {end[k]:g}: not a cycle of a "
                                f"{REPORT} (a damaged file?)")
    back = np.concatenate([[False], np.diff(cycles) <= 0])
    table.refuse_rows(back, lambda k: f"cycle {cycles[k]:.0f} after cycle {cycles[k - 1]:.0f}: the cycles of a "
                                      "report must increase (two runs appended with report/append?); keep the "
                                      "rows of one run")
    return table


# ---- fix thermal/scan file ---------------------------------------------------------------------

SCAN = "fix thermal/scan file"
SCAN_COLUMNS = ("bin", "T_lo", "T_hi", "n_scan", "T_scan", "H_scan", "pe_scan", "vol_scan", "C_scan",
                "n_base", "T_base", "H_base", "pe_base", "vol_base", "C_base")
# the '# scan ...' line: parameters of the scan (pressure may be 'instant'; window, hold, pressure,
# every and dt are missing in files of older versions), then its results
SCAN_PARAMETERS = ("t1", "t2", "rate", "baseline", "hold", "pressure", "every", "dt", "t_a", "t_b", "window")
SCAN_NEEDED = ("t1", "t2", "rate", "baseline", "t_a", "t_b", "h_rel", "uncertainty")


class Scan:
    """A fix thermal/scan file: `table` (Table of its bins), `parameters` ({key: word} of the
    '# scan ...' line)."""

    def __init__(self, path, table, parameters):
        self.path, self.table, self.parameters = path, table, parameters

    def number(self, key, default=None):
        return float(self.parameters.get(key, default))


def read_scan(path):
    """The Scan of a fix thermal/scan file: one '# scan' line with the parameters of SCAN_NEEDED,
    the bins in order (numbered 1, 2, ..., increasing edges), a mean T and H in every populated
    bin. Without the '# bin ...' line of column names, the columns of SCAN_COLUMNS."""
    table = read_table(path, SCAN, "# bin ", SCAN_COLUMNS)
    scan_lines = [line for line in table.comments if line.startswith("# scan ")]
    if not scan_lines:
        raise InputError(f"{path}: no '# scan ...' line: not a {SCAN}")
    words = scan_lines[0].split()[2:]
    parameters = dict(zip(words[0::2], words[1::2]))
    for key in SCAN_NEEDED + ("window", "hold", "dt", "every"):
        try:
            float(parameters[key])
        except ValueError:
            raise InputError(f"{path}: the '# scan ...' line gives {key} {parameters[key]!r}, not a number")
        except KeyError:
            if key in SCAN_NEEDED:
                raise InputError(f"{path}: the '# scan ...' line has no {key} (truncated?): "
                                 f"{scan_lines[0][:90]!r}")
    bins, low, high = table.column("bin"), table.column("T_lo"), table.column("T_hi")
    table.refuse_rows(bins != np.arange(1, len(bins) + 1),
                      lambda k: f"bin {bins[k]:g} where bin {k + 1} belongs: the bins must be numbered 1, 2, ... "
                                "(two scans in one file?)")
    table.refuse_rows(~(low < high) | np.concatenate([[False], ~(np.diff(low) > 0)]),
                      lambda k: f"bin {k + 1} from {low[k]:g} to {high[k]:g}: the bin edges must increase "
                                f"(a damaged {SCAN}?)")
    for which in ("scan", "base"):
        n, t, h = (table.column(f"{name}_{which}") for name in ("n", "T", "H"))
        table.refuse_rows(~(np.isfinite(n) & (n >= 0)) | (n != np.round(n)),
                          lambda k: f"bin {k + 1} has {n[k]:g} samples (n_{which}): a damaged {SCAN}")
        table.refuse_rows((n > 0) & ~(np.isfinite(h) & (t >= low) & (t <= high)),
                          lambda k: f"bin {k + 1} has {n[k]:g} samples (n_{which}) but T_{which} {t[k]:g} (bin "
                                    f"{low[k]:g} to {high[k]:g}) and H_{which} {h[k]:g}: a damaged {SCAN}")
    return Scan(path, table, parameters)


# ---- fix ave/time files ------------------------------------------------------------------------

SERIES = "fix ave/time file"


def read_series(path, columns):
    """Table of a fix ave/time file in mode scalar with at least `columns` columns, named by the
    comment line above the rows ('# TimeStep ...', or the input's title2); its steps must increase
    (two runs or files in one are refused)."""
    table = read_table(path, SERIES)
    if len(table.names) < columns:
        raise InputError(f"{path}: {len(table.names)} columns ({' '.join(table.names)}), the {SERIES} "
                         f"needs {columns}")
    steps = table.rows[:, 0]
    back = np.nonzero(np.diff(steps) <= 0)[0]
    if back.size:
        k = back[0] + 1
        raise InputError(f"{path}:{table.lines[k]}: step {steps[k]:.0f} after step {steps[k - 1]:.0f}: the "
                         "steps must increase (two runs in one file?)")
    return table


def read_blocks(path, columns, what, hint=""):
    """[(step, rows)] of a fix ave/time file in mode vector: blocks of a line 'step nrows' and
    nrows rows 'index value ...'; rows is an array (nrows x columns), possibly empty. A block cut
    short, rows of another width, or steps that do not increase are refused."""
    lines = [(number, line) for number, line in enumerate(read_lines(path, what), 1)
             if line.strip() and not line.lstrip().startswith("#")]
    blocks, k = [], 0
    while k < len(lines):
        number, line = lines[k]
        head = numbers(path, number, line)
        if len(head) != 2 or not np.all(np.isfinite(head)) or head[1] != int(head[1]) or head[1] < 0:
            raise InputError(f"{path}:{number}: expected a block line 'step rows' of a fix ave/time "
                             f"file in mode vector, found {line.strip()[:60]!r}")
        step, nrows = int(head[0]), int(head[1])
        body = lines[k + 1:k + 1 + nrows]
        if len(body) < nrows:
            raise InputError(f"{path}:{number}: the block of step {step} announces {nrows} rows, the file "
                             f"ends after {len(body)} (cut short?)")
        rows = []
        for row_number, row_line in body:
            values = numbers(path, row_number, row_line)
            if len(values) != columns + 1:
                raise InputError(f"{path}:{row_number}: {what} rows have {len(values) - 1} columns after the "
                                 f"row index; need {columns}{hint}")
            rows.append(values[1:])
        if blocks and step <= blocks[-1][0]:
            raise InputError(f"{path}:{number}: step {step} after step {blocks[-1][0]}: the steps must "
                             "increase (two runs or files in one?)")
        blocks.append((step, np.array(rows, dtype=float).reshape(nrows, columns)))
        k += 1 + nrows
    if not blocks:
        raise InputError(f"{path}: no blocks of rows in this {what}")
    return blocks


# ---- figures -----------------------------------------------------------------------------------

def pyplot():
    """matplotlib.pyplot without a display"""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def single_figure():
    """(pyplot, figure, axes) of a one-panel figure"""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4), constrained_layout=True)
    return plt, fig, ax


def figure_path(png, suffix):
    """OUT.png, 'zones' -> OUT_zones.png"""
    stem = png[:-4] if png.lower().endswith(".png") else png
    return f"{stem}_{suffix}.png"


def save_figure(fig, png, title=None, legends=(), fontsize=8):
    """Write fig to png (with a title, and the legends of the axes `legends`), close it, and say so."""
    plt = pyplot()
    for axes in legends:
        axes.legend(fontsize=fontsize)
    if title:
        fig.suptitle(title)
    try:
        fig.savefig(png, dpi=120, format="png")    # a PNG under exactly that name
    except OSError as error:
        raise InputError(f"cannot write the figure {png}: {error.strerror}")
    finally:
        plt.close(fig)
    print(f"wrote {png}")
