#!/usr/bin/env python3
"""Integration tests of the band history of compute sbzone/atom (track yes, offset): synthetic
bands whose strain field is an atom-style variable of position and timestep, so that every
evaluation (one per step) sees bands of known geometry. Expected IDs follow the rules of the doc
page, worked out by hand; expected end positions and advances are computed here from the atom
positions of the dump; the shear offset is an imposed rigid displacement."""

import math

from harness import check, check_close, error_cases, main, read_dump, thermo_runs
from inputs import BLOCK, PERIODIC_BLOCK
from sbzone_fields import read_atoms

BASE = ("id", "atoms", "spanning", "extent_x", "extent_y", "extent_z", "axis_x", "axis_y", "axis_z",
        "length", "mean_eta", "front_atoms")
TRACKED = ("persistent", "first_evaluation", "first_step", "low", "high", "low_since_first",
           "high_since_first", "low_since_previous", "high_since_previous", "free_low", "free_high",
           "offset")
SUMMARY = ("bands", "spanning_bands", "new", "ended", "largest_advance", "advance", "advance_since_first",
           "offset_spanning", "offset_nonspanning", "young", "transient")

# one evaluation per step: thermo and fix ave/time every step (the same invocation); atoms do not
# move (no integrator); the strain variable is a function of x, z and step
TRACK = """
compute z all sbzone/atom v_eta link 3.0 minsize 20 track yes ${options}
thermo 1
thermo_style custom step c_z[*]
thermo_modify format float %.17g
dump d all custom 1000 ${name}.dump id x y z
dump_modify d format float %.17g sort id
fix bands all ave/time 1 1 1 c_z[*] mode vector format " %.17g" file ${name}.bands
"""


def read_blocks(path):
    """{step: [row dicts]} from a fix ave/time file of the band array (rows may be 0)."""
    lines = [line.split() for line in path.read_text().splitlines() if not line.startswith("#")]
    blocks, k = {}, 0
    while k < len(lines):
        step, nrows = int(lines[k][0]), int(lines[k][1])
        blocks[step] = [dict(zip(BASE + TRACKED, map(float, row[1:]))) for row in lines[k + 1:k + 1 + nrows]]
        k += 1 + nrows
    return blocks


def summaries(output):
    """{step: summary dict} from the thermo rows (vector values 11-21)."""
    rows = {}
    for run in thermo_runs(output):
        for row in run:
            rows[int(row["Step"])] = {name: row[f"c_z[{11 + k}]"] for k, name in enumerate(SUMMARY)}
    return rows


def run_history(lmp, name, eta, steps, options="", np=None, boundary="s p p", before="", processors="", after=""):
    script = (BLOCK.replace("${boundary}", boundary).replace("region box", processors + "region box") + before + f'variable eta atom "{eta}"\n'
              + TRACK.replace("${options}", options).replace("${name}", name) + after + f"run {steps}\n")
    output = lmp.run(name, script, np=np)
    return read_blocks(lmp.path(f"{name}.bands")), summaries(output), read_atoms(lmp.path(f"{name}.dump"))


# a band in the slab |z - 36| < 3 (filling the periodic y), both ends inside the glass: from x = 30 - 3
# step to 40 + 4 step; the low end moves to smaller x, so the smallest atom ID (the cluster ID) changes
GROWING = "(abs(z-36)<3)*(x>30-3*step)*(x<40+4*step)*0.5"


# a band from the free surface x = 0 at z = 60, down into the glass along (cos th, 0, -sin th):
# th = 44 degrees and 40 A long at step 0, 46 degrees and 50 A at step 1. Near 45 degrees the
# principal axis (its largest component positive) turns from +x-ish to +z-ish: the current axis
# points the other way from the frozen one
TILTED = ("(abs(x*sin(v_th)+(z-60)*cos(v_th))<3)*(x*cos(v_th)-(z-60)*sin(v_th)>=0)"
          "*(x*cos(v_th)-(z-60)*sin(v_th)<v_len)*0.5")


