/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: selection of every atom's reference neighbours (the atoms within the cutoff of it in
   the reference configuration), by a search distributed in reference space, so that it does not
   depend on where the atoms are now or on the ghost atoms. Three steps:

   - routing: the reference cell is cut into one block per processor and every atom's reference
     position goes, wrapped into the cell, to the processor of its block and, as a halo copy in
     the right periodic image, to those of the blocks within the cutoff of it (the kernel
     cryo_blocks: the grid and the copies);
   - rendezvous (Comm::rendezvous): each processor finds the pairs of its block's atoms with a
     cell list, keeps those no longer than the cutoff (cryo_strain_select_reference, the compute's
     own pair geometry) and returns them to the owners of the centre atoms;
   - lists: each owner sorts the pairs of its atoms by ID and stores them in the reference (one
     row of neighbour IDs per atom, at most maxneigh).
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_REFERENCE_NEIGHBORS_H
#define CRYOCYCLE_REFERENCE_NEIGHBORS_H

#include "pointers.h"

#include "cryo_strain.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class StrainReference;

class ReferenceNeighbors : protected Pointers {
 public:
  ReferenceNeighbors(class LAMMPS *lmp, const char *compute_id) : Pointers(lmp), id(compute_id) {}

  // Collective. Stores in `reference` the IDs of the reference neighbours (within its
  // neighbor_cutoff()) of every owned atom of the group `groupbit`, sorted; ends in an error if an
  // atom has more than `maxneigh`. `config` gives the reference cell (config.reference).
  void select(StrainReference &reference, const cryo_strain_config &config, int groupbit, int maxneigh);

 private:
  // an atom's reference position on its way to a block's processor
  struct BlockAtom {
    double x[3];    // in the periodic image next to that block
    tagint tag;
    int owner;      // the processor that owns the atom now
    int flags;      // HOME: the atom belongs to this block; CENTER: it is in the group
  };
  struct NeighborPair {
    tagint center, neighbor;
  };

  const char *id;
  std::string who() const { return std::string("Compute strain/atom ") + id; }
  // the arguments of select(), for the steps and the rendezvous callback
  StrainReference *reference = nullptr;
  const cryo_strain_config *config = nullptr;

  void route(int groupbit, std::vector<BlockAtom> &sent, std::vector<int> &procs);
  std::vector<NeighborPair> rendezvous(std::vector<BlockAtom> &sent, std::vector<int> &procs);
  void store_lists(std::vector<NeighborPair> &pairs, int maxneigh);
  void warn_if_too_few(int groupbit);
  static int find_pairs(int n, char *inbuf, int &flag, int *&proclist, char *&outbuf, void *ptr);
};

}    // namespace LAMMPS_NS

#endif
