/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: compute sbzone/atom, the shear-band zone of every atom (matrix, spanning band,
   tail or front of a non-spanning band, small cluster) from its atomic shear strain.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_COMPUTE_SBZONE_ATOM_H
#define CRYOCYCLE_COMPUTE_SBZONE_ATOM_H

#include "compute.h"

#include "band_history.h"
#include "cryo_band.h"
#include "neighbor_search.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace LAMMPS_NS {

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
  // global array: one row per band, BAND_COLUMNS, then with track yes TRACK_COLUMNS more;
  // global vector: 2 x NZONES values per zone, then with track yes TRACK_VALUES summaries
  enum { BAND_COLUMNS = 12, TRACK_COLUMNS = 12, TRACK_VALUES = 9 };

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
  double offset_distance; // shear offset from the matrix atoms this close to a band (0: none)
  char *offset_id;        // compute giving the displacements (strain/atom or displace/atom)
  class StrainReference *offset_strain;    // ... the reference, if it is a strain/atom
  class Compute *offset_displace;            // ... if it is a displace/atom
  std::unique_ptr<BandHistory> history;

  // Per atom (owned and ghost)
  int nmax;
  double *eta, *valid, *label, *exchange;    // label: cluster ID (a tag), 0 if not a candidate
  double *surface;                           // surface atoms (low coordination) and their
                                             // neighbors: 1 outer surface, 2 cavity; 0 others
  double *zone_of;                           // zone code, owned and ghost (for the halo)

  // One row per band, the same on every processor
  struct Band {
    int64_t id = 0, atoms = 0, front_atoms = 0;
    int spanning = 0, free_low = 0, free_high = 0;
    double coverage[3] = {0, 0, 0}, extent[3] = {0, 0, 0}, center[3] = {0, 0, 0};
    double axis[3] = {0, 0, 0};
    double s_min = 0, s_max = 0, front_length = 0, mean_eta = 0;
    double normal[3] = {0, 0, 0};    // of its plane (least spread), with offset
    double offset = 0;               // shear offset (0 if a side has no matrix atoms)
    bool offset_measured = false;    // both sides had matrix atoms
  };
  std::vector<Band> bands;
  std::vector<int64_t> cluster_ids, cluster_sizes;    // every cluster, sorted by ID
  std::vector<int> band_of_cluster;                   // band index or -1, per cluster
  std::vector<int> atom_band;                         // band index or -1, per owned atom
  std::vector<double> projection;                     // along its band's axis, per owned band atom
  std::vector<double> fractional;                     // per owned atom, 3 each
  double material_lowest[3] = {0, 0, 0}, material_highest[3] = {0, 0, 0};    // of the group (fractional)
  std::vector<double> centers, coverage, axes;        // per band, 3 each (fractional, -, unit)
  double zone_values[2 * NZONES + TRACK_VALUES];
  double **band_rows;

  // Neighbour search scratch
  NeighborSearch search;

  void parse_keywords(int, char **, int);
  void grow();
  void read_strain();
  void find_within(double radius, const std::vector<int> &points, const std::vector<int> &centers);
  void forward(double *values);
  void label_clusters();
  void propagate_min_labels(const std::vector<int> &points, double *values, const char *what);
  void gather_clusters();
  int cluster_index(int64_t id) const;
  void band_geometry(const cryo_cell &);
  void mark_surfaces(std::vector<char> &touches_surface);
  bool seed_outer_surface();
  cryo_cell band_cell();
  void group_extent(const cryo_cell &, std::vector<double> &f, double lowest[3], double highest[3]);
  void assign_zones(const std::vector<char> &touches_surface);
  void add_halo();
  bool in_band(int i) const;
  void nearest_band_atoms(double radius, std::vector<int> &centers, std::vector<int> &nearest);
  void displacements(const cryo_cell &, std::vector<double> &u);
  void measure_offsets(const cryo_cell &);
  void track_summaries();
  void zone_statistics();
};

}    // namespace LAMMPS_NS

#endif
