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
#include "domain.h"
#include "error.h"
#include "force.h"
#include "group.h"
#include "modify.h"
#include "timer.h"
#include "update.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace LAMMPS_NS;
using namespace FixConst;

namespace {

// Version of the restart record; bump when its layout changes.
constexpr double RESTART_FORMAT = 1.0;
const double NaN = std::numeric_limits<double>::quiet_NaN();

}    // namespace

/* ---------------------------------------------------------------------- */

FixThermalScan::FixThermalScan(LAMMPS *lmp, int narg, char **arg) :
    Fix(lmp, narg, arg), params(), bins(), relaxation_given(false), relaxation_lo(0.0),
    relaxation_hi(0.0), window_given(false), relaxation_window(0.0), external_pressure(NaN), sample_every(10), halt_when_done(false), halted_run(false),
    thermostat(nullptr), id_pe(nullptr), id_ke(nullptr), id_temp(nullptr), id_press(nullptr),
    potential_energy(nullptr), kinetic_energy(nullptr), pressure(nullptr), requested_step(-1),
    clock(lmp, this), elapsed(0.0), elapsed_step(0), phase(CRYO_SCAN_PHASE_SCAN), curves_current(false),
    h_rel(NaN), h_rel_uncertainty(NaN)
{
  if (narg < 7) utils::missing_cmd_args(FLERR, "fix thermal/scan", error);
  if (igroup != 0)
    error->all(FLERR, "Fix thermal/scan {} must be defined for group all: the enthalpy "
               "(PE + KE + P V)/N is a property of the whole system", id);

  restart_global = 1;
  scalar_flag = 1;
  vector_flag = 1;
  size_vector = 5;
  array_flag = 1;
  size_array_cols = NCOLUMNS;
  extscalar = 0;
  extvector = 0;
  extarray = 0;
  global_freq = 1;
  nevery = 1;

  thermostat = new ThermostatTarget(lmp, this, arg[3]);
  params.t_start = utils::numeric(FLERR, arg[4], false, lmp);
  params.t_end = utils::numeric(FLERR, arg[5], false, lmp);
  params.rate = utils::numeric(FLERR, arg[6], false, lmp);
  params.baseline = 1;
  params.hold = -1.0;    // default below: needs the units
  bins.lo = std::fmin(params.t_start, params.t_end);
  bins.hi = std::fmax(params.t_start, params.t_end);
  bins.nbins = 50;
  parse_keywords(narg, arg, 7);

  check_kernel(cryo_scan_validate(&params), "scan from {} to {} at rate {}", params.t_start,
               params.t_end, params.rate);
  check_kernel(cryo_scan_bins_validate(&bins, &params), "{} bins from {} to {} of the scan from {} to {}",
               bins.nbins, bins.lo, bins.hi, params.t_start, params.t_end);
  if (relaxation_given) {
    if (!params.baseline)
      error->all(FLERR, "Fix thermal/scan {}: relaxation needs the baseline (baseline yes)", id);
    if (!(relaxation_lo < relaxation_hi) || relaxation_lo < bins.lo || relaxation_hi > bins.hi)
      error->all(FLERR, "Fix thermal/scan {}: relaxation range {} to {} must be increasing and lie "
                 "within the binned range {} to {} of the scan", id, relaxation_lo, relaxation_hi,
                 bins.lo, bins.hi);
  }
  if (window_given) {
    if (!relaxation_given)
      error->all(FLERR, "Fix thermal/scan {}: window sets the fits of the heat of relaxation and needs "
                 "the relaxation keyword", id);
    // a window of two bin widths holds at least two bins wherever the curve is populated
    const double bin_width = (bins.hi - bins.lo) / bins.nbins;
    if (!(relaxation_window == 0.0 || relaxation_window >= 2.0 * bin_width))
      error->all(FLERR, "Fix thermal/scan {}: window {} must be 0 (interpolation) or at least two bin "
                 "widths ({})", id, relaxation_window, 2.0 * bin_width);
  }
  clock.start(0.0);
  check_time_resolution();
  size_array_rows = bins.nbins;
  for (auto &curve : sums) curve.assign(bins.nbins, cryo_scan_sums{0, 0.0, 0.0, 0.0, 0.0});
  for (auto &curve : means) curve.assign(bins.nbins, cryo_scan_means{NaN, NaN, NaN, NaN, NaN});

  // Internal computes over all atoms; the pressure uses its own temperature (kinetic part).
  id_pe = utils::strdup(std::string(id) + "_pe");
  modify->add_compute(fmt::format("{} all pe", id_pe));
  id_ke = utils::strdup(std::string(id) + "_ke");
  modify->add_compute(fmt::format("{} all ke", id_ke));
  id_temp = utils::strdup(std::string(id) + "_temp");
  modify->add_compute(fmt::format("{} all temp", id_temp));
  id_press = utils::strdup(std::string(id) + "_press");
  modify->add_compute(fmt::format("{} all pressure {}", id_press, id_temp));

  elapsed_step = update->ntimestep;
  if (comm->me == 0)
    utils::logmesg(lmp, "fix thermal/scan {}: from {} to {} at rate {}{}, {} bins from {} to {}, "
                   "scan time {:.6g}, total {:.6g}\n", id, params.t_start, params.t_end, params.rate,
                   params.baseline ? " with baseline" : "", bins.nbins, bins.lo, bins.hi,
                   cryo_scan_segment_duration(&params), cryo_scan_total_duration(&params));
}

