/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: the schedule time of a fix that drives a thermostat through a schedule (fix
   thermal/cycle, fix thermal/scan): cryo_schedule's step clock, anchored where the timestep
   changes, checked with the driving fix named in every error.

   Schedule time continues from the last step the fix processed: a run re-anchors the clock only
   if the step number jumped (reset_timestep, minimize) or the timestep changed; otherwise it keeps
   the anchor, so a run continued from a restart file computes bit-identical times.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_SCHEDULE_CLOCK_H
#define CRYOCYCLE_SCHEDULE_CLOCK_H

#include "pointers.h"

#include "cryo_schedule.h"

namespace LAMMPS_NS {

class Fix;

class ScheduleClock : protected Pointers {
 public:
  ScheduleClock(class LAMMPS *, const Fix *owner);
  // schedule time `time` at the current step, counted on at the current timestep
  void start(double time);
  // in setup(): continue from schedule time `time` of step `step`
  void resume(double time, bigint step);
  // in reset_dt(): follow a changed timestep from the current step on; whether it changed
  bool follow_timestep();
  double time(bigint step) const { return cryo_schedule_clock_time(&clock, step); }
  double dt() const { return clock.dt; }
  // A step within a millionth of a timestep of a segment boundary is on the boundary.
  double boundary_tolerance() const { return 1.0e-6 * clock.dt; }
  // the anchor, for restart files
  const cryo_schedule_clock &state() const { return clock; }
  void restore(const cryo_schedule_clock &saved) { clock = saved; }

 private:
  const Fix *owner;
  cryo_schedule_clock clock;
};

}    // namespace LAMMPS_NS

#endif
