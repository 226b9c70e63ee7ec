#!/usr/bin/env python3
"""Integration tests of compute rejuvenation: every value against the same quantity built in the
same run from stock LAMMPS (atom-style variables summed by compute reduce, the reference energy
kept by fix store/state), per-zone rows against the group totals, restart, reference re-capture,
1 vs 2 ranks, bad input."""

from harness import check, check_close, error_cases, main, read_dump, read_table, thermo_runs
from inputs import GLASS_CUZR

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


def reference_lines(group, zones, prefix=None, energy=True):
    """Atom-style variables and compute reduce sums that rebuild the statistics of `group`: one
    reduce compute per row (`red_<prefix>_0` for the group, `red_<prefix>_<k>` for zone k, prefix
    the group by default) with the sums atoms, valid, eta, below, window, above, pe, pe change;
    and the histogram. `zones`: True for the zones of compute sbzone/atom z, or a list of
    atom-style expressions that are 1 for the atoms of zone 1, 2, ...; energy False: the energy
    sums are 0, as ours without the pe keyword."""
    lines = []
    prefix = prefix or group
    if zones is True:
        zones = [f"(c_z[1]=={k})" for k in range(1, ZONES + 1)]
    rows = [(0, "1")] + list(enumerate(zones or [], start=1))
    for k, inside in rows:
        tag = f"{prefix}_{k}"
        valid = f"{inside}*c_s[4]"
        lines += [f'variable n_{tag} atom "{inside}"',
                  f'variable v_{tag} atom "{valid}"',
                  f'variable e_{tag} atom "{valid}*c_s[1]"',
                  f'variable b_{tag} atom "{valid}*(c_s[1]<={LO})"',
                  f'variable w_{tag} atom "{valid}*(c_s[1]>{LO})*(c_s[1]<={HI})"',
                  f'variable a_{tag} atom "{valid}*(c_s[1]>{HI})"',
                  f'variable p_{tag} atom "{inside}*c_pe"' if energy else f'variable p_{tag} atom 0',
                  f'variable d_{tag} atom "{inside}*(c_pe-f_pe0)"' if energy else f'variable d_{tag} atom 0',
                  f"compute red_{tag} {group} reduce sum " +
                  " ".join(f"v_{q}_{tag}" for q in "nvebwapd")]
    # histogram: bin k holds k*w <= eta < (k+1)*w, w = max/nbins, then eta >= max
    lines.append(f"variable width equal {HMAX}/{NBINS}")
    for k in range(NBINS):
        lines.append(f'variable h{k}_{prefix} atom "c_s[4]*(c_s[1]>={k}*v_width)*(c_s[1]<({k}+1)*v_width)"')
    lines.append(f'variable h{NBINS}_{prefix} atom "c_s[4]*(c_s[1]>={HMAX})"')
    lines.append(f"compute hist_{prefix} {group} reduce sum " +
                 " ".join(f"v_h{k}_{prefix}" for k in range(NBINS + 1)))
    return lines, [f"red_{prefix}_{k}" for k, _ in rows]


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


def ave_time_blocks(path):
    """The file of fix ave/time mode vector: [(step, rows of values)] in the order written."""
    lines = [line.split() for line in path.read_text().splitlines() if not line.startswith("#")]
    blocks = []
    while lines:
        step, nrows = int(lines[0][0]), int(lines[0][1])
        blocks.append((step, [[float(v) for v in line[1:]] for line in lines[1:1 + nrows]]))
        lines = lines[1 + nrows:]
    return blocks


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
    blocks = dict(ave_time_blocks(lmp.path("zones.txt")))
    for row in rows:
        block = blocks.get(int(row["Step"]))
        check(block is not None and len(block) == ZONES, f"fix ave/time: no {ZONES} rows for step {row['Step']}")
        for z in range(1, ZONES + 1):
            check(block[z - 1] == our_row(row, "r", z), f"step {row['Step']:.0f} zone {z}: fix ave/time "
                                                         f"{block[z - 1]} != thermo {our_row(row, 'r', z)}")


