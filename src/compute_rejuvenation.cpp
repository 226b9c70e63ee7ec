/* ----------------------------------------------------------------------
   CryoCycle: compute rejuvenation (see doc/compute_rejuvenation.rst).

   Per evaluation: the strain (and zone, and energy) of every owned group atom is handed to the
   statistics kernel (cryo_stats), whose fixed-point integer sums are added over the processors,
   so the results do not depend on the number of processors or threads. The energy change is
   measured from each atom's energy at the strain reference: captured at the first evaluation
   after the strain compute took its reference, stored per atom in internal fixes (follows atoms,
   kept in restart files).
------------------------------------------------------------------------- */

#include "compute_rejuvenation.h"

#include "atom.h"
#include "citeme.h"
#include "comm.h"
#include "compute_sbzone_atom.h"
#include "compute_strain_atom.h"
#include "style_support.h"
#include "internal_stores.h"
#include "error.h"
#include "group.h"
#include "memory.h"
#include "modify.h"
#include "update.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace LAMMPS_NS;

namespace {
// slots of the global store
// REFERENCE_GENERATION: StrainReference::generation() of the reference the energies belong to
enum { REFERENCE_GENERATION = 0, CAPTURE_STEP = 1, CAPTURED = 2, NSLOTS = 3 };
// columns of the per-atom store
enum { ENERGY = 0, HAS_ENERGY = 1, NCOLUMNS = 2 };
constexpr int NZONES = ComputeSBZoneAtom::NZONES;
}    // namespace

static const char cite_rejuvenation[] =
    "compute rejuvenation command (CryoCycle): strain statistics per shear-band zone\n\n"
    "@Article{Zhang2024,\n"
    " author = {Zhang and others},\n"
    " journal = {Phys. Rev. B},\n volume = 109,\n pages = {104205},\n year = 2024\n}\n\n";

/* ---------------------------------------------------------------------- */

ComputeRejuvenation::ComputeRejuvenation(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), strain_id(nullptr), zones_id(nullptr), pe_id(nullptr),
    strain(nullptr), zones(nullptr), pe(nullptr), config{},
    rows(nullptr)
{
  if (lmp->citeme) lmp->citeme->add(cite_rejuvenation);
  if (narg < 4) utils::missing_cmd_args(FLERR, "compute rejuvenation", error);
  strain_id = utils::strdup(arg[3]);
  config.lo = 0.3;
  config.hi = 0.7;
  parse_keywords(narg, arg, 4);

  vector_flag = 1;
  size_vector = NVALUES + (config.nbins > 0 ? config.nbins + 1 : 0);
  extvector = -1;
  extlist = new int[size_vector];
  // atoms and histogram counts are extensive; means and fractions intensive
  for (int k = 0; k < size_vector; ++k) extlist[k] = (k == 0 || k >= NVALUES) ? 1 : 0;
  values.assign(size_vector, 0.0);
  if (zones_id) {
    array_flag = 1;
    size_array_rows = NZONES;
    size_array_cols = NVALUES;
    extarray = 0;
    memory->create(rows, NZONES, NVALUES, "rejuvenation:rows");
    for (int z = 0; z < NZONES; ++z) std::fill(rows[z], rows[z] + NVALUES, 0.0);
  }
  if (pe_id) create_stores();
}

void ComputeRejuvenation::parse_keywords(int narg, char **arg, int iarg)
{
  while (iarg < narg) {
    const std::string keyword = arg[iarg];
    auto need = [&](int n) {
      if (iarg + n + 1 > narg) utils::missing_cmd_args(FLERR, "compute rejuvenation " + keyword, error);
    };
    if (keyword == "zones") {
      need(1);
      delete[] zones_id;
      zones_id = utils::strdup(arg[iarg + 1]);
      iarg += 2;
    } else if (keyword == "window") {
      need(2);
      config.lo = utils::numeric(FLERR, arg[iarg + 1], false, lmp);
      config.hi = utils::numeric(FLERR, arg[iarg + 2], false, lmp);
      if (config.lo < 0.0 || config.lo >= config.hi)
        error->all(FLERR, "Illegal compute rejuvenation window {} {}: need 0 <= lo < hi", config.lo,
                   config.hi);
      iarg += 3;
    } else if (keyword == "histogram") {
      need(2);
      config.nbins = utils::inumeric(FLERR, arg[iarg + 1], false, lmp);
      config.max = utils::numeric(FLERR, arg[iarg + 2], false, lmp);
      if (config.nbins < 1 || config.nbins > 10000)
        error->all(FLERR, "Illegal compute rejuvenation histogram bins {}: need 1 to 10000", config.nbins);
      if (!(config.max > 0.0))
        error->all(FLERR, "Illegal compute rejuvenation histogram max {}: must be > 0", config.max);
      iarg += 3;
    } else if (keyword == "pe") {
      need(1);
      delete[] pe_id;
      pe_id = utils::strdup(arg[iarg + 1]);
      iarg += 2;
    } else {
      error->all(FLERR, "Unknown compute rejuvenation keyword: {}", keyword);
    }
  }
}

