#!/usr/bin/env python3
"""Integration tests of fix thermal/cycle in the host lmp.

References: the independent schedule of reference_schedule.py evaluated at LAMMPS's own `time`
thermo keyword, stock computes (pe/atom + reduce, temp) in the same run, and the same run split by
restart files or run on another number of ranks.
"""

import math
import re

from harness import check, check_close, error_cases, main, read_table, thermo_runs
from inputs import GLASS_CUZR, TINY_CUZR
from reference_schedule import COLD_HOLD, DONE, HOLDS, HOT_HOLD, Schedule

GLASS = GLASS_CUZR + "timestep 0.002\n"

THERMO = """
thermo_style custom step time dt temp pe vol f_cycle f_cycle[1] f_cycle[2] f_cycle[3] f_cycle[4] &
             f_cycle[5] f_cycle[6] f_cycle[7]
thermo_modify format float %.15g
"""


def all_rows(output):
    return [row for run in thermo_runs(output) for row in run]


def check_targets(rows, schedule, dt_min):
    """Every printed step: target, phase, cycles, elapsed and time left match the reference at the
    step's simulation time (LAMMPS's own time accounting, independent of the fix's clock)."""
    check(rows, "no thermo rows were printed")
    for row in rows:
        time = row["Time"]
        target, phase, completed = schedule.at(time, tol=1e-6 * dt_min)
        where = f"step {row['Step']:.0f}, time {time}"
        check_close(row["f_cycle"], target, rel=1e-10, what=f"target at {where}")
        check(row["f_cycle[2]"] == phase, f"phase {row['f_cycle[2]']} != {phase} at {where}")
        check(row["f_cycle[1]"] == completed, f"cycles {row['f_cycle[1]']} != {completed} at {where}")
        check_close(row["f_cycle[3]"], time, rel=1e-12, abs_tol=1e-12, what=f"elapsed at {where}")
        check_close(row["f_cycle[4]"], schedule.time_left(time), abs_tol=1e-9,
                    what=f"time left at {where}")


def schedule(lmp):
    """Targets follow the analytic schedule across runs with different timesteps."""
    script = GLASS + """
fix integrate all nve
fix tstat all langevin 300 300 0.1 48279
fix cycle all thermal/cycle tstat 300 80 2 rate 200 100 hold 0.5 0.3
""" + THERMO + """
thermo 5
run 1500
timestep 0.001
run 2000
timestep 0.0025
run 1400
"""
    rows = all_rows(lmp.run("schedule", script))
    reference = Schedule(300, 80, 2, 200, 100, 0.5, 0.3)
    check_targets(rows, reference, dt_min=0.001)
    phases = {row["f_cycle[2]"] for row in rows}
    check(phases == {0, 1, 2, 3, 4}, f"not every phase was visited: {sorted(phases)}")
    check(rows[-1]["f_cycle"] == 300 and rows[-1]["f_cycle[2]"] == DONE, "schedule did not finish")


def variable_timestep(lmp):
    """fix dt/reset changes the timestep every step; the schedule follows simulation time whether
    fix dt/reset acts before or after fix thermal/cycle in a step."""
    for order in ("before", "after"):
        dt_reset = "fix dtr all dt/reset 1 1.0e-4 0.003 0.004 units box\n"
        cycle = "fix cycle all thermal/cycle tstat 300 80 1 rate 300 300 hold 0.3 0.3\n"
        fixes = dt_reset + cycle if order == "before" else cycle + dt_reset
        script = GLASS + "fix integrate all nve\nfix tstat all langevin 300 300 0.1 48279\n" + \
            fixes + THERMO + "thermo 1\nrun 1500\n"
        rows = all_rows(lmp.run(f"dt_reset_{order}", script))
        timesteps = {row["Dt"] for row in rows}
        check(len(timesteps) > 20, f"fix dt/reset did not vary the timestep ({len(timesteps)} values)")
        check_targets(rows, Schedule(300, 80, 1, 300, 300, 0.3, 0.3), dt_min=min(timesteps))


def start_low_zero_holds(lmp):
    """start low heats first; zero holds give report rows without samples (nan)."""
    script = GLASS + """
fix integrate all nve
fix tstat all langevin 80 80 0.1 48279
fix cycle all thermal/cycle tstat 300 80 2 rate 400 400 hold 0 0 start low report report.txt
""" + THERMO + """
thermo 2
run 1200
"""
    rows = all_rows(lmp.run("start_low", script))
    reference = Schedule(300, 80, 2, 400, 400, 0, 0, start="low")
    check_targets(rows, reference, dt_min=0.002)
    check(rows[0]["f_cycle"] == 80 and rows[0]["f_cycle[2]"] == 2, "start low must begin heating at Tlow")
    check(not {row["f_cycle[2]"] for row in rows} & set(HOLDS), "a zero hold was visited")
    report = read_table(lmp.path("report.txt"))
    check(len(report) == 2, f"expected 2 report rows, got {len(report)}")
    for row in report:
        check(row[3] == 0 and row[7] == 0, f"zero holds cannot have samples: {row}")
        check(all(math.isnan(v) for v in row[4:7] + row[8:11]), f"hold means must be nan: {row}")
    check(rows[-1]["f_cycle[5]"] == 0.0, "no cold hold yet: the last cold-hold energy must stay 0")


def hold_means(rows, reference, cycle, hold, every, columns):
    """Means of the given thermo columns over the steps fix thermal/cycle samples: steps of
    the hold of `cycle` (by the reference schedule) that are multiples of `every`."""
    picked = [row for row in rows
              if reference.at(row["Time"], 2e-9)[1:] == (hold, cycle) and row["Step"] % every == 0]
    return len(picked), [sum(row[c] for row in picked) / len(picked) if picked else math.nan
                         for c in columns]


