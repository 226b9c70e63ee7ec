/* ----------------------------------------------------------------------
   CryoCycle: compute strain/atom (see doc/compute_strain_atom.rst).

   The reference configuration (unwrapped positions x0, the cell H0 and its origin) is stored in
   two internal fixes, STORE/ATOM and STORE/GLOBAL, so it follows atoms between processors and is
   written to restart files. Whenever LAMMPS has rebuilt its neighbour lists (local indices and
   image flags change only then), the compute gives every local copy of an atom (owned or ghost)
   the reference position of that copy, x0 - H0 (image) for owned atoms and shifted by the ghost's
   periodic shift in the reference cell for ghosts, and lists every atom's neighbours sorted by tag
   (frozen reference neighbours looked up by tag, or candidates within cutoff + skin from a cell
   list), each as the local copy that is its periodic image. A pair is then the difference of two
   local rows in both configurations, so an evaluation needs no communication (but for fresh ghost
   positions when a fix changes the box at the end of a step): it hands the rows and the lists to
   the C kernel cryo_strain_evaluate(), with the per-centre reference moments in reference mode.
   Sorting by tag makes the sums, and so the results, identical on any number of processors.
------------------------------------------------------------------------- */

#include "compute_strain_atom.h"

#include "atom.h"
#include "citeme.h"
#include "comm.h"
#include "cryo_neighbors.h"
#include "domain.h"
#include "error.h"
#include "fix.h"
#include "fix_store_atom.h"
#include "fix_store_global.h"
#include "group.h"
#include "memory.h"
#include "modify.h"
#include "neighbor.h"
#include "update.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace LAMMPS_NS;

static const char cite_strain_atom[] =
    "compute strain/atom command (CryoCycle): atomic strain and D2min\n\n"
    "@Article{Shimizu2007,\n"
    " author = {F. Shimizu and S. Ogata and J. Li},\n"
    " title = {Theory of shear banding in metallic glasses and molecular dynamics calculations},\n"
    " journal = {Materials Transactions},\n volume = 48,\n pages = {2923--2927},\n year = 2007\n}\n\n"
    "@Article{Falk1998,\n"
    " author = {M. L. Falk and J. S. Langer},\n"
    " title = {Dynamics of viscoplastic deformation in amorphous solids},\n"
    " journal = {Phys. Rev. E},\n volume = 57,\n pages = {7192--7205},\n year = 1998\n}\n\n";

namespace {

// Layout of the global store (STORE/GLOBAL vector).
enum BoxSlot {
  FORMAT = 0, CELL0 = 1, ORIGIN0 = 10, PENDING = 13, COLUMNS = 14, CUTOFF = 15, NATOMS = 16,
  REFERENCE_STEP = 17, NSLOTS = 18
};
constexpr double STORE_FORMAT = 3.0;    // 3: with REFERENCE_STEP

// Layout of a row of the per-atom store: x0 (3), then in reference mode the atom's own ID (to
// notice renumbering), the neighbour count and the neighbour IDs.
enum AtomSlot { X0 = 0, OWN_TAG = 3, NTAGS = 4, TAGS = 5 };

void current_cell(const Domain *domain, double h[3][3])
{
  const double cell[3][3] = {{domain->xprd, domain->xy, domain->xz},
                             {0.0, domain->yprd, domain->yz},
                             {0.0, 0.0, domain->zprd}};
  std::memcpy(h, cell, sizeof cell);
}

}    // namespace

/* ---------------------------------------------------------------------- */

