/* ----------------------------------------------------------------------
   CryoCycle: fix thermal/cycle (see doc/fix_thermal_cycle.rst).

   Each step it evaluates the schedule (cryo_schedule.c) at the elapsed schedule time and hands the
   temperature to the thermostat fix through Fix::reset_target(), verifying through the thermostat's
   extract("t_target") that the target took effect and survived the thermostat's own step.
   During holds it samples potential energy per atom, temperature and volume of the fix group; the
   means of each hold are written as one report row per completed cycle.
------------------------------------------------------------------------- */

#include "fix_thermal_cycle.h"

#include "atom.h"
#include "citeme.h"
#include "comm.h"
#include "compute.h"
#include "strain_reference.h"
#include "style_support.h"
#include "cycle_values.h"
#include "error.h"
#include "force.h"
#include "group.h"
#include "memory.h"
#include "modify.h"
#include "update.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace LAMMPS_NS;
using namespace FixConst;

static const char cite_thermal_cycle[] =
    "fix thermal/cycle command (CryoCycle): cryogenic thermal cycling of metallic glasses\n\n"
    "@Article{Ketov2015,\n"
    " author = {S. V. Ketov and Y. H. Sun and S. Nachum and Z. Lu and A. Checchi and A. R. Beraldin"
    " and H. Y. Bai and W. H. Wang and D. V. Louzguine-Luzgin and M. A. Carpenter and A. L. Greer},\n"
    " title = {Rejuvenation of metallic glasses by non-affine thermal strain},\n"
    " journal = {Nature},\n volume = 524,\n pages = {200--203},\n year = 2015\n}\n\n";

namespace {

// Version of the restart record; bump when its layout changes.
constexpr double RESTART_FORMAT = 2.0;    // 2: with the report values

const ExclusiveFile::Role REPORT = {"report file", "report", "cycles"};

}    // namespace

/* ---------------------------------------------------------------------- */

FixThermalCycle::FixThermalCycle(LAMMPS *lmp, int narg, char **arg) :
    FixThermalProgram(lmp, narg, arg, 7), schedule(), report_append(false), values(nullptr),
    average_values(false), id_reference(nullptr), reference_at(REFERENCE_NONE),
    strain_reference(nullptr), completed_cycles(0), cycle_start_step(0), last_cold_pe(0.0),
    last_hot_pe(0.0), last_cold_volume(0.0)
{
  if (lmp->citeme) lmp->citeme->add(cite_thermal_cycle);
  size_vector = 7;
  restart_format = oldest_restart_format = RESTART_FORMAT;

  values = new CycleValues(lmp, fmt::format("Fix thermal/cycle {}", id));
  schedule.t_high = utils::numeric(FLERR, arg[4], false, lmp);
  schedule.t_low = utils::numeric(FLERR, arg[5], false, lmp);
  schedule.ncycles = utils::inumeric(FLERR, arg[6], false, lmp);
  const char *report_file = parse_cycle_keywords(narg, arg, 7);

  // Every check before the first side effect: a rejected command must not truncate a report.
  const double cycle = cryo_schedule_cycle_duration(&schedule);
  const double total = cryo_schedule_total_duration(&schedule);
  const cryo_schedule_status status = cryo_schedule_validate(&schedule);
  if (status == CRYO_SCHEDULE_ERROR_DURATION)
    check_kernel(status, "cycle time {} and total time {} of {} cycle(s)", cycle, total, schedule.ncycles);
  check_kernel(status, "invalid schedule");
  start_program();
  int64_t cycle_steps = 0, total_steps = 0;
  check_kernel(cryo_schedule_steps(&schedule, clock.dt(), clock.boundary_tolerance(), &cycle_steps, &total_steps),
               "{} cycle(s) of time {} ({} in all) at timestep {}", schedule.ncycles, cycle, total, clock.dt());
  if (report_file) {
    open_output(report_file, report_append, REPORT);
    write_report_header();
  }

  // Internal computes over the fix group: potential energy and temperature sampled during holds.
  // For group all the global energy suffices, which pair styles tally almost for free; a subgroup
  // needs per-atom energies, which cost a few percent of a step on the steps they are tallied.
  add_internal_compute("pe", igroup == 0 ? "pe" : "pe/atom");
  add_internal_compute("temp", "temp");
  cycle_start_step = elapsed_step;

  // The step counts are those on which the cycles complete (the boundary rule of the schedule).
  if (comm->me == 0)
    utils::logmesg(lmp,
                   "fix thermal/cycle {}: {} cycle(s) between {} and {} starting {}, "
                   "cycle time {:.6g} ({} steps at timestep {}), all cycles {:.6g} ({} steps)\n",
                   id, schedule.ncycles, schedule.t_high, schedule.t_low,
                   schedule.start == CRYO_SCHEDULE_START_HIGH ? "high" : "low", cycle, cycle_steps,
                   clock.dt(), total, total_steps);
}

