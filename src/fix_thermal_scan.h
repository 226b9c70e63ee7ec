/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: fix thermal/scan, a virtual DSC. Drives a stock thermostat fix linearly from T1 to T2
   (and, with a baseline, back to T1 and to T2 again), bins enthalpy, potential energy and volume by
   the target temperature, and gives the apparent heat capacity dH/dT and the heat of relaxation.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_FIX_THERMAL_SCAN_H
#define CRYOCYCLE_FIX_THERMAL_SCAN_H

#include "fix_thermal_program.h"

#include "cryo_scan.h"

#include <cmath>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class FixThermalScan : public FixThermalProgram {
 public:
  FixThermalScan(class LAMMPS *, int, char **);
  void post_run() override;
  double compute_vector(int) override;
  double compute_array(int, int) override;

  // columns of the global array (and of the file after the bin number), 0-based
  enum Column {
    BIN_LO, BIN_HI,
    SCAN_COUNT, SCAN_T, SCAN_H, SCAN_PE, SCAN_VOL, SCAN_C,
    BASE_COUNT, BASE_T, BASE_H, BASE_PE, BASE_VOL, BASE_C,
    NCOLUMNS
  };

 private:
  enum Curve { SCAN = 0, BASELINE = 1 };
  enum InternalCompute { PE, KE, TEMP, PRESS };    // over all atoms

  cryo_scan_params params;
  cryo_scan_bins bins;
  double relaxation_lo, relaxation_hi;    // NaN without the relaxation keyword
  bool has_relaxation() const { return !std::isnan(relaxation_lo); }
  bool window_given;
  double relaxation_window;    // width of the fits at the ends of the range; 0: interpolation
  double external_pressure;    // P of H = E + P V; NaN: the instantaneous pressure

  // State that continues across runs and restarts (with the base's clock, time and phase).
  std::vector<cryo_scan_sums> sums[2];    // per curve, nbins each
  bigint done_step;                       // the step the scan completed on, -1 before

  // Derived from the sums when output is asked for.
  bool curves_current;
  std::vector<cryo_scan_means> means[2];
  double h_rel, h_rel_uncertainty;

  // the program (FixThermalProgram)
  Point point_at(double time) const override;
  Point advance(bigint step) override;
  void prepare_next_step(bigint next) override;
  void program_complete(bigint step) override;
  void check_time_resolution() const override;
  const char *completion() const override { return "scan"; }
  std::vector<double> program_parameters() const override;
  void pack_state(std::vector<double> &list) const override;
  void unpack_state(const RestartRecord &record) override;

  const char *parse_scan_keywords(int narg, char **arg, int first);
  void check_sampling_restored(double saved_every, double saved_pressure) const;
  cryo_scan_point evaluate(double) const;
  static bool sampled(int phase) { return phase == CRYO_SCAN_PHASE_SCAN || phase == CRYO_SCAN_PHASE_BASELINE; }
  void sample(const cryo_scan_point &now);
  void update_curves();
  void write_file();
};

}    // namespace LAMMPS_NS

#endif