/* ---------------------------------------------------------------------- */

void FixThermalScan::parse_keywords(int narg, char **arg, int iarg)
{
  bool hold_given = false;
  while (iarg < narg) {
    const std::string keyword = arg[iarg];
    if (keyword == "bins") {
      if (iarg + 4 > narg) utils::missing_cmd_args(FLERR, "fix thermal/scan bins", error);
      bins.nbins = utils::inumeric(FLERR, arg[iarg + 1], false, lmp);
      bins.lo = utils::numeric(FLERR, arg[iarg + 2], false, lmp);
      bins.hi = utils::numeric(FLERR, arg[iarg + 3], false, lmp);
      iarg += 4;
    } else if (keyword == "baseline") {
      if (iarg + 2 > narg) utils::missing_cmd_args(FLERR, "fix thermal/scan baseline", error);
      params.baseline = utils::logical(FLERR, arg[iarg + 1], false, lmp);
      iarg += 2;
    } else if (keyword == "hold") {
      if (iarg + 2 > narg) utils::missing_cmd_args(FLERR, "fix thermal/scan hold", error);
      params.hold = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      hold_given = true;
      iarg += 2;
    } else if (keyword == "pressure") {
      if (iarg + 2 > narg) utils::missing_cmd_args(FLERR, "fix thermal/scan pressure", error);
      if (strcmp(arg[iarg + 1], "instant") == 0)
        external_pressure = NaN;
      else
        external_pressure = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      iarg += 2;
    } else if (keyword == "relaxation") {
      if (iarg + 3 > narg) utils::missing_cmd_args(FLERR, "fix thermal/scan relaxation", error);
      relaxation_lo = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      relaxation_hi = utils::numeric(FLERR, arg[iarg + 2], false, lmp);
      relaxation_given = true;
      iarg += 3;
    } else if (keyword == "window") {
      if (iarg + 2 > narg) utils::missing_cmd_args(FLERR, "fix thermal/scan window", error);
      relaxation_window = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      window_given = true;
      iarg += 2;
    } else if (keyword == "every") {
      if (iarg + 2 > narg) utils::missing_cmd_args(FLERR, "fix thermal/scan every", error);
      sample_every = utils::inumeric(FLERR, arg[iarg + 1], false, lmp);
      if (sample_every < 1)
        error->all(FLERR, "Illegal fix thermal/scan every value: {} (must be >= 1)", sample_every);
      iarg += 2;
    } else if (keyword == "halt") {
      if (iarg + 2 > narg) utils::missing_cmd_args(FLERR, "fix thermal/scan halt", error);
      halt_when_done = utils::logical(FLERR, arg[iarg + 1], false, lmp) == 1;
      iarg += 2;
    } else if (keyword == "file") {
      if (iarg + 2 > narg) utils::missing_cmd_args(FLERR, "fix thermal/scan file", error);
      file_path = arg[iarg + 1];
      iarg += 2;
    } else {
      error->all(FLERR, "Unknown fix thermal/scan keyword: {}", keyword);
    }
  }
  // Default hold: 1 ps (10 thermostat times of a typical 0.1 ps); lj units have no time scale.
  if (!hold_given) {
    if (strcmp(update->unit_style, "lj") == 0 && params.baseline)
      error->all(FLERR, "Fix thermal/scan needs an explicit hold keyword with units lj");
    params.hold = 1000.0 * force->femtosecond;
  }
}

