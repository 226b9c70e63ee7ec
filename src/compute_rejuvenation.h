/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: compute rejuvenation, strain and energy statistics of a group and of its zones
   (shear-band zones of sbzone/atom, chunks, or any per-atom integer source): fractions of atoms
   in the strain classes, mean eta, mean potential energy and its change since the strain
   reference, histogram of eta.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_COMPUTE_REJUVENATION_H
#define CRYOCYCLE_COMPUTE_REJUVENATION_H

#include "compute.h"

#include "cryo_stats.h"

#include <memory>
#include <string>
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

  // rows following a compute chunk/atom: the same lock as LAMMPS's /chunk computes, so that
  // fix ave/time keeps the row count fixed over its averaging window
  void lock_enable() override;
  void lock_disable() override;
  int lock_length() override;
  void lock(class Fix *, bigint, bigint) override;
  void unlock(class Fix *) override;

 private:
  enum { NVALUES = 7 };    // atoms, mean eta, 3 class fractions, mean PE, PE change
  static constexpr int MAXZONES = 1000000;    // rows of the array at most
  char *strain_id, *pe_id;
  class Compute *strain;                   // the compute strain/atom ...
  class StrainReference *strain_reference;    // ... and its reference
  class Compute *pe;

  // The zones: per-atom integers 1..nzones (0: in no zone) from a compute, a fix or an atom-style
  // variable, or the bare ID of a compute sbzone/atom (its zone column) or chunk/atom (its chunks)
  std::unique_ptr<class PerAtomInput> zones;
  struct ZoneRows {
    int known = 0;         // rows the source defines (sbzone/atom: 5); 0: not known
    bool chunk = false;    // a compute chunk/atom: rows follow its chunk count
    bool operator==(const ZoneRows &other) const { return known == other.known && chunk == other.chunk; }
  };
  ZoneRows zone_rows;
  int nzones_given;                  // nzones keyword, 0 if not given
  int nzones;                        // rows of the array
  class ComputeChunkAtom *chunk;     // when the rows follow its chunk count
  cryo_stats_config config;

  // The energy of every atom at the strain reference, in two internal fixes so that it follows
  // atoms and is written to restart files: per atom the energy and 1 once captured; globally the
  // generation of the strain reference it belongs to and the step it was captured on.
  std::unique_ptr<class InternalStores> stores;

  bigint evaluated_step;
  // Per-atom values whose mean and standard deviation are reported per zone and for the group
  // (values keyword): 2 more columns of the array and 2 more elements of the vector each
  std::vector<std::unique_ptr<class PerAtomInput>> value_inputs;
  // Histograms of values (value/histogram keyword): per zone nbins + 2 more columns of the array
  // (bins over [lo, hi), then the atoms below lo and at or above hi), and as many more elements of
  // the vector for the group, in the order given
  struct ValueHistogram {
    int value;    // index into value_inputs
    int nbins;
    double lo, hi;
  };
  std::vector<ValueHistogram> value_histograms;
  int ncolumns;                  // of the array: NVALUES + 2 per value + nbins + 2 per histogram

  std::vector<double> values;    // vector: NVALUES, the histogram, 2 per value, the value histograms
  double **rows;                 // array: one row of ncolumns per zone
  int maxrows;                   // rows allocated

  void parse_keywords(int, char **, int);
  ZoneRows resolve_zones();
  void read_zones(std::vector<int> &row);
  void grow_rows(int);
  void create_stores();
  void capture_energy();
  void reference_taken();
  void evaluate();
  void value_statistics(const std::vector<int> &row, int nrows, const std::vector<int64_t> &row_atoms,
                        int64_t group_atoms, int nhist);
  void value_histogram(const std::vector<int> &row, int nrows, const std::vector<double> &x, int v, int nhist);
};

}    // namespace LAMMPS_NS

#endif
