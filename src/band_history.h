/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: the history of the bands of compute sbzone/atom across its evaluations. Each band
   keeps a persistent ID while it exists (cryo_track: it continues the band of the previous
   evaluation most of its atoms were in), and the frame it was first seen in: its axis and centre
   then. The positions of its two ends along that frozen axis, from the frozen centre, give how far
   each end has advanced since the band appeared and since the previous evaluation.
   Per atom, the persistent ID of its band at the last evaluation; per band, the record below.
   Both are kept in internal fixes, so they follow atoms and survive write_restart/read_restart.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_BAND_HISTORY_H
#define CRYOCYCLE_BAND_HISTORY_H

#include "band_measurement.h"
#include "cryo_cell.h"
#include "internal_stores.h"
#include "lmptype.h"

#include <cstdint>
#include <string>
#include <vector>

namespace LAMMPS_NS {

class BandHistory : protected Pointers {
 public:
  struct Record {
    int64_t id = 0;                 // persistent ID (from 1)
    int64_t first_evaluation = 0;   // the evaluation it appeared at (from 1)
    bigint first_step = 0;
    int64_t first_clock = 0;        // the history's clock (steps run) then: its age is clock - first_clock
    double axis[3] = {0, 0, 0};     // its axis and centre (fractional) when it became a band: the frozen frame
    double origin[3] = {0, 0, 0};
    double low_first = 0, high_first = 0;   // its ends along the frozen axis then
    double low = 0, high = 0;               // ... and now (after follow())
    double low_previous = 0, high_previous = 0;    // ... and at the previous evaluation
    // advance of each end: outward along the axis is positive
    double low_advance_since_first() const { return low_first - low; }
    double high_advance_since_first() const { return high - high_first; }
    double low_advance_since_previous() const { return low_previous - low; }
    double high_advance_since_previous() const { return high - high_previous; }
  };

  BandHistory(class LAMMPS *, const std::string &owner);
  void init() { stores.refresh(); }
  // the cluster definition of the bands: recorded with the history; after read_restart, other
  // values are an error. A tracked cluster becomes a band once it has existed for `persist`
  // timesteps; before, it is a young cluster (0: every tracked cluster is a band at once). Its
  // frame is frozen when it becomes a band.
  void check_definition(double link, int minsize, bigint persist);

  // One evaluation. Per owned atom: band[i] (the index of its current band, -1 if none) and its
  // fractional coordinates f[3i..]; per current band: centers (fractional), axes and coverage (3
  // each, as cryo_band_offsets and cryo_band_project take them, `filled` as there).
  void follow(int nbands, const int *band, const double *f, const cryo_cell &cell, const double *centers,
              const double *axes, const double *coverage, double filled);

  const Record &record(int band) const { return records[band]; }    // of current band `band`
  // whether current tracked cluster `band` has existed long enough to be a band
  bool established(int band) const { return is_established(records[band], clock); }

  // What compute sbzone/atom reports of the history. Per current band (its row after the
  // measured columns, COLUMNS values): persistent ID, first evaluation and step, ends now (low,
  // high), advance of each end since it appeared and since the previous evaluation, which ends
  // are free, shear offset. Per evaluation (SUMMARIES values): bands, spanning bands, new bands,
  // ended bands, the largest advance of a free end since the previous evaluation, the sums of the
  // advances of free ends since the previous evaluation and since the bands appeared, the mean
  // offset of spanning and of non-spanning bands (of those with one), the young clusters now, and
  // the transient clusters so far (young clusters that ended before they became bands). Only
  // established bands count as bands; summarize() and row() take the tracked clusters.
  enum { COLUMNS = 12, SUMMARIES = 11 };
  void row(int band, const BandMeasurement::Band &measured, double *values) const;
  void summarize(const std::vector<BandMeasurement::Band> &measured, double *values) const;
  int64_t evaluations() const { return evaluation; }
  // bands that appeared (became established) and ended at the last evaluation
  int new_bands() const { return appeared; }
  int ended_bands() const { return ended; }

 private:
  std::string who;
  InternalStores stores;
  std::vector<Record> records;    // one per current band, in band order
  int64_t evaluation = 0, next_id = 1;
  bigint last_step = -1;
  int appeared = 0, ended = 0;
  bigint persist = 0;
  int64_t transient = 0;    // young clusters that ended, since the history began
  // Timesteps run while the history was kept: advanced by the steps between evaluations, never
  // back (reset_timestep moves the timestep back without dynamics), so that ages survive it.
  int64_t clock = 0;

  bool is_established(const Record &record, int64_t at_clock) const
  {
    return at_clock - record.first_clock >= persist;
  }

  void load();    // from the stores (after read_restart)
  void save();
  void frozen_ends(int nbands, const int *band, const double *f, const cryo_cell &cell,
                   const double *coverage, double filled);
};

}    // namespace LAMMPS_NS

#endif