/* ---------------------------------------------------------------------- */

const char *FixThermalCycle::parse_cycle_keywords(int narg, char **arg, int first)
{
  bool rate_given = false, hold_given = false;
  schedule.start = CRYO_SCHEDULE_START_HIGH;
  const char *report_file = nullptr;

  parse_keywords(narg, arg, first, [&](const std::string &keyword, int &iarg) {
    if (keyword == "start") {
      const std::string where = keyword_values(narg, arg, iarg, 1)[0];
      if (where == "high")
        schedule.start = CRYO_SCHEDULE_START_HIGH;
      else if (where == "low")
        schedule.start = CRYO_SCHEDULE_START_LOW;
      else
        error->all(FLERR, "Illegal fix thermal/cycle start value: {} (expected high or low)", where);
    } else if (keyword == "rate") {
      char **rate = keyword_values(narg, arg, iarg, 2);
      schedule.rate_cool = utils::numeric(FLERR, rate[0], false, lmp);
      schedule.rate_heat = utils::numeric(FLERR, rate[1], false, lmp);
      rate_given = true;
    } else if (keyword == "hold") {
      char **hold = keyword_values(narg, arg, iarg, 2);
      schedule.hold_low = utils::numeric(FLERR, hold[0], false, lmp);
      schedule.hold_high = utils::numeric(FLERR, hold[1], false, lmp);
      hold_given = true;
    } else if (keyword == "values") {
      const int first = ++iarg;
      while (iarg < narg && CycleValues::names_value(arg[iarg])) ++iarg;
      if (iarg == first)
        error->all(FLERR, "Illegal fix thermal/cycle values: expected c_ID, f_ID or v_name after it");
      // c_ID[*] and f_ID[*] stand for all elements of a global vector, as in fix ave/time
      char **expanded = nullptr;
      const int count = utils::expand_args(FLERR, iarg - first, &arg[first], 0, expanded, lmp);
      for (int k = 0; k < count; ++k) values->add(expanded[k]);
      if (expanded != &arg[first]) {
        for (int k = 0; k < count; ++k) delete[] expanded[k];
        memory->sfree(expanded);
      }
    } else if (keyword == "average") {
      average_values = utils::logical(FLERR, keyword_values(narg, arg, iarg, 1)[0], false, lmp) == 1;
    } else if (keyword == "reference") {
      if (iarg + 4 > narg) utils::missing_cmd_args(FLERR, "fix thermal/cycle reference", error);
      if (strncmp(arg[iarg + 1], "c_", 2) != 0 || strcmp(arg[iarg + 2], "at") != 0)
        error->all(FLERR, "Illegal fix thermal/cycle reference {} {}: expected reference c_ID at "
                   "cycle|cold|hot", arg[iarg + 1], arg[iarg + 2]);
      delete[] id_reference;
      id_reference = utils::strdup(arg[iarg + 1] + 2);
      const std::string when = arg[iarg + 3];
      if (when == "cycle") reference_at = REFERENCE_CYCLE;
      else if (when == "cold") reference_at = REFERENCE_COLD;
      else if (when == "hot") reference_at = REFERENCE_HOT;
      else
        error->all(FLERR, "Illegal fix thermal/cycle reference at {}: expected cycle, cold or hot", when);
      iarg += 4;
    } else if (keyword == "report" || keyword == "report/append") {
      report_file = keyword_values(narg, arg, iarg, 1)[0];
      report_append = keyword == "report/append";
    } else {
      return false;
    }
    return true;
  });

  // Defaults are physical (10 K/ps ramps, 10 ps holds); lj units have no physical time scale.
  if (!rate_given || !hold_given) {
    if (strcmp(update->unit_style, "lj") == 0)
      error->all(FLERR, "Fix thermal/cycle needs explicit rate and hold keywords with units lj");
    const double picosecond = 1000.0 * force->femtosecond;
    if (!rate_given) schedule.rate_cool = schedule.rate_heat = 10.0 / picosecond;
    if (!hold_given) schedule.hold_low = schedule.hold_high = 10.0 * picosecond;
  }
  return report_file;
}

