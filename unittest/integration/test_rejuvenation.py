#!/usr/bin/env python3
"""Integration tests of compute rejuvenation: every value against the same quantity built in the
same run from stock LAMMPS (atom-style variables summed by compute reduce, the reference energy
kept by fix store/state), per-zone rows against the group totals, restart, reference re-capture,
1 vs 2 ranks, bad input."""

from harness import GLASS_CUZR, check, check_close, error_cases, main, read_table, thermo_runs

ZONES = 5
NBINS, HMAX = 10, 1.0
LO, HI = 0.3, 0.7
VALUES = ("atoms", "mean_eta", "below", "window", "above", "pe", "pe_change")

# The glass of the fixture; strain reference, zones and reference energies at step 0 (run 0); then a
# slab is sheared (eta from 0 to ~0.9 across it, so every strain class and several zones occur) and
# the atoms move for a few steps at 300 K.
SETUP = GLASS_CUZR + """group cu type 1
compute s all strain/atom 3.5
compute pe all pe/atom
compute z all sbzone/atom s minsize 5 band 0.3
"""
SHEAR = """
# shear in 0.3 < z/lz < 0.5 whose gradient dx/dz rises linearly from 0 to 1.6 across the slab
# (eta from 0 to about 1.1); the atoms above move rigidly
variable z0 equal zlo+0.3*lz
variable z1 equal zlo+0.5*lz
variable dx atom "(z>v_z0)*(z<v_z1)*0.8*(z-v_z0)^2/(v_z1-v_z0) + (z>=v_z1)*0.8*(v_z1-v_z0)"
displace_atoms all move v_dx 0 0 units box
velocity all create 300 4242 mom yes rot yes dist gaussian
fix md all nve
"""


def reference_lines(group, zones):
    """Atom-style variables and compute reduce sums that rebuild the statistics of `group`: one
    reduce compute per row (`red_<group>_0` for the group, `red_<group>_<k>` for zone k) with the
    sums atoms, valid, eta, below, window, above, pe, pe change; and the histogram."""
    lines = []
    rows = [(0, "1")] + ([(k, f"(c_z[1]=={k})") for k in range(1, ZONES + 1)] if zones else [])
    for k, inside in rows:
        tag = f"{group}_{k}"
        valid = f"{inside}*c_s[4]"
        lines += [f'variable n_{tag} atom "{inside}"',
                  f'variable v_{tag} atom "{valid}"',
                  f'variable e_{tag} atom "{valid}*c_s[1]"',
                  f'variable b_{tag} atom "{valid}*(c_s[1]<={LO})"',
                  f'variable w_{tag} atom "{valid}*(c_s[1]>{LO})*(c_s[1]<={HI})"',
                  f'variable a_{tag} atom "{valid}*(c_s[1]>{HI})"',
                  f'variable p_{tag} atom "{inside}*c_pe"',
                  f'variable d_{tag} atom "{inside}*(c_pe-f_pe0)"',
                  f"compute red_{tag} {group} reduce sum " +
                  " ".join(f"v_{q}_{tag}" for q in "nvebwapd")]
    # histogram: bin k holds k*w <= eta < (k+1)*w, w = max/nbins, then eta >= max
    lines.append(f"variable width equal {HMAX}/{NBINS}")
    for k in range(NBINS):
        lines.append(f'variable h{k}_{group} atom "c_s[4]*(c_s[1]>={k}*v_width)*(c_s[1]<({k}+1)*v_width)"')
    lines.append(f'variable h{NBINS}_{group} atom "c_s[4]*(c_s[1]>={HMAX})"')
    lines.append(f"compute hist_{group} {group} reduce sum " +
                 " ".join(f"v_h{k}_{group}" for k in range(NBINS + 1)))
    return lines, [f"red_{group}_{k}" for k, _ in rows]


def expected_row(row, name):
    """Our 7 values from the 8 reduce sums of one row."""
    n, nvalid, eta, below, window, above, pe, change = (row[f"c_{name}[{k}]"] for k in range(1, 9))
    frac = (lambda x: x / nvalid) if nvalid else (lambda x: 0.0)
    return [n, eta / nvalid if nvalid else 0.0, frac(below), frac(window), frac(above),
            pe / n if n else 0.0, change / n if n else 0.0]


def compare(actual, expected, what):
    """Counts and class fractions exact (the same integer division); means of eta and energy to
    1e-9 (ours are exact sums of values rounded to < 1e-12, compute reduce sums doubles)."""
    for k, (a, e) in enumerate(zip(actual, expected)):
        name = VALUES[k] if k < len(VALUES) else f"histogram[{k - len(VALUES) + 1}]"
        if k in (1, 5, 6):
            check_close(a, e, abs_tol=1e-9, what=f"{what} {name}")
        else:
            check(a == e, f"{what} {name}: got {a!r}, expected {e!r}")


