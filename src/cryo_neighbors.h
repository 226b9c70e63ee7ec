/* cryo_neighbors: the points within a cutoff of given centre points, by a cell list.
 *
 * Used by compute strain/atom, whose cutoff (a few Angstrom) is far below the pair style's: a
 * LAMMPS occasional list with such a cutoff is built at the pair cutoff, with ~20 times more
 * candidate pairs. Points are plain coordinates (owned and ghost atoms alike, no periodicity:
 * ghost atoms are the periodic images).
 *
 * Two calls: cryo_neighbors_grid_cells() says how many cells the grid needs, then
 * cryo_neighbors_find() fills caller-owned arrays. Pure C11, OpenMP over centres.
 */
#ifndef CRYO_NEIGHBORS_H
#define CRYO_NEIGHBORS_H

#include "cryo_status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CRYO_NEIGHBORS_OK = 0,
  CRYO_NEIGHBORS_ERROR_NULL_ARGUMENT,
  CRYO_NEIGHBORS_ERROR_CUTOFF,     /* cutoff <= 0 or not finite, or a coordinate not finite */
  CRYO_NEIGHBORS_ERROR_COUNT,      /* a negative count, a centre index out of range, or too few cells */
  CRYO_NEIGHBORS_ERROR_TOO_MANY    /* a centre has more than max_neighbors neighbours */
} cryo_neighbors_status;

/* A static English sentence describing the status (never NULL). */
const char *cryo_neighbors_status_message(cryo_neighbors_status status);

/* Number of grid cells cryo_neighbors_find() needs for these points and cutoff (>= 1); 0 if the
 * arguments are invalid. The grid never has more than about 8 cells per point. */
size_t cryo_neighbors_grid_cells(int npoints, const double (*x)[3], double cutoff);

/* For every centre c (point center[c]), the points j != center[c] with |x_j - x_i| <= cutoff:
 * count[c] of them, stored at neighbor[c * max_neighbors ...] in an unspecified but deterministic
 * order. Work arrays: cell_head (ncells = cryo_neighbors_grid_cells(...) ints) and cell_next
 * (npoints ints). If a centre has more than max_neighbors neighbours, count[c] is still its true
 * number, only max_neighbors are stored, *overflow (if not NULL) is the first such c, and the
 * status is CRYO_NEIGHBORS_ERROR_TOO_MANY; otherwise *overflow is -1. */
CRYO_MUST_CHECK cryo_neighbors_status cryo_neighbors_find(int npoints, const double (*x)[3], int ncenters,
                                          const int *center, double cutoff, int max_neighbors,
                                          int nthreads, int *cell_head, size_t ncells,
                                          int *cell_next, int *count, int *neighbor, int *overflow);

#ifdef __cplusplus
}
/* C++: the message by overload, which check_status() of the style classes finds */
inline const char *status_message(cryo_neighbors_status status) { return cryo_neighbors_status_message(status); }
#endif

#endif
