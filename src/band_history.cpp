/* CryoCycle: see band_history.h. */

#include "band_history.h"

#include "atom.h"
#include "band_reductions.h"
#include "cryo_band.h"
#include "cryo_track.h"
#include "error.h"
#include "style_support.h"
#include "update.h"

#include <algorithm>
#include <map>

using namespace LAMMPS_NS;

namespace {
// 2: the link and minsize the history was made with; 3: persist and the transient clusters
constexpr double STORE_FORMAT = 3.0;
// global values: a header, then one record per tracked cluster of the last evaluation
enum Header {
  FORMAT = 0, NEXT_ID = 1, EVALUATION = 2, LAST_STEP = 3, APPEARED = 4, ENDED = 5, NRECORDS = 6,
  LINK = 7, MINSIZE = 8, PERSIST = 9, TRANSIENT = 10, CLOCK = 11, HEADER = 12
};
enum Field {
  ID = 0, FIRST_EVALUATION = 1, FIRST_STEP = 2, AXIS = 3, ORIGIN = 6, LOW_FIRST = 9, HIGH_FIRST = 10,
  LOW = 11, HIGH = 12, LOW_PREVIOUS = 13, HIGH_PREVIOUS = 14, FIRST_CLOCK = 15, FIELDS = 16
};
// per atom: the persistent ID of its band at the last evaluation (0: none) and that evaluation (a
// per-atom store of one value would be a vector, not an array, in LAMMPS)
enum AtomSlot { BAND_ID = 0, SEEN = 1, SLOTS = 2 };
}    // namespace

BandHistory::BandHistory(LAMMPS *lmp, const std::string &owner) :
    Pointers(lmp), who("Compute sbzone/atom " + owner),
    stores(lmp, owner, "BANDS", HEADER, SLOTS, "band history", [&](const double *global) {
      if (global[FORMAT] != STORE_FORMAT)
        error->all(FLERR, "{}: the restart file holds a band history in another format (written by "
                   "another CryoCycle version)", who);
    })
{
  if (stores.restored()) {
    load();
  } else {
    stores.global()[FORMAT] = STORE_FORMAT;
    save();
  }
}

/* A band is a cluster of at least minsize atoms linked within link that has existed for persist
   timesteps: with others, the bands of the next evaluation would be other clusters (or the same
   ones counted from another age), and their persistent IDs, frozen frames, advances and the count
   of transient clusters would compare unlike things. */
void BandHistory::check_definition(double link, int minsize, bigint persist_steps)
{
  double *global = stores.global();
  if (global[LINK] != 0.0 && (global[LINK] != link || global[MINSIZE] != minsize))
    error->all(FLERR, "{}: link {} and minsize {} differ from the link {} and minsize {} the band "
               "history was made with (restart file): the bands would not continue the recorded ones; "
               "use the same values, or define the compute with another ID to start a new history",
               who, link, minsize, global[LINK], (int) global[MINSIZE]);
  if (global[LINK] != 0.0 && global[PERSIST] != (double) persist_steps)
    error->all(FLERR, "{}: persist {} differs from the persist {} the band history was made with (restart "
               "file): use the same value, or define the compute with another ID to start a new history",
               who, persist_steps, (bigint) global[PERSIST]);
  global[LINK] = link;
  global[MINSIZE] = minsize;
  persist = persist_steps;
  global[PERSIST] = (double) persist;
}

void BandHistory::load()
{
  const double *global = stores.global();
  next_id = (int64_t) global[NEXT_ID];
  evaluation = (int64_t) global[EVALUATION];
  last_step = (bigint) global[LAST_STEP];
  appeared = (int) global[APPEARED];
  ended = (int) global[ENDED];
  persist = (bigint) global[PERSIST];
  transient = (int64_t) global[TRANSIENT];
  clock = (int64_t) global[CLOCK];
  const int nrecords = (int) global[NRECORDS];
  if (stores.global_size() != HEADER + nrecords * FIELDS)
    error->all(FLERR, "{}: the band history in the restart file is incomplete", who);
  records.assign(nrecords, Record());
  for (int r = 0; r < nrecords; ++r) {
    const double *v = &global[HEADER + r * FIELDS];
    Record &record = records[r];
    record.id = (int64_t) v[ID];
    record.first_evaluation = (int64_t) v[FIRST_EVALUATION];
    record.first_step = (bigint) v[FIRST_STEP];
    record.first_clock = (int64_t) v[FIRST_CLOCK];
    std::copy(v + AXIS, v + AXIS + 3, record.axis);
    std::copy(v + ORIGIN, v + ORIGIN + 3, record.origin);
    record.low_first = v[LOW_FIRST];
    record.high_first = v[HIGH_FIRST];
    record.low = v[LOW];
    record.high = v[HIGH];
    record.low_previous = v[LOW_PREVIOUS];
    record.high_previous = v[HIGH_PREVIOUS];
  }
}

