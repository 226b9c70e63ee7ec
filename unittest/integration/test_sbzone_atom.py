#!/usr/bin/env python3
"""Integration tests of compute sbzone/atom: synthetic strain fields whose zones are known by
construction (imposed through an atom-style variable, or by displacing atoms and computing the
strain with compute strain/atom), checked atom by atom against expectations computed here."""

import collections
import re
from pathlib import Path

from harness import check, check_close, error_cases, main, thermo_runs
from inputs import BLOCK, BLOCK_2D, PERIODIC_BLOCK
from sbzone_fields import (FRONT, MATRIX, SLAB, SMALL, SPANNING, TAIL, by_position, check_statistics, distance2,
                           read_atoms, run_zones)

def zones_of(atoms):
    return collections.Counter(a[4] for a in atoms.values())


def spanning_slab(lmp):
    """A slab of high strain through the whole sample, from free surface to free surface: one band,
    spanning; its atoms are the spanning zone, all others matrix."""
    atoms, row, bands = run_zones(lmp, "slab", SLAB)
    for atom, (x, y, z, eta, zone, cluster, cls) in atoms.items():
        expected = SPANNING if eta > 0 else MATRIX
        check(zone == expected, f"atom {atom} at z {z}: zone {zone}, expected {expected}")
        check((cluster > 0) == (eta > 0), f"atom {atom}: cluster ID {cluster}")
        check(cls == (2.0 if eta > 0 else 1.0), f"atom {atom}: strain class {cls}")
    check(len(bands) == 1 and bands[0]["spanning"] == 1, "expected one spanning band")
    check_close(abs(bands[0]["axis_z"]), 1.0, abs_tol=1e-9, what="the axis of a slab normal to z fills no "
                "direction it does not span")
    ids = {a[5] for a in atoms.values() if a[5] > 0}
    check(len(ids) == 1 and min(k for k, a in atoms.items() if a[5] > 0) == ids.pop(),
          "the band's ID is not the smallest atom ID of the band")
    check_statistics(atoms, row)


def nonspanning_band(lmp):
    """A band from the free surface at x = 0 to the middle: a non-spanning band whose end at the
    surface is its tail and whose inner end is its front (the last quarter of its length)."""
    atoms, row, bands = run_zones(lmp, "half", SLAB + "*(x<36)")
    band = {k: a for k, a in atoms.items() if a[3] > 0}
    tip, start = max(a[0] for a in band.values()), min(a[0] for a in band.values())
    front_from = tip - 0.25 * (tip - start)
    for atom, (x, y, z, eta, zone, cluster, cls) in atoms.items():
        if eta == 0:
            check(zone == MATRIX, f"atom {atom}: zone {zone}, expected matrix")
        else:
            expected = FRONT if x >= front_from - 1e-9 else TAIL
            check(zone == expected, f"band atom {atom} at x {x}: zone {zone}, expected {expected}")
    check(zones_of(atoms)[FRONT] > 0 and zones_of(atoms)[TAIL] > zones_of(atoms)[FRONT], "no front or tail")
    check_statistics(atoms, row)
    check(len(bands) == 1, f"expected one band, found {len(bands)}")
    band = bands[0]
    check_close(abs(band["axis_x"]), 1.0, abs_tol=1e-9, what="axis of a band along x")
    check_close(band["length"], tip - start, abs_tol=1e-9, what="band length along its axis")
    # extent: covered bins of about the link distance, along x the band's reach, in y the sample
    check_close(band["extent_x"], tip - start, abs_tol=2 * 3.0, what="extent along x")
    check_close(band["extent_z"], 6.0, abs_tol=2 * 3.0, what="extent along z (slab thickness)")
    check_close(band["extent_y"], 14.4, abs_tol=1e-9, what="extent along y (periodic, filled)")


