#!/usr/bin/env python3
"""The Python tools (tools/compare_scans.py, ensemble_cycles.py, plot_cycles.py) on files made up
here in the formats the styles write: inputs that are not replicas, or not one well-formed file,
end in one line naming the cause and exit code 2 (never a traceback, never numbers); well-formed
inputs next to them give the numbers worked out by hand. No lmp runs."""

import re
import shutil
import subprocess

from harness import REPO, check, main

PYTHON = "/usr/bin/python3"
KB_METAL = 8.617333262e-5    # eV/K
SCAN_NAMES = ("# bin T_lo T_hi n_scan T_scan H_scan pe_scan vol_scan C_scan n_base T_base H_base pe_base "
              "vol_base C_base")
REPORT_HEADER = ("# fix thermal/cycle ctc report: made up for the test\n"
                 "# cycle step_begin step_end cold_samples cold_pe cold_temp cold_vol hot_samples hot_pe "
                 "hot_temp hot_vol\n")


def tool(lmp, name, *args):
    result = subprocess.run([PYTHON, str(REPO / "tools" / name), *map(str, args)], cwd=lmp.workdir,
                            capture_output=True, text=True)
    print(f"$ {name} {' '.join(map(str, args))}\n{result.stdout}{result.stderr}")
    return result


def refused(lmp, name, args, message):
    """The tool ends with exit code 2 and one line on stderr matching `message`."""
    result = tool(lmp, name, *args)
    check(result.returncode == 2, f"{name} {args}: exit code {result.returncode}, expected 2")
    check("Traceback" not in result.stderr, f"{name} {args}: a traceback instead of a message")
    check(len(result.stderr.strip().splitlines()) == 1, f"{name} {args}: not one line: {result.stderr!r}")
    check(re.search(message, result.stderr), f"{name} {args}: the message {result.stderr.strip()!r} does "
          f"not match /{message}/")


def scan_text(drop, rate=100, baseline=True, nan_bin=None):
    """A scan file as fix thermal/scan writes it, of straight curves: H_base = 3 k_B T and H_scan =
    H_base - drop (T - 400) / 600, so that H_rel over 400 to 1000 K is exactly `drop` (eV/atom) and
    the noise of each bin 0 (16 bins of 50 K from 275 K; 100 samples each)."""
    rows = []
    for k, t in enumerate(range(300, 1100, 50)):
        h_base = 3 * KB_METAL * t
        h_scan = h_base - drop * (t - 400) / 600.0
        t_scan = "nan" if k + 1 == nan_bin else t
        base = f"100 {t} {h_base!r} 0 0 0" if baseline else "0 nan nan nan nan nan"
        rows.append(f"{k + 1} {t - 25} {t + 25} 100 {t_scan} {h_scan!r} 0 0 0 {base}")
    return ("# fix thermal/scan dsc: virtual DSC, complete at step 23000, units metal\n"
            f"# scan t1 275 t2 1075 rate {rate} baseline {int(baseline)} hold 1 pressure 0 every 5 dt 0.002 "
            f"t_a {400 if baseline else 'nan'} t_b {1000 if baseline else 'nan'} window 0 h_rel {drop!r} "
            "uncertainty 0\n" + SCAN_NAMES + "\n" + "\n".join(rows) + "\n")


def scan_file(lmp, name, *args, **kwargs):
    lmp.path(name).write_text(scan_text(*args, **kwargs))
    return name


def report_text(cold_pe, cycles=None, header=True):
    """A report of one row per cycle (1000 steps each): cold_pe as given, hot_pe = cold_pe + 0.1."""
    cycles = cycles or range(1, len(cold_pe) + 1)
    rows = [f"{c} {(c - 1) * 1000} {c * 1000} 10 {pe} 77 1000 10 {pe + 0.1} 300 1010"
            for c, pe in zip(cycles, cold_pe)]
    return (REPORT_HEADER if header else "") + "\n".join(rows) + "\n"