ComputeStrainAtom::ComputeStrainAtom(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), cutoff(0.0), reference_neighbors(true), lost_is_error(true),
    maxneigh(32), affine(CRYO_STRAIN_AFFINE_OFF), d2min(CRYO_STRAIN_D2MIN_SUM),
    tensor(CRYO_STRAIN_TENSOR_NONE), id_atom_store(nullptr), id_box_store(nullptr),
    atom_store(nullptr), box_store(nullptr), nmax(0), x0_copy(nullptr),
    lists_ncalls(-1), runs(0), lists_run(-1), lists_nlocal(-1), lists_nghost(-1), reference_version(0),
    lists_reference_version(-1), ninvalid_local(0),
    nlost_local(0), ghosts_lag_box(false), vector_values{0.0, 0.0, 0.0}
{
  if (lmp->citeme) lmp->citeme->add(cite_strain_atom);
  if (narg < 4) utils::missing_cmd_args(FLERR, "compute strain/atom", error);
  cutoff = utils::numeric(FLERR, arg[3], false, lmp);
  if (!(cutoff > 0.0)) error->all(FLERR, "Illegal compute strain/atom cutoff {}: must be > 0", arg[3]);
  parse_keywords(narg, arg, 4);
  if (atom->tag_enable == 0) error->all(FLERR, "Compute strain/atom requires atom IDs");

  cryo_strain_config columns_of{};
  columns_of.tensor = tensor;
  peratom_flag = 1;
  size_peratom_cols = cryo_strain_columns(&columns_of);
  scalar_flag = 1;
  extscalar = 1;
  vector_flag = 1;
  size_vector = 3;
  extvector = -1;
  extlist = new int[3]{1, 1, 0};    // counts of atoms; the step of the reference is not
  comm_forward = 3;
  create_attribute = 1;

  // Reference neighbours are looked up by tag: keep an atom map, as molecular systems do.
  if (reference_neighbors && atom->map_style == Atom::MAP_NONE) {
    atom->map_style = Atom::MAP_YES;
    atom->map_init();
    atom->map_set();
  }
  create_stores();
}

/* ---------------------------------------------------------------------- */

void ComputeStrainAtom::parse_keywords(int narg, char **arg, int iarg)
{
  while (iarg < narg) {
    const std::string keyword = arg[iarg];
    if (iarg + 2 > narg) utils::missing_cmd_args(FLERR, "compute strain/atom " + keyword, error);
    const std::string value = arg[iarg + 1];
    auto illegal = [&](const char *expected) {
      error->all(FLERR, "Illegal compute strain/atom {} value: {} (expected {})", keyword, value, expected);
    };
    if (keyword == "neighbors") {
      if (value == "reference") reference_neighbors = true;
      else if (value == "current") reference_neighbors = false;
      else illegal("reference or current");
    } else if (keyword == "affine") {
      if (value == "off") affine = CRYO_STRAIN_AFFINE_OFF;
      else if (value == "reference") affine = CRYO_STRAIN_AFFINE_TO_REFERENCE;
      else if (value == "current") affine = CRYO_STRAIN_AFFINE_TO_CURRENT;
      else illegal("off, reference or current");
    } else if (keyword == "d2min") {
      if (value == "sum") d2min = CRYO_STRAIN_D2MIN_SUM;
      else if (value == "rms") d2min = CRYO_STRAIN_D2MIN_RMS;
      else illegal("sum or rms");
    } else if (keyword == "tensor") {
      if (value == "none") tensor = CRYO_STRAIN_TENSOR_NONE;
      else if (value == "F") tensor = CRYO_STRAIN_TENSOR_F;
      else if (value == "E") tensor = CRYO_STRAIN_TENSOR_E;
      else illegal("none, F or E");
    } else if (keyword == "lost") {
      if (value == "error") lost_is_error = true;
      else if (value == "invalid") lost_is_error = false;
      else illegal("error or invalid");
    } else if (keyword == "maxneigh") {
      maxneigh = utils::inumeric(FLERR, value, false, lmp);
      if (maxneigh < 1) illegal("an integer >= 1");
    } else {
      error->all(FLERR, "Unknown compute strain/atom keyword: {}", keyword);
    }
    iarg += 2;
  }
}

/* ----------------------------------------------------------------------
   the internal fixes holding the reference; restored from a restart file if it has them
------------------------------------------------------------------------- */

int ComputeStrainAtom::stored_columns() const
{
  return reference_neighbors ? TAGS + maxneigh : OWN_TAG;
}

void ComputeStrainAtom::create_stores()
{
  id_box_store = utils::strdup(std::string(id) + "_STRAIN_BOX");
  box_store = dynamic_cast<FixStoreGlobal *>(
      modify->add_fix(fmt::format("{} all STORE/GLOBAL {} 1", id_box_store, (int) NSLOTS)));
  const bool restored = box_store->restart_reset;
  double *box = box_store->vstore;
  // The per-atom layout depends on the keywords: check before the per-atom data is restored.
  if (restored && box[FORMAT] != STORE_FORMAT)
    error->all(FLERR,
               "Compute strain/atom {}: the restart file holds a reference in another format "
               "(written by another CryoCycle version); take the reference again",
               id);
  if (restored && box[COLUMNS] != stored_columns())
    error->all(FLERR,
               "Compute strain/atom {}: the reference in the restart file was stored with other "
               "neighbors or maxneigh settings; re-specify the compute as it was",
               id);

  id_atom_store = utils::strdup(std::string(id) + "_STRAIN_ATOM");
  atom_store = dynamic_cast<FixStoreAtom *>(
      modify->add_fix(fmt::format("{} all STORE/ATOM {} 0 0 1", id_atom_store, stored_columns())));
  if (atom_store->restart_reset != box_store->restart_reset)
    error->all(FLERR, "Compute strain/atom {}: the restart file holds only part of its reference", id);

  if (restored) {
    atom_store->restart_reset = box_store->restart_reset = 0;
    if (box[CUTOFF] != cutoff && reference_neighbors) {
      // the neighbour set depends on the cutoff; the reference positions do not
      box[PENDING] = 1.0;
      box[CUTOFF] = cutoff;
      if (comm->me == 0)
        error->warning(FLERR,
                       "Compute strain/atom {}: cutoff differs from the restart file; the reference "
                       "neighbours will be selected again from the stored reference positions",
                       id);
    }
  } else {
    take_reference();
  }
}

