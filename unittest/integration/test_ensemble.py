#!/usr/bin/env python3
"""Replica ensembles: tools/ensemble_cycles.py against statistics computed by hand on made-up
reports, its refusals of reports that are not replicas of one run, and N replicas of the
quick-start example in one mpirun with LAMMPS's -partition (files named by a world variable)."""

import re
import subprocess

from harness import REPO, check, check_close, main, read_table
from inputs import TINY_CUZR

ENSEMBLE = REPO / "tools" / "ensemble_cycles.py"
PYTHON = "/usr/bin/python3"
HEADER = ("# fix thermal/cycle ctc report: made up for the test\n"
          "# cycle step_begin step_end cold_samples cold_pe cold_temp cold_vol hot_samples hot_pe "
          "hot_temp hot_vol{values}\n")


def write_report(path, cold_pe, hot_pe, hot_temp, steps=1000, values=""):
    """A report of len(cold_pe) cycles of `steps` steps; the other columns are constants."""
    rows = [f"{k + 1} {k * steps} {(k + 1) * steps} 10 {c} 77 1000 10 {h} {t} 1010"
            + (" 0.25" if values else "") for k, (c, h, t) in enumerate(zip(cold_pe, hot_pe, hot_temp))]
    path.write_text(HEADER.format(values=values) + "\n".join(rows) + "\n")


# Three replicas, three cycles (replica x cycle), and what they give, worked out on paper:
#   cold_pe  1 2 4 | 3 3 6 | 2 4 6: means 2, 3, 16/3; standard errors (ddof=1) 1/sqrt(3),
#            1/sqrt(3), 2/3; per-replica slopes 1.5, 1.5, 2: slope 5/3, standard error 1/6,
#            95 % half width t(0.975, 2 dof) / 6 = 4.302653 / 6 (t table): [0.94956, 2.38378]
#   hot_pe   0 1 0 | 0 -1 2 | 0 0 -2: means 0, 0, 0; per-replica slopes 0, 1, -1: slope 0,
#            standard error 1/sqrt(3), half width 4.302653/sqrt(3) = 2.48414: includes 0
#   hot_temp 300 301 302 | 300 nan 302 | 300 303 302: cycle 2 from 2 replicas (mean 302,
#            sample standard deviation sqrt(2), standard error sqrt(2)/sqrt(2) = 1), no slope
COLD = [[1, 2, 4], [3, 3, 6], [2, 4, 6]]
HOT = [[0, 1, 0], [0, -1, 2], [0, 0, -2]]
TEMP = [[300, 301, 302], [300, "nan", 302], [300, 303, 302]]
T_975_2 = 4.302653    # two-sided 95 % quantile of Student's t with 2 degrees of freedom (table)


def made_up_reports(lmp, values=""):
    names = []
    for i, (cold, hot, temp) in enumerate(zip(COLD, HOT, TEMP), 1):
        names.append(f"r.{i}.txt")
        write_report(lmp.path(names[-1]), cold, hot, temp, values=values)
    return names


def ensemble(lmp, *args):
    result = subprocess.run([PYTHON, str(ENSEMBLE), *args], cwd=lmp.workdir, capture_output=True,
                            text=True)
    print(result.stdout, result.stderr)
    return result


def read_ensemble_tables(path):
    """({(column, cycle): (mean, stderr, n)}, {column: (slope, low, high) or None})"""
    cycles, slopes = {}, {}
    for line in path.read_text().splitlines():
        words = line.split()
        if line.startswith("# slope "):
            numbers = [float(w) for w in words[3:]]
            slopes[words[2]] = None if all(n != n for n in numbers) else tuple(numbers)
        elif not line.startswith("#"):
            cycles[(words[0], int(words[1]))] = (float(words[2]), float(words[3]), int(words[4]))
    return cycles, slopes


