#!/usr/bin/env python3
"""Integration tests of compute strain/atom in the host lmp.

References: the analytic strain of a homogeneous deformation (F from the box change, worked out
here), stock LAMMPS fix nonaffine/displacement and compute coord/atom in the same run, the same
configuration on other numbers of processes and threads, and restart round trips.
"""

import math
import re

from harness import check, check_close, error_cases, main, read_dump, thermo_runs
from inputs import GLASS_CUZR, TINY_CUZR
from strain_fields import box_matrix, eta_mises, green_lagrange, inverse_upper, matmul, read_snapshots

GLASS = GLASS_CUZR


AFFINE = GLASS + """
change_box all triclinic
compute s all strain/atom 3.5 tensor F
compute s_ref all strain/atom 3.5 affine reference
compute s_cur all strain/atom 3.5 affine current
thermo_style custom step lx ly lz xy xz yz
thermo_modify format float %.17g
run 0
change_box all x scale 1.03 y scale 0.98 xy delta 2.1 xz delta -1.3 yz delta 0.9 remap units box
dump d all custom 1 affine.dump id c_s[*] c_s_ref[1] c_s_ref[2] c_s_ref[3] c_s_cur[1] c_s_cur[2] c_s_cur[3]
dump_modify d format float %.17g
run 0
"""


def affine_deformation(lmp):
    """A homogeneous deformation of the periodic glass (change_box ... remap: normal strains and
    three tilts) gives every atom the analytic strain of F = H H0^-1, across periodic boundaries
    included; with affine mapping to the reference or the current cell all strains are zero."""
    runs = thermo_runs(lmp.run("affine", AFFINE))
    h0, h = box_matrix(runs[0][0]), box_matrix(runs[1][0])
    F = matmul(h, inverse_upper(h0))
    E = green_lagrange(F)
    expected_eta, expected_vol = eta_mises(E), (E[0][0] + E[1][1] + E[2][2]) / 3
    check(expected_eta > 0.03, f"the deformation is too small to test anything: {expected_eta}")
    _, rows = read_dump(lmp.path("affine.dump"))
    check(len(rows) == 864, f"expected 864 atoms, got {len(rows)}")
    for atom, v in rows.items():
        eta, vol, d2min, valid = v[0:4]
        check(valid == 1.0, f"atom {atom} invalid")
        check_close(eta, expected_eta, abs_tol=1e-10, what=f"eta^Mises of atom {atom}")
        check_close(vol, expected_vol, abs_tol=1e-10, what=f"eta_vol of atom {atom}")
        check(abs(d2min) < 1e-12, f"atom {atom}: D2min {d2min} of an affine map")
        for r in range(3):
            for c in range(3):
                check_close(v[4 + 3 * r + c], F[r][c], abs_tol=1e-10, what=f"F[{r}][{c}] of atom {atom}")
        for k in range(13, 19):
            check(abs(v[k]) < 1e-10, f"atom {atom}: affine-mapped strain {v[k]} is not zero")


DEFORMING = GLASS + """
change_box all triclinic
compute s all strain/atom 3.5 tensor F
thermo_style custom step lx ly lz xy xz yz
thermo_modify format float %.17g
run 0
# no integrator: fix deform moves the atoms only by remapping them with the box (at the end of
# every step, after the ghost atoms got their positions)
thermo 10
fix def all deform 1 x erate 0.3 xy erate 0.5 yz erate -0.4 remap x
dump d all custom 10 deforming.dump id c_s[*]
dump_modify d format float %.17g
run 100
"""


def deforming_box(lmp):
    """During a run in which fix deform shears and stretches the box and remaps the atoms every
    step (neighbour lists rebuilt in between, and reused), every atom has the analytic F of
    H(step) H0^-1 at every dumped step."""
    output = lmp.run("deforming", DEFORMING)
    runs = thermo_runs(output)
    h0 = box_matrix(runs[0][0])
    boxes = {int(row["Step"]): box_matrix(row) for row in runs[1]}
    rebuilds = re.search(r"Neighbor list builds = (\d+)", output.rsplit("Loop time of", 1)[-1])
    check(rebuilds and int(rebuilds.group(1)) >= 1, "no neighbour list build during the run")
    snapshots = read_snapshots(lmp.path("deforming.dump"))
    check(len(snapshots) == 11, f"expected 11 snapshots, got {len(snapshots)}")
    largest = 0.0
    for step, rows in snapshots:
        F = matmul(boxes[step], inverse_upper(h0))
        expected_eta = eta_mises(green_lagrange(F))
        largest = max(largest, expected_eta)
        for atom, v in rows.items():
            check(v[3] == 1.0, f"step {step}: atom {atom} invalid")
            check_close(v[0], expected_eta, abs_tol=1e-10, what=f"eta^Mises of atom {atom} at step {step}")
            for r in range(3):
                for c in range(3):
                    check_close(v[4 + 3 * r + c], F[r][c], abs_tol=1e-10,
                                what=f"F[{r}][{c}] of atom {atom} at step {step}")
    check(largest > 0.02, f"the deformation is too small to test anything: {largest}")


