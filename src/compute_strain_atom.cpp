/* ----------------------------------------------------------------------
   CryoCycle: compute strain/atom (see doc/compute_strain_atom.rst).

   The reference configuration (StrainReference: unwrapped positions x0, the cell H0 and its
   origin, and the reference neighbours by ID) is kept in internal fixes, so it follows atoms
   between processors and is written to restart files. The reference neighbours are selected
   once per reference by a search in reference space (ReferenceNeighbors), whatever happened
   since. Whenever LAMMPS has rebuilt its neighbour lists (local indices and image flags change
   only then), the compute gives every local copy of an atom (owned or ghost) the reference
   position of that copy, x0 - H0 (image) for owned atoms and shifted by the ghost's periodic
   shift in the reference cell for ghosts, and lists every atom's neighbours sorted by tag, each
   as the local copy that is its periodic image. A pair is then the difference of two rows in
   both configurations and needs no communication. A reference neighbour that has no such copy
   here (it slid away in a shear band, beyond the ghost atoms) is a far pair: its positions are
   fetched by ID (AtomFetch) at every evaluation into a row of its own. The kernel
   cryo_strain_evaluate() gets the rows and lists, with the per-centre reference moments in
   reference mode. Sorting by tag makes the sums, and so the results, the same on any number of
   processors.
------------------------------------------------------------------------- */

#include "compute_strain_atom.h"

#include "atom.h"
#include "citeme.h"
#include "comm.h"
#include "domain.h"
#include "domain_cell.h"
#include "error.h"
#include "fix.h"
#include "group.h"
#include "memory.h"
#include "modify.h"
#include "neighbor.h"
#include "reference_neighbors.h"
#include "style_support.h"
#include "update.h"

#include <algorithm>
#include <cmath>
#include <cstring>

using namespace LAMMPS_NS;

namespace {
constexpr int MAX_MAXNEIGH = 10000;
}    // namespace

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

/* ---------------------------------------------------------------------- */

ComputeStrainAtom::ComputeStrainAtom(LAMMPS *lmp, int narg, char **arg) :
    Compute(lmp, narg, arg), reference_neighbors(true), lost_is_error(true),
    maxneigh(32), affine(CRYO_STRAIN_AFFINE_OFF), d2min(CRYO_STRAIN_D2MIN_SUM),
    tensor(CRYO_STRAIN_TENSOR_NONE), fetch(lmp), nmax(0), nfar_global(0), fetch_bytes(0.0),
    lists_ncalls(-1), runs(0), lists_run(-1), lists_nlocal(-1), lists_nghost(-1),
    reference_version(0), lists_reference_version(-1), lists_generation(-1), ninvalid_local(0), nlost_local(0),
    refresh_ghosts(false), warned_dynamic_group(false), vector_values{0.0, 0.0, 0.0, 0.0, 0.0}
{
  if (lmp->citeme) lmp->citeme->add(cite_strain_atom);
  if (narg < 4) utils::missing_cmd_args(FLERR, "compute strain/atom", error);
  const double cutoff = utils::numeric(FLERR, arg[3], false, lmp);
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
  size_vector = 5;
  extvector = -1;
  extlist = new int[5]{1, 1, 0, 1, 1};    // counts and bytes; the step of the reference is not
  comm_forward = 3;
  create_attribute = 1;

  // Reference neighbours are looked up by tag: keep an atom map, as molecular systems do.
  if (reference_neighbors && atom->map_style == Atom::MAP_NONE) {
    atom->map_style = Atom::MAP_YES;
    atom->map_init();
    atom->map_set();
  }
  strain_reference = std::make_unique<StrainReference>(lmp, id, reference_neighbors ? maxneigh : 0, cutoff);
  warn_dynamic_group();
  datamask_read = STRAIN_FIELDS;    // per-atom fields read (KOKKOS: style_support.h); none changed
  datamask_modify = EMPTY_MASK;
}

/* atoms that join a dynamic group after the reference neighbours were selected have none */
void ComputeStrainAtom::warn_dynamic_group()
{
  if (!reference_neighbors || !group->dynamic[igroup] || warned_dynamic_group) return;
  warned_dynamic_group = true;
  if (comm->me == 0)
    error->warning(FLERR,
                   "Compute strain/atom {}: group {} is dynamic: atoms that join it after the "
                   "reference neighbors were selected have none and are invalid until the "
                   "reference is taken again (neighbors reference)",
                   id, group->names[igroup]);
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
      // each neighbour is a stored column of every atom; 10000 is ~50 times what a cutoff of
      // twice the first-neighbour distance holds in a dense metal, and 80 kB per atom
      if (maxneigh < 1 || maxneigh > MAX_MAXNEIGH) illegal("an integer from 1 to 10000");
    } else {
      error->all(FLERR, "Unknown compute strain/atom keyword: {}", keyword);
    }
    iarg += 2;
  }
}