def our_vector(row, name):
    return [row[f"c_{name}[{k}]"] for k in range(1, len(VALUES) + NBINS + 2)]


def our_row(row, name, zone):
    return [row[f"c_{name}[{zone}][{k}]"] for k in range(1, len(VALUES) + 1)]


def statistics_script():
    """The glass with our computes (group all with zones and group cu) and the reduce sums that
    rebuild them, all in the thermo output of steps 0, 10 and 20 after the shear."""
    reduce_all, names_all = reference_lines("all", zones=True)
    reduce_cu, names_cu = reference_lines("cu", zones=False)
    reduces = names_all + names_cu + ["hist_all", "hist_cu"]
    ours = (f"compute r all rejuvenation s zones z histogram {NBINS} {HMAX} pe pe\n"
            f"compute rc cu rejuvenation s histogram {NBINS} {HMAX} pe pe\n")
    array_columns = " ".join(f"c_r[{z}][{k}]" for z in range(1, ZONES + 1) for k in range(1, 8))
    # fix store/state with N = 0 stores c_pe once, in the setup of the next run: step 0, where our
    # computes capture their reference energies
    return (SETUP + ours + "fix pe0 all store/state 0 c_pe\nthermo_style custom step c_r[1] c_rc[1]\nrun 0\n"
            + SHEAR + "\n".join(reduce_all + reduce_cu) + "\n"
            "variable window equal c_r[4]\n"    # usable in equal-style variables
            f"thermo_style custom step v_window c_r[*] c_rc[*] {array_columns} "
            + " ".join(f"c_{name}[*]" for name in reduces) + "\n"
            "thermo_modify format float %.17g\nthermo 10\n"
            'fix zones all ave/time 10 1 10 c_r[*] mode vector file zones.txt format " %.17g"\n'
            "run 20\n")


def check_statistics(row):
    """Our vector and array against the reduce sums of the same step."""
    for group, name in (("all", "r"), ("cu", "rc")):
        expected = expected_row(row, f"red_{group}_0")
        expected += [row[f"c_hist_{group}[{k}]"] for k in range(1, NBINS + 2)]
        compare(our_vector(row, name), expected, f"group {group}")
    for zone in range(1, ZONES + 1):
        compare(our_row(row, "r", zone), expected_row(row, f"red_all_{zone}"), f"zone {zone}")
    # the zone rows add up to the group: atoms, and the class counts through the fractions
    atoms = sum(row[f"c_r[{z}][1]"] for z in range(1, ZONES + 1))
    check(atoms == row["c_r[1]"], f"zone rows hold {atoms} atoms, the group {row['c_r[1]']}")


def against_reduce(lmp):
    """Vector (group all and group cu), per-zone array and histogram against compute reduce of
    atom-style variables in the same run, at 3 steps after shearing a slab; the sheared glass has
    atoms in every strain class and more than one zone."""
    output = lmp.run("stats", statistics_script())
    rows = thermo_runs(output)[-1]
    check(len(rows) == 3, f"expected thermo on steps 0, 10, 20, got {len(rows)} rows")
    for row in rows:
        check_statistics(row)
    last = rows[-1]
    check(all(last[f"c_r[{k}]"] > 0 for k in (3, 4, 5)), f"not every strain class occurs: {last}")
    check(sum(last[f"c_r[{z}][1]"] > 0 for z in range(1, ZONES + 1)) >= 2, "only one zone occurs")
    check(last["c_r[7]"] != 0.0, "the energy did not change since the reference")
    check(all(row["v_window"] == row["c_r[4]"] for row in rows), "an equal-style variable of c_r[4] differs")
    # the array through fix ave/time (mode vector: one line per zone) equals thermo's elements
    lines = [line.split() for line in lmp.path("zones.txt").read_text().splitlines() if not line.startswith("#")]
    blocks = {}
    while lines:
        step, nrows = int(lines[0][0]), int(lines[0][1])
        blocks[step] = [[float(v) for v in line[1:]] for line in lines[1:1 + nrows]]
        lines = lines[1 + nrows:]
    for row in rows:
        block = blocks.get(int(row["Step"]))
        check(block is not None and len(block) == ZONES, f"fix ave/time: no {ZONES} rows for step {row['Step']}")
        for z in range(1, ZONES + 1):
            check(block[z - 1] == our_row(row, "r", z), f"step {row['Step']:.0f} zone {z}: fix ave/time "
                                                         f"{block[z - 1]} != thermo {our_row(row, 'r', z)}")