STOCK = GLASS + """
timestep 0.002
fix integrate all nve
fix tstat all langevin 300 300 0.1 4711
fix nad all nonaffine/displacement 1 d2min custom 3.5 fixed 0
compute rms all strain/atom 3.5 neighbors current d2min rms
compute sum all strain/atom 3.5 neighbors current
compute coord all coord/atom cutoff 3.5
dump d all custom 400 stock.dump id f_nad[1] f_nad[2] f_nad[3] c_rms[1] c_rms[2] c_rms[3] &
     c_rms[4] c_sum[3] c_coord
dump_modify d format float %.17g
run 400
"""


def stock_peer(lmp):
    """On a thermally disordered glass, neighbors current agrees per atom with stock fix
    nonaffine/displacement: rms D2min = col1, eta_vol = col2/2, eta^Mises = col3/2, and the D2min
    sum = N col1^2 with N from compute coord/atom; all to 1e-8."""
    lmp.run("stock", STOCK)
    _, rows = read_dump(lmp.path("stock.dump"))
    check(len(rows) == 864, f"expected 864 atoms, got {len(rows)}")
    worst = 0.0
    moved = 0
    for atom, (col1, col2, col3, eta, vol, rms, valid, d2sum, coord) in rows.items():
        check(valid == 1.0, f"atom {atom} invalid in a dense glass")
        for ours, stock, name in ((rms, col1, "rms D2min"), (vol, col2 / 2, "eta_vol"),
                                  (eta, col3 / 2, "eta^Mises"), (d2sum, coord * col1 ** 2, "D2min sum")):
            check_close(ours, stock, rel=1e-8, abs_tol=1e-14, what=f"{name} of atom {atom}")
            worst = max(worst, abs(ours - stock) / max(abs(stock), 1e-300))
        moved += eta > 0.01
    print(f"largest relative difference to the stock fix: {worst:.3g}")
    check(moved > 400, f"the glass barely moved ({moved} atoms with eta > 0.01): not a test")


INDEPENDENT = GLASS + """
# neighbour builds every 5 steps, each re-sorting the atoms (new local indices, as in long runs);
# the compute is evaluated on every step, so mostly with the lists it kept since the last build
neigh_modify every 5 delay 0 check no
atom_modify sort 5 2.0
timestep 0.002
fix integrate all ${integrate}
fix tstat all langevin 400 400 0.1 2718
compute s all strain/atom 3.5 tensor E
# evaluated on every step (thermo), dumped every 7: most snapshots fall between neighbour builds
thermo_style custom step c_s
thermo 1
dump d all custom 7 independent.dump id xu yu zu c_s[*]
dump_modify d format float %.17g
run 210
"""


def dump_boxes(path):
    """The box lengths of every snapshot of a dump of an orthogonal box: [[lx, ly, lz]]."""
    boxes = []
    for block in path.read_text().split("ITEM: BOX BOUNDS")[1:]:
        lines = block.strip().splitlines()[1:4]
        boxes.append([float(line.split()[1]) - float(line.split()[0]) for line in lines])
    return boxes


def independent_implementation(lmp):
    """Against a NumPy implementation written from the definitions: neighbours within the cutoff
    in the step-0 configuration (nearest image in the box), pair vectors from unwrapped
    positions and the box of each snapshot, F = W V^-1, E, eta^Mises, eta_vol and D2min, at 31
    snapshots of a 400 K run with atoms re-sorted at every neighbour build (every 5 steps), most
    snapshots between builds (the compute reuses its lists there). To 1e-9. Once at constant
    volume, once with fix nph changing the box at every step (before the ghost atoms get their
    positions, so the compute need not send them again)."""
    import numpy as np
    for name, integrate in (("nve", "nve"), ("nph", "nph iso 20000 20000 0.5")):
        output = lmp.run(f"independent.{name}", INDEPENDENT.replace("independent.dump", f"{name}.dump"),
                         variables={"integrate": integrate})
        builds = int(re.search(r"Neighbor list builds = (\d+)", output).group(1))
        snapshots = read_snapshots(lmp.path(f"{name}.dump"))
        boxes = np.array(dump_boxes(lmp.path(f"{name}.dump")))
        check(len(snapshots) == 31 and builds >= 40, f"{len(snapshots)} snapshots, {builds} builds")
        change = np.max(np.abs(boxes / boxes[0] - 1))
        check(change < 1e-12 if name == "nve" else change > 1e-3, f"{name}: box change {change}")
        independent_values(snapshots, boxes)


