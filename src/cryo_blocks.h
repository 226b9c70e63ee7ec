/* cryo_blocks: a cell cut into a grid of blocks, one per processor, and the copies of points that
 * the blocks within a reach of them need.
 *
 * The blocks split the fractional coordinates evenly: block b along cell vector c holds
 * f_c in [b / grid[c], (b + 1) / grid[c]). cryo_blocks_grid() chooses how many blocks per cell
 * vector (their product the number of processors) with the smallest block surface, as LAMMPS
 * chooses its processor grid: the surface is what the halos cost. cryo_blocks_route() sends every
 * point to its home block, wrapped into the cell along the periodic directions, and, as a copy
 * shifted by whole cell vectors, to every block within `reach` of it. A block then holds each
 * point within reach of its home points in the periodic image that is within reach of them (the
 * nearest one, for reach below half the smallest periodic width), so that its pairs can be found
 * among plain coordinates. Along a direction that is not periodic a point outside the cell belongs
 * to the edge block.
 *
 * Compute strain/atom routes the reference positions this way to select every atom's reference
 * neighbours wherever the atoms are now (reference_neighbors.cpp, by Comm::rendezvous).
 *
 * Pure C11, no allocation.
 */
#ifndef CRYO_BLOCKS_H
#define CRYO_BLOCKS_H

#include "cryo_cell.h"
#include "cryo_status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CRYO_BLOCKS_OK = 0,
  CRYO_BLOCKS_ERROR_NULL_ARGUMENT,
  CRYO_BLOCKS_ERROR_CELL,      /* the cell is singular or not finite, or the dimension not 2 or 3 */
  CRYO_BLOCKS_ERROR_COUNT,     /* fewer than one block, a grid count below 1 (or above 1 beyond the
                                  dimension), or a negative number of points */
  CRYO_BLOCKS_ERROR_REACH,     /* the reach is negative or not finite */
  CRYO_BLOCKS_ERROR_POSITION,  /* a position is not finite (*failed names the first) */
  CRYO_BLOCKS_ERROR_CAPACITY   /* more copies than the arrays hold: first[n] says how many */
} cryo_blocks_status;

/* A static English sentence describing the status (never NULL). */
const char *cryo_blocks_status_message(cryo_blocks_status status);

/* The blocks per cell vector for `nblocks` blocks: of the factorisations grid[0] grid[1] grid[2]
 * = nblocks (grid[2] = 1 in 2d), the one with the smallest surface of a block, the sum over the
 * cell vectors c of 1 / (width_c * the product of the other counts); among equal surfaces (to a
 * relative 1e-12) the first with the smallest grid[0], then grid[1]. */
CRYO_MUST_CHECK cryo_blocks_status cryo_blocks_grid(const cryo_cell *cell, int nblocks, int grid[3]);

/* The index of block (b0, b1, b2), as processors are numbered: b0 + grid0 (b1 + grid1 b2). */
static inline int cryo_blocks_index(const int grid[3], const int block[3])
{
  return block[0] + grid[0] * (block[1] + grid[1] * block[2]);
}

/* The copies of points x[0..n) for the blocks of `grid` within `reach` of them (Cartesian
 * distance; the cell's widths turn it into fractions of the cell). Point i's copies are
 * first[i] .. first[i+1]-1 (first has n+1 entries; always filled, also on CRYO_BLOCKS_ERROR_
 * CAPACITY, so that first[n] copies fit a second call): copy k is the point moved by whole cell
 * vectors, at copy_x[k], for block copy_block[k] (cryo_blocks_index()), with copy_home[k] = 1 for
 * the point's own block (exactly one copy per point) and 0 for the halo copies. The copies of a
 * point go in the order of their grid coordinates (k0 fastest, then k1, k2). At most
 * `capacity` copies are written; the copy arrays may be NULL if capacity is 0. *failed (if not
 * NULL) is the first point whose position is not finite, else -1. */
CRYO_MUST_CHECK cryo_blocks_status cryo_blocks_route(const cryo_cell *cell, const int grid[3], double reach, int n,
                                                     const double (*x)[3], size_t capacity, int *first,
                                                     double (*copy_x)[3], int *copy_block, int *copy_home,
                                                     int *failed);

#ifdef __cplusplus
}
/* C++: the message by overload, which check_status() of the style classes finds */
inline const char *status_message(cryo_blocks_status status) { return cryo_blocks_status_message(status); }
#endif

#endif