/* ----------------------------------------------------------------------
   a schedule finer than the timestep cannot be followed: the target jumps or holds go unsampled
------------------------------------------------------------------------- */

void FixThermalCycle::check_time_resolution() const
{
  const double dt = clock.dt(), cycle = cryo_schedule_cycle_duration(&schedule);
  if (cycle < dt)
    error->all(FLERR, "Fix thermal/cycle {}: a cycle lasts {:.6g}, less than one timestep {}: several "
               "cycles would complete on one step; lower the rates, lengthen the holds or shorten "
               "the timestep", id, cycle, dt);
  if (comm->me != 0) return;
  const double span = schedule.t_high - schedule.t_low;
  const struct { const char *what; double duration; bool hold; } parts[] = {
      {"cooling ramp", span / schedule.rate_cool, false},
      {"heating ramp", span / schedule.rate_heat, false},
      {"cold hold", schedule.hold_low, true},
      {"hot hold", schedule.hold_high, true}};
  for (const auto &part : parts) {
    if (!part.hold && part.duration < dt)
      error->warning(FLERR, "Fix thermal/cycle {}: the {} lasts {:.6g}, less than one timestep {}: "
                     "the thermostat target jumps", id, part.what, part.duration, dt);
    if (part.hold && part.duration > 0.0 && part.duration < sample_every * dt)
      error->warning(FLERR, "Fix thermal/cycle {}: the {} lasts {:.6g}, less than every {} steps "
                     "({:.6g}): some holds will have no samples (nan in the report)", id, part.what,
                     part.duration, sample_every, sample_every * dt);
  }
}

/* the header of a new or emptied report (a report appended to keeps its own) */
void FixThermalCycle::write_report_header()
{
  FILE *report = output->stream();
  if (!report || ftell(report) != 0) return;
  fmt::print(report,
             "# fix thermal/cycle {} report: one row per completed cycle; hold means over "
             "sampled steps (every {}), nan where a hold had no samples\n"
             "# pe = potential energy per atom of group {} (energy units), temp = its "
             "temperature, vol = box volume\n"
             "# cycle step_begin step_end cold_samples cold_pe cold_temp cold_vol "
             "hot_samples hot_pe hot_temp hot_vol{}\n",
             id, sample_every, group->names[igroup], value_columns());
  fflush(report);
}

/* ---------------------------------------------------------------------- */

FixThermalCycle::~FixThermalCycle()
{
  delete values;
  delete[] id_reference;
}

/* what the report values and the strain reference read from other styles */
void FixThermalCycle::init_inputs()
{
  values->init();
  values->check_fix_frequency(sample_every);
  if (id_reference) {
    strain_reference = &StrainReference::find(lmp, "Fix thermal/cycle", "reference", id_reference);
    const double hold = reference_at == REFERENCE_COLD ? schedule.hold_low : schedule.hold_high;
    if (reference_at != REFERENCE_CYCLE && hold <= 0.0)
      error->all(FLERR, "Fix thermal/cycle reference at {}: the {} hold has zero duration",
                 reference_at == REFERENCE_COLD ? "cold" : "hot", reference_at == REFERENCE_COLD ? "cold" : "hot");
  }
}