def independent_values(snapshots, boxes):
    import numpy as np
    atoms = sorted(snapshots[0][1])
    x0 = np.array([snapshots[0][1][a][0:3] for a in atoms])
    delta = x0[None, :, :] - x0[:, None, :]
    image = np.round(delta / boxes[0])    # the nearest image in the reference box
    delta -= boxes[0] * image
    within = (np.einsum("ijk,ijk->ij", delta, delta) <= 3.5 ** 2) & ~np.eye(len(atoms), dtype=bool)
    worst = 0.0
    for (step, rows), box in zip(snapshots[1:], boxes[1:]):
        x = np.array([rows[a][0:3] for a in atoms])
        u = x - x0
        for i, atom in enumerate(atoms):
            j = np.nonzero(within[i])[0]
            d0 = delta[i, j]
            d = d0 + u[j] - u[i] - (box - boxes[0]) * image[i, j]
            F = (d.T @ d0) @ np.linalg.inv(d0.T @ d0)
            E = 0.5 * (F.T @ F - np.eye(3))
            expected = [eta_mises(E), np.trace(E) / 3, np.sum((d0 @ F.T - d) ** 2),
                        1.0, E[0, 0], E[1, 1], E[2, 2], E[0, 1], E[0, 2], E[1, 2]]
            for k, (ours, theirs) in enumerate(zip(rows[atom][3:], expected)):
                check_close(ours, theirs, rel=1e-9, abs_tol=1e-12,
                            what=f"step {step} atom {atom} column {k + 1}")
                worst = max(worst, abs(ours - theirs))
    print(f"largest absolute difference to the NumPy implementation: {worst:.3g}")


INVARIANCE = GLASS + """
compute s all strain/atom 3.5 tensor E
compute c all strain/atom 3.5 neighbors current d2min rms
displace_atoms all random 0.25 0.25 0.25 8675309 units box
# move every atom half a box: atoms change processor and cross periodic boundaries
displace_atoms all move ${shift} 0 0 units box
change_box all triclinic
change_box all xy delta 1.5 y scale 1.02 remap units box
dump d all custom 1 invariance.dump id c_s[*] c_c[*]
dump_modify d format float %.17g sort id
run 0
"""


def rank_and_thread_invariance(lmp):
    """The same configuration (random displacements, a box deformation) gives bit-identical
    per-atom results on 1, 2 and 4 processes and with 2 OpenMP threads. A shift of every atom by
    half a box (all atoms change processor, many cross periodic boundaries) changes x and u by the
    same amount and the values only by rounding (1e-12)."""
    runs = {}
    for name, np, threads, shift in (("np1", 1, 1, 0.0), ("np2", 2, 1, 0.0), ("np4", 4, 1, 0.0),
                                     ("np1_threads2", 1, 2, 0.0), ("np1_shifted", 1, 1, 12.05),
                                     ("np2_shifted", 2, 1, 12.05), ("np4_shifted", 4, 1, 12.05)):
        lmp.run(name, INVARIANCE.replace("invariance.dump", f"{name}.dump"), np=np, threads=threads,
                variables={"shift": shift})
        runs[name] = read_dump(lmp.path(f"{name}.dump"))[1]
    base, shifted = runs["np1"], runs["np1_shifted"]
    check(sum(1 for v in base.values() if v[0] > 0.02) > 800, "atoms not strained: not a test")
    for name, rows in runs.items():
        exact = shifted if name.endswith("shifted") else base
        check(rows == exact, f"{name} is not bit-identical to {'np1_shifted' if exact is shifted else 'np1'}")
    for atom, values in shifted.items():
        for k, (a, b) in enumerate(zip(values, base[atom])):
            check(abs(a - b) <= 1e-12 * max(1.0, abs(b)), f"shifted atom {atom} column {k}: {a!r} != {b!r}")


REFERENCE_TAKEN = GLASS + """
compute s all strain/atom 3.5
displace_atoms all random 0.3 0.3 0.3 1234 units box
change_box all x scale 1.02 remap units box
"""