/* ---------------------------------------------------------------------- */

ComputeStrainAtom::~ComputeStrainAtom()
{
  if (modify->nfix) {
    if (modify->get_fix_by_id(id_atom_store)) modify->delete_fix(id_atom_store);
    if (modify->get_fix_by_id(id_box_store)) modify->delete_fix(id_box_store);
  }
  delete[] id_atom_store;
  delete[] id_box_store;
  delete[] extlist;
  memory->destroy(array_atom);
  memory->destroy(x0_copy);
}

/* ----------------------------------------------------------------------
   the current configuration becomes the reference
------------------------------------------------------------------------- */

void ComputeStrainAtom::take_reference()
{
  double **store = atom_store->astore;
  for (int i = 0; i < atom->nlocal; ++i) {
    domain->unmap(atom->x[i], atom->image[i], &store[i][X0]);
    if (reference_neighbors) {
      store[i][OWN_TAG] = (double) atom->tag[i];
      store[i][NTAGS] = 0.0;
    }
  }
  double *box = box_store->vstore;
  double h[3][3];
  current_cell(domain, h);
  box[FORMAT] = STORE_FORMAT;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) box[CELL0 + 3 * r + c] = h[r][c];
  for (int d = 0; d < 3; ++d) box[ORIGIN0 + d] = domain->boxlo[d];
  // The neighbours need ghost atoms, which exist only during a run: select them at the first
  // evaluation, from these reference positions.
  box[PENDING] = reference_neighbors ? 1.0 : 0.0;
  box[COLUMNS] = stored_columns();
  box[CUTOFF] = cutoff;
  box[NATOMS] = (double) atom->natoms;
  box[REFERENCE_STEP] = (double) update->ntimestep;
  ++reference_version;
}

int ComputeStrainAtom::modify_param(int narg, char **arg)
{
  if (strcmp(arg[0], "reference") != 0) return 0;
  if (narg < 2) utils::missing_cmd_args(FLERR, "compute_modify reference", error);
  if (strcmp(arg[1], "now") != 0)
    error->all(FLERR, "Illegal compute_modify reference value: {} (expected now)", arg[1]);
  take_reference();
  // LAMMPS 4Feb2025's Compute::modify_params() does not step past the words a style's
  // modify_param() consumed and would call it again for ever. Turn them into
  // "dynamic/dof <current setting>", which it parses itself (changing nothing) and steps past.
  // A LAMMPS that steps past them never reads the rewritten words.
  static char dynamic_dof[] = "dynamic/dof", yes[] = "yes", no[] = "no";
  arg[0] = dynamic_dof;
  arg[1] = dynamic_user ? yes : no;
  return 2;
}

void ComputeStrainAtom::set_arrays(int i)
{
  // an atom created after the reference: its reference position is where it appears (unwrapped
  // with the reference cell, so its displacement starts at 0), and it has no reference neighbours
  // (it is invalid until the next reference)
  double shift[3];
  reference_shift(atom->image[i], shift);
  for (int r = 0; r < 3; ++r) atom_store->astore[i][X0 + r] = atom->x[i][r] + shift[r];
  if (reference_neighbors) {
    atom_store->astore[i][OWN_TAG] = (double) atom->tag[i];
    atom_store->astore[i][NTAGS] = 0.0;
  }
}

/* ---------------------------------------------------------------------- */