def two_dimensional(lmp):
    """2d hexagonal lattice (6 neighbours within link, 4 at the free edges), 67 x 68 A, free along
    x, periodic along y. A band across the whole x
    extent spans (every band atom SSB); a band from the free surface at x = 0 to the middle is
    non-spanning, with its front the last quarter of its length, an axis along x in the plane and
    its length the distance between its end atoms."""
    band = "(abs(y-34)<4)*0.5"
    atoms, row, bands = run_zones(lmp, "span2d", band, boundary="s p p", block=BLOCK_2D)
    check(len(bands) == 1 and bands[0]["spanning"] == 1.0, f"bands {bands}: expected one spanning band")
    for atom, (x, y, z, eta, zone, cluster, cls) in atoms.items():
        check(zone == (SPANNING if eta > 0 else MATRIX), f"atom {atom} at y {y}: zone {zone}")
    check_statistics(atoms, row)

    atoms, row, bands = run_zones(lmp, "half2d", band + "*(x<34)", boundary="s p p", block=BLOCK_2D)
    members = {k: a for k, a in atoms.items() if a[3] > 0}
    tip, start = max(a[0] for a in members.values()), min(a[0] for a in members.values())
    front_from = tip - 0.25 * (tip - start)
    for atom, (x, y, z, eta, zone, cluster, cls) in atoms.items():
        expected = MATRIX if eta == 0 else (FRONT if x >= front_from - 1e-9 else TAIL)
        check(zone == expected, f"atom {atom} at x {x}: zone {zone}, expected {expected}")
    check_statistics(atoms, row)
    check(len(bands) == 1 and bands[0]["spanning"] == 0.0, f"bands {bands}: expected one non-spanning band")
    check_close(abs(bands[0]["axis_x"]), 1.0, abs_tol=1e-9, what="axis of a band along x")
    check(bands[0]["axis_z"] == 0.0, "the axis of a band in 2d leaves the xy plane")
    check_close(bands[0]["length"], tip - start, abs_tol=1e-9, what="band length along its axis")


DEFORM = """
plugin load ${plugin}
units metal
atom_modify map yes
region box block 0 30 0 10 0 10 units box
create_box 1 box
create_atoms 1 single 1.0 5.0 5.0 units box
create_atoms 1 single 28.0 5.0 5.0 units box
mass 1 63.5
pair_style zero 4.0
pair_coeff * *
variable e atom 0.5
compute z all sbzone/atom v_e link ${link} minsize 2
# fix deform shrinks x by 0.01 A per step and remaps the atoms at the end of each step, after the
# ghost atoms got their positions
fix d all deform 1 x final 0 29.9 remap x
dump p all custom 10 deform.dump id x y z c_z[1] c_z[2]
dump_modify p sort id format float %.17g
thermo_style custom step lx c_z[1] c_z[5]
thermo_modify format float %.17g
run 10
"""


def ghosts_under_fix_deform(lmp):
    """Two candidate atoms linked only across the periodic boundary in x (through a ghost copy),
    3 s A apart, s = Lx/30, while fix deform shrinks the box at the end of every step. After step
    10 they are 2.990 A apart; the ghost copy, placed before the box changed, would still be
    2.9907 A away. With link 2.9905 they form one band (cluster 1) only if the compute sends
    the ghost positions again after the box change, as compute strain/atom does."""
    link = 2.9905
    output = lmp.run("deform", DEFORM, variables={"link": link})
    text = lmp.path("deform.dump").read_text().rsplit("ITEM: TIMESTEP", 1)[1].splitlines()
    check(int(text[1]) == 10, f"last snapshot at step {text[1]}")
    lx = float(text[5].split()[1]) - float(text[5].split()[0])
    atoms = [line.split() for line in text[9:]]
    xa, xb = float(atoms[0][1]), float(atoms[1][1])
    distance = lx - abs(xb - xa)    # across the boundary
    previous = 3.0 * (30.0 - 0.01 * 9) / 30.0
    check(distance < link < previous, f"not the intended geometry: now {distance}, one step "
                                      f"earlier {previous}, link {link}")
    zones, clusters = [float(a[4]) for a in atoms], [float(a[5]) for a in atoms]
    check(all(z in (SPANNING, TAIL, FRONT) for z in zones) and clusters == [1.0, 1.0],
          f"zones {zones}, clusters {clusters}: expected one band of both atoms (cluster 1)")
    row = thermo_runs(output)[-1][-1]
    check(row["c_z[5]"] == 0, f"{row['c_z[5]']} atoms in small clusters, expected none")


def two_bands(lmp):
    """Two non-spanning bands, from opposite free surfaces at different heights: two bands, each
    with its front at its own inner end."""
    eta = "(abs(z-20)<3)*(x<30)*0.5 + (abs(z-52)<3)*(x>42)*0.5"
    atoms, row, bands = run_zones(lmp, "two", eta)
    clusters = collections.defaultdict(list)
    for a in atoms.values():
        if a[3] > 0:
            clusters[a[5]].append(a)
    check(len(clusters) == 2, f"expected 2 bands, found {len(clusters)}")
    for members in clusters.values():
        xs = [a[0] for a in members]
        low_band = min(xs) < 1.0    # attached at x = 0: front at its high end
        for a in members:
            inner = max(xs) - a[0] if low_band else a[0] - min(xs)
            expected = FRONT if inner <= 0.25 * (max(xs) - min(xs)) + 1e-9 else TAIL
            check(a[4] == expected, f"band atom at x {a[0]}, z {a[2]}: zone {a[4]}, expected {expected}")
    check_statistics(atoms, row)