def rank_invariance(lmp):
    """1 and 2 ranks (or the case's rank count, if more: test_many_ranks.py) give the same values:
    counts, class fractions and histograms exactly; means to 1e-12 (the per-atom energies of EAM,
    and after 20 MD steps the positions, differ between rank counts in the last bits; our sums of
    them do not add rounding of their own)."""
    script = statistics_script()
    ranks = max(2, lmp.np)
    one = thermo_runs(lmp.run("np1", script, np=1))[-1][-1]
    two = thermo_runs(lmp.run(f"np{ranks}", script, np=ranks))[-1][-1]
    ours = [k for k in one if k.startswith(("c_r[", "c_rc["))]
    check(len(ours) > 50, "too few of our values in the thermo output")
    for key in ours:
        # mean eta, mean PE, PE change: elements 2, 6, 7 of the vector, columns 2, 6, 7 of the array
        if key.rstrip("]").split("[")[-1] in ("2", "6", "7"):
            check_close(two[key], one[key], abs_tol=1e-12, what=f"{key} on {ranks} ranks")
        else:
            check(one[key] == two[key], f"{key}: {one[key]!r} on 1 rank, {two[key]!r} on {ranks} ranks")


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


# --- zones from any per-atom source -------------------------------------------------------------

CHUNKS = 8        # bins of compute chunk/atom bin/1d, 0.125 of the box in z each
HISTOGRAM = f"histogram {NBINS} {HMAX}"


def shear_slab(name, lo, hi):
    """Displace the slab lo < z/lz < hi as SHEAR does (another name, another place)."""
    return (f"variable {name}0 equal zlo+{lo}*lz\nvariable {name}1 equal zlo+{hi}*lz\n"
            f'variable {name}dx atom "(z>v_{name}0)*(z<v_{name}1)*0.8*(z-v_{name}0)^2/(v_{name}1-v_{name}0)'
            f' + (z>=v_{name}1)*0.8*(v_{name}1-v_{name}0)"\n'
            f"displace_atoms all move v_{name}dx 0 0 units box\n")


def columns(name, nrows):
    """The thermo columns of our vector and of the nrows x 7 array."""
    return [f"c_{name}[*]"] + [f"c_{name}[{z}][{k}]" for z in range(1, nrows + 1) for k in range(1, 8)]


def reduce_columns(names, prefix):
    return [f"c_{name}[*]" for name in names] + [f"c_hist_{prefix}[*]"]