def axis_turning_over(lmp):
    """The free end of a band is the inner one, whichever way its current principal axis points:
    when the axis of a band near 45 degrees turns over (its sign convention), the free end's advance
    along the frozen axis is still the inner end's (+10 A, the imposed growth, within a lattice
    spacing), and the free flags of the row are those of the frozen ends (high: the inner end)."""
    before = "variable th equal (44+2*step)*PI/180\nvariable len equal 40+10*step\n"
    blocks, summary, atoms = run_history(lmp, "turning", TILTED, 1, before=before)
    rows0, rows1 = blocks[0], blocks[1]
    check(len(rows0) == 1 and len(rows1) == 1, f"bands: {len(rows0)} then {len(rows1)}, expected 1 and 1")
    first, second = rows0[0], rows1[0]
    dot = sum(first[f"axis_{d}"] * second[f"axis_{d}"] for d in "xyz")
    check(dot < -0.9, f"the current axis did not turn over (dot {dot:.3f}): the case tests nothing")
    check(second["persistent"] == first["persistent"], "the band lost its persistent ID")
    check(second["free_high"] == 1 and second["free_low"] == 0,
          f"free ends along the frozen axis: low {second['free_low']}, high {second['free_high']}; expected the "
          "high (inner) end free and the low one, at the surface, attached")
    check_close(second["high_since_first"], 50 * math.cos(math.radians(2)) - 40, abs_tol=2.6,
                what="advance of the inner end since the band appeared")
    check_close(summary[1]["advance_since_first"], second["high_since_first"], abs_tol=1e-9,
                what="the summary's advance of free ends since first")


def growing_band(lmp):
    """A band lengthened at both ends by known amounts keeps its persistent ID while its cluster ID
    changes; each end's position along the frozen axis and its advance since the first evaluation
    and since the previous one equal those of the band atoms of the dump (and the imposed 3 and 4 A
    per step to within a lattice spacing)."""
    blocks, summary, atoms = run_history(lmp, "growing", GROWING, 5)
    cluster_ids = set()
    first_low = first_high = None
    for step in range(6):
        rows = blocks[step]
        check(len(rows) == 1, f"step {step}: {len(rows)} bands, expected 1")
        row = rows[0]
        members = [a for a in atoms.values() if abs(a[2] - 36) < 3 and 30 - 3 * step < a[0] < 40 + 4 * step]
        check(row["atoms"] == len(members), f"step {step}: {row['atoms']} atoms, expected {len(members)}")
        check(row["persistent"] == 1 and row["first_evaluation"] == 1 and row["first_step"] == 0,
              f"step {step}: persistent ID {row['persistent']} (first evaluation {row['first_evaluation']}, "
              f"step {row['first_step']}), expected 1 (1, 0)")
        cluster_ids.add(row["id"])
        if step == 0:
            # the frozen frame: the axis (x) and centre of the first evaluation
            check(row["axis_x"] == 1.0, f"axis {row['axis_x']}, expected x")
            centre = sum(a[0] for a in members) / len(members)
        low = min(a[0] for a in members) - centre
        high = max(a[0] for a in members) - centre
        check_close(row["low"], low, abs_tol=1e-6, what=f"step {step}: low end")
        check_close(row["high"], high, abs_tol=1e-6, what=f"step {step}: high end")
        if step == 0:
            first_low, first_high, previous = low, high, (low, high)
            check_close(row["high"] - row["low"], row["length"], abs_tol=1e-9, what="first ends vs length")
        check_close(row["low_since_first"], first_low - low, abs_tol=1e-6, what=f"step {step}: low advance")
        check_close(row["high_since_first"], high - first_high, abs_tol=1e-6, what=f"step {step}: high advance")
        check_close(row["low_since_previous"], previous[0] - low, abs_tol=1e-6, what=f"step {step}: low step")
        check_close(row["high_since_previous"], high - previous[1], abs_tol=1e-6, what=f"step {step}: high step")
        # the imposed advance, to within one lattice spacing (1.8 A between (100) planes)
        check_close(row["low_since_first"], 3.0 * step, abs_tol=1.8, what=f"step {step}: imposed low advance")
        check_close(row["high_since_first"], 4.0 * step, abs_tol=1.8, what=f"step {step}: imposed high advance")
        check(row["free_low"] == 1 and row["free_high"] == 1, f"step {step}: an end inside is not free")
        s = summary[step]
        check(s["bands"] == 1 and s["new"] == (step == 0) and s["ended"] == 0,
              f"step {step}: summary {s}")
        check_close(s["advance"], row["low_since_previous"] + row["high_since_previous"], abs_tol=1e-12,
                    what=f"step {step}: summed advance of the free ends")
        check_close(s["advance_since_first"], row["low_since_first"] + row["high_since_first"], abs_tol=1e-12,
                    what=f"step {step}: summed advance since first")
        check_close(s["largest_advance"], max(row["low_since_previous"], row["high_since_previous"]),
                    abs_tol=1e-12, what=f"step {step}: largest advance")
        previous = (low, high)
    check(len(cluster_ids) > 1, "the cluster ID never changed: the test does not test persistence")