def follows_langevin(group):
    def case(lmp):
        """A Langevin-thermostatted glass follows the schedule during holds; the report's hold
        means over the fix group equal the means of stock computes over the same steps; the step
        ranges match the schedule. (Group all samples the global energy, a subgroup per-atom
        energies: both paths are checked.)"""
        script = GLASS + """
group cu type 1
fix integrate all nve
fix tstat all langevin 300 300 0.05 48279 zero yes
fix cycle ${group} thermal/cycle tstat 300 80 2 rate 200 200 hold 1 1 every 2 report report.txt
compute pe_group ${group} pe/atom
compute pe_mean ${group} reduce ave c_pe_group
compute temp_group ${group} temp
thermo_style custom step time temp c_temp_group c_pe_mean vol f_cycle f_cycle[1] f_cycle[2] &
             f_cycle[5] f_cycle[6] f_cycle[7]
thermo_modify format float %.15g
thermo 1
run 4210
"""
        check_follows(lmp, all_rows(lmp.run("follows", script, variables={"group": group})))
    return case


def check_follows(lmp, rows):
    reference = Schedule(300, 80, 2, 200, 200, 1, 1)
    report = read_table(lmp.path("report.txt"))
    check(len(report) == 2, f"expected 2 report rows, got {len(report)}")
    # the thermostat lags a 200 K/ps ramp by ~rate*damp = 10 K for ~0.05 ps, < 1 % of a 1 ps hold
    # mean; the statistical error of a hold mean of 553 atoms is ~1 %: allow 5 %.
    columns = ["c_temp_group", "c_pe_mean", "Volume"]
    for cycle, row in enumerate(report):
        step_end = min(r["Step"] for r in rows if reference.at(r["Time"], 2e-9)[2] > cycle)
        step_begin = 0 if cycle == 0 else report[cycle - 1][2]
        check(row[0] == cycle + 1 and row[1] == step_begin and row[2] == step_end,
              f"cycle {cycle + 1} step range {row[:3]} != [{step_begin}, {step_end}]")
        for hold, first, t_hold in ((COLD_HOLD, 3, 80.0), (HOT_HOLD, 7, 300.0)):
            count, means = hold_means(rows, reference, cycle, hold, 2, columns)
            check(row[first] == count, f"cycle {cycle + 1} hold {hold}: {row[first]} samples, "
                                       f"thermo has {count}")
            for value, mean, name in zip(row[first + 1:first + 4], [means[1], means[0], means[2]],
                                         ["pe", "temp", "vol"]):
                check_close(value, mean, rel=1e-9, what=f"cycle {cycle + 1} hold {hold} {name}")
            check_close(row[first + 2], t_hold, rel=0.05, what=f"cycle {cycle + 1} mean T in hold")
    last = rows[-1]
    check_close(last["f_cycle[5]"], report[-1][4], rel=1e-12, what="vector: last cold pe")
    check_close(last["f_cycle[6]"], report[-1][8], rel=1e-12, what="vector: last hot pe")
    check_close(last["f_cycle[7]"], report[-1][6], rel=1e-12, what="vector: last cold volume")


THERMOSTATS = {
    "nvt": "fix tstat all nvt temp 300 300 0.1",
    "npt": "fix tstat all npt temp 300 300 0.1 iso 0 0 1",
    "langevin": "fix integrate all nve\nfix tstat all langevin 300 300 0.1 48279",
    "berendsen": "fix integrate all nve\nfix tstat all temp/berendsen 300 300 0.1",
    # fraction 0.5: temp/rescale moves its own t_target, which must not be mistaken for an override
    "rescale": "fix integrate all nve\nfix tstat all temp/rescale 1 300 300 5 0.5",
    "csvr": "fix integrate all nve\nfix tstat all temp/csvr 300 300 0.1 48279",
}


def thermostat_case(style):
    def case(lmp):
        """The stock thermostat is driven: targets follow the schedule, and the measured
        temperature in the second half of each hold is within 10 % of the hold temperature."""
        script = GLASS + THERMOSTATS[style] + """
fix cycle all thermal/cycle tstat 300 100 1 rate 400 400 hold 0.8 0.8
""" + THERMO + """
thermo 1
run 1300
"""
        rows = all_rows(lmp.run(f"thermostat_{style}", script))
        reference = Schedule(300, 100, 1, 400, 400, 0.8, 0.8)
        check_targets(rows, reference, dt_min=0.002)
        # holds: cold [0.5, 1.3] ps, hot [1.8, 2.6] ps; second halves start at 0.9 and 2.2 ps
        for t_from, t_to, t_hold in ((0.9, 1.3, 100.0), (2.2, 2.6, 300.0)):
            temps = [r["Temp"] for r in rows if t_from <= r["Time"] < t_to]
            check_close(sum(temps) / len(temps), t_hold, rel=0.10,
                        what=f"{style}: mean T over [{t_from}, {t_to}) ps")
    return case


RESTART_SETUP = """
atom_modify sort 0 0.0
neigh_modify every 1 delay 0 check no
fix integrate all nve
fix tstat all temp/berendsen 300 300 0.1
fix cycle all thermal/cycle tstat 300 80 2 rate 200 200 hold 0.6 0.6 report/append ${report}
thermo_style custom step time f_cycle f_cycle[1] f_cycle[2] pe temp vol
thermo_modify format float %.15g
thermo 1
"""

RESTART_HEADER = """
plugin load ${plugin}
units metal
read_restart ${restart}
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
"""
RESTARTED = RESTART_HEADER + RESTART_SETUP
# The plugin loaded only after read_restart: LAMMPS keeps the state of a fix in the restart file
# until a fix with its ID and style is defined (before the next run), whatever the style's origin.
RESTART_HEADER_PLUGIN_AFTER = """
read_restart ${restart}
plugin load ${plugin}
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
"""
RESTORED = "Resetting global fix info from restart file:\n  fix style: thermal/cycle, fix ID: cycle"


