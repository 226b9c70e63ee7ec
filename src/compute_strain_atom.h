/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: compute strain/atom, the atomic shear strain eta^Mises, volumetric strain and D2min
   of every atom relative to a stored reference configuration (OVITO conventions).
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_COMPUTE_STRAIN_ATOM_H
#define CRYOCYCLE_COMPUTE_STRAIN_ATOM_H

#include "compute.h"

#include "atom_fetch.h"
#include "cryo_strain.h"
#include "neighbor_search.h"
#include "strain_reference.h"

#include <memory>
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

  // the reference, for the styles that watch it (rejuvenation) or take it again (thermal/cycle);
  // the compute notices a new reference by its generation
  StrainReference &reference() { return *strain_reference; }
  bigint reference_step() const { return strain_reference->step(); }

  // per-atom columns
  enum Column {
    ETA_MISES = CRYO_STRAIN_COLUMN_ETA_MISES, ETA_VOLUMETRIC = CRYO_STRAIN_COLUMN_ETA_VOLUMETRIC,
    D2MIN = CRYO_STRAIN_COLUMN_D2MIN, VALID = CRYO_STRAIN_COLUMN_VALID
  };

 private:
  bool reference_neighbors;    // neighbour set frozen in the reference (else: current neighbours)
  bool lost_is_error;          // a reference neighbour that no longer exists: error (else: invalid)
  int maxneigh;                // reference neighbours stored per atom
  cryo_strain_affine affine;
  cryo_strain_d2min d2min;
  cryo_strain_tensor tensor;
  std::unique_ptr<StrainReference> strain_reference;
  AtomFetch fetch;

  // Rows of the kernel: every local copy (owned and ghost atoms), then one row per far pair.
  // x0_rows: the reference position of each copy, set at each rebuild of the lists (a copy's
  // current position minus it is the atom's displacement); the current positions are LAMMPS's x,
  // or, where this processor has far pairs, a copy of x followed by the far rows.
  std::vector<double> x0_rows, x_rows;
  int nmax;    // rows of array_atom

  // Neighbour lists in row indices (CSR, sorted by tag). They stay valid until LAMMPS builds
  // its neighbour lists again (atoms are exchanged and re-sorted only then) or the reference
  // changes; neighbors current keeps candidates within cutoff + skin and filters them by distance.
  std::vector<int> centers, first, neighbors;
  std::vector<int> candidate_first, candidates;
  std::vector<double> moments;    // reference neighbours: per centre, cryo_strain_reference_moments()

  // Far pairs: reference neighbours without a local copy in the right image. Each has its own
  // row, filled from the positions fetched by ID at every evaluation.
  struct FarPair {
    int center;         // local index of the centre atom
    int tag_index;      // its neighbour in far_tags
    double image[3];    // the neighbour's row is its unwrapped position minus this many cell vectors
  };
  std::vector<FarPair> far_pairs;
  std::vector<tagint> far_tags;    // sorted, each once
  std::vector<AtomFetch::Positions> far_positions;
  std::vector<char> far_found;
  bigint nfar_global;     // far pairs on all processors (all processors fetch if > 0)
  double fetch_bytes;     // bytes all processors sent for the far pairs in the last evaluation

  bigint lists_ncalls;
  long runs, lists_run;    // runs set up so far (Neighbor::ncalls restarts at every run)
  int lists_nlocal, lists_nghost;
  long reference_version, lists_reference_version;    // selections of reference neighbours
  bigint lists_generation;    // of the reference the lists were made for
  NeighborSearch search;    // candidates within a radius, by current positions
  int ninvalid_local, nlost_local;
  bool refresh_ghosts;    // a fix changes the box after ghost atoms got their positions
  bool warned_dynamic_group;
  bool warned_rerun_jumps = false;    // the warning about a rerun without image flags, once
  double vector_values[5];    // invalid atoms, of them lost, step of the reference, far pairs, bytes

  void parse_keywords(int, char **, int);
  void warn_dynamic_group();
  void check_image_resets();
  void reference_lists(const cryo_strain_config &);
  void fetch_far(const cryo_strain_config &, bool lists_new);
  bool lose_deleted_neighbors();
  void current_candidates();
  void current_lists();
  bool grow();
  bool lists_outdated(bool reallocated) const;
  bool reference_changed() const;
  void copy_reference_positions();
  int image_within_cutoff(int i, int j, double reach) const;
  // the strain cutoff, held by the reference (StrainReference::neighbor_cutoff())
  double cutoff() const { return strain_reference->neighbor_cutoff(); }
  cryo_strain_config strain_config() const;
  cryo_strain_atoms atom_rows() const;
  void check_cutoff_fits_box(const cryo_strain_config &) const;
};

}    // namespace LAMMPS_NS

#endif