def scan_replicas(lmp):
    """compare_scans.py takes files under one label as replicas only if they are: the same file
    twice, scans at 100 and 400 K/ps, scans of other bins, and two files with the same numbers are
    refused under one label; under two labels the first two are fine. Two proper replicas with
    H_rel 1 and 3 meV/atom (given as LABEL=PATTERN) give, by hand, mean 2 and standard error
    sqrt(2)/sqrt(2) = 1."""
    one = scan_file(lmp, "one.txt", 0.001)
    scan_file(lmp, "three.txt", 0.003)
    fast = scan_file(lmp, "fast.txt", 0.003, rate=400)
    shutil.copy(lmp.path(one), lmp.path("copy.txt"))
    lmp.path("bins.txt").write_text("\n".join(scan_text(0.003).splitlines()[:-1]) + "\n")
    refused(lmp, "compare_scans.py", [f"glass={one}", f"glass={one}"],
            r"one.txt is given twice under the label 'glass': each replica once")
    refused(lmp, "compare_scans.py", [one, one], r"one.txt is given twice under the label 'one.txt'")
    refused(lmp, "compare_scans.py", [f"glass={one}", f"glass={fast}"],
            r"fast.txt and one.txt have different scan parameters under the label 'glass': rate 400 and 100")
    refused(lmp, "compare_scans.py", [f"glass={one}", "glass=bins.txt"],
            r"bins.txt and one.txt have different bins under the label 'glass'")
    refused(lmp, "compare_scans.py", [f"glass={one}", "glass=copy.txt"],
            r"copy.txt and one.txt hold the same numbers: not independent replicas")
    result = tool(lmp, "compare_scans.py", f"slow={one}", f"fast={fast}", f"same={one}")
    check(result.returncode == 0 and "\nreplicas" not in result.stdout, f"three labels: {result.stderr!r}")
    result = tool(lmp, "compare_scans.py", "glass=[ot]*e.txt")    # one.txt three.txt (the shell leaves it)
    group = re.search(r"^glass +2 +(\d+\.\d+) \+- (\d+\.\d+) ", result.stdout, re.M)
    check(result.returncode == 0 and group, f"no replica row: {result.stderr!r}")
    check(group.groups() == ("2.00", "1.00"), f"mean and standard error {group.groups()}, expected 2.00 and 1.00")