def band_from_hole(lmp):
    """A notch inside the glass: in a fully periodic box, a band that starts at the surface of a
    cylindrical hole (axis along y at x = 18) and ends inside at x = 54. The end at the hole is
    attached (tail), the inner end is the front."""
    hole = "region hole cylinder y 18 36 5 INF INF units box\ndelete_atoms region hole\n"
    atoms, row, bands = run_zones(lmp, "hole", SLAB + "*(x>18)*(x<54)", boundary="p p p", commands=hole)
    check(len(bands) == 1 and bands[0]["spanning"] == 0, f"expected one non-spanning band: {bands}")
    band = [a for a in atoms.values() if a[3] > 0]
    start, tip = min(a[0] for a in band), max(a[0] for a in band)
    check(start > 18 + 4, "the band reaches into the hole")
    for a in band:
        expected = FRONT if tip - a[0] <= 0.25 * (tip - start) + 1e-9 else TAIL
        check(a[4] == expected, f"band atom at x {a[0]}: zone {a[4]}, expected {expected}")
    check_statistics(atoms, row)


def inner_band(lmp):
    """A band inside the glass, touching no surface: two fronts (a quarter of its length at each
    end) and a tail between them."""
    atoms, _, bands = run_zones(lmp, "inner", SLAB + "*(x>18)*(x<54)")
    check_two_fronts(atoms)


def check_two_fronts(atoms, along=lambda a: a[0]):
    """The band atoms (eta > 0) of a band with two free ends, whose position along the band is
    `along` (default x): fronts within a quarter of its length of either end, tail between."""
    band = [a for a in atoms.values() if a[3] > 0]
    lo_x, hi_x = min(map(along, band)), max(map(along, band))
    quarter = 0.25 * (hi_x - lo_x)
    for a in band:
        s = along(a)
        expected = FRONT if (s - lo_x <= quarter + 1e-9 or hi_x - s <= quarter + 1e-9) else TAIL
        check(a[4] == expected, f"band atom at x {a[0]}: zone {a[4]}, expected {expected}")
    check(zones_of(atoms)[TAIL] > 0, "no tail between the two fronts")


def triclinic(lmp):
    """A box tilted in xy (y thin and periodic, box vector b = (7.2, 14.4, 0) A): a band that fills
    b and ends inside the glass along x has its ends on planes spanned by b and z (the periodic
    images of a band along b continue it), so x - y/2 (x - xy y / ly) is the position along it;
    it has two fronts. A slab normal to z fills the tilted box in x and y, so it spans it."""
    block = BLOCK.replace("region box block 0 20 0 4 0 20", "region box prism 0 20 0 4 0 20 2 0 0")
    check(block != BLOCK, "the block has no region to tilt")
    atoms, _, bands = run_zones(lmp, "tilted_inner", SLAB + "*((x-0.5*y)>18)*((x-0.5*y)<54)",
                                boundary="p p p", block=block)
    check(len(bands) == 1 and bands[0]["spanning"] == 0, f"expected one non-spanning band: {bands}")
    check_close(abs(bands[0]["axis_x"]), 1.0, abs_tol=1e-6, what="axis of the band along x")
    check_two_fronts(atoms, along=lambda a: a[0] - 0.5 * a[1])
    atoms, _, bands = run_zones(lmp, "tilted_slab", SLAB, boundary="p p p", block=block)
    check(len(bands) == 1 and all(a[4] == SPANNING for a in atoms.values() if a[3] > 0),
          "the slab across the tilted box is not one spanning band")


