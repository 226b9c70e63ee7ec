#!/usr/bin/env python3
"""Integration tests of compute strain/atom when reference neighbours end up far apart: further
than the ghost atoms of a processor reach (the default ghost cutoff: 7.6 A of the EAM/FS potential
or 6 A of pair zero, plus the 2 A skin; never comm_modify cutoff), across periodic boundaries, in
a tilted box, after atoms migrated between processors, after a restart, with a deleted
neighbour, and in a rerun.

References: a NumPy implementation written here from the definitions of the documentation (any
triclinic cell: reference neighbours and their periodic images chosen in the reference cell, pair
vectors from unwrapped positions and the current cell), the same input run on 1 rank inside the
same test, and the original run of a rerun. The numbers must agree on 1, 2, 3 and 4 ranks.
"""

import itertools
import re

try:
    import numpy as np
except ImportError:    # only --list (CMake configure) runs without it
    np = None

from harness import check, main, thermo_runs
from inputs import GLASS_CUZR

CUTOFF = 3.5
SLIP = 48.0     # A: five times the ghost cutoff of 9.6 A, twice the 24.2 A box of the glass
WIDTH = 12.0    # A: shear 4 inside a band
REL, ABS = 1e-9, 1e-12              # against NumPy
# Against the same input on 1 rank: a far pair is built from fetched positions, a near one from a
# ghost copy; the two differ in the last bits, which D2min (a difference of sums) magnifies
# (up to 5e-12 relative seen), so the tolerance is that of the NumPy check.
SAME_REL, SAME_ABS = 1e-9, 1e-12

# the 864-atom glass; outputs are named ${out}.*, so that the 1-rank copy of a run can share the
# work directory
GLASS = GLASS_CUZR
BALLISTIC = GLASS_CUZR + """
# no forces: atoms fly straight and may overlap; the ghost cutoff is the default 6 + 2 A
pair_style zero 6.0
pair_coeff * *
"""
OUTPUT = """
thermo_style custom step c_s c_s[1] c_s[2] c_s[3]
thermo_modify format float %.17g
"""

# the compute at the reference, dumped with the positions the NumPy check starts from
EVALUATE_REFERENCE = """
dump d0 all custom 1 ${out}.reference.dump id xu yu zu c_s[*]
dump_modify d0 format float %.17g
run 0
undump d0
"""


def band(phase, along, slip=SLIP, width=WIDTH, name="band"):
    """LAMMPS commands that displace the atoms of a shear band: an atom at `phase` (an atom-style
    formula, in A) moves by slip * clamp(phase / width, 0, 1) along `along` (x, y or z). Atoms
    beyond the band move by the whole slip; the other side of the box stays."""
    move = " ".join(f"v_{name}_u" if axis == along else "v_zero" for axis in "xyz")
    return f"""
variable {name}_t atom "({phase})/{width}"
variable {name}_u atom "{slip}*((v_{name}_t>0)*(v_{name}_t<1)*v_{name}_t+(v_{name}_t>=1))"
variable zero atom 0.0
displace_atoms all move {move} units box
"""


# a band of width 12 A normal to y, 5 A above ylo, slipping 48 A along x; atoms beyond it moved
# 48 A, so the band and the periodic boundary in y are both crossed by far pairs
SLIP_BAND = band("y-ylo-5.0", "x")
NOISE = "displace_atoms all random 0.1 0.1 0.1 {seed} units box\n"


# ------------------------------------------------------------------------------------------------
# dump files


