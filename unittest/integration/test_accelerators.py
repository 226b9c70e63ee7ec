#!/usr/bin/env python3
"""CryoCycle next to LAMMPS's accelerator packages (issue 30).

- KOKKOS data masks: the test hook fix datamask/log (unittest/hooks/, a plugin of its own) records
  the masks fix thermal/cycle and thermal/scan request step by step (what KOKKOS would copy to the
  host before their end_of_step() and mark changed after it): nothing on the steps they only move
  the thermostat's target, exactly the fields of compute temp/ke on the steps they sample (the
  sampling is observed independently, from the step its internal compute was invoked on), and the
  strain reference's fields on the step it is taken; never a changed field. The computes' own
  declarations are in the hook's header lines.
- Suffixes: the thermostats under -sf omp (nvt/omp, npt/omp; langevin and temp/rescale have no
  /omp variant) are driven; every suffix is stripped by name in unittest/test_style_support.cpp.
- Same numbers under -sf omp with 1 and 2 threads: the schedule (exact), the report against the
  run's own thermo output, per-atom strain and zones of a given configuration (1e-12 of the plain
  run's), and the cycle report against the plain run's within the difference the same accelerated
  stock styles alone make (measured in the same case and printed).
Skips (exit 77) where the host lmp has no OPENMP package.
"""

import math
import re
import sys
from pathlib import Path

from harness import check, check_close, lammps_version, main, read_dump, read_table, thermo_runs
from inputs import GLASS_CUZR
from reference_schedule import COLD_HOLD, DONE

GLASS = GLASS_CUZR + "timestep 0.002\n"

# atom_masks.h of LAMMPS
X, V, TAG, TYPE, MASK, IMAGE, RMASS = 0x1, 0x2, 0x8, 0x10, 0x20, 0x40, 0x200
KINETIC = V | MASK | TYPE | RMASS    # compute temp and compute ke
STRAIN = X | IMAGE | TAG | MASK      # compute strain/atom and the strain reference


def hook(lmp):
    return Path(lmp.plugin).parent / "datamask_log_hook.so"


def read_masks(path):
    """(header: {kind: {id: [words]}}, rows: [(step, read, modify, sampled)])"""
    header, rows = {"compute": {}, "fix": {}}, []
    for line in Path(path).read_text().splitlines():
        words = line.split()
        if words[0] == "#":
            header[words[1]][words[2]] = words[3:]
        else:
            rows.append(tuple(int(w) for w in words))
    return header, rows


def check_masks(rows, sampled_fields, other_fields=None, other_count=0):
    """Every step: nothing changed; `sampled_fields` read exactly on the steps the fix sampled;
    `other_fields` on `other_count` further steps (the strain reference); nothing otherwise."""
    check(rows, "the hook recorded no step")
    sampled = [row for row in rows if row[3]]
    check(len(sampled) >= 3 and len(sampled) < len(rows) / 2,
          f"{len(sampled)} of {len(rows)} steps sampled: not a test of the masks")
    for step, read, modify, was_sampled in rows:
        check(modify == 0, f"step {step}: the fix marks fields {modify:#x} changed")
        if was_sampled:
            check(read == sampled_fields, f"step {step} (sampled): read {read:#x}, expected {sampled_fields:#x}")
    others = [row for row in rows if not row[3] and row[1]]
    for step, read, _, _ in others:
        check(read == other_fields, f"step {step} (not sampled): read {read:#x}, expected "
              f"{0 if other_fields is None else other_fields:#x}")
    check(len(others) == other_count, f"{len(others)} unsampled steps read fields, expected {other_count}")
    print(f"masks: {len(rows)} steps, {len(sampled)} sampled ({sampled_fields:#x}), {len(others)} others")


def datamask_cycle(lmp):
    """thermal/cycle over group all and a subgroup: temp's fields on sampled steps only."""
    for group in ("all", "half"):
        script = GLASS + f"""
plugin load {hook(lmp)}
group half id <= 432
velocity all create 300 4711
fix tstat all nvt temp 300 300 0.1
fix cycle {group} thermal/cycle tstat 300 80 1 rate 1000 1000 hold 0.1 0.1 every 5
fix masks all datamask/log masks.{group}.txt cycle cycle_temp
thermo 100
run 700
"""
        lmp.run(f"cycle_{group}", script)
        header, rows = read_masks(lmp.path(f"masks.{group}.txt"))
        check(header["fix"]["cycle"][:2] == ["thermal/cycle", "0"], f"fix line {header['fix']}: not on the host")
        check_masks(rows, KINETIC)