def restart(lmp):
    """2 cycles in one run equal 1 cycle + restart + part of the cold hold + restart + the rest:
    same target at every step, same report rows (hold sums are carried through the restart).
    The first restarted input loads the plugin after read_restart, the second before it: both
    orders restore the fix. A fix defined only after the first run of a restarted input starts
    a new schedule."""
    # one cycle: cooling 1.1 ps + 0.6 + heating 1.1 + 0.6 = 3.4 ps = 1700 steps
    whole = all_rows(lmp.run("continuous", GLASS + RESTART_SETUP + "run 3450\n",
                             variables={"report": "continuous.txt"}))
    split = all_rows(lmp.run("part1", GLASS + RESTART_SETUP + "run 1700\nwrite_restart r1.restart\n",
                             variables={"report": "split.txt"}))
    # step 2400 lies in the cold hold of cycle 2 (2250 .. 2550)
    output = lmp.run("part2", RESTART_HEADER_PLUGIN_AFTER + RESTART_SETUP + "run 700\nwrite_restart r2.restart\n",
                     variables={"report": "split.txt", "restart": "r1.restart"})
    check(RESTORED in output, "plugin loaded after read_restart: the fix state was not restored")
    split += all_rows(output)
    output = lmp.run("part3", RESTARTED + "run 1050\n",
                     variables={"report": "split.txt", "restart": "r2.restart"})
    check(RESTORED in output, "plugin loaded before read_restart: the fix state was not restored")
    split += all_rows(output)
    whole_by_step = {row["Step"]: row for row in whole}
    split_by_step = {row["Step"]: row for row in split}
    check(sorted(whole_by_step) == sorted(split_by_step), "the split runs cover other steps")
    for step, row in whole_by_step.items():
        for column in ("f_cycle", "f_cycle[1]", "f_cycle[2]"):
            check(split_by_step[step][column] == row[column],
                  f"step {step:.0f}: {column} {split_by_step[step][column]} != {row[column]}")
    a, b = read_table(lmp.path("continuous.txt")), read_table(lmp.path("split.txt"))
    check(len(a) == 2 and len(b) == 2, f"expected 2 report rows each, got {len(a)} and {len(b)}")
    worst = 0.0
    for row_a, row_b in zip(a, b):
        check(row_a[:4] == row_b[:4] and row_a[7] == row_b[7],
              f"step ranges or sample counts differ: {row_a} vs {row_b}")
        for x, y in zip(row_a, row_b):
            worst = max(worst, abs(x - y) / max(abs(x), 1e-300))
    print(f"largest relative difference continuous vs restarted report: {worst:.3g}")
    check(worst <= 1e-10, f"report rows differ after restart by {worst:.3g} (relative)")

    # LAMMPS drops the fix states of a restart file at the first run: defined after it, the fix
    # starts a new schedule at time 0 (1 cycle complete at step 1700 in the restart file).
    late = RESTART_HEADER_PLUGIN_AFTER + "run 0\n" + RESTART_SETUP.replace(
        "thermo_style custom step time", "thermo_style custom step time f_cycle[3]") + "run 10\n"
    output = lmp.run("late", late, variables={"report": "late.txt", "restart": "r1.restart"})
    check("Unused restart file global fix info" in output and RESTORED not in output,
          "a fix defined after the first run must not take over the restart state")
    last = thermo_runs(output)[-1][-1]
    check(last["Step"] == 1710 and last["f_cycle[1]"] == 0, f"fix defined late: {last}")
    check_close(last["f_cycle[3]"], 10 * 0.002, rel=1e-12, what="schedule time of a new fix after 10 steps")


def restart_new_schedule(lmp):
    """Re-specified with another schedule after read_restart: a warning, and cycle count and
    phase re-derived from the schedule time under the new schedule."""
    script = GLASS + """
fix integrate all nve
fix tstat all langevin 300 300 0.1 48279
fix cycle all thermal/cycle tstat 300 80 3 rate 400 400 hold 0.2 0.2
run 1000
write_restart r.restart
"""
    lmp.run("first", script)
    # 1000 steps = 2 ps: cycle 1 (1.5 ps) complete, cycle 2 cooling. With 1 cycle it is done.
    again = """
plugin load ${plugin}
units metal
read_restart r.restart
pair_style eam/fs
pair_coeff * * ${potential} Cu Zr
fix integrate all nve
fix tstat all langevin 300 300 0.1 48279
fix cycle all thermal/cycle tstat 300 80 1 rate 400 400 hold 0.2 0.2
print "before the run: target $(f_cycle) phase $(f_cycle[2])"
thermo_style custom step f_cycle f_cycle[1] f_cycle[2] f_cycle[3]
run 10
"""
    output = lmp.run("again", again)
    check("schedule differs from the restart file" in output, "no warning about the new schedule")
    # before the run f_cycle is the target the run starts at: T_high, the one cycle being done (the
    # old schedule's target at 2 ps was 100 K, 0.5 ps into the cooling ramp of cycle 2)
    before = re.search(r"before the run: target (\S+) phase (\S+)", output)
    check(before and float(before[1]) == 300 and float(before[2]) == DONE,
          f"f_cycle before the run under the new schedule: {before and before.group(0)}")
    last = thermo_runs(output)[-1][-1]
    check(last["f_cycle[1]"] == 1 and last["f_cycle[2]"] == DONE and last["f_cycle"] == 300,
          f"state not re-derived under the new schedule: {last}")
    check_close(last["f_cycle[3]"], 2.02, rel=1e-12, what="schedule time carried over")