class Snapshot:
    """One snapshot of a dump custom file: step, cell H (columns = cell vectors), periodic flags,
    atom IDs (ascending) and the columns by name."""

    def __init__(self, block, file):
        lines = block.strip().splitlines()
        self.step = int(lines[0])
        self.name = f"{file} step {self.step}"
        k = next(n for n, line in enumerate(lines) if line.startswith("ITEM: BOX BOUNDS"))
        words = lines[k].split()[3:]
        triclinic = words[:3] == ["xy", "xz", "yz"]
        self.periodic = [flags == "pp" for flags in words[-3:]]
        bounds = [[float(w) for w in lines[k + 1 + d].split()] for d in range(3)]
        if triclinic:
            # the header holds the bounding box of the tilted cell (dump and Howto_triclinic docs)
            (xlo_b, xhi_b, xy), (ylo_b, yhi_b, xz), (zlo, zhi, yz) = bounds
            xlo = xlo_b - min(0.0, xy, xz, xy + xz)
            xhi = xhi_b - max(0.0, xy, xz, xy + xz)
            ylo = ylo_b - min(0.0, yz)
            yhi = yhi_b - max(0.0, yz)
        else:
            (xlo, xhi), (ylo, yhi), (zlo, zhi) = bounds
            xy = xz = yz = 0.0
        self.H = np.array([[xhi - xlo, xy, xz], [0.0, yhi - ylo, yz], [0.0, 0.0, zhi - zlo]])
        self.lo = np.array([xlo, ylo, zlo])
        a = next(n for n, line in enumerate(lines) if line.startswith("ITEM: ATOMS"))
        self.columns = lines[a].split()[2:]
        rows = np.array([[float(w) for w in line.split()] for line in lines[a + 1:]])
        rows = rows[np.argsort(rows[:, self.columns.index("id")])]
        self.data = {name: rows[:, n] for n, name in enumerate(self.columns)}
        self.ids = self.data["id"].astype(int)

    def unwrapped(self):
        """Unwrapped positions: xu yu zu, or x y z and the image flags."""
        if "xu" in self.data:
            return np.column_stack([self.data[c] for c in ("xu", "yu", "zu")])
        x = np.column_stack([self.data[c] for c in ("x", "y", "z")])
        image = np.column_stack([self.data[c] for c in ("ix", "iy", "iz")])
        return x + image @ self.H.T

    def strain(self):
        """The per-atom columns of compute s: c_s[1], c_s[2], ... as an (atoms, columns) array."""
        names = sorted((c for c in self.columns if c.startswith("c_s[")),
                       key=lambda c: int(c[4:-1]))
        return np.column_stack([self.data[c] for c in names])


def read_dump(path):
    return [Snapshot(block, path.name) for block in path.read_text().split("ITEM: TIMESTEP")[1:]]


# ------------------------------------------------------------------------------------------------
# the NumPy implementation


