"""compute sbzone/atom on synthetic strain fields over the blocks of inputs.py: run it, read back
the atoms and bands, and the checks every sbzone test makes of them (test_sbzone_atom.py,
test_sbzone_cavities.py, test_sbzone_history.py)."""

import collections

from harness import check, check_close, read_dump, thermo_runs
from inputs import BLOCK

MATRIX, SPANNING, TAIL, FRONT, SMALL = 1, 2, 3, 4, 5

SLAB = "(abs(z-36)<3)*0.5"


ZONES = """
compute z all sbzone/atom v_eta link 3.0 minsize 20 ${options}
thermo_style custom step c_z[*]
thermo_modify format float %.17g
dump d all custom 1 zones.dump id x y z v_eta c_z[1] c_z[2] c_z[3]
dump_modify d format float %.17g sort id
fix bands all ave/time 1 1 1 c_z[*] mode vector format " %.17g" file zones.bands
run 0
"""


def read_atoms(path):
    """{atom id: (x, y, z, eta, zone, cluster, class)} from the zones dump."""
    return {atom: tuple(values) for atom, values in read_dump(path)[1].items()}


BAND_COLUMNS = ("id", "atoms", "spanning", "extent_x", "extent_y", "extent_z", "axis_x", "axis_y", "axis_z",
                "length", "mean_eta", "front_atoms")


def read_bands(path):
    """The global array (one row per band) from the fix ave/time file: a list of dicts."""
    lines = [line.split() for line in path.read_text().splitlines() if not line.startswith("#")]
    nrows = int(lines[0][1])
    return [dict(zip(BAND_COLUMNS, map(float, row[1:]))) for row in lines[1:1 + nrows]]


def run_zones(lmp, name, eta, boundary="s p p", options="", np=None, commands="", block=BLOCK):
    """Run the block (after it `commands`) with the strain field `eta` (a variable formula); returns
    the atoms, the thermo row and the bands."""
    script = (block.replace("${boundary}", boundary) + commands + f'variable eta atom "{eta}"\n'
              + ZONES.replace("${options}", options).replace("zones.", f"{name}."))
    output = lmp.run(name, script, np=np)
    atoms, bands = read_atoms(lmp.path(f"{name}.dump")), read_bands(lmp.path(f"{name}.bands"))
    check_bands(atoms, bands)
    return atoms, thermo_runs(output)[-1][-1], bands


def check_bands(atoms, bands):
    """Every row of the global array against the atoms of its band in the dump: ID (smallest atom
    ID), atom count, spanning flag, mean eta, front atoms, a unit axis."""
    members = collections.defaultdict(list)
    for atom, a in atoms.items():
        # band atoms: candidates (eta above the default band threshold 0.3) in a band zone; with
        # the halo keyword, matrix atoms near a band join its zone as well
        if a[4] in (SPANNING, TAIL, FRONT) and a[3] > 0.3:
            members[a[5]].append((atom, a))
    check(sorted(members) == [b["id"] for b in bands], f"band IDs {[b['id'] for b in bands]} "
                                                       f"!= clusters of band atoms {sorted(members)}")
    for band in bands:
        own = members[band["id"]]
        check(band["id"] == min(atom for atom, _ in own), f"band {band['id']}: not its smallest atom ID")
        check(band["atoms"] == len(own), f"band {band['id']}: {band['atoms']} atoms, dump has {len(own)}")
        check(band["spanning"] == (own[0][1][4] == SPANNING), f"band {band['id']}: spanning flag")
        check(all((a[4] == SPANNING) == (own[0][1][4] == SPANNING) for _, a in own),
              f"band {band['id']}: spanning and non-spanning atoms in one band")
        check_close(band["mean_eta"], sum(a[3] for _, a in own) / len(own), abs_tol=1e-9,
                    what=f"band {band['id']} mean eta")
        check(band["front_atoms"] == sum(a[4] == FRONT for _, a in own), f"band {band['id']}: front atoms")
        check_close(sum(band[f"axis_{d}"] ** 2 for d in "xyz"), 1.0, abs_tol=1e-12, what="axis norm")


def check_statistics(atoms, row, lo=0.3, hi=0.7):
    """The global vector (atoms and window fraction per zone) against a count of the dump: the
    fraction is over the zone's atoms with a valid strain (strain class > 0)."""
    for zone in range(1, 6):
        members = [a for a in atoms.values() if a[4] == zone]
        check(row[f"c_z[{zone}]"] == len(members), f"zone {zone}: vector says {row[f'c_z[{zone}]']}, "
                                                   f"dump has {len(members)}")
        valid = [a for a in members if a[6] > 0]
        window = sum(1 for a in valid if lo < a[3] <= hi)
        expected = window / len(valid) if valid else 0.0
        check_close(row[f"c_z[{zone + 5}]"], expected, abs_tol=1e-15, what=f"window fraction of zone {zone}")


def distance2(a, b, periods=(None, 14.4, 72.0)):
    """Squared distance of two atoms (x, y, z, ...) of the block, by the nearest image along the
    periodic y and z (`periods`: their lengths; x has free surfaces)."""
    d2 = (a[0] - b[0]) ** 2
    for k in (1, 2):
        d = abs(a[k] - b[k]) % periods[k]
        d2 += min(d, periods[k] - d) ** 2
    return d2


def by_position(atoms):
    """Per-atom values keyed by position (create_atoms numbers atoms differently on different rank
    counts), and the bands as sets of positions; each cluster ID must be its smallest atom ID."""
    values, bands = {}, collections.defaultdict(set)
    for atom, (x, y, z, eta, zone, cluster, cls) in atoms.items():
        where = (round(x, 6), round(y, 6), round(z, 6))
        values[where] = (eta, zone, cls)
        if cluster > 0:
            bands[cluster].add((where, atom))
    for cluster, members in bands.items():
        check(cluster == min(atom for _, atom in members), f"cluster ID {cluster} is not its smallest atom ID")
    return values, {frozenset(where for where, _ in members) for members in bands.values()}
