/* cryo_cell: see cryo_cell.h. */
#include "cryo_cell.h"

#include <math.h>
#include <stddef.h>

const char *cryo_cell_status_message(cryo_cell_status status)
{
  switch (status) {
    case CRYO_CELL_OK:
      return "success";
    case CRYO_CELL_ERROR_NULL_ARGUMENT:
      return "a required argument is NULL";
    case CRYO_CELL_ERROR_SINGULAR:
      return "the cell is singular or not finite, or the dimension is not 2 or 3";
  }
  return "unknown status";
}

int cryo_mat3_finite(const double m[3][3])
{
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c)
      if (!isfinite(m[r][c])) return 0;
  return 1;
}

cryo_cell_status cryo_mat3_solve(const double m[3][3], const double v[3], double x[3])
{
  if (!m || !v || !x) return CRYO_CELL_ERROR_NULL_ARGUMENT;
  const double det = cryo_mat3_det(m);
  if (!(fabs(det) > 0.0) || !isfinite(det)) return CRYO_CELL_ERROR_SINGULAR;
  for (int c = 0; c < 3; ++c) {
    double a[3][3];    // m with column c replaced by v
    for (int r = 0; r < 3; ++r)
      for (int k = 0; k < 3; ++k) a[r][k] = k == c ? v[r] : m[r][k];
    x[c] = cryo_mat3_det(a) / det;
  }
  return CRYO_CELL_OK;
}

cryo_cell_status cryo_cell_check(const cryo_cell *cell)
{
  if (!cell) return CRYO_CELL_ERROR_NULL_ARGUMENT;
  if (cell->dimension != 2 && cell->dimension != 3) return CRYO_CELL_ERROR_SINGULAR;
  const double det = cryo_mat3_det(cell->h);
  if (!cryo_mat3_finite(cell->h) || !(fabs(det) > 0.0) || !isfinite(det)) return CRYO_CELL_ERROR_SINGULAR;
  return CRYO_CELL_OK;
}

cryo_cell_status cryo_cell_fractional(const cryo_cell *cell, const double x[3], double f[3])
{
  if (!cell || !x || !f) return CRYO_CELL_ERROR_NULL_ARGUMENT;
  if (cell->dimension != 2 && cell->dimension != 3) return CRYO_CELL_ERROR_SINGULAR;
  const double v[3] = {x[0] - cell->origin[0], x[1] - cell->origin[1], x[2] - cell->origin[2]};
  return cryo_mat3_solve(cell->h, v, f);
}

cryo_cell_status cryo_cell_minimum_image(const cryo_cell *cell, const double to[3], const double from[3],
                                         double r[3])
{
  if (!cell || !to || !from || !r) return CRYO_CELL_ERROR_NULL_ARGUMENT;
  double d[3], n[3];
  for (int c = 0; c < 3; ++c) d[c] = to[c] - from[c];
  cryo_cell_nearest_image(cell, d, n);
  for (int c = 0; c < 3; ++c) d[c] -= n[c];
  cryo_mat3_apply(cell->h, d, r);
  if (cell->dimension == 2) r[2] = 0.0;
  return CRYO_CELL_OK;
}

void cryo_cell_widths(const double h[3][3], int dimension, double width[3])
{
  double columns[3][3];    // columns[c] = cell vector c
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) columns[c][r] = h[r][c];
  width[2] = INFINITY;
  for (int c = 0; c < (dimension == 2 ? 2 : 3); ++c) {
    if (dimension != 2) {
      // distance between the faces spanned by the other two vectors: volume / |cross product|
      const double *a = columns[(c + 1) % 3], *b = columns[(c + 2) % 3];
      const double n[3] = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
      width[c] = fabs(cryo_mat3_det(h)) / sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    } else {
      const double *other = columns[1 - c];
      const double area = fabs(columns[0][0] * columns[1][1] - columns[0][1] * columns[1][0]);
      width[c] = area / sqrt(other[0] * other[0] + other[1] * other[1]);
    }
  }
}

double cryo_cell_max_cutoff(const double h[3][3], const int periodic[3], int dimension)
{
  double width[3];
  cryo_cell_widths(h, dimension, width);
  double smallest = INFINITY;
  for (int c = 0; c < dimension; ++c)
    if (periodic[c] && width[c] < smallest) smallest = width[c];
  return 0.5 * smallest;
}

cryo_cell_status cryo_cell_basis_change(const double h_before[3][3], const double h_after[3][3],
                                        const int periodic[3], double b[3][3])
{
  if (!h_before || !h_after || !periodic || !b) return CRYO_CELL_ERROR_NULL_ARGUMENT;
  const double det = cryo_mat3_det(h_before);
  if (!cryo_mat3_finite(h_before) || !cryo_mat3_finite(h_after) || !(fabs(det) > 0.0) || !isfinite(det))
    return CRYO_CELL_ERROR_SINGULAR;
  double inverse[3][3], a[3][3];
  cryo_mat3_inverse(h_before, det, inverse);
  cryo_mat3_multiply(inverse, h_after, a);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) b[r][c] = r == c ? 1.0 : 0.0;
  // a flip of the tilt of cell vector c along vector r needs r periodic (LAMMPS fix deform)
  if (periodic[0]) {
    b[0][1] = cryo_cell_nearest_integer(a[0][1]);
    b[0][2] = cryo_cell_nearest_integer(a[0][2]);
  }
  if (periodic[1]) b[1][2] = cryo_cell_nearest_integer(a[1][2]);
  return CRYO_CELL_OK;
}
