/* CryoCycle: see reference_neighbors.h. */

#include "reference_neighbors.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "memory.h"
#include "neighbor_search.h"
#include "strain_reference.h"
#include "style_support.h"

#include "cryo_cell.h"

#include <algorithm>
#include <cmath>
#include <vector>

using namespace LAMMPS_NS;

namespace {

constexpr int RVOUS = 0;    // irregular communication: only the processors that exchange data

// an atom's reference position on its way to a block's processor
struct BlockAtom {
  double x[3];    // in the periodic image next to that block
  tagint tag;
  int owner;      // the processor that owns the atom now
  int flags;      // HOME: the atom belongs to this block; CENTER: it is in the group
};
enum { HOME = 1, CENTER = 2 };

struct NeighborPair {
  tagint center, neighbor;
};

// floor division (k / p rounded towards -inf)
int floor_div(int k, int p)
{
  return k >= 0 ? k / p : -((-k + p - 1) / p);
}

}    // namespace

/* ----------------------------------------------------------------------
   blocks per cell vector for nprocs processors: the factorisation with the smallest surface of a
   block, sum over c of 1 / (width_c * product of the other counts) (proportional to the halo
   volume, as LAMMPS chooses its processor grid)
------------------------------------------------------------------------- */

void ReferenceNeighbors::block_grid(const double width[3], int dimension, int nprocs, int grid[3])
{
  double best = INFINITY;
  grid[0] = nprocs;
  grid[1] = grid[2] = 1;
  for (int p0 = 1; p0 <= nprocs; ++p0) {
    if (nprocs % p0) continue;
    for (int p1 = 1; p1 <= nprocs / p0; ++p1) {
      if ((nprocs / p0) % p1) continue;
      const int p2 = nprocs / p0 / p1;
      if (dimension == 2 && p2 != 1) continue;
      const int p[3] = {p0, p1, p2};
      double surface = 0.0;
      for (int c = 0; c < dimension; ++c) {
        double others = 1.0;
        for (int e = 0; e < dimension; ++e)
          if (e != c) others *= p[e];
        surface += 1.0 / (width[c] * others);
      }
      if (surface < best * (1.0 - 1.0e-12)) {
        best = surface;
        grid[0] = p0;
        grid[1] = p1;
        grid[2] = p2;
      }
    }
  }
}

/* ---------------------------------------------------------------------- */

