/* cryo_blocks: see cryo_blocks.h. */
#include "cryo_blocks.h"

#include <math.h>

const char *cryo_blocks_status_message(cryo_blocks_status status)
{
  switch (status) {
    case CRYO_BLOCKS_OK:
      return "success";
    case CRYO_BLOCKS_ERROR_NULL_ARGUMENT:
      return "a required argument is NULL";
    case CRYO_BLOCKS_ERROR_CELL:
      return "the cell is singular or not finite, or the dimension is not 2 or 3";
    case CRYO_BLOCKS_ERROR_COUNT:
      return "the number of blocks, a grid count or the number of points is out of range";
    case CRYO_BLOCKS_ERROR_REACH:
      return "the reach is negative or not finite";
    case CRYO_BLOCKS_ERROR_POSITION:
      return "a position is not finite";
    case CRYO_BLOCKS_ERROR_CAPACITY:
      return "the points have more copies than the arrays hold";
  }
  return "unknown status";
}

cryo_blocks_status cryo_blocks_grid(const cryo_cell *cell, int nblocks, int grid[3])
{
  if (!cell || !grid) return CRYO_BLOCKS_ERROR_NULL_ARGUMENT;
  if (cryo_cell_check(cell) != CRYO_CELL_OK) return CRYO_BLOCKS_ERROR_CELL;
  if (nblocks < 1) return CRYO_BLOCKS_ERROR_COUNT;
  const int dimension = cell->dimension;
  double width[3];
  cryo_cell_widths(cell->h, dimension, width);
  double best = INFINITY;
  grid[0] = nblocks;
  grid[1] = grid[2] = 1;
  for (int p0 = 1; p0 <= nblocks; ++p0) {
    if (nblocks % p0) continue;
    for (int p1 = 1; p1 <= nblocks / p0; ++p1) {
      if ((nblocks / p0) % p1) continue;
      const int p2 = nblocks / p0 / p1;
      if (dimension == 2 && p2 != 1) continue;
      const int p[3] = {p0, p1, p2};
      // proportional to the halo volume of a block
      double surface = 0.0;
      for (int c = 0; c < dimension; ++c) {
        double others = 1.0;
        for (int e = 0; e < dimension; ++e)
          if (e != c) others *= p[e];
        surface += 1.0 / (width[c] * others);
      }
      // a clearly smaller surface only: equal ones (a cube) keep the first, whatever the rounding
      if (surface < best * (1.0 - 1.0e-12)) {
        best = surface;
        grid[0] = p0;
        grid[1] = p1;
        grid[2] = p2;
      }
    }
  }
  return CRYO_BLOCKS_OK;
}

/* floor(k / p) for p > 0: the periodic image of grid coordinate k */
static int floor_div(int k, int p)
{
  return k >= 0 ? k / p : -((-k + p - 1) / p);
}

/* floor(t) as an int; t is clamped first so that the conversion is defined (a point far outside
 * a cell along a direction that is not periodic, a reach far beyond the cell) */
static int floor_int(double t)
{
  const double limit = 1.0e9;
  return (int) floor(t < -limit ? -limit : (t > limit ? limit : t));
}

static int clamp(int k, int lo, int hi)
{
  return k < lo ? lo : (k > hi ? hi : k);
}

cryo_blocks_status cryo_blocks_route(const cryo_cell *cell, const int grid[3], double reach, int n,
                                     const double (*x)[3], size_t capacity, int *first,
                                     double (*copy_x)[3], int *copy_block, int *copy_home, int *failed)
{
  if (failed) *failed = -1;
  if (!cell || !grid || !first) return CRYO_BLOCKS_ERROR_NULL_ARGUMENT;
  if (n < 0) return CRYO_BLOCKS_ERROR_COUNT;
  if ((n > 0 && !x) || (capacity > 0 && (!copy_x || !copy_block || !copy_home)))
    return CRYO_BLOCKS_ERROR_NULL_ARGUMENT;
  if (cryo_cell_check(cell) != CRYO_CELL_OK) return CRYO_BLOCKS_ERROR_CELL;
  const int dimension = cell->dimension;
  for (int c = 0; c < 3; ++c)
    if (grid[c] < 1 || (c >= dimension && grid[c] != 1)) return CRYO_BLOCKS_ERROR_COUNT;
  if (!(reach >= 0.0) || !isfinite(reach)) return CRYO_BLOCKS_ERROR_REACH;
  double width[3];
  cryo_cell_widths(cell->h, dimension, width);

  size_t ncopies = 0;
  first[0] = 0;
  for (int i = 0; i < n; ++i) {
    double f[3];
    if (cryo_cell_fractional(cell, x[i], f) != CRYO_CELL_OK) return CRYO_BLOCKS_ERROR_CELL;
    // the block grid coordinates k within reach: lo .. hi; outside [0, grid) along a periodic
    // direction they are blocks in another image of the cell
    int lo[3] = {0, 0, 0}, hi[3] = {0, 0, 0}, home[3] = {0, 0, 0};
    double wrap[3] = {0.0, 0.0, 0.0};
    for (int c = 0; c < dimension; ++c) {
      if (!isfinite(f[c])) {
        if (failed) *failed = i;
        return CRYO_BLOCKS_ERROR_POSITION;
      }
      const int periodic = cryo_cell_wraps(cell, c);
      if (periodic) {
        wrap[c] = floor(f[c]);
        f[c] -= wrap[c];
      }
      const double halo = reach / width[c];
      home[c] = clamp(floor_int(f[c] * grid[c]), 0, grid[c] - 1);
      lo[c] = floor_int((f[c] - halo) * grid[c]);
      hi[c] = floor_int((f[c] + halo) * grid[c]);
      if (!periodic) {    // outside a shrink-wrapped cell: the edge blocks
        lo[c] = clamp(lo[c], 0, grid[c] - 1);
        hi[c] = clamp(hi[c], 0, grid[c] - 1);
      }
    }
    // the point wrapped into the cell, then each copy shifted from there (two steps, so that the
    // home copy is exactly the wrapped point)
    double shift[3], wrapped[3];
    cryo_mat3_apply(cell->h, wrap, shift);
    for (int r = 0; r < 3; ++r) wrapped[r] = x[i][r] - shift[r];
    for (int k2 = lo[2]; k2 <= hi[2]; ++k2)
      for (int k1 = lo[1]; k1 <= hi[1]; ++k1)
        for (int k0 = lo[0]; k0 <= hi[0]; ++k0, ++ncopies) {
          if (ncopies >= capacity) continue;    // counted only
          const int k[3] = {k0, k1, k2};
          int block[3];
          double image[3];
          for (int c = 0; c < 3; ++c) {
            image[c] = cryo_cell_wraps(cell, c) ? floor_div(k[c], grid[c]) : 0;
            block[c] = k[c] - (int) image[c] * grid[c];
          }
          cryo_mat3_apply(cell->h, image, shift);
          for (int r = 0; r < 3; ++r) copy_x[ncopies][r] = wrapped[r] - shift[r];
          copy_block[ncopies] = cryo_blocks_index(grid, block);
          copy_home[ncopies] = k0 == home[0] && k1 == home[1] && k2 == home[2];
        }
    first[i + 1] = (int) ncopies;
  }
  return ncopies > capacity ? CRYO_BLOCKS_ERROR_CAPACITY : CRYO_BLOCKS_OK;
}
