/* ----------------------------------------------------------------------
   CryoCycle: fix thermal/scan (see doc/fix_thermal_scan.rst).

   Each step it evaluates the scan (cryo_scan.c) at the elapsed schedule time (cryo_schedule's
   step clock) and hands the temperature to the thermostat fix (thermostat_target.h). On sampled
   steps of the scan and of the baseline it adds the enthalpy per atom H = (PE + KE + P V)/N, the
   potential energy per atom and the volume to the bin of the step's target temperature. These
   are global quantities of LAMMPS's own computes, the same on every rank, added in step order:
   the sums do not depend on the number of ranks beyond what the computes' values do.
------------------------------------------------------------------------- */

#include "fix_thermal_scan.h"

#include "atom.h"
#include "comm.h"
#include "compute.h"
#include "error.h"
#include "force.h"
#include "update.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace LAMMPS_NS;
using namespace FixConst;

namespace {

// Version of the restart record; bump when its layout changes.
constexpr double RESTART_FORMAT = 2.0;    // 2: with every, pressure and the step the scan completed
constexpr double OLDEST_RESTART_FORMAT = 1.0;
const double NaN = std::numeric_limits<double>::quiet_NaN();

// Each bin takes 160 bytes of sums and means per rank and 80 in a restart file. A scan resolves
// far fewer bins than this: a bin narrower than the target's change between samples stays empty.
constexpr int MAX_BINS = 100000;

const ExclusiveFile::Role FILE_ROLE = {"file", "file", "scan"};

// "instant" or the given pressure, as the keyword takes it
std::string pressure_keyword(double pressure)
{
  return std::isnan(pressure) ? std::string("instant") : fmt::format("{}", pressure);
}

}    // namespace

/* ---------------------------------------------------------------------- */

