#!/usr/bin/env python3
"""Smoke tests of the examples (the README's main job and the rejuvenation example) at tiny size,
and of the plotting tool they use."""

import re
import subprocess

from harness import REPO, check, check_close, main, read_dump, read_table

EXAMPLE = (REPO / "examples" / "quickstart" / "in.quickstart").read_text()
PLOT = REPO / "tools" / "plot_cycles.py"
PYTHON = "/usr/bin/python3"

# 256 atoms, short melt, fast quench, 2 short cycles: the whole input path in a few seconds.
# (Holds of 0.6 ps after 200 K/ps ramps: fix npt's 0.1 ps damping lags a ramp by ~20 K.)
TINY = {"cells": 4, "melt_steps": 300, "quench_rate": 2000, "cycles": 2, "rate": 200, "hold": 0.6}


def quickstart_smoke(lmp):
    """The example runs, halts when the last cycle is complete, and its outputs plot."""
    output = lmp.run("quickstart", EXAMPLE, variables=TINY)
    # two cycles: 2 * (2 * 223/200 + 2 * 0.6) ps = 6.86 ps = 3430 steps at 2 fs
    check(re.search(r"last cycle complete on step 3430", output), "the run did not halt at step 3430")
    report = read_table(lmp.path("ctc_report.txt"))
    check(len(report) == 2, f"expected 2 report rows, got {len(report)}")
    for row in report:
        check(abs(row[5] - 77) < 0.25 * 77 and abs(row[9] - 300) < 0.25 * 300,
              f"hold temperatures far from 77 K / 300 K: {row}")
    series = read_table(lmp.path("ctc_timeseries.txt"))
    check(len(series) >= 29, f"time series too short: {len(series)} rows")
    png = lmp.path("ctc.png")
    result = subprocess.run([PYTHON, str(PLOT), "ctc_report.txt", "--series", "ctc_timeseries.txt",
                             "--png", str(png)], cwd=lmp.workdir, capture_output=True, text=True)
    print(result.stdout, result.stderr)
    check(result.returncode == 0, f"plot_cycles.py failed: {result.stderr}")
    check("d(pe) vs 1" in result.stdout and len(result.stdout.splitlines()) >= 4,
          "plot_cycles.py did not print the per-cycle table")
    check(png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20000,
          "plot_cycles.py did not write a non-trivial PNG")


REJUVENATION = (REPO / "examples" / "rejuvenation" / "in.rejuvenation").read_text()
# 500 atoms, 2 short cycles 100 K <-> 400 K: 2 * (2 * 300/300 + 2 * 0.5) ps = 6 ps = 3000 steps
REJUVENATION_TINY = {"cells": 5, "melt_steps": 300, "quench_rate": 2000, "cycles": 2, "rate": 300,
                     "hold": 0.5}