/* ---------------------------------------------------------------------- */

FixThermalScan::~FixThermalScan()
{
  for (char *compute : {id_pe, id_ke, id_temp, id_press}) {
    if (compute && modify->get_compute_by_id(compute)) modify->delete_compute(compute);
    delete[] compute;
  }
  delete thermostat;
}

int FixThermalScan::setmask()
{
  return END_OF_STEP;
}

/* ---------------------------------------------------------------------- */

void FixThermalScan::init()
{
  ThermostatTarget::refuse_rerun(lmp, this);
  potential_energy = modify->get_compute_by_id(id_pe);
  kinetic_energy = modify->get_compute_by_id(id_ke);
  pressure = modify->get_compute_by_id(id_press);
  if (!potential_energy || !kinetic_energy || !pressure || !modify->get_compute_by_id(id_temp))
    error->all(FLERR, "Fix thermal/scan {} lost its internal computes", id);
  thermostat->lookup();
  // Before the thermostat's own setup: fix nvt/npt size their thermostat masses from t_target.
  thermostat->apply(evaluate(elapsed).target);
}

void FixThermalScan::setup(int /*vflag*/)
{
  clock.resume(elapsed, elapsed_step);    // schedule time continues from the last processed step
  requested_step = -1;
  prepare_next_step(update->ntimestep + 1);
}

