"""An independent implementation of the thermal-cycle schedule, to test fix thermal/cycle against.

Written from the documented definition, not from src/cryo_schedule.c: it lays out every segment of
every cycle on one time line and interpolates, where the kernel folds time into one cycle.
"""

import bisect

COOLING, COLD_HOLD, HEATING, HOT_HOLD, DONE = 0, 1, 2, 3, 4
HOLDS = (COLD_HOLD, HOT_HOLD)


class Schedule:
    def __init__(self, t_high, t_low, ncycles, rate_cool, rate_heat, hold_low, hold_high,
                 start="high"):
        cool = ((t_high - t_low) / rate_cool, t_high, t_low, COOLING)
        cold = (hold_low, t_low, t_low, COLD_HOLD)
        heat = ((t_high - t_low) / rate_heat, t_low, t_high, HEATING)
        hot = (hold_high, t_high, t_high, HOT_HOLD)
        order = [cool, cold, heat, hot] if start == "high" else [heat, hot, cool, cold]
        self.ncycles = ncycles
        self.final = order[-1][2]
        self.segments = []    # (begin, end, T at begin, T at end, phase, cycle index)
        self.cycle_ends = []
        t = 0.0
        for cycle in range(ncycles):
            for duration, t_begin, t_end, phase in order:
                if duration > 0:
                    self.segments.append((t, t + duration, t_begin, t_end, phase, cycle))
                t += duration
            self.cycle_ends.append(t)
        self.total = t
        self.begins = [s[0] for s in self.segments]

    def at(self, time, tol=1e-9):
        """(target, phase, completed cycles) at schedule time `time`; a boundary within `tol`
        belongs to the segment that starts there."""
        if time >= self.total - tol:
            return self.final, DONE, self.ncycles
        index = bisect.bisect_right(self.begins, time + tol) - 1
        begin, end, t_begin, t_end, phase, cycle = self.segments[max(index, 0)]
        fraction = min(max((time - begin) / (end - begin), 0.0), 1.0)
        return t_begin + fraction * (t_end - t_begin), phase, cycle

    def time_left(self, time):
        return max(self.total - time, 0.0)