def restart(lmp):
    """write_restart/read_restart keeps the reference: the restarted compute gives the same values
    as the original on the same configuration, whether the reference neighbours had been selected
    before the restart file was written or not (then they are selected from the stored positions)."""
    for when in ("after", "before"):
        evaluate = "run 0\n" if when == "after" else ""
        original = REFERENCE_TAKEN + evaluate + f"""
write_restart {when}.restart
dump d all custom 1 {when}.original.dump id c_s[*]
dump_modify d format float %.17g
run 0
"""
        lmp.run(f"original_{when}", original)
        restarted = f"""
plugin load ${{plugin}}
units metal
read_restart {when}.restart
pair_style eam/fs
pair_coeff * * ${{potential}} Cu Zr
compute s all strain/atom 3.5
dump d all custom 1 {when}.restarted.dump id c_s[*]
dump_modify d format float %.17g
run 0
"""
        lmp.run(f"restarted_{when}", restarted)
        _, a = read_dump(lmp.path(f"{when}.original.dump"))
        _, b = read_dump(lmp.path(f"{when}.restarted.dump"))
        check(a == b, f"restart with neighbours selected {when} writing: values differ")
        check(sum(1 for v in a.values() if v[0] > 0.01) > 800, "atoms not strained: not a test")


RESET = GLASS + """
compute s all strain/atom 3.5
displace_atoms all random 0.3 0.3 0.3 99 units box
run 0
compute_modify s reference now
compute fresh all strain/atom 3.5
dump d0 all custom 1 reset0.dump id c_s[*]
dump_modify d0 format float %.17g
run 0
undump d0
displace_atoms all random 0.2 0.2 0.2 77 units box
dump d1 all custom 1 reset1.dump id c_s[*] c_fresh[*]
dump_modify d1 format float %.17g
run 0
"""


def reference_reset(lmp):
    """compute_modify reference now: the strain is zero right after it, and later equals that of a
    compute defined at the same moment."""
    lmp.run("reset", RESET)
    _, rows = read_dump(lmp.path("reset0.dump"))
    check(all(abs(v[0]) < 1e-12 and abs(v[1]) < 1e-12 and abs(v[2]) < 1e-12 and v[3] == 1.0
              for v in rows.values()), "strain not zero right after compute_modify reference now")
    _, rows = read_dump(lmp.path("reset1.dump"))
    for atom, v in rows.items():
        check(v[0:4] == v[4:8], f"atom {atom}: re-taken reference {v[0:4]} != fresh compute {v[4:8]}")
    check(sum(1 for v in rows.values() if v[0] > 0.01) > 800, "atoms not strained: not a test")


TRICLINIC = GLASS + """
change_box all triclinic
change_box all xy delta 3.0 xz delta -2.0 yz delta 1.5 remap units box
timestep 0.002
fix integrate all nve
fix tstat all langevin 300 300 0.1 4711
fix nad all nonaffine/displacement 1 d2min custom 3.5 fixed 0
compute s all strain/atom 3.5 neighbors current d2min rms
dump d all custom 300 triclinic.dump id f_nad[1] f_nad[2] f_nad[3] c_s[1] c_s[2] c_s[3]
dump_modify d format float %.17g
run 300
"""


def triclinic(lmp):
    """In a strongly tilted periodic box, neighbors current agrees per atom with the stock fix
    (whose minimum image handles triclinic boxes on its own)."""
    lmp.run("triclinic", TRICLINIC)
    _, rows = read_dump(lmp.path("triclinic.dump"))
    for atom, (col1, col2, col3, eta, vol, rms) in rows.items():
        check_close(rms, col1, rel=1e-8, abs_tol=1e-14, what=f"rms D2min of atom {atom}")
        check_close(vol, col2 / 2, rel=1e-8, abs_tol=1e-14, what=f"eta_vol of atom {atom}")
        check_close(eta, col3 / 2, rel=1e-8, abs_tol=1e-14, what=f"eta^Mises of atom {atom}")
    check(sum(1 for v in rows.values() if v[3] > 0.01) > 400, "atoms barely strained: not a test")


WIDE = """
plugin load ${plugin}
units metal
read_data ${data}/glass.data
replicate 3 1 1
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
compute s all strain/atom 3.5
thermo_style custom step c_s c_s[1] c_s[2] c_s[4] c_s[5]
run 0
# atoms near the middle of the first processor's half jump 30 A, to the other processor
region middle block 16.0 20.0 INF INF INF INF units box
group jumpers region middle
displace_atoms jumpers move 30 0 0 units box
dump d all custom 1 wide.dump id c_s[*]
dump_modify d format float %.17g sort id
run 0
"""


