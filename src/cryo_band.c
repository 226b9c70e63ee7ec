/* cryo_band: see cryo_band.h. */
#include "cryo_band.h"

#include <math.h>
#include <stddef.h>

const char *cryo_band_status_message(cryo_band_status status)
{
  switch (status) {
    case CRYO_BAND_OK:
      return "success";
    case CRYO_BAND_ERROR_NULL_ARGUMENT:
      return "a required argument is NULL";
    case CRYO_BAND_ERROR_CELL:
      return "the cell is singular or not finite, or the dimension is not 2 or 3";
  }
  return "unknown status";
}

static const double TWO_PI = 6.283185307179586476925286766559;

static int solve_cell(const cryo_band_box *box, const double v[3], double f[3])
{
  // Cramer's rule: 3x3, once per atom
  const double(*m)[3] = box->cell;
  const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
      m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  if (!(fabs(det) > 0.0) || !isfinite(det)) return 0;
  for (int c = 0; c < 3; ++c) {
    double a[3][3];
    for (int r = 0; r < 3; ++r)
      for (int k = 0; k < 3; ++k) a[r][k] = k == c ? v[r] : m[r][k];
    f[c] = (a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0]) +
            a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])) / det;
  }
  return 1;
}

cryo_band_status cryo_band_fractional(const cryo_band_box *box, const double x[3], double f[3])
{
  if (!box || !x || !f) return CRYO_BAND_ERROR_NULL_ARGUMENT;
  if (box->dimension != 2 && box->dimension != 3) return CRYO_BAND_ERROR_CELL;
  const double v[3] = {x[0] - box->origin[0], x[1] - box->origin[1], x[2] - box->origin[2]};
  return solve_cell(box, v, f) ? CRYO_BAND_OK : CRYO_BAND_ERROR_CELL;
}

cryo_band_status cryo_band_offset(const cryo_band_box *box, const double f[3], const double center[3],
                                  double r[3])
{
  if (!box || !f || !center || !r) return CRYO_BAND_ERROR_NULL_ARGUMENT;
  double d[3];
  for (int c = 0; c < 3; ++c) {
    d[c] = f[c] - center[c];
    if (box->periodic[c] && c < box->dimension) d[c] -= floor(d[c] + 0.5);
  }
  for (int k = 0; k < 3; ++k) r[k] = box->cell[k][0] * d[0] + box->cell[k][1] * d[1] + box->cell[k][2] * d[2];
  if (box->dimension == 2) r[2] = 0.0;
  return CRYO_BAND_OK;
}

double cryo_band_circular_center(double sum_cos, double sum_sin)
{
  if (fabs(sum_cos) < 1e-12 && fabs(sum_sin) < 1e-12) return 0.5;
  double center = atan2(sum_sin, sum_cos) / TWO_PI;
  if (center < 0.0) center += 1.0;
  return center >= 1.0 ? 0.0 : center;
}

cryo_band_status cryo_band_principal_axis(const double covariance[6], const int use[3], double axis[3])
{
  if (!covariance || !use || !axis) return CRYO_BAND_ERROR_NULL_ARGUMENT;
  // the matrix restricted to the used directions (others zeroed), diagonalised by Jacobi rotations
  const int index[3][3] = {{0, 1, 2}, {1, 3, 4}, {2, 4, 5}};
  double a[3][3], v[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) a[r][c] = (use[r] && use[c]) ? covariance[index[r][c]] : 0.0;
  for (int sweep = 0; sweep < 50; ++sweep) {
    const double off = fabs(a[0][1]) + fabs(a[0][2]) + fabs(a[1][2]);
    const double scale = fabs(a[0][0]) + fabs(a[1][1]) + fabs(a[2][2]);
    if (off <= 1e-15 * scale || off == 0.0) break;
    for (int p = 0; p < 2; ++p)
      for (int q = p + 1; q < 3; ++q) {
        if (a[p][q] == 0.0) continue;
        const double theta = 0.5 * (a[q][q] - a[p][p]) / a[p][q];
        const double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
        const double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
        for (int k = 0; k < 3; ++k) {    // a <- J^T a J
          const double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < 3; ++k) {
          const double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (int k = 0; k < 3; ++k) {    // v <- v J
          const double vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
  }
  int best = -1;
  for (int k = 0; k < 3; ++k)
    if (a[k][k] > 0.0 && (best < 0 || a[k][k] > a[best][best])) best = k;
  for (int k = 0; k < 3; ++k) axis[k] = best < 0 ? 0.0 : v[k][best];
  if (best < 0) return CRYO_BAND_OK;
  int largest = 0;
  for (int k = 1; k < 3; ++k)
    if (fabs(axis[k]) > fabs(axis[largest])) largest = k;
  if (axis[largest] < 0.0)
    for (int k = 0; k < 3; ++k) axis[k] = -axis[k];
  return CRYO_BAND_OK;
}

int cryo_band_in_front(double s, double s_min, double s_max, int free_low, int free_high,
                       double front_length)
{
  return (free_low && s - s_min <= front_length) || (free_high && s_max - s <= front_length);
}