void ComputeStrainAtom::init()
{
  ++runs;    // lists of an earlier run are never reused: see lists_outdated()
  atom_store = dynamic_cast<FixStoreAtom *>(modify->get_fix_by_id(id_atom_store));
  box_store = dynamic_cast<FixStoreGlobal *>(modify->get_fix_by_id(id_box_store));
  if (!atom_store || !box_store)
    error->all(FLERR, "Compute strain/atom {} lost its internal reference fixes", id);
  if (reference_neighbors && atom->map_style == Atom::MAP_NONE)
    error->all(FLERR, "Compute strain/atom {} needs an atom map, which was removed", id);
  // Ghost atoms get their positions early in a step. A fix that changes the box at the end of
  // the step (fix deform, press/berendsen) also moves the owned atoms then, so evaluations must
  // send the positions again. (fix npt changes the box before the ghosts get theirs.)
  ghosts_lag_box = false;
  const auto &fixes = modify->get_fix_list();
  for (size_t k = 0; k < fixes.size(); ++k)
    if (fixes[k]->box_change && (modify->fmask[k] & FixConst::END_OF_STEP)) ghosts_lag_box = true;
}

/* ---------------------------------------------------------------------- */

cryo_strain_config ComputeStrainAtom::strain_config() const
{
  cryo_strain_config config{};
  const double *box = box_store->vstore;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) config.reference_cell[r][c] = box[CELL0 + 3 * r + c];
  current_cell(domain, config.current_cell);
  config.periodic[0] = domain->xperiodic;
  config.periodic[1] = domain->yperiodic;
  config.periodic[2] = domain->zperiodic;
  config.dimension = domain->dimension;
  config.affine = affine;
  config.d2min = d2min;
  config.tensor = tensor;
  return config;
}

cryo_strain_atoms ComputeStrainAtom::atom_rows() const
{
  return {nmax ? &x0_copy[0][0] : nullptr, atom->nmax ? &atom->x[0][0] : nullptr, 3, 3};
}

void ComputeStrainAtom::check_cutoff_fits_box(const cryo_strain_config &config) const
{
  // One periodic image per neighbour: the cutoff must be below half of every periodic width.
  const auto &cell = reference_neighbors ? config.reference_cell : config.current_cell;
  const double limit = cryo_strain_max_cutoff(cell, config.periodic, config.dimension);
  if (cutoff >= limit)
    error->all(FLERR,
               "Compute strain/atom {}: cutoff {} must be below half the smallest periodic width "
               "of the {} box ({})",
               id, cutoff, reference_neighbors ? "reference" : "current", limit);
}

/* ---------------------------------------------------------------------- */

bool ComputeStrainAtom::grow()
{
  if (atom->nmax <= nmax) return false;
  nmax = atom->nmax;
  memory->destroy(array_atom);
  memory->destroy(x0_copy);
  memory->create(array_atom, nmax, size_peratom_cols, "strain/atom:array_atom");
  memory->create(x0_copy, nmax, 3, "strain/atom:x0_copy");
  return true;
}

bool ComputeStrainAtom::lists_outdated(bool reallocated) const
{
  // Local indices change only where LAMMPS builds its neighbour lists (exchange, sorting); it
  // counts the builds of a run in Neighbor::ncalls, which restarts at 0 in every run.
  // One decision for all ranks: a rebuild communicates (forward communication, reductions).
  const int mine = reallocated || runs != lists_run || neighbor->ncalls != lists_ncalls ||
      atom->nlocal != lists_nlocal ||
      atom->nghost != lists_nghost || reference_version != lists_reference_version ||
      group->dynamic[igroup];
  int any = 0;
  MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, world);
  return any != 0;
}

/* ----------------------------------------------------------------------
   the reference position of every local copy: x0 - H0 n of owned atoms in image n (their x is
   the unwrapped position - H n), then of ghost atoms by forward communication
------------------------------------------------------------------------- */

void ComputeStrainAtom::copy_reference_positions()
{
  double **store = atom_store->astore;
  for (int i = 0; i < atom->nlocal; ++i) {
    double shift[3];
    reference_shift(atom->image[i], shift);
    for (int r = 0; r < 3; ++r) x0_copy[i][r] = store[i][X0 + r] - shift[r];
  }
  comm->forward_comm(this);
}

/* H0 n: n cell vectors of the reference cell */
void ComputeStrainAtom::reference_cell_vectors(const double n[3], double shift[3]) const
{
  const double *h0 = &box_store->vstore[CELL0];
  for (int r = 0; r < 3; ++r) shift[r] = h0[3 * r] * n[0] + h0[3 * r + 1] * n[1] + h0[3 * r + 2] * n[2];
}

