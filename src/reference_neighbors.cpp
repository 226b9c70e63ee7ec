/* CryoCycle: see reference_neighbors.h. */

#include "reference_neighbors.h"

#include "atom.h"
#include "comm.h"
#include "error.h"
#include "memory.h"
#include "neighbor_search.h"
#include "strain_reference.h"
#include "style_support.h"

#include "cryo_blocks.h"

#include <algorithm>
#include <vector>

using namespace LAMMPS_NS;

namespace {
constexpr int RVOUS = 0;    // irregular communication: only the processors that exchange data
enum { HOME = 1, CENTER = 2 };    // BlockAtom::flags
}    // namespace

/* ---------------------------------------------------------------------- */

void ReferenceNeighbors::select(StrainReference &strain_reference, const cryo_strain_config &strain_config,
                                int groupbit, int maxneigh)
{
  reference = &strain_reference;
  config = &strain_config;
  std::vector<BlockAtom> sent;
  std::vector<int> procs;
  route(groupbit, sent, procs);
  std::vector<NeighborPair> pairs = rendezvous(sent, procs);
  store_lists(pairs, maxneigh);
  warn_if_too_few(groupbit);
  reference->neighbors_selected();
}

/* ----------------------------------------------------------------------
   every owned atom to its block and, in the right image, to the blocks within the reach of the
   cutoff (the halo): sent[k] goes to processor procs[k]
------------------------------------------------------------------------- */

void ReferenceNeighbors::route(int groupbit, std::vector<BlockAtom> &sent, std::vector<int> &procs)
{
  const cryo_cell &cell = config->reference;
  int grid[3];
  check_status(lmp, Ranks::ALL, cryo_blocks_grid(&cell, comm->nprocs, grid), who(),
               "blocks of the reference cell");
  const int nlocal = atom->nlocal;
  std::vector<double> x0(3 * (size_t) nlocal + 3);
  for (int i = 0; i < nlocal; ++i)
    for (int r = 0; r < 3; ++r) x0[3 * i + r] = reference->x0(i)[r];
  const double reach = cryo_strain_cutoff_reach(reference->neighbor_cutoff());
  // copies per atom: the home block and a halo of blocks; grown to what the first call counted
  std::vector<int> first(nlocal + 1);
  std::vector<double> copy_x(3 * (2 * (size_t) nlocal + 1));
  std::vector<int> copy_block(copy_x.size() / 3), copy_home(copy_x.size() / 3);
  for (;;) {
    int failed = -1;
    const cryo_blocks_status status = cryo_blocks_route(
        &cell, grid, reach, nlocal, (const double(*)[3]) x0.data(), copy_block.size(), first.data(),
        (double(*)[3]) copy_x.data(), copy_block.data(), copy_home.data(), &failed);
    if (status == CRYO_BLOCKS_ERROR_POSITION)
      error->one(FLERR, "Compute strain/atom {}: atom {} has a reference position that is not finite",
                 id, atom->tag[failed]);
    if (status != CRYO_BLOCKS_ERROR_CAPACITY) {
      check_status(lmp, Ranks::ONE, status, who(), "routing of the reference positions");
      break;
    }
    copy_x.resize(3 * (size_t) first[nlocal]);
    copy_block.resize(first[nlocal]);
    copy_home.resize(first[nlocal]);
  }
  sent.resize(first[nlocal]);
  procs.assign(copy_block.begin(), copy_block.begin() + first[nlocal]);
  for (int i = 0; i < nlocal; ++i) {
    const int flags = (atom->mask[i] & groupbit) ? CENTER : 0;
    for (int k = first[i]; k < first[i + 1]; ++k) {
      BlockAtom &copy = sent[k];
      for (int r = 0; r < 3; ++r) copy.x[r] = copy_x[3 * k + r];
      copy.tag = atom->tag[i];
      copy.owner = comm->me;
      copy.flags = copy_home[k] ? HOME | flags : 0;
    }
  }
}

/* ----------------------------------------------------------------------
   the pairs that the blocks' processors found (find_pairs()), at the owners of their centres,
   sorted by centre and neighbour ID, each once
------------------------------------------------------------------------- */

std::vector<ReferenceNeighbors::NeighborPair> ReferenceNeighbors::rendezvous(std::vector<BlockAtom> &sent,
                                                                             std::vector<int> &procs)
{
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
  return pairs;
}

/* ----------------------------------------------------------------------
   the sorted pairs as every owned atom's row of neighbour IDs; an error if one has more than
   maxneigh
------------------------------------------------------------------------- */

void ReferenceNeighbors::store_lists(std::vector<NeighborPair> &pairs, int maxneigh)
{
  for (int i = 0; i < atom->nlocal; ++i) reference->set_neighbors(i, 0, nullptr);
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
    reference->set_neighbors(i, count, tags.data());
  }
  int most = 0;
  MPI_Allreduce(&too_many, &most, 1, MPI_INT, MPI_MAX, world);
  if (most > 0) {
    tagint example = too_many == most ? crowded_atom : 0, global_example = 0;
    MPI_Allreduce(&example, &global_example, 1, MPI_LMP_TAGINT, MPI_MAX, world);
    error->all(FLERR,
               "Compute strain/atom {}: atom {} has {} reference neighbors within {}, more than "
               "maxneigh {}: increase maxneigh (or use a smaller cutoff)",
               id, global_example, most, reference->neighbor_cutoff(), maxneigh);
  }
}

/* ----------------------------------------------------------------------
   a centre needs `dimension` neighbours for a deformation gradient; a cutoff below the nearest-
   neighbour distance would silently leave every atom invalid
------------------------------------------------------------------------- */

void ReferenceNeighbors::warn_if_too_few(int groupbit)
{
  const int dimension = config->reference.dimension;
  bigint local = 0, total = 0;
  for (int i = 0; i < atom->nlocal; ++i)
    if ((atom->mask[i] & groupbit) && reference->neighbor_count(i) < dimension) ++local;
  MPI_Allreduce(&local, &total, 1, MPI_LMP_BIGINT, MPI_SUM, world);
  if (total > 0 && comm->me == 0)
    error->warning(FLERR, "Compute strain/atom {}: {} atom(s) have fewer than {} reference neighbors "
                   "within cutoff {} and will be invalid (is the cutoff below the nearest-neighbor "
                   "distance?)", id, total, dimension, reference->neighbor_cutoff());
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
  const double cutoff = self->reference->neighbor_cutoff();
  cryo_neighbors_status found = search.find(n, (const double(*)[3]) x.data(), centers,
                                            cryo_strain_cutoff_reach(cutoff), self->comm->nthreads);
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
      self->config, cutoff, (int) centers.size(), centers.data(), first.data(),
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
