/* cryo_neighbors: see cryo_neighbors.h. */
#include "cryo_neighbors.h"

#include <math.h>

const char *cryo_neighbors_status_message(cryo_neighbors_status status)
{
  switch (status) {
    case CRYO_NEIGHBORS_OK:
      return "success";
    case CRYO_NEIGHBORS_ERROR_NULL_ARGUMENT:
      return "a required argument is NULL";
    case CRYO_NEIGHBORS_ERROR_CUTOFF:
      return "the cutoff must be finite and > 0, and coordinates finite";
    case CRYO_NEIGHBORS_ERROR_COUNT:
      return "a count is negative, a centre index is out of range, or the grid has too few cells";
    case CRYO_NEIGHBORS_ERROR_TOO_MANY:
      return "a centre has more neighbours than the given maximum";
  }
  return "unknown status";
}

/* A regular grid over the bounding box of the points, with cells at least `cutoff` wide, so the
 * neighbours of a point lie in its own cell and the 26 around it. */
typedef struct {
  double lo[3];
  double cells_per_length[3];
  int n[3];
} grid;

static int make_grid(int npoints, const double (*x)[3], double cutoff, grid *g)
{
  if (!(cutoff > 0.0) || !isfinite(cutoff) || npoints < 0) return 0;
  double lo[3] = {0.0, 0.0, 0.0}, hi[3] = {0.0, 0.0, 0.0};
  for (int i = 0; i < npoints; ++i)
    for (int d = 0; d < 3; ++d) {
      if (!isfinite(x[i][d])) return 0;
      if (i == 0 || x[i][d] < lo[d]) lo[d] = x[i][d];
      if (i == 0 || x[i][d] > hi[d]) hi[d] = x[i][d];
    }
  for (int d = 0; d < 3; ++d) {
    const double cells = floor((hi[d] - lo[d]) / cutoff);
    g->n[d] = cells < 1.0 ? 1 : (cells > 1.0e6 ? 1000000 : (int) cells);
  }
  // a sparse set of points must not ask for a huge grid: coarsen until ~8 cells per point
  const double cap = 8.0 * npoints + 27.0;
  while ((double) g->n[0] * g->n[1] * g->n[2] > cap) {
    int widest = 0;
    for (int d = 1; d < 3; ++d)
      if (g->n[d] > g->n[widest]) widest = d;
    g->n[widest] = (g->n[widest] + 1) / 2;
  }
  for (int d = 0; d < 3; ++d) {
    g->lo[d] = lo[d];
    const double extent = hi[d] - lo[d];
    g->cells_per_length[d] = extent > 0.0 ? g->n[d] / extent : 0.0;
  }
  return 1;
}

static int cell_coordinate(const grid *g, const double *p, int d)
{
  const int c = (int) ((p[d] - g->lo[d]) * g->cells_per_length[d]);
  return c < 0 ? 0 : (c >= g->n[d] ? g->n[d] - 1 : c);
}

size_t cryo_neighbors_grid_cells(int npoints, const double (*x)[3], double cutoff)
{
  grid g;
  if ((npoints > 0 && !x) || !make_grid(npoints, x, cutoff, &g)) return 0;
  return (size_t) g.n[0] * (size_t) g.n[1] * (size_t) g.n[2];
}

cryo_neighbors_status cryo_neighbors_find(int npoints, const double (*x)[3], int ncenters,
                                          const int *center, double cutoff, int max_neighbors,
                                          int nthreads, int *cell_head, size_t ncells,
                                          int *cell_next, int *count, int *neighbor, int *overflow)
{
  if (overflow) *overflow = -1;
  if (npoints < 0 || ncenters < 0 || max_neighbors < 0) return CRYO_NEIGHBORS_ERROR_COUNT;
  if ((npoints > 0 && (!x || !cell_next)) || !cell_head ||
      (ncenters > 0 && (!center || !count || (max_neighbors > 0 && !neighbor))))
    return CRYO_NEIGHBORS_ERROR_NULL_ARGUMENT;
  grid g;
  if (!make_grid(npoints, x, cutoff, &g)) return CRYO_NEIGHBORS_ERROR_CUTOFF;
  const size_t needed = (size_t) g.n[0] * (size_t) g.n[1] * (size_t) g.n[2];
  if (ncells < needed) return CRYO_NEIGHBORS_ERROR_COUNT;
  for (int c = 0; c < ncenters; ++c)
    if (center[c] < 0 || center[c] >= npoints) return CRYO_NEIGHBORS_ERROR_COUNT;

  for (size_t k = 0; k < needed; ++k) cell_head[k] = -1;
  // insert backwards, so each cell is walked in ascending point order
  for (int j = npoints - 1; j >= 0; --j) {
    const size_t k = (size_t) cell_coordinate(&g, x[j], 0) +
        (size_t) g.n[0] * ((size_t) cell_coordinate(&g, x[j], 1) + (size_t) g.n[1] * cell_coordinate(&g, x[j], 2));
    cell_next[j] = cell_head[k];
    cell_head[k] = j;
  }

  const double cutoff_squared = cutoff * cutoff;
#pragma omp parallel for num_threads(nthreads > 0 ? nthreads : 1) schedule(static)
  for (int c = 0; c < ncenters; ++c) {
    const int i = center[c];
    int home[3], found = 0;
    for (int d = 0; d < 3; ++d) home[d] = cell_coordinate(&g, x[i], d);
    for (int cz = home[2] - 1; cz <= home[2] + 1; ++cz) {
      if (cz < 0 || cz >= g.n[2]) continue;
      for (int cy = home[1] - 1; cy <= home[1] + 1; ++cy) {
        if (cy < 0 || cy >= g.n[1]) continue;
        for (int cx = home[0] - 1; cx <= home[0] + 1; ++cx) {
          if (cx < 0 || cx >= g.n[0]) continue;
          const size_t k = (size_t) cx + (size_t) g.n[0] * ((size_t) cy + (size_t) g.n[1] * cz);
          for (int j = cell_head[k]; j >= 0; j = cell_next[j]) {
            if (j == i) continue;
            const double dx = x[j][0] - x[i][0], dy = x[j][1] - x[i][1], dz = x[j][2] - x[i][2];
            if (dx * dx + dy * dy + dz * dz > cutoff_squared) continue;
            if (found < max_neighbors) neighbor[(size_t) c * max_neighbors + found] = j;
            ++found;
          }
        }
      }
    }
    count[c] = found;
  }

  for (int c = 0; c < ncenters; ++c)
    if (count[c] > max_neighbors) {
      if (overflow) *overflow = c;
      return CRYO_NEIGHBORS_ERROR_TOO_MANY;
    }
  return CRYO_NEIGHBORS_OK;
}