def far_neighbors(lmp):
    """On 2 processes, reference neighbours that jumped 30 A (three times the ghost cutoff) to
    the other processor are fetched by ID: with the default ghost cutoff no atom is invalid or
    lost, the far pairs and the bytes fetched for them are counted (c_s[4], c_s[5]), and every
    atom's values equal those of 1 process, where the jumpers stay near copies (up to rounding,
    1e-12)."""
    output = lmp.run("two", WIDE, np=2)
    two = thermo_runs(output)[-1][-1]
    rows_two = read_dump(lmp.path("wide.dump"))[1]
    check(two["c_s"] == 0 and two["c_s[2]"] == 0, f"atoms invalid or lost on 2 processes: {two}")
    check(two["c_s[4]"] > 100 and two["c_s[5]"] > 0, f"no far pairs counted on 2 processes: {two}")
    output = lmp.run("one", WIDE, np=1)
    one = thermo_runs(output)[-1][-1]
    rows_one = read_dump(lmp.path("wide.dump"))[1]
    check(one["c_s"] == 0 and one["c_s[4]"] == 0, f"1 process: {one}")
    check(sum(1 for v in rows_one.values() if v[0] > 0.5) > 50, "the jump strains nothing: not a test")
    for atom, values in rows_one.items():
        for k, (a, b) in enumerate(zip(rows_two[atom], values)):
            check(abs(a - b) <= 1e-12 * max(1.0, abs(b)), f"atom {atom} column {k}: {a!r} != {b!r}")


DYNAMIC = GLASS + """
region left block INF 10.0 INF INF INF INF units box
group dyn dynamic all region left
compute s dyn strain/atom 3.5
thermo_style custom step c_s
run 0
displace_atoms all move 5.0 0 0 units box
run 0
"""


def dynamic_group(lmp):
    """A dynamic group: a warning says that atoms joining it later have no reference neighbours;
    none is invalid at the reference, and after every atom moved 5 A into the region's side
    (atoms now join the group) some are, as the warning says."""
    output = lmp.run("dynamic", DYNAMIC)
    check(re.search(r"WARNING: Compute strain/atom s: group dyn is dynamic: atoms that join it", output),
          "no warning about the dynamic group")
    runs = thermo_runs(output)
    check(runs[0][-1]["c_s"] == 0, f"invalid atoms at the reference: {runs[0][-1]}")
    check(runs[-1][-1]["c_s"] > 0, f"no invalid atom after atoms joined the group: {runs[-1][-1]}")


SPARSE = """
plugin load ${plugin}
units metal
region box block 0 30 0 30 0 30 units box
create_box 1 box
create_atoms 1 random 400 4242 NULL overlap 1.0 maxtry 1000
mass 1 63.5
pair_style zero 4.0
pair_coeff * *
compute s all strain/atom 3.5
compute coord all coord/atom cutoff 3.5
dump d all custom 1 sparse.dump id c_s[4] c_coord
thermo_style custom step c_s
run 0
"""


def invalid_atoms(lmp):
    """A dilute random gas, evaluated in its reference configuration: atoms with fewer than 3
    neighbours (by stock compute coord/atom) are invalid, the others valid, and the global scalar
    counts the invalid ones."""
    output = lmp.run("sparse", SPARSE)
    _, rows = read_dump(lmp.path("sparse.dump"))
    invalid = 0
    for atom, (valid, coord) in rows.items():
        check(valid == (1.0 if coord >= 3 else 0.0), f"atom {atom}: {coord:.0f} neighbours, valid {valid}")
        invalid += valid == 0.0
    check(0 < invalid < len(rows), f"no mix of valid and invalid atoms ({invalid} invalid): not a test")
    check(thermo_runs(output)[-1][-1]["c_s"] == invalid, "scalar does not count the invalid atoms")
    few = sum(1 for _, coord in rows.values() if coord < 3)
    warning = re.search(r"WARNING: Compute strain/atom s: (\d+) atom\(s\) have fewer than 3 reference "
                        r"neighbors within cutoff 3.5 and will be invalid", output)
    check(warning and int(warning.group(1)) == few,
          f"warning {warning and warning.group(0)}: expected {few} atoms (coord/atom < 3)")


