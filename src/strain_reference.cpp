/* CryoCycle: see strain_reference.h. */

#include "strain_reference.h"

#include "atom.h"
#include "box_flips.h"
#include "compute.h"
#include "comm.h"
#include "domain.h"
#include "domain_cell.h"
#include "error.h"
#include "modify.h"
#include "style_support.h"
#include "update.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

using namespace LAMMPS_NS;

namespace {
// every strain reference of every LAMMPS instance in this process, by its compute's ID
std::map<std::pair<const LAMMPS *, std::string>, StrainReference *> &registry()
{
  static std::map<std::pair<const LAMMPS *, std::string>, StrainReference *> references;
  return references;
}

// 5: far-partner flag, generation, positions and image flags when last seen; 6: periodicity;
// 7: the box-flip basis
constexpr double STORE_FORMAT = 7.0;

int periodic_mask(const Domain *domain)
{
  return (domain->xperiodic ? 1 : 0) | (domain->yperiodic ? 2 : 0) | (domain->zperiodic ? 4 : 0);
}
}    // namespace

void LAMMPS_NS::image_counts(imageint image, double n[3])
{
  n[0] = (double) ((image & IMGMASK) - IMGMAX);
  n[1] = (double) ((image >> IMGBITS & IMGMASK) - IMGMAX);
  n[2] = (double) ((image >> IMG2BITS) - IMGMAX);
}

StrainReference::StrainReference(LAMMPS *lmp, const std::string &owner_id, int max_neighbors,
                                 double neighbor_cutoff) :
    Pointers(lmp), owner(owner_id), maxneigh(max_neighbors),
    stores(lmp, owner_id, "STRAIN", NSLOTS, TAGS + max_neighbors, "strain reference",
           [&](const double *global) {
             if (global[FORMAT] != STORE_FORMAT)
               error->all(FLERR,
                          "Compute strain/atom {}: the restart file holds a reference in another "
                          "format (written by another CryoCycle version); take the reference again",
                          owner);
             if (global[COLUMNS] != TAGS + max_neighbors)
               error->all(FLERR,
                          "Compute strain/atom {}: the reference in the restart file was stored "
                          "with other neighbors or maxneigh settings; re-specify the compute as it was",
                          owner);
           }),
    flips(FixBoxFlips::of(lmp))
{
  registry()[{lmp, owner}] = this;
  double *global = stores.global();
  if (!stores.restored()) {
    global[GENERATION] = 0.0;
    global[CUTOFF] = neighbor_cutoff;
    take();
    return;
  }
  if (maxneigh > 0 && global[CUTOFF] != neighbor_cutoff) {
    // the neighbour set depends on the cutoff; the reference positions do not
    global[PENDING] = 1.0;
    if (comm->me == 0)
      error->warning(FLERR,
                     "Compute strain/atom {}: cutoff differs from the restart file; the reference "
                     "neighbors will be selected again from the stored reference positions",
                     owner);
  }
  global[CUTOFF] = neighbor_cutoff;    // the compute's, as given now
}

StrainReference::~StrainReference()
{
  registry().erase({lmp, owner});
}

StrainReference *StrainReference::of(LAMMPS *lmp, const std::string &compute_id)
{
  const auto it = registry().find({lmp, compute_id});
  return it == registry().end() ? nullptr : it->second;
}

StrainReference &StrainReference::find(LAMMPS *lmp, const std::string &who, const std::string &role,
                                       const std::string &compute_id)
{
  const Compute *compute = lmp->modify->get_compute_by_id(compute_id);
  if (!compute) lmp->error->all(FLERR, "{} {} compute ID {} does not exist", who, role, compute_id);
  StrainReference *reference = of(lmp, compute_id);
  if (!reference)
    lmp->error->all(FLERR, "{}: {} compute {} is of style {}, not strain/atom", who, role, compute_id,
                    compute->style);
  return *reference;
}

void StrainReference::listen(const std::string &listener, std::function<void()> on_take)
{
  forget(listener);
  listeners.emplace_back(listener, std::move(on_take));
}

void StrainReference::forget(const std::string &listener)
{
  listeners.erase(std::remove_if(listeners.begin(), listeners.end(),
                                 [&](const auto &entry) { return entry.first == listener; }),
                  listeners.end());
}

uint64_t StrainReference::fields_read() const
{
  uint64_t fields = X_MASK | IMAGE_MASK | TAG_MASK;
  for (const auto &entry : listeners) fields |= fields_read_by_compute(lmp, entry.first.c_str());
  return fields;
}