def sources_script():
    """The glass, sheared before the first run (the strain reference is the unsheared glass), with
    compute rejuvenation of group all (no pe) on zones from every kind of source, and the reduce
    sums that rebuild each from stock LAMMPS: sbzone/atom by bare ID (rz) and as c_z[1] (rc);
    compute chunk/atom bin/1d, 8 bins in z, as c_ch (rch) and by bare ID (rchb); an atom-style
    variable of two regions, 0 between them (rv); the zones of sbzone/atom frozen by fix
    store/state on step 0 (rf). A second slab is sheared after step 10. Thermo output on steps 0
    and 10, then 10 and 20."""
    ours = [("rz", "z"), ("rc", "c_z[1]"), ("rch", "c_ch"), ("rchb", "ch"), ("rv", "v_zone nzones 2"),
            ("rf", f"f_frozen nzones {ZONES}")]
    ref_ch, names_ch = reference_lines("all", [f"(c_ch=={k})" for k in range(1, CHUNKS + 1)], "ch", energy=False)
    ref_v, names_v = reference_lines("all", ["rmask(lower)", "rmask(upper)"], "v", energy=False)
    ref_z, names_z = reference_lines("all", True, "z", energy=False)
    ref_f, names_f = reference_lines("all", [f"(f_frozen=={k})" for k in range(1, ZONES + 1)], "fr", energy=False)
    output = (columns("rz", ZONES) + columns("rc", ZONES) + columns("rch", CHUNKS) + columns("rchb", CHUNKS)
              + columns("rv", 2) + columns("rf", ZONES) + reduce_columns(names_ch, "ch")
              + reduce_columns(names_v, "v") + reduce_columns(names_z, "z") + reduce_columns(names_f, "fr")
              + [f"f_avc[{k}][2]" for k in range(1, CHUNKS + 1)])
    return (SETUP + f"compute ch all chunk/atom bin/1d z lower {1 / CHUNKS} units reduced\n"
            "variable zcut1 equal zlo+0.35*lz\nvariable zcut2 equal zlo+0.55*lz\n"
            "region lower block INF INF INF INF INF ${zcut1} units box\n"
            "region upper block INF INF INF INF ${zcut2} INF units box\n"
            'variable zone atom "rmask(lower)+2*rmask(upper)"\n'
            + SHEAR
            # fix store/state 0 stores the zones once, in the setup of the first run: step 0. (It
            # reads a compute without invoking it if it was invoked at the end of an earlier run,
            # in the atom order of then: here z has not been invoked before.)
            + "fix frozen all store/state 0 c_z[1]\n"
            + "".join(f"compute {name} all rejuvenation s zones {zones} {HISTOGRAM}\n" for name, zones in ours)
            + "\n".join(ref_ch + ref_v + ref_z + ref_f) + "\n"
            # the atom count of every bin from fix ave/chunk (column 2: Ncount)
            "fix avc all ave/chunk 10 1 10 ch c_s[4]\n"
            # rows following the chunks through fix ave/time, one line per chunk
            'fix chunkrows all ave/time 10 1 10 c_rch[*] mode vector file chunkrows.txt format " %.17g"\n'
            f"thermo_style custom step {' '.join(output)}\n"
            "thermo_modify format float %.17g\nthermo 10\nrun 10\n"
            + shear_slab("b", 0.6, 0.8) + "run 10\n")


def check_source(row, name, prefix, nrows):
    """Our vector and nrows rows against the reduce sums `red_<prefix>_*` of the same step."""
    expected = expected_row(row, f"red_{prefix}_0") + [row[f"c_hist_{prefix}[{k}]"] for k in range(1, NBINS + 2)]
    compare(our_vector(row, name), expected, f"compute {name} vector")
    for zone in range(1, nrows + 1):
        compare(our_row(row, name, zone), expected_row(row, f"red_{prefix}_{zone}"), f"compute {name} zone {zone}")


def zone_atoms(row, name, nrows):
    return sum(row[f"c_{name}[{z}][1]"] for z in range(1, nrows + 1))


def run_sources(lmp):
    """The thermo rows of sources_script(): steps 0, 10 (first run), 10, 20 (second run)."""
    runs = thermo_runs(lmp.run("sources", sources_script()))
    check([len(r) for r in runs] == [2, 2], f"expected thermo on steps 0, 10 and 10, 20, got {[len(r) for r in runs]}")
    return runs[0] + runs[1]


def zones_from_chunks(lmp):
    """Zones from compute chunk/atom bin/1d (8 bins in z), as c_ch and by bare ID: 8 rows against
    compute reduce over the atoms of each chunk, atoms per bin against fix ave/chunk, every atom
    in a bin, and the rows through fix ave/time (variable row count, locked) equal to thermo's."""
    rows = run_sources(lmp)
    for row in rows:
        check_source(row, "rch", "ch", CHUNKS)
        for z in range(1, CHUNKS + 1):
            check(row[f"c_rch[{z}][1]"] == row[f"f_avc[{z}][2]"],
                  f"chunk {z}: {row[f'c_rch[{z}][1]']} atoms, fix ave/chunk counts {row[f'f_avc[{z}][2]']}")
        check(zone_atoms(row, "rch", CHUNKS) == row["c_rch[1]"], "atoms of the chunk rows != atoms of the group")
        for key in row:
            if key.startswith("c_rch["):
                bare = key.replace("c_rch[", "c_rchb[")
                check(row[bare] == row[key], f"{bare} {row[bare]!r} != {key} {row[key]!r}")
    check(sum(rows[-1][f"c_rch[{z}][4]"] > 0 for z in range(1, CHUNKS + 1)) >= 2,
          "the window class occurs in fewer than 2 chunks: the test cannot tell rows apart")
    blocks = ave_time_blocks(lmp.path("chunkrows.txt"))
    # step 10 once, at the end of the first run (not again in the setup of the second)
    written = rows[:2] + rows[3:]
    check([step for step, _ in blocks] == [int(row["Step"]) for row in written],
          f"fix ave/time wrote steps {[step for step, _ in blocks]}, thermo {[row['Step'] for row in written]}")
    for row, (_, block) in zip(written, blocks):
        check(len(block) == CHUNKS, f"fix ave/time: {len(block)} rows for step {row['Step']}, not {CHUNKS}")
        for z in range(1, CHUNKS + 1):
            check(block[z - 1] == our_row(row, "rch", z), f"step {row['Step']:.0f} chunk {z}: fix ave/time "
                                                           f"{block[z - 1]} != thermo {our_row(row, 'rch', z)}")


