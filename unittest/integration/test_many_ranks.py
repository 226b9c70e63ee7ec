#!/usr/bin/env python3
"""The features that communicate across processor domains on 8 and 16 ranks (oversubscribed, small
samples in which every rank still owns atoms), against 1 rank and the independent references of
the 1-4 rank tests: far reference neighbours fetched by atom ID, bands and their history with a
band crossing 4 domains, the statistics of compute rejuvenation, and fix thermal/cycle restarted
from 8 or 16 ranks onto 4. Run by CI's many-rank part (tools/run-tests.sh --many-ranks, label
manyranks), not by the README's test command: 16 processes on 2 cores take minutes."""

import test_rejuvenation
import test_sbzone_history as history
import test_strain_far
from harness import check, check_close, main, read_table
from test_thermal_cycle import GLASS, RESTART_HEADER, all_rows

# processor grids that split x (the axis of the bands of test_sbzone_history) into 4 domains, y
# (the direction atoms stream along, MIGRATING) into 2, and z (across the bands) into 1 or 2
GRIDS = {8: "processors 4 2 1\n", 16: "processors 4 2 2\n"}


def band_history_across_domains(lmp):
    """Bands that grow, merge, are cut, vanish and flicker (persist 2), with atoms streaming between
    processors: the same persistent IDs, ends, advances and summaries as on 1 rank, each band
    crossing 4 domains along its axis."""
    cases = (("growing", history.GROWING, 5, ""), ("events", history.EVENTS, 5, ""),
             ("flickering", history.FLICKERING, 6, "persist 2"))
    for name, eta, steps, options in cases:
        one = history.run_history(lmp, f"{name}_np1", eta, steps, np=1, before=history.MIGRATING, options=options)
        many = history.run_history(lmp, f"{name}_np{lmp.np}", eta, steps, np=lmp.np, before=history.MIGRATING,
                                   options=options, processors=GRIDS[lmp.np])
        check(any(one[0].values()), f"{name}: no band")
        check(history.by_id(many[0]) == history.by_id(one[0]), f"{name}: band rows on {lmp.np} ranks differ from 1 rank")
        check(many[1] == one[1], f"{name}: summaries on {lmp.np} ranks differ from 1 rank")


# one cycle (as in test_thermal_cycle.mpi_equality): cooling 220/300 ps = 367 steps, cold hold
# 0.4 ps (steps 367-567), heating, hot hold: 1134 steps
CYCLES = """
fix integrate all nve
fix tstat all temp/berendsen 300 300 0.1
fix cycle all thermal/cycle tstat 300 80 1 rate 300 300 hold 0.4 0.4 report/append ${report}
thermo_style custom step time f_cycle f_cycle[1] f_cycle[2] pe temp vol
thermo_modify format float %.15g
thermo 10
"""


def thermal_cycle_restart_onto_4(lmp):
    """A cycle on 1 rank against the same run started on 16 ranks, written to a restart file in the
    cold hold (step 450), and continued on 4 ranks: the same target, phase and
    elapsed time at every step; report rows with the same steps and sample counts, and hold means
    that agree to 1e-6 (the limit of the 1 vs 2 rank test, mpi_equality: MD on other rank counts
    differs in the last bits and the differences grow)."""
    whole = all_rows(lmp.run("whole", GLASS + CYCLES + "run 1200\n", np=1, variables={"report": "whole.txt"}))
    split = all_rows(lmp.run("first", GLASS + CYCLES + "run 450\nwrite_restart cycle.restart\n", np=lmp.np,
                             variables={"report": "split.txt"}))
    output = lmp.run("second", RESTART_HEADER + CYCLES + "run 750\n", np=4,
                     variables={"report": "split.txt", "restart": "cycle.restart"})
    check("fix style: thermal/cycle, fix ID: cycle" in output, "the fix state was not restored")
    split += all_rows(output)
    by_step = {row["Step"]: row for row in split}
    check(sorted(by_step) == sorted(row["Step"] for row in whole), "the split runs cover other steps")
    for row in whole:
        for column in ("Time", "f_cycle", "f_cycle[1]", "f_cycle[2]"):
            check(by_step[row["Step"]][column] == row[column],
                  f"step {row['Step']:.0f}: {column} {by_step[row['Step']][column]} != {row[column]}")
    a, b = read_table(lmp.path("whole.txt")), read_table(lmp.path("split.txt"))
    check(len(a) == 1 and len(b) == 1, f"expected 1 report row each, got {len(a)} and {len(b)}")
    for row_a, row_b in zip(a, b):
        check(row_a[:4] == row_b[:4] and row_a[7] == row_b[7], f"step ranges or sample counts differ: {row_a} vs {row_b}")
        for x, y in zip(row_a, row_b):
            check_close(y, x, rel=1e-6, what=f"report value {lmp.np} -> 4 ranks vs 1 rank")


CASES = {
    # far reference neighbours against the NumPy reference of test_strain_far, as on 1-4 ranks
    "strain_far_slip": test_strain_far.far_slip,
    "strain_far_migration": test_strain_far.migration,
    "strain_far_restart": test_strain_far.restart,
    "band_history_across_domains": band_history_across_domains,
    "rejuvenation_rank_invariance": test_rejuvenation.rank_invariance,
    "thermal_cycle_restart_onto_4": thermal_cycle_restart_onto_4,
}

if __name__ == "__main__":
    ranks = {name: (8, 16) for name in CASES}
    ranks["thermal_cycle_restart_onto_4"] = (16,)    # the slowest case: from 16 ranks only
    main(CASES, ranks)