def rejuvenation_smoke(lmp):
    """The rejuvenation example runs to the end of its cycles; its report carries the values of
    compute rejuvenation per hold, its dumps have named columns for OVITO, it writes both
    pictures, and the plotting tool makes the zone and histogram figures from the report."""
    # after the example's last run 0 (step 3000, the configuration of its last dump): the icosahedral
    # fraction per zone and of the group, as compute rejuvenation gives it then
    values = " ".join(f"$(c_rj[{z}][8]:%.17g)" for z in range(1, 5)) + " $(c_rj[29]:%.17g)"
    output = lmp.run("rejuvenation", REJUVENATION + f'print "ICOSAHEDRAL {values}"\n', variables=REJUVENATION_TINY)
    check(re.search(r"last cycle complete on step 3000", output), "the run did not halt at step 3000")
    report = read_table(lmp.path("rejuvenation_report.txt"))
    # per hold: the vector (7 + 21 histogram + 2 x 3 values) and 4 x 4 zone columns
    per_hold = 34 + 16
    check(len(report) == 2 and all(len(row) == 11 + 2 * per_hold for row in report),
          f"expected 2 report rows of {11 + 2 * per_hold} columns, got {[len(row) for row in report]}")
    header = [line for line in lmp.path("rejuvenation_report.txt").read_text().splitlines()
              if line.startswith("# cycle")][0].split()
    check("hot:c_rj[34]" in header and "hot:c_rj[4][4]" in header and "hot:c_rj[4][11]" in header,
          f"value columns missing: {header}")
    for row in report:
        check(row[11] == 500 and row[11 + per_hold] == 500, f"the group should have 500 atoms: {row[11]}")
    dump = lmp.path("strain.3000.dump").read_text()
    check("ITEM: ATOMS id type x y z eta_Mises eta_vol D2min zone cluster strain_class cna" in dump,
          "the OVITO dump has not the named columns")
    # the icosahedral fraction per zone and of the group at step 3000 against the dump of that step
    # (the cna and zone columns), counted here
    _, atoms = read_dump(lmp.path("strain.3000.dump"))
    printed = re.search(r"^ICOSAHEDRAL (.*)$", output, re.M)
    check(printed, "no ICOSAHEDRAL line")
    *per_zone, group = map(float, printed[1].split())
    all_cna = [values[-1] for values in atoms.values()]
    check_close(group, sum(c == 4 for c in all_cna) / len(all_cna), abs_tol=1e-12,
                what="icosahedral fraction of the group")
    check(0 < group < 0.5, f"icosahedral fraction {group}: not a glass's")
    for zone in range(1, 5):
        members = [values[-1] for values in atoms.values() if values[-4] == zone]
        expected = sum(c == 4 for c in members) / len(members) if members else 0.0
        check_close(per_zone[zone - 1], expected, abs_tol=1e-12,
                    what=f"icosahedral fraction of zone {zone} ({len(members)} atoms)")
    for picture in ("eta.png", "zones.png"):
        data = lmp.path(picture).read_bytes()
        check(data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20000, f"{picture} is not a picture")
    result = subprocess.run([PYTHON, str(PLOT), "rejuvenation_report.txt", "--series",
                             "rejuvenation_series.txt", "--png", "rj.png", "--zones", "rj",
                             "--zone-value", "rj:8:icosahedral", "--histogram", "rj:1.0"],
                            cwd=lmp.workdir, capture_output=True, text=True)
    print(result.stdout, result.stderr)
    check(result.returncode == 0, f"plot_cycles.py failed: {result.stderr}")
    check("per zone" in result.stdout, "plot_cycles.py did not print the zone table")
    check("icosahedral (c_rj[z][8]) per zone" in result.stdout, "plot_cycles.py did not print the icosahedral table")
    for png in ("rj.png", "rj_zones.png", "rj_histogram.png", "rj_icosahedral.png"):
        data = lmp.path(png).read_bytes() if lmp.path(png).exists() else b""
        check(data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10000, f"{png} missing or trivial")


GLASS = (REPO / "examples" / "glass" / "in.glass").read_text()
CTC_UNDEFORMED = (REPO / "examples" / "ctc-undeformed" / "in.ctc-undeformed").read_text()
DSC = (REPO / "examples" / "ctc-undeformed" / "in.dsc").read_text()