void ReferenceNeighbors::select(StrainReference &reference, const cryo_strain_config &strain_config,
                                double neighbor_cutoff, int groupbit, int maxneigh)
{
  config = &strain_config;
  cutoff = neighbor_cutoff;
  const cryo_cell &box = strain_config.reference;
  const int dimension = box.dimension;
  double width[3];
  cryo_cell_widths(box.h, dimension, width);
  int grid[3];
  block_grid(width, dimension, comm->nprocs, grid);

  // every owned atom to its block and, in the right image, to the blocks within the cutoff
  std::vector<BlockAtom> sent;
  std::vector<int> procs;
  const double reach = cryo_strain_cutoff_reach(cutoff);    // halo: the cutoff, with room for rounding
  for (int i = 0; i < atom->nlocal; ++i) {
    const double *x0 = reference.x0(i);
    double f[3];
    check_status(lmp, Ranks::ONE, cryo_cell_fractional(&box, x0, f), who(),
                 "reference position of atom {}", atom->tag[i]);
    int lo[3] = {0, 0, 0}, hi[3] = {0, 0, 0}, home[3] = {0, 0, 0};
    double wrap[3] = {0.0, 0.0, 0.0};
    for (int c = 0; c < dimension; ++c) {
      if (!std::isfinite(f[c]))
        error->one(FLERR, "Compute strain/atom {}: atom {} has a reference position that is not finite",
                   id, atom->tag[i]);
      if (cryo_cell_wraps(&box, c)) {
        wrap[c] = std::floor(f[c]);
        f[c] -= wrap[c];
      }
      const double halo = reach / width[c];
      home[c] = std::min(grid[c] - 1, std::max(0, (int) std::floor(f[c] * grid[c])));
      lo[c] = (int) std::floor((f[c] - halo) * grid[c]);
      hi[c] = (int) std::floor((f[c] + halo) * grid[c]);
      if (!cryo_cell_wraps(&box, c)) {    // outside a shrink-wrapped cell: the edge blocks
        lo[c] = std::min(grid[c] - 1, std::max(0, lo[c]));
        hi[c] = std::min(grid[c] - 1, std::max(0, hi[c]));
      }
    }
    double x[3];
    reference.reference_shift(wrap, x);
    for (int r = 0; r < 3; ++r) x[r] = x0[r] - x[r];
    const int flags = (atom->mask[i] & groupbit) ? CENTER : 0;
    for (int k2 = lo[2]; k2 <= hi[2]; ++k2)
      for (int k1 = lo[1]; k1 <= hi[1]; ++k1)
        for (int k0 = lo[0]; k0 <= hi[0]; ++k0) {
          const int k[3] = {k0, k1, k2};
          int block[3];
          double image[3];
          for (int c = 0; c < 3; ++c) {
            image[c] = cryo_cell_wraps(&box, c) ? floor_div(k[c], grid[c]) : 0;
            block[c] = k[c] - (int) image[c] * grid[c];
          }
          BlockAtom copy;
          reference.reference_shift(image, copy.x);
          for (int r = 0; r < 3; ++r) copy.x[r] = x[r] - copy.x[r];
          copy.tag = atom->tag[i];
          copy.owner = comm->me;
          const bool is_home = k0 == home[0] && k1 == home[1] && k2 == home[2];
          copy.flags = is_home ? HOME | flags : 0;
          sent.push_back(copy);
          procs.push_back(block[0] + grid[0] * (block[1] + grid[1] * block[2]));
        }
  }

  char *received = nullptr;
  const int nreceived = comm->rendezvous(RVOUS, (int) sent.size(), (char *) sent.data(),
                                         sizeof(BlockAtom), 0, procs.data(), find_pairs, 0,
                                         received, sizeof(NeighborPair), (void *) this);
  std::vector<NeighborPair> pairs((NeighborPair *) received, (NeighborPair *) received + nreceived);
  memory->sfree(received);
  std::sort(pairs.begin(), pairs.end(), [](const NeighborPair &a, const NeighborPair &b) {
    return a.center < b.center || (a.center == b.center && a.neighbor < b.neighbor);
  });
  pairs.erase(std::unique(pairs.begin(), pairs.end(),
                          [](const NeighborPair &a, const NeighborPair &b) {
                            return a.center == b.center && a.neighbor == b.neighbor;
                          }),
              pairs.end());

  for (int i = 0; i < atom->nlocal; ++i) reference.set_neighbors(i, 0, nullptr);
  int too_many = 0;
  tagint crowded_atom = 0;
  std::vector<tagint> tags;
  for (size_t first = 0, last; first < pairs.size(); first = last) {
    for (last = first; last < pairs.size() && pairs[last].center == pairs[first].center; ++last) {}
    const int i = atom->map(pairs[first].center);
    if (i < 0 || i >= atom->nlocal)
      error->one(FLERR, "Compute strain/atom {}: reference neighbors returned for atom {}, which "
                 "this processor does not own", id, pairs[first].center);
    const int count = (int) (last - first);
    if (count > maxneigh) {
      if (count > too_many) {
        too_many = count;
        crowded_atom = pairs[first].center;
      }
      continue;
    }
    tags.clear();
    for (size_t p = first; p < last; ++p) tags.push_back(pairs[p].neighbor);
    reference.set_neighbors(i, count, tags.data());
  }
  int most = 0;
  MPI_Allreduce(&too_many, &most, 1, MPI_INT, MPI_MAX, world);
  if (most > 0) {
    tagint example = too_many == most ? crowded_atom : 0, global_example = 0;
    MPI_Allreduce(&example, &global_example, 1, MPI_LMP_TAGINT, MPI_MAX, world);
    error->all(FLERR,
               "Compute strain/atom {}: atom {} has {} reference neighbors within {}, more than "
               "maxneigh {}: increase maxneigh (or use a smaller cutoff)",
               id, global_example, most, cutoff, maxneigh);
  }
  warn_if_too_few(reference, groupbit, dimension);
  reference.neighbors_selected();
}