void StrainReference::take()
{
  double **store = stores.atom();
  for (int i = 0; i < atom->nlocal; ++i) {
    domain->unmap(atom->x[i], atom->image[i], &store[i][X0]);
    store[i][OWN_TAG] = (double) atom->tag[i];
    store[i][FAR_PARTNER] = 0.0;
    store[i][NTAGS] = 0.0;
    see(i);
  }
  double *global = stores.global();
  global[SEEN_STEP] = (double) update->ntimestep;
  remember_cell();
  const cryo_cell current = domain_cell(domain);
  const auto &h = current.h;
  global[FORMAT] = STORE_FORMAT;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) global[CELL0 + 3 * r + c] = h[r][c];
  for (int d = 0; d < 3; ++d) global[ORIGIN0 + d] = domain->boxlo[d];
  // the neighbours are selected at the first evaluation, from these positions
  global[PENDING] = maxneigh > 0 ? 1.0 : 0.0;
  global[COLUMNS] = columns();
  global[NATOMS] = (double) atom->natoms;
  global[STEP] = (double) update->ntimestep;
  global[PERIODIC] = (double) periodic_mask(domain);
  double basis[3][3];
  flips->basis(basis);
  std::memcpy(&global[BASIS0], basis, sizeof basis);
  global[GENERATION] += 1.0;
  for (const auto &entry : listeners) entry.second();
}

void StrainReference::init()
{
  stores.refresh();
  flips = FixBoxFlips::of(lmp);    // it may have been deleted and made again
}

std::string StrainReference::periodicity_changes() const
{
  const int changed = (int) stores.global()[PERIODIC] ^ periodic_mask(domain);
  std::string dims;
  for (int d = 0; d < 3; ++d)
    if (changed & (1 << d)) dims += "xyz"[d];
  return dims;
}

void StrainReference::set_created_atom(int i)
{
  double **store = stores.atom();
  domain->unmap(atom->x[i], atom->image[i], &store[i][X0]);
  store[i][OWN_TAG] = 0.0;
  store[i][FAR_PARTNER] = 0.0;
  store[i][NTAGS] = 0.0;
  see(i);
}

void StrainReference::see(int i)
{
  double *row = stores.atom()[i];
  for (int r = 0; r < 3; ++r) row[SEEN_X + r] = atom->x[i][r];
  image_counts(atom->image[i], &row[SEEN_IMAGE]);
}

int StrainReference::image_resets(tagint &example)
{
  example = 0;
  int count = 0;
  double *global = stores.global();
  if ((bigint) global[SEEN_STEP] == update->ntimestep) {
    double **store = stores.atom();
    for (int i = 0; i < atom->nlocal; ++i) {
      const double *row = store[i];
      double n[3];
      image_counts(atom->image[i], n);
      if (row[SEEN_X] == atom->x[i][0] && row[SEEN_X + 1] == atom->x[i][1] &&
          row[SEEN_X + 2] == atom->x[i][2] &&
          (row[SEEN_IMAGE] != n[0] || row[SEEN_IMAGE + 1] != n[1] || row[SEEN_IMAGE + 2] != n[2])) {
        ++count;
        example = std::max(example, atom->tag[i]);
      }
    }
  }
  for (int i = 0; i < atom->nlocal; ++i) see(i);
  global[SEEN_STEP] = (double) update->ntimestep;
  remember_cell();
  return count;
}

void StrainReference::remember_cell()
{
  const cryo_cell box = domain_cell(domain);
  std::memcpy(&stores.global()[SEEN_CELL], box.h, sizeof box.h);
}

int StrainReference::rerun_jumps(tagint &example) const
{
  example = 0;
  const cryo_cell box = domain_cell(domain);
  double seen_cell[3][3], inverse[3][3];
  std::memcpy(seen_cell, &stores.global()[SEEN_CELL], sizeof seen_cell);
  const double det = cryo_mat3_det(box.h);
  cryo_mat3_inverse(box.h, det, inverse);
  int count = 0;
  double **store = stores.atom();
  for (int i = 0; i < atom->nlocal; ++i) {
    // unwrapped positions now and when last seen (both independent of box flips)
    double now[3], seen_shift[3], jump[3], fractional[3];
    domain->unmap(atom->x[i], atom->image[i], now);
    cryo_mat3_apply(seen_cell, &store[i][SEEN_IMAGE], seen_shift);
    for (int d = 0; d < 3; ++d) jump[d] = now[d] - (store[i][SEEN_X + d] + seen_shift[d]);
    cryo_mat3_apply(inverse, jump, fractional);
    for (int d = 0; d < box.dimension; ++d)
      if (box.periodic[d] && std::fabs(fractional[d]) > 0.5) {
        ++count;
        example = std::max(example, atom->tag[i]);
        break;
      }
  }
  return count;
}

bigint StrainReference::step() const
{
  return (bigint) stores.global()[STEP];
}

bigint StrainReference::generation() const
{
  return (bigint) stores.global()[GENERATION];
}