def statistics_by_hand(lmp):
    """Means, standard errors, counts and slopes with their confidence intervals of three made-up
    reports equal the values worked out on paper (see above); the verdicts on zero are printed;
    the figures are written."""
    reports = made_up_reports(lmp, values=" hot:c_rj[4][4]")
    result = ensemble(lmp, *reports, "--out", "ensemble.txt", "--png", "ensemble.png", "--zones", "rj:4,5")
    check(result.returncode == 0, f"ensemble_cycles.py failed: {result.stderr}")
    # column patterns: brackets literal as in the names, * a wildcard
    for pattern in ("hot:c_rj[4][4]", "hot:c_rj[*][4]", "hot:c_*"):
        only = ensemble(lmp, *reports, "--columns", pattern)
        check(only.returncode == 0 and re.findall(r"^\S+$", only.stdout, re.M) == ["hot:c_rj[4][4]"],
              f"--columns {pattern}: {only.stdout} {only.stderr}")
    cycles, slopes = read_ensemble_tables(lmp.path("ensemble.txt"))
    third, root3 = 1 / 3, 3 ** 0.5
    expected = {("cold_pe", 1): (2, 1 / root3, 3), ("cold_pe", 2): (3, 1 / root3, 3),
                ("cold_pe", 3): (16 / 3, 2 / 3, 3), ("hot_pe", 1): (0, 0, 3),
                ("hot_pe", 2): (0, 1 / root3, 3),
                ("hot_temp", 2): (302, 1, 2), ("hot_temp", 3): (302, 0, 3)}
    # hot_pe cycle 2: 1, -1, 0: sample variance 1, standard error 1/sqrt(3)
    for key, (mean, stderr, n) in expected.items():
        got = cycles[key]
        check_close(got[0], mean, abs_tol=1e-9, what=f"mean of {key}")
        check_close(got[1], stderr, rel=1e-6, abs_tol=1e-12, what=f"standard error of {key}")
        check(got[2] == n, f"n of {key}: {got[2]}, expected {n}")
    check_close(slopes["cold_pe"][0], 5 / 3, rel=1e-9, what="slope of cold_pe")
    check_close(slopes["cold_pe"][1], 5 / 3 - T_975_2 / 6, rel=1e-5, what="CI low of cold_pe")
    check_close(slopes["cold_pe"][2], 5 / 3 + T_975_2 / 6, rel=1e-5, what="CI high of cold_pe")
    check_close(slopes["hot_pe"][0], 0, abs_tol=1e-12, what="slope of hot_pe")
    check_close(slopes["hot_pe"][2], T_975_2 * third * root3, rel=1e-5, what="CI half width of hot_pe")
    check(slopes["hot_temp"] is None, f"a slope over a nan: {slopes['hot_temp']}")
    check(re.search(r"^cold_pe\n(.*\n){3}  slope \+1\.667 per cycle, 95% CI \[\+0\.9496, \+2\.384\]: "
                    r"excludes 0$", result.stdout, re.M), "cold_pe: the printed slope and verdict")
    check(re.search(r"^hot_pe\n(.*\n){3}  slope [+-]0 per cycle, 95% CI \[-2\.484, \+2\.484\]: includes 0$",
                    result.stdout, re.M), "hot_pe: the printed slope and verdict")
    check(re.search(r"^hot_temp\n(.*\n){3}  slope: none", result.stdout, re.M), "hot_temp: slope over nan")
    for png in ("ensemble.png", "ensemble_rj.png"):
        data = lmp.path(png).read_bytes() if lmp.path(png).exists() else b""
        check(data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10000, f"{png} missing or trivial")


