/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: compute strain/atom, the atomic shear strain eta^Mises, volumetric strain and D2min
   of every atom relative to a stored reference configuration (OVITO conventions).
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_COMPUTE_STRAIN_ATOM_H
#define CRYOCYCLE_COMPUTE_STRAIN_ATOM_H

#include "compute.h"

#include "cryo_strain.h"
#include "neighbor_search.h"

#include <vector>

namespace LAMMPS_NS {

class ComputeStrainAtom : public Compute {
 public:
  ComputeStrainAtom(class LAMMPS *, int, char **);
  ~ComputeStrainAtom() override;
  void init() override;
  void compute_peratom() override;
  double compute_scalar() override;
  void compute_vector() override;
  int modify_param(int, char **) override;
  int pack_forward_comm(int, int *, double *, int, int *) override;
  void unpack_forward_comm(int, int, double *) override;
  void set_arrays(int) override;
  double memory_usage() override;

  double neighbor_cutoff() const { return cutoff; }    // the default link of compute sbzone/atom
  bigint reference_step() const;
  void take_reference_now();

 private:
  double cutoff;
  bool reference_neighbors;    // neighbour set frozen in the reference (else: current neighbours)
  bool lost_is_error;          // a reference neighbour out of reach: error (else: atom invalid)
  int maxneigh;                // reference neighbours stored per atom
  cryo_strain_affine affine;
  cryo_strain_d2min d2min;
  cryo_strain_tensor tensor;

  // Persistent reference state, in two internal fixes so it migrates with atoms and is written to
  // restart files: per atom x0 (unwrapped), neighbour count and neighbour tags; globally the
  // reference cell, its origin and whether the neighbour tags still have to be captured.
  char *id_atom_store, *id_box_store;
  class FixStoreAtom *atom_store;
  class FixStoreGlobal *box_store;

  // The reference position of every local copy (owned and ghost atoms), set at each rebuild of
  // the lists: the copy's current position (atom->x) minus it is the atom's displacement.
  int nmax;
  double **x0_copy;

  // Neighbour lists in local indices (CSR, sorted by tag). They stay valid until LAMMPS builds
  // its neighbour lists again (atoms are exchanged and re-sorted only then) or the reference
  // changes; neighbors current keeps candidates within cutoff + skin and filters them by distance.
  std::vector<int> centers, first, neighbors;
  std::vector<int> candidate_first, candidates;
  std::vector<double> moments;    // reference neighbours: per centre, cryo_strain_reference_moments()
  bigint lists_ncalls;
  long runs, lists_run;    // runs set up so far (Neighbor::ncalls restarts at every run)
  int lists_nlocal, lists_nghost;
  long reference_version, lists_reference_version;
  NeighborSearch search;    // candidates within a radius, by current positions
  int ninvalid_local, nlost_local;
  bool ghosts_lag_box;    // a fix changes the box after ghost atoms got their positions
  double vector_values[3];    // invalid atoms, of them lost, step of the reference

  void parse_keywords(int, char **, int);
  void create_stores();
  void take_reference();
  void capture_reference_neighbors(const cryo_strain_config &);
  void reference_lists(const cryo_strain_config &);
  void current_candidates();
  void current_lists();
  bool grow();
  bool lists_outdated(bool reallocated) const;
  void copy_reference_positions();
  void reference_cell_vectors(const double n[3], double shift[3]) const;
  void reference_shift(imageint image, double shift[3]) const;
  int image_within_cutoff(int i, int j) const;
  cryo_strain_config strain_config() const;
  cryo_strain_atoms atom_rows() const;
  double reach(const cryo_strain_config &) const;
  double suggested_comm_cutoff(double) const;
  void find_within(double radius, const std::vector<int> &center_atoms);
  void check_cutoff_fits_box(const cryo_strain_config &) const;
  int stored_columns() const;
};

}    // namespace LAMMPS_NS

#endif
