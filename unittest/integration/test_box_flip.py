#!/usr/bin/env python3
"""Integration tests of the styles through box flips (issue 28, item 1).

fix deform (and fix npt/nph) with `flip yes`, the default, keep a triclinic box's tilt within half
a box length by replacing a box vector with itself minus another (Domain::image_flip): the same
periodic lattice in another basis. The reference for every case is the same run with `flip no`,
in which the box is never flipped, in the same process: per-atom strains, far pairs and band
histories must agree. The affine shear of a crystal is also checked against its analytic strain
(F from the unflipped box), and restarts written before and after a flip against the run that was
not interrupted.
"""

import math

from harness import check, check_close, error_cases, main, thermo_runs
from inputs import GLASS_CUZR, TINY_CUZR
from strain_fields import eta_mises, green_lagrange, read_snapshots

# the 256-atom crystal (a = 3.6, 14.4 A box): tilt 7.0, then fix deform carries xy past 7.2 = lx/2
# on step 20 of 100 (0.01 A per step); no integrator, so the atoms move only with the box
CRYSTAL_SHEAR = TINY_CUZR + """
change_box all triclinic
change_box all xy final 7.0 remap units box
compute s all strain/atom 3.0 tensor F
compute a all strain/atom 3.0 affine reference
thermo_style custom step xy c_s c_s[4] c_a c_a[4]
thermo_modify format float %.17g
thermo 10
run 0
fix def all deform 1 xy final 8.0 remap x flip ${flip} units box
dump d all custom 10 shear.dump id c_s[*] c_a[1]
dump_modify d format float %.17g sort id
run 100
"""


def flip_happened(output):
    """True if the box tilt of the thermo output jumps by more than half of its range (a flip)."""
    tilts = [row["Xy"] for run in thermo_runs(output) for row in run if "Xy" in row]
    return any(abs(b - a) > 5.0 for a, b in zip(tilts, tilts[1:]))


def same_rows(a, b, what, tolerance=1e-9, columns=None):
    check(a.keys() == b.keys(), f"{what}: other atoms")
    for atom in a:
        for k, (x, y) in enumerate(zip(a[atom], b[atom])):
            if columns is None or k in columns:
                check(abs(x - y) <= tolerance * max(1.0, abs(y)), f"{what}: atom {atom} column {k}: {x!r} != {y!r}")