class Reference:
    """Reference neighbours of every atom: the atoms j within CUTOFF (inclusive) of atom i in the
    reference configuration, in the periodic image K (integer vector, zero on non-periodic
    directions) that makes d0 = x0_j - x0_i - H0 K shortest in the reference cell H0.

    K is the rounded fractional coordinate of x0_j - x0_i in H0 (x0 are unwrapped, so atoms can be
    any number of cells apart). That is the nearest image of every pair within the cutoff: the
    cutoff is below half of every periodic width of H0 (the compute requires it), so such a pair's
    fractional components are below 1/2 in magnitude. It is checked below against all 27
    images K + {-1, 0, 1}^3."""

    def __init__(self, snapshot, cutoff=CUTOFF):
        self.ids = snapshot.ids
        self.x0 = snapshot.unwrapped()
        self.H0 = snapshot.H
        self.periodic = np.array(snapshot.periodic, dtype=float)
        x0, H0 = self.x0, self.H0
        inverse = np.linalg.inv(H0)
        pairs_i, pairs_j, images = [], [], []
        closest_to_cutoff = np.inf
        n = len(x0)
        for start in range(0, n, 256):
            stop = min(n, start + 256)
            delta = x0[None, :, :] - x0[start:stop, None, :]
            image = np.round(delta @ inverse.T) * self.periodic
            d0 = delta - image @ H0.T
            r = np.sqrt(np.einsum("ijk,ijk->ij", d0, d0))
            r[np.arange(stop - start), np.arange(start, stop)] = np.inf    # not its own neighbour
            closest_to_cutoff = min(closest_to_cutoff, np.min(np.abs(r - cutoff)))
            i, j = np.nonzero(r <= cutoff)
            pairs_i.append(i + start)
            pairs_j.append(j)
            images.append(image[i, j])
        self.i = np.concatenate(pairs_i)
        self.j = np.concatenate(pairs_j)
        self.K = np.concatenate(images)
        # a pair at the cutoff to within rounding would make the neighbour sets ambiguous
        check(closest_to_cutoff > 1e-9, f"a reference pair is {closest_to_cutoff} from the cutoff")
        d0 = self.pair_vectors(x0, H0)
        length = np.einsum("pk,pk->p", d0, d0)
        for shift in itertools.product((-1, 0, 1), repeat=3):
            shift = np.array(shift, dtype=float) * self.periodic
            if not shift.any():
                continue
            other = d0 - shift @ H0.T
            check(np.all(np.einsum("pk,pk->p", other, other) > length),
                  f"image {shift} is closer than the one chosen for some pair")
        self.count = np.bincount(self.i, minlength=n)

    def pair_vectors(self, x, H):
        """d = x_j - x_i - H K for every reference pair (unwrapped x, cell H)."""
        return x[self.j] - x[self.i] - self.K @ H.T

    def neighbours_of(self, atom):
        """IDs of the atoms that have `atom` among their reference neighbours."""
        index = np.searchsorted(self.ids, atom)
        return set(self.ids[self.i[self.j == index]].tolist())

    def values(self, snapshot, tensor="none"):
        """The per-atom array of compute strain/atom (d2min sum, no affine mapping) for the atoms,
        positions and cell of `snapshot`: eta^Mises, eta_vol, D2min, valid flag, then F (row by
        row) or E (xx yy zz xy xz yz). An atom with a reference neighbour missing from the snapshot
        (deleted) is invalid, with zeros. Returns the array (rows in the snapshot's order) and the
        largest current length of a pair of valid atoms."""
        check(np.array_equal(snapshot.ids[np.isin(snapshot.ids, self.ids)], snapshot.ids),
              "the snapshot has atoms that the reference has not")
        n = len(self.ids)
        present = np.isin(self.ids, snapshot.ids)
        x = np.full((n, 3), np.nan)
        x[present] = snapshot.unwrapped()
        d0 = self.pair_vectors(self.x0, self.H0)
        d = self.pair_vectors(x, snapshot.H)
        lost = np.zeros(n, dtype=bool)
        lost[self.i[~present[self.j]]] = True
        lost[~present] = False
        pairs = ~lost[self.i] & present[self.i]
        V = np.zeros((n, 3, 3))
        W = np.zeros((n, 3, 3))
        np.add.at(V, self.i[pairs], np.einsum("pa,pb->pab", d0[pairs], d0[pairs]))
        np.add.at(W, self.i[pairs], np.einsum("pa,pb->pab", d[pairs], d0[pairs]))
        sum_r2 = np.bincount(self.i[pairs], weights=np.einsum("pk,pk->p", d0[pairs], d0[pairs]),
                             minlength=n)
        valid = ((self.count >= 3) & ~lost & present & (np.abs(np.linalg.det(V)) > 1e-12 * sum_r2)
                 & (np.abs(np.linalg.det(W)) > 1e-12 * sum_r2))
        F = np.zeros((n, 3, 3))
        F[valid] = W[valid] @ np.linalg.inv(V[valid])
        E = 0.5 * (np.transpose(F, (0, 2, 1)) @ F - np.eye(3))
        eta = np.sqrt(E[:, 0, 1] ** 2 + E[:, 0, 2] ** 2 + E[:, 1, 2] ** 2
                      + ((E[:, 0, 0] - E[:, 1, 1]) ** 2 + (E[:, 0, 0] - E[:, 2, 2]) ** 2
                         + (E[:, 1, 1] - E[:, 2, 2]) ** 2) / 6)
        vol = np.trace(E, axis1=1, axis2=2) / 3
        residual = np.einsum("pab,pb->pa", F[self.i], d0) - d
        ok = pairs & valid[self.i]
        d2min = np.bincount(self.i[ok], weights=np.einsum("pk,pk->p", residual[ok], residual[ok]),
                            minlength=n)
        columns = [eta, vol, d2min, valid.astype(float)]
        if tensor == "F":
            columns += [F[:, r, c] for r in range(3) for c in range(3)]
        elif tensor == "E":
            columns += [E[:, 0, 0], E[:, 1, 1], E[:, 2, 2], E[:, 0, 1], E[:, 0, 2], E[:, 1, 2]]
        values = np.column_stack(columns)
        values[~valid] = 0.0
        longest = np.sqrt(np.max(np.einsum("pk,pk->p", d[ok], d[ok]))) if ok.any() else 0.0
        return values[present], longest


