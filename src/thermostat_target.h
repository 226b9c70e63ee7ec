/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: driving the target temperature of a stock thermostat fix (nvt, npt, langevin,
   temp/berendsen, temp/rescale, temp/csvr), shared by fix thermal/cycle and fix thermal/scan.

   The driver sets the target through Fix::reset_target() and verifies through the thermostat's
   extract("t_target") that it took effect (apply) and that the thermostat's own step did not
   replace it (check_kept): a thermostat with a variable temperature would silently override it.
   One thermostat has at most one driver (every fix that is a ThermostatDriver is asked).
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_THERMOSTAT_TARGET_H
#define CRYOCYCLE_THERMOSTAT_TARGET_H

#include "pointers.h"

#include <string>

namespace LAMMPS_NS {

class Fix;

/* A fix that drives a thermostat's target: the thermostat's ID, for the one-driver check. */
class ThermostatDriver {
 public:
  virtual ~ThermostatDriver() noexcept(false) {}    // as Pointers (LAMMPS destructors may throw)
  virtual const std::string &driven_thermostat() const = 0;
};

class ThermostatTarget : protected Pointers {
 public:
  // `owner` is the driving fix (its style names it in messages); `id` the thermostat fix's ID.
  ThermostatTarget(class LAMMPS *, const Fix *owner, const std::string &id);
  const std::string &id() const { return thermostat_id; }
  // In init(): the thermostat exists, has a t_target without a variable temperature, and no other
  // fix drives it.
  void lookup();
  // Set the target and verify that it took effect.
  void apply(double target);
  // After the thermostat's step: the target set last is still its target.
  void check_kept() const;
  double target() const { return current; }

  // rerun reads snapshots without dynamics: nothing to drive, and a schedule would follow the
  // snapshots' step numbers. Call in init().
  static void refuse_rerun(class LAMMPS *, const Fix *owner);

 private:
  const Fix *owner;
  std::string thermostat_id;
  Fix *thermostat;
  double *thermostat_t_target;    // the thermostat's own t_target, read back to verify
  bool moves_its_target;          // temp/rescale pulls t_target toward the current T by design
  double current;                 // the target set last
  std::string who() const;        // "Fix thermal/cycle", "Fix thermal/scan"
};

}    // namespace LAMMPS_NS

#endif
