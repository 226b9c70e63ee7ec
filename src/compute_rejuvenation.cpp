/* ----------------------------------------------------------------------
   CryoCycle: compute rejuvenation (see doc/compute_rejuvenation.rst).

   Per evaluation: the strain (and zone, and energy) of every owned group atom is handed to the
   statistics kernel (cryo_stats), whose fixed-point integer sums are added over the processors,
   so the results do not depend on the number of processors or threads. The energy change is
   measured from each atom's energy at the strain reference: captured at the first evaluation
   after the strain compute took its reference, stored per atom in internal fixes (follows atoms,
   kept in restart files). Zones come from any per-atom source (compute, fix, atom-style
   variable) as integers 1..nzones, 0 for none: those atoms go to an extra kernel row that counts
   in the group but is not part of the array.
------------------------------------------------------------------------- */

#include "compute_rejuvenation.h"

#include "atom.h"
#include "citeme.h"
#include "comm.h"
#include "compute_chunk_atom.h"
#include "cryo_band.h"
#include "cryo_strain.h"
#include "internal_stores.h"
#include "per_atom_input.h"
#include "strain_reference.h"
#include "style_support.h"
#include "error.h"
#include "fix.h"
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
}    // namespace

static const char cite_rejuvenation[] =
    "compute rejuvenation command (CryoCycle): strain statistics per shear-band zone\n\n"
    "@Article{Zhang2024,\n"
    " author = {Zhang and others},\n"
    " journal = {Phys. Rev. B},\n volume = 109,\n pages = {104205},\n year = 2024\n}\n\n";

/* ---------------------------------------------------------------------- */