/* ---------------------------------------------------------------------- */

ComputeStrainAtom::~ComputeStrainAtom()
{
  delete[] extlist;
  memory->destroy(array_atom);
}

/* ---------------------------------------------------------------------- */

int ComputeStrainAtom::modify_param(int narg, char **arg)
{
  if (strcmp(arg[0], "reference") != 0) return 0;
  if (narg < 2) utils::missing_cmd_args(FLERR, "compute_modify reference", error);
  if (strcmp(arg[1], "now") != 0)
    error->all(FLERR, "Illegal compute_modify reference value: {} (expected now)", arg[1]);
  strain_reference->take();
  // LAMMPS 4Feb2025's Compute::modify_params() does not step past the words a style's
  // modify_param() consumed and would call it again for ever. Turn them into
  // "dynamic/dof <current setting>", which it parses itself (changing nothing) and steps past.
  // A LAMMPS that steps past them never reads the rewritten words.
  static char dynamic_dof[] = "dynamic/dof", yes[] = "yes", no[] = "no";
  arg[0] = dynamic_dof;
  arg[1] = dynamic_user ? yes : no;
  return 2;
}

/* an atom created after the reference: no reference, so it stays invalid */
void ComputeStrainAtom::set_arrays(int i)
{
  strain_reference->set_created_atom(i);
}

/* ---------------------------------------------------------------------- */

void ComputeStrainAtom::init()
{
  ++runs;    // lists of an earlier run are never reused: see lists_outdated()
  warn_dynamic_group();    // the group may have become dynamic since the compute was defined
  strain_reference->init();
  if (reference_neighbors && atom->map_style == Atom::MAP_NONE)
    error->all(FLERR, "Compute strain/atom {} needs an atom map, which was removed", id);
  refresh_ghosts = ghosts_lag_box(lmp);
}

/* ---------------------------------------------------------------------- */

cryo_strain_config ComputeStrainAtom::strain_config() const
{
  // both cells in the basis of the reference, whatever box flips happened since
  cryo_strain_config config{};
  config.reference = strain_reference->reference_cell();
  const cryo_cell box = domain_cell(domain);
  config.current = box;
  strain_reference->current_cell(box.h, config.current.h);
  config.affine = affine;
  config.d2min = d2min;
  config.tensor = tensor;
  return config;
}

cryo_strain_atoms ComputeStrainAtom::atom_rows() const
{
  const double *x = x_rows.empty() ? (atom->nmax ? &atom->x[0][0] : nullptr) : x_rows.data();
  return {x0_rows.empty() ? nullptr : x0_rows.data(), x, 3, 3};
}

void ComputeStrainAtom::check_cutoff_fits_box(const cryo_strain_config &config) const
{
  // One periodic image per neighbour, found by a search as far as the reach: the reach must be
  // below half of every periodic width (of the box itself, not config.current, which may be the
  // box before flips).
  const cryo_cell box = domain_cell(domain);
  const cryo_cell &cell = reference_neighbors ? config.reference : box;
  const double limit = cryo_cell_max_cutoff(cell.h, cell.periodic, cell.dimension);
  if (cryo_strain_cutoff_reach(cutoff()) >= limit)
    error->all(FLERR,
               "Compute strain/atom {}: cutoff {} must be below half the smallest periodic width "
               "of the {} box ({:.6g})",
               id, cutoff(), reference_neighbors ? "reference" : "current", limit);
}

/* ---------------------------------------------------------------------- */

bool ComputeStrainAtom::grow()
{
  if (atom->nmax <= nmax) return false;
  nmax = atom->nmax;
  memory->destroy(array_atom);
  memory->create(array_atom, nmax, size_peratom_cols, "strain/atom:array_atom");
  return true;
}

/* the reference was taken again, or its neighbours selected, since the lists were made */
bool ComputeStrainAtom::reference_changed() const
{
  return reference_version != lists_reference_version ||
      strain_reference->generation() != lists_generation;
}