def crystal_shear(lmp):
    """A crystal sheared affinely through a flip: every atom has the analytic eta and F of the
    unflipped box (tilt 7 -> 8 on a 14.4 A box) at every dumped step, the affinely mapped strain
    stays zero and no pair is far, with flip yes as with flip no (the reference run)."""
    runs = {}
    for flip in ("no", "yes"):
        output = lmp.run(f"shear_{flip}", CRYSTAL_SHEAR, variables={"flip": flip})
        check(flip_happened(output) == (flip == "yes"), f"flip {flip}: the box did {'not ' if flip == 'yes' else ''}flip")
        runs[flip] = (thermo_runs(output), read_snapshots(lmp.path("shear.dump")))
        (lmp.path("shear.dump")).rename(lmp.path(f"shear.{flip}.dump"))
    thermo_no, snapshots_no = runs["no"]
    _, snapshots_yes = runs["yes"]
    check(len(snapshots_yes) == 11 and len(snapshots_no) == 11, "expected 11 dumped steps")
    for row in thermo_runs_rows(runs["yes"][0]):
        check(row["c_s"] == 0 and row["c_s[4]"] == 0 and row["c_a[4]"] == 0,
              f"step {row['Step']:.0f}: invalid atoms or far pairs after the flip: {row}")
    lx = 14.4
    for (step, rows_yes), (_, rows_no) in zip(snapshots_yes, snapshots_no):
        # the unflipped box: tilt 7 + 0.01 step on a 14.4 A cube (the reference run's own box)
        tilt = 7.0 + 0.01 * step
        F = [[1.0, (tilt - 7.0) / lx, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
        expected = eta_mises(green_lagrange(F))
        for atom, v in rows_yes.items():
            check_close(v[0], expected, abs_tol=1e-10, what=f"eta^Mises of atom {atom} at step {step}")
            check_close(v[5], F[0][1], abs_tol=1e-10, what=f"F_xy of atom {atom} at step {step}")
            check(abs(v[-1]) < 1e-9, f"step {step}: affinely mapped eta {v[-1]} of atom {atom} is not zero")
        same_rows(rows_yes, rows_no, f"step {step}, flip yes vs no")


def thermo_runs_rows(runs):
    return [row for run in runs for row in run]


# The glass tilted to 0.1 A below the flip, with a slab of atoms displaced by 9 A along x.
TILTED_GLASS = GLASS_CUZR + """
change_box all triclinic
variable start equal 0.5*lx-0.1
change_box all xy final ${start} remap units box
region slab block INF INF INF INF 2.0 5.0 units box
group jumpers region slab
displace_atoms jumpers move 9.0 0 0 units box
"""

# The glass, tilted to just below the flip, sheared by fix deform through a flip while fix nvt
# runs. Far pairs: the reference is taken with a slab of atoms displaced 9 A along x (beyond the
# ghost atoms of 2+ processes), which then goes back, so the dynamics is that of the glass. Thermal
# motion makes the runs with and without flip differ at rounding level, growing over the 200
# steps; 1e-6 in eta is far below anything physical.
GLASS_SHEAR = TILTED_GLASS + """
compute s all strain/atom 3.5
thermo_style custom step xy c_s c_s[2] c_s[4]
thermo_modify format float %.17g
thermo 20
run 0
displace_atoms jumpers move -9.0 0 0 units box
timestep 0.002
velocity all create 300 4711 loop geom
fix integrate all nvt temp 300 300 0.1
fix def all deform 1 xy delta 0.4 remap x flip ${flip} units box
dump d all custom 200 glass.dump id c_s[1] c_s[2] c_s[3] c_s[4]
dump_modify d format float %.17g sort id
run 200
"""


def glass_far_pairs(lmp):
    """A glass under fix nvt with far pairs (a slab 9 A away from where it was at the reference)
    sheared through a flip: the flip makes no pairs far, and every atom's strain equals the
    unflipped run's (1e-6), on this number of processes."""
    results = {}
    for flip in ("no", "yes"):
        output = lmp.run(f"glass_{flip}", GLASS_SHEAR, variables={"flip": flip})
        check(flip_happened(output) == (flip == "yes"), f"flip {flip}: flip happened = {flip_happened(output)}")
        rows = thermo_runs(output)[-1]
        results[flip] = (rows, read_snapshots(lmp.path("glass.dump"))[-1][1])
    rows_yes, atoms_yes = results["yes"]
    rows_no, atoms_no = results["no"]
    # which reference neighbours have no local copy depends on the ghost atoms, so on the box's
    # shape: the counts of the two runs differ a little, but a flip must not make pairs far
    most_yes, most_no = max(a["c_s[4]"] for a in rows_yes), max(b["c_s[4]"] for b in rows_no)
    for a, b in zip(rows_yes, rows_no):
        check(a["c_s"] == 0 and b["c_s"] == 0, f"invalid atoms: {a} / {b}")
    check(most_yes <= 2 * most_no + 10, f"up to {most_yes:.0f} far pairs with the flip, {most_no:.0f} without")
    check(rows_yes[0]["c_s[4]"] > 0, "no far pairs: not a test of them")
    check(sum(1 for v in atoms_no.values() if v[0] > 0.3) > 20, "the jump strains nothing: not a test")
    same_rows(atoms_yes, atoms_no, "glass, flip yes vs no", tolerance=1e-6)


# Restart files written every 40 steps by one run through the flip at step 50 (static glass,
# moved only by fix deform; far pairs from a slab displaced 9 A at the reference, bands of its
# strained edges followed by compute sbzone/atom), read by new processes that continue to step 200
# from step 40 (before the flip) and 120 (after it). Without an integrator the continued runs are
# exact up to rounding of the tilt. (With one, fix deform's continuation differs from the
# uninterrupted run by ~1e-6 in positions after 160 steps, with or without flips: LAMMPS, not
# CryoCycle.)
RESTART_FIRST = TILTED_GLASS + """
compute s all strain/atom 3.5 affine reference
run 0
displace_atoms jumpers move -9.0 0 0 units box
compute z all sbzone/atom s track yes
thermo 20
thermo_style custom step xy c_s c_s[4] c_z[11]
thermo_modify format float %.17g
fix def all deform 1 xy vel 2.0 remap x units box
dump d all custom 200 full.dump id c_s[1] c_s[2] c_s[3] c_z[1]
dump_modify d format float %.17g sort id
fix bands all ave/time 200 1 200 c_z[*] mode vector format " %.17g" file full.bands
restart 40 state.*.restart
run 200
"""

RESTART_NEXT = """
plugin load ${plugin}
read_restart ${file}
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
compute s all strain/atom 3.5 affine reference
compute z all sbzone/atom s track yes
thermo 20
thermo_style custom step xy c_s c_s[4] c_z[11]
thermo_modify format float %.17g
fix def all deform 1 xy vel 2.0 remap x units box
dump d all custom 200 ${name}.dump id c_s[1] c_s[2] c_s[3] c_z[1]
dump_modify d format float %.17g sort id
fix bands all ave/time 200 1 200 c_z[*] mode vector format " %.17g" file ${name}.bands
run ${steps}
"""


def restart(lmp):
    """The strain reference, the box-flip basis and the band history survive restart files
    written before and after the flip: the continued runs give every atom the strain and zone, and
    every band the tracked row, of the uninterrupted run at step 200."""
    output = lmp.run("first", RESTART_FIRST)
    check(flip_happened(output), "the box did not flip in the uninterrupted run")
    rows = thermo_runs(output)[-1]
    check(rows[-1]["c_s[4]"] > 0 or lmp.np == 1, f"no far pairs on {lmp.np} processes")
    full = read_snapshots(lmp.path("full.dump"))[-1]
    full_bands = read_band_rows(lmp.path("full.bands"))[200]
    check(full[0] == 200 and full_bands, f"last dumped step {full[0]}, {len(full_bands)} bands")
    for name, start in (("before", 40), ("after", 120)):
        lmp.run(name, RESTART_NEXT, variables={"file": f"state.{start}.restart", "name": name, "steps": 200 - start})
        last = read_snapshots(lmp.path(f"{name}.dump"))[-1]
        check(last[0] == 200, f"{name}: last dumped step {last[0]}")
        same_rows(last[1], full[1], f"restart {name} the flip", tolerance=1e-9)
        same_band_rows(read_band_rows(lmp.path(f"{name}.bands"))[200], full_bands, f"restart {name} the flip")


# A synthetic non-spanning band (the atoms that started in a slab, strain 0.5) in a periodic block
# with no forces (28.8 x 21.6 x 36 A), tilted close to the flip; fix deform carries the tilt
# across 14.4 on step 5.
BAND = """
plugin load ${plugin}
units metal
lattice fcc 3.6
region box block 0 8 0 6 0 10
create_box 1 box
create_atoms 1 box
mass 1 63.5
pair_style zero 4.0
pair_coeff * *
change_box all triclinic
change_box all xy final 13.4 remap units box
fix start all store/state 0 x y z
variable eta atom "(abs(f_start[3]-18)<3)*(f_start[1]>6)*(f_start[1]<22)*0.5"
compute z all sbzone/atom v_eta link 3.0 minsize 20 track yes
thermo 1
thermo_style custom step xy c_z[11] c_z[12]
thermo_modify format float %.17g
fix bands all ave/time 1 1 1 c_z[*] mode vector format " %.17g" file band.${flip}
fix def all deform 1 xy delta 2.0 remap x flip ${flip} units box
run 10
"""

# basis-independent columns of a tracked band's row (test_sbzone_history.py): atoms, axis, length,
# mean strain, persistent ID, first evaluation, ends and their advances
BAND_COLUMNS = {"atoms": 1, "axis_x": 6, "axis_y": 7, "axis_z": 8, "length": 9, "mean_eta": 10,
                "persistent": 12, "first_evaluation": 13, "low": 15, "high": 16, "low_since_first": 17,
                "high_since_first": 18, "low_since_previous": 19, "high_since_previous": 20}


def read_band_rows(path):
    lines = [line.split() for line in path.read_text().splitlines() if not line.startswith("#")]
    blocks, k = {}, 0
    while k < len(lines):
        step, nrows = int(lines[k][0]), int(lines[k][1])
        blocks[step] = [[float(w) for w in row[1:]] for row in lines[k + 1:k + 1 + nrows]]
        k += 1 + nrows
    return blocks


def same_band_rows(a, b, what):
    check(len(a) == len(b), f"{what}: {len(a)} and {len(b)} bands")
    for row_a, row_b in zip(a, b):
        for name, k in BAND_COLUMNS.items():
            check(math.isclose(row_a[k], row_b[k], rel_tol=1e-9, abs_tol=1e-9),
                  f"{what}: {name} {row_a[k]!r} != {row_b[k]!r}")


def band_history(lmp):
    """A tracked band keeps its persistent ID, frozen frame, ends and advances through a flip:
    every step's band row equals that of the run without the flip (1e-9 in lengths)."""
    blocks = {}
    for flip in ("no", "yes"):
        output = lmp.run(f"band_{flip}", BAND, variables={"flip": flip})
        check(flip_happened(output) == (flip == "yes"), f"flip {flip}: flip happened = {flip_happened(output)}")
        blocks[flip] = read_band_rows(lmp.path(f"band.{flip}"))
    check(blocks["yes"].keys() == blocks["no"].keys() and len(blocks["yes"]) == 11, "other evaluation steps")
    for step in blocks["no"]:
        yes, no = blocks["yes"][step], blocks["no"][step]
        check(len(yes) == len(no) == 1, f"step {step}: {len(yes)} and {len(no)} bands, expected 1")
        same_band_rows(yes, no, f"step {step}, flip yes vs no")
    check(blocks["no"][10][0][1] > 100, "the band is too small to test anything")


# the internal fix: its ID is reserved, and it takes no arguments
ERRORS = {
    "reserved_id": ("fix CRYOCYCLE_BOX_FLIPS all nve\ncompute s all strain/atom 3.0",
                    r"Fix ID CRYOCYCLE_BOX_FLIPS is reserved for CryoCycle's box-flip tracking"),
    "arguments": ("fix f all CRYOCYCLE/BOX_FLIPS 1",
                  r"Illegal fix CRYOCYCLE/BOX_FLIPS command: it takes no arguments"),
}

CASES = {
    "crystal_shear": crystal_shear,
    "glass_far_pairs": glass_far_pairs,
    "restart": restart,
    "band_history": band_history,
}
CASES.update(error_cases(ERRORS, TINY_CUZR))
RANKS = {"crystal_shear": (1, 2), "glass_far_pairs": (1, 2, 4), "restart": (1, 2), "band_history": (1, 2)}

if __name__ == "__main__":
    main(CASES, RANKS)