def compare(ours, expected, ids, what, rel=REL, abs_tol=ABS):
    """Per-atom arrays equal to rel (abs_tol floor); returns the largest absolute difference."""
    check(ours.shape == expected.shape, f"{what}: shape {ours.shape}, expected {expected.shape}")
    difference = np.abs(ours - expected)
    bad = difference > np.maximum(abs_tol, rel * np.abs(expected))
    if bad.any():
        rows, columns = np.nonzero(bad)
        examples = "; ".join(f"atom {ids[r]} column {c + 1}: {ours[r, c]!r} != {expected[r, c]!r}"
                             for r, c in list(zip(rows, columns))[:5])
        check(False, f"{what}: {len(rows)} values differ (rel {rel}, abs {abs_tol}): {examples}")
    return float(np.max(difference)) if difference.size else 0.0


def ghost_cutoff(output):
    match = re.search(r"ghost atom cutoff = ([0-9.]+)", output)
    check(match, "no ghost atom cutoff in the output")
    return float(match.group(1))


def check_against_numpy(reference, snapshots, tensor, output, what, far=True):
    """Every snapshot: all atoms valid, values equal to NumPy; with far, some reference pair is
    now longer than twice the ghost cutoff (otherwise the test tests nothing far)."""
    longest, worst = 0.0, 0.0
    for snapshot in snapshots:
        ours = snapshot.strain()
        expected, length = reference.values(snapshot, tensor)
        check(np.all(expected[:, 3] == 1.0), f"{what}, {snapshot.name}: NumPy has invalid atoms")
        invalid = snapshot.ids[ours[:, 3] != 1.0]
        check(len(invalid) == 0, f"{what}, {snapshot.name}: {len(invalid)} invalid atoms, "
              f"e.g. {invalid[:5].tolist()}")
        worst = max(worst, compare(ours, expected, snapshot.ids, f"{what}, {snapshot.name}"))
        longest = max(longest, length)
    print(f"{what}: {len(snapshots)} snapshots, largest absolute difference to NumPy {worst:.3g}, "
          f"longest reference pair now {longest:.1f} A")
    if far:
        ghosts = ghost_cutoff(output)
        check(longest > 2 * ghosts, f"{what}: longest reference pair {longest:.1f} A is not beyond "
              f"twice the ghost cutoff {ghosts}: not a test of far neighbours")


def check_thermo(output, what, reference_step=0):
    """Every thermo row with the compute: no invalid atom, none lost, the reference step."""
    rows = [row for run in thermo_runs(output) for row in run if "c_s" in row]
    check(rows, f"{what}: no thermo output")
    for row in rows:
        check(row["c_s"] == 0 and row["c_s[1]"] == 0 and row["c_s[2]"] == 0,
              f"{what}: invalid atoms at step {row['Step']:.0f}: {row}")
        check(row["c_s[3]"] == reference_step,
              f"{what}: reference step {row['c_s[3]']}, expected {reference_step}")


def same_on_one_rank(lmp, name, script, dumps, variables=None):
    """On np > 1: the same input run on 1 rank in this test gives the same per-atom values in
    every snapshot of `dumps` (files named ${out}.<dump>), to rounding."""
    if lmp.np == 1:
        return
    lmp.run(f"{name}.np1", script, np=1, variables=dict(variables or {}, out="one"))
    for dump in dumps:
        ours, one = read_dump(lmp.path(f"run.{dump}")), read_dump(lmp.path(f"one.{dump}"))
        check(len(ours) == len(one),
              f"{dump}: {len(ours)} snapshots on {lmp.np} ranks, {len(one)} on 1")
        for a, b in zip(ours, one):
            check(a.step == b.step and np.array_equal(a.ids, b.ids), f"{dump}: snapshots differ")
            compare(a.strain(), b.strain(), a.ids, f"{a.name}, {lmp.np} ranks vs 1",
                    rel=SAME_REL, abs_tol=SAME_ABS)
    print(f"{name}: the same values on {lmp.np} ranks as on 1")