def rank_invariance(lmp):
    """1 and 2 ranks give the same values: counts, class fractions and histograms exactly; means
    to 1e-12 (the per-atom energies of EAM, and after 20 MD steps the positions, differ between
    rank counts in the last bits; our sums of them do not add rounding of their own)."""
    script = statistics_script()
    one = thermo_runs(lmp.run("np1", script, np=1))[-1][-1]
    two = thermo_runs(lmp.run("np2", script, np=2))[-1][-1]
    ours = [k for k in one if k.startswith(("c_r[", "c_rc["))]
    check(len(ours) > 50, "too few of our values in the thermo output")
    for key in ours:
        # mean eta, mean PE, PE change: elements 2, 6, 7 of the vector, columns 2, 6, 7 of the array
        if key.rstrip("]").split("[")[-1] in ("2", "6", "7"):
            check_close(two[key], one[key], abs_tol=1e-12, what=f"{key} on 2 ranks")
        else:
            check(one[key] == two[key], f"{key}: {one[key]!r} on 1 rank, {two[key]!r} on 2 ranks")


RESTART_FIRST = SETUP + """
compute r all rejuvenation s pe pe
thermo_style custom step c_r[*]
thermo_modify format float %.17g
run 0
write_dump all custom pe0.dump id c_pe modify format float %.17g
""" + SHEAR + """
run 20
write_restart rejuv.restart
"""
RESTART_SECOND = """
plugin load ${plugin}
read_restart rejuv.restart
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
compute s all strain/atom 3.5
compute pe all pe/atom
compute r all rejuvenation s pe pe
fix md all nve
# the energies at step 0 of the first input, by atom ID
variable pe0 atomfile pe0.txt
variable d atom c_pe-v_pe0
compute dpe all reduce ave v_d
thermo_style custom step c_r[*] c_dpe
thermo_modify format float %.17g
run 10
"""


def restart(lmp):
    """The reference energies survive write_restart/read_restart: after it, the energy change is
    still measured from step 0 (the energies of step 0, dumped then and read back by atom ID,
    agree), and no new capture happens (it would make the change 0)."""
    lmp.run("first", RESTART_FIRST)
    lines = lmp.path("pe0.dump").read_text().split("ITEM: ATOMS", 1)[1].strip().splitlines()[1:]
    lmp.path("pe0.txt").write_text(f"{len(lines)}\n" + "\n".join(lines) + "\n")
    rows = thermo_runs(lmp.run("second", RESTART_SECOND))[-1]
    for row in rows:
        check_close(row["c_r[7]"], row["c_dpe"], abs_tol=1e-9, what=f"step {row['Step']} energy change")
    check(abs(rows[0]["c_r[7]"]) > 1e-4, f"energy change after the restart is {rows[0]['c_r[7]']}: "
                                         "captured again?")


RECAPTURE = SETUP + """
compute r all rejuvenation s pe pe
thermo_style custom step c_r[6] c_r[7]
thermo_modify format float %.17g
run 0
""" + SHEAR + """
run 10
compute_modify s reference now
run 10
"""


def reference_recapture(lmp):
    """After compute_modify reference now, the energies are captured again at the first
    evaluation (the same step): the change is exactly 0 there and not 0 after further steps."""
    output = lmp.run("recapture", RECAPTURE)
    runs = thermo_runs(output)
    before, after = runs[-2], runs[-1]
    check(before[-1]["c_r[7]"] != 0.0, "no energy change before the new reference")
    check(after[0]["c_r[7]"] == 0.0, f"energy change at the new reference: {after[0]['c_r[7]']}")
    check(after[-1]["c_r[7]"] != 0.0, "no energy change 10 steps after the new reference")
    check("reference energies taken" not in output,
          "a warning about a late capture although the evaluations were on the reference steps")


LATE = SETUP + """
compute r all rejuvenation s pe pe
fix md all nve
run 5
thermo_style custom step c_r[7]
run 0
"""


def late_capture_warns(lmp):
    """Evaluated first 5 steps after the strain reference: a warning names both steps."""
    output = lmp.run("late", LATE)
    check("reference energies taken on step 5" in output and "on step 0" in output,
          "no warning about energies captured after the strain reference")



REFERENCE_STEP_ENERGY = GLASS_CUZR + """
compute s all strain/atom 3.5
compute pe all pe/atom
compute rj all rejuvenation s pe pe
velocity all create 300 4242 mom yes rot yes dist gaussian
timestep 0.002
fix md all nve
fix tstat all langevin 300 300 0.05 48279 zero yes
# cycle 1.9 ps = 950 steps: the cold hold ends on step 475
fix cycle all thermal/cycle tstat 300 80 1 rate 400 400 hold 0.4 0.4 reference c_s at cold
# the total potential energy on every step, independent of the per-atom tally
fix etotal all ave/time 1 1 1 c_thermo_pe file pe_total.txt format " %.17g"
thermo_style custom step pe c_rj[7] c_s[3] atoms
thermo_modify format float %.17g
thermo ${every}
run 950
"""