/* the shift of periodic image n (image flags) in the reference cell */
void ComputeStrainAtom::reference_shift(imageint image, double shift[3]) const
{
  const double n[3] = {(double) ((image & IMGMASK) - IMGMAX),
                       (double) ((image >> IMGBITS & IMGMASK) - IMGMAX),
                       (double) ((image >> IMG2BITS) - IMGMAX)};
  reference_cell_vectors(n, shift);
}

int ComputeStrainAtom::pack_forward_comm(int n, int *list, double *buf, int pbc_flag, int *pbc)
{
  // A ghost is its atom shifted by pbc[0..2] cell vectors: the same shift in the reference cell.
  double shift[3] = {0.0, 0.0, 0.0};
  if (pbc_flag) {
    const double cells[3] = {(double) pbc[0], (double) pbc[1], (double) pbc[2]};
    reference_cell_vectors(cells, shift);
  }
  int m = 0;
  for (int k = 0; k < n; ++k) {
    const int j = list[k];
    for (int d = 0; d < 3; ++d) buf[m++] = x0_copy[j][d] + shift[d];
  }
  return m;
}

void ComputeStrainAtom::unpack_forward_comm(int n, int first_index, double *buf)
{
  int m = 0;
  for (int i = first_index; i < first_index + n; ++i)
    for (int d = 0; d < 3; ++d) x0_copy[i][d] = buf[m++];
}

double ComputeStrainAtom::reach(const cryo_strain_config &config) const
{
  const double *box = box_store->vstore;
  double lo[3], hi[3], global_lo[3], global_hi[3];
  const cryo_strain_atoms rows = atom_rows();
  const cryo_strain_status status =
      cryo_strain_nonaffine_range(&config, &box[ORIGIN0], domain->boxlo, atom->nlocal, &rows, lo, hi);
  if (status != CRYO_STRAIN_OK)
    error->one(FLERR, "Compute strain/atom {}: {}", id, cryo_strain_status_message(status));
  MPI_Allreduce(lo, global_lo, 3, MPI_DOUBLE, MPI_MIN, world);
  MPI_Allreduce(hi, global_hi, 3, MPI_DOUBLE, MPI_MAX, world);
  return cryo_strain_pair_length_bound(&config, cutoff, global_lo, global_hi);
}

double ComputeStrainAtom::suggested_comm_cutoff(double distance) const
{
  // ghost atoms were placed at the last neighbour list build; atoms may have moved by up to half
  // the skin since, in either direction
  return std::ceil((distance + neighbor->skin) * 1.01 * 100.0) / 100.0;
}

/* ----------------------------------------------------------------------
   owned and ghost atoms within `radius` of each centre atom, by current positions:
   search.neighbors(c), search.count(c)
------------------------------------------------------------------------- */

void ComputeStrainAtom::find_within(double radius, const std::vector<int> &center_atoms)
{
  const int nall = atom->nlocal + atom->nghost;
  const auto *x = (const double(*)[3]) (nall ? &atom->x[0][0] : nullptr);
  const cryo_neighbors_status status = search.find(nall, x, center_atoms, radius, comm->nthreads);
  if (status != CRYO_NEIGHBORS_OK)
    error->one(FLERR, "Compute strain/atom {}: neighbour search failed: {}", id,
               cryo_neighbors_status_message(status));
}

/* ----------------------------------------------------------------------
   select and store the reference neighbours (by tag) of every owned atom in the group
------------------------------------------------------------------------- */