def run(lmp, name, script, variables=None):
    return lmp.run(name, script, variables=dict(variables or {}, out="run"))


# ------------------------------------------------------------------------------------------------
# cases

FAR_SLIP = GLASS + """
compute s all strain/atom 3.5 tensor E
""" + OUTPUT + EVALUATE_REFERENCE + SLIP_BAND + NOISE.format(seed=4711) + """
dump d1 all custom 1 ${out}.slip.dump id xu yu zu c_s[*]
dump_modify d1 format float %.17g
run 0
"""


def far_slip(lmp):
    """A shear band (12 A wide, normal y, shear 4) slips 48 A along x, five times the ghost cutoff,
    plus 0.1 A random displacements; evaluated at the reference and after the slip, every atom is
    valid and has the values of the NumPy implementation (to 1e-9), and on more than one rank the
    values of the same input on 1 rank (to 1e-9)."""
    output = run(lmp, "far_slip", FAR_SLIP)
    check_thermo(output, "far_slip")
    reference = Reference(read_dump(lmp.path("run.reference.dump"))[0])
    snapshots = read_dump(lmp.path("run.reference.dump")) + read_dump(lmp.path("run.slip.dump"))
    check_against_numpy(reference, snapshots, "E", output, "far_slip")
    check(np.sum(snapshots[1].strain()[:, 0] > 1.0) > 200, "few atoms strained > 1: no band")
    same_on_one_rank(lmp, "far_slip", FAR_SLIP, ["reference.dump", "slip.dump"])


# phase p = (x - xlo) + (y - ylo) modulo lx (the glass is a cube): the band p in [5, 17] runs at
# 45 degrees through the box and across the periodic boundaries in x and in y
PERIODIC_BAND = GLASS + """
compute s all strain/atom 3.5 tensor F
""" + OUTPUT + EVALUATE_REFERENCE + """variable p atom "(x-xlo)+(y-ylo)"
variable phase atom "v_p-lx*floor(v_p/lx)-5.0"
""" + band("v_phase", "z") + NOISE.format(seed=2718) + """
dump d1 all custom 1 ${out}.band.dump id xu yu zu c_s[*]
dump_modify d1 format float %.17g
run 0
"""


def periodic_band(lmp):
    """A band at 45 degrees in x-y (12 A wide in x + y) that wraps across the periodic boundaries
    in x and y slips 48 A along z: all atoms valid and equal to NumPy, and to 1 rank; atoms of the
    band on both sides of the x and y boundaries are strained."""
    output = run(lmp, "periodic_band", PERIODIC_BAND)
    check_thermo(output, "periodic_band")
    reference = Reference(read_dump(lmp.path("run.reference.dump"))[0])
    snapshots = read_dump(lmp.path("run.reference.dump")) + read_dump(lmp.path("run.band.dump"))
    check_against_numpy(reference, snapshots, "F", output, "periodic_band")
    # strained atoms (inside the band: x + y - lo in [5, 17] modulo L) near all four box faces
    start = snapshots[0]
    x = np.column_stack([start.data[c] for c in ("xu", "yu", "zu")]) - start.lo
    L = start.H[0, 0]
    x -= L * np.floor(x / L)
    strained = snapshots[1].strain()[:, 0] > 1.0
    for axis, name in ((0, "x"), (1, "y")):
        for side, face in ((x[:, axis] < 3.0, "lower"), (x[:, axis] > L - 3.0, "upper")):
            check(np.sum(strained & side) > 10, f"band atoms missing near the {face} {name} face")
    same_on_one_rank(lmp, "periodic_band", PERIODIC_BAND, ["reference.dump", "band.dump"])


# the band follows the lattice planes of the tilted cell (constant fractional coordinate along b:
# y - yz (z - zlo)/lz), so that it is periodic in all three cell vectors; after the slip the cell
# is sheared and stretched further (H differs from H0)
TRICLINIC = GLASS + """
change_box all triclinic
change_box all xy delta 3.0 xz delta -2.0 yz delta 1.5 remap units box
compute s all strain/atom 3.5 tensor F
""" + OUTPUT + EVALUATE_REFERENCE + band("y-ylo-yz*(z-zlo)/lz-5.0", "x") + NOISE.format(seed=31415) + """
change_box all xy delta 1.0 yz delta -0.8 y scale 1.02 remap units box
dump d1 all custom 1 ${out}.band.dump id xu yu zu c_s[*]
dump_modify d1 format float %.17g
run 0
"""