ComputeRejuvenation::ComputeRejuvenation(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), strain_id(nullptr), pe_id(nullptr), strain(nullptr), strain_reference(nullptr), pe(nullptr),
    nzones_given(0), nzones(0), chunk(nullptr), config{}, ncolumns(NVALUES), rows(nullptr), maxrows(0)
{
  if (lmp->citeme) lmp->citeme->add(cite_rejuvenation);
  if (narg < 4) utils::missing_cmd_args(FLERR, "compute rejuvenation", error);
  strain_id = utils::strdup(arg[3]);
  config.lo = 0.3;
  config.hi = 0.7;
  parse_keywords(narg, arg, 4);

  vector_flag = 1;
  const int nhist = config.nbins > 0 ? config.nbins + 1 : 0;
  int histogram_counts = 0;
  for (const ValueHistogram &h : value_histograms) {
    if (h.value >= (int) value_inputs.size())
      error->all(FLERR, "Compute rejuvenation value/histogram {}: there {} only {} value{} (values keyword)",
                 h.value + 1, value_inputs.size() == 1 ? "is" : "are", value_inputs.size(),
                 value_inputs.size() == 1 ? "" : "s");
    histogram_counts += h.nbins + CRYO_STATS_HISTOGRAM_EXTRA;
  }
  const int first_value_histogram = NVALUES + nhist + 2 * (int) value_inputs.size();
  ncolumns = NVALUES + 2 * (int) value_inputs.size() + histogram_counts;
  size_vector = first_value_histogram + histogram_counts;
  extvector = -1;
  extlist = new int[size_vector];
  // atoms and histogram counts are extensive; means, fractions and standard deviations intensive
  for (int k = 0; k < size_vector; ++k)
    extlist[k] = (k == 0 || (k >= NVALUES && k < NVALUES + nhist) || k >= first_value_histogram) ? 1 : 0;
  values.assign(size_vector, 0.0);
  if (nzones_given && !zones)
    error->all(FLERR, "Compute rejuvenation nzones {} needs the zones keyword", nzones_given);
  if (zones) {
    // the source must exist now, as for compute reduce, since the row count may come from it
    zone_rows = resolve_zones();
    array_flag = 1;
    size_array_cols = ncolumns;
    extarray = 0;
    if (nzones_given || !zone_rows.chunk) {
      nzones = nzones_given ? nzones_given : zone_rows.known;
      if (nzones == 0)
        error->all(FLERR,
                   "Compute rejuvenation: the number of zones of {} is not known: give it with "
                   "nzones N",
                   zones->text());
    } else {
      // as many rows as the chunk compute has chunks on each evaluation, like compute
      // property/chunk: unknown until then
      size_array_rows_variable = 1;
      nzones = 0;
    }
    size_array_rows = nzones;
    grow_rows(nzones);
  }
  if (pe_id) create_stores();
  // per-atom fields read (KOKKOS: style_support.h), with those of the strain, energy and zone sources
  datamask_read = TAG_MASK | MASK_MASK | fields_read_by_compute(lmp, strain_id) | fields_read_by_compute(lmp, pe_id) |
      (zones ? fields_read_by_input(lmp, *zones) : EMPTY_MASK);
  for (const auto &input : value_inputs) datamask_read |= fields_read_by_input(lmp, *input);
  datamask_modify = EMPTY_MASK;
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
      zones = std::make_unique<PerAtomInput>(lmp, "Compute rejuvenation", id, "zones", arg[iarg + 1],
                                             "the ID of a compute sbzone/atom or chunk/atom");
      iarg += 2;
    } else if (keyword == "nzones") {
      need(1);
      nzones_given = utils::inumeric(FLERR, arg[iarg + 1], false, lmp);
      if (nzones_given < 1 || nzones_given > MAXZONES)
        error->all(FLERR, "Illegal compute rejuvenation nzones {}: need 1 to {}", nzones_given,
                   MAXZONES);
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
    } else if (keyword == "values") {
      // every following c_ID, c_ID[N], f_ID, f_ID[N] or v_name, as fix ave/atom takes them
      ++iarg;
      const int first = iarg;
      for (; iarg < narg && utils::strmatch(arg[iarg], "^[cfv]_"); ++iarg)
        value_inputs.push_back(std::make_unique<PerAtomInput>(lmp, "Compute rejuvenation", id, "value",
                                                              arg[iarg], ""));
      if (iarg == first)
        error->all(FLERR, "Illegal compute rejuvenation values: need at least one c_ID, c_ID[N], f_ID, "
                   "f_ID[N] or v_name{}", iarg < narg ? fmt::format(", not {}", arg[iarg]) : "");
    } else if (keyword == "value/histogram") {
      need(4);
      ValueHistogram h;
      h.value = utils::inumeric(FLERR, arg[iarg + 1], false, lmp) - 1;
      h.nbins = utils::inumeric(FLERR, arg[iarg + 2], false, lmp);
      h.lo = utils::numeric(FLERR, arg[iarg + 3], false, lmp);
      h.hi = utils::numeric(FLERR, arg[iarg + 4], false, lmp);
      if (h.value < 0)
        error->all(FLERR, "Illegal compute rejuvenation value/histogram {}: the value's number starts at 1",
                   h.value + 1);
      if (h.nbins < 1 || h.nbins > 10000)
        error->all(FLERR, "Illegal compute rejuvenation value/histogram bins {}: need 1 to 10000", h.nbins);
      if (!(h.lo < h.hi))
        error->all(FLERR, "Illegal compute rejuvenation value/histogram range {} {}: need lo < hi", h.lo, h.hi);
      value_histograms.push_back(h);
      iarg += 5;
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

/* ----------------------------------------------------------------------
   find the zone source (c_ID, c_ID[N], f_ID, f_ID[N], v_name, or the bare ID of a compute
   sbzone/atom, its zone column, or chunk/atom, its chunk IDs) and the rows it defines
------------------------------------------------------------------------- */

ComputeRejuvenation::ZoneRows ComputeRejuvenation::resolve_zones()
{
  ZoneRows rows_of_source;
  zones->resolve();
  chunk = nullptr;
  Compute *source = zones->compute();
  if (!source) return rows_of_source;
  // compute sbzone/atom (under any accelerator suffix): found by its style, as LAMMPS does
  const bool sbzone = base_style(source->style) == "sbzone/atom";
  auto *chunk_atom = dynamic_cast<ComputeChunkAtom *>(source);
  if (zones->bare()) {
    // a bare ID names a compute that defines zones; values of any other compute need c_
    if (sbzone)
      zones->bare_column(CRYO_SBZONE_COLUMN_ZONE + 1);    // columns count from 1, as in c_ID[N]
    else if (!chunk_atom)
      error->all(FLERR,
                 "Compute rejuvenation: zones compute {} is of style {}, not sbzone/atom or "
                 "chunk/atom: give per-atom values of another compute as c_{} or c_{}[N]",
                 source->id, source->style, source->id, source->id);
    zones->check_shape();
  }
  // the zone column of sbzone/atom holds its zone codes 1 to NZONES
  if (sbzone && zones->column() == CRYO_SBZONE_COLUMN_ZONE + 1) rows_of_source.known = CRYO_ZONE_COUNT;
  if (chunk_atom) {
    rows_of_source.chunk = true;
    chunk = chunk_atom;
  }
  return rows_of_source;
}

/* room for `n` rows of the array, all 0 */
void ComputeRejuvenation::grow_rows(int n)
{
  if (n > maxrows) {
    memory->destroy(rows);
    memory->create(rows, n, ncolumns, "rejuvenation:rows");
    maxrows = n;
  }
  for (int z = 0; z < n; ++z) std::fill(rows[z], rows[z] + ncolumns, 0.0);
}

ComputeRejuvenation::~ComputeRejuvenation()
{
  // the strain compute may be gone already, and its reference with it
  if (StrainReference *watched = strain_id ? StrainReference::of(lmp, strain_id) : nullptr) watched->forget(id);
  delete[] strain_id;
  delete[] pe_id;
  delete[] extlist;
  memory->destroy(rows);
}

/* ---------------------------------------------------------------------- */

void ComputeRejuvenation::init()
{
  if (stores) stores->refresh();
  strain_reference = &StrainReference::find(lmp, "Compute rejuvenation", "strain", strain_id);
  strain = modify->get_compute_by_id(strain_id);
  // a reference taken during a run (fix thermal/cycle reference) has its energies on that step
  strain_reference->listen(id, [this] { reference_taken(); });
  if (zones) {
    // computes, fixes and variables may have been redefined since: find them again, and they must
    // still give the rows this compute was defined with
    const PerAtomInput::Kind kind = zones->kind();
    const ZoneRows now = resolve_zones();
    if (zones->kind() != kind || (!nzones_given && !(now == zone_rows)))
      error->all(FLERR,
                 "Compute rejuvenation {}: zones {} was redefined as another kind of source "
                 "since this compute was defined: define the compute again",
                 id, zones->text());
  }
  for (const auto &input : value_inputs) input->resolve();
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
  global[REFERENCE_GENERATION] = (double) strain_reference->generation();
  global[CAPTURE_STEP] = (double) update->ntimestep;
  global[CAPTURED] = 1.0;
  // once per reference: a reference outside a run (compute definition, compute_modify) has no
  // energies of its own step unless the last run tallied them
  if (update->ntimestep != strain_reference->step() && comm->me == 0) {
    error->warning(FLERR,
                   "Compute rejuvenation {}: reference energies taken on step {}, the strain "
                   "reference of compute {} on step {}: evaluate {} on the step the reference is "
                   "taken to measure the energy change from it",
                   id, update->ntimestep, strain_id, strain_reference->step(), id);
  }
}

/* ----------------------------------------------------------------------
   the strain reference was just taken. During a run (fix thermal/cycle reference, which had the
   per-atom energy tallied on this step) take the reference energies now; outside one
   (compute_modify) there are none of this step: the next evaluation takes them, with a warning
------------------------------------------------------------------------- */

void ComputeRejuvenation::reference_taken()
{
  if (!pe || update->whichflag == 0) return;
  if (pe->invoked_peratom != update->ntimestep) pe->compute_peratom();
  capture_energy();
}

/* ---------------------------------------------------------------------- */

void ComputeRejuvenation::evaluate()
{
  // The invoked flags tell output commands which computes were used, so that LAMMPS schedules
  // them (pe/atom: tallies per-atom energy) on the next output step.
  const bigint now = update->ntimestep;
  for (Compute *source : {(Compute *) strain, pe}) {
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
    if (global[CAPTURED] == 0.0 || (bigint) global[REFERENCE_GENERATION] != strain_reference->generation())
      capture_energy();
  }

  // the owned group atoms, their row (zone) and values
  const int nlocal = atom->nlocal;
  std::vector<int> row(nlocal + 1, -1), valid(nlocal + 1, 0);
  if (zones) read_zones(row);
  std::vector<double> eta(nlocal + 1, 0.0), energy, reference;
  if (pe) {
    energy.assign(nlocal + 1, 0.0);
    reference.assign(nlocal + 1, 0.0);
  }
  double local_max[2] = {0.0, 0.0}, global_max[2];    // |eta|, |energy| and |reference|
  for (int i = 0; i < nlocal; ++i) {
    if (!(atom->mask[i] & groupbit)) continue;
    if (!zones) row[i] = 0;
    valid[i] = strain->array_atom[i][CRYO_STRAIN_COLUMN_VALID] != 0.0;
    eta[i] = strain->array_atom[i][CRYO_STRAIN_COLUMN_ETA_MISES];
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

  // with zones, one more row than the array for the atoms in no zone: they count in the group
  const int nrows = zones ? nzones + 1 : 1, nhist = config.nbins > 0 ? config.nbins + 1 : 0;
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
    if (r < nzones) fill(row_sums, rows[r]);
  }
  fill(group_sums, values.data());
  for (int k = 0; k < nhist; ++k) values[NVALUES + k] = (double) total[nsums + k];
  if (!value_inputs.empty()) {
    std::vector<int64_t> row_atoms(nrows);
    for (int r = 0; r < nrows; ++r) row_atoms[r] = total[r * CRYO_STATS_NSUMS];    // atoms: the first sum
    value_statistics(row, nrows, row_atoms, group_sums.atoms, nhist);
  }
}

/* ----------------------------------------------------------------------
   mean and standard deviation (of the population: divided by the atom count) of every per-atom
   value per zone and for the group. Two passes of fixed-point sums, exact and the same on any
   number of processors and threads: the mean of each row, then the squared deviations from it.
   The group's spread combines the rows' (sum over rows of the squared deviations plus the atoms
   times the squared distance of the row's mean from the group's).
------------------------------------------------------------------------- */

void ComputeRejuvenation::value_statistics(const std::vector<int> &row, int nrows, const std::vector<int64_t> &row_atoms,
                                           int64_t group_atoms, int nhist)
{
  const int nlocal = atom->nlocal;
  const int64_t natoms = std::max<int64_t>(1, group_atoms);
  std::vector<double> x(nlocal + 1, 0.0);
  for (size_t v = 0; v < value_inputs.size(); ++v) {
    PerAtomInput &input = *value_inputs[v];
    const PerAtomInput::Values of = input.read(igroup);
    double largest = 0.0;
    tagint bad_atom = 0, example = 0;
    for (int i = 0; i < nlocal; ++i)
      if (row[i] >= 0) {
        x[i] = of[i];
        if (!std::isfinite(x[i])) bad_atom = std::max(bad_atom, atom->tag[i]);
        largest = std::max(largest, std::fabs(x[i]));
      }
    MPI_Allreduce(&bad_atom, &example, 1, MPI_LMP_TAGINT, MPI_MAX, world);
    if (example != 0)
      error->all(FLERR, "Compute rejuvenation {}: value {} of atom {} is not a finite number (NaN or inf)", id,
                 input.text(), example);
    // one pass: sums of (x - center) and (x - center)^2 per row, with a scale that holds both
    auto pass = [&](const double *center, double reach) {
      double global_reach = 0.0;
      MPI_Allreduce(&reach, &global_reach, 1, MPI_DOUBLE, MPI_MAX, world);
      const double scale = cryo_stats_scale(std::max(global_reach, global_reach * global_reach), natoms);
      if (!(scale > 0.0))
        error->all(FLERR, "Compute rejuvenation {}: value {} is too large for the fixed-point sums", id, input.text());
      std::vector<int64_t> sums((size_t) nrows * CRYO_STATS_VALUE_SUMS + 1, 0), all(sums.size());
      check_status(lmp, Ranks::ONE,
                   cryo_stats_value_sums(nlocal, row.data(), x.data(), center, scale, nrows, comm->nthreads,
                                         sums.data()),
                   style_name(this), "statistics of value {}", input.text());
      MPI_Allreduce(sums.data(), all.data(), (int) all.size(), MPI_INT64_T, MPI_SUM, world);
      std::vector<double> result(all.size());
      for (size_t k = 0; k < all.size(); ++k) result[k] = all[k] / scale;
      return result;
    };
    const std::vector<double> first = pass(nullptr, largest);
    std::vector<double> mean(nrows, 0.0);
    double group_sum = 0.0;
    for (int r = 0; r < nrows; ++r) {
      mean[r] = row_atoms[r] > 0 ? first[r * CRYO_STATS_VALUE_SUMS + CRYO_STATS_VALUE_SUM] / row_atoms[r] : 0.0;
      group_sum += first[r * CRYO_STATS_VALUE_SUMS + CRYO_STATS_VALUE_SUM];
    }
    double deviation = 0.0;
    for (int i = 0; i < nlocal; ++i)
      if (row[i] >= 0) deviation = std::max(deviation, std::fabs(x[i] - mean[row[i]]));
    const std::vector<double> second = pass(mean.data(), deviation);
    const double group_mean = group_atoms > 0 ? group_sum / group_atoms : 0.0;
    double group_squares = 0.0;
    for (int r = 0; r < nrows; ++r) {
      const double squares = second[r * CRYO_STATS_VALUE_SUMS + CRYO_STATS_VALUE_SQUARES];
      group_squares += squares + row_atoms[r] * (mean[r] - group_mean) * (mean[r] - group_mean);
      if (r < nzones) {
        rows[r][NVALUES + 2 * v] = mean[r];
        rows[r][NVALUES + 2 * v + 1] = row_atoms[r] > 0 ? std::sqrt(std::max(0.0, squares / row_atoms[r])) : 0.0;
      }
    }
    values[NVALUES + nhist + 2 * v] = group_mean;
    values[NVALUES + nhist + 2 * v + 1] = group_atoms > 0 ? std::sqrt(std::max(0.0, group_squares / group_atoms)) : 0.0;
    value_histogram(row, nrows, x, (int) v, nhist);
  }
}

/* the histograms of value v (value/histogram): per zone, and for the group (every row, with the
   atoms of the group in no zone); integer counts, the same on any number of processors */
void ComputeRejuvenation::value_histogram(const std::vector<int> &row, int nrows, const std::vector<double> &x,
                                          int v, int nhist)
{
  int column = NVALUES + 2 * (int) value_inputs.size();
  int element = NVALUES + nhist + 2 * (int) value_inputs.size();
  for (const ValueHistogram &h : value_histograms) {
    const int width = h.nbins + CRYO_STATS_HISTOGRAM_EXTRA;
    if (h.value == v) {
      std::vector<int64_t> counts((size_t) nrows * width, 0), all(counts.size());
      check_status(lmp, Ranks::ONE,
                   cryo_stats_value_histogram(atom->nlocal, row.data(), x.data(), h.lo, h.hi, h.nbins, nrows,
                                              comm->nthreads, counts.data()),
                   style_name(this), "histogram of value {}", value_inputs[v]->text());
      MPI_Allreduce(counts.data(), all.data(), (int) all.size(), MPI_INT64_T, MPI_SUM, world);
      for (int k = 0; k < width; ++k) {
        int64_t group = 0;
        for (int r = 0; r < nrows; ++r) {
          group += all[(size_t) r * width + k];
          if (r < nzones) rows[r][column + k] = (double) all[(size_t) r * width + k];
        }
        values[element + k] = (double) group;
      }
    }
    column += width;
    element += width;
  }
}

/* ----------------------------------------------------------------------
   the zone of every owned group atom on this step: row[i] = zone - 1, or nzones (the extra row)
   for zone 0; the source invoked (compute), checked to be current (fix) or evaluated (variable)
------------------------------------------------------------------------- */

void ComputeRejuvenation::read_zones(std::vector<int> &row)
{
  const PerAtomInput::Values zone_of = zones->read(igroup);
  if (size_array_rows_variable) {
    // a compute chunk/atom has set up its chunks for this step when it was invoked
    if (chunk->nchunk > MAXZONES)
      error->all(FLERR, "Compute rejuvenation {}: zones compute {} has {} chunks, more than {} rows",
                 id, chunk->id, chunk->nchunk, MAXZONES);
    nzones = chunk->nchunk;
    size_array_rows = nzones;
    grow_rows(nzones);
  }

  for (int i = 0; i < atom->nlocal; ++i) {
    if (!(atom->mask[i] & groupbit)) continue;
    const double zone = zone_of[i];
    // checked as a double before any conversion to int
    if (!std::isfinite(zone) || zone != std::floor(zone))
      error->one(FLERR, "Compute rejuvenation {}: atom {} has zone {} from {}, not an integer", id,
                 atom->tag[i], zone, zones->text());
    if (zone < 0.0)
      error->one(FLERR, "Compute rejuvenation {}: atom {} has negative zone {} from {}", id,
                 atom->tag[i], zone, zones->text());
    if (zone > nzones)
      error->one(FLERR, "Compute rejuvenation {}: atom {} has zone {} from {}, beyond the {} zones",
                 id, atom->tag[i], zone, zones->text(), nzones);
    row[i] = zone == 0.0 ? nzones : (int) zone - 1;
  }
}

/* ----------------------------------------------------------------------
   lock methods, as ComputeChunk's: passed on to the chunk compute the rows follow
------------------------------------------------------------------------- */

void ComputeRejuvenation::lock_enable()
{
  if (size_array_rows_variable && chunk) chunk->lockcount++;
}

void ComputeRejuvenation::lock_disable()
{
  // the chunk compute may have been deleted since
  if (!size_array_rows_variable) return;
  chunk = dynamic_cast<ComputeChunkAtom *>(modify->get_compute_by_id(zones->id()));
  if (chunk) chunk->lockcount--;
}

int ComputeRejuvenation::lock_length()
{
  if (!size_array_rows_variable || !chunk) return size_array_rows;
  return chunk->setup_chunks();
}

void ComputeRejuvenation::lock(Fix *fix, bigint start, bigint stop)
{
  if (size_array_rows_variable && chunk) chunk->lock(fix, start, stop);
}

void ComputeRejuvenation::unlock(Fix *fix)
{
  if (size_array_rows_variable && chunk) chunk->unlock(fix);
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
  // per evaluation: row, valid (int), eta, energy, reference (double) per owned atom; the array
  return (double) atom->nlocal * (2 * sizeof(int) + 3 * sizeof(double)) +
         (double) maxrows * ncolumns * sizeof(double);
}
