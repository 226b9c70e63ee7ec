#!/usr/bin/env python3
"""Integration tests of fix thermal/scan (virtual DSC) in the host lmp.

References: analytic heat capacities (an Einstein crystal of fix spring/self; a perfect EAM crystal
far below melting), an independent schedule evaluated at LAMMPS's own `time`, the same sums done by
stock fix ave/time with atom-style variables in the same run and binned here, and the same run
split by restart files or run on another number of ranks.
"""

import math
import os
import re
import subprocess

from harness import REPO, check, check_close, error_cases, main, read_table, thermo_runs
from inputs import TINY_CUZR
import scan_relaxation as numpy_tool    # tools/scan_relaxation.py (harness puts tools/ on the path)

KB_METAL = 8.617333262e-5    # eV/K
NKTV2P_METAL = 1.6021765e6   # bar A^3 per eV (LAMMPS's force->nktv2p for metal units)
SCAN, RETURN, HOLD, BASELINE, DONE = 0, 1, 2, 3, 4

# file columns (after the bin number, which is column 0)
T_LO, T_HI, N_SCAN, T_SCAN, H_SCAN, PE_SCAN, V_SCAN, C_SCAN = range(1, 9)
N_BASE, T_BASE, H_BASE, PE_BASE, V_BASE, C_BASE = range(9, 15)


class Scan:
    """The scan schedule from its documented definition: T1 -> T2, T2 -> T1, hold at T1,
    T1 -> T2, laid out on one time line (the kernel folds nothing; this only interpolates)."""

    def __init__(self, t1, t2, rate, baseline=True, hold=1.0):
        ramp = abs(t2 - t1) / rate
        parts = [(ramp, t1, t2, SCAN)]
        if baseline:
            parts += [(ramp, t2, t1, RETURN), (hold, t1, t1, HOLD), (ramp, t1, t2, BASELINE)]
        self.segments, t = [], 0.0
        for duration, a, b, phase in parts:
            if duration > 0:
                self.segments.append((t, t + duration, a, b, phase))
            t += duration
        self.total, self.t2 = t, t2

    def at(self, time, tol=1e-9):
        if time >= self.total - tol:
            return self.t2, DONE
        for begin, end, a, b, phase in reversed(self.segments):
            if time >= begin - tol:
                fraction = min(max((time - begin) / (end - begin), 0.0), 1.0)
                return a + fraction * (b - a), phase
        raise AssertionError("time before the scan")


def bin_of(t, lo, hi, nbins):
    """Bins of the documented edges: [lo + k w, lo + (k+1) w), the last one closed at hi."""
    if not lo <= t <= hi:
        return None
    return min(int((t - lo) / (hi - lo) * nbins), nbins - 1)


def all_rows(output):
    return [row for run in thermo_runs(output) for row in run]