def triclinic(lmp):
    """In a tilted cell (xy, xz, yz), a band along the lattice planes slips 48 A along x and the
    cell is then sheared and stretched further: F and the strains of every atom equal NumPy's
    (general cell: images in H0, current pairs in H, box read from the triclinic dump header), and
    those of 1 rank."""
    output = run(lmp, "triclinic", TRICLINIC)
    check_thermo(output, "triclinic")
    start = read_dump(lmp.path("run.reference.dump"))[0]
    check(start.H[0, 1] != 0 and start.H[0, 2] != 0 and start.H[1, 2] != 0,
          "the cell is not tilted")
    reference = Reference(start)
    snapshots = [start] + read_dump(lmp.path("run.band.dump"))
    check(not np.allclose(snapshots[1].H, start.H), "the cell did not change")
    check_against_numpy(reference, snapshots, "F", output, "triclinic")
    same_on_one_rank(lmp, "triclinic", TRICLINIC, ["reference.dump", "band.dump"])


# ballistic atoms at ~12 A/ps per component: over 0.6 ps neighbours drift apart by ~17 A (rms),
# atoms cross the processors' sub-domains and the periodic boundaries; every atom also jumps
# half a box
MIGRATION = BALLISTIC + """
compute s all strain/atom 3.5 tensor E
""" + OUTPUT + """
thermo 50
velocity all create 10000 4928 mom yes rot no dist gaussian
timestep 0.002
fix integrate all nve
dump d all custom 50 ${out}.migration.dump id xu yu zu c_s[*]
dump_modify d format float %.17g
run 200
variable half equal lx/2
displace_atoms all move v_half 0 0 units box
run 100
"""


def migration(lmp):
    """Atoms move ballistically (no forces) for 200 steps, the neighbour lists being rebuilt and
    atoms migrating between processors, then all jump half a box along x, then 100 more steps:
    every snapshot (every 50 steps) equals NumPy and 1 rank."""
    output = run(lmp, "migration", MIGRATION)
    check_thermo(output, "migration")
    builds = [int(n) for n in re.findall(r"Neighbor list builds = (\d+)", output)]
    check(len(builds) == 2 and builds[0] >= 3,
          f"neighbour list builds {builds}: atoms hardly moved")
    snapshots = read_dump(lmp.path("run.migration.dump"))
    check([s.step for s in snapshots] == [0, 50, 100, 150, 200, 250, 300],
          f"snapshots at {[s.step for s in snapshots]}")
    check_against_numpy(Reference(snapshots[0]), snapshots, "E", output, "migration")
    same_on_one_rank(lmp, "migration", MIGRATION, ["migration.dump"])


# the reference positions are written without evaluating the compute; its first evaluation
# follows the slip
LATE = GLASS + """
compute s all strain/atom 3.5 tensor E
write_dump all custom ${out}.reference.dump id xu yu zu modify format float %.17g
""" + SLIP_BAND + NOISE.format(seed=1618) + OUTPUT + """
dump d all custom 1 ${out}.late.dump id xu yu zu c_s[*]
dump_modify d format float %.17g
run 0
"""


def late_first_evaluation(lmp):
    """The compute is first evaluated after the 48 A slip (no run between its definition and the
    slip, so its reference neighbours must be selected from the stored reference positions of far
    apart atoms): all atoms valid, equal to NumPy and to 1 rank."""
    output = run(lmp, "late", LATE)
    check_thermo(output, "late")
    reference = Reference(read_dump(lmp.path("run.reference.dump"))[0])
    check_against_numpy(reference, read_dump(lmp.path("run.late.dump")), "E", output, "late")
    same_on_one_rank(lmp, "late", LATE, ["late.dump"])


