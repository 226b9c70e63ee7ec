/* ----------------------------------------------------------------------
   CryoCycle: see fix_thermal_program.h.
------------------------------------------------------------------------- */

#include "fix_thermal_program.h"

#include "comm.h"
#include "compute.h"
#include "domain.h"
#include "error.h"
#include "group.h"
#include "modify.h"
#include "timer.h"
#include "update.h"

#include <algorithm>
#include <filesystem>

using namespace LAMMPS_NS;
using namespace FixConst;

/* ---------------------------------------------------------------------- */

FixThermalProgram::FixThermalProgram(LAMMPS *lmp, int narg, char **arg, int nargs) :
    Fix(lmp, narg, arg), restart_format(0.0), oldest_restart_format(0.0), sample_every(10),
    halt_when_done(false), thermostat(nullptr), output(nullptr), clock(lmp, this), elapsed(0.0),
    elapsed_step(0), phase(0), target(0.0), halted_run(false), requested_step(-1)
{
  if (narg < nargs) utils::missing_cmd_args(FLERR, fmt::format("fix {}", style), error);

  restart_global = 1;
  scalar_flag = 1;
  vector_flag = 1;
  extscalar = 0;
  extvector = 0;
  global_freq = 1;
  nevery = 1;

  thermostat = new ThermostatTarget(lmp, this, arg[3]);
  // per-atom data under KOKKOS (header comment): on the host, none changed, none read by default
  execution_space = Host;
  datamask_read = datamask_modify = EMPTY_MASK;
}

FixThermalProgram::~FixThermalProgram()
{
  delete output;
  for (const std::string &compute : internal_ids)
    if (modify->get_compute_by_id(compute)) modify->delete_compute(compute);
  delete thermostat;
}

int FixThermalProgram::setmask()
{
  return END_OF_STEP;
}

/* ---------------------------------------------------------------------- */

char **FixThermalProgram::keyword_values(int narg, char **arg, int &iarg, int count)
{
  if (iarg + 1 + count > narg) utils::missing_cmd_args(FLERR, fmt::format("fix {} {}", style, arg[iarg]), error);
  char **values = &arg[iarg + 1];
  iarg += 1 + count;
  return values;
}

void FixThermalProgram::parse_keywords(int narg, char **arg, int iarg, const KeywordParser &parse_own)
{
  while (iarg < narg) {
    const std::string keyword = arg[iarg];
    if (parse_own(keyword, iarg)) continue;
    if (keyword == "halt") {
      halt_when_done = utils::logical(FLERR, keyword_values(narg, arg, iarg, 1)[0], false, lmp) == 1;
    } else if (keyword == "every") {
      sample_every = utils::inumeric(FLERR, keyword_values(narg, arg, iarg, 1)[0], false, lmp);
      if (sample_every < 1)
        error->all(FLERR, "Illegal fix {} every value: {} (must be >= 1)", style, sample_every);
    } else {
      error->all(FLERR, "Unknown fix {} keyword: {}", style, keyword);
    }
  }
}

void FixThermalProgram::start_program()
{
  clock.start(0.0);
  check_time_resolution();
  elapsed = 0.0;
  elapsed_step = update->ntimestep;
  const Point start = point_at(0.0);
  target = start.target;
  phase = start.phase;
}

std::string FixThermalProgram::add_internal_compute(const std::string &suffix, const std::string &compute_style)
{
  const std::string compute_id = fmt::format("{}_{}", id, suffix);
  modify->add_compute(fmt::format("{} {} {}", compute_id, group->names[igroup], compute_style));
  internal_ids.push_back(compute_id);
  internal_computes.push_back(nullptr);
  return compute_id;
}

/* ----------------------------------------------------------------------
   two fixes writing one file would overwrite or interleave each other's rows: refused within
   this LAMMPS here, across LAMMPS processes by the file's lock
------------------------------------------------------------------------- */

void FixThermalProgram::open_output(const std::string &path, bool keep, const ExclusiveFile::Role &role)
{
  for (Fix *fix : modify->get_fix_list()) {
    const auto *other = dynamic_cast<FixThermalProgram *>(fix);    // nullptr while a fix is replaced
    if (!other || other == this || !other->output) continue;
    const std::string &other_path = other->output->path();
    int same = path == other_path;
    if (!same && comm->me == 0) {
      std::error_code ignored;    // a file that does not exist yet is not the other fix's file
      same = std::filesystem::equivalent(path, other_path, ignored);
    }
    MPI_Bcast(&same, 1, MPI_INT, 0, world);
    if (same)
      error->all(FLERR, "Fix {} {}: {} {} is the {} {} of fix {} {}; give each fix a file of its own",
                 style, id, role.name, path, other->output->role().name, other_path, other->style, other->id);
  }
  output = new ExclusiveFile(lmp, this, role);
  output->open(path, keep);
}

