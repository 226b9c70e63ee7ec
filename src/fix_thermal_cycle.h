/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: fix thermal/cycle drives a stock thermostat fix through a cyclic temperature schedule
   (cool, hold cold, heat, hold hot; Ncycles times) and reports hold averages per cycle.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_FIX_THERMAL_CYCLE_H
#define CRYOCYCLE_FIX_THERMAL_CYCLE_H

#include "fix_thermal_program.h"

#include "cryo_schedule.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class FixThermalCycle : public FixThermalProgram {
 public:
  FixThermalCycle(class LAMMPS *, int, char **);
  ~FixThermalCycle() override;
  double compute_vector(int) override;

 private:
  // Running sums over the samples of one hold (cold or hot) of the current cycle.
  struct HoldSums {
    double pe_per_atom = 0.0, temperature = 0.0, volume = 0.0;
    bigint samples = 0, first_step = -1, last_step = -1;
    std::vector<double> value_sum, value_last;    // the report values: sums and last sample
    double mean(double sum) const;
  };
  enum InternalCompute { PE, TEMP };    // pe (group all) or pe/atom, and temp, over the fix group

  cryo_schedule_params schedule;
  bool report_append;
  class CycleValues *values;    // extra report columns (values keyword)
  bool average_values;          // report their hold means (else their last samples)
  enum ReferenceAt { REFERENCE_NONE, REFERENCE_CYCLE, REFERENCE_COLD, REFERENCE_HOT };
  char *id_reference;           // compute strain/atom whose reference is taken again
  int reference_at;
  class StrainReference *strain_reference;    // of the reference keyword's compute

  // State that continues across runs and restarts (with the base's clock, time and phase).
  int completed_cycles;
  bigint cycle_start_step;
  HoldSums cold, hot;
  double last_cold_pe, last_hot_pe, last_cold_volume;

  // the program (FixThermalProgram)
  Point point_at(double time) const override;
  Point advance(bigint step) override;
  void prepare_next_step(bigint next) override;
  void check_time_resolution() const override;
  const char *completion() const override { return "last cycle"; }
  void init_inputs() override;
  std::vector<double> program_parameters() const override;
  void pack_state(std::vector<double> &list) const override;
  void unpack_state(const RestartRecord &record) override;

  const char *parse_cycle_keywords(int narg, char **arg, int first);
  void write_report_header();
  cryo_schedule_point evaluate(double) const;
  bool is_hold(int) const;
  void request_energy(bigint);
  void sample(HoldSums &);
  void finish_hold(int);
  void finish_cycle(bigint);
  bool reference_due(const cryo_schedule_point &to) const;
  void take_reference(int event);
  std::string value_columns() const;
};

}    // namespace LAMMPS_NS

#endif