# --minus hot_pe: the differences cold_pe - hot_pe per replica and cycle, 1 1 4 | 3 4 4 | 2 4 8:
# means 2, 3, 16/3; standard errors 1/sqrt(3), 1 (deviations -2 1 1: variance 3), 4/3
# (deviations -4/3 -4/3 8/3: variance 48/9); per-replica slopes 1.5, 0.5, 3: slope 5/3, sample
# standard deviation sqrt(19/12) = 1.258306, standard error 0.726483, half width 4.302653 x that
# = 3.125807: [-1.459140, 4.792474], which includes 0 (cold_pe alone excludes it).
def paired_difference(lmp):
    """--minus subtracts a control column replica by replica: means, standard errors and the slope
    with its interval of the differences equal the values worked out on paper (above)."""
    reports = made_up_reports(lmp)
    result = ensemble(lmp, *reports, "--columns", "cold_pe", "--minus", "hot_pe", "--out", "paired.txt")
    check(result.returncode == 0, f"ensemble_cycles.py --minus failed: {result.stderr}")
    cycles, slopes = read_ensemble_tables(lmp.path("paired.txt"))
    name = "cold_pe-hot_pe"
    check(set(slopes) == {name}, f"columns of the paired table: {sorted(slopes)}")
    for cycle, (mean, stderr) in enumerate(((2, 1 / 3 ** 0.5), (3, 1), (16 / 3, 4 / 3)), 1):
        got = cycles[(name, cycle)]
        check_close(got[0], mean, abs_tol=1e-9, what=f"paired mean, cycle {cycle}")
        check_close(got[1], stderr, rel=1e-6, what=f"paired standard error, cycle {cycle}")
        check(got[2] == 3, f"paired n, cycle {cycle}: {got[2]}")
    check_close(slopes[name][0], 5 / 3, rel=1e-9, what="paired slope")
    check_close(slopes[name][1], -1.459140, rel=1e-5, what="paired CI low")
    check_close(slopes[name][2], 4.792474, rel=1e-5, what="paired CI high")
    check(re.search(r"^cold_pe-hot_pe\n(.*\n){3}  slope \+1\.667 per cycle, 95% CI \[-1\.459, \+4\.792\]: "
                    r"includes 0$", result.stdout, re.M), "the printed paired slope and verdict")


def refusals(lmp):
    """Reports that are not replicas of one run are refused with a message naming the
    difference, not a traceback: other columns, another schedule, another number of cycles, one
    report, a report given twice, a column pattern that matches nothing, zones not in the report."""
    reports = made_up_reports(lmp)
    write_report(lmp.path("columns.txt"), *zip(*[(1, 0, 300)] * 3), values=" hot:c_rj[4][4]")
    write_report(lmp.path("steps.txt"), *zip(*[(1, 0, 300)] * 3), steps=999)
    write_report(lmp.path("cycles.txt"), *zip(*[(1, 0, 300)] * 2))
    lmp.path("every.txt").write_text(lmp.path(reports[1]).read_text().replace("made up", "every 20"))
    cases = {"columns": ([reports[0], "columns.txt"],
                         r"columns.txt and r.1.txt have different columns \(columns only in columns.txt: "
                         r"hot:c_rj\[4\]\[4\]; only in r.1.txt: -\)"),
             "schedule": ([reports[0], "steps.txt"],
                          r"steps.txt and r.1.txt have different schedules: row 1 is cycle 1 over steps "
                          r"0-999 in one and cycle 1 over steps 0-1000 in the other"),
             "cycles": ([reports[0], "cycles.txt"], r"cycles.txt has 2 cycles, r.1.txt 3: not the same schedule"),
             "header": ([reports[0], "every.txt"], r"every.txt and r.1.txt have different headers \(fix, "
                        r"group or sampling interval\): '# fix thermal/cycle ctc report: every 20 for"),
             "one": ([reports[0]], r"1 report given: an ensemble needs at least 2 replicas"),
             "twice": ([reports[0], reports[1], f"./{reports[0]}"],
                       r"\./r.1.txt is the report r.1.txt given again"),
             "pattern": ([*reports, "--columns", "hot:c_x*"], r"no column matches hot:c_x\*"),
             "zones": ([*reports, "--zones", "rj"], r"no column hot:c_rj\[z\]\[4\] \(--zones rj\)"),
             "zone_rows": ([*reports, "--zones", "rj:x"], r"--zones rj:x: expected ID or ID:z,z,... with zone numbers"),
             "missing": ([reports[0], "missing.txt"], r"cannot read fix thermal/cycle report missing.txt"),
             "minus_unknown": ([*reports, "--minus", "cold_x"], r"--minus cold_x: no such value column"),
             "minus_only": ([*reports, "--columns", "hot_pe", "--minus", "hot_pe"],
                            r"--minus hot_pe: no other column chosen to subtract it from")}
    for name, (args, message) in cases.items():
        result = ensemble(lmp, *args)
        check(result.returncode == 2, f"{name}: exit code {result.returncode}, expected 2")
        check(re.search(message, result.stderr), f"{name}: unclear message {result.stderr!r}")
        check("Traceback" not in result.stderr, f"{name}: a traceback instead of a message")