def glass_and_ctc_smoke(lmp):
    """The glass example writes both glasses (the annealed one lower in energy is not required at
    this size); the undeformed CTC example reads one, completes its cycles, reports the thermal
    strain statistics per hold and writes the strain map."""
    output = lmp.run("glass", GLASS, variables={"cells": 4, "melt_time": 0.5, "quench_rate": 2000,
                                                "anneal_time": 0.5})
    check(len(re.findall(r"^GLASS (as-quenched|annealed): T .* density", output, re.M)) == 2,
          "the glass example did not print both GLASS lines")
    for data in ("glass_as_quenched.data", "glass_annealed.data"):
        check(lmp.path(data).stat().st_size > 10000, f"{data} missing or empty")
    # 2 cycles: 2 * (2 * 223/300 + 2 * 0.5) ps = 4.97 ps -> step 2487
    # (the harness passes -var data for its own test data: the file name goes into the script)
    script = CTC_UNDEFORMED.replace("read_data ${data}", "read_data glass_annealed.data")
    check(script != CTC_UNDEFORMED, "the example has no read_data ${data} line")
    # the virtual DSC at its end, fast (0.8 ps per ramp at 1000 K/ps, 16 bins of 50 K): after and
    # before the cycles
    output = lmp.run("ctc", script, variables={"cycles": 2, "rate": 300, "hold": 0.5, "dsc_rate": 1000,
                                               "dsc_high": 1100, "dsc_tb": 1000, "dsc_bin": 50})
    check(re.search(r"last cycle complete on step 2487", output), "the CTC run did not halt at step 2487")
    report = read_table(lmp.path("ctc_report.txt"))
    check(len(report) == 2 and all(len(row) == 17 for row in report), f"report shape: {report}")
    for row in report:
        check(0.0 < row[14] < 0.3 and 0.0 <= row[15] <= 1.0, f"hot-hold thermal strain statistics: {row[11:]}")
    check(re.search(r"^CTC thermal strain after the last heating half cycle: mean eta 0\.\d+", output, re.M),
          "no final thermal strain line")
    dump = lmp.path("thermal_strain.dump").read_text()
    check("ITEM: ATOMS id type x y z eta_Mises eta_vol D2min" in dump, "the strain map has not the named columns")
    check(lmp.path("thermal_strain.png").read_bytes()[:4] == b"\x89PNG", "no thermal strain picture")
    for state in ("after_cycles", "before_cycles"):
        check(re.search(rf"^DSC {state}: H_rel from 400 K to 1000 K = -?\d+\.\d+ \+- \d+\.\d+ meV/atom", output,
                        re.M), f"no DSC line of the glass {state}")
        scan = read_table(lmp.path(f"dsc_{state}.txt"))
        check(len(scan) == 16 and all(row[3] > 0 and row[9] > 0 for row in scan),
              f"DSC {state}: a bin of the scan or the baseline has no samples")
    # the DSC block on its own (in.dsc, for replicas of one glass)
    script = DSC.replace("read_data ${data}", "read_data glass_annealed.data")
    check(script != DSC, "in.dsc has no read_data ${data} line")
    output = lmp.run("dsc", script, variables={"dsc_rate": 1000, "dsc_high": 1100, "dsc_tb": 1000, "seed": 4712,
                                               "out": "dsc_replica.txt"})
    check(re.search(r"^DSC seed 4712: H_rel from 400 K to 1000 K = -?\d+\.\d+ \+- \d+\.\d+ "
                    r"meV/atom", output, re.M), "no DSC line from in.dsc")
    check(len(read_table(lmp.path("dsc_replica.txt"))) == 16, "in.dsc: not 16 bins of 50 K")


SHEAR_BAND = (REPO / "examples" / "shear-band-ctc" / "in.shear-band-ctc").read_text()


def shear_band_smoke(lmp):
    """The shear-band example at tiny size (the 864-atom test glass stacked 3 times along z):
    notch, loading, zones, one short cycle, the report with per-zone values of both strains, the
    four pictures and the OVITO dump."""
    script = SHEAR_BAND.replace("read_data ${data}", "read_data ${data}/glass.data")
    check(script != SHEAR_BAND, "the example has no read_data ${data} line")
    output = lmp.run("sb", script, variables={"rx": 1, "ry": 1, "rz": 3, "strain": 0.02, "erate": 0.05,
                                              "cycles": 1, "rate": 600, "hold": 0.3})
    check(re.search(r"^SB after loading: strain -0\.0200, atoms per zone matrix \d+ .*; bands \d+, young "
                    r"clusters \d+, transient clusters so far \d+$", output, re.M),
          "no SB line after loading (with the bands, young and transient clusters)")
    check(re.search(r"last cycle complete on step 800", output), "the cycles did not end at step 800")
    report = read_table(lmp.path("sb_report.txt"))
    # 11 standard columns, per hold 4 + 28 (the vector with 20 bins and the overflow) + 4 + 4 + 4 + 6
    # values: the window fraction in the zones re-evaluated at the end of loading, the atoms and the
    # window fraction of the zones frozen then, and the band history summaries (with the young and
    # transient clusters)
    check(len(report) == 1 and len(report[0]) == 11 + 2 * 50, f"report shape: {[len(r) for r in report]}")
    header = [line for line in lmp.path("sb_report.txt").read_text().splitlines() if line.startswith("# cycle")]
    check(header and "hot:c_frozen[4][4]" in header[0].split() and header[0].split()[-1] == "hot:c_zone[21]",
          f"no frozen-zone or band history columns: {header}")
    # the band rows every 500 steps (steps 0 and 500 of the 800-step cycle), 24 columns each
    blocks = read_table(lmp.path("sb_bands.txt"))
    check(blocks and all(len(row) in (2, 25) for row in blocks), "sb_bands.txt: not blocks of 24 band columns")
    plotted = subprocess.run([PYTHON, str(PLOT), "sb_report.txt", "--bands", "sb_bands.txt", "--png", "sb.png"],
                             cwd=lmp.workdir, capture_output=True, text=True)
    check(plotted.returncode == 0 and "Bands at the end of each cycle" in plotted.stdout,
          f"plot_cycles.py --bands failed: {plotted.stderr}")
    check(lmp.path("sb_bands.png").read_bytes()[:4] == b"\x89PNG", "no band history plot")
    for picture in ("load_zones.png", "load_eta.png", "final_zones.png", "final_eta.png"):
        check(lmp.path(picture).read_bytes()[:4] == b"\x89PNG", f"{picture} missing")
    check("eta_load eta_ctc zone cluster strain_class" in lmp.path("sb.0.dump").read_text(),
          "the OVITO dump has not the named columns")