def halt(lmp):
    """halt yes ends the run on the step the last cycle completes; later runs go on."""
    script = GLASS + """
fix integrate all nve
fix tstat all langevin 300 300 0.1 48279
fix cycle all thermal/cycle tstat 300 80 1 rate 400 400 hold 0.2 0.2 halt yes report report.txt
thermo_style custom step time f_cycle f_cycle[2]
thermo 50
run 100000
print "halted at step $(step)"
run 20
print "second run ended at step $(step) with target $(f_cycle)"
"""
    output = lmp.run("halt", script)
    # cooling 220/400 = 0.55 ps, 0.2, 0.55, 0.2: 1.5 ps = 750 steps
    check("last cycle complete on step 750" in output, "no halt message for step 750")
    check("halted at step 750" in output, "the run did not stop on step 750")
    check("second run ended at step 770 with target 300" in output, "a later run did not continue")
    check(len(read_table(lmp.path("report.txt"))) == 1, "expected one report row")

    # A timeout this fix did not force (here fix halt with error soft) must stay in effect.
    script = GLASS + """
fix integrate all nve
fix tstat all langevin 300 300 0.1 48279
variable step equal step
fix stop all halt 100 v_step >= 100 error soft
fix cycle all thermal/cycle tstat 300 80 1 rate 400 400 hold 0.2 0.2 halt yes
run 1000
run 50
print "after both runs: step $(step)"
"""
    output = lmp.run("halt_soft", script)
    check("after both runs: step 100" in output,
          "fix thermal/cycle halt yes cancelled the timeout of fix halt error soft")


def mpi_equality(lmp):
    """The same input on 1 and 2 ranks: identical targets, phases and elapsed time at every step;
    identical report step ranges and sample counts, and hold means that agree to 1e-6."""
    script = GLASS + """
fix integrate all nve
fix tstat all temp/berendsen 300 300 0.1
fix cycle all thermal/cycle tstat 300 80 1 rate 300 300 hold 0.4 0.4 report report.${np}.txt
""" + THERMO + """
thermo 1
run 1200
"""
    # one cycle: 2 * 220/300 + 0.8 = 2.27 ps = 1134 steps
    rows = {np: all_rows(lmp.run(f"np{np}", script, np=np, variables={"np": np})) for np in (1, 2)}
    check(len(rows[1]) == len(rows[2]), "different numbers of thermo rows")
    for a, b in zip(rows[1], rows[2]):
        for column in ("Step", "Time", "f_cycle", "f_cycle[1]", "f_cycle[2]", "f_cycle[3]"):
            check(a[column] == b[column], f"step {a['Step']:.0f}: {column} differs: {a[column]} vs {b[column]}")
    one, two = read_table(lmp.path("report.1.txt")), read_table(lmp.path("report.2.txt"))
    check(len(one) == len(two) == 1, "expected one report row per rank count")
    check(one[0][:4] == two[0][:4] and one[0][7] == two[0][7], f"report rows differ: {one} vs {two}")
    for x, y in zip(one[0], two[0]):
        check_close(y, x, rel=1e-6, what="report value on 2 ranks vs 1 rank")


# Report values and strain references: a short schedule (cycle 1.9 ps = 950 steps at 2 fs).
VALUES_BODY = """
group cu type 1
fix integrate all nve
fix tstat all langevin 300 300 0.05 48279 zero yes
compute s all strain/atom 3.5
compute pe_atom all pe/atom
compute rj all rejuvenation s pe pe_atom
compute pe_cu cu reduce ave c_pe_atom
compute temp_cu cu temp
variable t equal c_temp_cu
fix cycle all thermal/cycle tstat 300 80 2 rate 400 400 hold 0.4 0.4 every 2 &
    values c_pe_cu v_t c_rj[2] c_rj[6] average ${average} reference c_s at ${at} ${report} report.txt
# the same values every 2 steps through stock fix ave/time, the reference for the report columns
fix avg all ave/time 2 1 2 c_pe_cu v_t c_rj[2] c_rj[6] append values_${at}.txt format " %.15g"
thermo_style custom step time f_cycle[1] f_cycle[2] c_s[3]
thermo_modify format float %.15g
thermo 1
"""
VALUES_SCRIPT = GLASS + VALUES_BODY + "run ${steps}\n"
VALUE_COLUMNS = ["c_pe_cu", "v_t", "c_rj[2]", "c_rj[6]"]
SHORT = Schedule(300, 80, 2, 400, 400, 0.4, 0.4)


def hold_samples(rows, cycle, hold, every=2):
    """The thermo rows of the steps the fix samples in a hold of a cycle (reference schedule)."""
    return [row for row in rows
            if SHORT.at(row["Time"], 2e-9)[1:] == (hold, cycle) and row["Step"] % every == 0]


def check_report_values(lmp, rows, average, at):
    """The value columns of the report against the same values written by fix ave/time on the
    sampled steps: the last sample of each hold, or the mean over them."""
    stock = {}
    for line in read_table(lmp.path(f"values_{at}.txt")):
        stock[line[0]] = dict(zip(VALUE_COLUMNS, line[1:]))
    for row in rows:
        if row["Step"] % 2 == 0:
            check(row["Step"] in stock, f"fix ave/time has no line for step {row['Step']:.0f}")
            row.update(stock[row["Step"]])
    report = read_table(lmp.path("report.txt"))
    check(len(report) == 2, f"expected 2 report rows, got {len(report)}")
    header = [line for line in lmp.path("report.txt").read_text().splitlines() if line.startswith("# cycle")]
    expected_names = [f"{h}:{v}" for h in ("cold", "hot") for v in VALUE_COLUMNS]
    check(header and header[0].split()[-8:] == expected_names, f"report header: {header}")
    for cycle, line in enumerate(report):
        for h, hold in enumerate((COLD_HOLD, HOT_HOLD)):
            samples = hold_samples(rows, cycle, hold)
            check(samples, f"no samples in hold {hold} of cycle {cycle + 1}")
            for k, column in enumerate(VALUE_COLUMNS):
                got = line[11 + h * len(VALUE_COLUMNS) + k]
                if average:
                    expected = sum(r[column] for r in samples) / len(samples)
                else:
                    expected = samples[-1][column]
                check_close(got, expected, rel=1e-12, abs_tol=1e-13,
                            what=f"cycle {cycle + 1} hold {hold} {column} ({'mean' if average else 'last'})")