FixThermalScan::FixThermalScan(LAMMPS *lmp, int narg, char **arg) :
    FixThermalProgram(lmp, narg, arg, 7), params(), bins(), relaxation_lo(NaN),
    relaxation_hi(NaN), window_given(false), relaxation_window(0.0), external_pressure(NaN),
    done_step(-1), curves_current(false), h_rel(NaN), h_rel_uncertainty(NaN)
{
  if (igroup != 0)
    error->all(FLERR, "Fix thermal/scan {} must be defined for group all: the enthalpy "
               "(PE + KE + P V)/N is a property of the whole system", id);

  size_vector = 5;
  array_flag = 1;
  size_array_cols = NCOLUMNS;
  extarray = 0;
  restart_format = RESTART_FORMAT;
  oldest_restart_format = OLDEST_RESTART_FORMAT;

  params.t_start = utils::numeric(FLERR, arg[4], false, lmp);
  params.t_end = utils::numeric(FLERR, arg[5], false, lmp);
  params.rate = utils::numeric(FLERR, arg[6], false, lmp);
  params.baseline = 1;
  params.hold = -1.0;    // default below: needs the units
  bins.lo = std::fmin(params.t_start, params.t_end);
  bins.hi = std::fmax(params.t_start, params.t_end);
  bins.nbins = 50;
  const char *file = parse_scan_keywords(narg, arg, 7);

  check_kernel(cryo_scan_validate(&params), "scan from {} to {} at rate {}", params.t_start,
               params.t_end, params.rate);
  check_kernel(cryo_scan_bins_validate(&bins, &params), "{} bins from {} to {} of the scan from {} to {}",
               bins.nbins, bins.lo, bins.hi, params.t_start, params.t_end);
  if (bins.nbins > MAX_BINS)
    error->all(FLERR, "Fix thermal/scan {}: {} bins: at most {} (each takes memory on every rank and "
               "room in restart files; a bin narrower than the change of the target between "
               "samples stays empty)", id, bins.nbins, MAX_BINS);
  if (has_relaxation()) {
    if (!params.baseline)
      error->all(FLERR, "Fix thermal/scan {}: relaxation needs the baseline (baseline yes)", id);
    if (!(relaxation_lo < relaxation_hi) || relaxation_lo < bins.lo || relaxation_hi > bins.hi)
      error->all(FLERR, "Fix thermal/scan {}: relaxation range {} to {} must be increasing and lie "
                 "within the binned range {} to {} of the scan", id, relaxation_lo, relaxation_hi,
                 bins.lo, bins.hi);
  }
  if (window_given) {
    if (!has_relaxation())
      error->all(FLERR, "Fix thermal/scan {}: window sets the fits of the heat of relaxation and needs "
                 "the relaxation keyword", id);
    // a window of two bin widths holds at least two bins wherever the curve is populated
    const double bin_width = (bins.hi - bins.lo) / bins.nbins;
    if (!(relaxation_window == 0.0 || relaxation_window >= 2.0 * bin_width))
      error->all(FLERR, "Fix thermal/scan {}: window {} must be 0 (interpolation) or at least two bin "
                 "widths ({})", id, relaxation_window, 2.0 * bin_width);
  }
  start_program();
  size_array_rows = bins.nbins;
  for (auto &curve : sums) curve.assign(bins.nbins, cryo_scan_sums{0, 0.0, 0.0, 0.0, 0.0});
  for (auto &curve : means) curve.assign(bins.nbins, cryo_scan_means{NaN, NaN, NaN, NaN, NaN});

  // Checked here, not when the scan is done: an unwritable file must not cost a scan.
  if (file) open_output(file, true, FILE_ROLE);

  // Internal computes over all atoms; the pressure uses its own temperature (kinetic part).
  add_internal_compute("pe", "pe");
  add_internal_compute("ke", "ke");
  const std::string id_temp = add_internal_compute("temp", "temp");
  add_internal_compute("press", "pressure " + id_temp);

  if (comm->me == 0)
    utils::logmesg(lmp, "fix thermal/scan {}: from {} to {} at rate {}{}, {} bins from {} to {}, "
                   "scan time {:.6g}, total {:.6g}\n", id, params.t_start, params.t_end, params.rate,
                   params.baseline ? " with baseline" : "", bins.nbins, bins.lo, bins.hi,
                   cryo_scan_segment_duration(&params), cryo_scan_total_duration(&params));
}

/* ---------------------------------------------------------------------- */

const char *FixThermalScan::parse_scan_keywords(int narg, char **arg, int first)
{
  bool hold_given = false;
  const char *file = nullptr;
  parse_keywords(narg, arg, first, [&](const std::string &keyword, int &iarg) {
    if (keyword == "bins") {
      char **value = keyword_values(narg, arg, iarg, 3);
      bins.nbins = utils::inumeric(FLERR, value[0], false, lmp);
      bins.lo = utils::numeric(FLERR, value[1], false, lmp);
      bins.hi = utils::numeric(FLERR, value[2], false, lmp);
    } else if (keyword == "baseline") {
      params.baseline = utils::logical(FLERR, keyword_values(narg, arg, iarg, 1)[0], false, lmp);
    } else if (keyword == "hold") {
      params.hold = utils::numeric(FLERR, keyword_values(narg, arg, iarg, 1)[0], false, lmp);
      hold_given = true;
    } else if (keyword == "pressure") {
      const char *pressure = keyword_values(narg, arg, iarg, 1)[0];
      external_pressure = strcmp(pressure, "instant") == 0 ? NaN : utils::numeric(FLERR, pressure, false, lmp);
    } else if (keyword == "relaxation") {
      char **range = keyword_values(narg, arg, iarg, 2);
      relaxation_lo = utils::numeric(FLERR, range[0], false, lmp);
      relaxation_hi = utils::numeric(FLERR, range[1], false, lmp);
    } else if (keyword == "window") {
      relaxation_window = utils::numeric(FLERR, keyword_values(narg, arg, iarg, 1)[0], false, lmp);
      window_given = true;
    } else if (keyword == "file") {
      file = keyword_values(narg, arg, iarg, 1)[0];
    } else {
      return false;
    }
    return true;
  });
  // Default hold: 1 ps (10 thermostat times of a typical 0.1 ps); lj units have no time scale.
  if (!hold_given) {
    if (strcmp(update->unit_style, "lj") == 0 && params.baseline)
      error->all(FLERR, "Fix thermal/scan needs an explicit hold keyword with units lj");
    params.hold = 1000.0 * force->femtosecond;
  }
  return file;
}