/* ----------------------------------------------------------------------
   energy for step `next`, if a hold samples it or the strain reference will be taken on it
   (compute rejuvenation then takes its reference energies on that same step)
------------------------------------------------------------------------- */

void FixThermalCycle::prepare_next_step(bigint next)
{
  const cryo_schedule_point upcoming = evaluate(clock.time(next));
  if (next % sample_every == 0 && (is_hold(phase) || is_hold(upcoming.phase))) request_energy(next);
  // a sample reads temp's fields, pe/atom's group mask and the values' fields (KOKKOS: header)
  if (next % sample_every == 0 && is_hold(upcoming.phase))
    read_next_step(KINETIC_FIELDS | (values->size() ? values->fields_read() : EMPTY_MASK));
  if (strain_reference && reference_due(upcoming)) {
    modify->addstep_compute_all(next);
    read_next_step(strain_reference->fields_read());
  }
}

/* whether going from the current phase and cycle count to point `to` takes the reference */
bool FixThermalCycle::reference_due(const cryo_schedule_point &to) const
{
  const bool hold_ends = is_hold(phase) && (to.phase != phase || to.completed_cycles != completed_cycles);
  switch (reference_at) {
    case REFERENCE_CYCLE:
      return to.completed_cycles > completed_cycles;
    case REFERENCE_COLD:
      return hold_ends && phase == CRYO_PHASE_COLD_HOLD;
    case REFERENCE_HOT:
      return hold_ends && phase == CRYO_PHASE_HOT_HOLD;
    default:
      return false;
  }
}

/* ----------------------------------------------------------------------
   the step's holds, samples and cycles; the reference where the keyword asks for it
------------------------------------------------------------------------- */

FixThermalProgram::Point FixThermalCycle::advance(bigint step)
{
  const cryo_schedule_point now = evaluate(elapsed);

  if (is_hold(phase) && (now.phase != phase || now.completed_cycles != completed_cycles)) {
    finish_hold(phase);
    take_reference(phase == CRYO_PHASE_COLD_HOLD ? REFERENCE_COLD : REFERENCE_HOT);
  }
  if (is_hold(now.phase) && energy_requested_on(step))
    sample(now.phase == CRYO_PHASE_COLD_HOLD ? cold : hot);
  if (completed_cycles < now.completed_cycles) take_reference(REFERENCE_CYCLE);
  while (completed_cycles < now.completed_cycles) finish_cycle(step);
  return {now.target, now.phase, now.time_left};
}

/* ---------------------------------------------------------------------- */

cryo_schedule_point FixThermalCycle::evaluate(double time) const
{
  cryo_schedule_point point;
  check_kernel(cryo_schedule_evaluate(&schedule, time, clock.boundary_tolerance(), &point),
               "schedule at time {}", time);
  return point;
}

FixThermalProgram::Point FixThermalCycle::point_at(double time) const
{
  const cryo_schedule_point point = evaluate(time);
  return {point.target, point.phase, point.time_left};
}

bool FixThermalCycle::is_hold(int which) const
{
  return which == CRYO_PHASE_COLD_HOLD || which == CRYO_PHASE_HOT_HOLD;
}

void FixThermalCycle::request_energy(bigint step)
{
  // The report values may need energy as well (e.g. compute pe/atom inside compute
  // rejuvenation), as fix ave/time provides.
  internal_compute(PE)->addstep(step);
  if (values->size()) modify->addstep_compute_all(step);
  energy_requested_for(step);
}

/* ---------------------------------------------------------------------- */