# two bands in the slab: A at 8 < x < 26, B (more atoms) at 40 < x < 66. Step 2: joined. Step 3: cut
# again. Step 4: no band. Step 5: A again.
EVENTS = ("(abs(z-36)<3)*0.5*("
          "(step<2 || step==3)*((x>8)*(x<26) + (x>40)*(x<66))"
          " + (step==2)*(x>8)*(x<66)"
          " + (step==5)*(x>8)*(x<26))")


def merge_cut_vanish(lmp):
    """Persistent IDs through a merge (the band that brought more atoms keeps its ID, the other
    ends), a cut (the larger piece keeps the ID, the other is new), a vanishing (all end) and a
    reappearance (a new ID, never a reused one); the new/ended counts of every evaluation."""
    blocks, summary, _ = run_history(lmp, "events", EVENTS, 5)
    expected = {0: [1, 2], 1: [1, 2], 2: [2], 3: [3, 2], 4: [], 5: [4]}    # in band (cluster ID) order
    new_ended = {0: (2, 0), 1: (0, 0), 2: (0, 1), 3: (1, 0), 4: (0, 2), 5: (1, 0)}
    for step, ids in expected.items():
        got = [int(row["persistent"]) for row in blocks[step]]
        check(got == ids, f"step {step}: persistent IDs {got}, expected {ids}")
        s = summary[step]
        check((s["new"], s["ended"]) == new_ended[step] and s["bands"] == len(ids),
              f"step {step}: bands/new/ended {s['bands']}/{s['new']}/{s['ended']}, expected "
              f"{len(ids)}/{new_ended[step][0]}/{new_ended[step][1]}")
    # the new piece of the cut (ID 3) was first seen at evaluation 4 (step 3); ID 2 at evaluation 1
    first = {int(r["persistent"]): (r["first_evaluation"], r["first_step"]) for r in blocks[3]}
    check(first == {3: (4.0, 3.0), 2: (1.0, 0.0)}, f"first evaluations at step 3: {first}")


def by_id(blocks):
    """Band rows keyed by step and persistent ID, without the smallest atom ID (which differs when
    atoms are numbered differently, not here) - everything else must agree exactly."""
    return {step: {int(r["persistent"]): tuple(sorted((k, v) for k, v in r.items() if k != "id")) for r in rows}
            for step, rows in blocks.items()}


# atoms stream along the periodic y through the processor domains (processors 1 * 1), so that the
# band atoms change processors between evaluations; y does not enter the strain field
MIGRATING = "velocity all set 0 500 0 units box\nfix move all nve\ntimestep 0.001\nneigh_modify every 1 delay 0 check yes\n"


# Fluctuating clusters (all > 20 atoms, link 3): a lasting band P (|z-36| < 3, 20 < x < 52, every
# step), a flicker F1 (|z-12| < 3, 10 < x < 20) on steps 0-1, a flicker F2 (|z-60| < 3, 10 < x < 20)
# on step 3 only, and a slow cluster S (|z-60| < 3, 40 < x < 55) on steps 0-4
FLICKERING = ("((abs(z-36)<3)*(x>20)*(x<52) + (abs(z-12)<3)*(x>10)*(x<20)*(step<2)"
              " + (abs(z-60)<3)*(x>10)*(x<20)*(step==3) + (abs(z-60)<3)*(x>40)*(x<55)*(step<5))*0.5")