/* ----------------------------------------------------------------------
   a scan shorter than a timestep cannot be followed; bins shorter than the sampling interval
   stay partly empty
------------------------------------------------------------------------- */

void FixThermalScan::check_time_resolution() const
{
  const double dt = clock.dt(), scan = cryo_scan_segment_duration(&params);
  if (scan < dt)
    error->all(FLERR, "Fix thermal/scan {}: the scan lasts {:.6g}, less than one timestep {}; lower "
               "the rate or shorten the timestep", id, scan, dt);
  const double bin_time = (bins.hi - bins.lo) / bins.nbins / params.rate;
  if (comm->me == 0 && bin_time < sample_every * dt)
    error->warning(FLERR, "Fix thermal/scan {}: the scan crosses a bin in {:.6g}, less than every {} "
                   "steps ({:.6g}): some bins will have no samples", id, bin_time, sample_every,
                   sample_every * dt);
}

/* ---------------------------------------------------------------------- */

cryo_scan_point FixThermalScan::evaluate(double time) const
{
  cryo_scan_point point;
  check_kernel(cryo_scan_evaluate(&params, time, clock.boundary_tolerance(), &point), "scan at time {}", time);
  return point;
}

FixThermalProgram::Point FixThermalScan::point_at(double time) const
{
  const cryo_scan_point point = evaluate(time);
  return {point.target, point.phase, point.time_left};
}

/* energy and virial for step `next` if it is sampled */
void FixThermalScan::prepare_next_step(bigint next)
{
  if (next % sample_every != 0) return;
  if (!sampled(evaluate(clock.time(next)).phase)) return;
  internal_compute(PE)->addstep(next);
  if (std::isnan(external_pressure)) internal_compute(PRESS)->addstep(next);
  energy_requested_for(next);
  read_next_step(KINETIC_FIELDS);    // pe and pressure read none, ke and temp these (KOKKOS: header)
}

/* ---------------------------------------------------------------------- */

FixThermalProgram::Point FixThermalScan::advance(bigint step)
{
  const cryo_scan_point now = evaluate(elapsed);
  if (energy_requested_on(step) && sampled(now.phase)) sample(now);
  return {now.target, now.phase, now.time_left};
}

void FixThermalScan::program_complete(bigint step)
{
  done_step = step;
  write_file();
}

void FixThermalScan::post_run()
{
  FixThermalProgram::post_run();
  write_file();
}

/* one sample of the step's global state into the bin of its target temperature */
void FixThermalScan::sample(const cryo_scan_point &now)
{
  const int k = cryo_scan_bin_of(&bins, now.target);
  if (k < 0) return;
  const double natoms = (double) atom->natoms;
  if (natoms == 0.0) return;
  const double volume = box_volume();
  const double pe = internal_compute(PE)->compute_scalar();
  const double ke = internal_compute(KE)->compute_scalar();
  // the instantaneous pressure, or the barostat's external one (its mean, without the noise)
  const double p = std::isnan(external_pressure) ? internal_compute(PRESS)->compute_scalar() : external_pressure;
  const double pv = p * volume / force->nktv2p;
  const Curve curve = now.phase == CRYO_SCAN_PHASE_BASELINE ? BASELINE : SCAN;
  cryo_scan_add(&sums[curve][k], now.target, (pe + ke + pv) / natoms, pe / natoms, volume);
  curves_current = false;
}

/* ---------------------------------------------------------------------- */