RESTART_WRITE = GLASS + """
compute s all strain/atom 3.5 tensor E
write_dump all custom ${out}.reference.dump id xu yu zu modify format float %.17g
write_restart ${out}.before.restart
""" + SLIP_BAND + NOISE.format(seed=2024) + """
write_restart ${out}.after.restart
"""

RESTART_READ_ONE = """
plugin load ${plugin}
units metal
read_restart ${out}.WHEN.restart
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
compute s all strain/atom 3.5 tensor E
# LAMMPS allows displace_atoms only after a run has taken up the per-atom restart data; nothing
# evaluates the compute in this run
run 0
SLIP
""" + OUTPUT + """
dump d all custom 1 ${out}.WHEN.dump id xu yu zu c_s[*]
dump_modify d format float %.17g
run 0
"""

# the slip after reading the restart file written before it, then (clear) the one written after
RESTART_READ = (RESTART_READ_ONE.replace("WHEN", "before")
                .replace("SLIP", SLIP_BAND + NOISE.format(seed=2024))
                + "clear\n" + RESTART_READ_ONE.replace("WHEN", "after").replace("SLIP", ""))


def restart(lmp):
    """The compute takes its reference, is never evaluated, and restart files are written before
    and after the slip; a second input reads each (plugin load, read_restart, the same compute
    command), slips in the first case, and evaluates: all atoms valid and equal to NumPy (the
    reference positions from a dump of the first input), the two restarts equal to each other
    and to 1 rank."""
    run(lmp, "restart_write", RESTART_WRITE)
    output = run(lmp, "restart_read", RESTART_READ)
    check_thermo(output, "restart")
    reference = Reference(read_dump(lmp.path("run.reference.dump"))[0])
    before = read_dump(lmp.path("run.before.dump"))
    after = read_dump(lmp.path("run.after.dump"))
    check_against_numpy(reference, before, "E", output, "restart written before the slip")
    check_against_numpy(reference, after, "E", output, "restart written after the slip")
    compare(before[0].strain(), after[0].strain(), before[0].ids,
            "restart before vs after the slip", rel=SAME_REL, abs_tol=SAME_ABS)
    if lmp.np > 1:
        lmp.run("restart_write.np1", RESTART_WRITE, np=1, variables={"out": "one"})
    same_on_one_rank(lmp, "restart_read", RESTART_READ, ["before.dump", "after.dump"])


DELETED = 100
DELETE = GLASS + """
compute s all strain/atom 3.5 ${lost}
""" + OUTPUT + EVALUATE_REFERENCE + """group one id """ + str(DELETED) + """
delete_atoms group one compress no
""" + SLIP_BAND + NOISE.format(seed=99) + """
dump d1 all custom 1 ${out}.deleted.dump id xu yu zu c_s[*]
dump_modify d1 format float %.17g
run 0
"""

DELETED_ERROR = r"reference neighbor (\d+) of atom (\d+) no longer exists"


def error_deleted_neighbour(lmp):
    """After the reference was taken and evaluated, atom 100 is deleted (compress no) and a band
    slips 48 A: with the default lost error the next evaluation stops with an ERROR that names the
    deleted atom as the neighbour, and as the atom one that had atom 100 within the cutoff in the
    reference (by NumPy); not a far neighbour that still exists."""
    output = lmp.run("deleted_error", DELETE, variables={"lost": "", "out": "run"},
                     expect_error=DELETED_ERROR)
    error = next(line for line in output.splitlines() if "ERROR" in line)
    neighbour, atom = (int(g) for g in re.search(DELETED_ERROR, error).groups())
    check(neighbour == DELETED, f"the error names neighbour {neighbour}, not the deleted {DELETED}")
    reference = Reference(read_dump(lmp.path("run.reference.dump"))[0])
    expected = reference.neighbours_of(DELETED)
    check(atom in expected, f"atom {atom} did not have {DELETED} as a reference neighbour "
          f"({sorted(expected)} had)")


