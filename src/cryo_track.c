/* cryo_track: see cryo_track.h. */
#include "cryo_track.h"

#include <stddef.h>

static int64_t llabs_id(int64_t id) { return id < 0 ? -id : id; }

const char *cryo_track_status_message(cryo_track_status status)
{
  switch (status) {
    case CRYO_TRACK_OK:
      return "success";
    case CRYO_TRACK_ERROR_NULL_ARGUMENT:
      return "a required argument is NULL";
    case CRYO_TRACK_ERROR_OVERLAP:
      return "an overlap names a band out of range, a previous band ID below 1 or fewer than 1 atom";
    case CRYO_TRACK_ERROR_ID:
      return "the next band ID is below 1 or the new IDs would overflow";
  }
  return "unknown status";
}

/* a claim of (atoms_a, key_a) beats (atoms_b, key_b): more atoms, then the smaller key */
static int beats(int64_t atoms_a, int64_t key_a, int64_t atoms_b, int64_t key_b)
{
  return atoms_a > atoms_b || (atoms_a == atoms_b && key_a < key_b);
}

cryo_track_status cryo_track_assign(int nbands, int noverlaps, const cryo_track_overlap *overlaps,
                                    int64_t *next_id, int64_t *ids, int64_t *held)
{
  if (nbands < 0 || noverlaps < 0) return CRYO_TRACK_ERROR_OVERLAP;
  if (!next_id || (nbands > 0 && (!ids || !held)) || (noverlaps > 0 && !overlaps))
    return CRYO_TRACK_ERROR_NULL_ARGUMENT;
  if (*next_id < 1 || *next_id > INT64_MAX - nbands) return CRYO_TRACK_ERROR_ID;
  for (int k = 0; k < noverlaps; ++k)
    if (overlaps[k].band < 0 || overlaps[k].band >= nbands || overlaps[k].previous < 1 || overlaps[k].atoms < 1)
      return CRYO_TRACK_ERROR_OVERLAP;

  // 1. each band's candidate: the maximum of a total order, so independent of the overlaps' order
  for (int b = 0; b < nbands; ++b) ids[b] = held[b] = 0;
  for (int k = 0; k < noverlaps; ++k) {
    const cryo_track_overlap *o = &overlaps[k];
    if (ids[o->band] == 0 || beats(o->atoms, o->previous, held[o->band], ids[o->band])) {
      ids[o->band] = o->previous;
      held[o->band] = o->atoms;
    }
  }
  // 2. a candidate of several bands: the losers are marked by a negative ID until all are compared
  for (int b = 0; b < nbands; ++b)
    for (int c = 0; c < nbands && ids[b] != 0; ++c)
      if (c != b && llabs_id(ids[c]) == llabs_id(ids[b]) && beats(held[c], c, held[b], b)) {
        ids[b] = -llabs_id(ids[b]);
        break;
      }
  // 3. new IDs in band order
  for (int b = 0; b < nbands; ++b)
    if (ids[b] <= 0) {
      ids[b] = (*next_id)++;
      held[b] = 0;
    }
  return CRYO_TRACK_OK;
}