def cutoff_below_nearest_neighbour(lmp):
    """fcc with a = 3.6 A has its nearest neighbours at 2.55 A: a cutoff of 2.0 leaves every atom
    without neighbours. A warning says so for all 256 atoms and all are invalid (once crashed with
    'a required argument is NULL')."""
    output = lmp.run("below", TINY + "compute s all strain/atom 2.0\nthermo_style custom step c_s\nrun 0\n")
    check(re.search(r"WARNING: Compute strain/atom s: 256 atom\(s\) have fewer than 3 reference "
                    r"neighbors within cutoff 2", output), "no warning for 256 atoms without neighbours")
    check(thermo_runs(output)[-1][-1]["c_s"] == 256, "not every atom is invalid")


CREATED = GLASS + """
compute s all strain/atom 3.5
thermo_style custom step c_s
run 0
create_atoms 1 single 0.5 0.5 0.5 units box
displace_atoms all random 0.1 0.1 0.1 7 units box
dump d all custom 1 created.dump id c_s[*]
run 0
"""


def created_atom(lmp):
    """An atom created after the reference (here by create_atoms; fix deposit alike) has no
    reference neighbours: it is invalid and counted, its ID is not taken for a renumbering, and
    the other atoms are evaluated as before."""
    output = lmp.run("created", CREATED)
    _, rows = read_dump(lmp.path("created.dump"))
    new = max(rows)
    check(rows[new][3] == 0.0 and rows[new][0] == 0.0, f"created atom {new}: {rows[new]}")
    check(all(v[3] == 1.0 and v[0] > 0.0 for atom, v in rows.items() if atom != new),
          "an original atom is invalid or unstrained after the random displacement")
    check(thermo_runs(output)[-1][-1]["c_s"] == 1, "the created atom is not counted as invalid")


GROUP = GLASS + """
group cu type 1
compute all_atoms all strain/atom 3.5
compute cu_atoms cu strain/atom 3.5
displace_atoms all random 0.3 0.3 0.3 5 units box
dump d all custom 1 group.dump id type c_all_atoms[*] c_cu_atoms[*]
dump_modify d format float %.17g
run 0
"""


def group_atoms(lmp):
    """Only group atoms are evaluated, but their neighbours include atoms outside the group: Cu
    atoms get the same values as with group all; Zr atoms get zeros and flag 0."""
    lmp.run("group", GROUP)
    _, rows = read_dump(lmp.path("group.dump"))
    for atom, v in rows.items():
        if v[0] == 1:
            check(v[1:5] == v[5:9], f"Cu atom {atom}: {v[5:9]} != {v[1:5]}")
        else:
            check(v[5:9] == [0.0] * 4, f"Zr atom {atom} outside the group: {v[5:9]}")


NONPERIODIC = GLASS + """
change_box all boundary p f p
thermo_style custom step ly ylo
thermo_modify format float %.17g
compute s all strain/atom 3.5
run 0
# simple shear of the atoms alone: x moves by g (y - ylo), the box is unchanged
displace_atoms all ramp x 0.0 ${shear} y ${ylo} ${yhi} units box
dump d all custom 1 nonperiodic.dump id y c_s[*]
dump_modify d format float %.17g
run 0
"""


def nonperiodic(lmp):
    """With a non-periodic direction (y, fixed boundaries), a simple shear applied to the atoms
    gives every atom, at the surfaces too, eta = (g/2) sqrt(1 + g^2/3) and eta_vol = g^2/6."""
    bounds = next(line for line in (lmp.data / "glass.data").read_text().splitlines()
                  if line.endswith("ylo yhi"))
    lo, hi = (float(word) for word in bounds.split()[:2])
    output = lmp.run("nonperiodic", NONPERIODIC, variables={"shear": 2.4, "ylo": repr(lo), "yhi": repr(hi)})
    g = 2.4 / (hi - lo)
    check(thermo_runs(output)[0][0]["Ylo"] == lo, "the box is not the data file's")
    _, rows = read_dump(lmp.path("nonperiodic.dump"))
    surface = 0
    for atom, (y, eta, vol, d2min, valid) in rows.items():
        check(valid == 1.0, f"atom {atom} invalid")
        check_close(eta, 0.5 * g * math.sqrt(1 + g * g / 3), abs_tol=1e-10, what=f"eta of atom {atom}")
        check_close(vol, g * g / 6, abs_tol=1e-10, what=f"eta_vol of atom {atom}")
        surface += min(y - lo, hi - y) < 2.0
    check(surface > 50, f"only {surface} surface atoms: not a test of the non-periodic direction")