void FixThermalScan::update_curves()
{
  if (curves_current) return;
  // too few populated bins: means stay, heat capacities NaN (a curve still being measured)
  for (int c : {SCAN, BASELINE}) {
    const cryo_scan_status status = cryo_scan_curve(sums[c].data(), bins.nbins, means[c].data());
    if (status != CRYO_SCAN_ERROR_TOO_FEW_BINS) check_kernel(status, "curve of {} bins", bins.nbins);
  }
  h_rel = h_rel_uncertainty = NaN;
  if (has_relaxation()) {
    // NaN until both curves cover the range (the scan or the baseline not yet there)
    const cryo_scan_status status = cryo_scan_relaxation(means[SCAN].data(), means[BASELINE].data(), bins.nbins,
                                                         relaxation_lo, relaxation_hi, relaxation_window,
                                                         &h_rel, &h_rel_uncertainty);
    if (status == CRYO_SCAN_ERROR_OUTSIDE_CURVE || status == CRYO_SCAN_ERROR_TOO_FEW_BINS ||
        status == CRYO_SCAN_ERROR_FIT_TOO_FEW_BINS)
      h_rel = h_rel_uncertainty = NaN;
    else
      check_kernel(status, "heat of relaxation from {} to {}", relaxation_lo, relaxation_hi);
  }
  curves_current = true;
}

/* the curves as a table (rank 0 writes; the file is rewritten at every run's end and when done) */
void FixThermalScan::write_file()
{
  if (!output) return;
  update_curves();
  FILE *fp = output->rewrite();
  if (!fp) return;
  // the step the scan completed on, not that of a later run's end (unknown in old restart files)
  std::string state = fmt::format("in progress at step {}", update->ntimestep);
  if (phase == CRYO_SCAN_PHASE_DONE)
    state = done_step >= 0 ? fmt::format("complete at step {}", done_step)
                           : fmt::format("complete by step {}", update->ntimestep);
  fmt::print(fp, "# fix thermal/scan {}: virtual DSC, {}, units {}\n", id, state, update->unit_style);
  fmt::print(fp,
             "# scan t1 {} t2 {} rate {} baseline {} hold {} pressure {} every {} dt {} t_a {} t_b {} "
             "window {} h_rel {:.15g} uncertainty {:.15g}\n",
             params.t_start, params.t_end, params.rate, params.baseline ? 1 : 0, params.hold,
             pressure_keyword(external_pressure), sample_every, clock.dt(),
             relaxation_lo, relaxation_hi, relaxation_window, h_rel, h_rel_uncertainty);
  fmt::print(fp,
             "# bins of the target temperature T: T_lo <= T < T_hi (the last bin includes T_hi); "
             "means over the samples in each bin\n"
             "# H = (PE + KE + P V)/N (energy per atom; P instantaneous or the given pressure), "
             "pe = PE/N, vol = box volume, T = mean target; C = dH/dT by central differences of "
             "bin means (energy per atom per temperature)\n"
             "# bin T_lo T_hi n_scan T_scan H_scan pe_scan vol_scan C_scan n_base T_base H_base "
             "pe_base vol_base C_base\n");
  for (int k = 0; k < bins.nbins; ++k) {
    fmt::print(fp, "{}", k + 1);
    for (int column = 0; column < NCOLUMNS; ++column) fmt::print(fp, " {:.15g}", compute_array(k, column));
    fmt::print(fp, "\n");
  }
  fflush(fp);
}

/* ---------------------------------------------------------------------- */

/* 1 phase, 2 elapsed schedule time, 3 time left, 4 H_rel, 5 its uncertainty */
double FixThermalScan::compute_vector(int n)
{
  switch (n) {
    case 0:
    case 1:
    case 2:
      return program_value(static_cast<ProgramValue>(n));
    case 3:
      update_curves();
      return h_rel;
    case 4:
      update_curves();
      return h_rel_uncertainty;
    default:
      return 0.0;
  }
}

