/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: compute rejuvenation, strain and energy statistics of a group and of its shear-band
   zones (fractions of atoms in the strain classes, mean eta, mean potential energy and its change
   since the strain reference, histogram of eta).
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_COMPUTE_REJUVENATION_H
#define CRYOCYCLE_COMPUTE_REJUVENATION_H

#include "compute.h"

#include "cryo_stats.h"

#include <memory>
#include <vector>

namespace LAMMPS_NS {

class ComputeRejuvenation : public Compute {
 public:
  ComputeRejuvenation(class LAMMPS *, int, char **);
  ~ComputeRejuvenation() override;
  void init() override;
  void compute_vector() override;
  void compute_array() override;
  double memory_usage() override;
  void reference_taken(class ComputeStrainAtom *);

 private:
  enum { NVALUES = 7 };    // atoms, mean eta, 3 class fractions, mean PE, PE change
  char *strain_id, *zones_id, *pe_id;
  class ComputeStrainAtom *strain;
  class Compute *zones, *pe;
  cryo_stats_config config;

  // The energy of every atom at the strain reference, in two internal fixes so that it follows
  // atoms and is written to restart files: per atom the energy and 1 once captured; globally the
  // generation of the strain reference it belongs to and the step it was captured on.
  std::unique_ptr<class InternalStores> stores;

  bigint evaluated_step;
  std::vector<double> values;    // vector: NVALUES, then the histogram
  double **rows;                 // array: one row of NVALUES per zone

  void parse_keywords(int, char **, int);
  void create_stores();
  void capture_energy();
  void evaluate();
};

}    // namespace LAMMPS_NS

#endif