TWO_D = """
plugin load ${plugin}
units lj
dimension 2
lattice hex 0.9
region box block 0 12 0 8 -0.5 0.5
create_box 1 box
create_atoms 1 box
mass 1 1.0
pair_style lj/cut 2.5
pair_coeff 1 1 1.0 1.0
compute s all strain/atom 1.3
thermo_style custom step lx ly xy
thermo_modify format float %.17g
run 0
change_box all triclinic
change_box all xy delta ${tilt} remap units box
dump d all custom 1 twod.dump id c_s[*]
dump_modify d format float %.17g
run 0
"""


def two_dimensional(lmp):
    """2D (plane strain): a simple shear of a hexagonal lattice gives every atom
    eta = sqrt((g/2)^2 + (g^2/2)^2/2) and eta_vol = g^2/4."""
    output = lmp.run("twod", TWO_D, variables={"tilt": 1.1})
    ly = thermo_runs(output)[0][0]["Ly"]
    g = 1.1 / ly
    _, rows = read_dump(lmp.path("twod.dump"))
    for atom, (eta, vol, d2min, valid) in rows.items():
        check(valid == 1.0, f"atom {atom} invalid")
        check_close(eta, math.sqrt(g * g / 4 + g ** 4 / 8), abs_tol=1e-10, what=f"2D eta of atom {atom}")
        check_close(vol, g * g / 4, abs_tol=1e-10, what=f"2D eta_vol of atom {atom}")


TINY = TINY_CUZR

# name: (input after TINY, regex the first ERROR line must match)
ERRORS = {
    "missing_cutoff": ("compute s all strain/atom", r"Illegal compute strain/atom command: missing argument"),
    "non_numeric_cutoff": ("compute s all strain/atom far",
                           r"Expected floating point parameter instead of 'far'"),
    "cutoff_not_positive": ("compute s all strain/atom 0", r"Illegal compute strain/atom cutoff 0: must be > 0"),
    "unknown_keyword": ("compute s all strain/atom 3.0 colour red",
                        r"Unknown compute strain/atom keyword: colour"),
    "bad_neighbors": ("compute s all strain/atom 3.0 neighbors nearby",
                      r"Illegal compute strain/atom neighbors value: nearby \(expected reference or current\)"),
    "bad_affine": ("compute s all strain/atom 3.0 affine yes",
                   r"Illegal compute strain/atom affine value: yes \(expected off, reference or current\)"),
    "bad_d2min": ("compute s all strain/atom 3.0 d2min mean",
                  r"Illegal compute strain/atom d2min value: mean \(expected sum or rms\)"),
    "bad_tensor": ("compute s all strain/atom 3.0 tensor G",
                   r"Illegal compute strain/atom tensor value: G \(expected none, F or E\)"),
    "bad_lost": ("compute s all strain/atom 3.0 lost ignore",
                 r"Illegal compute strain/atom lost value: ignore"),
    "missing_keyword_value": ("compute s all strain/atom 3.0 maxneigh",
                              r"Illegal compute strain/atom maxneigh command: missing argument"),
    "maxneigh_zero": ("compute s all strain/atom 3.0 maxneigh 0",
                      r"Illegal compute strain/atom maxneigh value: 0 \(expected an integer from 1 to 10000\)"),
    # image flags reset without moving the atom: its unwrapped position jumps by a box length
    "image_flags_reset": ("compute s all strain/atom 3.0\nthermo_style custom step c_s\nrun 0\n"
                          "set atom 1 image 1 0 0\nrun 0",
                          r"the image flags of 1 atoms \(e.g. atom 1\) changed on step 0 without the atoms moving"),
    # change_box boundary resets the image flags of the dimension that is no longer periodic
    "periodicity_changed": ("compute s all strain/atom 3.0\nthermo_style custom step c_s\nrun 0\n"
                            "change_box all boundary p f p\nrun 0",
                            r"Compute strain/atom s: the periodicity of the box along y changed since the "
                            r"reference was taken \(change_box boundary\)"),
    # 2147483647 once overflowed the store's column count; 1e8 asked for 13 TB
    "maxneigh_int_max": ("compute s all strain/atom 3.0 maxneigh 2147483647",
                         r"maxneigh value: 2147483647 \(expected an integer from 1 to 10000\)"),
    "maxneigh_huge": ("compute s all strain/atom 3.0 maxneigh 100000000",
                      r"maxneigh value: 100000000 \(expected an integer from 1 to 10000\)"),
    "maxneigh_exceeded": ("compute s all strain/atom 3.0 maxneigh 8\nthermo_style custom step c_s\nrun 0",
                          r"atom \d+ has 12 reference neighbors within 3, more than maxneigh 8"),
    "cutoff_exceeds_box": ("compute s all strain/atom 7.3\nthermo_style custom step c_s\nrun 0",
                           r"cutoff 7.3 must be below half the smallest periodic width of the reference box"),
    "current_cutoff_exceeds_ghosts": ("change_box all x final 0 30 y final 0 30 z final 0 30 units box\n"
                                      "compute s all strain/atom 11 neighbors current\n"
                                      "thermo_style custom step c_s\nrun 0",
                                      r"cutoff 11 plus the neighbor skin 2 exceeds the ghost cutoff 9.6"),
    "renumbered_atoms": ("compute s all strain/atom 3.0\nthermo_style custom step c_s\nrun 0\n"
                         "group gone id 10\ndelete_atoms group gone compress yes\nrun 0",
                         r"atoms have other IDs than when the reference was taken"),
    "deleted_neighbor": ("compute s all strain/atom 3.0\nthermo_style custom step c_s\nrun 0\n"
                         "group gone id 10\ndelete_atoms group gone compress no\nrun 0",
                         r"reference neighbor 10 of atom \d+ no longer exists \(1 atoms were deleted since the reference\)"),
    "bad_reference_value": ("compute s all strain/atom 3.0\ncompute_modify s reference later",
                            r"Illegal compute_modify reference value: later \(expected now\)"),
    "no_atom_ids": ("""
clear
plugin load ${plugin}
units metal
atom_modify id no
lattice fcc 3.6
region box block 0 4 0 4 0 4
create_box 1 box
create_atoms 1 box
compute s all strain/atom 3.0
""", r"Compute strain/atom requires atom IDs"),
    "restart_other_maxneigh": ("""
compute s all strain/atom 3.0
write_restart r.restart
clear
plugin load ${plugin}
read_restart r.restart
compute s all strain/atom 3.0 maxneigh 20
""", r"the reference in the restart file was stored with other neighbors or maxneigh settings"),
}