def plot_bands_top(lmp):
    """plot_cycles.py --bands with 3 bands that live through all 10 blocks and 27 clusters of noise
    that live 1 or 2 blocks (made-up rows): --top 3 shows exactly the 3 (in the selection line and
    the table), counts the 27 as transient; the default shows 6 (the 3, then the 3 transients seen
    twice with the most atoms at their last block); --top 0 is refused."""
    lmp.path("report.txt").write_text("1 0 500 5 -4.4 77 1000 5 -4.3 300 1010\n2 500 1000 5 -4.4 77 1000 5 -4.3 300 1010\n")

    def row(persistent, atoms, spanning):
        return [1, 900 + persistent, atoms, spanning] + [0.0] * 9 + [persistent, 1, 0, -5, 5, 1.0, 2.0, 0, 0, 1, 1, 0.1]

    lasting = {101: 300, 102: 80, 103: 150}
    blocks = {step: [row(band, atoms + step // 100, band == 101) for band, atoms in lasting.items()]
              for step in range(100, 1001, 100)}
    twice = {}
    for k in range(27):
        band, first = 200 + k, 100 + 100 * (k % 9)
        blocks[first].append(row(band, 20 + k, 0))
        if k % 3 == 0:    # 9 of them seen in a second block, with 20 + k + 1 atoms there
            blocks[first + 100].append(row(band, 21 + k, 0))
            twice[band] = 21 + k
    lines = []
    for step, rows in sorted(blocks.items()):
        lines.append(f"{step} {len(rows)}")
        lines += [" ".join(f"{v:g}" for v in r) for r in rows]
    lmp.path("bands.txt").write_text("# Time-averaged data\n" + "\n".join(lines) + "\n")

    def shown(args):
        result = subprocess.run([PYTHON, str(PLOT), "report.txt", "--bands", "bands.txt", *args], cwd=lmp.workdir,
                                capture_output=True, text=True)
        check(result.returncode == 0, f"plot_cycles.py --bands {args}: {result.stderr}")
        selection = re.search(r"Bands in the file: (\d+); shown: (\d+), .*\(IDs ([\d ]+)\); of the others (\d+) were "
                              r"seen in at most 2 evaluations", result.stdout)
        check(selection, f"no selection line: {result.stdout}")
        table = {int(line.split()[1]) for line in result.stdout.split("Bands at the end of each cycle")[1].splitlines()[2:]
                 if line.strip() and not line.startswith("wrote")}
        return int(selection[1]), [int(b) for b in selection[3].split()], int(selection[4]), table, result

    total, ids, transient, table, _ = shown(["--top", "3"])
    check(total == 30 and ids == [101, 102, 103] and transient == 27, f"--top 3: {total} {ids} {transient}")
    check(table <= {101, 102, 103}, f"--top 3: the table has bands {sorted(table)}")
    expected_default = sorted([101, 102, 103] + sorted(twice, key=lambda b: -twice[b])[:3])
    total, ids, transient, table, result = shown(["--png", "p.png"])
    check(ids == expected_default and transient == 24, f"default: shown {ids}, expected {expected_default}; {transient}")
    check(lmp.path("p_bands.png").read_bytes()[:4] == b"\x89PNG", "no band plot")
    refused = subprocess.run([PYTHON, str(PLOT), "report.txt", "--bands", "bands.txt", "--top", "0"], cwd=lmp.workdir,
                             capture_output=True, text=True)
    check(refused.returncode != 0 and "--top 0: must be at least 1" in refused.stderr and "Traceback" not in refused.stderr,
          f"--top 0: {refused.returncode} {refused.stderr}")


def plot_zones_against_matrix(lmp):
    """plot_cycles.py --zones: the window fraction per zone and, with the matrix as the control,
    each zone minus the matrix (made-up report, differences worked out by hand)."""
    names = " ".join(f"hot:c_fz[{z}][4]" for z in (1, 3, 4))
    lmp.path("report.txt").write_text("# cycle step_begin step_end cold_samples cold_pe cold_temp cold_vol hot_samples "
                                      f"hot_pe hot_temp hot_vol {names}\n"
                                      "1 0 100 5 -4.4 77 1000 5 -4.3 300 1010 0.20 0.25 0.30\n"
                                      "2 100 200 5 -4.4 77 1000 5 -4.3 300 1010 0.21 0.20 0.36\n")
    result = subprocess.run([PYTHON, str(PLOT), "report.txt", "--zones", "fz"], cwd=lmp.workdir,
                            capture_output=True, text=True)
    check(result.returncode == 0, f"plot_cycles.py --zones: {result.stderr}")
    lines = result.stdout.split("per zone of c_fz, end of the hot hold (and minus the matrix, the control):")
    check(len(lines) == 2, f"no zone table against the matrix: {result.stdout}")
    rows = [line.split() for line in lines[1].splitlines()[2:4]]
    # columns: cycle, matrix, NSB tail, NSB front, tail - matrix, front - matrix
    expected = [["1", "0.2000", "0.2500", "0.3000", "0.0500", "0.1000"],
                ["2", "0.2100", "0.2000", "0.3600", "-0.0100", "0.1500"]]
    check(rows == expected, f"zone rows {rows}, expected {expected}")
    # a matrix at 0 in every cycle (live zones): no differences, a line that says why
    lmp.path("live.txt").write_text(lmp.path("report.txt").read_text().replace(" 0.20 0.25", " 0 0.25")
                                    .replace(" 0.21 0.20", " 0 0.20"))
    result = subprocess.run([PYTHON, str(PLOT), "live.txt", "--zones", "fz"], cwd=lmp.workdir,
                            capture_output=True, text=True)
    check(result.returncode == 0 and "minus the matrix" not in result.stdout
          and "the matrix is 0 by construction" in result.stdout, f"live zones: {result.stdout} {result.stderr}")


def plot_bands_by_hand(lmp):
    """plot_cycles.py --bands: the table at the end of each cycle picks the last block at or before
    the cycle's last step, and the front advance is the sum of the advances of the free ends (made-up
    rows, expected values worked out by hand)."""
    lmp.path("report.txt").write_text("1 0 100 5 -4.4 77 1000 5 -4.3 300 1010\n2 100 200 5 -4.4 77 1000 5 -4.3 300 1010\n")

    def row(index, persistent, atoms, spanning, low, high, free_low, free_high, offset):
        base = [index, 900 + persistent, atoms, spanning] + [0.0] * 9
        return base + [persistent, 1, 0, -5, 5, low, high, 0, 0, free_low, free_high, offset]

    blocks = [(50, [row(1, 1, 40, 0, 1.0, 2.0, 1, 1, 0.1)]),
              (100, [row(1, 1, 50, 0, 1.5, 3.0, 0, 1, 0.2), row(2, 2, 30, 1, 9.0, 9.0, 0, 0, 0.7)]),
              (190, [row(1, 1, 60, 0, 2.0, 4.0, 1, 1, 0.3)])]
    lines = []
    for step, rows in blocks:
        lines.append(f"{step} {len(rows)}")
        lines += [" ".join(f"{v:g}" for v in r) for r in rows]
    lmp.path("bands.txt").write_text("# Time-averaged data\n" + "\n".join(lines) + "\n")
    result = subprocess.run([PYTHON, str(PLOT), "report.txt", "--bands", "bands.txt"], cwd=lmp.workdir,
                            capture_output=True, text=True)
    check(result.returncode == 0, f"plot_cycles.py --bands: {result.stderr}")
    table = [line.split() for line in result.stdout.split("Bands at the end of each cycle")[1].splitlines()[2:]
             if line.strip()]
    # cycle 1 ends at step 100: band 1 (only the high end free: 3.0) and band 2 (spanning, no free end);
    # cycle 2 ends at step 200: the block of step 190, both ends free: 2 + 4
    expected = [["1", "1", "50", "0", "3.000", "0.200"], ["1", "2", "30", "1", "0.000", "0.700"],
                ["2", "1", "60", "0", "6.000", "0.300"]]
    check(table == expected, f"band table {table}, expected {expected}")
    lmp.path("narrow.txt").write_text("0 1\n1 2 3 4 5 6 7 8 9 10 11 12 13\n")
    result = subprocess.run([PYTHON, str(PLOT), "report.txt", "--bands", "narrow.txt"], cwd=lmp.workdir,
                            capture_output=True, text=True)
    check(result.returncode == 2 and re.search(r"need 24 \(compute sbzone/atom ... track yes", result.stderr)
          and "Traceback" not in result.stderr, f"a band file without track: {result.stderr!r}")


def plot_malformed_report(lmp):
    """The plotting tool rejects a malformed report with a clear message, not a traceback."""
    bad = {"garbage.txt": ("1 0 100 5 -4.4 77 not-a-number\n", r"garbage.txt:1: not a row of numbers"),
           "short.txt": ("1 0 100 5 -4.4\n", r"report rows need 11 columns, found 5"),
           "empty.txt": ("# only a comment\n", r"no data rows"),
           "missing.txt": (None, r"cannot read fix thermal/cycle report missing.txt")}
    for name, (content, message) in bad.items():
        if content is not None:
            lmp.path(name).write_text(content)
        result = subprocess.run([PYTHON, str(PLOT), name], cwd=lmp.workdir, capture_output=True,
                                text=True)
        check(result.returncode == 2, f"{name}: exit code {result.returncode}, expected 2")
        check(re.search(message, result.stderr), f"{name}: unclear message: {result.stderr!r}")
        check("Traceback" not in result.stderr, f"{name}: traceback instead of a message")
    # zone and histogram columns that the report does not have, and a histogram without MAX
    lmp.path("plain.txt").write_text("# cycle step_begin step_end cold_samples cold_pe cold_temp cold_vol "
                                     "hot_samples hot_pe hot_temp hot_vol\n"
                                     "1 0 100 5 -4.4 77 1000 5 -4.3 300 1010\n")
    for options, message in ((["--zones", "rj"], r"no column hot:c_rj\[z\]\[4\]; add e.g. values"),
                             (["--histogram", "rj:1.0"], r"no column hot:c_rj\[8\]; add values c_rj\[\*\]"),
                             (["--histogram", "rj"], r"--histogram rj: expected ID:MAX")):
        result = subprocess.run([PYTHON, str(PLOT), "plain.txt", *options], cwd=lmp.workdir,
                                capture_output=True, text=True)
        check(result.returncode == 2 and re.search(message, result.stderr) and "Traceback" not in result.stderr,
              f"{options}: exit {result.returncode}, message {result.stderr!r}")


if __name__ == "__main__":
    main({"quickstart_smoke": quickstart_smoke, "rejuvenation_smoke": rejuvenation_smoke,
          "glass_and_ctc_smoke": glass_and_ctc_smoke, "shear_band_smoke": shear_band_smoke,
          "plot_malformed_report": plot_malformed_report, "plot_bands_by_hand": plot_bands_by_hand,
          "plot_bands_top": plot_bands_top, "plot_zones_against_matrix": plot_zones_against_matrix},
         {"plot_malformed_report": (1,), "plot_bands_by_hand": (1,), "plot_bands_top": (1,),
          "plot_zones_against_matrix": (1,)})