QUICKSTART = (REPO / "examples" / "quickstart" / "in.quickstart").read_text()
# the tiny quick start of test_example.py: 256 atoms, 2 short cycles (3430 steps)
TINY = {"cells": 4, "melt_steps": 300, "quench_rate": 2000, "cycles": 2, "rate": 200, "hold": 0.6}


def partitions_smoke(lmp):
    """mpirun -np 2 lmp -partition 2x1 -var replicas 2 with the quick-start input: two reports
    (ctc_report.1.txt, ctc_report.2.txt) of the same schedule from different seeds (other numbers),
    the logs say which seed each partition drew, and the ensemble tool reads the two reports."""
    status, logs = lmp.run_partitions(QUICKSTART, dict(TINY, replicas=2))
    check(status == 0, f"the 2-partition run failed: {[log[-1500:] for log in logs]}")
    for k, log in enumerate(logs):
        check("ERROR" not in log, f"partition {k}: {log[-1500:]}")
        check(re.search(r"last cycle complete on step 3430", log), f"partition {k} did not halt at step 3430")
        check(re.search(rf"velocity all create 2000 {20250204 + k} ", log),
              f"partition {k} did not draw its velocities from seed {20250204 + k}")
    reports = [read_table(lmp.path(f"ctc_report.{i}.txt")) for i in (1, 2)]
    check(all(len(report) == 2 for report in reports), "expected 2 cycles in each report")
    check([row[:3] for row in reports[0]] == [row[:3] for row in reports[1]], "different schedules")
    check(reports[0][0][4] != reports[1][0][4], "the same cold-hold energy: the same seed?")
    check(not lmp.path("ctc_report.txt").exists(), "a report without the partition's suffix")
    result = ensemble(lmp, "ctc_report.1.txt", "ctc_report.2.txt", "--columns", "cold_pe", "hot_pe")
    check(result.returncode == 0 and re.search(r"^2 replicas, 2 cycles", result.stdout, re.M),
          f"the ensemble tool did not read the two reports: {result.stderr}")
    mean = (reports[0][1][4] + reports[1][1][4]) / 2
    check(re.search(rf"cycle   2 +{mean:.6g} ", result.stdout), f"mean cold pe of cycle 2 is not {mean:.6g}")


# one short cycle 300 K -> 80 K -> 300 K (22 steps per ramp, 10 per hold) on the tiny crystal
CYCLE_PER_PARTITION = TINY_CUZR + """
fix tstat all langevin 300 300 0.1 48279
fix nve all nve
fix cycle all thermal/cycle tstat 300 80 1 rate 1e4 1e4 hold 0.01 0.01 report REPORT
run 100
"""


def report_per_partition(lmp):
    """The way of the fix thermal/cycle page to name each partition's report, a world variable
    (variable p world 1 2, report r.${p}.txt), gives one report per partition; one name for both
    partitions ends the run with an error naming the file (not two writers interleaving rows)."""
    script = "variable p world 1 2\n" + CYCLE_PER_PARTITION.replace("REPORT", "r.${p}.txt")
    status, logs = lmp.run_partitions(script, {})
    check(status == 0 and all("ERROR" not in log for log in logs), f"the run failed: {logs}")
    for p in (1, 2):
        rows = read_table(lmp.path(f"r.{p}.txt"))
        check(len(rows) == 1 and rows[0][0] == 1, f"r.{p}.txt: expected one cycle, got {rows}")
    status, logs = lmp.run_partitions(CYCLE_PER_PARTITION.replace("REPORT", "same.txt"), {})
    errors = [line for log in logs for line in log.splitlines() if line.startswith("ERROR")]
    check(status != 0, "two partitions wrote one report without an error")
    check(errors and re.search(r"Fix thermal/cycle cycle: report file same.txt is being written by another "
                               r"LAMMPS \(another partition of this run\?\); give each partition a file of "
                               r"its own", errors[0]), f"unclear or no error: {errors}")


if __name__ == "__main__":
    main({"statistics_by_hand": statistics_by_hand, "paired_difference": paired_difference, "refusals": refusals,
          "partitions_smoke": partitions_smoke, "report_per_partition": report_per_partition},
         {"statistics_by_hand": (1,), "paired_difference": (1,), "refusals": (1,), "partitions_smoke": (2,),
          "report_per_partition": (2,)})
