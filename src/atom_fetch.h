/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: the reference and current positions of atoms given by ID, from whichever processor
   owns them, for reference neighbours that are not among a processor's ghost atoms (atoms that
   slid past each other in a shear band, further than the ghost cutoff).

   One Comm::rendezvous per fetch, at a cost proportional to the number of atoms fetched: the
   requests go to the processor tag % nprocs, and so do the positions of the atoms flagged as
   far partners in the reference (their owners offer them; the flag migrates with the atom). A
   request that meets no offer (an atom requested for the first time) is answered by a second
   rendezvous in which every atom is offered; it flags the atoms it finds, so the next fetches
   need only the first. An atom nobody offers there no longer exists.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_ATOM_FETCH_H
#define CRYOCYCLE_ATOM_FETCH_H

#include "pointers.h"

#include <vector>

namespace LAMMPS_NS {

class StrainReference;

class AtomFetch : protected Pointers {
 public:
  struct Positions {
    double x0[3];    // reference position (unwrapped)
    double x[3];     // current position (unwrapped)
  };

  explicit AtomFetch(class LAMMPS *lmp) : Pointers(lmp) {}

  // Collective. For the IDs `tags` (sorted, each once): found[k] = 1 and positions[k], or
  // found[k] = 0 if no processor owns atom tags[k]. Returns the bytes this processor sent.
  double fetch(StrainReference &reference, const std::vector<tagint> &tags,
               std::vector<Positions> &positions, std::vector<char> &found);

 private:
  struct Request;
  struct Answer;
  bool offer_all = false;
  double answer_bytes = 0.0;    // sent by this processor as a rendezvous processor
  static int match(int n, char *inbuf, int &flag, int *&proclist, char *&outbuf, void *ptr);
  double exchange(StrainReference &reference, const std::vector<tagint> &tags, bool all,
                  std::vector<Positions> &positions, std::vector<char> &found);
};

}    // namespace LAMMPS_NS

#endif