def halo(lmp):
    """halo 3.0: the matrix atoms within 3 A of an atom of the spanning slab join its zone and
    take its ID (distances by the nearest image in the periodic y and z); the zone's window
    fraction then counts them (eta 0) as well as the slab (eta 0.5)."""
    atoms, row, bands = run_zones(lmp, "halo", SLAB, options="halo 3.0")
    slab = [a for a in atoms.values() if a[3] > 0]
    band_id = bands[0]["id"]
    joined = 0
    for atom, a in atoms.items():
        if a[3] > 0:
            continue
        near = min(distance2(a, b) for b in slab) <= 9.0 + 1e-9
        joined += near
        check(a[4] == (SPANNING if near else MATRIX) and a[5] == (band_id if near else 0),
              f"atom {atom} at z {a[2]}: zone {a[4]} cluster {a[5]}, {'within' if near else 'beyond'} 3 A")
    check(joined > 0, "no atom within the halo: not a test")
    check_close(row["c_z[7]"], len(slab) / (len(slab) + joined), abs_tol=1e-15,
                what="window fraction of the spanning zone with its halo")
    check(bands[0]["atoms"] == len(slab), "the band row counts the halo atoms")


def wrapping_band(lmp):
    """A slab across the periodic boundary in z (z < 3 or z > 69): one band, not two, spanning;
    and in a fully periodic box a slab filling x and y spans the sample."""
    atoms, _, bands = run_zones(lmp, "wrap", "(z<3 || z>69)*0.5")
    ids = {a[5] for a in atoms.values() if a[3] > 0}
    check(len(ids) == 1, f"the band across the periodic boundary is split into {len(ids)} clusters")
    check(all(a[4] == SPANNING for a in atoms.values() if a[3] > 0), "the wrapping band is not spanning")
    atoms, _, bands = run_zones(lmp, "periodic", SLAB, boundary="p p p")
    check(all(a[4] == SPANNING for a in atoms.values() if a[3] > 0),
          "a slab filling a fully periodic box in x and y is not spanning")


def large_strains(lmp):
    """A spanning slab of strain 3e7, then 1e10 (a source other than compute strain/atom may be
    anything): the band's mean strain is that value exactly (the fixed-point sums take their scale
    from the largest value instead of overflowing), and the zones are those of an ordinary slab."""
    for value in ("3e7", "1e10"):
        atoms, row, bands = run_zones(lmp, f"large{value}", f"(abs(z-36)<3)*{value}")
        check(len(bands) == 1 and bands[0]["spanning"] == 1, f"{value}: expected one spanning band")
        check(bands[0]["mean_eta"] == float(value), f"{value}: band mean strain {bands[0]['mean_eta']!r}")
        for atom, a in atoms.items():
            check(a[4] == (SPANNING if a[3] > 0 else MATRIX), f"{value}: atom {atom} in zone {a[4]}")


def isolated_atoms(lmp):
    """Scattered high-strain atoms (every 53rd atom ID): small clusters only, no band."""
    atoms, row, bands = run_zones(lmp, "isolated", "(id%53==0)*0.9")
    high = [a for a in atoms.values() if a[3] > 0]
    check(len(high) > 100, "not enough scattered atoms")
    check(all(a[4] == SMALL for a in high), "a scattered atom is not in the small-cluster zone")
    check(all(a[6] == 3.0 for a in high), "strain class of eta 0.9 must be 3 (> hi)")
    check(row["c_z[2]"] == row["c_z[3]"] == row["c_z[4]"] == 0, "scattered atoms formed a band")


def span_keyword(lmp):
    """span: the same slab (normal to z, filling x and y) spans with 'span xy 0.9' but not with
    'span xz 0.9'; minsize above its size makes it a small cluster."""
    atoms, _, bands = run_zones(lmp, "span_xy", SLAB, options="span xy 0.9")
    check(all(a[4] == SPANNING for a in atoms.values() if a[3] > 0), "span xy: not spanning")
    atoms, _, bands = run_zones(lmp, "span_xz", SLAB, options="span xz 0.9")
    check(all(a[4] in (TAIL, FRONT) for a in atoms.values() if a[3] > 0), "span xz: spanning")
    atoms, _, bands = run_zones(lmp, "minsize", SLAB, options="minsize 1000")
    check(all(a[4] == SMALL for a in atoms.values() if a[3] > 0), "minsize 1000: still a band")