def zones_from_variable(lmp):
    """Zones from an atom-style variable of two regions (1 below 0.35 lz, 2 above 0.55 lz, 0 in
    between), nzones 2: the rows against compute reduce over rmask() of each region; the atoms
    with 0 count in the group's vector (all atoms) but in no row."""
    for row in run_sources(lmp):
        check_source(row, "rv", "v", 2)
        inside = zone_atoms(row, "rv", 2)
        check(0 < inside < row["c_rv[1]"], f"{inside} of {row['c_rv[1]']} atoms in the two regions: "
                                          "expected some, not all")


def frozen_zones(lmp):
    """Zones of sbzone/atom frozen by fix store/state on step 0 (f_frozen, nzones 5): on step 0
    the rows equal those of the live zones (bare ID z); after shearing a second slab, the live
    zones have changed but the frozen rows still match compute reduce over f_frozen."""
    rows = run_sources(lmp)
    for row in rows:
        check_source(row, "rf", "fr", ZONES)
    freeze, last = rows[0], rows[-1]
    check(all(freeze[key] == freeze[key.replace("c_rf[", "c_rz[")] for key in freeze if key.startswith("c_rf[")),
          "on the step they were frozen, the frozen rows differ from the live ones")
    check(any(last[key] != last[key.replace("c_rf[", "c_rz[")] for key in last if key.startswith("c_rf[") and
              key.count("[") == 2 and key.endswith("[1]")),
          "the live zones did not change after freezing: the test cannot tell frozen from live")
    check(sum(last[f"c_rf[{z}][1]"] > 0 for z in range(1, ZONES + 1)) >= 2, "only one frozen zone occurs")


FREEZE_BETWEEN_RUNS = SETUP + SHEAR + f"""
compute rz all rejuvenation s zones z
thermo_style custom step c_rz[1][1]
run 10
# the recipe of the doc page: a run 0 whose output does not invoke z, so that fix store/state
# invokes it in the setup of the next run (not the values of step 10 in the atom order of then)
thermo_style custom step
run 0
fix frozen all store/state 0 c_z[1]
compute rf all rejuvenation s zones f_frozen nzones {ZONES}
thermo_style custom step {' '.join(columns("rz", ZONES) + columns("rf", ZONES))}
thermo_modify format float %.17g
run 0
"""


def frozen_between_runs(lmp):
    """Zones frozen between runs as the doc page says (run 0 without output of the zone compute,
    then fix store/state 0 and run 0): the frozen rows equal the live ones on that step."""
    row = thermo_runs(lmp.run("between", FREEZE_BETWEEN_RUNS))[-1][-1]
    keys = [key for key in row if key.startswith("c_rf[")]
    check(len(keys) == 7 + ZONES * 7, f"{len(keys)} columns of compute rf")
    for key in keys:
        live = key.replace("c_rf[", "c_rz[")
        check(row[key] == row[live], f"{key} {row[key]!r} != {live} {row[live]!r}")
    check(sum(row[f"c_rf[{z}][1]"] > 0 for z in range(1, ZONES + 1)) >= 2, "only one zone occurs")