void FixThermalCycle::sample(HoldSums &hold)
{
  Compute *potential_energy = internal_compute(PE);
  double pe_sum, count;
  if (potential_energy->peatomflag) {
    potential_energy->compute_peratom();
    const double *pe = potential_energy->vector_atom;
    const int *mask = atom->mask;
    double local[2] = {0.0, 0.0}, total[2];
    for (int i = 0; i < atom->nlocal; ++i)
      if (mask[i] & groupbit) {
        local[0] += pe[i];
        local[1] += 1.0;
      }
    MPI_Allreduce(local, total, 2, MPI_DOUBLE, MPI_SUM, world);
    pe_sum = total[0];
    count = total[1];
  } else {
    pe_sum = potential_energy->compute_scalar();
    count = (double) atom->natoms;
  }
  if (count == 0.0) return;    // every atom of the group was lost: nothing to average

  hold.pe_per_atom += pe_sum / count;
  hold.temperature += internal_compute(TEMP)->compute_scalar();
  hold.volume += box_volume();
  if (values->size()) {
    values->evaluate(hold.value_last);
    hold.value_sum.resize(values->size(), 0.0);
    for (size_t k = 0; k < values->size(); ++k) hold.value_sum[k] += hold.value_last[k];
  }
  if (hold.samples == 0) hold.first_step = update->ntimestep;
  hold.last_step = update->ntimestep;
  ++hold.samples;
}

double FixThermalCycle::HoldSums::mean(double sum) const
{
  return samples > 0 ? sum / samples : std::numeric_limits<double>::quiet_NaN();
}

void FixThermalCycle::finish_hold(int which)
{
  const HoldSums &hold = which == CRYO_PHASE_COLD_HOLD ? cold : hot;
  if (hold.samples == 0) return;
  if (which == CRYO_PHASE_COLD_HOLD) {
    last_cold_pe = hold.mean(hold.pe_per_atom);
    last_cold_volume = hold.mean(hold.volume);
  } else {
    last_hot_pe = hold.mean(hold.pe_per_atom);
  }
}

void FixThermalCycle::finish_cycle(bigint step)
{
  ++completed_cycles;
  if (FILE *report = output ? output->stream() : nullptr) {
    fmt::print(report, "{} {} {} {} {:.15g} {:.15g} {:.15g} {} {:.15g} {:.15g} {:.15g}",
               completed_cycles, cycle_start_step, step, cold.samples, cold.mean(cold.pe_per_atom),
               cold.mean(cold.temperature), cold.mean(cold.volume), hot.samples,
               hot.mean(hot.pe_per_atom), hot.mean(hot.temperature), hot.mean(hot.volume));
    for (const HoldSums *hold : {&cold, &hot})
      for (size_t k = 0; k < values->size(); ++k) {
        double value = std::numeric_limits<double>::quiet_NaN();    // a hold without samples
        if (hold->samples > 0) value = average_values ? hold->mean(hold->value_sum[k]) : hold->value_last[k];
        fmt::print(report, " {:.15g}", value);
      }
    fmt::print(report, "\n");
    fflush(report);
  }
  cycle_start_step = step;
  cold = HoldSums();
  hot = HoldSums();
}

/* the configuration of this step becomes the reference of the strain compute, if `event` is
   the one the reference keyword asked for */
void FixThermalCycle::take_reference(int event)
{
  if (event != reference_at || !strain_reference) return;
  // energies belong to the reference: the computes rejuvenation that listen to it take them now
  // (they were tallied on this step: see prepare_next_step())
  strain_reference->take();
}

/* report header: the names of the value columns */
std::string FixThermalCycle::value_columns() const
{
  std::string names;
  for (const char *hold : {"cold", "hot"})
    for (size_t k = 0; k < values->size(); ++k) names += fmt::format(" {}:{}", hold, values->name(k));
  return names;
}

/* ---------------------------------------------------------------------- */

/* ----------------------------------------------------------------------
   1 completed cycles, 2 phase, 3 elapsed schedule time, 4 time left,
   5 last cold-hold mean pe/atom, 6 last hot-hold mean pe/atom, 7 last cold-hold mean volume
------------------------------------------------------------------------- */

