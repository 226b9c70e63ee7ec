/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: the surfaces that attach the ends of shear bands, for compute sbzone/atom. Surface
   atoms have fewer than a fraction of the bulk's number of atoms within the link (the median
   over all atoms); with the atoms
   within link of them they form layers, joined into sets across processors. A set that reaches
   the material's outer boundary is the outer surface (a free surface, or a notch or void cut into
   it); the others line cavities inside the material, which do not attach band ends.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_BAND_SURFACES_H
#define CRYOCYCLE_BAND_SURFACES_H

#include "cryo_cell.h"
#include "pointers.h"

#include <vector>

namespace LAMMPS_NS {

class BandSurfaces : protected Pointers {
 public:
  // surface[i], owned and ghost: OUTER in the layer of the outer surface, CAVITY in those of
  // cavities, NOT_SURFACE elsewhere. The codes are ordered so that, when linked atoms of a layer
  // take the smallest code among them, a set that reaches the outside is all outer surface.
  static constexpr double NOT_SURFACE = 0.0, OUTER = 1.0, CAVITY = 2.0;

  // link: the distance of neighbours and of layers; fraction: of the bulk neighbour count below
  // which an atom is a surface atom
  BandSurfaces(class LAMMPS *, class GhostExchange &, double link, double fraction);

  // Marks surface (nmax doubles, owned and ghost) and returns per owned atom whether it touches
  // the outer surface (a surface atom of it or within link of one). The outermost atoms along
  // non-periodic directions are found from the fractional coordinates f of the owned atoms and
  // the material's extent (lowest, highest) in `cell`.
  std::vector<char> mark(double *surface, const cryo_cell &cell, const std::vector<double> &f,
                         const double lowest[3], const double highest[3]);

 private:
  class GhostExchange &ghosts;
  double link, fraction;
  double bulk_count(class NeighborSearch &search) const;
  bool seed_outer(double *surface, const cryo_cell &cell, const std::vector<double> &f, const double lowest[3],
                  const double highest[3]) const;
};

}    // namespace LAMMPS_NS

#endif