def rank_invariance(lmp):
    """The same fields on 1, 2 and 4 processes: identical zones, clusters and classes for every
    atom, and identical global values (bands crossing processor boundaries included)."""
    for name, eta in (("two", "(abs(z-20)<3)*(x<30)*0.5 + (abs(z-52)<3)*(x>42)*0.5"),
                      ("wrap", "(z<3 || z>69)*(x<50)*0.5")):
        runs = {np: run_zones(lmp, f"{name}_np{np}", eta, np=np) for np in (1, 2, 4)}
        reference = by_position(runs[1][0])
        check(len(reference[1]) > 0, f"{name}: no band on 1 rank")
        for np in (2, 4):
            check(by_position(runs[np][0]) == reference, f"{name}: per-atom values on {np} ranks differ from 1 rank")
            check(runs[np][1] == runs[1][1], f"{name}: global vector on {np} ranks differs from 1 rank")
            # band rows without the ID (a smallest atom ID: numbering differs with the rank count)
            rows = [sorted(tuple(v for k, v in band.items() if k != "id") for band in runs[n][2])
                    for n in (1, np)]
            check(rows[0] == rows[1], f"{name}: global array on {np} ranks differs from 1 rank")


STRAIN = """
plugin load ${plugin}
units metal
boundary p p f
lattice fcc 3.6
region box block 0 10 0 4 0 32
region crystal block 0 10 0 4 0 16
create_box 1 box
create_atoms 1 region crystal
# two atoms far above the crystal: no neighbours, so no strain (invalid, in the matrix)
create_atoms 1 single 5 2 30
create_atoms 1 single 8 2 30
mass 1 63.5
pair_style zero 5.0
pair_coeff * *
compute strain all strain/atom 3.0
compute z all sbzone/atom strain span xy 0.9
# no candidates (the slab has eta 0.577): all atoms matrix, the slab in its window fraction
compute z2 all sbzone/atom strain band 0.6
thermo_style custom step c_strain c_z[*] c_z2[1] c_z2[6]
run 0
# simple shear g = 1 in the slab 24 < z < 32 (the atoms above move rigidly): eta = 0.577 there
variable dx atom "(z>24)*(z<32)*(z-24) + (z>=32)*8"
displace_atoms all move v_dx 0 0 units box
thermo_modify format float %.17g
dump d all custom 1 strain.dump id x y z c_strain[1] c_z[1] c_z[2] c_z[3]
dump_modify d format float %.17g
run 0
"""


def from_compute_strain(lmp):
    """With compute strain/atom as the source: a sheared slab in a crystal (atoms displaced, strain
    computed) is one spanning band, and the atoms far from it are matrix."""
    output = lmp.run("strain", STRAIN)
    atoms = read_atoms(lmp.path("strain.dump"))
    inside = [a for a in atoms.values() if 25.5 < a[2] < 30.5]
    outside = [a for a in atoms.values() if (a[2] < 20 or a[2] > 36) and a[2] < 100]
    isolated = [a for a in atoms.values() if a[2] > 100]
    check(inside and all(a[3] > 0.5 and a[4] == SPANNING for a in inside), "slab atoms not in the band")
    check(outside and all(a[4] == MATRIX and a[6] == 1 and a[3] < 1e-9 for a in outside),
          "atoms far from the slab not matrix")
    check(len(isolated) == 2 and all(a[4] == MATRIX and a[6] == 0 for a in isolated),
          f"isolated atoms (no strain) not matrix with strain class 0: {isolated}")
    row = thermo_runs(output)[-1][-1]
    check_statistics(atoms, row)
    # the fraction is over the atoms with a strain: the two isolated atoms are not counted
    valid = [a for a in atoms.values() if a[6] > 0]
    check(row["c_z2[1]"] == len(atoms), f"band 0.6: {row['c_z2[1]']} matrix atoms, expected {len(atoms)}")
    check_close(row["c_z2[6]"], sum(0.3 < a[3] <= 0.7 for a in valid) / len(valid), abs_tol=1e-15,
                what="band 0.6: window fraction of the matrix")
    check(len({a[5] for a in atoms.values() if a[4] == SPANNING}) == 1, "more than one band")


