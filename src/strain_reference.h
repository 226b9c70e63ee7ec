/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: the strain reference, the configuration that compute strain/atom measures strain
   from: every atom's unwrapped position x0 and the cell H0 and origin at the moment it was taken,
   the step and a generation counter, and (neighbors reference) each atom's reference neighbours
   by ID. Kept in internal fixes, so it follows atoms and is written to restart files. Other
   styles find it by the compute's ID (of(), find()), watch generation() or listen() to notice
   that the reference was taken again (compute rejuvenation re-captures its reference energies),
   or call take() (fix thermal/cycle reference).
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_STRAIN_REFERENCE_H
#define CRYOCYCLE_STRAIN_REFERENCE_H

#include "atom.h"
#include "cryo_cell.h"
#include "internal_stores.h"
#include "lmptype.h"

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace LAMMPS_NS {

// the periodic image n of LAMMPS image flags, as cell-vector counts
void image_counts(imageint image, double n[3]);

class StrainReference : protected Pointers {
 public:
  // maxneigh > 0: a neighbour set of up to maxneigh IDs per atom, selected within `cutoff`;
  // 0: positions only (neighbors current). Takes the reference now, unless restored from a
  // restart file (written with the same maxneigh: else an error). `owner`: the ID of the
  // compute strain/atom it belongs to, by which other styles find it. The reference holds the
  // compute's cutoff from then on (neighbor_cutoff()): the one place it is kept.
  StrainReference(class LAMMPS *, const std::string &owner, int maxneigh, double cutoff);
  ~StrainReference() override;
  StrainReference(const StrainReference &) = delete;
  StrainReference &operator=(const StrainReference &) = delete;

  // How other styles find the reference of compute strain/atom `compute_id`: by the compute's ID,
  // not its class (styles are peers). of(): nullptr if that compute has none; find(): the errors
  // "<who> <role> compute ID <id> does not exist" and "... is of style X, not strain/atom".
  static StrainReference *of(class LAMMPS *, const std::string &compute_id);
  static StrainReference &find(class LAMMPS *, const std::string &who, const std::string &role,
                               const std::string &compute_id);

  void init();
  // the current configuration becomes the reference; then every listener is called, in the
  // order they started listening (compute rejuvenation captures the reference energies)
  void take();
  void listen(const std::string &listener, std::function<void()> on_take);    // replaces
  void forget(const std::string &listener);
  // the per-atom fields (atom_masks.h) take() reads, with those of its listeners (computes)
  uint64_t fields_read() const;
  void set_created_atom(int i);    // an atom created after the reference: no neighbours, invalid

  bigint step() const;    // the timestep it was taken on
  bigint generation() const;    // how often it was taken, this one included
  bigint natoms() const;    // atoms when it was taken
  // the cell H0 as it was taken, in its own basis: the geometry of the reference positions
  // (minimum images, widths)
  void cell(double h0[3][3]) const;
  const double *origin() const;
  // the same as a cryo_cell: H0, its origin, the periodic directions and the dimension as taken
  cryo_cell reference_cell() const;
  const double *x0(int i) const { return &stores.atom()[i][X0]; }
  // H0 k: the shift of k cell vectors of the reference cell
  void reference_shift(const double k[3], double shift[3]) const;

  // Box flips since the reference (box_flips.h) changed the basis of the periodic lattice: the
  // box vectors now are F (H0 B), F the deformation, B an integer matrix. Image flags, ghost
  // shifts and the current box are in the basis of now; the reference in that of H0.
  void basis_change(double b[3][3]) const;    // B (the identity if the box never flipped)
  // H0 B: the reference cell in the basis of the current box, whose column c is cell vector c
  // of now as it was in the reference
  void lattice_cell(double l[3][3]) const;
  // H0 B n: the shift of n cell vectors of the current box, in the reference
  void cell_shift(const double n[3], double shift[3]) const;
  // H B^-1: the current cell `h` in the basis of the reference (what H0 deformed into)
  void current_cell(const double h[3][3], double in_reference_basis[3][3]) const;
  // B^-1 k: k cell vectors of the reference cell as cell vectors of the current box
  void to_current_basis(const double k[3], double n[3]) const;

  // u[3i..] = the displacement of owned atom i (i < n) since the reference without the affine
  // deformation of the cell along its periodic directions: (x - o) - F (x0 - o0 - H0 B n), n its
  // image flags, F = H B^-1 H0^-1, with H and o taken from the reference along non-periodic
  // directions; zero for an atom carried along with the box
  void nonaffine_displacements(const cryo_cell &now, int n, double *u) const;

  // the reference neighbour set
  bool neighbors_pending() const;    // to be selected, from the stored positions
  void neighbors_selected();
  // the strain cutoff of the compute, for both neighbour modes (also the default link of compute
  // sbzone/atom); compared by cryo_strain_within_cutoff() and cryo_strain_cutoff_reach()
  double neighbor_cutoff() const;
  // the atom's own ID changed since the reference (atoms were renumbered); atoms created after
  // the reference have no reference neighbours and never count
  bool renumbered(int i) const
  {
    const double own = stores.atom()[i][OWN_TAG];
    return own != 0.0 && (tagint) own != atom->tag[i];
  }
  // LOST: a reference neighbour no longer exists
  int neighbor_count(int i) const { return (int) stores.atom()[i][NTAGS]; }
  tagint neighbor(int i, int n) const { return (tagint) stores.atom()[i][TAGS + n]; }
  void set_neighbors(int i, int count, const tagint *tags);
  void set_lost(int i);
  // far partner: the atom is a reference neighbour of an atom whose processor has no copy of it
  // in the right image, so its owner offers its position whenever far neighbours are fetched
  bool far_partner(int i) const { return stores.atom()[i][FAR_PARTNER] != 0.0; }
  void set_far_partner(int i) { stores.atom()[i][FAR_PARTNER] = 1.0; }

  static constexpr int LOST = -1;

  // Image flags reset (set image, reset_atoms image) move an atom's unwrapped position by box
  // vectors without moving the atom. On the step the atoms were last seen (at an evaluation or
  // at the reference), an atom whose position is unchanged but whose image flags are not had
  // them reset: the number of such owned atoms and the largest of their IDs. Then every owned
  // atom is seen again.
  int image_resets(tagint &example);
  // Atoms that moved by more than half a periodic width of the box since they were last seen
  // (in a rerun, frames read without image flags wrap atoms across the box, which reads as such
  // a jump): the number of such owned atoms and the largest of their IDs. Call before
  // image_resets(), which sees the atoms again.
  int rerun_jumps(tagint &example) const;

  // The box dimensions that were periodic when the reference was taken and are not now, or the
  // other way round (change_box boundary): "" if none, else e.g. "x" or "yz".
  std::string periodicity_changes() const;

 private:
  // per atom: x0 (3), own ID, far-partner flag, position and image flags when last seen,
  // neighbour count, neighbour IDs
  enum AtomSlot { X0 = 0, OWN_TAG = 3, FAR_PARTNER = 4, SEEN_X = 5, SEEN_IMAGE = 8, NTAGS = 11, TAGS = 12 };
  enum GlobalSlot {
    FORMAT = 0, CELL0 = 1, ORIGIN0 = 10, PENDING = 13, COLUMNS = 14, CUTOFF = 15, NATOMS = 16,
    STEP = 17, GENERATION = 18, SEEN_STEP = 19, PERIODIC = 20,
    BASIS0 = 21,    // the box-flip basis (FixBoxFlips::basis) when the reference was taken
    SEEN_CELL = 30,    // the box when the atoms were last seen
    NSLOTS = 39
  };
  void see(int i);
  void remember_cell();
  void basis_change_inverse(double b_inverse[3][3]) const;
  std::string owner;
  std::vector<std::pair<std::string, std::function<void()>>> listeners;
  int maxneigh;
  InternalStores stores;
  class FixBoxFlips *flips;
  int columns() const { return TAGS + maxneigh; }
};

}    // namespace LAMMPS_NS

#endif
