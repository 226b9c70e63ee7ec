#!/usr/bin/env python3
"""Integration tests of compute sbzone/atom: a free surface (or a notch cut into it) attaches the
end of a band, a cavity inside the material does not. Synthetic bands imposed through an
atom-style variable in the fcc slab of inputs.py (72 x 14.4 x 72 A, free surfaces along
x, periodic y and z, link 3.0: 12 neighbours inside, 8 at a (100) surface, 8 around a void of
radius 3 A cut at an atom site, so the default surface 0.7 marks both), with small voids cut
near the inner tip of a band. Zones are checked atom by atom against the geometry, and the premise
(a band atom near the tip touches a low-coordinated atom, which the rule before the distinction
took for a surface) by an independent neighbour count here."""

import collections
import math

from harness import check, main
from inputs import BLOCK, BLOCK_2D
from sbzone_fields import FRONT, MATRIX, SLAB, TAIL, by_position, check_statistics, distance2, run_zones

LINK, ATTACH = 3.0, 9.0         # link of run_zones, and the default attach (3 link)
FRONT_FRACTION = 0.25           # default front frac
PERIODS = (None, 14.4, 72.0)    # periodic lengths of y and z of BLOCK (x has free surfaces)
PERIODS_2D = (None, 14 * 2.8 * math.sqrt(3.0), 1.0)    # of BLOCK_2D (z: all atoms at 0)


def delete_spheres(spheres):
    """Commands that cut spherical voids (x, y, z, radius in A) out of the block."""
    return "".join(f"region void{k} sphere {x} {y} {z} {r} units box\ndelete_atoms region void{k}\n"
                   for k, (x, y, z, r) in enumerate(spheres))


# Three voids of radius 3 A at atom sites (13 atoms each: the site and its 12 neighbours) within
# `attach` of the inner tip (x = 34.2) of a band from the free surface at x = 0, inside the band
# (|z - 36| < 3), separate from each other (no atom is a neighbour of two voids).
TIP_VOIDS = ((32.4, 3.6, 36.0, 3.0), (27.0, 10.8, 37.8, 3.0), (21.6, 3.6, 36.0, 3.0))