ZONES_EVERY_STEP = "dump zones all custom 1 ${name}.*.zones id c_z[1]\n"


def persistence(lmp):
    """persist 2 (timesteps; one evaluation per step): a tracked cluster is a band from its third
    evaluation on. Worked out by hand from
    FLICKERING: the flickers F1 (2 evaluations) and F2 (1) never become bands and are counted as
    transient when they end; P and S become bands at step 2 (new 2), S ends at step 5 (ended 1).
    Rows list the bands only, with the evaluation they were first seen at (1); atoms of young
    clusters are in zone 5 (small clusters), those of bands in a band zone. With persist 1 (the
    default) the flickers are bands, so the case can tell the rule from no rule."""
    expected = {  # step: (bands, new, ended, young, transient)
        0: (0, 0, 0, 3, 0), 1: (0, 0, 0, 3, 0), 2: (2, 2, 0, 0, 1), 3: (2, 0, 0, 1, 1),
        4: (2, 0, 0, 0, 2), 5: (1, 0, 1, 0, 2), 6: (1, 0, 0, 0, 2)}
    blocks, summary, _ = run_history(lmp, "persist", FLICKERING, 6, options="persist 2",
                                     after=ZONES_EVERY_STEP.replace("${name}", "persist"))
    for step, (bands, new, ended, young, transient) in expected.items():
        s = summary[step]
        got = tuple(int(s[k]) for k in ("bands", "new", "ended", "young", "transient"))
        check(got == (bands, new, ended, young, transient),
              f"step {step}: bands/new/ended/young/transient {got}, expected {(bands, new, ended, young, transient)}")
        check(len(blocks[step]) == bands, f"step {step}: {len(blocks[step])} rows, expected {bands} (bands only)")
        for row in blocks[step]:
            check(row["first_evaluation"] == 1, f"step {step}: band {row['persistent']} first seen at evaluation "
                  f"{row['first_evaluation']}, expected 1 (its age counts from when it was first seen)")
        zones = read_dump(lmp.path(f"persist.{step}.zones"))[1]
        atoms = read_atoms(lmp.path("persist.dump"))    # positions: atoms do not move
        lasting = [a for a, (x, y, z, *_) in atoms.items() if abs(z - 36) < 3 and 20 < x < 52]
        flicker = [a for a, (x, y, z, *_) in atoms.items() if abs(z - 12) < 3 and 10 < x < 20]
        p_zones = {zones[a][0] for a in lasting}
        if step < 2:
            check(p_zones == {5.0}, f"step {step}: the young cluster P has zones {p_zones}, expected 5")
            check({zones[a][0] for a in flicker} == {5.0}, f"step {step}: flicker F1 is not in zone 5")
        else:
            check(p_zones <= {2.0, 3.0, 4.0}, f"step {step}: the band P has zones {p_zones}, expected band zones")
    blocks1, summary1, _ = run_history(lmp, "persist1", FLICKERING, 4)
    # evaluations every 5 steps (thermo and fix ave/time every 5): a cluster's age counts timesteps,
    # not evaluations: with persist 4, P is a band at its second evaluation (step 5: 5 steps old; counted
    # in evaluations it would need 4); F1 (steps 0-1)
    # and S (steps 0-4), each seen once (step 0), ended young: 2 transient; F2 (step 3) is never seen
    script_every5 = {"thermo 1": "thermo 5", "ave/time 1 1 1": "ave/time 5 1 5"}
    sparse = BLOCK.replace("${boundary}", "s p p") + f'variable eta atom "{FLICKERING}"\n' + TRACK.replace(
        "${options}", "persist 4").replace("${name}", "sparse")
    for old, new in script_every5.items():
        sparse = sparse.replace(old, new)
    sparse_summary = summaries(lmp.run("sparse", sparse + "run 5\n"))
    check((sparse_summary[0]["bands"], sparse_summary[0]["young"]) == (0, 3)
          and (sparse_summary[5]["bands"], sparse_summary[5]["transient"]) == (1, 2),
          f"evaluations every 5 steps: {sparse_summary}")
    check(len(blocks1[0]) == 3 and summary1[0]["new"] == 3 and summary1[2]["ended"] == 1
          and summary1[4]["transient"] == 0 and summary1[3]["young"] == 0,
          f"persist 1: {len(blocks1[0])} bands at step 0 (expected 3), ended {summary1[2]['ended']} at step 2 "
          f"(expected 1), transient {summary1[4]['transient']}, young {summary1[3]['young']} (expected 0, 0)")