def datamask_cycle_reference(lmp):
    """thermal/cycle with report values of compute rejuvenation and the strain reference taken at
    each completed cycle: the values' fields added on sampled steps, the reference's on its step;
    the computes declare what they read."""
    script = GLASS + f"""
plugin load {hook(lmp)}
velocity all create 300 4711
compute s all strain/atom 3.5
compute z all sbzone/atom s
compute pe all pe/atom
compute rj all rejuvenation s zones z pe pe
fix tstat all nvt temp 300 300 0.1
fix cycle all thermal/cycle tstat 300 80 2 rate 1000 1000 hold 0.1 0.1 every 5 values c_rj[1] reference c_s at cycle
fix masks all datamask/log masks.txt cycle cycle_temp
thermo 100
run 1300
"""
    lmp.run("reference", script)
    header, rows = read_masks(lmp.path("masks.txt"))
    declared = {cid: (int(words[1]), int(words[2])) for cid, words in header["compute"].items()}
    for cid in ("s", "z", "rj"):
        check(declared[cid] == (STRAIN, 0), f"compute {cid} declares {declared[cid]}, expected ({STRAIN:#x}, 0)")
    # the values: rejuvenation's fields; the reference: its own and its listener rejuvenation's
    check_masks(rows, KINETIC | STRAIN, other_fields=STRAIN, other_count=2)


def datamask_scan(lmp):
    """thermal/scan: ke's and temp's fields on sampled steps only."""
    script = GLASS + f"""
plugin load {hook(lmp)}
velocity all create 300 4711
fix tstat all nvt temp 300 300 0.1
fix scan all thermal/scan tstat 300 500 100 bins 4 300 500 every 4
fix masks all datamask/log masks.txt scan scan_ke
thermo 100
run 1000
"""
    lmp.run("scan", script)
    header, rows = read_masks(lmp.path("masks.txt"))
    check(header["fix"]["scan"][:2] == ["thermal/scan", "0"], f"fix line {header['fix']}: not on the host")
    check_masks(rows, KINETIC)


def has_openmp(lmp):
    import subprocess
    help_text = subprocess.run([lmp.lmp, "-h"], capture_output=True, text=True).stdout
    return re.search(r"^OPENMP\b|\sOPENMP\s", help_text, re.M) is not None


def need_openmp(lmp):
    if not has_openmp(lmp):
        print(f"SKIP: {lmp.lmp} has no OPENMP package (tools/host-lammps.sh builds it with it)")
        sys.exit(77)


OMP = ["-sf", "omp", "-pk", "omp"]
# 2 threads per rank on 2 ranks oversubscribe 2 cores: threads that spin while they wait for each
# other then take minutes instead of seconds
PASSIVE = {"OMP_WAIT_POLICY": "PASSIVE"}


def fix_styles(output):
    return dict(re.findall(r"Fix\[\s*\d+\]:\s+([^\s,]+),\s+style = ([^\s,]+)", output))


def suffix_omp_thermostats(lmp):
    """Under -sf omp every thermostat style is driven (nvt/omp, npt/omp, and the plain langevin,
    temp/rescale, temp/berendsen, temp/csvr, which have no /omp variant); a temp/rescale with a
    variable temperature is still refused."""
    need_openmp(lmp)
    thermostats = {"nvt": "nvt temp 300 300 0.1", "npt": "npt temp 300 300 0.1 iso 0 0 1",
                   "langevin": "langevin 300 300 0.1 4711", "temp/rescale": "temp/rescale 1 300 300 5 1.0",
                   "temp/berendsen": "temp/berendsen 300 300 0.1", "temp/csvr": "temp/csvr 300 300 0.1 4711"}
    expected = {"nvt": "nvt/omp", "npt": "npt/omp"}
    for style, arguments in thermostats.items():
        integrate = "" if style in ("nvt", "npt") else "fix integrate all nve\n"
        script = GLASS + f"""velocity all create 300 4711
{integrate}fix tstat all {arguments}
fix cycle all thermal/cycle tstat 300 80 1 rate 2000 2000 hold 0.02 0.02
info fixes
thermo_style custom step f_cycle f_cycle[2]
run 300
"""
        name = style.replace("/", "_")
        output = lmp.run(name, script, lmp_args=OMP + ["1"])
        got = fix_styles(output).get("tstat")
        check(got == expected.get(style, style), f"thermostat {style} under -sf omp is {got}")
        rows = [row for run in thermo_runs(output) for row in run]
        check(rows[-1]["f_cycle[2]"] == DONE, f"{style}: the cycle did not complete")
    script = GLASS + """variable T equal 300
fix integrate all nve
fix tstat all temp/rescale 1 v_T 300 5 1.0
fix cycle all thermal/cycle tstat 300 80 1
run 10
"""
    lmp.run("variable", script, lmp_args=OMP + ["1"], expect_error="takes its temperature from a variable")