CHUNK_ROWS_AVERAGED = SETUP + SHEAR + f"""
# chunks set up again on every step: the row count is held by the lock of fix ave/time only
compute ch all chunk/atom bin/1d z lower {1 / CHUNKS} units reduced nchunk every
compute r all rejuvenation s zones ch
fix av all ave/time 5 2 10 c_r[*] mode vector file averaged.txt format " %.17g"
thermo_style custom step {' '.join(columns("r", CHUNKS))}
thermo_modify format float %.17g
thermo 5
run 20
"""


def chunk_rows_averaged(lmp):
    """Rows following a chunk/atom (nchunk every) averaged by fix ave/time over 2 samples (which
    locks the chunk count through this compute): each block is the mean of the rows of thermo
    on its two steps."""
    rows = {int(row["Step"]): row for row in thermo_runs(lmp.run("averaged", CHUNK_ROWS_AVERAGED))[-1]}
    blocks = ave_time_blocks(lmp.path("averaged.txt"))
    check([step for step, _ in blocks] == [10, 20], f"fix ave/time wrote steps {[step for step, _ in blocks]}")
    for step, block in blocks:
        check(len(block) == CHUNKS, f"step {step}: {len(block)} rows, not {CHUNKS}")
        for z in range(1, CHUNKS + 1):
            for k, value in enumerate(block[z - 1]):
                a, b = rows[step - 5][f"c_r[{z}][{k + 1}]"], rows[step][f"c_r[{z}][{k + 1}]"]
                check_close(value, (a + b) / 2, abs_tol=1e-12, what=f"step {step} chunk {z} column {k + 1}")
    check(rows[5]["c_r[1][2]"] != rows[10]["c_r[1][2]"], "the rows did not change between the samples")


def column_as_bare(lmp):
    """zones c_z[1] (column 1 of compute sbzone/atom) gives the same vector and 5 rows as the bare
    ID z, both against compute reduce over (c_z[1]==k)."""
    rows = run_sources(lmp)
    for row in rows:
        check_source(row, "rz", "z", ZONES)
        for key in row:
            if key.startswith("c_rz["):
                other = key.replace("c_rz[", "c_rc[")
                check(row[other] == row[key], f"{other} {row[other]!r} != {key} {row[key]!r}")
    check(sum(rows[-1][f"c_rz[{z}][1]"] > 0 for z in range(1, ZONES + 1)) >= 2, "only one zone occurs")


def sources_rank_invariance(lmp):
    """Every source gives the same values on 1 and 2 ranks: counts, fractions and histograms
    exactly, mean eta to 1e-12 (positions after MD steps differ in the last bits)."""
    one = run_sources_np(lmp, 1)
    two = run_sources_np(lmp, 2)
    ours = [k for k in one if k.startswith("c_r") and not k.startswith("c_red")]
    check(len(ours) > 200, "too few of our values in the thermo output")
    for key in ours:
        if key.rstrip("]").split("[")[-1] == "2":
            check_close(two[key], one[key], abs_tol=1e-12, what=f"{key} on 2 ranks")
        else:
            check(one[key] == two[key], f"{key}: {one[key]!r} on 1 rank, {two[key]!r} on 2 ranks")


def run_sources_np(lmp, np):
    return thermo_runs(lmp.run(f"sources_np{np}", sources_script(), np=np))[-1][-1]