def malformed_scans(lmp):
    """compare_scans.py on scan files that are not one well-formed scan: two files concatenated
    (with and without the column-name line), a populated bin with a nan mean, rows cut short, an
    empty file, a directory, bytes that are not UTF-8, a '# scan' line cut short; a scan without
    baseline given a range; --range reversed; a bin mean outside its bin, a negative count, the
    column names after the rows, a figure into a directory. A path with '=' in it is read as the path (H_rel
    1 meV/atom, gap 0 at Ta and -1 at Tb, by construction)."""
    good = scan_text(0.001)
    lmp.path("twice.txt").write_text(good + good)
    bare = "\n".join(line for line in good.splitlines() if not line.startswith("# bin")) + "\n"
    lmp.path("twice_bare.txt").write_text(bare + bare)
    scan_file(lmp, "nan.txt", 0.001, nan_bin=3)
    lmp.path("cut.txt").write_text(good[:-40])
    lmp.path("empty.txt").write_text("")
    lmp.path("dir.txt").mkdir()
    lmp.path("steps.txt").write_text(report_text([1, 2]).replace("\n2 1000 2000 ", "\n2 1000 1000 "))
    lmp.path("binary.txt").write_bytes(good.encode()[:300] + b"\xff\xfe" + good.encode()[300:])
    lines = good.splitlines()
    lmp.path("truncated.txt").write_text("\n".join([lines[0], lines[1][:70]] + lines[2:]) + "\n")
    scan_file(lmp, "nobase.txt", 0.001, baseline=False)
    lmp.path("outside.txt").write_text(good.replace("\n3 375 425 100 400 ", "\n3 375 425 100 440 "))
    lmp.path("count.txt").write_text(good.replace("\n3 375 425 100 400 ", "\n3 375 425 -100 400 "))
    lmp.path("names_last.txt").write_text("\n".join(lines[:2] + lines[3:] + lines[2:3]) + "\n")
    scan_file(lmp, "a=b.txt", 0.001)
    cases = {"twice.txt": r"twice.txt:22: a second header line '# bin' \(the first on line 3\): two fix "
                          r"thermal/scan files in one \(concatenated files, or two runs\)\?",
             "twice_bare.txt": r"twice_bare.txt:\d+: bin 1 where bin 17 belongs: the bins must be numbered",
             "nan.txt": r"nan.txt:6: bin 3 has 100 samples \(n_scan\) but T_scan nan",
             "cut.txt": r"cut.txt:19: \d+ columns, the header line \(3\) names 15",
             "empty.txt": r"empty.txt: no data rows in this fix thermal/scan file",
             "dir.txt": r"cannot read fix thermal/scan file dir.txt: Is a directory",
             "binary.txt": r"binary.txt: byte 0xff at offset 300 is not text \(UTF-8\): not a fix thermal/scan file",
             "truncated.txt": r"truncated.txt: the '# scan \.\.\.' line has no t_a \(truncated\?\)",
             "outside.txt": r"outside.txt:6: bin 3 has 100 samples \(n_scan\) but T_scan 440 \(bin 375 to 425\)",
             "count.txt": r"count.txt:6: bin 3 has -100 samples \(n_scan\): a damaged fix thermal/scan file",
             "names_last.txt": r"names_last.txt:19: the header line '# bin' after rows \(line 3\)"}
    for name, message in cases.items():
        refused(lmp, "compare_scans.py", [name], message)
    refused(lmp, "compare_scans.py", ["nobase.txt", "--range", 400, 1000],
            r"nobase.txt: the base curve has 0 populated \(merged\) bins: H_rel needs 2 or more in both curves")
    refused(lmp, "compare_scans.py", ["nobase.txt"], r"nobase.txt: no relaxation range in the file")
    refused(lmp, "compare_scans.py", ["a=b.txt", "--range", 460, 340], r"--range 460 340: Ta must be below Tb")
    refused(lmp, "compare_scans.py", ["a=b.txt", "--png", "dir.txt"], r"cannot write the figure dir.txt: Is a directory")
    result = tool(lmp, "compare_scans.py", "a=b.txt")
    check(result.returncode == 0 and re.search(r"^a=b\.txt +400 +1000 +1\.00 \+- 0\.00 .* 0\.00 +-1\.00$",
                                               result.stdout, re.M), f"the file a=b.txt: {result.stderr!r}")
    result = tool(lmp, "compare_scans.py", "label=a=b.txt")
    check(result.returncode == 0 and re.search(r"^label +400 +1000 +1\.00", result.stdout, re.M),
          f"label=a=b.txt: {result.stderr!r}")


def ensemble_replicas(lmp):
    """ensemble_cycles.py refuses two reports with the same numbers (two partitions with the same
    seeds) instead of a zero standard error; a column whose slope is the same in every replica
    (cold_pe 1 2 3 | 2 3 4 | 5 6 7: slope 1 each, by hand) gets no interval instead of a zero-width
    one that "excludes 0"."""
    for name, pe in (("a.txt", [1, 2, 3]), ("b.txt", [2, 3, 4]), ("c.txt", [5, 6, 7])):
        lmp.path(name).write_text(report_text(pe))
    shutil.copy(lmp.path("a.txt"), lmp.path("same.txt"))
    refused(lmp, "ensemble_cycles.py", ["a.txt", "b.txt", "same.txt"],
            r"same.txt and a.txt hold the same numbers: not independent replicas \(the same seeds, or a copy\?\)")
    result = tool(lmp, "ensemble_cycles.py", "a.txt", "b.txt", "c.txt", "--columns", "cold_pe")
    check(result.returncode == 0, f"three replicas: {result.stderr!r}")
    check(re.search(r"^  slope \+1 per cycle, 95% CI \[\+1, \+1\]: no interval: every replica has this slope$",
                    result.stdout, re.M), "the slope line of a column without spread between replicas")