/* the internal fixes with the reference energies; restored from a restart file if it has them */
void ComputeRejuvenation::create_stores()
{
  stores = std::make_unique<InternalStores>(lmp, id, "REJUVENATION", NSLOTS, NCOLUMNS,
                                            "reference energies");
  if (!stores->restored()) {
    stores->global()[CAPTURED] = 0.0;
    for (int i = 0; i < atom->nlocal; ++i) stores->atom()[i][HAS_ENERGY] = 0.0;
  }
}

ComputeRejuvenation::~ComputeRejuvenation()
{
  delete[] strain_id;
  delete[] zones_id;
  delete[] pe_id;
  delete[] extlist;
  memory->destroy(rows);
}

/* ---------------------------------------------------------------------- */

void ComputeRejuvenation::init()
{
  if (stores) stores->refresh();
  strain = find_compute<ComputeStrainAtom>(lmp, "Compute rejuvenation", "strain", strain_id, "strain/atom");
  if (zones_id)
    zones = find_compute<ComputeSBZoneAtom>(lmp, "Compute rejuvenation", "zones", zones_id, "sbzone/atom");
  if (pe_id) {
    pe = modify->get_compute_by_id(pe_id);
    if (!pe) error->all(FLERR, "Compute rejuvenation pe compute ID {} does not exist", pe_id);
    if (!utils::strmatch(pe->style, "^pe/atom"))
      error->all(FLERR, "Compute rejuvenation: pe compute {} is of style {}, not pe/atom", pe_id,
                 pe->style);
  }
}

/* ----------------------------------------------------------------------
   every atom's current energy becomes its reference energy
------------------------------------------------------------------------- */

void ComputeRejuvenation::capture_energy()
{
  double **store = stores->atom();
  for (int i = 0; i < atom->nlocal; ++i) {
    store[i][ENERGY] = pe->vector_atom[i];
    store[i][HAS_ENERGY] = 1.0;
  }
  double *global = stores->global();
  global[REFERENCE_GENERATION] = (double) strain->reference().generation();
  global[CAPTURE_STEP] = (double) update->ntimestep;
  global[CAPTURED] = 1.0;
  // once per reference: a reference outside a run (compute definition, compute_modify) has no
  // energies of its own step unless the last run tallied them
  if (update->ntimestep != strain->reference_step() && comm->me == 0) {
    error->warning(FLERR,
                   "Compute rejuvenation {}: reference energies taken on step {}, the strain "
                   "reference of compute {} on step {}: evaluate {} on the step the reference is "
                   "taken to measure the energy change from it",
                   id, update->ntimestep, strain_id, strain->reference_step(), id);
  }
}

/* ----------------------------------------------------------------------
   the strain reference of `source` was just taken during a run (fix thermal/cycle reference),
   which had the per-atom energy tallied on this step: take the reference energies now
------------------------------------------------------------------------- */

void ComputeRejuvenation::reference_taken(ComputeStrainAtom *source)
{
  if (!pe || source != strain) return;
  if (pe->invoked_peratom != update->ntimestep) pe->compute_peratom();
  capture_energy();
}

/* ---------------------------------------------------------------------- */