TINY = SETUP + "fix md all nve\n"
def values_against_numpy(lmp):
    """values: mean and standard deviation (of the population) per zone and for the group of the
    per-atom energy (c_pe), the strain (c_s[1]) and an atom-style variable of the positions,
    against NumPy on the dump of the same step; the group cu of a second compute; the new columns
    after the 7 standard ones (array) and after the histogram (vector); value/histogram of the
    variable (some atoms above hi) and of the energy (one below lo) per zone and for the group,
    against counts made here from bin edges lo + k (hi - lo) / nbins."""
    import numpy as np
    histograms = ((3, 8, -1.5, 1.5), (1, 6, -6.0, -3.9))    # value, nbins, lo, hi
    script = (SETUP + f"compute r all rejuvenation s zones z histogram {NBINS} {HMAX} pe pe values c_pe c_s[1] v_xv "
              + " ".join(f"value/histogram {v} {n} {lo} {hi}" for v, n, lo, hi in histograms) + "\n"
              "compute rc cu rejuvenation s values c_pe\n"
              'variable xv atom "sin(x)+0.1*y"\n'
              "thermo_style custom step c_r[1]\nrun 0\n" + SHEAR +
              "thermo_style custom step c_r[*] c_rc[*] " +
              " ".join(f"c_r[{z}][{k}]" for z in range(1, ZONES + 1) for k in range(1, 14 + 10 + 8)) + "\n"
              "thermo_modify format float %.17g\nthermo 10\n"
              "dump d all custom 10 values.dump id type c_z[1] c_pe c_s[1] v_xv\n"
              "dump_modify d format float %.17g\nrun 10\n")
    row = thermo_runs(lmp.run("values", script))[-1][-1]
    _, atoms = read_dump(lmp.path("values.dump"))
    data = np.array([atoms[k] for k in sorted(atoms)])    # type zone pe eta xv
    nvector = len(VALUES) + NBINS + 1
    for v, column in enumerate((2, 3, 4)):
        x = data[:, column]
        check_close(row[f"c_r[{nvector + 2 * v + 1}]"], x.mean(), abs_tol=1e-9, what=f"group mean of value {v + 1}")
        check_close(row[f"c_r[{nvector + 2 * v + 2}]"], x.std(), abs_tol=1e-9, what=f"group std of value {v + 1}")
        occupied = 0
        for z in range(1, ZONES + 1):
            inside = x[data[:, 1] == z]
            occupied += len(inside) > 1
            mean, std = (inside.mean(), inside.std()) if len(inside) else (0.0, 0.0)
            check(row[f"c_r[{z}][1]"] == len(inside), f"zone {z}: {row[f'c_r[{z}][1]']} atoms, dump {len(inside)}")
            check_close(row[f"c_r[{z}][{8 + 2 * v}]"], mean, abs_tol=1e-9, what=f"zone {z} mean of value {v + 1}")
            check_close(row[f"c_r[{z}][{9 + 2 * v}]"], std, abs_tol=1e-9, what=f"zone {z} std of value {v + 1}")
        check(occupied >= 2, "fewer than two zones with atoms: the case tests little")
    element, column = nvector + 6 + 1, 14    # the first counts: vector element, array column
    for v, nbins, lo, hi in histograms:
        x = data[:, {1: 2, 2: 3, 3: 4}[v]]
        edges = np.array([lo + k * (hi - lo) / nbins for k in range(nbins)])

        def counts(values):
            inside = values[(values >= lo) & (values < hi)]
            bins = np.bincount(np.searchsorted(edges, inside, side="right") - 1, minlength=nbins)
            return list(bins) + [int((values < lo).sum()), int((values >= hi).sum())]
        expected = counts(x)
        got = [row[f"c_r[{element + k}]"] for k in range(nbins + 2)]
        check(got == expected, f"value {v} histogram of the group: {got}, expected {expected}")
        check(sum(expected[:nbins]) > 0 and expected[nbins] + expected[nbins + 1] > 0,
              f"value {v}: no atoms inside or outside [lo, hi): the case tests little ({expected})")
        for z in range(1, ZONES + 1):
            expected = counts(x[data[:, 1] == z])
            got = [row[f"c_r[{z}][{column + k}]"] for k in range(nbins + 2)]
            check(got == expected, f"value {v} histogram of zone {z}: {got}, expected {expected}")
        element += nbins + 2
        column += nbins + 2
    cu = data[data[:, 0] == 1, 2]
    check_close(row["c_rc[8]"], cu.mean(), abs_tol=1e-9, what="group cu mean energy")
    check_close(row["c_rc[9]"], cu.std(), abs_tol=1e-9, what="group cu energy spread")
    check(cu.std() > 1e-3, "no spread of the energy: the case tests little")