def report_values(average):
    def case(lmp):
        """values: a compute reduce over pe/atom (energy tallied on the sampled steps), an
        equal-style variable and elements of compute rejuvenation, reported per hold as the last
        sample or the hold mean (average yes), equal to thermo output of the same steps."""
        output = lmp.run("values", VALUES_SCRIPT,
                         variables={"average": "yes" if average else "no", "at": "cycle", "steps": 1950,
                                    "report": "report"})
        check_report_values(lmp, all_rows(output), average, "cycle")
    return case


def reference_steps(rows, at):
    """The steps on which the fix takes the strain reference, from the reference schedule: the
    first step whose time is past the end of a cold or hot hold, or on which a cycle is complete."""
    steps, previous = [], None
    for row in rows:
        _, phase, cycles = SHORT.at(row["Time"], 2e-9)
        if previous is not None:
            p_phase, p_cycles = previous
            if at == "cycle" and cycles > p_cycles:
                steps.append(row["Step"])
            hold = COLD_HOLD if at == "cold" else HOT_HOLD
            if at != "cycle" and p_phase == hold and (phase != hold or cycles != p_cycles):
                steps.append(row["Step"])
        previous = (phase, cycles)
    return steps


def check_reference_steps(rows, at):
    """c_s[3] (the step of the strain reference) changes exactly at the expected steps."""
    expected = reference_steps(rows, at)
    check(len(expected) == 2, f"expected 2 reference steps for '{at}' in the run, got {expected}")
    changes = [row["Step"] for prev, row in zip(rows, rows[1:]) if row["c_s[3]"] != prev["c_s[3]"]]
    check(changes == expected, f"reference at {at}: taken on steps {changes}, expected {expected}")
    for row in rows:
        check(row["c_s[3]"] == max([0] + [s for s in expected if s <= row["Step"]]),
              f"step {row['Step']:.0f}: reference step {row['c_s[3]']}")


def reference_at(at):
    def case(lmp):
        """reference c_s at cold|hot|cycle takes the strain reference on the documented steps
        (compute strain/atom reports the step of its reference as c_s[3])."""
        output = lmp.run("reference", VALUES_SCRIPT,
                         variables={"average": "no", "at": at, "steps": 1950, "report": "report"})
        check_reference_steps(all_rows(output), at)
    return case


# the plugin loaded after read_restart: compute strain/atom takes over its reference as well
REFERENCE_RESTARTED = RESTART_HEADER_PLUGIN_AFTER + VALUES_BODY + "run 1100\n"


def reference_restart(lmp):
    """A restart in the middle of the hot hold of cycle 1 (step 850 of 750 .. 950): the strain
    reference is taken at the end of both hot holds as in an unbroken run, and the report values
    averaged over the interrupted hold carry their sums through the restart file."""
    first = VALUES_SCRIPT.replace("run ${steps}", "run 850\nwrite_restart r1.restart")
    rows = all_rows(lmp.run("first", first, variables={"average": "yes", "at": "hot", "report": "report"}))
    rows += all_rows(lmp.run("second", REFERENCE_RESTARTED,
                             variables={"average": "yes", "at": "hot", "report": "report/append",
                                        "restart": "r1.restart"}))
    by_step = {row["Step"]: row for row in rows}
    rows = [by_step[step] for step in sorted(by_step)]
    check_reference_steps(rows, "hot")
    check_report_values(lmp, rows, average=True, at="hot")


TINY = TINY_CUZR + "velocity all create 300 4711\nfix integrate all nve\n"
LANGEVIN = "fix tstat all langevin 300 300 0.1 48279\n"
CYCLE = "fix cycle all thermal/cycle tstat 300 80 2 "