# A cluster first seen as a patch along z (steps 0-1), which becomes a band along x (step 2) through
# the atoms they share, and whose high end then grows by 4 A per step along x
ROTATING = ("((step<2)*(abs(x-36)<3)*(z>20)*(z<52)"
            " + (step>=2)*(abs(z-36)<3)*(x>20)*(x<52+4*(step-2)))*0.5")


def frame_at_establishment(lmp):
    """The frame of a band is frozen when it becomes a band: with persist 2 the patch along z of
    steps 0-1 becomes a band at step 2 with the axis x, and the growth of its high end (8 A by step
    4, within a lattice spacing) is its advance; frozen at first sight (persist 0) along z, the same
    ends read as retreating (the artefact behind the -8.5 A of the shear-band example)."""
    blocks, _, _ = run_history(lmp, "rotating", ROTATING, 4, options="persist 2")
    rows = blocks[4]
    check(len(rows) == 1, f"step 4: {len(rows)} bands, expected 1")
    row = rows[0]
    check(row["first_evaluation"] == 1 and row["axis_x"] > 0.99, f"the band: {row}")
    check_close(row["high_since_first"], 8.0, abs_tol=1.9, what="advance of the high end since the band was established")
    check(abs(row["low_since_first"]) < 1.9, f"the low end did not move, yet advanced {row['low_since_first']}")
    early, _, _ = run_history(lmp, "rotating0", ROTATING, 4)
    control = early[4][0]
    check(min(control["high_since_first"], control["low_since_first"]) < -5.0,
          f"frozen at first sight along z, the ends should read as retreating: {control}")


def rank_invariance(lmp):
    """The same persistent IDs, ends, advances and summaries on 1, 2 and 4 processes, with atoms
    migrating between processors, for the growing band and the merge/cut sequence."""
    for name, eta, steps, options in (("growing", GROWING, 5, ""), ("events", EVENTS, 5, ""),
                                      ("flickering", FLICKERING, 6, "persist 2")):
        runs = {np: run_history(lmp, f"{name}_np{np}", eta, steps, np=np, before=MIGRATING, options=options,
                                processors="processors 1 * 1\n")
                for np in (1, 2, 4)}
        check(any(runs[1][0].values()), f"{name}: no band")
        for np in (2, 4):
            check(by_id(runs[np][0]) == by_id(runs[1][0]), f"{name}: band rows on {np} ranks differ from 1 rank")
            check(runs[np][1] == runs[1][1], f"{name}: summaries on {np} ranks differ from 1 rank")


RESTART_TAIL = """
compute z all sbzone/atom v_eta link 3.0 minsize 20 track yes
thermo 1
thermo_style custom step c_z[*]
thermo_modify format float %.17g
fix bands all ave/time 1 1 1 c_z[*] mode vector format " %.17g" file ${name}.bands
"""


