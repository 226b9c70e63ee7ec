/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: measuring the bands of one evaluation of compute sbzone/atom: per band its coverage
   of the material, whether it spans, its centre, principal axis and ends, the plane it lies in and
   the shear offset across it. Finding the bands (labelling clusters) is the compute's; measuring
   them is this class's, from explicit inputs (the band of every owned atom, their positions in a
   cell, their strain), as freud keeps ClusterProperties apart from Cluster. Sums over atoms are
   fixed point (cryo_fixed) and reduced over processors, so that every result is the same on any
   number of processors and threads.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_BAND_MEASUREMENT_H
#define CRYOCYCLE_BAND_MEASUREMENT_H

#include "cryo_band.h"
#include "pointers.h"

#include <cstdint>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class BandMeasurement : protected Pointers {
 public:
  // One row per band, the same on every processor
  struct Band {
    int64_t id = 0, atoms = 0, front_atoms = 0;
    int spanning = 0, free_low = 0, free_high = 0;
    double extent[3] = {0, 0, 0};
    double front_length = 0, mean_eta = 0;
    cryo_band_frame frame = {};      // centre, coverage, axis and ends, plane normal (with offset)
    double offset = 0;               // shear offset (0 if a side has no matrix atoms)
    bool offset_measured = false;    // both sides had matrix atoms
  };

  // What a band is: a cluster of at least minsize atoms; it spans if it covers at least
  // span_fraction of the material along the directions span_dims (all 0: the non-periodic ones,
  // or, if all are periodic, any dimension-1 of them); coverage is binned at `link`.
  struct Definition {
    int minsize = 20;
    int span_dims[3] = {0, 0, 0};
    double span_fraction = 0.9;
    double link = 0.0;
  };

  BandMeasurement(class LAMMPS *, std::string who, const Definition &);

  // The bands among the clusters (IDs sorted, and their sizes): those of at least minsize atoms.
  // Returns per cluster its band index or -1.
  std::vector<int> select(const std::vector<int64_t> &cluster_ids, const std::vector<int64_t> &cluster_sizes);

  // Per owned atom its band index (-1: none), set by the caller after select() for measure().
  std::vector<int> band_of_atom;

  // Coverage, span, centre, axis and ends of every band, from the owned atoms of band_of_atom and
  // their strain eta; the material is the atoms of `groupbit`.
  void measure(const cryo_cell &cell, const double *eta, int groupbit);

  // The plane of every band with wanted[band] != 0 and the shear offset across it: from the
  // displacements u (3 per owned atom) of the matrix atoms (matrix[i] != 0) within `distance` of
  // the plane, between the band's ends; `source` names where u came from, for messages. (The pass
  // over the matrix atoms costs in proportion to the bands measured: young clusters are not.)
  void measure_offsets(const cryo_cell &cell, const std::vector<int> &matrix, const std::vector<double> &u,
                       double distance, const std::vector<char> &wanted, const std::string &source);

  std::vector<Band> bands;

  // From measure(): per owned atom its fractional coordinates (3 each) and its position along its
  // band's axis; the material's lowest and highest fractional coordinates; per band (3 each) the
  // centres, coverages and axes, as the band history takes them.
  std::vector<double> fractional, projection;
  double material_lowest[3] = {0, 0, 0}, material_highest[3] = {0, 0, 0};
  std::vector<double> centers, coverage, axes;

 private:
  std::string who;
  Definition definition;
  void group_extent(const cryo_cell &, int groupbit);
};

}    // namespace LAMMPS_NS

#endif