def any_per_atom_source(lmp):
    """The strain from any per-atom source (c_ID[N], f_ID, v_name) gives the zones of the same
    values from the compute strain/atom itself: c_strain[1] (the von Mises column of that compute,
    link and valid flags from it) exactly; a fix ave/atom and a variable of that column with the
    link given exactly too, except that every atom has a valid strain (the two isolated atoms have
    strain class 1, not 0)."""
    script = STRAIN.replace("dump d all custom 1 strain.dump id x y z c_strain[1] c_z[1] c_z[2] c_z[3]",
                            "compute zc all sbzone/atom c_strain[1] span xy 0.9\n"
                            "fix av all ave/atom 1 1 1 c_strain[1]\n"
                            "compute zf all sbzone/atom f_av link 3.0 span xy 0.9\n"
                            "variable ev atom c_strain[1]\n"
                            "compute zv all sbzone/atom v_ev link 3.0 span xy 0.9\n"
                            "dump d all custom 1 sources.dump id c_strain[4] " + " ".join(f"c_{z}[{k}]" for z in ("z", "zc", "zf", "zv") for k in (1, 2, 3)))
    check(script != STRAIN, "the test input did not change")
    lmp.run("sources", script)
    lines = lmp.path("sources.dump").read_text().splitlines()
    start = max(k for k, line in enumerate(lines) if line.startswith("ITEM: ATOMS"))
    rows = [[float(v) for v in line.split()] for line in lines[start + 1:]]
    check(len(rows) > 1000, f"{len(rows)} atoms in the dump")
    spanning = 0
    for row in rows:
        atom, valid, plain, from_column, from_fix, from_variable = row[0], row[1], row[2:5], row[5:8], row[8:11], row[11:14]
        spanning += plain[0] == SPANNING
        check(from_column == plain, f"atom {atom:.0f}: zones from c_strain[1] {from_column} != from strain {plain}")
        expected = plain if valid else plain[:2] + [1.0]    # no strain: class 1 (eta 0, valid)
        check(from_fix == expected, f"atom {atom:.0f}: zones from f_av {from_fix} != {expected}")
        check(from_variable == expected, f"atom {atom:.0f}: zones from v_ev {from_variable} != {expected}")
    check(spanning > 100, f"{spanning} atoms in the spanning band: the case tests nothing")


def thin_slab_surface(lmp):
    """A slab only 13 fcc (100) planes thick between its free surfaces in x (21.6 A; 12 neighbours
    within the link in the bulk, 8 at the surface): the surface atoms are 2 of every 13, and the
    mean neighbour count over all atoms (11.4) put the surface below 0.7 of it out of reach (8 is
    not below 7.97). The surface is found against the bulk count, so a band from the surface at
    x = 0 to x = 14.4 (beyond the default attach distance 9 from the surface) is attached there: a
    tail at the surface, one front at its inner end."""
    thin = BLOCK.replace("region box block 0 20 0 4 0 20", "region box block 0 6 0 4 0 20")
    check(thin != BLOCK, "the thin block was not made")
    atoms, row, bands = run_zones(lmp, "thin", SLAB + "*(x<15)", block=thin)
    planes = sorted({round(a[0], 6) for a in atoms.values()})
    check(len(planes) == 13, f"{len(planes)} planes across x, expected 13")
    band = {k: a for k, a in atoms.items() if a[3] > 0}
    check(len(bands) == 1 and bands[0]["spanning"] == 0, f"expected one non-spanning band: {bands}")
    near_surface = [a for a in band.values() if a[0] < 3.0]
    check(near_surface and all(a[4] == TAIL for a in near_surface),
          f"band atoms at the surface x = 0 are not tail: zones {sorted({a[4] for a in near_surface})}")
    tip = max(a[0] for a in band.values())
    check(all(a[4] == FRONT for a in band.values() if a[0] > tip - 1.0), "the inner end is not a front")
    check_statistics(atoms, row)


def doc_pictures(lmp):
    """The input that makes the pictures of the doc page runs, writes both images, and finds every
    zone it is meant to show."""
    script = (Path(__file__).resolve().parents[2] / "doc" / "img" / "in.sbzone_image").read_text()
    output = lmp.run("pictures", script)
    row = thermo_runs(output)[-1][-1]
    for zone, name in ((SPANNING, "SSB"), (TAIL, "NSB tail"), (FRONT, "NSB front"), (SMALL, "small")):
        check(row[f"c_zone[{zone}]"] > 0, f"the picture shows no {name} atoms: {row}")
    for png in ("sbzone_eta.png", "sbzone_zones.png"):
        data = lmp.path(png).read_bytes() if lmp.path(png).exists() else b""
        check(data.startswith(b"\x89PNG") and len(data) > 10000, f"{png} missing or not a picture")


