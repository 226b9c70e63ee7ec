/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: where compute sbzone/atom takes displacements for the shear offset of its bands: a
   compute strain/atom (the displacement since its reference, without the affine deformation of
   the box, StrainReference) or a compute displace/atom (as it is).
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_DISPLACEMENT_SOURCE_H
#define CRYOCYCLE_DISPLACEMENT_SOURCE_H

#include "cryo_cell.h"
#include "pointers.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class DisplacementSource : protected Pointers {
 public:
  // `who`: the style instance, for messages; `compute_id`: the source
  DisplacementSource(class LAMMPS *, std::string who, std::string compute_id);

  // find the compute (again, at init); an error if it gives no displacements
  void resolve();

  // u[3i..]: the displacement of owned atom i, which is in group `igroup` (every such atom must be
  // in the source's group: displace/atom gives the others 0, and a slip across a band would read 0)
  void displacements(const cryo_cell &cell, int igroup, std::vector<double> &u);

  const std::string &id() const { return compute_id; }

 private:
  std::string who, compute_id;
  class StrainReference *strain = nullptr;
  class Compute *displace = nullptr;
};

}    // namespace LAMMPS_NS

#endif