bool ComputeStrainAtom::lists_outdated(bool reallocated) const
{
  // Local indices change only where LAMMPS builds its neighbour lists (exchange, sorting); it
  // counts the builds of a run in Neighbor::ncalls, which restarts at 0 in every run.
  // One decision for all ranks: a rebuild communicates (forward communication, reductions).
  const int mine = reallocated || runs != lists_run || neighbor->ncalls != lists_ncalls ||
      atom->nlocal != lists_nlocal || atom->nghost != lists_nghost ||
      reference_changed() || group->dynamic[igroup];
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
  x0_rows.resize(3 * (size_t) (atom->nlocal + atom->nghost));
  double lattice[3][3];
  strain_reference->lattice_cell(lattice);
  for (int i = 0; i < atom->nlocal; ++i) {
    double shift[3], n[3];
    image_counts(atom->image[i], n);
    cryo_mat3_apply(lattice, n, shift);
    const double *x0 = strain_reference->x0(i);
    for (int r = 0; r < 3; ++r) x0_rows[3 * i + r] = x0[r] - shift[r];
  }
  comm->forward_comm(this);
}

int ComputeStrainAtom::pack_forward_comm(int n, int *list, double *buf, int pbc_flag, int *pbc)
{
  // A ghost is its atom shifted by pbc[0..2] cell vectors: the same shift in the reference cell.
  double shift[3] = {0.0, 0.0, 0.0};
  if (pbc_flag) {
    const double cells[3] = {(double) pbc[0], (double) pbc[1], (double) pbc[2]};
    strain_reference->cell_shift(cells, shift);
  }
  int m = 0;
  for (int k = 0; k < n; ++k) {
    const int j = list[k];
    for (int d = 0; d < 3; ++d) buf[m++] = x0_rows[3 * j + d] + shift[d];
  }
  return m;
}

void ComputeStrainAtom::unpack_forward_comm(int n, int first_index, double *buf)
{
  int m = 0;
  for (int i = first_index; i < first_index + n; ++i)
    for (int d = 0; d < 3; ++d) x0_rows[3 * i + d] = buf[m++];
}

/* ----------------------------------------------------------------------
   the local copy of atom `j` (any of its copies, or -1) that is within the cutoff of atom i in
   the reference, or -1: the image of a reference neighbour (only one image can be within the
   reach, check_cutoff_fits_box()); reach = cryo_strain_cutoff_reach(cutoff()), which covers
   rounding of the copies' reference positions (taken once by the caller: this is called for
   every stored neighbour)
------------------------------------------------------------------------- */

int ComputeStrainAtom::image_within_cutoff(int i, int j, double reach) const
{
  const double *x0_i = &x0_rows[3 * i];
  for (; j >= 0; j = atom->sametag[j]) {
    const double *x0_j = &x0_rows[3 * j];
    const double d0[3] = {x0_j[0] - x0_i[0], x0_j[1] - x0_i[1], x0_j[2] - x0_i[2]};
    if (cryo_strain_within_cutoff(d0, reach)) return j;
  }
  return -1;
}

/* ----------------------------------------------------------------------
   CSR lists of the stored reference neighbours: the local copy in the right image where there
   is one, else a far pair with a row of its own after the local copies
------------------------------------------------------------------------- */