def malformed_reports(lmp):
    """plot_cycles.py and ensemble_cycles.py on reports that are not one well-formed report: cycles
    1 2 1 2 (report/append of a repeated run), two reports concatenated, an empty file, a row cut
    short, a cycle that ends on the step it begins, bytes that are not UTF-8."""
    lmp.path("good.txt").write_text(report_text([1, 2]))
    lmp.path("other.txt").write_text(report_text([3, 4]))
    lmp.path("repeated.txt").write_text(report_text([1, 2, 1, 2], cycles=[1, 2, 1, 2]))
    lmp.path("twice.txt").write_text(report_text([1, 2]) + report_text([1, 2]))
    lmp.path("empty.txt").write_text("")
    lmp.path("cut.txt").write_text(report_text([1, 2])[:-20])
    lmp.path("steps.txt").write_text(report_text([1, 2]).replace("\n2 1000 2000 ", "\n2 1000 1000 "))
    lmp.path("binary.txt").write_bytes(report_text([1, 2]).encode().replace(b"made up", b"made \xe9 up"))
    cases = {"repeated.txt": r"repeated.txt:5: cycle 1 after cycle 2: the cycles of a report must increase "
                             r"\(two runs appended with report/append\?\)",
             "twice.txt": r"twice.txt:6: a second header line '# cycle' \(the first on line 2\): two fix "
                          r"thermal/cycle reports in one",
             "cut.txt": r"cut.txt:4: \d+ columns, the header line \(2\) names 11",
             "steps.txt": r"steps.txt:4: cycle 2 over steps 1000 to 1000: not a cycle of a fix thermal/cycle report",
             "binary.txt": r"binary.txt: byte 0xe9 at offset \d+ is not text \(UTF-8\): not a fix thermal/cycle "
                           r"report"}
    for name, message in cases.items():
        refused(lmp, "ensemble_cycles.py", ["good.txt", name], message)
        refused(lmp, "plot_cycles.py", [name], message)
    refused(lmp, "ensemble_cycles.py", ["good.txt", "empty.txt"],
            r"empty.txt: no '# cycle' header line: not a fix thermal/cycle report")
    refused(lmp, "plot_cycles.py", ["empty.txt"], r"empty.txt: no data rows in this fix thermal/cycle report")
    result = tool(lmp, "ensemble_cycles.py", "good.txt", "other.txt", "--columns", "cold_pe")
    check(result.returncode == 0 and re.search(r"^  cycle   2 +3 \+- 1 ", result.stdout, re.M),
          f"mean 3 and standard error 1 of cold_pe 2 and 4 in cycle 2: {result.stderr!r}")


def malformed_series_and_bands(lmp):
    """plot_cycles.py --series and --bands on fix ave/time files that are not one well-formed file:
    two series concatenated (steps back to 0), a series of 4 columns (a series whose column names
    are the input's title2 is read), a band block cut short, two
    band files concatenated, rows of another width, a band without a persistent ID."""
    lmp.path("report.txt").write_text(report_text([1, 2]))
    series = "# Time-averaged data for fix series\n# TimeStep v_time v_target c_thermo_temp v_pe_atom\n" + \
        "".join(f"{step} {step / 500} 300 300 -4.3\n" for step in (0, 50, 100))
    lmp.path("series2.txt").write_text(series + series)
    lmp.path("narrow.txt").write_text(series.replace(" v_pe_atom", "").replace(" -4.3", ""))
    band = " ".join(["1"] * 25)
    bands = f"# Time-averaged data for fix bands\n# TimeStep Number-of-rows\n50 1\n{band}\n190 2\n{band}\n{band}\n"
    lmp.path("short.txt").write_text(bands[:-len(band) - 1])
    lmp.path("bands2.txt").write_text(bands + bands)
    lmp.path("wide.txt").write_text(bands.replace(band, band + " 1"))
    no_id = " ".join(["1"] * 13 + ["nan"] + ["1"] * 11)    # the row index, then column 13 nan
    lmp.path("no_id.txt").write_text(bands.replace(f"50 1\n{band}", f"50 1\n{no_id}"))
    lmp.path("titled.txt").write_text(series.replace("TimeStep v_time v_target c_thermo_temp v_pe_atom",
                                                     "step time target_T T pe_per_atom"))
    result = tool(lmp, "plot_cycles.py", "report.txt", "--series", "titled.txt", "--png", "titled.png")
    check(result.returncode == 0 and lmp.path("titled.png").exists(), f"a series with its own title2: {result.stderr!r}")
    for args, message in ((["--series", "series2.txt"], r"series2.txt:8: step 0 after step 100: the steps must "
                                                        r"increase \(two runs in one file\?\)"),
                          (["--series", "narrow.txt"], r"narrow.txt: 4 columns \(TimeStep v_time v_target "
                                                       r"c_thermo_temp\), the fix ave/time file needs 5"),
                          (["--bands", "short.txt"], r"short.txt:5: the block of step 190 announces 2 rows, the "
                                                     r"file ends after 1 \(cut short\?\)"),
                          (["--bands", "bands2.txt"], r"bands2.txt:10: step 50 after step 190: the steps must "
                                                      r"increase"),
                          (["--bands", "no_id.txt"], r"no_id.txt: the block of step 50 has a band of persistent "
                                                     r"ID \(column 13\) nan"),
                          (["--bands", "wide.txt"], r"wide.txt:4: band file rows have 25 columns after the row "
                                                    r"index; need 24")):
        refused(lmp, "plot_cycles.py", ["report.txt", *args], message)