/* ---------------------------------------------------------------------- */

void FixThermalProgram::init()
{
  ThermostatTarget::refuse_rerun(lmp, this);
  if (group->count(igroup) == 0) error->all(FLERR, "Fix {} group {} has no atoms", style, group->names[igroup]);
  for (size_t k = 0; k < internal_ids.size(); ++k) {
    internal_computes[k] = modify->get_compute_by_id(internal_ids[k]);
    if (!internal_computes[k])
      error->all(FLERR, "Fix {} {} lost its internal compute {}", style, id, internal_ids[k]);
  }
  thermostat->lookup();
  init_inputs();
  // Before the thermostat's own setup: fix nvt/npt size their thermostat masses from t_target.
  apply_target(point_at(elapsed).target);
}

void FixThermalProgram::setup(int /*vflag*/)
{
  clock.resume(elapsed, elapsed_step);    // schedule time continues from the last processed step
  requested_step = -1;
  datamask_read = EMPTY_MASK;
  prepare_next_step(update->ntimestep + 1);
}

void FixThermalProgram::reset_dt()
{
  if (clock.follow_timestep()) check_time_resolution();
}

/* set the thermostat's target (verified by ThermostatTarget) */
void FixThermalProgram::apply_target(double temperature)
{
  thermostat->apply(temperature);
  target = temperature;
}

double FixThermalProgram::box_volume() const
{
  return domain->xprd * domain->yprd * (domain->dimension == 3 ? domain->zprd : 1.0);
}

/* ---------------------------------------------------------------------- */

void FixThermalProgram::end_of_step()
{
  const bigint step = update->ntimestep;
  thermostat->check_kept();
  elapsed = clock.time(step);
  elapsed_step = step;

  const Point now = advance(step);
  if (requested_step == step) requested_step = -1;
  const bool just_done = now.phase == PHASE_DONE && phase != PHASE_DONE;
  phase = now.phase;
  apply_target(now.target);
  datamask_read = EMPTY_MASK;
  prepare_next_step(step + 1);

  if (!just_done) return;
  program_complete(step);
  if (halt_when_done) {
    if (comm->me == 0)
      // (Error::message() was removed in LAMMPS 22Jul2025; utils::logmesg() exists in both)
      utils::logmesg(lmp, "Fix {} {}: {} complete on step {}, halting the run\n", style, id, completion(), step);
    timer->force_timeout();
    halted_run = true;
  }
}

void FixThermalProgram::post_run()
{
  // The halt only ends the current run; later runs hold the final temperature. A timeout that
  // this fix did not force (timer timeout, fix halt) stays in effect.
  if (halted_run) timer->reset_timeout();
  halted_run = false;
}

double FixThermalProgram::compute_scalar()
{
  return target;
}

double FixThermalProgram::program_value(ProgramValue which) const
{
  switch (which) {
    case PHASE:
      return phase;
    case ELAPSED:
      return elapsed;
    default:
      return point_at(elapsed).time_left;
  }
}

/* ---------------------------------------------------------------------- */

void FixThermalProgram::write_restart(FILE *fp)
{
  std::vector<double> list = {restart_format};
  const std::vector<double> parameters = program_parameters();
  list.insert(list.end(), parameters.begin(), parameters.end());
  const cryo_schedule_clock &anchor = clock.state();
  list.insert(list.end(), {anchor.anchor_time, (double) anchor.anchor_step, anchor.dt, elapsed, (double) elapsed_step});
  pack_state(list);
  if (comm->me == 0) {
    const int size = list.size() * sizeof(double);
    fwrite(&size, sizeof(int), 1, fp);
    fwrite(list.data(), sizeof(double), list.size(), fp);
  }
}

void FixThermalProgram::restart(char *buf)
{
  const auto *list = reinterpret_cast<const double *>(buf);
  const double format = list[0];
  if (!(format >= oldest_restart_format && format <= restart_format))
    error->all(FLERR, "Fix {} {}: restart record has format {}, expected {}", style, id, format, restart_format);
  const std::vector<double> parameters = program_parameters();
  const double *saved = list + 1;
  const bool same = std::equal(parameters.begin(), parameters.end(), saved);
  const double *progress = saved + parameters.size();
  clock.restore({progress[0], (int64_t) progress[1], progress[2]});
  elapsed = progress[3];
  elapsed_step = (bigint) progress[4];
  unpack_state({format, saved, same, progress + 5});
}