# The quick start's cycling stage on the test glass: npt at zero pressure driven through 2 cycles.
CYCLING = GLASS + """velocity all create 300 4711 mom yes rot yes dist gaussian
fix tstat all npt temp 300 300 0.1 iso 0 0 1
fix cycle all thermal/cycle tstat 300 80 2 rate 500 500 hold 0.2 0.2 every 5 report report.${tag}.txt
thermo_style custom step time f_cycle f_cycle[2] pe temp vol
thermo_modify format float %.15g
thermo 5
run 1300
"""
# The noise reference: the same system under fix npt alone, ramped 300 -> 80 K, no CryoCycle style:
# how far the accelerated stock styles (npt/omp, eam/fs/omp) move a run by themselves.
STOCK = GLASS + """velocity all create 300 4711 mom yes rot yes dist gaussian
fix tstat all npt temp 300 80 0.1 iso 0 0 1
thermo_style custom step time pe temp vol
thermo_modify format float %.15g
thermo 5
run 1300
"""


def omp_same_numbers(lmp):
    """The cycling run plain and under -sf omp with 1 and 2 threads: targets identical at every
    step; each report equal to its own run's thermo means; the reports' differences from the plain
    run within what npt/omp and eam/fs/omp alone make of the same run without CryoCycle (the noise
    of accelerated stock styles: printed, with the tolerance used)."""
    need_openmp(lmp)
    variants = {"plain": ([], 1), "omp1": (OMP + ["1"], 1), "omp2": (OMP + ["2"], 2)}
    reports, stock = {}, {}
    for tag, (args, threads) in variants.items():
        output = lmp.run(f"cycle_{tag}", CYCLING, {"tag": tag}, lmp_args=args, threads=threads, env=PASSIVE)
        rows = [row for run in thermo_runs(output) for row in run]
        if tag == "plain":
            targets = [(row["Step"], row["f_cycle"], row["f_cycle[2]"]) for row in rows]
        else:
            check([(row["Step"], row["f_cycle"], row["f_cycle[2]"]) for row in rows] == targets,
                  f"{tag}: the targets differ from the plain run's")
        report = read_table(lmp.path(f"report.{tag}.txt"))
        check(len(report) == 2, f"{tag}: {len(report)} report rows, expected 2")
        # cold_pe of cycle k is the mean of pe/atom over its sampled cold-hold steps
        natoms = 864
        for k, line in enumerate(report):
            begin, end = line[1], line[2]
            cold = [row for row in rows if begin < row["Step"] <= end and row["f_cycle[2]"] == COLD_HOLD
                    and row["Step"] % 5 == 0]
            check(len(cold) == int(line[3]), f"{tag} cycle {k + 1}: {len(cold)} cold steps, report {line[3]}")
            check_close(line[4], sum(row["PotEng"] for row in cold) / len(cold) / natoms, rel=1e-9,
                        what=f"{tag} cycle {k + 1} cold pe/atom")
        reports[tag] = report
        output = lmp.run(f"stock_{tag}", STOCK, lmp_args=args, threads=threads, env=PASSIVE)
        stock[tag] = [row for run in thermo_runs(output) for row in run]

    def mean_pe(rows, lo, hi):
        chosen = [row["PotEng"] / 864 for row in rows if lo <= row["Step"] <= hi]
        return sum(chosen) / len(chosen)
    for tag in ("omp1", "omp2"):
        # the noise: the stock runs' mean pe/atom over each cycle's steps, accelerated vs plain
        noise = max(abs(mean_pe(stock[tag], line[1], line[2]) - mean_pe(stock["plain"], line[1], line[2]))
                    for line in reports["plain"])
        diff = max(abs(a[4] - b[4]) for a, b in zip(reports[tag], reports["plain"]))
        tolerance = max(5 * noise, 1e-12)
        print(f"{tag} np={lmp.np}: cycle report cold pe/atom differs from plain by {diff:.3g} eV; "
              f"stock styles alone: {noise:.3g} eV (tolerance {tolerance:.3g})")
        check(diff <= tolerance, f"{tag}: report differs by {diff} eV/atom, stock noise {noise}")