/* ----------------------------------------------------------------------
   a centre needs `dimension` neighbours for a deformation gradient; a cutoff below the nearest-
   neighbour distance would silently leave every atom invalid
------------------------------------------------------------------------- */

void ReferenceNeighbors::warn_if_too_few(const StrainReference &reference, int groupbit,
                                         int dimension)
{
  bigint local = 0, total = 0;
  for (int i = 0; i < atom->nlocal; ++i)
    if ((atom->mask[i] & groupbit) && reference.neighbor_count(i) < dimension) ++local;
  MPI_Allreduce(&local, &total, 1, MPI_LMP_BIGINT, MPI_SUM, world);
  if (total > 0 && comm->me == 0)
    error->warning(FLERR, "Compute strain/atom {}: {} atom(s) have fewer than {} reference neighbors "
                   "within cutoff {} and will be invalid (is the cutoff below the nearest-neighbor "
                   "distance?)", id, total, dimension, cutoff);
}

/* ----------------------------------------------------------------------
   rendezvous callback: the pairs of this block's atoms (centres) with every atom received
------------------------------------------------------------------------- */

int ReferenceNeighbors::find_pairs(int n, char *inbuf, int &flag, int *&proclist, char *&outbuf,
                                   void *ptr)
{
  auto *self = (ReferenceNeighbors *) ptr;
  const auto *atoms = (const BlockAtom *) inbuf;
  std::vector<double> x(3 * (size_t) n + 3);
  std::vector<int> centers;
  for (int k = 0; k < n; ++k) {
    for (int r = 0; r < 3; ++r) x[3 * k + r] = atoms[k].x[r];
    if ((atoms[k].flags & (HOME | CENTER)) == (HOME | CENTER)) centers.push_back(k);
  }
  NeighborSearch search;
  // candidates as far as the reach; the kernel then decides with the pair geometry of the strain
  // evaluation
  cryo_neighbors_status found = search.find(n, (const double(*)[3]) x.data(), centers,
                                            cryo_strain_cutoff_reach(self->cutoff), self->comm->nthreads);
  check_status(self->lmp, Ranks::ONE, found, self->who(), "reference neighbor search");
  std::vector<int> first(centers.size() + 1), candidates, kept(centers.size() + 1);
  for (size_t c = 0; c < centers.size(); ++c) {
    first[c] = (int) candidates.size();
    const int *begin = search.neighbors(c);
    candidates.insert(candidates.end(), begin, begin + search.count(c));
  }
  first[centers.size()] = (int) candidates.size();
  const cryo_strain_atoms rows = {x.data(), x.data(), 3, 3};
  const cryo_strain_status status = cryo_strain_select_reference(
      self->config, self->cutoff, (int) centers.size(), centers.data(), first.data(),
      candidates.data(), &rows, self->comm->nthreads, kept.data());
  check_status(self->lmp, Ranks::ONE, status, self->who(), "reference neighbor selection");

  size_t npairs = 0;
  for (size_t c = 0; c < centers.size(); ++c) npairs += kept[c];
  auto *pairs = (NeighborPair *) self->memory->smalloc(npairs * sizeof(NeighborPair) + 1,
                                                       "strain/atom:reference_pairs");
  self->memory->create(proclist, (int) npairs + 1, "strain/atom:reference_pair_procs");
  size_t p = 0;
  for (size_t c = 0; c < centers.size(); ++c) {
    const BlockAtom &center = atoms[centers[c]];
    for (int m = first[c]; m < first[c] + kept[c]; ++m) {
      const tagint neighbor = atoms[candidates[m]].tag;
      if (neighbor == center.tag) continue;    // its own image: the cutoff is checked elsewhere
      pairs[p] = {center.tag, neighbor};
      proclist[p++] = center.owner;
    }
  }
  outbuf = (char *) pairs;
  flag = 2;
  return (int) p;
}