def restart(lmp):
    """A sequence interrupted by write_restart / read_restart continues exactly: the rows and
    summaries after the restart are those of the uninterrupted run (IDs, first evaluations, ends,
    advances since first and since the previous evaluation)."""
    steps = 5
    eta = f'variable eta atom "{EVENTS} + (abs(z-12)<3)*(x>30-3*step)*(x<40+4*step)*0.5"\n'
    # periodic: a shrink-wrapped box is recomputed with another margin after read_restart, which
    # moves positions relative to the box by ~1e-8 A
    block = BLOCK.replace("${boundary}", "p p p")
    whole = block + eta + RESTART_TAIL.replace("${name}", "whole") + f"run {steps}\n"
    out_whole = lmp.run("whole", whole)
    first = (block + eta + RESTART_TAIL.replace("${name}", "first")
             + "run 3\nwrite_restart mid.restart\n")
    lmp.run("first", first)
    second = ("plugin load ${plugin}\nread_restart mid.restart\npair_style zero 4.0\npair_coeff * *\n" + eta
              + RESTART_TAIL.replace("${name}", "second") + f"run {steps - 3}\n")
    out_second = lmp.run("second", second)
    whole_blocks, second_blocks = read_blocks(lmp.path("whole.bands")), read_blocks(lmp.path("second.bands"))
    check(any(len(rows) > 1 for rows in whole_blocks.values()), "the sequence has no two bands at once")
    for step in range(3, steps + 1):
        check(by_id({step: second_blocks[step]}) == by_id({step: whole_blocks[step]}),
              f"step {step}: band rows after the restart differ from the uninterrupted run")
    after, reference = summaries(out_second), summaries(out_whole)
    for step in range(3, steps + 1):
        check(after[step] == reference[step], f"step {step}: summaries after the restart differ: "
                                              f"{after[step]} != {reference[step]}")
    # the history's clusters were those of link 3.0 and minsize 20: other values are refused
    for changed in ("link 3.5 minsize 20", "link 3.0 minsize 10"):
        lmp.run("changed", second.replace("link 3.0 minsize 20", changed), expect_error=(
            r"Compute sbzone/atom z: link .* and minsize .* differ from the link 3 and minsize 20 the "
            r"band history was made with"))
    lmp.run("changed", second.replace("track yes", "track yes persist 2"), expect_error=(
        r"Compute sbzone/atom z: persist 2 differs from the persist 0 the band history was made with"))


def persistence_restart(lmp):
    """With persist 2, a run interrupted at step 3 (F2 young, one transient cluster counted) continues
    exactly: rows and summaries (young and transient counts included) equal the uninterrupted run's."""
    block = BLOCK.replace("${boundary}", "p p p")
    eta = f'variable eta atom "{FLICKERING}"\n'
    tail = RESTART_TAIL.replace("track yes", "track yes persist 2")
    out_whole = lmp.run("pwhole", block + eta + tail.replace("${name}", "pwhole") + "run 6\n")
    lmp.run("pfirst", block + eta + tail.replace("${name}", "pfirst") + "run 3\nwrite_restart pmid.restart\n")
    out_second = lmp.run("psecond", "plugin load ${plugin}\nread_restart pmid.restart\npair_style zero 4.0\n"
                         "pair_coeff * *\n" + eta + tail.replace("${name}", "psecond") + "run 3\n")
    whole, second = read_blocks(lmp.path("pwhole.bands")), read_blocks(lmp.path("psecond.bands"))
    reference, after = summaries(out_whole), summaries(out_second)
    check(reference[3]["young"] == 1 and reference[4]["transient"] == 2, "the sequence lost its young clusters")
    for step in range(3, 7):
        check(by_id({step: second[step]}) == by_id({step: whole[step]}), f"step {step}: rows differ after the restart")
        check(after[step] == reference[step], f"step {step}: summaries after the restart differ: "
                                              f"{after[step]} != {reference[step]}")


# A plane of imposed strain |z - 36.9| < 2 (the atomic planes z = 36 and 37.8: none lies on the band's
# plane z = 36.9) through the periodic box, and the atoms above it (z > 39)
# displaced rigidly by (0.7, 0.3, 0) in the plane after the strain/displacement references were taken
# (the band atoms stay: displacing half of them would tilt the band's plane by ~0.02 rad)
OFFSET = """
compute s all strain/atom 3.0
compute d all displace/atom
variable eta atom "(abs(z-36.9)<2)*${extent}*0.5"
displace_atoms top move 0.7 0.3 0 units box
${after}
compute z all sbzone/atom v_eta link 3.0 minsize 20 offset 4.0 ${source}
thermo_style custom step c_z[*]
thermo_modify format float %.17g
fix bands all ave/time 1 1 1 c_z[*] mode vector format " %.17g" file ${name}.bands
dump d all custom 1 ${name}.dump id x y z
dump_modify d format float %.17g sort id
run 0
"""
SLIP = math.hypot(0.7, 0.3)