void ComputeStrainAtom::capture_reference_neighbors(const cryo_strain_config &config)
{
  // Candidates by current positions: no reference pair within the cutoff can be longer now than
  // this bound, and ghost atoms (placed up to half a skin ago) must reach that far.
  const double radius = reach(config) * (1.0 + 1.0e-12);
  const double ghost_cutoff = comm->get_comm_cutoff();
  if (radius + neighbor->skin > ghost_cutoff)
    error->all(FLERR,
               "Compute strain/atom {}: selecting the reference neighbours needs ghost atoms up "
               "to {:.4g} (plus the neighbor skin {}) from each processor, as atoms moved since the "
               "reference was taken, but the ghost cutoff is {:.4g}: use comm_modify cutoff {:.4g}, "
               "or evaluate the compute (e.g. run 0) right after taking the reference",
               id, radius, neighbor->skin, ghost_cutoff, suggested_comm_cutoff(radius));

  std::vector<int> group_atoms;
  for (int i = 0; i < atom->nlocal; ++i)
    if (atom->mask[i] & groupbit) group_atoms.push_back(i);
  find_within(radius, group_atoms);
  // compact the candidate ranges into CSR form for the kernel
  std::vector<int> first_candidate(group_atoms.size() + 1), kept(group_atoms.size() + 1);
  std::vector<int> candidates;
  for (size_t c = 0; c < group_atoms.size(); ++c) {
    first_candidate[c] = (int) candidates.size();
    const int *begin = search.neighbors(c);
    candidates.insert(candidates.end(), begin, begin + search.count(c));
  }
  first_candidate[group_atoms.size()] = (int) candidates.size();
  const cryo_strain_atoms rows = atom_rows();
  const cryo_strain_status status = cryo_strain_select_reference(
      &config, cutoff, (int) group_atoms.size(), group_atoms.data(), first_candidate.data(),
      candidates.data(), &rows, comm->nthreads, kept.data());
  if (status != CRYO_STRAIN_OK)
    error->one(FLERR, "Compute strain/atom {}: {}", id, cryo_strain_status_message(status));

  double **store = atom_store->astore;
  for (int i = 0; i < atom->nlocal; ++i) store[i][NTAGS] = 0.0;
  const tagint *tag = atom->tag;
  int too_many = 0;
  tagint crowded_atom = 0;
  for (size_t c = 0; c < group_atoms.size(); ++c) {
    std::vector<tagint> tags;
    for (int n = first_candidate[c]; n < first_candidate[c] + kept[c]; ++n) tags.push_back(tag[candidates[n]]);
    std::sort(tags.begin(), tags.end());
    tags.erase(std::unique(tags.begin(), tags.end()), tags.end());    // two images of one atom
    const int i = group_atoms[c];
    if ((int) tags.size() > maxneigh) {
      if ((int) tags.size() > too_many) {
        too_many = (int) tags.size();
        crowded_atom = tag[i];
      }
      continue;
    }
    store[i][NTAGS] = (double) tags.size();
    for (size_t t = 0; t < tags.size(); ++t) store[i][TAGS + t] = (double) tags[t];
  }
  int most = 0;
  MPI_Allreduce(&too_many, &most, 1, MPI_INT, MPI_MAX, world);
  if (most > 0) {
    tagint example = too_many == most ? crowded_atom : 0, global_example = 0;
    MPI_Allreduce(&example, &global_example, 1, MPI_LMP_TAGINT, MPI_MAX, world);
    error->all(FLERR,
               "Compute strain/atom {}: atom {} has {} reference neighbours within {}, more than "
               "maxneigh {}: increase maxneigh (or use a smaller cutoff)",
               id, global_example, most, cutoff, maxneigh);
  }
  box_store->vstore[PENDING] = 0.0;
  ++reference_version;
  // the candidate search ran with a large radius: do not keep its buffers
  search.release();
}

/* ----------------------------------------------------------------------
   the local copy of atom `j` (any of its copies, or -1) that is within the cutoff of atom i in
   the reference, or -1: the image of a reference neighbour (only one image can be that close);
   the tolerance covers rounding of the copies' reference positions
------------------------------------------------------------------------- */

int ComputeStrainAtom::image_within_cutoff(int i, int j) const
{
  const double reach_squared = cutoff * cutoff * (1.0 + 1.0e-9);
  for (; j >= 0; j = atom->sametag[j]) {
    const double d0[3] = {x0_copy[j][0] - x0_copy[i][0], x0_copy[j][1] - x0_copy[i][1],
                          x0_copy[j][2] - x0_copy[i][2]};
    if (d0[0] * d0[0] + d0[1] * d0[1] + d0[2] * d0[2] <= reach_squared) return j;
  }
  return -1;
}

/* ----------------------------------------------------------------------
   CSR lists of the stored reference neighbours, found among owned and ghost atoms by tag
------------------------------------------------------------------------- */