bigint StrainReference::natoms() const
{
  return (bigint) stores.global()[NATOMS];
}

void StrainReference::cell(double h0[3][3]) const
{
  const double *global = stores.global();
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) h0[r][c] = global[CELL0 + 3 * r + c];
}

const double *StrainReference::origin() const
{
  return &stores.global()[ORIGIN0];
}

cryo_cell StrainReference::reference_cell() const
{
  double h0[3][3];
  cell(h0);
  const int mask = (int) stores.global()[PERIODIC];
  const int periodic[3] = {mask & 1 ? 1 : 0, mask & 2 ? 1 : 0, mask & 4 ? 1 : 0};
  return cryo_cell_make(h0, origin(), periodic, domain->dimension);
}

void StrainReference::reference_shift(const double k[3], double shift[3]) const
{
  double h0[3][3];
  cell(h0);
  cryo_mat3_apply(h0, k, shift);
}

void StrainReference::basis_change(double b[3][3]) const
{
  // B = (basis then)^-1 (basis now); both unit upper triangular with small integer elements,
  // so the inverse by the adjugate and the product are exact
  double then[3][3], now[3][3], then_inverse[3][3];
  std::memcpy(then, &stores.global()[BASIS0], sizeof then);
  flips->basis(now);
  cryo_mat3_inverse(then, 1.0, then_inverse);
  cryo_mat3_multiply(then_inverse, now, b);
}

void StrainReference::lattice_cell(double l[3][3]) const
{
  double h0[3][3], b[3][3];
  cell(h0);
  basis_change(b);
  cryo_mat3_multiply(h0, b, l);
}

void StrainReference::cell_shift(const double n[3], double shift[3]) const
{
  double l[3][3];
  lattice_cell(l);
  cryo_mat3_apply(l, n, shift);
}

void StrainReference::basis_change_inverse(double b_inverse[3][3]) const
{
  double b[3][3];
  basis_change(b);
  cryo_mat3_inverse(b, 1.0, b_inverse);    // unit triangular with integer elements: exact
}

void StrainReference::current_cell(const double h[3][3], double in_reference_basis[3][3]) const
{
  double b_inverse[3][3];
  basis_change_inverse(b_inverse);
  cryo_mat3_multiply(h, b_inverse, in_reference_basis);
}

void StrainReference::to_current_basis(const double k[3], double n[3]) const
{
  double b_inverse[3][3];
  basis_change_inverse(b_inverse);
  cryo_mat3_apply(b_inverse, k, n);
}

void StrainReference::nonaffine_displacements(const cryo_cell &now, int n, double *u) const
{
  // The affine map of the box along its periodic directions only: along a non-periodic one the box
  // follows the outermost atoms (shrink-wrapped) or stays, which is no deformation of the material
  // (box flips mix only periodic directions: a column of H B^-1 along a non-periodic one is H's)
  double h0[3][3], h0_inverse[3][3], h[3][3], mapped[3][3], affine[3][3], lattice[3][3], origin_now[3];
  cell(h0);
  current_cell(now.h, h);
  lattice_cell(lattice);
  const double *o0 = origin();
  for (int c = 0; c < 3; ++c) {
    for (int r = 0; r < 3; ++r) mapped[r][c] = now.periodic[c] ? h[r][c] : h0[r][c];
    origin_now[c] = now.periodic[c] ? now.origin[c] : o0[c];
  }
  cryo_mat3_inverse(h0, cryo_mat3_det(h0), h0_inverse);
  cryo_mat3_multiply(mapped, h0_inverse, affine);
  for (int i = 0; i < n; ++i) {
    double shift[3], w[3], carried[3], images[3];
    image_counts(atom->image[i], images);
    cryo_mat3_apply(lattice, images, shift);
    for (int d = 0; d < 3; ++d) w[d] = x0(i)[d] - o0[d] - shift[d];
    cryo_mat3_apply(affine, w, carried);
    for (int d = 0; d < 3; ++d) u[3 * i + d] = atom->x[i][d] - origin_now[d] - carried[d];
  }
}

bool StrainReference::neighbors_pending() const
{
  return stores.global()[PENDING] != 0.0;
}

void StrainReference::neighbors_selected()
{
  stores.global()[PENDING] = 0.0;
}

double StrainReference::neighbor_cutoff() const
{
  return stores.global()[CUTOFF];    // the one holder: restart files keep it with the neighbours
}

void StrainReference::set_neighbors(int i, int count, const tagint *tags)
{
  double *row = stores.atom()[i];
  row[NTAGS] = (double) count;
  for (int n = 0; n < count; ++n) row[TAGS + n] = (double) tags[n];
}

void StrainReference::set_lost(int i)
{
  stores.atom()[i][NTAGS] = (double) LOST;
}