# name: (input after TINY, regex the first ERROR line must match)
ERRORS = {
    "missing_args": (LANGEVIN + "fix cycle all thermal/cycle tstat 300 80",
                     r"Illegal fix thermal/cycle command: missing argument"),
    "non_numeric": (LANGEVIN + "fix cycle all thermal/cycle tstat hot 80 2",
                    r"Expected floating point parameter instead of 'hot'"),
    "tlow_not_below_thigh": (LANGEVIN + "fix cycle all thermal/cycle tstat 300 300 2",
                             r"Fix thermal/cycle cycle: invalid schedule: Tlow must be < Thigh"),
    "tlow_not_positive": (LANGEVIN + "fix cycle all thermal/cycle tstat 300 0 2",
                          r"Fix thermal/cycle cycle: invalid schedule: temperatures must be finite and Tlow must be > 0"),
    "negative_rate": (LANGEVIN + CYCLE + "rate -5 10",
                      r"Fix thermal/cycle cycle: invalid schedule: ramp rates must be finite and > 0"),
    "negative_hold": (LANGEVIN + CYCLE + "hold 1 -1",
                      r"Fix thermal/cycle cycle: invalid schedule: hold durations must be finite and >= 0"),
    "zero_cycles": (LANGEVIN + "fix cycle all thermal/cycle tstat 300 80 0",
                    r"Fix thermal/cycle cycle: invalid schedule: the number of cycles must be >= 1"),
    # each hold is finite, the cycle is not (1e308 + 1e308); or the cycle is, but not 2^31-1 of them
    "cycle_time_not_finite": (LANGEVIN + CYCLE + "rate 400 400 hold 1e308 1e308",
                              r"Fix thermal/cycle cycle: cycle time inf and total time inf of 2 cycle\(s\): "
                              r"the cycle time must be > 0 and, like the total time of all cycles, finite"),
    "total_time_not_finite": (LANGEVIN + "fix cycle all thermal/cycle tstat 300 80 2147483647 rate 400 400 "
                              "hold 1e300 1e300",
                              r"Fix thermal/cycle cycle: cycle time 2e\+300 and total time inf of 2147483647 "
                              r"cycle\(s\): the cycle time must be > 0"),
    # ramps of 1e-300 K at 1e300 K per ps last 1e-600 ps: 0 in double
    "zero_cycle_time": (LANGEVIN + "fix cycle all thermal/cycle tstat 2e-300 1e-300 2 rate 1e300 1e300 hold 0 0",
                        r"Fix thermal/cycle cycle: cycle time 0 and total time 0 of 2 cycle\(s\): "
                        r"the cycle time must be > 0"),
    # 4e20 ps at 1 fs: 4e23 steps, beyond the 2^53 steps the step clock counts exactly
    "too_many_steps": (LANGEVIN + "timestep 0.001\n" + CYCLE + "rate 400 400 hold 1e20 1e20",
                       r"Fix thermal/cycle cycle: 2 cycle\(s\) of time 2e\+20 \(4e\+20 in all\) at timestep "
                       r"0.001: the schedule must complete within 2\^53 steps"),
    "zero_timestep_at_definition": (LANGEVIN + "timestep 0.0\n" + CYCLE,
                                    r"Fix thermal/cycle cycle: timestep 0 at step 0: the timestep must be "
                                    r"finite and > 0"),
    "zero_timestep": (LANGEVIN + CYCLE + "\ntimestep 0.0\nrun 10",
                      r"Fix thermal/cycle cycle: timestep 0 at step 0: the timestep must be finite and > 0"),
    # after a run the timestep command tells the fixes at once (Fix::reset_dt)
    "negative_timestep_between_runs": (LANGEVIN + CYCLE + "\nrun 10\ntimestep -0.001\nrun 10",
                                       r"Fix thermal/cycle cycle: timestep -0.001 at step 10: the timestep "
                                       r"must be finite and > 0"),
    "shared_report": (LANGEVIN + "fix tstat2 all langevin 300 300 0.1 4812\n" + CYCLE + "report same.txt\n"
                      "fix cycle2 all thermal/cycle tstat2 300 80 2 report same.txt",
                      r"Fix thermal/cycle cycle2: report file same.txt is the report file same.txt of fix "
                      r"thermal/cycle cycle; give each fix a file of its own"),
    # the same file by another name, and appending does not make it any better
    "shared_report_other_name": (LANGEVIN + "fix tstat2 all langevin 300 300 0.1 4812\n" + CYCLE +
                                 "report same.txt\nfix cycle2 all thermal/cycle tstat2 300 80 2 "
                                 "report/append ./same.txt",
                                 r"Fix thermal/cycle cycle2: report file \./same.txt is the report file "
                                 r"same.txt of fix thermal/cycle cycle;"),
    "missing_rate_value": (LANGEVIN + CYCLE + "rate 10",
                           r"Illegal fix thermal/cycle rate command: missing argument"),
    "unknown_keyword": (LANGEVIN + CYCLE + "bogus 1", r"Unknown fix thermal/cycle keyword: bogus"),
    "bad_start": (LANGEVIN + CYCLE + "start middle",
                  r"Illegal fix thermal/cycle start value: middle \(expected high or low\)"),
    "bad_halt": (LANGEVIN + CYCLE + "halt maybe", r"Expected boolean parameter instead of 'maybe'"),
    "bad_every": (LANGEVIN + CYCLE + "every 0", r"Illegal fix thermal/cycle every value: 0"),
    "report_not_writable": (LANGEVIN + CYCLE + "report /nonexistent/dir/report.txt",
                            r"Cannot open fix thermal/cycle report file /nonexistent/dir/report.txt"),
    "unknown_thermostat": ("fix cycle all thermal/cycle nosuch 300 80 2\nrun 10",
                           r"Fix thermal/cycle thermostat fix ID nosuch does not exist"),
    "no_target_temperature": ("fix cycle all thermal/cycle integrate 300 80 2\nrun 10",
                              r"fix integrate \(style nve\) has no target temperature \(t_target\)"),
    "variable_langevin": ("variable T equal 300\nfix tstat all langevin v_T 300 0.1 48279\n" +
                          CYCLE + "\nrun 10",
                          r"thermostat fix tstat takes its temperature from a variable"),
    # an atom-style temperature never shows in t_target: must be caught all the same
    "atom_variable_langevin": ("variable T atom 300+x\nfix tstat all langevin v_T 300 0.1 48279\n"
                               + CYCLE + "\nrun 10",
                               r"thermostat fix tstat takes its temperature from a variable"),
    # caught by the generic check: the thermostat's t_target after its step is not ours
    "variable_berendsen": ("variable T equal 300\nfix tstat all temp/berendsen v_T 300 0.1\n" +
                           CYCLE + "\nrun 10",
                           r"thermostat fix tstat \(style temp/berendsen\) replaced the target "
                           r"temperature"),
    "variable_rescale": ("variable T equal 300\nfix tstat all temp/rescale 1 v_T 300 5 1.0\n" +
                         CYCLE + "\nrun 10",
                         r"thermostat fix tstat takes its temperature from a variable"),
    "two_drivers": (LANGEVIN + CYCLE + "\nfix cycle2 all thermal/cycle tstat 300 80 2\nrun 10",
                    r"Fix thermal/cycle cycle2? and cycle2? both drive thermostat fix tstat"),
    "empty_group": (LANGEVIN + "group none type 2\nfix cycle none thermal/cycle tstat 300 80 2\nrun 10",
                    r"Fix thermal/cycle group none has no atoms"),
    "values_empty": (LANGEVIN + CYCLE + "values average yes",
                     r"Illegal fix thermal/cycle values: expected c_ID, f_ID or v_name after it"),
    "values_indexed_variable": (LANGEVIN + CYCLE + "values v_a[2]", r"invalid value v_a\[2\]: a variable takes no index"),
    "values_unknown_compute": (LANGEVIN + CYCLE + "values c_nosuch\nrun 10",
                               r"compute nosuch for value c_nosuch does not exist"),
    "values_no_scalar": ("compute ke all ke/atom\n" + LANGEVIN + CYCLE + "values c_ke\nrun 10",
                         r"compute ke for value c_ke has no global scalar"),
    "values_vector_range": (LANGEVIN + CYCLE + "values c_thermo_temp[7]\nrun 10",
                            r"value c_thermo_temp\[7\]: compute thermo_temp has no global vector element 7"),
    "values_array_element": (LANGEVIN + CYCLE + "values c_thermo_temp[1][1]\nrun 10",
                             r"compute thermo_temp has no global array element \[1\]\[1\]"),
    "values_malformed": (LANGEVIN + CYCLE + "values c_", r"invalid value c_: use c_ID, c_ID\[i\], c_ID\[i\]\[j\]"),
    "values_fix_no_scalar": (LANGEVIN + CYCLE + "values f_integrate\nrun 10",
                             r"fix integrate for value f_integrate has no global scalar"),
    "values_unknown_fix": (LANGEVIN + CYCLE + "values f_nosuch\nrun 10", r"fix nosuch for value f_nosuch does not exist"),
    "values_fix_frequency": ("fix avg all ave/time 5 1 5 c_thermo_temp\n" + LANGEVIN + CYCLE +
                             "every 2 values f_avg\nrun 10",
                             r"fix avg for value f_avg produces values every 5 steps, not on every sampled step"),
    "values_unknown_variable": (LANGEVIN + CYCLE + "values v_nosuch\nrun 10",
                                r"variable nosuch for value v_nosuch does not exist"),
    "values_atom_variable": ("variable a atom x\n" + LANGEVIN + CYCLE + "values v_a\nrun 10",
                             r"variable a for value v_a is not equal-style"),
    "average_not_boolean": (LANGEVIN + CYCLE + "average often", r"Expected boolean parameter instead of 'often'"),
    "reference_missing": (LANGEVIN + CYCLE + "reference c_s at", r"Illegal fix thermal/cycle reference command: missing argument"),
    "reference_not_compute": (LANGEVIN + CYCLE + "reference s at cold",
                              r"Illegal fix thermal/cycle reference s at: expected reference c_ID at cycle\|cold\|hot"),
    "reference_bad_event": (LANGEVIN + CYCLE + "reference c_s at noon",
                            r"Illegal fix thermal/cycle reference at noon: expected cycle, cold or hot"),
    "reference_unknown": (LANGEVIN + CYCLE + "reference c_nosuch at cold\nrun 10",
                          r"Fix thermal/cycle reference compute ID nosuch does not exist"),
    "reference_wrong_style": (LANGEVIN + CYCLE + "reference c_thermo_temp at cold\nrun 10",
                              r"compute thermo_temp is of style temp, not strain/atom"),
    "reference_zero_hold": ("compute s all strain/atom 3.0\n" + LANGEVIN + CYCLE + "hold 0 1 reference c_s at cold\nrun 10",
                            r"reference at cold: the cold hold has zero duration"),
    # 220 K at 1e6 K/ps twice, no holds: 0.00044 ps per cycle, 2.3 cycles per step of 0.001 ps
    "cycle_shorter_than_timestep": (LANGEVIN + CYCLE + "rate 1e6 1e6 hold 0 0",
                                    r"Fix thermal/cycle cycle: a cycle lasts 0.00044, less than one timestep "
                                    r"0.001: several cycles would complete on one step"),
    "timestep_longer_than_cycle": (LANGEVIN + CYCLE + "rate 1000 1000 hold 0 0\nrun 10\ntimestep 1.0\nrun 10",
                                   r"Fix thermal/cycle cycle: a cycle lasts 0.44, less than one timestep 1:"),
    # rerun reads snapshots: nothing to drive
    "rerun": (LANGEVIN + "dump d all atom 5 tiny.dump\nrun 10\nundump d\n" + CYCLE +
              "\nrerun tiny.dump dump x y z",
              r"Fix thermal/cycle cycle cannot be used with rerun: it drives a thermostat during dynamics"),
    "lj_units_need_rate": ("""
clear
plugin load ${plugin}
units lj
lattice fcc 0.8
region box block 0 3 0 3 0 3
create_box 1 box
create_atoms 1 box
mass 1 1.0
pair_style lj/cut 2.5
pair_coeff 1 1 1.0 1.0
fix tstat all langevin 1.0 1.0 1.0 4711
fix cycle all thermal/cycle tstat 1.0 0.5 2 hold 1 1
""", r"Fix thermal/cycle needs explicit rate and hold keywords with units lj"),
}