def offset_case(lmp, name, source, extent="1", after="", boundary="p p p", top_x="INF"):
    script = (BLOCK.replace("${boundary}", boundary) + f"region top block INF {top_x} INF INF 39 INF units box\n"
              + "group top region top\n"
              + OFFSET.replace("${extent}", extent).replace("${after}", after).replace("${source}", source)
              .replace("${name}", name))
    output = lmp.run(name, script)
    rows = read_blocks(lmp.path(f"{name}.bands"))
    return list(rows.values())[-1], summaries(output)


def shear_offset(lmp):
    """A rigid offset of known size across a band's plane is its shear offset, to 1 % (in fact to
    rounding): from compute strain/atom's reference and from compute displace/atom, for a spanning
    band; for a band that ends inside, the offset of the definition computed here; and the mean
    offsets of the summary."""
    for source in ("s", "d"):
        rows, summary = offset_case(lmp, f"offset_{source}", source)
        check(len(rows) == 1 and rows[0]["spanning"] == 1, f"source {source}: bands {rows}")
        check_close(rows[0]["offset"], SLIP, rel=0.01, what=f"source {source}: shear offset")
        check_close(rows[0]["offset"], SLIP, abs_tol=1e-9, what=f"source {source}: shear offset (rounding)")
        check_close(list(summary.values())[-1]["offset_spanning"], SLIP, abs_tol=1e-9, what="mean SSB offset")
    # A band that ends inside (10 < x < 50), and only the atoms above it at x < 30 displaced: the
    # offset counts the matrix atoms within 4 A of its plane between its ends (the displaced ones
    # beyond its end at x = 10 do not count); computed here from the positions of the dump
    rows, summary = offset_case(lmp, "offset_nsb", "s", extent="(x>10)*(x<50)", boundary="s p p", top_x="30")
    check(len(rows) == 1 and rows[0]["spanning"] == 0, f"band that ends inside: {rows}")
    atoms = read_atoms(lmp.path("offset_nsb.dump"))
    expected = offset_by_hand(atoms, between_ends=True)
    unrestricted = offset_by_hand(atoms, between_ends=False)
    check(abs(expected - unrestricted) > 0.01, f"offsets by hand {expected}, {unrestricted}: the ends do not matter")
    check_close(rows[0]["offset"], expected, abs_tol=1e-9, what="non-spanning band: shear offset")
    check_close(list(summary.values())[-1]["offset_nonspanning"], expected, abs_tol=1e-9, what="mean NSB offset")


def offset_by_hand(atoms, between_ends, distance=4.0):
    """The shear offset of the doc page's definition for the band 10 < x < 50, |z - 36.9| < 2 (its
    atoms did not move: axis x, plane z = their mean z): the matrix atoms within `distance` of the
    plane (and, if between_ends, with x between the band's ends) on either side; displacement
    (0.7, 0.3, 0) for the atoms that were at z > 39, x < 30, else 0."""
    def in_band(a):
        return abs(a[2] - 36.9) < 2 and 10 < a[0] < 50
    band = [a for a in atoms.values() if in_band(a)]
    centre_z = sum(a[2] for a in band) / len(band)
    low, high = min(a[0] for a in band), max(a[0] for a in band)
    sides = {1: [], -1: []}
    for a in atoms.values():
        side = a[2] - centre_z
        if in_band(a) or side == 0 or abs(side) > distance or (between_ends and not low <= a[0] <= high):
            continue
        sides[1 if side > 0 else -1].append((0.7, 0.3) if a[2] > 39 and a[0] < 30 else (0.0, 0.0))
    jump = [sum(u[k] for u in sides[1]) / len(sides[1]) - sum(u[k] for u in sides[-1]) / len(sides[-1])
            for k in range(2)]
    return math.hypot(*jump)


