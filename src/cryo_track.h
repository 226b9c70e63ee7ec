/* cryo_track: which band of one evaluation continues which band of the previous one.
 *
 * compute sbzone/atom keeps, per atom, the persistent ID of the band the atom belonged to at the
 * previous evaluation (0: none). The caller counts, over processors, the atoms of each current band
 * by their previous ID (the overlaps); cryo_track_assign() then gives every current band its
 * persistent ID:
 *  1. a band's candidate is the previous band that most of its atoms with a previous band belonged
 *     to (ties: the smaller previous ID); a band none of whose atoms was in a band has none;
 *  2. a previous band that is the candidate of several current bands (it was cut) continues in the
 *     one with the most of its atoms (ties: the smaller band index); the others are new;
 *  3. new bands get IDs next_id, next_id + 1, ... in the order of their index.
 * A previous band that no current band continues has ended: it vanished, or it merged into a band
 * that continues another one. The result depends only on the overlaps as a set, not their order.
 *
 * Pure C11, caller-owned arrays, no allocation.
 */
#ifndef CRYO_TRACK_H
#define CRYO_TRACK_H

#include "cryo_status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CRYO_TRACK_OK = 0,
  CRYO_TRACK_ERROR_NULL_ARGUMENT,
  CRYO_TRACK_ERROR_OVERLAP,    /* a band index out of range, a previous ID < 1 or a count < 1 */
  CRYO_TRACK_ERROR_ID          /* next_id < 1, or the new IDs would overflow */
} cryo_track_status;

/* A static English sentence describing the status (never NULL). */
const char *cryo_track_status_message(cryo_track_status status);

/* atoms of current band `band` (0 <= band < nbands) that belonged to previous band `previous` */
typedef struct {
  int band;
  int64_t previous;
  int64_t atoms;
} cryo_track_overlap;

/* ids[b] = the persistent ID of current band b (nbands of them), by the rules above; *next_id (in:
 * the first unused ID, >= 1) is advanced past the new IDs. held[b] = the atoms of band b that were
 * in the band it continues, 0 for a new band. */
CRYO_MUST_CHECK cryo_track_status cryo_track_assign(int nbands, int noverlaps, const cryo_track_overlap *overlaps,
                                    int64_t *next_id, int64_t *ids, int64_t *held);

#ifdef __cplusplus
}
/* C++: the message by overload, which check_status() of the style classes finds */
inline const char *status_message(cryo_track_status status) { return cryo_track_status_message(status); }
#endif

#endif