def error_rejected_command_keeps_report(lmp):
    """A fix command rejected for bad arguments must not truncate an existing report file."""
    lmp.path("report.txt").write_text("# earlier results\n1 0 100 5 -4.4 77 1000 5 -4.3 300 1010\n")
    lmp.run("rejected", TINY + LANGEVIN + "fix cycle all thermal/cycle tstat 80 300 2 report report.txt\n",
            expect_error=r"Tlow must be < Thigh")
    check("earlier results" in lmp.path("report.txt").read_text(), "the report file was truncated")


def report_of_redefined_fix(lmp):
    """A fix defined again with its ID replaces the old one, so it may keep the report file (only
    another fix thermal/cycle may not write to it)."""
    lmp.run("redefined", TINY + LANGEVIN + CYCLE + "report same.txt\n" + CYCLE + "report same.txt\nrun 0\n")
    check(lmp.path("same.txt").read_text().startswith("# fix thermal/cycle cycle report"),
          "the report of the redefined fix has no header")


STARTUP = re.compile(r"fix thermal/cycle cycle: 2 cycle\(s\) between 300 and 80 starting high, cycle time "
                     r"(\S+) \((\d+) steps at timestep 0.001\), all cycles (\S+) \((\d+) steps\)")


def cycle_steps_printed(lmp):
    """The start-up line gives the cycle time to 6 digits and the steps on which the first and the
    last cycle complete, also when the cycle time in double is not a whole number of steps:
    220/400 + 0.1 + 220/400 + 0.1 = 1.3 is 1.3000000000000003 in double, 1300.0000000000002 steps
    of 0.001. The steps are checked against the analytic count and against the steps on which
    f_cycle[1] and f_cycle[2] change in a run."""
    define = TINY + LANGEVIN + "timestep 0.001\n" + CYCLE + "rate 400 400 hold 0.1 0.1\n"
    found = STARTUP.search(lmp.run("defined", define))
    check(found, "no start-up line of fix thermal/cycle")
    cycle_time, cycle_steps, total_time, total_steps = found.groups()
    check(cycle_time == "1.3" and total_time == "2.6", f"printed times {cycle_time} and {total_time}")
    check((int(cycle_steps), int(total_steps)) == (1300, 2600),
          f"printed {cycle_steps} and {total_steps} steps, analytic 1300 and 2600")
    rows = all_rows(lmp.run("run", define + "thermo_style custom step f_cycle[1] f_cycle[2]\nthermo 1\n"
                                            "run 2610\n"))
    first = min(row["Step"] for row in rows if row["f_cycle[1]"] >= 1)
    done = min(row["Step"] for row in rows if row["f_cycle[2]"] == DONE)
    check((first, done) == (int(cycle_steps), int(total_steps)),
          f"cycles complete on steps {first:.0f} and {done:.0f}, printed {cycle_steps} and {total_steps}")


