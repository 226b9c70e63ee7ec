/* CryoCycle: see thermostat_target.h. */
#include "thermostat_target.h"

#include "error.h"
#include "fix.h"
#include "fix_langevin.h"
#include "fix_temp_rescale.h"
#include "input.h"
#include "modify.h"
#include "style_support.h"

#include <cmath>
#include <cstring>

using namespace LAMMPS_NS;

namespace {

// Two thermostats can take their temperature from a variable without it showing in t_target
// after their step: temp/rescale moves t_target toward the current temperature whenever it
// rescales, and langevin with an atom-style variable never updates t_target at all. Ask such a
// fix directly whether it was given a variable (its protected member `tstr`, the variable name).
// Accelerated variants (langevin/kk, temp/rescale/kk/host, ...) derive from the plain class;
// `fix` is null if the thermostat is not one of the class (checked by the caller).
template <class Thermostat> struct VariableTemperature : Thermostat {
  static bool used_by(Thermostat *fix)
  {
    char *Thermostat::*variable_name = &VariableTemperature::tstr;
    return fix->*variable_name != nullptr;
  }
};

bool same_temperature(double a, double b)
{
  return std::fabs(a - b) <= 1.0e-12 * std::fmax(1.0, std::fabs(b));
}

}    // namespace

ThermostatTarget::ThermostatTarget(LAMMPS *lmp, const Fix *owner, const std::string &id) :
    Pointers(lmp), owner(owner), thermostat_id(id), thermostat(nullptr), thermostat_t_target(nullptr),
    moves_its_target(false), current(0.0)
{
}

std::string ThermostatTarget::who() const
{
  return std::string("Fix ") + owner->style;
}

void ThermostatTarget::refuse_rerun(LAMMPS *lmp, const Fix *owner)
{
  if (in_rerun(lmp))
    lmp->error->all(FLERR, "Fix {} {} cannot be used with rerun: it drives a thermostat during "
                    "dynamics; unfix it before rerun", owner->style, owner->id);
}

void ThermostatTarget::lookup()
{
  thermostat = modify->get_fix_by_id(thermostat_id);
  if (!thermostat) error->all(FLERR, "{} thermostat fix ID {} does not exist", who(), thermostat_id);

  int dim = -1;
  thermostat_t_target = static_cast<double *>(thermostat->extract("t_target", dim));
  if (!thermostat_t_target || dim != 0)
    error->all(FLERR,
               "{}: fix {} (style {}) has no target temperature (t_target) to drive; "
               "use a thermostat such as nvt, npt, langevin, temp/berendsen, temp/rescale or "
               "temp/csvr",
               who(), thermostat->id, thermostat->style);

  // by base style: under -sf kk the thermostat is temp/rescale/kk, langevin/kk, ...
  const std::string style = base_style(thermostat->style);
  moves_its_target = style == "temp/rescale";
  bool variable = false;
  if (style == "temp/rescale" || style == "langevin") {
    auto *rescale = dynamic_cast<FixTempRescale *>(thermostat);
    auto *langevin = dynamic_cast<FixLangevin *>(thermostat);
    if (!rescale && !langevin)
      error->all(FLERR, "{}: thermostat fix {} (style {}) is not derived from fix {}: cannot check "
                 "whether it takes its temperature from a variable", who(), thermostat->id,
                 thermostat->style, style);
    variable = rescale ? VariableTemperature<FixTempRescale>::used_by(rescale)
                       : VariableTemperature<FixLangevin>::used_by(langevin);
  }
  if (variable)
    error->all(FLERR,
               "{}: thermostat fix {} takes its temperature from a variable; "
               "define it with a constant temperature for fix {} to drive",
               who(), thermostat->id, owner->style);

  for (Fix *other : modify->get_fix_list()) {
    auto *driver = dynamic_cast<ThermostatDriver *>(other);
    if (driver && other != owner && driver->driven_thermostat() == thermostat_id)
      error->all(FLERR, "{} {} and {} both drive thermostat fix {}", who(), owner->id,
                 strcmp(other->style, owner->style) == 0 ? std::string(other->id)
                                                         : fmt::format("fix {} {}", other->style, other->id),
                 thermostat_id);
  }
}

void ThermostatTarget::apply(double target)
{
  thermostat->reset_target(target);
  if (!same_temperature(*thermostat_t_target, target))
    error->all(FLERR,
               "{}: thermostat fix {} (style {}) ignored the new target temperature {} (its "
               "t_target is {})",
               who(), thermostat->id, thermostat->style, target, *thermostat_t_target);
  current = target;
}

void ThermostatTarget::check_kept() const
{
  if (moves_its_target || same_temperature(*thermostat_t_target, current)) return;
  error->all(FLERR,
             "{}: thermostat fix {} (style {}) replaced the target temperature {} with {}; a "
             "thermostat with a variable temperature (v_name) cannot be driven",
             who(), thermostat->id, thermostat->style, current, *thermostat_t_target);
}