void ComputeStrainAtom::reference_lists(const cryo_strain_config &config)
{
  const int nall = atom->nlocal + atom->nghost;
  centers.clear();
  neighbors.clear();
  first.assign(1, 0);
  far_pairs.clear();
  std::vector<tagint> far_tag_of_pair;
  nlost_local = 0;
  int renumbered = 0;
  const double reach = cryo_strain_cutoff_reach(cutoff());
  for (int i = 0; i < atom->nlocal; ++i) {
    if (strain_reference->renumbered(i)) ++renumbered;
    if (!(atom->mask[i] & groupbit)) continue;
    const int count = strain_reference->neighbor_count(i);
    if (count == StrainReference::LOST) {    // stays invalid: zero row
      ++nlost_local;
      continue;
    }
    for (int t = 0; t < count; ++t) {
      const tagint neighbor_tag = strain_reference->neighbor(i, t);
      const int j = image_within_cutoff(i, atom->map(neighbor_tag), reach);
      if (j >= 0) {
        neighbors.push_back(j);
      } else {
        neighbors.push_back(nall + (int) far_pairs.size());
        far_pairs.push_back({i, -1, {0.0, 0.0, 0.0}});
        far_tag_of_pair.push_back(neighbor_tag);
        // the pair is most likely far for the neighbour's processor too: offer this atom's
        // positions from now on, sparing the full round of AtomFetch when it is requested
        strain_reference->set_far_partner(i);
      }
    }
    centers.push_back(i);
    first.push_back((int) neighbors.size());
  }

  // Stored neighbour IDs would silently name other atoms after a renumbering.
  int any_renumbered = 0;
  MPI_Allreduce(&renumbered, &any_renumbered, 1, MPI_INT, MPI_SUM, world);
  if (any_renumbered)
    error->all(FLERR,
               "Compute strain/atom {}: {} atoms have other IDs than when the reference was taken "
               "(reset_atoms id, delete_atoms with compress): take a new reference with "
               "compute_modify {} reference now",
               id, any_renumbered, id);

  far_tags = far_tag_of_pair;
  std::sort(far_tags.begin(), far_tags.end());
  far_tags.erase(std::unique(far_tags.begin(), far_tags.end()), far_tags.end());
  for (size_t p = 0; p < far_pairs.size(); ++p)
    far_pairs[p].tag_index =
        (int) (std::lower_bound(far_tags.begin(), far_tags.end(), far_tag_of_pair[p]) - far_tags.begin());
  const bigint nfar_local = (bigint) far_pairs.size();
  MPI_Allreduce(&nfar_local, &nfar_global, 1, MPI_LMP_BIGINT, MPI_SUM, world);
  x0_rows.resize(3 * ((size_t) nall + far_pairs.size()));
  fetch_bytes = 0.0;
  if (nfar_global > 0) {
    fetch_far(config, true);
    // a neighbour that no longer exists: its centre is invalid from now on (or an error)
    if (lose_deleted_neighbors()) return reference_lists(config);
  } else {
    x_rows.clear();
  }

  // what the evaluations need from the reference alone, once
  moments.resize(CRYO_STRAIN_MOMENTS * centers.size());
  const cryo_strain_atoms rows = atom_rows();
  const cryo_strain_status status =
      cryo_strain_reference_moments(&config, (int) centers.size(), centers.data(), first.data(),
                                    neighbors.data(), &rows, comm->nthreads, moments.data());
  check_status(lmp, Ranks::ONE, status, style_name(this), "reference moments");
}

/* ----------------------------------------------------------------------
   the rows of the far pairs: the neighbours' positions fetched by ID, each in the periodic image
   that is the centre's reference neighbour, in the centre's image (so that d0 = x0 row - x0 row
   of the centre as for local copies); lists_new: also the reference rows and images
------------------------------------------------------------------------- */

void ComputeStrainAtom::fetch_far(const cryo_strain_config &config, bool lists_new)
{
  double bytes = fetch.fetch(*strain_reference, far_tags, far_positions, far_found);
  MPI_Allreduce(&bytes, &fetch_bytes, 1, MPI_DOUBLE, MPI_SUM, world);
  if (far_pairs.empty()) {
    x_rows.clear();
    return;
  }
  const int nall = atom->nlocal + atom->nghost;
  const cryo_cell box = domain_cell(domain);
  x_rows.resize(3 * ((size_t) nall + far_pairs.size()));
  std::copy(&atom->x[0][0], &atom->x[0][0] + 3 * (size_t) nall, x_rows.begin());
  for (size_t p = 0; p < far_pairs.size(); ++p) {
    FarPair &pair = far_pairs[p];
    if (!far_found[pair.tag_index]) continue;    // lose_deleted_neighbors() takes care of it
    const AtomFetch::Positions &fetched = far_positions[pair.tag_index];
    double *x0_row = &x0_rows[3 * (nall + p)], *x_row = &x_rows[3 * (nall + p)];
    if (lists_new) {
      // image k of the reference pair from the unwrapped reference positions (in the basis of
      // the reference cell, then of the box now), then the centre's own image n: the row is the
      // neighbour in image k + n
      double d0[3], k_reference[3], k[3];
      const cryo_strain_status status = cryo_strain_reference_pair(
          &config, strain_reference->x0(pair.center), fetched.x0, d0, k_reference);
      check_status(lmp, Ranks::ONE, status, style_name(this), "image of the far pair of atom {}",
                   atom->tag[pair.center]);
      strain_reference->to_current_basis(k_reference, k);
      double n[3];
      image_counts(atom->image[pair.center], n);
      for (int c = 0; c < 3; ++c) pair.image[c] = k[c] + n[c];
      double shift[3];
      strain_reference->cell_shift(pair.image, shift);
      for (int r = 0; r < 3; ++r) x0_row[r] = fetched.x0[r] - shift[r];
    }
    double shift[3];
    cryo_mat3_apply(box.h, pair.image, shift);
    for (int r = 0; r < 3; ++r) x_row[r] = fetched.x[r] - shift[r];
  }
}

