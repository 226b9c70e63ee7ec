/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: work on the owned and ghost atoms of a per-atom compute that crosses processors, for
   compute sbzone/atom and the helpers it hands it to (band_surfaces.h): values of owned atoms sent
   to their ghost copies, the smallest label of linked atoms spread across processors, and a search
   for atoms within a distance. LAMMPS's forward communication goes through a compute, so the
   compute's pack/unpack_forward_comm() call pack() and unpack() here.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_GHOST_EXCHANGE_H
#define CRYOCYCLE_GHOST_EXCHANGE_H

#include "neighbor_search.h"
#include "pointers.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class GhostExchange : protected Pointers {
 public:
  // `owner`: the compute whose forward communication carries the values (comm_forward >= 1)
  GhostExchange(class LAMMPS *, class Compute &owner, std::string who);

  // values[i] of owned atoms to their ghost copies (one double per atom, owned and ghost)
  void forward(double *values);
  int pack(int n, const int *list, double *buf) const;
  void unpack(int n, int first, const double *buf);

  // The atoms of `points` within `radius` of each of `centers` (indices of owned or ghost atoms,
  // both sorted): neighbors(c) are indices into `points`, count(c) how many.
  NeighborSearch &find_within(double radius, const std::vector<int> &points, const std::vector<int> &centers);

  // values[p] for every atom p of `points` (owned and ghost atoms, sorted by index; the values of
  // the ghosts those of their owners): the smallest value among the points linked to p, where
  // points closer than `link` are linked, directly or through other points, across processors.
  void propagate_min_labels(const std::vector<int> &points, double *values, double link, const char *what);

  double memory_usage() const;

 private:
  class Compute &owner;
  std::string who;
  NeighborSearch search;
  std::vector<double> exchange;    // owned and ghost values in transit
};

}    // namespace LAMMPS_NS

#endif
