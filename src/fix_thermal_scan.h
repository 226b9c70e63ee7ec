/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: fix thermal/scan, a virtual DSC. Drives a stock thermostat fix linearly from T1 to T2
   (and, with a baseline, back to T1 and to T2 again), bins enthalpy, potential energy and volume by
   the target temperature, and gives the apparent heat capacity dH/dT and the heat of relaxation.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_FIX_THERMAL_SCAN_H
#define CRYOCYCLE_FIX_THERMAL_SCAN_H

#include "fix.h"

#include "cryo_scan.h"
#include "cryo_schedule.h"
#include "schedule_clock.h"
#include "style_support.h"
#include "thermostat_target.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class FixThermalScan : public Fix, public ThermostatDriver {
 public:
  FixThermalScan(class LAMMPS *, int, char **);
  ~FixThermalScan() override;
  int setmask() override;
  void init() override;
  void setup(int) override;
  void end_of_step() override;
  void post_run() override;
  void reset_dt() override;
  double compute_scalar() override;
  double compute_vector(int) override;
  double compute_array(int, int) override;
  void write_restart(FILE *) override;
  void restart(char *) override;
  const std::string &driven_thermostat() const override { return thermostat->id(); }

  // columns of the global array (and of the file after the bin number), 0-based
  enum Column {
    BIN_LO, BIN_HI,
    SCAN_COUNT, SCAN_T, SCAN_H, SCAN_PE, SCAN_VOL, SCAN_C,
    BASE_COUNT, BASE_T, BASE_H, BASE_PE, BASE_VOL, BASE_C,
    NCOLUMNS
  };

 private:
  enum Curve { SCAN = 0, BASELINE = 1 };

  cryo_scan_params params;
  cryo_scan_bins bins;
  bool relaxation_given;
  double relaxation_lo, relaxation_hi;
  bool window_given;
  double relaxation_window;    // width of the fits at the ends of the range; 0: interpolation
  double external_pressure;    // P of H = E + P V; NaN: the instantaneous pressure
  int sample_every;
  bool halt_when_done, halted_run;
  std::string file_path;    // empty without a file
  ThermostatTarget *thermostat;
  char *id_pe, *id_ke, *id_temp, *id_press;    // internal computes over all atoms
  class Compute *potential_energy, *kinetic_energy, *pressure;
  bigint requested_step;    // the step for which energy and virial were requested, -1 if none

  // State that continues across runs and restarts.
  ScheduleClock clock;    // restored too, so a restarted run computes bit-identical times
  double elapsed;
  bigint elapsed_step;
  int phase;
  std::vector<cryo_scan_sums> sums[2];    // per curve, nbins each

  // Derived from the sums when output is asked for.
  bool curves_current;
  std::vector<cryo_scan_means> means[2];
  double h_rel, h_rel_uncertainty;

  void parse_keywords(int, char **, int);
  template <typename... Args>
  void check_kernel(cryo_scan_status status, fmt::string_view what, Args &&...args) const
  {
    check_status(lmp, Ranks::ALL, status, style_name(this), what, args...);
  }
  void check_time_resolution() const;
  cryo_scan_point evaluate(double) const;
  static bool sampled(int phase) { return phase == CRYO_SCAN_PHASE_SCAN || phase == CRYO_SCAN_PHASE_BASELINE; }
  void prepare_next_step(bigint next);
  void sample(const cryo_scan_point &now);
  void update_curves();
  void write_file();
};

}    // namespace LAMMPS_NS

#endif