/* ----------------------------------------------------------------------
   far neighbours no processor owns were deleted: lost error stops with an example, lost invalid
   marks their centres lost in the reference; true if any (the lists must then be made again)
------------------------------------------------------------------------- */

bool ComputeStrainAtom::lose_deleted_neighbors()
{
  int missing = 0;
  tagint lost_atom = 0, lost_neighbor = 0;
  for (const FarPair &pair : far_pairs) {
    if (far_found[pair.tag_index]) continue;
    ++missing;
    if (atom->tag[pair.center] > lost_atom) {
      lost_atom = atom->tag[pair.center];
      lost_neighbor = far_tags[pair.tag_index];
    }
    strain_reference->set_lost(pair.center);
  }
  int any = 0;
  MPI_Allreduce(&missing, &any, 1, MPI_INT, MPI_MAX, world);
  if (!any) return false;
  if (lost_is_error) {
    // one example pair, the same on every rank: the largest atom ID that lost a neighbour
    tagint example[2];
    MPI_Allreduce(&lost_atom, &example[0], 1, MPI_LMP_TAGINT, MPI_MAX, world);
    const tagint mine = lost_atom == example[0] ? lost_neighbor : 0;
    MPI_Allreduce(&mine, &example[1], 1, MPI_LMP_TAGINT, MPI_MAX, world);
    error->all(FLERR,
               "Compute strain/atom {}: reference neighbor {} of atom {} no longer exists ({} "
               "atoms were deleted since the reference): take a new reference with compute_modify "
               "{} reference now, or use keyword lost invalid",
               id, example[1], example[0], strain_reference->natoms() - atom->natoms, id);
  }
  return true;
}

/* ----------------------------------------------------------------------
   neighbors current: candidates within cutoff + skin, sorted by tag, valid until LAMMPS rebuilds
   its neighbour lists (no atom moves more than half the skin before that)
------------------------------------------------------------------------- */

void ComputeStrainAtom::current_candidates()
{
  const double cutoff = this->cutoff();
  check_ghost_reach(lmp, style_name(this), fmt::format("cutoff {}", cutoff), cutoff);
  centers.clear();
  for (int i = 0; i < atom->nlocal; ++i)
    if (atom->mask[i] & groupbit) centers.push_back(i);
  const int nall = atom->nlocal + atom->nghost;
  const cryo_neighbors_status found = search.find(
      nall, (const double(*)[3]) (nall ? &atom->x[0][0] : nullptr), centers, cutoff + neighbor->skin,
      comm->nthreads);
  check_status(lmp, Ranks::ONE, found, style_name(this), "neighbor search within {}",
               cutoff + neighbor->skin);
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
  const double cutoff = this->cutoff();
  double **x = atom->x;
  neighbors.clear();
  first.assign(1, 0);
  for (size_t c = 0; c < centers.size(); ++c) {
    const int i = centers[c];
    for (int n = candidate_first[c]; n < candidate_first[c + 1]; ++n) {
      const int j = candidates[n];
      const double d[3] = {x[j][0] - x[i][0], x[j][1] - x[i][1], x[j][2] - x[i][2]};
      if (cryo_strain_within_cutoff(d, cutoff)) neighbors.push_back(j);
    }
    first.push_back((int) neighbors.size());
  }
}

/* ----------------------------------------------------------------------
   image flags reset since the atoms were last seen would count a box length as displacement
------------------------------------------------------------------------- */