void ComputeStrainAtom::reference_lists(const cryo_strain_config &config)
{
  double **store = atom_store->astore;
  centers.clear();
  neighbors.clear();
  first.assign(1, 0);
  nlost_local = 0;
  tagint lost_atom = 0, lost_neighbor = 0;
  int renumbered = 0;
  for (int i = 0; i < atom->nlocal; ++i) {
    // own ID 0: created after the reference (no neighbours stored, so the atom is invalid)
    if (store[i][OWN_TAG] != 0.0 && (tagint) store[i][OWN_TAG] != atom->tag[i]) ++renumbered;
    if (!(atom->mask[i] & groupbit)) continue;
    const size_t start = neighbors.size();
    const int count = (int) store[i][NTAGS];
    bool lost = false;
    for (int t = 0; t < count; ++t) {
      const tagint neighbor_tag = (tagint) store[i][TAGS + t];
      const int j = image_within_cutoff(i, atom->map(neighbor_tag));
      if (j < 0) {
        lost = true;
        lost_atom = atom->tag[i];
        lost_neighbor = neighbor_tag;
        break;
      }
      neighbors.push_back(j);
    }
    if (lost) {    // stays invalid: zero row
      neighbors.resize(start);
      ++nlost_local;
      continue;
    }
    centers.push_back(i);
    first.push_back((int) neighbors.size());
  }

  // what the evaluations need from the reference alone, once
  moments.resize(CRYO_STRAIN_MOMENTS * centers.size());
  const cryo_strain_atoms rows = atom_rows();
  const cryo_strain_status status =
      cryo_strain_reference_moments(&config, (int) centers.size(), centers.data(), first.data(),
                                    neighbors.data(), &rows, comm->nthreads, moments.data());
  if (status != CRYO_STRAIN_OK)
    error->one(FLERR, "Compute strain/atom {}: {}", id, cryo_strain_status_message(status));

  // Stored neighbour IDs would silently name other atoms after a renumbering.
  int any_renumbered = 0;
  MPI_Allreduce(&renumbered, &any_renumbered, 1, MPI_INT, MPI_SUM, world);
  if (any_renumbered)
    error->all(FLERR,
               "Compute strain/atom {}: {} atoms have other IDs than when the reference was taken "
               "(reset_atoms id, delete_atoms with compress): take a new reference with "
               "compute_modify {} reference now",
               id, any_renumbered, id);

  int nlost = 0;
  MPI_Allreduce(&nlost_local, &nlost, 1, MPI_INT, MPI_SUM, world);
  if (nlost == 0 || !lost_is_error) return;
  // one example pair, the same on every rank: the largest lost atom ID and its neighbour
  tagint global_example[2];
  MPI_Allreduce(&lost_atom, &global_example[0], 1, MPI_LMP_TAGINT, MPI_MAX, world);
  const tagint mine = lost_atom == global_example[0] ? lost_neighbor : 0;
  MPI_Allreduce(&mine, &global_example[1], 1, MPI_LMP_TAGINT, MPI_MAX, world);
  const double needed = reach(config);
  const double ghost_cutoff = comm->get_comm_cutoff();
  if (needed + neighbor->skin <= ghost_cutoff || atom->natoms < (bigint) box_store->vstore[NATOMS])
    error->all(FLERR,
               "Compute strain/atom {}: {} atoms have reference neighbours that no longer exist "
               "(e.g. neighbour {} of atom {}; {} atoms were deleted since the reference): take a "
               "new reference with compute_modify {} reference now, or use keyword lost invalid",
               id, nlost, global_example[1], global_example[0],
               (bigint) box_store->vstore[NATOMS] - atom->natoms, id);
  error->all(FLERR,
             "Compute strain/atom {}: {} atoms have reference neighbours beyond the ghost atoms "
             "of their processor (e.g. neighbour {} of atom {}); as atoms moved, ghost atoms must "
             "reach {:.4g} (plus the neighbor skin {}) but the ghost cutoff is {:.4g}: use "
             "comm_modify cutoff {:.4g} (or keyword lost invalid)",
             id, nlost, global_example[1], global_example[0], needed, neighbor->skin, ghost_cutoff,
             suggested_comm_cutoff(needed));
}

/* ----------------------------------------------------------------------
   neighbors current: candidates within cutoff + skin, sorted by tag, valid until LAMMPS rebuilds
   its neighbour lists (no atom moves more than half the skin before that)
------------------------------------------------------------------------- */

void ComputeStrainAtom::current_candidates()
{
  const double ghost_cutoff = comm->get_comm_cutoff();
  if (cutoff + neighbor->skin > ghost_cutoff)
    error->all(FLERR,
               "Compute strain/atom {}: cutoff {} plus the neighbor skin {} exceeds the ghost "
               "cutoff {}: use comm_modify cutoff {}",
               id, cutoff, neighbor->skin, ghost_cutoff, suggested_comm_cutoff(cutoff));
  centers.clear();
  for (int i = 0; i < atom->nlocal; ++i)
    if (atom->mask[i] & groupbit) centers.push_back(i);
  find_within(cutoff + neighbor->skin, centers);
  const tagint *tag = atom->tag;
  candidates.clear();
  candidate_first.assign(1, 0);
  for (size_t c = 0; c < centers.size(); ++c) {
    int *begin = search.neighbors(c), *end = begin + search.count(c);
    std::sort(begin, end, [tag](int a, int b) { return tag[a] < tag[b]; });
    candidates.insert(candidates.end(), begin, end);
    candidate_first.push_back((int) candidates.size());
  }
  nlost_local = 0;
}