def offset_without_affine_part(lmp):
    """The box sheared homogeneously (xz tilt, atoms remapped) after the offset: from compute
    strain/atom the offset is still the imposed slip (the displacement is taken without the affine
    deformation of the box), while the raw displacements of compute displace/atom add the shear's
    jump between the two sides (the test's premise: it would fail without the affine part removed)."""
    after = "change_box all triclinic\nchange_box all xz delta 3.6 remap units box\n"
    strain_rows, _ = offset_case(lmp, "affine_s", "s", after=after)
    # (the shear tilts the band's plane by ~2.5e-4 rad, which changes the tangential part by ~3e-8)
    check_close(strain_rows[0]["offset"], SLIP, rel=1e-6, what="offset from strain/atom after a shear")
    raw_rows, _ = offset_case(lmp, "affine_d", "d", after=after)
    check(abs(raw_rows[0]["offset"] - SLIP) > 0.1,
          f"offset from displace/atom {raw_rows[0]['offset']}: no affine jump, the test shows nothing")


RUN = "\nthermo_style custom step c_z[1]\nrun 0"
ERRORS = {
    "zero_offset": ("compute z all sbzone/atom s offset 0", r"Illegal compute sbzone/atom offset 0: must be > 0"),
    "offset_without_distance": ("compute z all sbzone/atom s offset",
                                r"Illegal compute sbzone/atom offset command: missing argument"),
    "offset_of_variable": ("compute z all sbzone/atom v_e link 3 offset 4",
                           r"offset needs the ID of a compute strain/atom or displace/atom"),
    "offset_unknown_compute": ("compute z all sbzone/atom s offset 4 nosuch" + RUN,
                               r"Compute sbzone/atom z: offset compute ID nosuch does not exist"),
    "offset_without_displacements": ("compute ke all ke/atom\ncompute z all sbzone/atom s offset 4 ke" + RUN,
                                     r"offset compute ke is of style ke/atom, which gives no displacements"),
    "offset_beyond_half_box": ("compute z all sbzone/atom s offset 7.3" + RUN,
                               r"offset 7.3 must be below half the smallest periodic width"),
    "bad_track": ("compute z all sbzone/atom s track maybe", r"Expected boolean parameter instead of 'maybe'"),
    "negative_persist": ("compute z all sbzone/atom s persist -1",
                         r"Illegal compute sbzone/atom persist -1: must be >= 0 \(timesteps\)"),
    "persist_without_value": ("compute z all sbzone/atom s persist",
                              r"Illegal compute sbzone/atom persist command: missing argument"),
    "offset_compute_named_like_keyword": (
        "compute track all displace/atom\ncompute z all sbzone/atom s offset 4 track minsize 20" + RUN,
        r"Compute sbzone/atom offset: track is both a keyword and the ID of a compute: to use the "
        r"compute, put 'offset 4 track' last"),
    # displace/atom gives atoms outside its group 0: a slip across the band would read 0
    "offset_displace_of_smaller_group": (
        "region left block 0 5 INF INF INF INF\ngroup left region left\ncompute d left displace/atom\n"
        "compute z all sbzone/atom v_e link 3 offset 4 d" + RUN,
        r"Compute sbzone/atom z: \d+ atoms of group all are not in group left of offset compute d"),
}

def offset_compute_named_like_keyword(lmp):
    """An offset compute whose ID is a keyword name ('track'), given last, is the offset source."""
    output = lmp.run("named_track", PERIODIC_BLOCK + "compute track all displace/atom\n"
                     "compute z all sbzone/atom v_e link 3 offset 4 track" + RUN + "\n")
    check("ERROR" not in output, "the compute named track was not taken as the offset source")


CASES = {
    "axis_turning_over": axis_turning_over,
    "offset_compute_named_like_keyword": offset_compute_named_like_keyword,
    "growing_band": growing_band,
    "merge_cut_vanish": merge_cut_vanish,
    "persistence": persistence,
    "frame_at_establishment": frame_at_establishment,
    "persistence_restart": persistence_restart,
    "rank_invariance": rank_invariance,
    "restart": restart,
    "shear_offset": shear_offset,
    "offset_without_affine_part": offset_without_affine_part,
}
CASES.update(error_cases(ERRORS, PERIODIC_BLOCK))
RANKS = {"rank_invariance": (1,)}    # runs 1, 2 and 4 processes itself

if __name__ == "__main__":
    main(CASES, RANKS)