void ComputeStrainAtom::check_image_resets()
{
  // change_box boundary resets the image flags of a dimension that stops being periodic
  const std::string changed = strain_reference->periodicity_changes();
  if (!changed.empty())
    error->all(FLERR,
               "Compute strain/atom {}: the periodicity of the box along {} changed since the "
               "reference was taken (change_box boundary): take the reference again with "
               "compute_modify {} reference now",
               id, changed, id);
  // a rerun of a dump without image flags: atoms that cross the box seem to jump by its length
  if (in_rerun(lmp) && !warned_rerun_jumps) {
    tagint jumper = 0, global_jumper = 0;
    const int jumps_here = strain_reference->rerun_jumps(jumper);
    int jumps = 0;
    MPI_Allreduce(&jumps_here, &jumps, 1, MPI_INT, MPI_SUM, world);
    MPI_Allreduce(&jumper, &global_jumper, 1, MPI_LMP_TAGINT, MPI_MAX, world);
    if (jumps > 0) {
      warned_rerun_jumps = true;
      if (comm->me == 0)
        error->warning(FLERR,
                       "Compute strain/atom {}: {} atoms (e.g. atom {}) moved by more than half the "
                       "box since the last frame of this rerun: a dump without image flags (ix iy "
                       "iz) or unwrapped coordinates wraps atoms across the box, and their strains "
                       "are wrong. Read frames with image flags (read_dump ... x y z ix iy iz)",
                       id, jumps, global_jumper);
    }
  }
  tagint example = 0;
  const int mine = strain_reference->image_resets(example);
  int count = 0;
  tagint global_example = 0;
  MPI_Allreduce(&mine, &count, 1, MPI_INT, MPI_SUM, world);
  if (count == 0) return;
  MPI_Allreduce(&example, &global_example, 1, MPI_LMP_TAGINT, MPI_MAX, world);
  error->all(FLERR,
             "Compute strain/atom {}: the image flags of {} atoms (e.g. atom {}) changed on step {} "
             "without the atoms moving (set image, reset_atoms image?): their displacements since "
             "the reference would jump by box lengths. Do not reset image flags while a reference "
             "is in use, or take it again afterwards with compute_modify {} reference now",
             id, count, global_example, update->ntimestep, id);
}

/* ---------------------------------------------------------------------- */

void ComputeStrainAtom::compute_peratom()
{
  invoked_peratom = update->ntimestep;
  check_image_resets();
  if (refresh_ghosts) comm->forward_comm();    // both ends of every pair of now: see init()
  const bool rebuild = lists_outdated(grow());
  if (rebuild) copy_reference_positions();
  const cryo_strain_config config = strain_config();
  check_cutoff_fits_box(config);

  if (reference_neighbors) {
    if (strain_reference->neighbors_pending()) {
      ReferenceNeighbors(lmp, id).select(*strain_reference, config, groupbit, maxneigh);
      ++reference_version;
    }
    if (rebuild || reference_changed()) reference_lists(config);
    else if (nfar_global > 0) fetch_far(config, false);
  } else {
    if (rebuild) current_candidates();
    current_lists();
  }
  if (rebuild || reference_changed()) {
    lists_ncalls = neighbor->ncalls;
    lists_run = runs;
    lists_nlocal = atom->nlocal;
    lists_nghost = atom->nghost;
    lists_reference_version = reference_version;
    lists_generation = strain_reference->generation();
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
  check_status(lmp, Ranks::ONE, status, style_name(this), "evaluation");
  ninvalid_local = ninvalid + nlost_local;
}

/* ----------------------------------------------------------------------
   scalar: number of invalid atoms in the group; vector: that, how many of them are invalid
   because a reference neighbour no longer exists (lost invalid), the step of the reference, the
   number of far pairs and the bytes sent to fetch them in the last evaluation
------------------------------------------------------------------------- */

void ComputeStrainAtom::compute_vector()
{
  invoked_vector = update->ntimestep;
  if (invoked_peratom != update->ntimestep) compute_peratom();
  const double local[2] = {(double) ninvalid_local, (double) nlost_local};
  MPI_Allreduce(local, vector_values, 2, MPI_DOUBLE, MPI_SUM, world);
  vector_values[2] = (double) reference_step();
  vector_values[3] = (double) nfar_global;
  vector_values[4] = fetch_bytes;
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
  double bytes = (double) nmax * size_peratom_cols * sizeof(double);    // output
  bytes += (double) (x0_rows.capacity() + x_rows.capacity() + moments.capacity()) * sizeof(double);
  bytes += (double) (neighbors.capacity() + first.capacity() + centers.capacity() +
                     candidates.capacity() + candidate_first.capacity()) * sizeof(int);
  bytes += (double) far_pairs.capacity() * sizeof(FarPair) +
      (double) far_tags.capacity() * sizeof(tagint) +
      (double) far_positions.capacity() * sizeof(AtomFetch::Positions) + (double) far_found.capacity();
  return bytes + search.memory_usage();
}