double FixThermalCycle::compute_vector(int n)
{
  switch (n) {
    case 0:
      return completed_cycles;
    case 1:
      return program_value(PHASE);
    case 2:
      return program_value(ELAPSED);
    case 3:
      return program_value(TIME_LEFT);
    case 4:
      return last_cold_pe;
    case 5:
      return last_hot_pe;
    case 6:
      return last_cold_volume;
    default:
      return 0.0;
  }
}

/* ---------------------------------------------------------------------- */

std::vector<double> FixThermalCycle::program_parameters() const
{
  return {schedule.t_high, schedule.t_low, schedule.rate_cool, schedule.rate_heat, schedule.hold_low,
          schedule.hold_high, (double) schedule.ncycles, (double) schedule.start};
}

void FixThermalCycle::pack_state(std::vector<double> &list) const
{
  list.insert(list.end(), {target, (double) completed_cycles, (double) phase, (double) cycle_start_step,
                           last_cold_pe, last_hot_pe, last_cold_volume});
  for (const HoldSums *hold : {&cold, &hot}) {
    list.insert(list.end(), {hold->pe_per_atom, hold->temperature, hold->volume,
                             (double) hold->samples, (double) hold->first_step,
                             (double) hold->last_step});
  }
  // the report values of the holds in progress: count, then per hold sums and last samples
  list.push_back((double) values->size());
  for (const HoldSums *hold : {&cold, &hot})
    for (size_t k = 0; k < values->size(); ++k) {
      const bool sampled = k < hold->value_sum.size() && k < hold->value_last.size();
      list.push_back(sampled ? hold->value_sum[k] : 0.0);
      list.push_back(sampled ? hold->value_last[k] : 0.0);
    }
}

void FixThermalCycle::unpack_state(const RestartRecord &record)
{
  const double *list = record.state;
  int i = 0;
  target = list[i++];
  completed_cycles = (int) list[i++];
  phase = (int) list[i++];
  cycle_start_step = (bigint) list[i++];
  last_cold_pe = list[i++];
  last_hot_pe = list[i++];
  last_cold_volume = list[i++];
  for (HoldSums *hold : {&cold, &hot}) {
    hold->pe_per_atom = list[i++];
    hold->temperature = list[i++];
    hold->volume = list[i++];
    hold->samples = (bigint) list[i++];
    hold->first_step = (bigint) list[i++];
    hold->last_step = (bigint) list[i++];
  }
  const size_t nvalues = (size_t) list[i++];
  for (HoldSums *hold : {&cold, &hot}) {
    hold->value_sum.assign(nvalues, 0.0);
    hold->value_last.assign(nvalues, 0.0);
    for (size_t k = 0; k < nvalues; ++k) {
      hold->value_sum[k] = list[i++];
      hold->value_last[k] = list[i++];
    }
  }
  if (nvalues != values->size() && (cold.samples > 0 || hot.samples > 0)) {
    // the samples before the restart are lost for the new values: their hold means are nan
    if (comm->me == 0)
      error->warning(FLERR, "Fix thermal/cycle {}: {} report values in the restart file, {} now; "
                     "the hold in progress reports nan for their means", id, nvalues, values->size());
    for (HoldSums *hold : {&cold, &hot}) {
      hold->value_sum.assign(values->size(), std::numeric_limits<double>::quiet_NaN());
      hold->value_last.assign(values->size(), std::numeric_limits<double>::quiet_NaN());
    }
  }
  if (!record.same_parameters) {
    // Cycle count, phase and partial holds belong to the old schedule: re-derive them.
    if (comm->me == 0)
      error->warning(FLERR,
                     "Fix thermal/cycle {}: schedule differs from the restart file; continuing at "
                     "schedule time {} under the new schedule",
                     id, elapsed);
    const cryo_schedule_point now = evaluate(elapsed);
    completed_cycles = now.completed_cycles;
    phase = now.phase;
    target = now.target;    // what the next run starts at, for f_ID before it
    cycle_start_step = elapsed_step;
    cold = HoldSums();
    hot = HoldSums();
  }
}