def deleted_neighbour_invalid(lmp):
    """As error_deleted_neighbour, with lost invalid: the run goes on; c_s[2] and c_s count the
    atoms that had atom 100 within the cutoff in the reference (NumPy), exactly those have flag 0
    and zero values, and all other atoms are valid with the values of NumPy."""
    output = run(lmp, "deleted_invalid", DELETE, variables={"lost": "lost invalid"})
    reference = Reference(read_dump(lmp.path("run.reference.dump"))[0])
    expected = reference.neighbours_of(DELETED)
    check(len(expected) >= 8, f"atom {DELETED} had only {len(expected)} reference neighbours")
    last = thermo_runs(output)[-1][-1]
    check(last["c_s[2]"] == len(expected) and last["c_s"] == len(expected)
          and last["c_s[1]"] == len(expected),
          f"counts {last}, expected {len(expected)} atoms that lost neighbour {DELETED}")
    snapshot = read_dump(lmp.path("run.deleted.dump"))[0]
    check(DELETED not in snapshot.ids and len(snapshot.ids) == len(reference.ids) - 1,
          f"atom {DELETED} not deleted")
    ours = snapshot.strain()
    invalid = set(snapshot.ids[ours[:, 3] == 0.0].tolist())
    check(invalid == expected, f"invalid atoms {sorted(invalid)}, expected {sorted(expected)}")
    check(np.all(ours[ours[:, 3] == 0.0] == 0.0), "an invalid atom has non-zero values")
    values, _ = reference.values(snapshot)
    check(set(snapshot.ids[values[:, 3] == 0.0].tolist()) == expected, "NumPy: other invalid atoms")
    compare(ours, values, snapshot.ids, "deleted_invalid")


# the original run: ballistic atoms, a slip between two dumps; the rerun takes its reference from
# the first snapshot
RERUN_ORIGINAL = BALLISTIC + """
compute s all strain/atom 3.5 tensor E
""" + OUTPUT + """
thermo 20
velocity all create 5000 1234 mom yes rot no dist gaussian
timestep 0.002
fix integrate all nve
dump d all custom 20 traj.dump id type x y z ix iy iz c_s[*]
dump_modify d format float %.17g
run 25
""" + SLIP_BAND + """
run 55
"""

RERUN = """
plugin load ${plugin}
units metal
read_data ${data}/glass.data
pair_style zero 6.0
pair_coeff * *
read_dump traj.dump 0 x y z ix iy iz box yes
compute s all strain/atom 3.5 tensor E
""" + OUTPUT + """
dump d all custom 20 rerun.dump id c_s[*]
dump_modify d format float %.17g
rerun traj.dump dump x y z ix iy iz box yes
"""


def rerun(lmp):
    """The documented post-processing workflow: an original run (ballistic atoms, a 48 A slip
    between two dumps) dumps x y z, image flags and the compute every 20 steps; a second input
    reads the first snapshot as the reference (read_dump), defines the compute and reruns the
    trajectory. Every snapshot has the values of the original run (to 1e-9), which equal NumPy."""
    output = run(lmp, "original", RERUN_ORIGINAL)
    check_thermo(output, "original")
    original = read_dump(lmp.path("traj.dump"))
    steps = [s.step for s in original]
    check(steps == [0, 20, 40, 60, 80], f"snapshots at {steps}")
    check_against_numpy(Reference(original[0]), original, "E", output, "original")
    output = run(lmp, "rerun", RERUN)
    check_thermo(output, "rerun")
    again = read_dump(lmp.path("rerun.dump"))
    check([s.step for s in again] == steps, f"rerun snapshots at {[s.step for s in again]}")
    for a, b in zip(again, original):
        check(np.array_equal(a.ids, b.ids), "atoms differ")
        compare(a.strain(), b.strain(), a.ids, f"rerun step {a.step} vs the original run")
    print(f"rerun: {len(again)} snapshots as in the original run")


CASES = {
    "far_slip": far_slip,
    "periodic_band": periodic_band,
    "triclinic": triclinic,
    "migration": migration,
    "late_first_evaluation": late_first_evaluation,
    "restart": restart,
    "error_deleted_neighbour": error_deleted_neighbour,
    "deleted_neighbour_invalid": deleted_neighbour_invalid,
    "rerun": rerun,
}
RANKS = {name: (1, 2, 3, 4) for name in CASES}
RANKS["rerun"] = (1, 2)

if __name__ == "__main__":
    main(CASES, RANKS)
