/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: selection of every atom's reference neighbours (the atoms within a cutoff of it in
   the reference configuration), by a search distributed in reference space, so that it does not
   depend on where the atoms are now or on the ghost atoms.

   The reference cell is cut into one block per processor (a grid that keeps the blocks' surface
   small); every atom's reference position, wrapped into the reference cell, goes to the
   processor of its block and, as a halo copy in the right periodic image, to those of the blocks
   within the cutoff of it (Comm::rendezvous). Each processor finds the pairs of its block's atoms
   with a cell list, keeps those no longer than the cutoff (cryo_strain_select_reference, the
   compute's own pair geometry) and returns them to the owners of the centre atoms.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_REFERENCE_NEIGHBORS_H
#define CRYOCYCLE_REFERENCE_NEIGHBORS_H

#include "pointers.h"

#include "cryo_strain.h"

#include <string>

namespace LAMMPS_NS {

class StrainReference;

class ReferenceNeighbors : protected Pointers {
 public:
  ReferenceNeighbors(class LAMMPS *lmp, const char *compute_id) : Pointers(lmp), id(compute_id) {}

  // Collective. Stores in `reference` the IDs of the reference neighbours (within `cutoff`) of
  // every owned atom of the group `groupbit`, sorted; ends in an error if an atom has more than
  // `maxneigh`. `config` gives the reference cell, periodicity and dimension.
  void select(StrainReference &reference, const cryo_strain_config &config, double cutoff,
              int groupbit, int maxneigh);

  // the processor grid over the reference cell (exposed for tests and diagnostics)
  static void block_grid(const double width[3], int dimension, int nprocs, int grid[3]);

 private:
  const char *id;
  std::string who() const { return std::string("Compute strain/atom ") + id; }
  const cryo_strain_config *config = nullptr;
  double cutoff = 0.0;
  void warn_if_too_few(const StrainReference &, int groupbit, int dimension);
  static int find_pairs(int n, char *inbuf, int &flag, int *&proclist, char *&outbuf, void *ptr);
};

}    // namespace LAMMPS_NS

#endif
