/* CryoCycle: see schedule_clock.h. */
#include "schedule_clock.h"

#include "fix.h"
#include "style_support.h"
#include "update.h"

using namespace LAMMPS_NS;

namespace {
// what a clock error was asked: the timestep at the step it takes effect
constexpr const char *TIMESTEP_AT_STEP = "timestep {} at step {}";
}    // namespace

ScheduleClock::ScheduleClock(LAMMPS *lmp, const Fix *owner) : Pointers(lmp), owner(owner), clock()
{
}

void ScheduleClock::start(double time)
{
  check_status(lmp, Ranks::ALL, cryo_schedule_clock_start(&clock, time, update->ntimestep, update->dt),
               style_name(owner), TIMESTEP_AT_STEP, update->dt, update->ntimestep);
}

void ScheduleClock::resume(double time, bigint step)
{
  if (update->ntimestep != step || update->dt != clock.dt) start(time);
}

bool ScheduleClock::follow_timestep()
{
  // fix dt/reset or the timestep command: steps after this one use the new timestep
  if (update->dt == clock.dt) return false;
  check_status(lmp, Ranks::ALL, cryo_schedule_clock_rebase(&clock, update->ntimestep, update->dt),
               style_name(owner), TIMESTEP_AT_STEP, update->dt, update->ntimestep);
  return true;
}