void BandHistory::save()
{
  stores.resize_global(HEADER + (int) records.size() * FIELDS);
  double *global = stores.global();
  global[FORMAT] = STORE_FORMAT;
  global[NEXT_ID] = (double) next_id;
  global[EVALUATION] = (double) evaluation;
  global[LAST_STEP] = (double) last_step;
  global[APPEARED] = appeared;
  global[ENDED] = ended;
  global[PERSIST] = persist;
  global[TRANSIENT] = (double) transient;
  global[CLOCK] = (double) clock;
  global[NRECORDS] = (double) records.size();
  for (size_t r = 0; r < records.size(); ++r) {
    double *v = &global[HEADER + r * FIELDS];
    const Record &record = records[r];
    v[ID] = (double) record.id;
    v[FIRST_EVALUATION] = (double) record.first_evaluation;
    v[FIRST_STEP] = (double) record.first_step;
    v[FIRST_CLOCK] = (double) record.first_clock;
    std::copy(record.axis, record.axis + 3, v + AXIS);
    std::copy(record.origin, record.origin + 3, v + ORIGIN);
    v[LOW_FIRST] = record.low_first;
    v[HIGH_FIRST] = record.high_first;
    v[LOW] = record.low;
    v[HIGH] = record.high;
    v[LOW_PREVIOUS] = record.low_previous;
    v[HIGH_PREVIOUS] = record.high_previous;
  }
}

/* ---------------------------------------------------------------------- */

void BandHistory::follow(int nbands, const int *band, const double *f, const cryo_cell &cell,
                         const double *centers, const double *axes, const double *coverage, double filled)
{
  const int nlocal = atom->nlocal;
  double **per_atom = stores.atom();

  // atoms of each current band by the band they were in at the previous evaluation
  if (next_id > INT64_MAX / (nbands + 1))
    error->all(FLERR, "{}: too many band IDs ({}) to count overlaps", who, next_id);
  std::map<int64_t, int64_t> local;
  for (int i = 0; i < nlocal; ++i) {
    const auto previous = (int64_t) per_atom[i][BAND_ID];
    if (band[i] >= 0 && previous > 0 && (int64_t) per_atom[i][SEEN] == evaluation)
      ++local[previous * (nbands + 1) + band[i]];
  }
  std::vector<cryo_track_overlap> overlaps;
  for (const auto &entry : sum_counts(lmp, local))
    overlaps.push_back({(int) (entry.first % (nbands + 1)), entry.first / (nbands + 1), entry.second});
  std::vector<int64_t> ids(nbands + 1), held(nbands + 1);
  check_status(lmp, Ranks::ALL,
               cryo_track_assign(nbands, (int) overlaps.size(), overlaps.data(), &next_id, ids.data(),
                                 held.data()),
               who, "persistent IDs of {} bands", nbands);

  // Evaluations on one timestep count as one (LAMMPS evaluates a compute again at the setup of a
  // run that starts where the last one ended): the bands continue those of that evaluation, and
  // what was measured since the previous one stays as it was.
  const bool same_step = evaluation > 0 && last_step == update->ntimestep;
  const int64_t previous_clock = clock;
  if (!same_step) {
    ++evaluation;
    appeared = ended = 0;
    if (last_step >= 0) clock += std::max<int64_t>(0, update->ntimestep - last_step);
  }
  last_step = update->ntimestep;
  std::map<int64_t, Record> previous;
  for (const Record &record : records) previous[record.id] = record;
  records.assign(nbands, Record());
  std::vector<char> created(nbands, 0);    // first seen now
  for (int b = 0; b < nbands; ++b) {
    Record &record = records[b];
    if (held[b] > 0) {
      const auto it = previous.find(ids[b]);
      if (it == previous.end())    // atoms remember a band the last evaluation did not have
        error->all(FLERR, "{}: band {} continues band {}, which has no record", who, b, ids[b]);
      record = it->second;
      previous.erase(it);
      if (!same_step) {
        record.low_previous = record.low;
        record.high_previous = record.high;
      }
      continue;
    }
    record.id = ids[b];
    record.first_evaluation = evaluation;
    record.first_step = update->ntimestep;
    record.first_clock = clock;
    created[b] = 1;
  }
  // what no current cluster continues has ended: a band, or a young cluster that never became one
  for (const auto &entry : previous) {
    if (is_established(entry.second, previous_clock))
      ++ended;
    else
      ++transient;
  }
  // Bands that became established now (with persist 0: those that appeared now), by comparing with
  // the previous evaluation (on a second evaluation of the same step the clock has not moved, so
  // they are not counted twice). Their frame is frozen now: the axis and centre of a cluster first seen
  // as a diffuse patch can lie far from those of the band it becomes (a frame frozen then made the
  // ends of a band along x retreat along an axis 65 degrees away).
  std::vector<char> framed_now(nbands, 0);
  for (int b = 0; b < nbands; ++b) {
    Record &record = records[b];
    const bool established_before = !created[b] && is_established(record, previous_clock);
    if (established_before || !is_established(record, clock)) continue;
    ++appeared;
    std::copy(&axes[3 * b], &axes[3 * b] + 3, record.axis);
    std::copy(&centers[3 * b], &centers[3 * b] + 3, record.origin);
    framed_now[b] = 1;
  }
  frozen_ends(nbands, band, f, cell, coverage, filled);
  for (int b = 0; b < nbands; ++b) {
    Record &record = records[b];
    if (framed_now[b]) {
      record.low_first = record.low_previous = record.low;
      record.high_first = record.high_previous = record.high;
    }
  }

  for (int i = 0; i < nlocal; ++i) {
    per_atom[i][BAND_ID] = band[i] >= 0 ? (double) records[band[i]].id : 0.0;
    per_atom[i][SEEN] = (double) evaluation;
  }
  save();
}

