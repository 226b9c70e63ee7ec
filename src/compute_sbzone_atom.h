/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: compute sbzone/atom, the shear-band zone of every atom (matrix, spanning band,
   tail or front of a non-spanning band, small cluster) from its atomic shear strain.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_COMPUTE_SBZONE_ATOM_H
#define CRYOCYCLE_COMPUTE_SBZONE_ATOM_H

#include "compute.h"

#include "band_history.h"
#include "band_measurement.h"
#include "cryo_band.h"
#include "ghost_exchange.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace LAMMPS_NS {

// Finding bands (clusters of high-strain atoms, labelled across processors) and zoning their atoms
// is this class's; measuring the bands is BandMeasurement's, finding surfaces BandSurfaces', and
// the work across processors on owned and ghost atoms GhostExchange's.
class ComputeSBZoneAtom : public Compute {
 public:
  // zone codes (per-atom column 1) and per-atom columns: cryo_band.h
  enum Zone {
    OUTSIDE = CRYO_ZONE_OUTSIDE, MATRIX = CRYO_ZONE_MATRIX, SPANNING = CRYO_ZONE_SPANNING,
    TAIL = CRYO_ZONE_TAIL, FRONT = CRYO_ZONE_FRONT, SMALL = CRYO_ZONE_SMALL, NZONES = CRYO_ZONE_COUNT
  };
  enum Column {
    ZONE = CRYO_SBZONE_COLUMN_ZONE, CLUSTER = CRYO_SBZONE_COLUMN_CLUSTER,
    STRAIN_CLASS = CRYO_SBZONE_COLUMN_STRAIN_CLASS, NCOLUMNS = CRYO_SBZONE_COLUMNS
  };
  // global array: one row per band, BAND_COLUMNS, then with track yes BandHistory::COLUMNS more;
  // global vector: 2 x NZONES values per zone, then with track yes BandHistory::SUMMARIES
  enum { BAND_COLUMNS = 12 };

  ComputeSBZoneAtom(class LAMMPS *, int, char **);
  ~ComputeSBZoneAtom() override;
  void init() override;
  void compute_peratom() override;
  void compute_vector() override;
  void compute_array() override;
  int lock_length() override;
  int pack_forward_comm(int, int *, double *, int, int *) override;
  void unpack_forward_comm(int, int, double *) override;
  double memory_usage() override;

 private:
  // Settings
  std::unique_ptr<class PerAtomInput> strain;    // eta per atom: a compute strain/atom or any source
  class StrainReference *strain_reference;        // of the strain source, if it is a strain/atom
  double lo, hi, eta_band, link;
  bool link_given;
  int minsize;
  int span_dims[3];       // dimensions a band must cover to span; all 0: automatic
  double span_fraction;
  bool front_is_length;
  double front_value, attach, surface_fraction;
  double halo;            // matrix atoms this close to a band atom join its zone (0: none)
  bool refresh_ghosts = false;    // a fix changes the box after ghost atoms got their positions
  bool warned_unlinked = false;    // the warning that the link connects no atoms, once
  bool track;             // band history: persistent IDs, ends along the frozen axes
  bigint persist = 0;     // timesteps a tracked cluster must exist to be a band
  double offset_distance; // shear offset from the matrix atoms this close to a band (0: none)
  char *offset_id;        // compute giving the displacements (strain/atom or displace/atom)
  std::unique_ptr<class DisplacementSource> offset;    // ... found at init
  std::unique_ptr<BandHistory> history;

  // Per atom (owned and ghost)
  int nmax;
  double *eta, *valid, *label;    // label: cluster ID (a tag), 0 if not a candidate
  double *surface;                           // surface codes (BandSurfaces)
  double *zone_of;                           // zone code, owned and ghost (for the halo)

  // The bands of this evaluation and their measurements (created at init, when the link is known)
  std::unique_ptr<BandMeasurement> measurement;
  std::vector<int64_t> cluster_ids, cluster_sizes;    // every cluster, sorted by ID
  std::vector<int> band_of_cluster;                   // band index or -1, per cluster
  std::vector<char> is_band;    // per band index: 1 unless a young cluster (persist)
  double zone_values[2 * NZONES + BandHistory::SUMMARIES];
  double **band_rows;

  GhostExchange ghosts;    // forward communication, label propagation, neighbour search

  void parse_keywords(int, char **, int);
  void grow();
  void read_strain();
  void label_clusters();
  void gather_clusters();
  int cluster_index(int64_t id) const;
  cryo_cell band_cell();
  void assign_zones(const std::vector<char> &touches_surface);
  void add_halo();
  bool in_band(int i) const;
  void nearest_band_atoms(double radius, std::vector<int> &centers, std::vector<int> &nearest);
  void measure_offsets(const cryo_cell &);
  void zone_statistics();
};

}    // namespace LAMMPS_NS

#endif