double FixThermalScan::compute_array(int row, int column)
{
  update_curves();
  const double width = (bins.hi - bins.lo) / bins.nbins;
  const Curve curve = column >= BASE_COUNT ? BASELINE : SCAN;
  const cryo_scan_means &m = means[curve][row];
  switch (column) {
    case BIN_LO:
      return bins.lo + row * width;
    case BIN_HI:
      return row == bins.nbins - 1 ? bins.hi : bins.lo + (row + 1) * width;
    case SCAN_COUNT:
    case BASE_COUNT:
      return (double) sums[curve][row].count;
    case SCAN_T:
    case BASE_T:
      return m.target;
    case SCAN_H:
    case BASE_H:
      return m.enthalpy;
    case SCAN_PE:
    case BASE_PE:
      return m.potential;
    case SCAN_VOL:
    case BASE_VOL:
      return m.volume;
    case SCAN_C:
    case BASE_C:
      return m.heat_capacity;
    default:
      return 0.0;
  }
}

/* ----------------------------------------------------------------------
   restart record (FixThermalProgram): the scan and its bins, then (format 2) how they were
   sampled and the step the scan completed on
------------------------------------------------------------------------- */

std::vector<double> FixThermalScan::program_parameters() const
{
  return {params.t_start, params.t_end, params.rate, (double) params.baseline, params.hold,
          bins.lo,        bins.hi,      (double) bins.nbins};
}

void FixThermalScan::pack_state(std::vector<double> &list) const
{
  list.push_back((double) phase);
  for (const auto &curve : sums)
    for (const cryo_scan_sums &bin : curve)
      list.insert(list.end(), {(double) bin.count, bin.target, bin.enthalpy, bin.potential, bin.volume});
  list.insert(list.end(), {(double) sample_every, external_pressure, (double) done_step});
}

void FixThermalScan::unpack_state(const RestartRecord &record)
{
  // the bins belong to the scan they were measured in: a different one cannot continue them
  const double *saved = record.parameters;
  if (!record.same_parameters)
    error->all(FLERR, "Fix thermal/scan {}: the restart file holds a scan from {} to {} at rate {} "
               "(baseline {}, hold {}) in {} bins from {} to {}; define the fix with the same "
               "arguments to continue it, or with another ID to start a new scan", id, saved[0],
               saved[1], saved[2], saved[3] != 0.0 ? "yes" : "no", saved[4], (int) saved[7], saved[5], saved[6]);
  const double *list = record.state;
  int i = 0;
  phase = (int) list[i++];
  for (auto &curve : sums)
    for (cryo_scan_sums &bin : curve) {
      bin.count = (int64_t) list[i++];
      bin.target = list[i++];
      bin.enthalpy = list[i++];
      bin.potential = list[i++];
      bin.volume = list[i++];
    }
  if (record.format >= 2.0) {
    check_sampling_restored(list[i], list[i + 1]);
    done_step = (bigint) list[i + 2];
  }
  target = point_at(elapsed).target;    // what the next run starts at, for f_ID before it
  curves_current = false;
}

/* A bin's sums continue only with samples of the same kind: H of another pressure (instant or
   given) is another quantity, and the file header gives one sampling interval for all. */
void FixThermalScan::check_sampling_restored(double saved_every, double saved_pressure) const
{
  const bool same_pressure = std::isnan(saved_pressure) ? std::isnan(external_pressure)
                                                        : saved_pressure == external_pressure;
  if (saved_every == sample_every && same_pressure) return;
  error->all(FLERR, "Fix thermal/scan {}: the restart file holds bins sampled every {} steps with "
             "pressure {}, not every {} with pressure {}: continued bins would mix both; define the "
             "fix with every {} pressure {} to continue the scan, or with another ID to start a new "
             "scan", id, saved_every, pressure_keyword(saved_pressure), sample_every,
             pressure_keyword(external_pressure), saved_every, pressure_keyword(saved_pressure));
}
