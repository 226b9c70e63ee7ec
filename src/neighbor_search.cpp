/* CryoCycle: see neighbor_search.h. */

#include "neighbor_search.h"

#include <algorithm>

using namespace LAMMPS_NS;

cryo_neighbors_status NeighborSearch::find(int npoints, const double (*x)[3],
                                           const std::vector<int> &centers, double radius,
                                           int nthreads)
{
  const size_t ncells = cryo_neighbors_grid_cells(npoints, x, radius);
  cell_head.resize(std::max<size_t>(ncells, 1));
  cell_next.resize(npoints + 1);
  found_count.resize(centers.size() + 1);
  while (true) {
    found.resize(centers.size() * capacity + 1);
    const cryo_neighbors_status status = cryo_neighbors_find(
        npoints, x, (int) centers.size(), centers.data(), radius, capacity, nthreads,
        cell_head.data(), ncells, cell_next.data(), found_count.data(), found.data(), nullptr);
    if (status != CRYO_NEIGHBORS_ERROR_TOO_MANY) return status;
    capacity = *std::max_element(found_count.begin(), found_count.begin() + centers.size());
  }
}

void NeighborSearch::release()
{
  std::vector<int>().swap(found);
  capacity = 16;
}

double NeighborSearch::memory_usage() const
{
  return (double) (found.capacity() + found_count.capacity() + cell_head.capacity() +
                   cell_next.capacity()) * sizeof(int);
}
