/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: the basis of the periodic lattice of the box, followed through LAMMPS's box flips.

   fix deform and fix npt/nph with `flip yes` keep a triclinic box's tilts within half a box length
   by replacing a box vector with itself minus another one (Domain::image_flip). The lattice of
   periodic images stays; its basis changes, and with it the meaning of image flags and of ghost
   atoms' periodic shifts. A strain reference relates image flags to periodic shifts of its own
   cell and must know this change of basis. One internal fix per LAMMPS instance watches the box at
   every neighbour-list build (flips happen only there) and keeps the product of all flips since it
   was created: the box vectors now are (box vectors then) x basis(). It is written to restart
   files. It reads no per-atom data (datamask EMPTY: no host copies under KOKKOS).
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_BOX_FLIPS_H
#define CRYOCYCLE_BOX_FLIPS_H

#include "cryo_cell.h"
#include "fix.h"

namespace LAMMPS_NS {

class FixBoxFlips : public Fix {
 public:
  FixBoxFlips(class LAMMPS *, int, char **);
  // the instance of this LAMMPS, created when first asked for
  static FixBoxFlips *of(class LAMMPS *);
  static constexpr const char *STYLE = "CRYOCYCLE/BOX_FLIPS";

  int setmask() override;
  void setup_pre_neighbor() override { observe(); }
  void pre_neighbor() override { observe(); }
  void min_pre_neighbor() override { observe(); }
  void write_restart(FILE *) override;
  void restart(char *) override;

  // the unit upper triangular integer matrix B with (box vectors now) = (box vectors at the
  // creation of the fix) B; brought up to date with the box first
  void basis(double b[3][3]);
  // `box` (the box now) in the basis of the box when the fix was created, H B^-1: the box as if
  // it had never flipped, for geometry that must not change at a flip (band coverage, spanning)
  cryo_cell unflipped(const cryo_cell &box);

 private:
  double seen[3][3];     // the box matrix when last seen
  double product[3][3];  // all flips since the creation
  void observe();
};

}    // namespace LAMMPS_NS

#endif