ERRORS = {
    # values: only per-atom sources, of the right shape, current and finite
    "values_none": ("compute r all rejuvenation s values window 0.3 0.7",
                    r"Illegal compute rejuvenation values: need at least one c_ID, c_ID\[N\], f_ID, f_ID\[N\] "
                    r"or v_name, not window"),
    "value_histogram_beyond_values": ("compute r all rejuvenation s values c_s[1] value/histogram 2 10 0 1",
                                      r"Compute rejuvenation value/histogram 2: there is only 1 value \(values keyword\)"),
    "value_histogram_range": ("compute r all rejuvenation s values c_s[1] value/histogram 1 10 1 1",
                              r"Illegal compute rejuvenation value/histogram range 1 1: need lo < hi"),
    "value_histogram_bins": ("compute r all rejuvenation s values c_s[1] value/histogram 1 0 0 1",
                             r"Illegal compute rejuvenation value/histogram bins 0: need 1 to 10000"),
    "value_histogram_zero": ("compute r all rejuvenation s values c_s[1] value/histogram 0 10 0 1",
                             r"Illegal compute rejuvenation value/histogram 0: the value's number starts at 1"),
    "values_global": ("compute t all temp\ncompute r all rejuvenation s values c_t\nthermo_style custom step c_r[8]\nrun 0",
                      r"Compute rejuvenation: value compute t does not calculate per-atom values"),
    "values_not_finite": ('variable n atom "(id==5)*1e300*1e300"\ncompute r all rejuvenation s values v_n\n'
                          "thermo_style custom step c_r[8]\nrun 0",
                          r"Compute rejuvenation r: value v_n of atom 5 is not a finite number"),
    "values_too_large": ('variable big atom 1e300\ncompute r all rejuvenation s values v_big\n'
                         "thermo_style custom step c_r[8]\nrun 0",
                         r"Compute rejuvenation r: value v_big is too large for the fixed-point sums"),
    "values_outside_group": ("group cu type 1\ncompute kecu cu ke/atom\ncompute r all rejuvenation s values c_kecu\n"
                             "thermo_style custom step c_r[8]\nrun 0",
                             r"Compute rejuvenation r: atom \d+ of group all is not in the group of value compute kecu"),
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
    # zones from any per-atom source
    "zone_not_integer": ("variable half atom 0.5\ncompute r all rejuvenation s zones v_half nzones 2\n"
                         "thermo_style custom step c_r[1]\nrun 0",
                         r"Compute rejuvenation r: atom \d+ has zone 0.5 from v_half, not an integer"),
    "zone_negative": ("variable neg atom -(id==7)\ncompute r all rejuvenation s zones v_neg nzones 2\n"
                      "thermo_style custom step c_r[1]\nrun 0",
                      r"Compute rejuvenation r: atom 7 has negative zone -1 from v_neg"),
    "zone_beyond_nzones": ("variable three atom 3\ncompute r all rejuvenation s zones v_three nzones 2\n"
                           "thermo_style custom step c_r[1]\nrun 0",
                           r"atom \d+ has zone 3 from v_three, beyond the 2 zones"),
    "unknown_zone_compute": ("compute r all rejuvenation s zones c_nosuch nzones 2",
                             r"zones compute ID nosuch does not exist"),
    "unknown_zone_fix": ("compute r all rejuvenation s zones f_nosuch nzones 2", r"zones fix ID nosuch does not exist"),
    "unknown_zone_variable": ("compute r all rejuvenation s zones v_nosuch nzones 2",
                              r"zones variable nosuch does not exist"),
    "zone_variable_not_atom": ("variable one equal 1\ncompute r all rejuvenation s zones v_one nzones 2",
                               r"zones variable one is not atom-style"),
    "zone_source_syntax": ("compute r all rejuvenation s zones c_z[1][2]",
                           r"zones c_z\[1\]\[2\]: need c_ID, c_ID\[N\], f_ID, f_ID\[N\], v_name"),
    "zone_column_missing": ("compute r all rejuvenation s zones c_z[7]",
                            r"zones compute z has \d+ per-atom columns, not column 7"),
    "zone_array_without_column": ("compute r all rejuvenation s zones c_s nzones 2",
                                  r"zones compute s calculates a per-atom array, not a per-atom vector"),
    "zone_vector_with_column": ("compute ke all ke/atom\ncompute r all rejuvenation s zones c_ke[1] nzones 2",
                                r"zones compute ke calculates a per-atom vector, not an array"),
    "zone_fix_column_missing": ("fix st all store/state 0 x y\ncompute r all rejuvenation s zones f_st[3] nzones 2",
                                r"zones fix st has 2 per-atom columns, not column 3"),
    "zone_compute_global": ("compute t all temp\ncompute r all rejuvenation s zones c_t nzones 2",
                            r"zones compute t does not calculate per-atom values"),
    "zone_fix_not_current": ("fix za all ave/atom 1 10 10 c_z[1]\ncompute r all rejuvenation s zones f_za nzones 5\n"
                             "thermo_style custom step c_r[1]\nrun 5",
                             r"zones fix za has no current per-atom values on step 5 \(it sets them every 10 steps\)"),
    "nzones_unknown": ("variable one atom 1\ncompute r all rejuvenation s zones v_one",
                       r"the number of zones of v_one is not known: give it with nzones N"),
    "nzones_missing_value": ("compute r all rejuvenation s zones c_z[1] nzones",
                             r"Illegal compute rejuvenation nzones command: missing argument"),
    "nzones_too_large": ("compute r all rejuvenation s zones c_z[1] nzones 2000000",
                         r"Illegal compute rejuvenation nzones 2000000: need 1 to 1000000"),
    "nzones_without_zones": ("compute r all rejuvenation s nzones 3", r"nzones 3 needs the zones keyword"),
    "too_many_chunks": ("compute ch all chunk/atom bin/1d z lower 0.0000005 units reduced\n"
                        "compute r all rejuvenation s zones c_ch\nthermo_style custom step c_r[1]\nrun 0",
                        r"zones compute ch has \d+ chunks, more than 1000000 rows"),
    # c_z[1] of sbzone/atom has its 5 rows: a 6th is out of range for thermo (4Jul2026 names the compute)
    "row_beyond_sbzone": ("compute r all rejuvenation s zones c_z[1]\nthermo_style custom step c_r[6][1]",
                          r"Thermo (custom )?compute (r )?array is accessed out-of-range"),
    "atom_outside_zone_fix": ("group cu type 1\nfix st cu store/state 0 type\n"
                              "compute r all rejuvenation s zones f_st nzones 2\nthermo_style custom step c_r[1]\nrun 0",
                              r"atom \d+ of group all is not in the group of zones fix st"),
    "atom_without_energy": ("compute r all rejuvenation s pe pe\nthermo_style custom step c_r[7]\nrun 0\n"
                            "create_atoms 1 single 0.5 0.5 0.5 units box\nrun 0",
                            r"atom \d+ has no reference energy"),
}

CASES = {
    "values_against_numpy": values_against_numpy,
    "against_reduce": against_reduce,
    "rank_invariance": rank_invariance,
    "restart": restart,
    "reference_recapture": reference_recapture,
    "late_capture_warns": late_capture_warns,
}
CASES["energy_on_reference_step"] = energy_on_reference_step
CASES.update({
    "zones_from_chunks": zones_from_chunks,
    "zones_from_variable": zones_from_variable,
    "frozen_zones": frozen_zones,
    "frozen_between_runs": frozen_between_runs,
    "chunk_rows_averaged": chunk_rows_averaged,
    "column_as_bare": column_as_bare,
    "sources_rank_invariance": sources_rank_invariance,
})
CASES.update(error_cases(ERRORS, TINY))
RANKS = {"rank_invariance": (2,), "sources_rank_invariance": (2,), "late_capture_warns": (1,)}

if __name__ == "__main__":
    main(CASES, RANKS)