/* CSR lists of the candidates within the cutoff now (still sorted by tag) */
void ComputeStrainAtom::current_lists()
{
  const double cutoff_squared = cutoff * cutoff;
  double **x = atom->x;
  neighbors.clear();
  first.assign(1, 0);
  for (size_t c = 0; c < centers.size(); ++c) {
    const int i = centers[c];
    for (int n = candidate_first[c]; n < candidate_first[c + 1]; ++n) {
      const int j = candidates[n];
      const double dx = x[j][0] - x[i][0], dy = x[j][1] - x[i][1], dz = x[j][2] - x[i][2];
      if (dx * dx + dy * dy + dz * dz <= cutoff_squared) neighbors.push_back(j);
    }
    first.push_back((int) neighbors.size());
  }
}

/* ---------------------------------------------------------------------- */

void ComputeStrainAtom::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  if (ghosts_lag_box) comm->forward_comm();    // both ends of every pair of now: see init()
  const bool rebuild = lists_outdated(grow());
  if (rebuild) copy_reference_positions();
  const cryo_strain_config config = strain_config();
  check_cutoff_fits_box(config);

  if (reference_neighbors) {
    if (box_store->vstore[PENDING] != 0.0) capture_reference_neighbors(config);
    if (rebuild || reference_version != lists_reference_version) reference_lists(config);
  } else {
    if (rebuild) current_candidates();
    current_lists();
  }
  if (rebuild || reference_version != lists_reference_version) {
    lists_ncalls = neighbor->ncalls;
    lists_run = runs;
    lists_nlocal = atom->nlocal;
    lists_nghost = atom->nghost;
    lists_reference_version = reference_version;
  }

  // the kernel writes the rows of the centres; every other owned atom gets zeros
  for (int i = 0, c = 0; i < atom->nlocal; ++i) {
    if (c < (int) centers.size() && centers[c] == i) {
      ++c;
      continue;
    }
    std::fill(array_atom[i], array_atom[i] + size_peratom_cols, 0.0);
  }
  int ninvalid = 0;
  const cryo_strain_atoms rows = atom_rows();
  const cryo_strain_status status = cryo_strain_evaluate(
      &config, (int) centers.size(), centers.data(), first.data(), neighbors.data(), &rows,
      reference_neighbors ? moments.data() : nullptr, comm->nthreads,
      nmax ? &array_atom[0][0] : nullptr, size_peratom_cols, &ninvalid);
  if (status != CRYO_STRAIN_OK)
    error->one(FLERR, "Compute strain/atom {}: {}", id, cryo_strain_status_message(status));
  ninvalid_local = ninvalid + nlost_local;
}

/* ----------------------------------------------------------------------
   scalar: number of invalid atoms in the group; vector: that, how many of them are invalid
   because a reference neighbour was out of reach (lost invalid), and the step of the reference
------------------------------------------------------------------------- */

void ComputeStrainAtom::compute_vector()
{
  invoked_vector = update->ntimestep;
  if (invoked_peratom != update->ntimestep) compute_peratom();
  const double local[2] = {(double) ninvalid_local, (double) nlost_local};
  MPI_Allreduce(local, vector_values, 2, MPI_DOUBLE, MPI_SUM, world);
  vector_values[2] = (double) reference_step();
  vector = vector_values;
}

double ComputeStrainAtom::compute_scalar()
{
  invoked_scalar = update->ntimestep;
  compute_vector();
  scalar = vector_values[0];
  return scalar;
}

/* ---------------------------------------------------------------------- */

double ComputeStrainAtom::memory_usage()
{
  double bytes = (double) nmax * (size_peratom_cols + 3) * sizeof(double);    // output, x0_copy
  bytes += (double) (neighbors.capacity() + first.capacity() + centers.capacity() +
                     candidates.capacity() + candidate_first.capacity()) * sizeof(int);
  bytes += (double) moments.capacity() * sizeof(double);
  return bytes + search.memory_usage();
}

/* the timestep at which the current reference was taken (kept in restart files) */
bigint ComputeStrainAtom::reference_step() const
{
  return (bigint) box_store->vstore[REFERENCE_STEP];
}

/* the current configuration becomes the reference (for fix thermal/cycle reference) */
void ComputeStrainAtom::take_reference_now()
{
  take_reference();
}