void FixThermalScan::reset_dt()
{
  if (clock.follow_timestep()) check_time_resolution();
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

/* energy and virial for step `next` if it is sampled (they are tallied only on requested steps) */
void FixThermalScan::prepare_next_step(bigint next)
{
  if (next % sample_every != 0) return;
  if (!sampled(evaluate(clock.time(next)).phase)) return;
  potential_energy->addstep(next);
  if (std::isnan(external_pressure)) pressure->addstep(next);
  requested_step = next;
}

/* ---------------------------------------------------------------------- */

void FixThermalScan::end_of_step()
{
  const bigint step = update->ntimestep;
  thermostat->check_kept();
  elapsed = clock.time(step);
  elapsed_step = step;
  const cryo_scan_point now = evaluate(elapsed);
  if (requested_step == step && sampled(now.phase)) sample(now);
  requested_step = requested_step == step ? -1 : requested_step;

  const bool just_done = now.phase == CRYO_SCAN_PHASE_DONE && phase != CRYO_SCAN_PHASE_DONE;
  phase = now.phase;
  thermostat->apply(now.target);
  prepare_next_step(step + 1);

  if (just_done) {
    write_file();
    if (halt_when_done) {
      if (comm->me == 0)
        utils::logmesg(lmp, "Fix thermal/scan {}: scan complete on step {}, halting the run\n", id, step);
      timer->force_timeout();
      halted_run = true;
    }
  }
}

void FixThermalScan::post_run()
{
  // as fix thermal/cycle: the halt ends this run only; a timeout this fix did not force stays
  if (halted_run) timer->reset_timeout();
  halted_run = false;
  write_file();
}

/* one sample of the step's global state into the bin of its target temperature */
void FixThermalScan::sample(const cryo_scan_point &now)
{
  const int k = cryo_scan_bin_of(&bins, now.target);
  if (k < 0) return;
  const double natoms = (double) atom->natoms;
  if (natoms == 0.0) return;
  const double volume = domain->xprd * domain->yprd * (domain->dimension == 3 ? domain->zprd : 1.0);
  const double pe = potential_energy->compute_scalar();
  const double ke = kinetic_energy->compute_scalar();
  // the instantaneous pressure, or the barostat's external one (its mean, without the noise)
  const double p = std::isnan(external_pressure) ? pressure->compute_scalar() : external_pressure;
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
  if (relaxation_given) {
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
  if (file_path.empty()) return;
  update_curves();
  int opened = 1;
  std::string why;
  if (comm->me == 0) {
    FILE *fp = fopen(file_path.c_str(), "w");
    if (!fp) {
      opened = 0;
      why = utils::getsyserror();
    } else {
      const std::string pressure_used =
          std::isnan(external_pressure) ? std::string("instant") : fmt::format("{}", external_pressure);
      fmt::print(fp, "# fix thermal/scan {}: virtual DSC, {} step {}, units {}\n", id,
                 phase == CRYO_SCAN_PHASE_DONE ? "complete at" : "in progress at", update->ntimestep,
                 update->unit_style);
      fmt::print(fp,
                 "# scan t1 {} t2 {} rate {} baseline {} hold {} pressure {} every {} dt {} t_a {} t_b {} "
                 "window {} h_rel {:.15g} uncertainty {:.15g}\n",
                 params.t_start, params.t_end, params.rate, params.baseline ? 1 : 0, params.hold,
                 pressure_used, sample_every, clock.dt(), relaxation_given ? relaxation_lo : NaN,
                 relaxation_given ? relaxation_hi : NaN, relaxation_window, h_rel, h_rel_uncertainty);
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
      fclose(fp);
    }
  }
  MPI_Bcast(&opened, 1, MPI_INT, 0, world);
  if (!opened)
    error->all(FLERR, "Cannot open fix thermal/scan file {}: {}", file_path,
               comm->me == 0 ? why : std::string("see rank 0"));
}

/* ---------------------------------------------------------------------- */

double FixThermalScan::compute_scalar()
{
  return thermostat->target();
}

/* 1 phase, 2 elapsed schedule time, 3 time left, 4 H_rel, 5 its uncertainty */
double FixThermalScan::compute_vector(int n)
{
  switch (n) {
    case 0:
      return phase;
    case 1:
      return elapsed;
    case 2:
      return evaluate(elapsed).time_left;
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

/* ---------------------------------------------------------------------- */

void FixThermalScan::write_restart(FILE *fp)
{
  std::vector<double> list = {RESTART_FORMAT, params.t_start, params.t_end, params.rate,
                              (double) params.baseline, params.hold, bins.lo, bins.hi, (double) bins.nbins,
                              clock.state().anchor_time, (double) clock.state().anchor_step, clock.state().dt,
                              elapsed, (double) elapsed_step, (double) phase};
  for (const auto &curve : sums)
    for (const cryo_scan_sums &bin : curve)
      list.insert(list.end(), {(double) bin.count, bin.target, bin.enthalpy, bin.potential, bin.volume});
  if (comm->me == 0) {
    const int size = list.size() * sizeof(double);
    fwrite(&size, sizeof(int), 1, fp);
    fwrite(list.data(), sizeof(double), list.size(), fp);
  }
}

void FixThermalScan::restart(char *buf)
{
  const auto *list = reinterpret_cast<const double *>(buf);
  if (list[0] != RESTART_FORMAT)
    error->all(FLERR, "Fix thermal/scan {}: restart record has format {}, expected {}", id, list[0],
               RESTART_FORMAT);
  const bool same = list[1] == params.t_start && list[2] == params.t_end && list[3] == params.rate &&
      (int) list[4] == params.baseline && list[5] == params.hold && list[6] == bins.lo &&
      list[7] == bins.hi && (int) list[8] == bins.nbins;
  // the bins belong to the scan they were measured in: a different one cannot continue them
  if (!same)
    error->all(FLERR, "Fix thermal/scan {}: the restart file holds a scan from {} to {} at rate {} "
               "(baseline {}, hold {}) in {} bins from {} to {}; define the fix with the same "
               "arguments to continue it, or with another ID to start a new scan", id, list[1],
               list[2], list[3], list[4] != 0.0 ? "yes" : "no", list[5], (int) list[8], list[6], list[7]);
  int i = 9;
  clock.restore({list[i], (int64_t) list[i + 1], list[i + 2]});
  i += 3;
  elapsed = list[i++];
  elapsed_step = (bigint) list[i++];
  phase = (int) list[i++];
  for (auto &curve : sums)
    for (cryo_scan_sums &bin : curve) {
      bin.count = (int64_t) list[i++];
      bin.target = list[i++];
      bin.enthalpy = list[i++];
      bin.potential = list[i++];
      bin.volume = list[i++];
    }
  curves_current = false;
}