ERRORS = {
    "missing_source": ("compute z all sbzone/atom", r"Illegal compute sbzone/atom command: missing argument"),
    "unknown_compute": ("compute z all sbzone/atom nosuch\nthermo_style custom step c_z[1]\nrun 0",
                        r"Compute sbzone/atom strain compute ID nosuch does not exist"),
    "wrong_compute": ("compute ke all ke/atom\ncompute z all sbzone/atom ke\nthermo_style custom step c_z[1]\nrun 0",
                      r"compute ke is of style ke/atom, not strain/atom"),
    "unknown_variable": ("compute z all sbzone/atom v_nosuch link 3\nthermo_style custom step c_z[1]\nrun 0",
                         r"strain variable nosuch does not exist"),
    "equal_variable": ("variable q equal 1\ncompute z all sbzone/atom v_q link 3\nthermo_style custom step c_z[1]\nrun 0",
                       r"strain variable q is not atom-style"),
    "variable_without_link": ("compute z all sbzone/atom v_e\nthermo_style custom step c_z[1]\nrun 0",
                              r"a strain from v_e, not from a compute strain/atom, needs the link keyword"),
    # any per-atom source (PerAtomInput): the shape asked for must be the shape given
    "value_without_link": ("compute ke all ke/atom\ncompute z all sbzone/atom c_ke\nthermo_style custom step c_z[1]\nrun 0",
                           r"a strain from c_ke, not from a compute strain/atom, needs the link keyword"),
    "source_syntax": ("compute z all sbzone/atom c_s[1][2]",
                      r"Compute sbzone/atom z: strain c_s\[1\]\[2\]: need c_ID, c_ID\[N\], f_ID, f_ID\[N\], v_name "
                      r"or the ID of a compute strain/atom"),
    "source_column_missing": ("compute z all sbzone/atom c_s[20]\nthermo_style custom step c_z[1]\nrun 0",
                              r"strain compute s has \d+ per-atom columns, not column 20"),
    "source_array_without_column": ("compute z all sbzone/atom c_s link 3\nthermo_style custom step c_z[1]\nrun 0",
                                    r"strain compute s calculates a per-atom array, not a per-atom vector"),
    "source_fix_missing": ("compute z all sbzone/atom f_nosuch link 3\nthermo_style custom step c_z[1]\nrun 0",
                           r"Compute sbzone/atom strain fix ID nosuch does not exist"),
    # compute strain/atom of a smaller group gives the others no strain: not "matrix", an error
    "source_of_smaller_group": ("group some id < 100\ncompute sm some strain/atom 3.0\n"
                                "compute z all sbzone/atom sm\nthermo_style custom step c_z[1]\nrun 0",
                                r"Compute sbzone/atom z: atom \d+ of group all is not in the group of strain compute sm"),
    "window_reversed": ("compute z all sbzone/atom s window 0.7 0.3",
                        r"Illegal compute sbzone/atom window 0.7 0.3: need 0 <= lo < hi"),
    "window_equal": ("compute z all sbzone/atom s window 0.5 0.5", r"need 0 <= lo < hi"),
    "negative_halo": ("compute z all sbzone/atom s halo -1", r"Illegal compute sbzone/atom halo -1: must be >= 0"),
    "halo_beyond_ghosts": ("compute z all sbzone/atom s halo 6\nthermo_style custom step c_z[1]\nrun 0",
                           r"halo 6 plus the neighbor skin 2 exceeds the ghost cutoff .*: use comm_modify cutoff 8"),
    # the block is 14.4 A thick along y: a halo or link reaching its own periodic image is no distance
    # (it once asked for "comm_modify cutoff 1e+308")
    "halo_beyond_half_box": ("compute z all sbzone/atom s halo 1e308\nthermo_style custom step c_z[1]\nrun 0",
                             r"Compute sbzone/atom z: halo 1e\+308 must be below half the smallest periodic "
                             r"width of the box \(7.2\d*\)"),
    "link_beyond_half_box": ("compute z all sbzone/atom v_e link 7.5\nthermo_style custom step c_z[1]\nrun 0",
                             r"Compute sbzone/atom z: link 7.5 must be below half the smallest periodic "
                             r"width of the box \(7.2\d*\)"),
    "negative_band": ("compute z all sbzone/atom s band -0.1", r"Illegal compute sbzone/atom band -0.1"),
    "zero_link": ("compute z all sbzone/atom s link 0", r"Illegal compute sbzone/atom link 0: must be > 0"),
    "zero_minsize": ("compute z all sbzone/atom s minsize 0", r"Illegal compute sbzone/atom minsize 0"),
    "bad_span_dims": ("compute z all sbzone/atom s span xw 0.9", r"Illegal compute sbzone/atom span dimensions xw"),
    "bad_span_fraction": ("compute z all sbzone/atom s span x 1.5", r"span fraction 1.5: must be in \(0, 1\]"),
    "bad_front_style": ("compute z all sbzone/atom s front half 0.2", r"front style half: use length or frac"),
    "bad_front_fraction": ("compute z all sbzone/atom s front frac 2", r"Illegal compute sbzone/atom front frac 2"),
    "bad_surface": ("compute z all sbzone/atom s surface 1.2", r"Illegal compute sbzone/atom surface 1.2"),
    "unknown_keyword": ("compute z all sbzone/atom s colour red", r"Unknown compute sbzone/atom keyword: colour"),
    # 1e300*1e300: inf; times 0: NaN (LAMMPS's parser rejects a literal 1e400)
    "nan_strain": ('variable n atom "(1e300*1e300)*0"\ncompute z all sbzone/atom v_n link 3\n'
                   "thermo_style custom step c_z[1]\nrun 0",
                   r"Compute sbzone/atom z: the strain of atom \d+ from v_n is not a finite number"),
    "inf_strain": ('variable n atom "1e300*1e300"\ncompute z all sbzone/atom v_n link 3\n'
                   "thermo_style custom step c_z[1]\nrun 0",
                   r"Compute sbzone/atom z: the strain of atom \d+ from v_n is not a finite number"),
    "link_beyond_ghosts": ("compute z all sbzone/atom v_e link 5\nthermo_style custom step c_z[1]\nrun 0",
                           r"link 5 plus the neighbor skin 2 exceeds the ghost cutoff 6"),
}