def zone_values(lmp):
    """plot_cycles.py --zone-value rj:8:icosahedral on a made-up report with the column c_rj[z][8] of
    zones 1-3 in both holds: the table has each zone's value of the hot hold and each minus the
    matrix (made-up numbers, differences worked out here); the figure is written; a bad spec and a
    column the report has not are refused."""
    names = [f"{hold}:c_rj[{z}][8]" for hold in ("cold", "hot") for z in (1, 2, 3)] + ["hot:c_rj[3][1]"]
    # the last column: the atoms of the NSB tail in the hot hold, none in cycle 3 (its value: nan)
    values = {1: [0.1, 0.2, 0.3, 0.11, 0.25, 0.05, 40], 2: [0.1, 0.2, 0.3, 0.12, 0.27, 0.02, 30],
              3: [0.1, 0.2, 0.3, 0.12, 0.27, 0.0, 0]}
    lines = [REPORT_HEADER.rstrip("\n") + " " + " ".join(names)]
    for cycle, extra in values.items():
        lines.append(f"{cycle} {(cycle - 1) * 1000} {cycle * 1000} 10 -4.3 77 1000 10 -4.2 300 1010 "
                     + " ".join(map(str, extra)))
    lmp.path("zv.txt").write_text("\n".join(lines) + "\n")
    result = tool(lmp, "plot_cycles.py", "zv.txt", "--zone-value", "rj:8:icosahedral", "--png", "zv.png")
    check(result.returncode == 0, f"plot_cycles.py --zone-value failed: {result.stderr}")
    table = result.stdout.split("icosahedral (c_rj[z][8]) per zone of c_rj, end of the hot hold")[1].splitlines()
    check("SSB - matrix" in table[1], f"no zone-minus-matrix columns: {table[1]}")
    for cycle, extra in values.items():
        matrix, ssb, tail = extra[3:6]
        if extra[6] == 0:
            tail = float("nan")
        expected = [cycle, matrix, ssb, tail, ssb - matrix, tail - matrix]
        got = [float(w) for w in table[1 + cycle].split()]
        same = [g == e or abs(g - e) < 1e-6 or (g != g and e != e) for g, e in zip(got, expected)]
        check(all(same) and len(got) == 6, f"cycle {cycle}: {got}, expected {expected}")
    check("(nan: the zone had no atoms then)" in result.stdout, "no line saying what nan means")
    check(lmp.path("zv_icosahedral.png").read_bytes()[:4] == b"\x89PNG", "no zv_icosahedral.png")
    for spec, message in (("rj:8", r"--zone-value rj:8: expected ID:COLUMN:NAME"),
                          ("rj:x:ico", r"--zone-value rj:x:ico: expected ID:COLUMN:NAME"),
                          ("rj:8:a/b", r"--zone-value rj:8:a/b: expected ID:COLUMN:NAME"),
                          ("rj:9:spread", r"zv.txt: the report has no column hot:c_rj\[z\]\[9\]")):
        refused(lmp, "plot_cycles.py", ["zv.txt", "--zone-value", spec], message)


CASES = {"zone_values": zone_values, "scan_replicas": scan_replicas, "malformed_scans": malformed_scans, "ensemble_replicas": ensemble_replicas,
         "malformed_reports": malformed_reports, "malformed_series_and_bands": malformed_series_and_bands}

if __name__ == "__main__":
    main(CASES, {name: (1,) for name in CASES})
