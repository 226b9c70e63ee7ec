/* ----------------------------------------------------------------------
   CryoCycle: the surfaces that attach band ends (see band_surfaces.h).
------------------------------------------------------------------------- */

#include "band_surfaces.h"

#include "atom.h"
#include "ghost_exchange.h"
#include "neighbor_search.h"

#include <algorithm>
#include <cstdint>

using namespace LAMMPS_NS;

BandSurfaces::BandSurfaces(LAMMPS *lmp, GhostExchange &ghosts_, double link_, double fraction_) :
    Pointers(lmp), ghosts(ghosts_), link(link_), fraction(fraction_)
{
}

/* ----------------------------------------------------------------------
   Surface atoms are joined into sets through the layer they and the atoms within link of them
   form: two atoms of the layer closer than link are linked, transitively, across processors.
   (Linking surface atoms only to each other would split the lining of a notch in a crystal where
   its corners or facets keep too many neighbours to be surface atoms, e.g. 9 of 12 in fcc.)
------------------------------------------------------------------------- */

std::vector<char> BandSurfaces::mark(double *surface, const cryo_cell &cell, const std::vector<double> &f,
                                     const double lowest[3], const double highest[3])
{
  const int nlocal = atom->nlocal, nall = nlocal + atom->nghost;
  std::vector<int> points(nall), owned(nlocal);
  for (int i = 0; i < nall; ++i) points[i] = i;
  for (int i = 0; i < nlocal; ++i) owned[i] = i;
  NeighborSearch &search = ghosts.find_within(link, points, owned);
  const double bulk = bulk_count(search);
  for (int i = 0; i < nlocal; ++i) surface[i] = search.count(i) < fraction * bulk ? CAVITY : NOT_SURFACE;
  // in a box periodic in every direction nothing tells a cavity from the outside: every surface
  // atom attaches, as a hole cut into a periodic sample must (documented as a limitation)
  if (!seed_outer(surface, cell, f, lowest, highest))
    for (int i = 0; i < nlocal; ++i)
      if (surface[i] == CAVITY) surface[i] = OUTER;
  ghosts.forward(surface);

  // the layer: the atoms within link of a surface atom join it, with the largest code (they take
  // the code of their set below)
  std::vector<char> in_layer(nlocal + 1, 0);
  for (int i = 0; i < nlocal; ++i)
    for (int n = 0; n < search.count(i) && !in_layer[i]; ++n)
      in_layer[i] = surface[search.neighbors(i)[n]] != NOT_SURFACE;
  for (int i = 0; i < nlocal; ++i)
    if (in_layer[i] && surface[i] == NOT_SURFACE) surface[i] = CAVITY;
  ghosts.forward(surface);
  std::vector<int> layer;
  for (int i = 0; i < nall; ++i)
    if (surface[i] != NOT_SURFACE) layer.push_back(i);
  ghosts.propagate_min_labels(layer, surface, link, "surface atoms and their neighbors");    // OUTER < CAVITY
  std::vector<char> touches_outer(nlocal + 1, 0);
  for (int i = 0; i < nlocal; ++i) touches_outer[i] = surface[i] == OUTER;
  return touches_outer;
}

/* ----------------------------------------------------------------------
   the neighbour count of the bulk: the median over all atoms, from a histogram of the counts
   summed over processors (integers: the same on any number of them). The mean would include the
   surface atoms themselves, so that in a thin slab (13 fcc planes: 2 of 13 atoms at a surface,
   with 8 of 12 neighbours) 0.7 of it no longer reaches the surface; the median is the bulk's
   count while fewer than half of the atoms are at a surface.
------------------------------------------------------------------------- */

double BandSurfaces::bulk_count(NeighborSearch &search) const
{
  const int nlocal = atom->nlocal;
  int largest_here = 0, largest = 0;
  for (int i = 0; i < nlocal; ++i) largest_here = std::max(largest_here, search.count(i));
  MPI_Allreduce(&largest_here, &largest, 1, MPI_INT, MPI_MAX, world);
  std::vector<int64_t> histogram(largest + 1, 0), all(histogram.size());
  for (int i = 0; i < nlocal; ++i) ++histogram[search.count(i)];
  MPI_Allreduce(histogram.data(), all.data(), (int) all.size(), MPI_INT64_T, MPI_SUM, world);
  int64_t total = 0;
  for (int64_t n : all) total += n;
  // the lower median: the smallest count that at least half of the atoms reach or stay below
  int64_t below = 0;
  for (int count = 0; count <= largest; ++count) {
    below += all[count];
    if (2 * below >= total) return count;
  }
  return 0.0;    // no atoms
}

/* ----------------------------------------------------------------------
   the owned surface atoms (CAVITY so far) within link of the material's outermost atoms along a
   non-periodic direction (the group's lowest or highest fractional coordinate on any processor,
   the distance measured normal to the cell face) become OUTER; false if every direction is
   periodic (nothing is outside the material)
------------------------------------------------------------------------- */

bool BandSurfaces::seed_outer(double *surface, const cryo_cell &cell, const std::vector<double> &f,
                              const double lowest[3], const double highest[3]) const
{
  int bounded[3] = {0, 0, 0}, any_bounded = 0;
  for (int d = 0; d < cell.dimension; ++d) any_bounded |= bounded[d] = !cell.periodic[d];
  if (!any_bounded) return false;
  double width[3];
  cryo_cell_widths(cell.h, cell.dimension, width);
  for (int i = 0; i < atom->nlocal; ++i) {
    if (surface[i] != CAVITY) continue;
    for (int d = 0; d < 3; ++d) {
      const double from_low = (f[3 * i + d] - lowest[d]) * width[d];
      const double from_high = (highest[d] - f[3 * i + d]) * width[d];
      if (bounded[d] && (from_low <= link || from_high <= link)) surface[i] = OUTER;
    }
  }
  return true;
}
