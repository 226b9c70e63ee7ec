/* ----------------------------------------------------------------------
   CryoCycle: the surfaces that attach band ends (see band_surfaces.h).
------------------------------------------------------------------------- */

#include "band_surfaces.h"

#include "atom.h"
#include "ghost_exchange.h"
#include "neighbor_search.h"

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
  int64_t local[2] = {0, nlocal}, total[2];
  for (int i = 0; i < nlocal; ++i) local[0] += search.count(i);
  MPI_Allreduce(local, total, 2, MPI_INT64_T, MPI_SUM, world);
  const double mean = total[1] > 0 ? (double) total[0] / total[1] : 0.0;
  for (int i = 0; i < nlocal; ++i) surface[i] = search.count(i) < fraction * mean ? CAVITY : NOT_SURFACE;
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