SCAN = GLASS + """velocity all create 300 4711 mom yes rot yes dist gaussian
fix tstat all npt temp 300 300 0.1 iso 0 0 1
fix scan all thermal/scan tstat 300 500 400 bins 4 300 500 every 5 file scan.${tag}.txt
thermo_style custom step pe
thermo_modify format float %.15g
thermo 50
run 600
"""


def omp_scan(lmp):
    """A thermal/scan (300 -> 500 K) plain and under -sf omp with 1 and 2 threads: the bins' means
    (T, H, pe, volume, counts) equal the plain run's within the difference the same thermo
    output of the run shows (the noise of the accelerated stock styles themselves)."""
    need_openmp(lmp)
    tables, pe = {}, {}
    for tag, args, threads in (("plain", [], 1), ("omp1", OMP + ["1"], 1), ("omp2", OMP + ["2"], 2)):
        output = lmp.run(f"scan_{tag}", SCAN, {"tag": tag}, lmp_args=args, threads=threads, env=PASSIVE)
        pe[tag] = [row["PotEng"] for run in thermo_runs(output) for row in run]
        tables[tag] = read_table(lmp.path(f"scan.{tag}.txt"))
        check(len(tables[tag]) == 4, f"{tag}: {len(tables[tag])} bins, expected 4")
    for tag in ("omp1", "omp2"):
        noise = max(abs(a - b) / abs(b) for a, b in zip(pe[tag], pe["plain"]))
        # columns 1-8: bin, T_lo, T_hi, n, T, H, pe, volume of the scan
        diff = max(abs(a - b) / max(abs(b), 1.0) for row, plain in zip(tables[tag], tables["plain"])
                   for a, b in zip(row[:8], plain[:8]))
        tolerance = max(10 * noise, 1e-12)
        print(f"{tag} np={lmp.np}: scan bins differ from plain by {diff:.3g} (relative); stock "
              f"thermo pe: {noise:.3g} (tolerance {tolerance:.3g})")
        check(diff <= tolerance, f"{tag}: scan bins differ by {diff} (relative), thermo noise {noise}")


def omp_strain_identical(lmp):
    """Per-atom strain and zones of a given configuration (the glass, then the glass sheared) are
    those of the plain run under -sf omp with 1 and 2 threads (1e-12)."""
    need_openmp(lmp)
    script = GLASS + """compute s all strain/atom 3.5
compute z all sbzone/atom s
run 0
displace_atoms all ramp x 0.0 1.5 z 0 20 units box
dump d all custom 1 atoms.${tag}.dump id c_s[1] c_s[2] c_s[3] c_z[1] c_z[2]
dump_modify d sort id format float %.17g
run 0
"""
    dumps = {}
    for tag, args, threads in (("plain", [], 1), ("omp1", OMP + ["1"], 1), ("omp2", OMP + ["2"], 2)):
        lmp.run(tag, script, {"tag": tag}, lmp_args=args, threads=threads, env=PASSIVE)
        dumps[tag] = read_dump(lmp.path(f"atoms.{tag}.dump"))[1]
    for tag in ("omp1", "omp2"):
        for atom, values in dumps["plain"].items():
            for a, b in zip(values, dumps[tag][atom]):
                check_close(b, a, rel=1e-12, abs_tol=1e-12, what=f"{tag} atom {atom}")


if __name__ == "__main__":
    main({"datamask_cycle": datamask_cycle, "datamask_cycle_reference": datamask_cycle_reference,
          "datamask_scan": datamask_scan, "suffix_omp_thermostats": suffix_omp_thermostats,
          "omp_same_numbers": omp_same_numbers, "omp_scan": omp_scan,
          "omp_strain_identical": omp_strain_identical},
         # the masks are the same decision on every rank (the hook records rank 0's): 1 rank
         {"datamask_cycle": (1,), "datamask_cycle_reference": (1,), "datamask_scan": (1,)})