def neighbour_counts(atoms, periods, cutoff=LINK):
    """Atoms within `cutoff` of every atom (distances by the nearest image along y and z, whose
    lengths are `periods`), by a cell list: an implementation of the surface criterion independent
    of the plugin's. Cells are at least `cutoff` wide; each neighbour cell is visited once."""
    ncell = [None] + [max(1, int(periods[k] // cutoff)) for k in (1, 2)]

    def key(a):
        return (int(math.floor(a[0] / cutoff)),) + tuple(int(a[k] / (periods[k] / ncell[k])) % ncell[k]
                                                         for k in (1, 2))
    cells = collections.defaultdict(list)
    for atom, a in atoms.items():
        cells[key(a)].append(atom)
    counts = {}
    for atom, a in atoms.items():
        c = key(a)
        others = {(c[0] + dx, (c[1] + dy) % ncell[1], (c[2] + dz) % ncell[2])
                  for dx in (-1, 0, 1) for dy in (-1, 0, 1) for dz in (-1, 0, 1)}
        counts[atom] = sum(1 for other in others for b in cells.get(other, ())
                           if b != atom and distance2(a, atoms[b], periods) <= cutoff * cutoff)
    return counts


def low_coordinated(atoms, periods, fraction=0.7):
    """Atoms with fewer than `fraction` of the mean number of atoms within LINK (the plugin's
    surface criterion, counted here)."""
    counts = neighbour_counts(atoms, periods)
    mean = sum(counts.values()) / len(counts)
    return {atom for atom, n in counts.items() if n < fraction * mean}


def band_atoms(atoms):
    return {atom: a for atom, a in atoms.items() if a[3] > 0}


def check_premise(atoms, name, periods=PERIODS):
    """What made the inner end attached before cavities were told apart: a band atom within
    `attach` of the inner tip (the end at high x) has a low-coordinated atom within link, and none
    of those is near an outer surface of the slab (all are void linings)."""
    band = band_atoms(atoms)
    tip = max(a[0] for a in band.values())
    low = low_coordinated(atoms, periods)
    xs = [a[0] for a in atoms.values()]
    touched = {s for atom, a in band.items() if tip - a[0] <= ATTACH
               for s in low if distance2(a, atoms[s], periods) <= LINK * LINK}
    check(touched, f"{name}: no band atom near the inner tip touches a low-coordinated atom: not the "
                   f"case of a band with voids at its tip")
    near_outside = [s for s in touched if min(atoms[s][0] - min(xs), max(xs) - atoms[s][0]) <= 2 * LINK]
    check(not near_outside, f"{name}: atoms {near_outside} at the tip are near the free surfaces")
    return touched


def check_tail_then_front(atoms, name):
    """Band atoms (eta > 0) of a band along x attached at its low end and free at its high end:
    front within a quarter of its length of the high end, tail elsewhere; other atoms matrix."""
    band = band_atoms(atoms)
    start, tip = min(a[0] for a in band.values()), max(a[0] for a in band.values())
    front_from = tip - FRONT_FRACTION * (tip - start)
    # the voids may tilt the band's axis a little: no atom is to be that close to the boundary
    check(all(abs(a[0] - front_from) > 0.3 for a in band.values()),
          f"{name}: band atoms within 0.3 A of the front's boundary at x {front_from}: not as designed")
    for atom, a in atoms.items():
        expected = MATRIX if a[3] == 0 else (FRONT if a[0] >= front_from - 1e-9 else TAIL)
        check(a[4] == expected, f"{name}: atom {atom} at x {a[0]}, z {a[2]}: zone {a[4]}, expected {expected}")
    zones = collections.Counter(a[4] for a in band.values())
    check(zones[FRONT] > 0 and zones[TAIL] > zones[FRONT], f"{name}: zones of the band atoms {zones}")


def voids_at_tip(lmp):
    """A band from the free surface at x = 0 to x = 34.2, with three small voids within attach of
    its inner tip: the end at the surface is attached (tail), the inner end is free (front in its
    last quarter). Before cavities were told apart, the void linings counted as surfaces: with the
    plugin of main at 4e86960 this input gave matrix 6316, tail 205, front 0 (all tail, on 1 and 2
    ranks); now tail 164, front 41. With surface 0.5 the front appeared there (tail 104, front
    101), but at both ends: the (100) surface atoms, with 8 of 12 neighbours like the linings,
    were no surface atoms either."""
    atoms, row, bands = run_zones(lmp, "tip_voids", SLAB + "*(x<36)", commands=delete_spheres(TIP_VOIDS))
    # 6560 atoms in the block (20 x 4 x 20 cells, and the face x = 72), 13 cut out per void
    check(len(atoms) == 6560 - 13 * len(TIP_VOIDS), f"{len(atoms)} atoms: the voids are not as designed")
    check(len(bands) == 1 and bands[0]["spanning"] == 0, f"expected one non-spanning band: {bands}")
    check_premise(atoms, "tip_voids")
    check_tail_then_front(atoms, "tip_voids")
    check_statistics(atoms, row)


def void_at_surface(lmp):
    """A void open to the free surface (a sphere of radius 10 A centred on the surface x = 0) with a
    band growing from its bottom into the slab (to x = 46.8): the void's lining is connected to the
    flat surface, so it is outer surface and attaches the band's end next to it (tail there,
    front at the inner end: tail 185, front 72, as on main, where every surface attached). Were
    it taken for a cavity, both ends would be fronts: so it was when only surface atoms closer
    than link were connected (20 of the 306 surface atoms, on the lining's facets, split off)."""
    dimple = delete_spheres(((0.0, 7.2, 36.0, 10.0),))
    atoms, row, bands = run_zones(lmp, "surface_void", SLAB + "*(x<48)", commands=dimple)
    band = band_atoms(atoms)
    start = min(a[0] for a in band.values())
    check(start > 6.0, f"the band starts at x {start}: not at the bottom of the void")
    check(len(bands) == 1 and bands[0]["spanning"] == 0, f"expected one non-spanning band: {bands}")
    check_tail_then_front(atoms, "surface_void")
    check_statistics(atoms, row)


def two_dimensional(lmp):
    """The 2d hexagonal lattice of inputs.py (67 x 68 A, 6 neighbours within link, 4 at
    the free edges along x and 4 around a void of radius 3 A cut at an atom site) with a band of 5
    rows from the edge x = 0 to x = 36.4 and two voids within attach of its inner tip: tail at the
    edge, front at the tip (on main at 4e86960: tail 56, front 0, all tail; now tail 46,
    front 10). The voids tilt the band's axis by 0.02 rad in the plane."""
    voids = delete_spheres(((33.6, 33.95, 0.0, 3.0), (23.8, 36.37, 0.0, 3.0)))
    atoms, row, bands = run_zones(lmp, "tip_voids_2d", "(abs(y-34)<6)*0.5*(x<38)", block=BLOCK_2D,
                                  commands=voids)
    check(len(bands) == 1 and bands[0]["spanning"] == 0, f"expected one non-spanning band: {bands}")
    check_premise(atoms, "tip_voids_2d", PERIODS_2D)
    check_tail_then_front(atoms, "tip_voids_2d")
    check_statistics(atoms, row)


# A notch from the free surface at x = 0 to x = 40 (6 A wide, as in examples/shear-band-ctc), a
# band from its bottom to x = 61.2, and two voids within attach of the band's inner tip.
NOTCH = ("region notch block INF 40 INF INF 33 39 units box\ndelete_atoms region notch\n"
         + delete_spheres(((59.4, 3.6, 37.8, 3.0), (54.0, 10.8, 36.0, 3.0))))


def rank_invariance(lmp):
    """The notched slab with voids at the band's tip, on 1, 2 and 4 processes split along x
    (processors * 1 1): the lining of the notch reaches from the first subdomain (where the
    slab's outermost atoms are) through the second to the notch bottom in the third (4 ranks; on 2
    ranks it crosses the middle), so the outer surface is found only if it is passed on across
    processors; a void at x = 54 straddles the boundary of the third and fourth. Zones as
    designed on every rank count (notch end tail, inner end front: tail 95, front 27; main gave
    tail 122, front 0) and identical atom by atom. The notch's walls and the middle row of its
    bottom keep 8 of 12 neighbours, but the atoms at its corners keep 9 (no surface atoms): the
    connection runs through the layer of their neighbours."""
    block = BLOCK.replace("units metal", "units metal\nprocessors * 1 1")
    check(block != BLOCK, "no place for the processors command in the block")
    runs = {}
    for np in (1, 2, 4):
        procs = f"dump p all custom 1 notch_np{np}.procs id proc\ndump_modify p sort id\n"
        runs[np] = run_zones(lmp, f"notch_np{np}", SLAB + "*(x<62)", commands=NOTCH + procs, np=np, block=block)
        check_tail_then_front(runs[np][0], f"notch on {np} ranks")
    atoms = runs[1][0]
    check_premise(atoms, "notch")
    # where the connection has to cross processors: the notch's walls (the atoms next to it,
    # z = 32.4 and 39.6, x < 40) on 4 ranks
    text = lmp.path("notch_np4.procs").read_text().rsplit("ITEM: ATOMS", 1)[1].strip().splitlines()[1:]
    proc = {int(w[0]): int(w[1]) for w in (line.split() for line in text)}
    walls = {proc[atom] for atom, a in runs[4][0].items()
             if a[0] < 40 and min(abs(a[2] - 32.4), abs(a[2] - 39.6)) < 1e-6}
    bottom = {proc[atom] for atom, a in runs[4][0].items() if a[3] > 0 and a[0] < 42}
    check(len(walls) >= 3 and bottom <= walls and 0 in walls and 0 not in bottom,
          f"the notch's walls lie on ranks {walls}, its bottom on {bottom}: no crossing to test")
    reference = by_position(atoms)
    for np in (2, 4):
        check(by_position(runs[np][0]) == reference, f"per-atom values on {np} ranks differ from 1 rank")
        check(runs[np][1] == runs[1][1], f"global vector on {np} ranks differs from 1 rank")
        rows = [sorted(tuple(v for k, v in band.items() if k != "id") for band in runs[n][2]) for n in (1, np)]
        check(rows[0] == rows[1], f"global array on {np} ranks differs from 1 rank")


CASES = {
    "voids_at_tip": voids_at_tip,
    "void_at_surface": void_at_surface,
    "two_dimensional": two_dimensional,
    "rank_invariance": rank_invariance,
}
RANKS = {"rank_invariance": (2,)}

if __name__ == "__main__":
    main(CASES, RANKS)