def energy_on_reference_step(lmp):
    """With fix thermal/cycle taking the strain reference at the end of the cold hold, the
    reference energies are those of that very step, whatever the output frequency: at the end
    of the run the mean energy change c_rj[7] equals (PE(end) - PE(reference step)) / N with the
    total energies from fix ave/time on every step, with thermo output every 1000 steps (the
    compute is not evaluated between the reference and the end) and every 10 steps alike."""
    import math
    results = {}
    for every in (1000, 10):
        output = lmp.run(f"every{every}", REFERENCE_STEP_ENERGY, variables={"every": every})
        last = thermo_runs(output)[-1][-1]
        energies = {int(row[0]): row[1] for row in read_table(lmp.path("pe_total.txt"))}
        reference = int(last["c_s[3]"])
        check(0 < reference < 950, f"reference step {reference}: the cold hold did not end in the run")
        expected = (energies[950] - energies[reference]) / last["Atoms"]
        check(abs(expected) > 1e-4, f"energy change {expected}: too small to tell the steps apart")
        check_close(last["c_rj[7]"], expected, abs_tol=1e-9, what=f"thermo every {every}: c_rj[7]")
        results[every] = last["c_rj[7]"]
    check(math.isclose(results[1000], results[10], rel_tol=1e-12, abs_tol=1e-12),
          f"the energy change depends on the output frequency: {results}")


TINY = SETUP + "fix md all nve\n"
ERRORS = {
    # pe/atom of a subgroup gives the other atoms 0 energy: the mean would be silently wrong
    "pe_of_subgroup": ("group cu type 1\ncompute pecu cu pe/atom\ncompute r all rejuvenation s pe pecu\n"
                       "thermo_style custom step c_r[6]\nrun 0",
                       r"Compute rejuvenation r: \d+ atoms of group all are not in group cu of pe compute pecu"),
    "missing_strain": ("compute r all rejuvenation", r"Illegal compute rejuvenation command: missing argument"),
    "unknown_strain": ("compute r all rejuvenation nosuch\nthermo_style custom step c_r[1]\nrun 0",
                       r"Compute rejuvenation strain compute ID nosuch does not exist"),
    "wrong_strain": ("compute ke all ke/atom\ncompute r all rejuvenation ke\nthermo_style custom step c_r[1]\nrun 0",
                     r"compute ke is of style ke/atom, not strain/atom"),
    "unknown_zones": ("compute r all rejuvenation s zones nosuch\nthermo_style custom step c_r[1]\nrun 0",
                      r"zones compute ID nosuch does not exist"),
    "wrong_zones": ("compute r all rejuvenation s zones s\nthermo_style custom step c_r[1]\nrun 0",
                    r"zones compute s is of style strain/atom, not sbzone/atom"),
    "unknown_pe": ("compute r all rejuvenation s pe nosuch\nthermo_style custom step c_r[1]\nrun 0",
                   r"pe compute ID nosuch does not exist"),
    "wrong_pe": ("compute ke all ke/atom\ncompute r all rejuvenation s pe ke\nthermo_style custom step c_r[1]\nrun 0",
                 r"pe compute ke is of style ke/atom, not pe/atom"),
    "window_reversed": ("compute r all rejuvenation s window 0.7 0.3",
                        r"Illegal compute rejuvenation window 0.7 0.3: need 0 <= lo < hi"),
    "zero_bins": ("compute r all rejuvenation s histogram 0 1.0",
                  r"Illegal compute rejuvenation histogram bins 0"),
    "zero_max": ("compute r all rejuvenation s histogram 10 0", r"histogram max 0: must be > 0"),
    "missing_histogram_value": ("compute r all rejuvenation s histogram 10",
                                r"missing argument"),
    "unknown_keyword": ("compute r all rejuvenation s bins 3", r"Unknown compute rejuvenation keyword: bins"),
    "atom_outside_zones": ("compute zc cu sbzone/atom s\ncompute r all rejuvenation s zones zc\n"
                           "thermo_style custom step c_r[1]\nrun 0",
                           r"atom \d+ of group all is not in the group of zones compute zc"),
    "atom_without_energy": ("compute r all rejuvenation s pe pe\nthermo_style custom step c_r[7]\nrun 0\n"
                            "create_atoms 1 single 0.5 0.5 0.5 units box\nrun 0",
                            r"atom \d+ has no reference energy"),
}

CASES = {
    "against_reduce": against_reduce,
    "rank_invariance": rank_invariance,
    "restart": restart,
    "reference_recapture": reference_recapture,
    "late_capture_warns": late_capture_warns,
}
CASES["energy_on_reference_step"] = energy_on_reference_step
CASES.update(error_cases(ERRORS, TINY))
RANKS = {name: (1,) for name in CASES if name.startswith("error_")}
RANKS.update({"rank_invariance": (2,), "late_capture_warns": (1,)})

if __name__ == "__main__":
    main(CASES, RANKS)