def span_z_in_2d(lmp):
    """span z in a 2d simulation (no z direction to span) is an error, not a spanning band."""
    lmp.run("span2dz", BLOCK_2D.replace("${boundary}", "p p p") + 'variable e atom "(abs(y-34)<4)*0.5"\n'
            "compute z all sbzone/atom v_e link 3.0 span z 0.9\nthermo_style custom step c_z[1]\nrun 0\n",
            expect_error=r"Compute sbzone/atom z: span z in a 2d simulation, which has no z direction")


def link_links_nothing(lmp):
    """A link below every interatomic distance (1e-20 A) connects no atoms: a warning says so, and
    every atom of the strained slab is a cluster of its own (no band of 20 atoms)."""
    output = lmp.run("unlinked", PERIODIC_BLOCK + 'variable u atom "(abs(z-7.2)<2)*0.5"\n'
                     "compute z all sbzone/atom v_u link 1e-20\nthermo_style custom step c_z[2] c_z[3] c_z[4] c_z[5]\nrun 0\n")
    check(re.search(r"WARNING: Compute sbzone/atom z: link 1e-20 connects none of the \d+ atoms", output),
          "no warning about a link that links nothing")
    row = thermo_runs(output)[-1][-1]
    # zones 2-4 (spanning band, tail, front) empty; every strained atom a small cluster (zone 5)
    check(row["c_z[2]"] == row["c_z[3]"] == row["c_z[4]"] == 0 and row["c_z[5]"] > 100,
          f"a band of atoms that no link connects: {row}")
    # a few isolated atoms above the threshold (fewer than minsize 20: 3 atoms far apart) are no sign
    # of a wrong link: no warning
    output = lmp.run("few", PERIODIC_BLOCK + 'variable u atom "(id==1||id==900||id==1800)*0.5"\n'
                     "compute z all sbzone/atom v_u link 3.0\nthermo_style custom step c_z[5]\nrun 0\n")
    check(thermo_runs(output)[-1][-1]["c_z[5]"] == 3, "the 3 strained atoms are not 3 small clusters")
    check("connects none" not in output, "a warning about the link for 3 isolated strained atoms")


CASES = {
    "any_per_atom_source": any_per_atom_source,
    "thin_slab_surface": thin_slab_surface,
    "span_z_in_2d": span_z_in_2d,
    "link_links_nothing": link_links_nothing,
    "spanning_slab": spanning_slab,
    "nonspanning_band": nonspanning_band,
    "two_dimensional": two_dimensional,
    "ghosts_under_fix_deform": ghosts_under_fix_deform,
    "two_bands": two_bands,
    "inner_band": inner_band,
    "band_from_hole": band_from_hole,
    "wrapping_band": wrapping_band,
    "triclinic": triclinic,
    "halo": halo,
    "isolated_atoms": isolated_atoms,
    "large_strains": large_strains,
    "span_keyword": span_keyword,
    "rank_invariance": rank_invariance,
    "from_compute_strain": from_compute_strain,
    "doc_pictures": doc_pictures,
}
CASES.update(error_cases(ERRORS, PERIODIC_BLOCK))
RANKS = {"rank_invariance": (2,)}

if __name__ == "__main__":
    main(CASES, RANKS)