void ComputeRejuvenation::evaluate()
{
  // The invoked flags tell output commands which computes were used, so that LAMMPS schedules
  // them (pe/atom: tallies per-atom energy) on the next output step.
  const bigint now = update->ntimestep;
  for (Compute *source : {(Compute *) strain, zones, pe}) {
    if (!source) continue;
    if (source->invoked_peratom != now) source->compute_peratom();
    source->invoked_flag |= Compute::INVOKED_PERATOM;
  }
  if (pe) {
    // pe/atom of another group leaves the energy of the atoms outside it at 0: a wrong mean
    const int pebit = group->bitmask[pe->igroup];
    int outside = 0, total_outside = 0;
    for (int i = 0; i < atom->nlocal; ++i)
      if ((atom->mask[i] & groupbit) && !(atom->mask[i] & pebit)) ++outside;
    MPI_Allreduce(&outside, &total_outside, 1, MPI_INT, MPI_SUM, world);
    if (total_outside > 0)
      error->all(FLERR,
                 "Compute rejuvenation {}: {} atoms of group {} are not in group {} of pe compute "
                 "{}, which gives them no energy: define the pe/atom compute for group all (or a "
                 "group containing {})",
                 id, total_outside, group->names[igroup], group->names[pe->igroup], pe_id,
                 group->names[igroup]);
    const double *global = stores->global();
    if (global[CAPTURED] == 0.0 || (bigint) global[REFERENCE_GENERATION] != strain->reference().generation())
      capture_energy();
  }

  // the owned group atoms, their row (zone) and values
  const int nlocal = atom->nlocal;
  std::vector<int> row(nlocal + 1, -1), valid(nlocal + 1, 0);
  std::vector<double> eta(nlocal + 1, 0.0), energy, reference;
  if (pe) {
    energy.assign(nlocal + 1, 0.0);
    reference.assign(nlocal + 1, 0.0);
  }
  double local_max[2] = {0.0, 0.0}, global_max[2];    // |eta|, |energy| and |reference|
  for (int i = 0; i < nlocal; ++i) {
    if (!(atom->mask[i] & groupbit)) continue;
    row[i] = 0;
    if (zones) {
      const int zone = (int) zones->array_atom[i][0];
      if (zone < 1 || zone > NZONES)
        error->one(FLERR, "Compute rejuvenation {}: atom {} of group {} is not in the group of zones compute {}",
                   id, atom->tag[i], group->names[igroup], zones_id);
      row[i] = zone - 1;
    }
    valid[i] = strain->array_atom[i][ComputeStrainAtom::VALID] != 0.0;
    eta[i] = strain->array_atom[i][ComputeStrainAtom::ETA_MISES];
    if (valid[i]) local_max[0] = std::max(local_max[0], std::fabs(eta[i]));
    if (pe) {
      if (stores->atom()[i][HAS_ENERGY] == 0.0)
        error->one(FLERR,
                   "Compute rejuvenation {}: atom {} has no reference energy (it was created after "
                   "the strain reference); take the reference of compute {} again",
                   id, atom->tag[i], strain_id);
      energy[i] = pe->vector_atom[i];
      reference[i] = stores->atom()[i][ENERGY];
      local_max[1] = std::max({local_max[1], std::fabs(energy[i]), std::fabs(reference[i])});
    }
  }
  MPI_Allreduce(local_max, global_max, 2, MPI_DOUBLE, MPI_MAX, world);
  const int64_t natoms = std::max<int64_t>(1, (int64_t) group->count(igroup));
  config.eta_scale = cryo_stats_scale(global_max[0], natoms);
  config.energy_scale = cryo_stats_scale(global_max[1], natoms);
  if (!(config.eta_scale > 0.0) || (pe && !(config.energy_scale > 0.0)))
    error->all(FLERR, "Compute rejuvenation {}: a strain or energy is not finite", id);

  const int nrows = zones ? NZONES : 1, nhist = config.nbins > 0 ? config.nbins + 1 : 0;
  std::vector<cryo_stats_sums> sums(nrows);
  std::vector<int64_t> histogram(nhist + 1, 0);
  const cryo_stats_status status = cryo_stats_accumulate(
      &config, nlocal, row.data(), eta.data(), valid.data(), pe ? energy.data() : nullptr,
      pe ? reference.data() : nullptr, nrows, comm->nthreads, sums.data(), histogram.data());
  check_status(lmp, Ranks::ONE, status, style_name(this), "statistics of the group and zones");

  // integer sums over the processors: exact, in any order
  const int nsums = nrows * CRYO_STATS_NSUMS;
  std::vector<int64_t> local(nsums + nhist), total(nsums + nhist);
  for (int r = 0; r < nrows; ++r) cryo_stats_pack(&sums[r], &local[r * CRYO_STATS_NSUMS]);
  std::copy(histogram.begin(), histogram.begin() + nhist, local.begin() + nsums);
  MPI_Allreduce(local.data(), total.data(), nsums + nhist, MPI_INT64_T, MPI_SUM, world);

  // one row of values from the sums of its atoms
  auto fill = [&](const cryo_stats_sums &s, double *out) {
    const double atoms = (double) s.atoms, nvalid = (double) s.valid;
    out[0] = atoms;
    out[1] = nvalid > 0 ? (s.eta / config.eta_scale) / nvalid : 0.0;
    out[2] = nvalid > 0 ? s.below / nvalid : 0.0;
    out[3] = nvalid > 0 ? s.window / nvalid : 0.0;
    out[4] = nvalid > 0 ? s.above / nvalid : 0.0;
    out[5] = pe && atoms > 0 ? (s.energy / config.energy_scale) / atoms : 0.0;
    out[6] = pe && atoms > 0 ? (s.change / config.energy_scale) / atoms : 0.0;
  };
  cryo_stats_sums group_sums = {}, row_sums;
  for (int r = 0; r < nrows; ++r) {
    cryo_stats_unpack(&total[r * CRYO_STATS_NSUMS], &row_sums);
    cryo_stats_add(&group_sums, &row_sums);
    if (zones) fill(row_sums, rows[r]);
  }
  fill(group_sums, values.data());
  for (int k = 0; k < nhist; ++k) values[NVALUES + k] = (double) total[nsums + k];
}

void ComputeRejuvenation::compute_vector()
{
  invoked_vector = update->ntimestep;
  evaluate();
  vector = values.data();
}

void ComputeRejuvenation::compute_array()
{
  invoked_array = update->ntimestep;
  evaluate();
  array = rows;
}

double ComputeRejuvenation::memory_usage()
{
  // per evaluation: row, valid (int), eta, energy, reference (double) per owned atom
  return (double) atom->nlocal * (2 * sizeof(int) + 3 * sizeof(double));
}
