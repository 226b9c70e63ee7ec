/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: fix thermal/cycle drives a stock thermostat fix through a cyclic temperature schedule
   (cool, hold cold, heat, hold hot; Ncycles times) and reports hold averages per cycle.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_FIX_THERMAL_CYCLE_H
#define CRYOCYCLE_FIX_THERMAL_CYCLE_H

#include "fix.h"

#include "cryo_schedule.h"
#include "style_support.h"
#include "schedule_clock.h"
#include "thermostat_target.h"

#include <cstdio>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class FixThermalCycle : public Fix, public ThermostatDriver {
 public:
  FixThermalCycle(class LAMMPS *, int, char **);
  ~FixThermalCycle() override;
  int setmask() override;
  void init() override;
  void setup(int) override;
  void end_of_step() override;
  void post_run() override;
  void reset_dt() override;
  double compute_scalar() override;
  double compute_vector(int) override;
  void write_restart(FILE *) override;
  void restart(char *) override;
  const std::string &driven_thermostat() const override { return thermostat->id(); }

 private:
  // Running sums over the samples of one hold (cold or hot) of the current cycle.
  struct HoldSums {
    double pe_per_atom = 0.0, temperature = 0.0, volume = 0.0;
    bigint samples = 0, first_step = -1, last_step = -1;
    std::vector<double> value_sum, value_last;    // the report values: sums and last sample
    double mean(double sum) const;
  };

  cryo_schedule_params schedule;
  int sample_every;
  bool halt_when_done;
  bool halted_run;    // this fix ended the current run (and must undo its timeout after it)
  bool report_append;
  FILE *report;
  std::string report_path;      // as given, empty without a report
  class CycleValues *values;    // extra report columns (values keyword)
  bool average_values;          // report their hold means (else their last samples)
  enum ReferenceAt { REFERENCE_NONE, REFERENCE_CYCLE, REFERENCE_COLD, REFERENCE_HOT };
  char *id_reference;           // compute strain/atom whose reference is taken again
  int reference_at;
  class StrainReference *strain_reference;    // of the reference keyword's compute

  ThermostatTarget *thermostat;     // the thermostat fix whose target this fix drives
  char *id_pe, *id_temp;            // internal computes over the fix group
  class Compute *potential_energy, *temperature;    // pe (group all) or pe/atom, and temp
  bigint pe_requested_step; // the step for which per-atom energy was requested, -1 if none

  // State that continues across runs and restarts.
  ScheduleClock clock;       // restored too, so a restarted run computes bit-identical times
  double elapsed;            // schedule time at the last processed step
  bigint elapsed_step;       // that step
  double target;          // target set on the thermostat
  int completed_cycles;
  int phase;              // cryo_schedule_phase at the last processed step
  bigint cycle_start_step;
  HoldSums cold, hot;
  double last_cold_pe, last_hot_pe, last_cold_volume;

  const char *parse_keywords(int, char **, int);
  void check_time_resolution(double);
  void check_report_not_shared(const std::string &);
  void open_report(const char *, bool);
  // schedule kernels fail alike on every rank (style_support.h)
  template <typename... Args>
  void check_kernel(cryo_schedule_status status, fmt::string_view what, Args &&...args) const
  {
    check_status(lmp, Ranks::ALL, status, style_name(this), what, args...);
  }
  void apply_target(double);
  cryo_schedule_point evaluate(double) const;
  double boundary_tolerance() const;
  bool is_hold(int) const;
  bool sample_due(bigint) const;
  void request_energy(bigint);
  void sample(HoldSums &);
  void finish_hold(int);
  void finish_cycle(bigint);
  void prepare_next_step(bigint next);
  bool reference_due(const cryo_schedule_point &to) const;
  void take_reference(int event);
  std::string value_columns() const;
  std::vector<double> pack_state() const;
};

}    // namespace LAMMPS_NS

#endif