def short_parts_warned(lmp):
    """A ramp shorter than a timestep (the target jumps) and a hold shorter than the sampling
    interval (holds without samples) are warned about, each by name; a schedule that resolves
    every part is not."""
    warned = lmp.run("short", TINY + LANGEVIN + CYCLE + "rate 220 1e6 hold 0.005 0.05 every 10\n"
                     "run 0\n")
    ramp = re.search(r"WARNING: Fix thermal/cycle cycle: the (\w+) ramp lasts (\S+), less than one "
                     r"timestep 0.001: the thermostat target jumps", warned)
    check(ramp and ramp.groups() == ("heating", "0.00022"), f"ramp warning: {ramp and ramp.group(0)}")
    hold = re.search(r"WARNING: Fix thermal/cycle cycle: the (\w+ hold) lasts (\S+), less than every 10 "
                     r"steps \((\S+)\): some holds will have no samples", warned)
    check(hold and hold.groups() == ("cold hold", "0.005", "0.01"), f"hold warning: {hold and hold.group(0)}")
    check(warned.count("WARNING: Fix thermal/cycle") == 2, "more warnings than the two short parts")
    fine = lmp.run("fine", TINY + LANGEVIN + CYCLE + "rate 220 220 hold 0.01 0.01 every 10\nrun 0\n")
    check("WARNING: Fix thermal/cycle" not in fine, "a schedule that resolves every part was warned about")


CASES = {
    "short_parts_warned": short_parts_warned,
    "schedule": schedule,
    "cycle_steps_printed": cycle_steps_printed,
    "report_of_redefined_fix": report_of_redefined_fix,
    "variable_timestep": variable_timestep,
    "start_low_zero_holds": start_low_zero_holds,
    "follows_langevin_subgroup": follows_langevin("cu"),
    "follows_langevin_all": follows_langevin("all"),
    "restart": restart,
    "halt": halt,
    "restart_new_schedule": restart_new_schedule,
    "error_rejected_command_keeps_report": error_rejected_command_keeps_report,
    "mpi_equality": mpi_equality,
    "report_values_last": report_values(False),
    "report_values_average": report_values(True),
    "reference_at_cold": reference_at("cold"),
    "reference_at_hot": reference_at("hot"),
    "reference_at_cycle": reference_at("cycle"),
    "reference_restart": reference_restart,
}
CASES.update({f"thermostat_{style}": thermostat_case(style) for style in THERMOSTATS})
CASES.update(error_cases(ERRORS, TINY))

# Bad input is checked on one rank; two cases also on 2 ranks, to show the error ends every rank
# cleanly (no hang). mpi_equality runs 1 and 2 ranks itself.
RANKS = {name: (1,) for name in CASES if name.startswith("error_")}
RANKS["report_of_redefined_fix"] = (1,)
RANKS["short_parts_warned"] = (1,)
RANKS.update({"error_report_not_writable": (1, 2), "error_variable_berendsen": (1, 2),
              "mpi_equality": (2,)})

if __name__ == "__main__":
    main(CASES, RANKS)