/* the ends of every band along its frozen axis, from its frozen centre: offsets by the minimum
   image without the directions the band fills now (as for its current ends, cryo_band.h) */
void BandHistory::frozen_ends(int nbands, const int *band, const double *f, const cryo_cell &cell,
                              const double *coverage, double filled)
{
  std::vector<double> origins(3 * nbands + 3), axes(3 * nbands + 3);
  for (int b = 0; b < nbands; ++b) {
    std::copy(records[b].origin, records[b].origin + 3, &origins[3 * b]);
    std::copy(records[b].axis, records[b].axis + 3, &axes[3 * b]);
  }
  const BandReductions::Members members = BandReductions::members(atom->nlocal, f, band);
  const BandReductions reduce(lmp, who, cell, nbands, members.count(), members.f.data());
  std::vector<double> projection, low, high;
  reduce.ends(members.band.data(),
              reduce.offsets(members.band.data(), origins.data(), coverage, filled, "centres the bands first had"),
              axes.data(), projection, low, high, "axes the bands first had");
  for (int b = 0; b < nbands; ++b) {
    records[b].low = low[b];
    records[b].high = high[b];
  }
}

/* which ends of a band are free, as ends along its frozen axis (low, high): the free flags of the
   measurement belong to its current axis, whose sign is a convention (largest component positive)
   and turns over when that component changes, e.g. for a band near 45 degrees; then the current low
   end is the frozen high one */
static void free_along_frozen_axis(const BandHistory::Record &record, const BandMeasurement::Band &measured,
                                   int free_end[2])
{
  const double *now = measured.frame.axis, *then = record.axis;
  const bool turned_over = now[0] * then[0] + now[1] * then[1] + now[2] * then[2] < 0.0;
  free_end[0] = turned_over ? measured.free_high : measured.free_low;
  free_end[1] = turned_over ? measured.free_low : measured.free_high;
}

void BandHistory::row(int band, const BandMeasurement::Band &measured, double *values) const
{
  const Record &r = records[band];
  int free_end[2];
  free_along_frozen_axis(r, measured, free_end);
  const double row[COLUMNS] = {(double) r.id, (double) r.first_evaluation, (double) r.first_step, r.low, r.high,
                               r.low_advance_since_first(), r.high_advance_since_first(),
                               r.low_advance_since_previous(), r.high_advance_since_previous(),
                               (double) free_end[0], (double) free_end[1], measured.offset};
  std::copy(row, row + COLUMNS, values);
}

void BandHistory::summarize(const std::vector<BandMeasurement::Band> &measured, double *v) const
{
  std::fill(v, v + SUMMARIES, 0.0);
  int offsets[2] = {0, 0};
  for (size_t bi = 0; bi < measured.size(); ++bi) {
    const BandMeasurement::Band &band = measured[bi];
    const Record &record = records[bi];
    if (!established((int) bi)) {
      v[9] += 1.0;
      continue;
    }
    v[0] += 1.0;
    v[1] += band.spanning;
    const double since_previous[2] = {record.low_advance_since_previous(), record.high_advance_since_previous()};
    const double since_first[2] = {record.low_advance_since_first(), record.high_advance_since_first()};
    int free_end[2];
    free_along_frozen_axis(record, band, free_end);
    for (int e = 0; e < 2; ++e) {
      if (!free_end[e]) continue;
      v[4] = std::max(v[4], since_previous[e]);
      v[5] += since_previous[e];
      v[6] += since_first[e];
    }
    if (!band.offset_measured) continue;
    v[7 + !band.spanning] += band.offset;
    offsets[!band.spanning] += 1;
  }
  v[2] = appeared;
  v[3] = ended;
  v[10] = (double) transient;
  for (int k = 0; k < 2; ++k) v[7 + k] = offsets[k] > 0 ? v[7 + k] / offsets[k] : 0.0;
}