# frames of a hot glass (atoms cross the periodic boundaries), then read back by rerun with and
# without their image flags
RERUN_FRAMES = GLASS + """
timestep 0.002
velocity all create 1500 4711 loop geom
fix integrate all nvt temp 1500 1500 0.1
dump w all custom 100 frames.dump id type x y z ix iy iz
dump_modify w sort id format float %.17g
run 500
"""
RERUN = GLASS + """
compute s all strain/atom 3.5
thermo_style custom step c_s
rerun frames.dump dump x y z FIELDS
"""


def rerun_image_flags(lmp):
    """rerun of frames read without image flags: atoms that crossed the box seem to jump by its
    length, and a warning says so (once); read with ix iy iz, no warning."""
    lmp.run("frames", RERUN_FRAMES, np=1)
    warning = r"WARNING: Compute strain/atom s: \d+ atoms \(e.g. atom \d+\) moved by more than half the box"
    output = lmp.run("wrapped", RERUN.replace("FIELDS", ""))
    check(len(re.findall(warning, output)) == 1, "no warning (or more than one) for frames without image flags")
    output = lmp.run("unwrapped", RERUN.replace("FIELDS", "ix iy iz"))
    check(not re.search(warning, output), "a warning although the frames have image flags")


CASES = {
    "rerun_image_flags": rerun_image_flags,
    "cutoff_below_nearest_neighbour": cutoff_below_nearest_neighbour,
    "affine_deformation": affine_deformation,
    "deforming_box": deforming_box,
    "created_atom": created_atom,
    "stock_peer": stock_peer,
    "independent_implementation": independent_implementation,
    "rank_and_thread_invariance": rank_and_thread_invariance,
    "restart": restart,
    "reference_reset": reference_reset,
    "triclinic": triclinic,
    "far_neighbors": far_neighbors,
    "dynamic_group": dynamic_group,
    "invalid_atoms": invalid_atoms,
    "group_atoms": group_atoms,
    "two_dimensional": two_dimensional,
    "nonperiodic": nonperiodic,
}
CASES.update(error_cases(ERRORS, TINY))

# rank_and_thread_invariance and far_neighbors choose their rank counts themselves; errors are
# checked on one rank, and the lost-neighbour errors on 2 by construction.
RANKS = {"rank_and_thread_invariance": (2,), "far_neighbors": (2,)}

if __name__ == "__main__":
    main(CASES, RANKS)