def linear_slope(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def header_values(path):
    """key value pairs of the '# scan ...' line of a scan file."""
    for line in path.read_text().splitlines():
        if line.startswith("# scan "):
            words = line.split()[2:]
            return {k: v for k, v in zip(words[0::2], words[1::2])}
    raise AssertionError(f"{path} has no '# scan' line")


# An Einstein crystal: 4000 independent harmonic oscillators (fix spring/self, no pair forces).
# PE = 3/2 kT per atom (spring energy through fix_modify energy yes), KE = 3/2 kT, and the pressure
# is kinetic only (spring/self has no virial in LAMMPS), P V = N k T: H = 4 k T per atom exactly,
# C = 4 k_B, dPE/dT = 3/2 k_B, and with no memory the scan equals its baseline (H_rel = 0).
EINSTEIN = """
plugin load ${plugin}
units metal
lattice fcc 3.61
region box block 0 10 0 10 0 10
create_box 1 box
create_atoms 1 box
mass 1 63.546
pair_style zero 3.0
pair_coeff * *
timestep 0.002
velocity all create 40 4711 mom yes rot yes
fix integrate all nve
fix spring all spring/self 2.0
fix_modify spring energy yes
fix tstat all langevin 20 20 0.1 4711
run 500
fix scan all thermal/scan tstat 20 220 20 bins 20 20 220 every 5 relaxation 70 170 window 100 file scan.txt halt yes
thermo_style custom step time f_scan f_scan[1] f_scan[4] f_scan[5]
thermo 1000
run 100000
"""


def einstein_crystal(lmp):
    """Einstein crystal scanned 20 -> 220 K at 20 K/ps: the slope of H(T) over the bins is 4 k_B
    and that of PE(T) 3/2 k_B (each within 2 %; measured 4.007 / 3.983 and 1.503 / 1.494 for scan /
    baseline); the mean of the per-bin C is 4 k_B within 4 % (4.05 / 4.03); H_rel over 70 to 170 K
    (line fits over 100 K, ten 10 K bins, at each end) is 0 within 3 of its uncertainties
    (-0.06 +- 0.15 meV/atom on 1 rank), and equals tools/scan_relaxation.py, the NumPy evaluation
    written apart from the C kernel (least squares by numpy.linalg), to 1e-9, as does its uncertainty; the
    fits are more precise than interpolation between two bins (window 0, from NumPy on the same
    file: -0.22 +- 0.28 meV/atom; expected ratio of uncertainties about sqrt(0.1 / 0.5))."""
    lmp.run("einstein", EINSTEIN)
    rows = read_table(lmp.path("scan.txt"))
    check(len(rows) == 20, f"expected 20 bins, got {len(rows)}")
    for n, t, h, pe, c, label in ((N_SCAN, T_SCAN, H_SCAN, PE_SCAN, C_SCAN, "scan"),
                                  (N_BASE, T_BASE, H_BASE, PE_BASE, C_BASE, "baseline")):
        check(all(r[n] >= 15 for r in rows), f"{label}: a bin with few samples: {[r[n] for r in rows]}")
        temps = [r[t] for r in rows]
        slope_h = linear_slope(temps, [r[h] for r in rows]) / KB_METAL
        slope_pe = linear_slope(temps, [r[pe] for r in rows]) / KB_METAL
        mean_c = sum(r[c] for r in rows) / len(rows) / KB_METAL
        print(f"{label}: dH/dT = {slope_h:.4f} k_B, dPE/dT = {slope_pe:.4f} k_B, mean C = {mean_c:.4f} k_B")
        check_close(slope_h, 4.0, rel=0.02, what=f"{label}: dH/dT in k_B")
        check_close(slope_pe, 1.5, rel=0.02, what=f"{label}: dPE/dT in k_B")
        check_close(mean_c, 4.0, rel=0.04, what=f"{label}: mean C in k_B")
    head = header_values(lmp.path("scan.txt"))
    h_rel, sigma = float(head["h_rel"]), float(head["uncertainty"])
    print(f"H_rel = {h_rel:.3g} +- {sigma:.3g} eV/atom")
    check(0 < sigma < 1e-3, f"uncertainty of H_rel {sigma}")
    check(abs(h_rel) <= 3 * sigma, f"H_rel = {h_rel} is not 0 within 3 x {sigma}")
    check(head["window"] == "100", f"the file's header gives window {head.get('window')}, not 100")
    table, _ = numpy_tool.read_scan(lmp.path("scan.txt"))
    h_numpy, sigma_numpy = numpy_tool.relaxation(table, 70.0, 170.0, 1, 100.0)
    print(f"NumPy: H_rel = {h_numpy:.6g} +- {sigma_numpy:.6g} eV/atom")
    check_close(h_rel, h_numpy, abs_tol=1e-9, what="H_rel: fix vs NumPy line fits")
    check_close(sigma, sigma_numpy, abs_tol=1e-9, what="uncertainty: fix vs NumPy line fits")
    h_interp, sigma_interp = numpy_tool.relaxation(table, 70.0, 170.0, 1, 0.0)
    print(f"NumPy, interpolation: H_rel = {h_interp:.3g} +- {sigma_interp:.3g} eV/atom")
    check(abs(h_interp) <= 3 * sigma_interp, f"interpolated H_rel = {h_interp} is not 0 within 3 x {sigma_interp}")
    check(sigma < sigma_interp, f"line fits ({sigma}) are not more precise than interpolation ({sigma_interp})")
    # the tool's refusals of a window it cannot fit
    for window, message in (("-1", "fit window -1.0: must be 0 (interpolation) or positive"),
                            ("1", "the fit window 1.0 around 70.0 holds fewer than 2 bins")):
        result = subprocess.run(["/usr/bin/python3", os.path.join(REPO, "tools", "compare_scans.py"),
                                 str(lmp.path("scan.txt")), "--window", window], capture_output=True, text=True)
        check(result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr,
              f"compare_scans.py --window {window}: exit {result.returncode}, {result.stderr!r}")


def synthetic_scan(path, drop):
    """A scan file of straight curves: H_base = 3 k_B T, H_scan = H_base + gap with the gap falling
    linearly by `drop` (eV/atom) from 400 to 1000 K, so H_rel over 400 to 1000 K is exactly `drop`
    and the bin noise (residuals about the neighbours' lines) is 0."""
    rows = []
    for k, t in enumerate(range(300, 1100, 50)):
        h_base = 3 * KB_METAL * t
        h_scan = h_base - drop * (t - 400) / 600.0
        rows.append(f"{k + 1} {t - 25} {t + 25} 100 {t} {h_scan!r} 0 0 0 100 {t} {h_base!r} 0 0 0")
    path.write_text("# scan t1 300 t2 1050 rate 100 baseline 1 t_a 400 t_b 1000 window 0 "
                    f"h_rel {drop!r} uncertainty 0\n" + "\n".join(rows) + "\n")


def compare_scans_replicas(lmp):
    """tools/compare_scans.py on replicas (files with one label): three synthetic scans with H_rel
    1, 2 and 4 meV/atom (gap H_scan - H_base 0 at Ta and -H_rel at Tb, both printed) give, by
    hand, the mean 7/3, the sample standard deviation sqrt(7/3) =
    1.528, the standard error sqrt(7/9) = 0.882 and the 95 % interval half-width t(0.975, 2) x SE
    = 4.3027 x 0.882 = 3.795 meV/atom; a label given once gets no replica row; the figure is
    written."""
    files = []
    for k, drop in enumerate((0.001, 0.002, 0.004)):
        synthetic_scan(lmp.path(f"replica{k}.txt"), drop)
        files.append(f"glass={lmp.path(f'replica{k}.txt')}")
    synthetic_scan(lmp.path("single.txt"), 0.003)
    result = subprocess.run(["/usr/bin/python3", os.path.join(REPO, "tools", "compare_scans.py"), *files,
                             f"other={lmp.path('single.txt')}", "--png", str(lmp.path("replicas.png"))],
                            capture_output=True, text=True)
    print(result.stdout)
    check(result.returncode == 0, f"compare_scans.py: exit {result.returncode}, {result.stderr!r}")
    rows = re.findall(r"^glass +400 +1000 +(-?\d+\.\d+) \+- (\d+\.\d+) .* (-?\d+\.\d+) +(-?\d+\.\d+)$",
                      result.stdout, re.M)
    check([float(row[0]) for row in rows] == [1.0, 2.0, 4.0], f"per-file H_rel rows: {rows}")
    # the gap H_scan - H_base is 0 at Ta and -H_rel at Tb
    check([(float(row[2]), float(row[3])) for row in rows] == [(0.0, -1.0), (0.0, -2.0), (0.0, -4.0)],
          f"per-file gaps at Ta and Tb: {rows}")
    group = re.search(r"^glass +3 +(-?\d+\.\d+) \+- (\d+\.\d+) +\[ *([-+]\d+\.\d+), *([-+]\d+\.\d+)\] +"
                      r"(\d+\.\d+) +(\d+\.\d+)$", result.stdout, re.M)
    check(group is not None, "no replica row for the label 'glass'")
    mean, stderr, low, high, spread, single = (float(x) for x in group.groups())
    check_close(mean, 7 / 3, abs_tol=0.006, what="replica mean (meV/atom)")
    check_close(stderr, (7 / 9) ** 0.5, abs_tol=0.006, what="replica standard error")
    check_close(high - mean, 4.302653 * (7 / 9) ** 0.5, abs_tol=0.011, what="95 % half-width")
    check_close(mean - low, 4.302653 * (7 / 9) ** 0.5, abs_tol=0.011, what="95 % half-width (low side)")
    check_close(spread, (7 / 3) ** 0.5, abs_tol=0.006, what="replica spread")
    check(single == 0.0, f"median single-scan uncertainty of straight curves: {single}")
    replica_table = result.stdout.partition("\nreplicas ")[2]
    check(replica_table and not re.search(r"^other ", replica_table, re.M), "a label given once got a replica row")
    check(lmp.path("replicas.png").read_bytes()[:4] == b"\x89PNG", "no figure")


# 256 Cu atoms on their fcc lattice (type 2, Zr, unused: the potential file needs both)
PERFECT_CU = """
plugin load ${plugin}
units metal
lattice fcc 3.61
region box block 0 4 0 4 0 4
create_box 2 box
create_atoms 1 box
mass * 63.546
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
timestep 0.002
"""
# The perfect crystal at zero pressure, 20 -> 120 K: C_p = 3 k_B plus a small anharmonic part
# (classical crystal; thermal expansion adds 9 B alpha^2 V T, < 2 % here). The same run writes
# the sampled values through stock fix ave/time: H from atom-style variables (pe/atom + ke/atom -
# trace of stress/atom / 3), for binning here.
CRYSTAL = PERFECT_CU + """
velocity all create 40 4711 mom yes rot yes
fix tstat all npt temp 20 20 0.1 iso 0 0 1
run 1000
compute pea all pe/atom
compute kea all ke/atom
compute sa all stress/atom NULL
variable h atom c_pea+c_kea-(c_sa[1]+c_sa[2]+c_sa[3])/(3*${nktv2p})
compute hsum all reduce sum v_h c_pea
variable h_per_atom equal c_hsum[1]/atoms
variable pe_per_atom equal c_hsum[2]/atoms
variable vol equal vol
fix scan all thermal/scan tstat 20 120 20 bins 10 20 120 every 5 relaxation 30 110 file scan.txt
fix stock all ave/time 5 1 5 f_scan f_scan[1] v_h_per_atom v_pe_per_atom v_vol file stock.txt format " %.17g"
thermo_style custom step time f_scan f_scan[1]
thermo 1000
run 11000
"""


def eam_crystal(lmp):
    """Perfect EAM crystal 20 -> 120 K at 20 K/ps under zero pressure: dH/dT = 3 k_B within 5 %
    (measured 3.023 and 3.008 k_B for scan and baseline: anharmonicity and bin noise); every bin's count and means equal those of the
    values written by fix ave/time in the same run, binned here by the documented edges (1e-9)."""
    lmp.run("crystal", CRYSTAL, variables={"nktv2p": NKTV2P_METAL})
    rows = read_table(lmp.path("scan.txt"))
    stock = read_table(lmp.path("stock.txt"))
    for h, t, label in ((H_SCAN, T_SCAN, "scan"), (H_BASE, T_BASE, "baseline")):
        slope = linear_slope([r[t] for r in rows], [r[h] for r in rows]) / KB_METAL
        print(f"{label}: dH/dT = {slope:.4f} k_B")
        check_close(slope, 3.0, rel=0.05, what=f"{label}: dH/dT in k_B")
    sums = {}
    for step, target, phase, h, pe, vol in stock:
        if step == 1000:
            continue    # the fix was defined at step 1000: it samples from the next step on
        k = bin_of(target, 20, 120, 10)
        if phase in (SCAN, BASELINE) and k is not None:
            entry = sums.setdefault((phase, k), [0, 0.0, 0.0, 0.0, 0.0])
            for i, value in enumerate((1, target, h, pe, vol)):
                entry[i] += value
    for k, row in enumerate(rows):
        for phase, n, first in ((SCAN, N_SCAN, T_SCAN), (BASELINE, N_BASE, T_BASE)):
            entry = sums.get((phase, k), [0])
            check(row[n] == entry[0], f"bin {k} phase {phase}: {row[n]} samples, fix ave/time {entry[0]}")
            for offset, what in enumerate(("target", "H", "PE", "volume")):
                check_close(row[first + offset], entry[1 + offset] / entry[0], rel=1e-9,
                            what=f"bin {k} phase {phase} mean {what}")


# A small Cu64Zr36 melt for the schedule, rank and restart cases
MELT = """
plugin load ${plugin}
units metal
lattice fcc 4.0
region box block 0 4 0 4 0 4
create_box 2 box
create_atoms 1 box
set type 1 type/ratio 2 0.36 4711
mass 1 63.546
mass 2 91.224
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
velocity all create 600 4711 mom yes rot yes
timestep 0.002
"""

THERMO = """
thermo_style custom step time dt f_scan f_scan[1] f_scan[2] f_scan[3]
thermo_modify format float %.15g
thermo 1
"""


def schedule(lmp):
    """Targets and phases at every step equal the independent schedule at LAMMPS's own time,
    across runs with different timesteps; elapsed time and time left too."""
    script = MELT + """
fix integrate all nve
fix tstat all langevin 600 600 0.1 48279
fix scan all thermal/scan tstat 600 400 400 hold 0.3 bins 4 400 600
""" + THERMO + """
run 400
timestep 0.001
run 700
timestep 0.0025
run 300
"""
    rows = all_rows(lmp.run("schedule", script))
    reference = Scan(600, 400, 400, hold=0.3)    # ramps 0.5 ps, total 1.8 ps
    for row in rows:
        target, phase = reference.at(row["Time"], tol=1e-9)
        where = f"step {row['Step']:.0f}, time {row['Time']}"
        check_close(row["f_scan"], target, rel=1e-10, what=f"target at {where}")
        check(row["f_scan[1]"] == phase, f"phase {row['f_scan[1]']} != {phase} at {where}")
        check_close(row["f_scan[2]"], row["Time"], rel=1e-12, abs_tol=1e-12, what=f"elapsed at {where}")
        check_close(row["f_scan[3]"], max(reference.total - row["Time"], 0.0), abs_tol=1e-9,
                    what=f"time left at {where}")
    check({row["f_scan[1]"] for row in rows} == {SCAN, RETURN, HOLD, BASELINE, DONE},
          "not every phase was visited")


# The perfect crystal, driven by a deterministic thermostat: its trajectories on different rank
# counts part only by the rounding of sums over ranks, which grows slowly in a cold crystal.
CRYSTAL_RANKS = PERFECT_CU + """
velocity all create 40 4711 mom yes rot yes loop geom
fix integrate all nve
fix tstat all temp/berendsen 20 20 0.1
fix scan all thermal/scan tstat 20 100 100 hold 0.1 bins 8 20 100 every 2 relaxation 30 90 file scan.${np}.txt
thermo_style custom step time dt f_scan f_scan[1] f_scan[2] f_scan[3] f_scan[4]
thermo_modify format float %.15g
thermo 10
run 1300
"""


def rank_equality(lmp):
    """1, 2 and 3 ranks: identical targets, phases and bin counts at every step; bin means and
    H_rel equal to 1e-9 (the trajectories part only by the rounding of the computes' sums over
    ranks: the fix adds global values in step order)."""
    rows, tables = {}, {}
    for np in (1, 2, 3):
        rows[np] = all_rows(lmp.run(f"np{np}", CRYSTAL_RANKS, np=np, variables={"np": np}))
        tables[np] = read_table(lmp.path(f"scan.{np}.txt"))
    for np in (2, 3):
        check(len(rows[1]) == len(rows[np]), f"{np} ranks: different numbers of thermo rows")
        for a, b in zip(rows[1], rows[np]):
            for column in ("Step", "Time", "f_scan", "f_scan[1]", "f_scan[2]"):
                check(a[column] == b[column], f"{np} ranks, step {a['Step']:.0f}: {column} {a[column]} vs {b[column]}")
            check_close(b["f_scan[4]"], a["f_scan[4]"], rel=1e-9, abs_tol=1e-12, what=f"H_rel on {np} ranks")
        for r1, r2 in zip(tables[1], tables[np]):
            check(r1[N_SCAN] == r2[N_SCAN] and r1[N_BASE] == r2[N_BASE], f"bin counts differ: {r1} vs {r2}")
            for x, y in zip(r1, r2):
                if not (math.isnan(x) and math.isnan(y)):
                    check_close(y, x, rel=1e-9, abs_tol=1e-12, what=f"bin value on {np} ranks vs 1")
    check(tables[1][0][N_SCAN] > 0 and tables[1][-1][N_BASE] > 0, "the scan and baseline bins are empty")


RESTART_SETUP = """
atom_modify sort 0 0.0
neigh_modify every 1 delay 0 check no
fix integrate all nve
fix tstat all temp/berendsen 600 600 0.1
fix scan all thermal/scan tstat 600 400 400 hold 0.2 bins 8 400 600 every 2 relaxation 420 580 file ${file}
thermo_style custom step time f_scan f_scan[1] pe
thermo_modify format float %.15g
thermo 1
"""
RESTART_HEADER = """
plugin load ${plugin}
units metal
read_restart ${restart}
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
"""
RESTARTED = RESTART_HEADER + RESTART_SETUP


def restart(lmp):
    """A scan split by a restart in the middle of the scan (step 300 of 0 .. 500) and one in the
    baseline (step 1400) ends with the same bins as the scan in one run (counts equal, means to
    1e-10), and the same targets at every step."""
    whole = all_rows(lmp.run("whole", MELT + RESTART_SETUP + "run 1700\n", variables={"file": "whole.txt"}))
    split = all_rows(lmp.run("part1", MELT + RESTART_SETUP + "run 300\nwrite_restart r1.restart\n",
                             variables={"file": "split.txt"}))
    output = lmp.run("part2", RESTARTED + "run 1100\nwrite_restart r2.restart\n",
                     variables={"file": "split.txt", "restart": "r1.restart"})
    check("fix style: thermal/scan, fix ID: scan" in output, "the fix state was not restored")
    split += all_rows(output)
    split += all_rows(lmp.run("part3", RESTARTED + "run 300\n", variables={"file": "split.txt",
                                                                         "restart": "r2.restart"}))
    by_step = {row["Step"]: row for row in split}
    for row in whole:
        other = by_step[row["Step"]]
        check(other["f_scan"] == row["f_scan"] and other["f_scan[1]"] == row["f_scan[1]"],
              f"step {row['Step']:.0f}: target or phase differs after restart")
    a, b = read_table(lmp.path("whole.txt")), read_table(lmp.path("split.txt"))
    check(len(a) == len(b) == 8, "expected 8 bins each")
    for ra, rb in zip(a, b):
        check(ra[N_SCAN] == rb[N_SCAN] and ra[N_BASE] == rb[N_BASE], f"counts differ: {ra} vs {rb}")
        for x, y in zip(ra, rb):
            if not (math.isnan(x) and math.isnan(y)):
                check_close(y, x, rel=1e-10, abs_tol=1e-13, what="bin value after restart")
    h_split = float(header_values(lmp.path("split.txt"))["h_rel"])
    h_whole = float(header_values(lmp.path("whole.txt"))["h_rel"])
    check(math.isfinite(h_whole), f"no H_rel after the whole scan: {h_whole}")
    check_close(h_split, h_whole, rel=1e-9, abs_tol=1e-13, what="H_rel after restart")


def halt(lmp):
    """halt yes ends the run on the step the baseline completes; a later run holds T2."""
    script = MELT + """
fix integrate all nve
fix tstat all langevin 600 600 0.1 48279
fix scan all thermal/scan tstat 600 400 400 hold 0.2 bins 4 400 600 halt yes
thermo_style custom step f_scan f_scan[1]
run 100000
print "halted at step $(step)"
run 20
print "then step $(step) target $(f_scan) phase $(f_scan[1])"
"""
    output = lmp.run("halt", script)
    # 3 ramps of 0.5 ps and a hold of 0.2 ps: 1.7 ps = 850 steps
    check("scan complete on step 850" in output and "halted at step 850" in output, "no halt on step 850")
    check("then step 870 target 400 phase 4" in output, "a later run did not hold T2")


def restart_sampling_changed(lmp):
    """A scan continued from a restart file with another *every* or *pressure* would add samples of
    another kind to its bins (H with another P, the file header one interval for all): each ends
    in an error naming both settings. What only reads the bins (relaxation, window, file, halt)
    may change: the continued scan runs and its file gives the new relaxation range."""
    lmp.run("part1", MELT + RESTART_SETUP + "run 300\nwrite_restart r1.restart\n", variables={"file": "scan.txt"})
    changes = {"every": ("every 2", "every 5", r"bins sampled every 2 steps with pressure instant, not every 5 "
                                               r"with pressure instant: continued bins would mix both; define "
                                               r"the fix with every 2 pressure instant to continue the scan"),
               "pressure": ("every 2", "every 2 pressure 0", r"bins sampled every 2 steps with pressure "
                                                             r"instant, not every 2 with pressure 0:")}
    for name, (old, new, message) in changes.items():
        lmp.run(f"changed_{name}", RESTARTED.replace(old, new) + "run 10\n",
                variables={"file": f"{name}.txt", "restart": "r1.restart"},
                expect_error=r"Fix thermal/scan scan: the restart file holds " + message)
    analysis = RESTARTED.replace("relaxation 420 580", "relaxation 430 570 window 60 halt yes")
    lmp.run("changed_analysis", analysis + "run 10\n", variables={"file": "analysis.txt", "restart": "r1.restart"})
    head = header_values(lmp.path("analysis.txt"))
    check((head["t_a"], head["t_b"], head["window"]) == ("430", "570", "60"), f"file header {head}")


def check_before(output, target, phase, left, when):
    """the values printed before a run: f_scan, f_scan[1] and f_scan[3]"""
    found = re.search(r"before the run: target (\S+) phase (\S+) left (\S+)", output)
    check(found, f"{when}: nothing printed")
    check_close(float(found[1]), target, rel=1e-12, what=f"f_scan {when}")
    check(float(found[2]) == phase, f"f_scan[1] {when}: {found[2]}, expected {phase}")
    check_close(float(found[3]), left, abs_tol=1e-12, what=f"f_scan[3] {when}")


def scan_bookkeeping(lmp):
    """f_ID is the target the next run starts at, also before the first run (T1 = 600) and after
    read_restart (440 K at step 300, 0.1 ps into the return ramp from 400 K at 400 K/ps; T2 = 400
    once the scan is complete); the file header gives the step the scan completed on (850 =
    1.7 ps / 0.002 ps: three ramps of 0.5 ps and a hold of 0.2 ps), not that of a later run's
    end, also after a restart."""
    define = """
fix integrate all nve
fix tstat all langevin 600 600 0.1 48279
fix scan all thermal/scan tstat 600 400 400 hold 0.2 bins 4 400 600 halt yes file ${file}
print "before the run: target $(f_scan) phase $(f_scan[1]) left $(f_scan[3])"
"""
    output = lmp.run("scan", MELT + define + "run 300\nwrite_restart mid.restart\nrun 100000\nrun 20\n"
                     "write_restart done.restart\n", variables={"file": "scan.txt"})
    check_before(output, 600, 0, 1.7, "before the first run")
    check("scan complete on step 850" in output, "no halt on step 850")
    first = lmp.path("scan.txt").read_text().splitlines()[0]
    check("complete at step 850," in first, f"the file header after a later run ends at step 870: {first}")
    restarted = RESTART_HEADER + define
    output = lmp.run("mid", restarted + "run 0\n", variables={"file": "mid.txt", "restart": "mid.restart"})
    check_before(output, 440, 1, 1.1, "after read_restart at step 300")
    output = lmp.run("done", restarted + "run 30\n", variables={"file": "done.txt", "restart": "done.restart"})
    check_before(output, 400, 4, 0.0, "after read_restart of the complete scan")
    first = lmp.path("done.txt").read_text().splitlines()[0]
    check("complete at step 850," in first, f"the file header after a restart: {first}")


def file_checked_at_definition(lmp):
    """A file that cannot be written (a missing directory, a directory) ends the input at the fix
    command, before any run: the error names the file and the cause."""
    lmp.path("adir").mkdir()
    for name, path, cause in (("missing", "/nonexistent/dir/scan.txt", "No such file or directory"),
                              ("directory", "adir", "Is a directory")):
        output = lmp.run(name, TINY + LANGEVIN + SCAN_CMD + f"file {path}\nrun 1000\n",
                         expect_error=rf"Cannot open fix thermal/scan file {path}: {cause}")
        check("Setting up Verlet run" not in output, f"{name}: the error came after a run had started")


# one short scan per partition on the tiny crystal
SCAN_PER_PARTITION = TINY_CUZR + """
velocity all create 300 4711
fix integrate all nve
fix tstat all langevin 300 300 0.1 48279
fix scan all thermal/scan tstat 300 600 1000 hold 0.01 bins 4 300 600 every 2 file FILE
run 20
"""


def file_per_partition(lmp):
    """Two partitions of one run: a file each through a world variable gives two files; one name
    for both ends the run with an error naming the file (one replica's curves would be lost)."""
    status, logs = lmp.run_partitions("variable p world 1 2\n" + SCAN_PER_PARTITION.replace("FILE", "s.${p}.txt"))
    check(status == 0 and all("ERROR" not in log for log in logs), f"the run failed: {logs}")
    for p in (1, 2):
        check(len(read_table(lmp.path(f"s.{p}.txt"))) == 4, f"s.{p}.txt: expected 4 bins")
    status, logs = lmp.run_partitions(SCAN_PER_PARTITION.replace("FILE", "same.txt"))
    errors = [line for log in logs for line in log.splitlines() if line.startswith("ERROR")]
    check(status != 0, "two partitions wrote one scan file without an error")
    check(errors and re.search(r"Fix thermal/scan scan: file same.txt is being written by another LAMMPS "
                               r"\(another partition of this run\?\); give each partition a file of its own, "
                               r"e.g. file scan.\$\{p\}.txt", errors[0]), f"unclear or no error: {errors}")


TINY = TINY_CUZR + "velocity all create 300 4711\nfix integrate all nve\n"
LANGEVIN = "fix tstat all langevin 300 300 0.1 48279\n"
SCAN_CMD = "fix scan all thermal/scan tstat 300 600 100 "

# A Cu64Zr36 glass (2048 atoms) quenched from the melt at 1.7e15 K/s (2000 -> 300 K in 1 ps), and
# the same glass annealed at 700 K for 20 ps and cooled to 300 K at 2e14 K/s; each is heated
# 300 -> 1300 K at 200 K/ps and again as its own baseline (back at the same rate, 1 ps at 300 K).
GLASSES = MELT.replace("block 0 4 0 4 0 4", "block 0 8 0 8 0 8").replace(
    "velocity all create 600 4711 mom yes rot yes", "velocity all create 2000 4711 mom yes rot yes dist gaussian") + """
thermo 2500
fix md all npt temp 2000 2000 0.1 iso 0 0 1
run 1000
fix md all npt temp 2000 300 0.1 iso 0 0 1
run 500
fix md all npt temp 300 300 0.1 iso 0 0 1
run 500
write_restart fast.restart
fix md all npt temp 700 700 0.1 iso 0 0 1
run 10000
fix md all npt temp 700 300 0.1 iso 0 0 1
run 1000
fix md all npt temp 300 300 0.1 iso 0 0 1
run 500
write_restart annealed.restart
"""
GLASS_DSC = """
plugin load ${plugin}
units metal
read_restart ${glass}.restart
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
timestep 0.002
fix md all npt temp 300 300 0.1 iso 0 0 0.2
fix dsc all thermal/scan md 300 1300 200 hold 1 bins 50 300 1300 every 5 pressure 0 &
    relaxation 400 1150 window 200 file dsc_${glass}.txt halt yes
thermo 2500
run 100000
print "DSC ${glass}: H_rel $(f_dsc[4]:%.6f) +- $(f_dsc[5]:%.6f) eV/atom"
"""


def fast_vs_annealed(lmp):
    """The heat of relaxation of a fast-quenched glass exceeds that of the same glass annealed by
    more than 4 times the uncertainty of the difference, and the fast-quenched glass releases heat
    (H_rel > 3 uncertainties above 0). H_rel over 400 to 1150 K with 200 K line fits at the ends.
    Measured on 2 ranks: fast +15.3 +- 0.7, annealed +1.9 +- 1.0 meV/atom (difference 10.6
    uncertainties); in a pilot with another seed on 1 rank +16.3 +- 1.1 and -4.5 +- 1.0 (13.8).
    About 80 s on 2 cores."""
    lmp.run("glasses", GLASSES)
    values = {}
    for glass in ("fast", "annealed"):
        lmp.run(f"dsc_{glass}", GLASS_DSC, variables={"glass": glass})
        head = header_values(lmp.path(f"dsc_{glass}.txt"))
        values[glass] = (float(head["h_rel"]), float(head["uncertainty"]))
        print(f"{glass}: H_rel = {1000 * values[glass][0]:.2f} +- {1000 * values[glass][1]:.2f} meV/atom")
    (h_fast, u_fast), (h_annealed, u_annealed) = values["fast"], values["annealed"]
    check(all(math.isfinite(x) and x > 0 for x in (u_fast, u_annealed)), f"uncertainties {u_fast}, {u_annealed}")
    margin = (h_fast - h_annealed) / math.hypot(u_fast, u_annealed)
    print(f"difference {1000 * (h_fast - h_annealed):.2f} meV/atom = {margin:.1f} uncertainties")
    check(margin > 4.0, f"H_rel fast - annealed = {h_fast - h_annealed} is only {margin:.2f} uncertainties")
    check(h_fast > 3.0 * u_fast, f"the fast-quenched glass releases no heat: H_rel {h_fast} +- {u_fast}")


ERRORS = {
    "missing_args": (LANGEVIN + "fix scan all thermal/scan tstat 300 600",
                     r"Illegal fix thermal/scan command: missing argument"),
    "same_temperatures": (LANGEVIN + "fix scan all thermal/scan tstat 300 300 100",
                          r"Fix thermal/scan scan: scan from 300 to 300 at rate 100: T1 and T2 must differ"),
    "zero_rate": (LANGEVIN + "fix scan all thermal/scan tstat 300 600 0",
                  r"Fix thermal/scan scan: scan from 300 to 600 at rate 0: the rate must be finite and > 0"),
    "negative_rate": (LANGEVIN + "fix scan all thermal/scan tstat 300 600 -5",
                      r"at rate -5: the rate must be finite and > 0"),
    "negative_temperature": (LANGEVIN + "fix scan all thermal/scan tstat -300 600 100",
                             r"T1 and T2 must be finite and > 0"),
    "negative_hold": (LANGEVIN + SCAN_CMD + "hold -1", r"the hold before the baseline must be finite and >= 0"),
    "bins_below_scan": (LANGEVIN + SCAN_CMD + "bins 10 200 500",
                        r"Fix thermal/scan scan: 10 bins from 200 to 500 of the scan from 300 to 600: the "
                        r"binned range must be finite"),
    "bins_above_scan": (LANGEVIN + SCAN_CMD + "bins 10 400 700", r"binned range must .* lie within the scanned range"),
    "bins_reversed": (LANGEVIN + SCAN_CMD + "bins 10 500 400", r"its lower end below its upper end"),
    "zero_bins": (LANGEVIN + SCAN_CMD + "bins 0 300 600", r"the number of bins must be >= 1"),
    "relaxation_outside_scan": (LANGEVIN + SCAN_CMD + "bins 10 350 600 relaxation 320 500",
                                r"relaxation range 320 to 500 must be increasing and lie within the binned range "
                                r"350 to 600"),
    "relaxation_reversed": (LANGEVIN + SCAN_CMD + "relaxation 500 400", r"relaxation range 500 to 400 must be increasing"),
    "relaxation_without_baseline": (LANGEVIN + SCAN_CMD + "baseline no relaxation 350 500",
                                    r"relaxation needs the baseline"),
    "window_without_relaxation": (LANGEVIN + SCAN_CMD + "window 30",
                                  r"window sets the fits of the heat of relaxation and needs the relaxation keyword"),
    "window_too_narrow": (LANGEVIN + SCAN_CMD + "relaxation 350 500 window 10",
                          r"window 10 must be 0 \(interpolation\) or at least two bin widths \(12\)"),
    "window_negative": (LANGEVIN + SCAN_CMD + "relaxation 350 500 window -5",
                        r"window -5 must be 0 \(interpolation\) or at least two bin widths"),
    "bad_every": (LANGEVIN + SCAN_CMD + "every 0", r"Illegal fix thermal/scan every value: 0"),
    "unknown_keyword": (LANGEVIN + SCAN_CMD + "bogus 1", r"Unknown fix thermal/scan keyword: bogus"),
    "subgroup": (LANGEVIN + "group one id 1\nfix scan one thermal/scan tstat 300 600 100",
                 r"Fix thermal/scan scan must be defined for group all"),
    "scan_shorter_than_timestep": (LANGEVIN + "fix scan all thermal/scan tstat 300 301 1e6",
                                   r"the scan lasts 1e-06, less than one timestep 0.001"),
    "file_not_writable": (LANGEVIN + SCAN_CMD + "file /nonexistent/dir/scan.txt\nrun 2",
                          r"Cannot open fix thermal/scan file /nonexistent/dir/scan.txt"),
    # two fixes of one LAMMPS writing one file, by the same or another name to it
    "shared_file": (LANGEVIN + "fix tstat2 all langevin 300 300 0.1 4812\n" + SCAN_CMD + "file same.txt\n"
                    "fix scan2 all thermal/scan tstat2 300 600 100 file same.txt",
                    r"Fix thermal/scan scan2: file same.txt is the file same.txt of fix thermal/scan scan; "
                    r"give each fix a file of its own"),
    "file_is_cycle_report": (LANGEVIN + "fix tstat2 all langevin 300 300 0.1 4812\n"
                             "fix cycle all thermal/cycle tstat2 300 80 2 report same.txt\n" + SCAN_CMD +
                             "file ./same.txt", r"Fix thermal/scan scan: file \./same.txt is the report file "
                             r"same.txt of fix thermal/cycle cycle; give each fix a file of its own"),
    # the largest int: its sums alone would take 340 GB on every rank
    "bins_int_max": (LANGEVIN + SCAN_CMD + "bins 2147483647 300 600",
                     r"Fix thermal/scan scan: 2147483647 bins: at most 100000 \(each takes memory"),
    "bins_above_limit": (LANGEVIN + SCAN_CMD + "bins 100001 300 600", r"100001 bins: at most 100000"),
    "unknown_thermostat": (SCAN_CMD.replace("tstat", "nosuch") + "\nrun 1",
                           r"Fix thermal/scan thermostat fix ID nosuch does not exist"),
    "thermostat_without_target": ("fix scan all thermal/scan integrate 300 600 100\nrun 1",
                                  r"Fix thermal/scan: fix integrate \(style nve\) has no target temperature"),
    "variable_langevin": ("variable T equal 300\nfix tstat all langevin v_T 300 0.1 48279\n" + SCAN_CMD +
                          "\nrun 1", r"Fix thermal/scan: thermostat fix tstat takes its temperature from a variable"),
    # caught by the generic check on the second step, when the scan's target is no longer 300
    "variable_berendsen": ("variable T equal 300\nfix tstat all temp/berendsen v_T 300 0.1\n" + SCAN_CMD +
                           "\nrun 10", r"Fix thermal/scan: thermostat fix tstat \(style temp/berendsen\) replaced "
                           r"the target temperature"),
    "two_scans": (LANGEVIN + SCAN_CMD + "\nfix scan2 all thermal/scan tstat 300 600 100\nrun 1",
                  r"Fix thermal/scan scan2? and scan2? both drive thermostat fix tstat"),
    "scan_and_cycle": (LANGEVIN + SCAN_CMD + "\nfix cycle all thermal/cycle tstat 300 80 1\nrun 1",
                       r"both drive thermostat fix tstat"),
    "rerun": (LANGEVIN + "dump d all atom 5 tiny.dump\nrun 10\nundump d\n" + SCAN_CMD +
              "\nrerun tiny.dump dump x y z", r"Fix thermal/scan scan cannot be used with rerun"),
    "lj_units_need_hold": ("""
clear
plugin load ${plugin}
units lj
lattice fcc 0.8
region box block 0 3 0 3 0 3
create_box 1 box
create_atoms 1 box
mass 1 1.0
pair_style lj/cut 2.5
pair_coeff 1 1 1.0 1.0
fix tstat all langevin 1.0 1.0 1.0 4711
fix scan all thermal/scan tstat 0.5 1.0 0.1
""", r"Fix thermal/scan needs an explicit hold keyword with units lj"),
}


CASES = {
    "einstein_crystal": einstein_crystal,
    "eam_crystal": eam_crystal,
    "schedule": schedule,
    "rank_equality": rank_equality,
    "restart": restart,
    "halt": halt,
    "fast_vs_annealed": fast_vs_annealed,
    "compare_scans_replicas": compare_scans_replicas,
    "restart_sampling_changed": restart_sampling_changed,
    "scan_bookkeeping": scan_bookkeeping,
    "file_checked_at_definition": file_checked_at_definition,
    "file_per_partition": file_per_partition,
}
CASES.update(error_cases(ERRORS, TINY + "timestep 0.001\n"))

# Bad input on one rank (two also on 2, to show the error ends every rank); rank_equality runs
# 1 and 2 ranks itself.
RANKS = {name: (1,) for name in CASES if name.startswith("error_")}
RANKS.update({"error_file_not_writable": (1, 2), "error_variable_berendsen": (1, 2),
              "rank_equality": (2,), "einstein_crystal": (1, 2), "eam_crystal": (1, 2),
              "fast_vs_annealed": (2,), "compare_scans_replicas": (1,), "file_checked_at_definition": (1, 2),
              "file_per_partition": (2,)})

if __name__ == "__main__":
    main(CASES, RANKS)
