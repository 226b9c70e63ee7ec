/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: the buffers of a cell-list neighbour search (cryo_neighbors) that the computes keep
   between evaluations, and the search with its grow-and-retry of the entries per centre.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_NEIGHBOR_SEARCH_H
#define CRYOCYCLE_NEIGHBOR_SEARCH_H

#include "cryo_neighbors.h"

#include <vector>

namespace LAMMPS_NS {

class NeighborSearch {
 public:
  // The points x[0..npoints) within `radius` of each centre (an index into x): afterwards
  // count(c) of them, at neighbors(c), for the c-th centre. Any status but OK is a failure.
  cryo_neighbors_status find(int npoints, const double (*x)[3], const std::vector<int> &centers,
                             double radius, int nthreads);
  int count(size_t c) const { return found_count[c]; }
  int *neighbors(size_t c) { return found.data() + c * capacity; }
  // drop the buffers (after a search with an unusually large radius)
  void release();
  double memory_usage() const;

 private:
  std::vector<int> cell_head, cell_next, found_count, found;
  int capacity = 16;    // entries per centre in `found`: as many as the densest centre needed
};

}    // namespace LAMMPS_NS

#endif
