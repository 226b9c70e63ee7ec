/* cryo_band: see cryo_band.h. */
#include "cryo_band.h"

#include "cryo_fixed.h"

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
    case CRYO_BAND_ERROR_INDEX:
      return "a band index is out of range or a count is negative";
    case CRYO_BAND_ERROR_OVERFLOW:
      return "a value is not finite or too large for the fixed-point sums";
  }
  return "unknown status";
}

static const double TWO_PI = 6.283185307179586476925286766559;

cryo_band_status cryo_band_grid_make(const cryo_cell *cell, const double material_lo[3],
                                     const double material_hi[3], double bin_length,
                                     cryo_band_grid *grid)
{
  if (!cell || !material_lo || !material_hi || !grid) return CRYO_BAND_ERROR_NULL_ARGUMENT;
  if (cryo_cell_check(cell) != CRYO_CELL_OK) return CRYO_BAND_ERROR_CELL;
  grid->dimension = cell->dimension;
  grid->word_offset[0] = 0;
  for (int d = 0; d < 3; ++d) {
    grid->periodic[d] = cell->periodic[d];
    grid->span[d] = grid->periodic[d] ? 1.0 : fmax(material_hi[d] - material_lo[d], 1e-12);
    // a margin below the lowest atom, so that it does not sit on a bin edge
    grid->lo[d] = grid->periodic[d] ? 0.0 : material_lo[d] - 1e-9 * grid->span[d];
    grid->length[d] = grid->span[d] * cell->h[d][d];
    const double nbins = floor(grid->length[d] / bin_length);    // NaN or huge: clamped
    grid->bins[d] = nbins >= CRYO_BAND_MAX_BINS ? CRYO_BAND_MAX_BINS : (nbins >= 1.0 ? (int) nbins : 1);
    grid->words[d] = (grid->bins[d] + 63) / 64;
    grid->word_offset[d + 1] = grid->word_offset[d] + grid->words[d];
  }
  return CRYO_BAND_OK;
}

int cryo_band_grid_bin(const cryo_band_grid *grid, int d, double f)
{
  const double t = grid->periodic[d] ? f - floor(f) : (f - grid->lo[d]) / grid->span[d];
  const double k = floor(t * grid->bins[d]);
  if (!(k >= 0.0)) return 0;    // also NaN
  return k >= grid->bins[d] ? grid->bins[d] - 1 : (int) k;
}

static int band_ok(const int *band, int i, int nbands)
{
  return band[i] < nbands;
}

cryo_band_status cryo_band_accumulate(const cryo_band_grid *grid, int n, const double *f, const int *band,
                                      const double *eta, double unit_scale, double eta_scale, int nbands,
                                      uint64_t *bits, int64_t *sums)
{
  if (n < 0 || nbands < 0) return CRYO_BAND_ERROR_INDEX;
  if (!grid || (n > 0 && (!f || !band || !eta)) || (nbands > 0 && (!bits || !sums)))
    return CRYO_BAND_ERROR_NULL_ARGUMENT;
  const int nwords = grid->word_offset[3];
  int fits = 1;
  for (int i = 0; i < n; ++i) {
    if (band[i] < 0) continue;
    if (!band_ok(band, i, nbands)) return CRYO_BAND_ERROR_INDEX;
    uint64_t *b = bits + (size_t) band[i] * nwords;
    int64_t *s = sums + (size_t) band[i] * CRYO_BAND_SUMS;
    for (int d = 0; d < grid->dimension; ++d) {
      const double fd = f[3 * i + d];
      const int k = cryo_band_grid_bin(grid, d, fd);
      b[grid->word_offset[d] + k / 64] |= (uint64_t) 1 << (k % 64);
      if (grid->periodic[d]) {
        fits &= cryo_fixed_add(&s[2 * d], cos(TWO_PI * fd), unit_scale);
        fits &= cryo_fixed_add(&s[2 * d + 1], sin(TWO_PI * fd), unit_scale);
      } else {
        fits &= cryo_fixed_add(&s[2 * d], fd, unit_scale);
      }
    }
    fits &= cryo_fixed_add(&s[CRYO_BAND_SUM_ETA], eta[i], eta_scale);
  }
  return fits ? CRYO_BAND_OK : CRYO_BAND_ERROR_OVERFLOW;
}

static int bits_set(uint64_t word)
{
  int count = 0;
  for (; word; word &= word - 1) ++count;
  return count;
}

void cryo_band_summarize(const cryo_band_grid *grid, const uint64_t *bits, const int64_t *sums,
                         int64_t atoms, double unit_scale, double eta_scale, double coverage[3],
                         double center[3], double *mean_eta)
{
  for (int d = 0; d < 3; ++d) coverage[d] = center[d] = 0.0;
  for (int d = 0; d < grid->dimension; ++d) {
    int occupied = 0;
    for (int w = 0; w < grid->words[d]; ++w) occupied += bits_set(bits[grid->word_offset[d] + w]);
    coverage[d] = (double) occupied / grid->bins[d];
    const int64_t *s = &sums[2 * d];
    center[d] = grid->periodic[d] ? cryo_band_circular_center(s[0] / unit_scale, s[1] / unit_scale)
                                  : (s[0] / unit_scale) / atoms;
  }
  *mean_eta = (sums[CRYO_BAND_SUM_ETA] / eta_scale) / atoms;
}

double cryo_band_circular_center(double sum_cos, double sum_sin)
{
  if (fabs(sum_cos) < 1e-12 && fabs(sum_sin) < 1e-12) return 0.5;
  double center = atan2(sum_sin, sum_cos) / TWO_PI;
  if (center < 0.0) center += 1.0;
  return center >= 1.0 ? 0.0 : center;
}

cryo_band_status cryo_band_offsets(const cryo_cell *cell, int n, const double *f, const int *band,
                                   const double *centers, const double *coverage, double filled,
                                   int nbands, double *offsets, double *largest_square)
{
  if (n < 0 || nbands < 0) return CRYO_BAND_ERROR_INDEX;
  if (!cell || !largest_square || (n > 0 && (!f || !band || !offsets)) ||
      (nbands > 0 && (!centers || !coverage)))
    return CRYO_BAND_ERROR_NULL_ARGUMENT;
  double largest = 0.0;
  for (int i = 0; i < n; ++i) {
    double *r = &offsets[3 * i];
    r[0] = r[1] = r[2] = 0.0;
    if (band[i] < 0) continue;
    if (!band_ok(band, i, nbands)) return CRYO_BAND_ERROR_INDEX;
    const double *center = &centers[3 * band[i]], *covered = &coverage[3 * band[i]];
    double fi[3];
    for (int d = 0; d < 3; ++d) fi[d] = covered[d] >= filled ? center[d] : f[3 * i + d];
    if (cryo_cell_minimum_image(cell, fi, center, r) != CRYO_CELL_OK) return CRYO_BAND_ERROR_CELL;
    largest = fmax(largest, r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
  }
  *largest_square = largest;
  return CRYO_BAND_OK;
}

cryo_band_status cryo_band_moments(int n, const double *offsets, const int *band, double scale,
                                   int nbands, int64_t *moments)
{
  if (n < 0 || nbands < 0) return CRYO_BAND_ERROR_INDEX;
  if ((n > 0 && (!offsets || !band)) || (nbands > 0 && !moments)) return CRYO_BAND_ERROR_NULL_ARGUMENT;
  int fits = 1;
  for (int i = 0; i < n; ++i) {
    if (band[i] < 0) continue;
    if (!band_ok(band, i, nbands)) return CRYO_BAND_ERROR_INDEX;
    const double *r = &offsets[3 * i];
    const double products[6] = {r[0] * r[0], r[0] * r[1], r[0] * r[2], r[1] * r[1], r[1] * r[2], r[2] * r[2]};
    for (int k = 0; k < 6; ++k) fits &= cryo_fixed_add(&moments[6 * band[i] + k], products[k], scale);
  }
  return fits ? CRYO_BAND_OK : CRYO_BAND_ERROR_OVERFLOW;
}

/* eigenvalues and eigenvectors (columns of v) of the symmetric matrix covariance (xx xy xz yy yz zz)
   restricted to the used directions (the others zeroed), by Jacobi rotations; an unused direction
   keeps its unit vector, which no rotation touches */
static void diagonalize(const double covariance[6], const int use[3], double values[3], double v[3][3])
{
  const int index[3][3] = {{0, 1, 2}, {1, 3, 4}, {2, 4, 5}};
  double a[3][3];
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      a[r][c] = (use[r] && use[c]) ? covariance[index[r][c]] : 0.0;
      v[r][c] = r == c;
    }
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
  for (int k = 0; k < 3; ++k) values[k] = a[k][k];
}

/* column k of v as a unit vector whose largest component is positive */
static void oriented_column(const double v[3][3], int k, double out[3])
{
  int largest = 0;
  for (int c = 0; c < 3; ++c) {
    out[c] = v[c][k];
    if (fabs(out[c]) > fabs(out[largest])) largest = c;
  }
  if (out[largest] < 0.0)
    for (int c = 0; c < 3; ++c) out[c] = -out[c];
}

cryo_band_status cryo_band_principal_axis(const double covariance[6], const int use[3], double axis[3])
{
  if (!covariance || !use || !axis) return CRYO_BAND_ERROR_NULL_ARGUMENT;
  double values[3], v[3][3];
  diagonalize(covariance, use, values, v);
  int best = -1;
  for (int k = 0; k < 3; ++k)
    if (values[k] > 0.0 && (best < 0 || values[k] > values[best])) best = k;
  if (best < 0) {
    axis[0] = axis[1] = axis[2] = 0.0;
    return CRYO_BAND_OK;
  }
  oriented_column(v, best, axis);
  return CRYO_BAND_OK;
}

cryo_band_status cryo_band_plane_normal(const double covariance[6], const int use[3], double normal[3])
{
  if (!covariance || !use || !normal) return CRYO_BAND_ERROR_NULL_ARGUMENT;
  double values[3], v[3][3];
  diagonalize(covariance, use, values, v);
  // the eigenvectors in the used subspace are those without a component along an unused direction
  int best = -1, largest = -1;
  for (int k = 0; k < 3; ++k) {
    int inside = 1;
    for (int c = 0; c < 3; ++c)
      if (!use[c] && fabs(v[c][k]) > 0.5) inside = 0;
    if (!inside) continue;
    if (best < 0 || values[k] < values[best]) best = k;
    if (largest < 0 || values[k] > values[largest]) largest = k;
  }
  if (best < 0 || !(values[largest] > 0.0) || best == largest) {    // no spread: no plane
    normal[0] = normal[1] = normal[2] = 0.0;
    return CRYO_BAND_OK;
  }
  oriented_column(v, best, normal);
  return CRYO_BAND_OK;
}

cryo_band_status cryo_band_plane_sums(const cryo_cell *cell, int n, const double *f, const int *matrix,
                                      const double *displacement, int nbands, const cryo_band_frame *frames,
                                      double filled, double distance, double scale, int64_t *sums)
{
  if (n < 0 || nbands < 0) return CRYO_BAND_ERROR_INDEX;
  if (!cell || (n > 0 && (!f || !matrix || !displacement)) || (nbands > 0 && (!frames || !sums)))
    return CRYO_BAND_ERROR_NULL_ARGUMENT;
  if (cryo_cell_check(cell) != CRYO_CELL_OK) return CRYO_BAND_ERROR_CELL;
  const int ndims = cell->dimension;
  // cryo_cell_nearest_image() per atom, with the directions it wraps taken out of the loop over
  // n x nbands atoms (asked per atom, they cost 8 % of this function)
  int wraps[3];
  for (int c = 0; c < 3; ++c) wraps[c] = cryo_cell_wraps(cell, c);
  int fits = 1;
  for (int b = 0; b < nbands; ++b) {
    // the distance from the plane from the fractional offset d (by the minimum image):
    // normal . (H d) = (H^T normal) . d, without forming H d for the atoms far from the plane
    const cryo_band_frame *frame = &frames[b];
    const double *center = frame->center, *m = frame->normal;
    double normal_fractional[3];
    for (int c = 0; c < 3; ++c)
      normal_fractional[c] = c < ndims ? cell->h[0][c] * m[0] + cell->h[1][c] * m[1] + cell->h[2][c] * m[2] : 0.0;
    int64_t *sum = &sums[(size_t) b * CRYO_BAND_SIDE_SUMS];
    for (int i = 0; i < n; ++i) {
      if (!matrix[i]) continue;
      double side = 0.0;
      for (int c = 0; c < 3; ++c) {
        double d = f[3 * i + c] - center[c];
        if (wraps[c]) d -= cryo_cell_nearest_integer(d);
        side += normal_fractional[c] * d;
      }
      if (side == 0.0 || fabs(side) > distance) continue;    // on the plane, or too far from it
      if (frame->limited) {
        // along the axis as for the ends: the directions the band fills at the centre
        double fi[3], a_offset[3];
        for (int c = 0; c < 3; ++c) fi[c] = frame->coverage[c] >= filled ? center[c] : f[3 * i + c];
        if (cryo_cell_minimum_image(cell, fi, center, a_offset) != CRYO_CELL_OK) return CRYO_BAND_ERROR_CELL;
        const double *a = frame->axis;
        const double s = a_offset[0] * a[0] + a_offset[1] * a[1] + a_offset[2] * a[2];
        if (s < frame->s_min || s > frame->s_max) continue;
      }
      const int plus = side > 0.0;
      sum[plus ? CRYO_BAND_SIDE_PLUS : CRYO_BAND_SIDE_MINUS] += 1;
      for (int c = 0; c < 3; ++c)
        fits &= cryo_fixed_add(&sum[(plus ? CRYO_BAND_SIDE_U_PLUS : CRYO_BAND_SIDE_U_MINUS) + c],
                               displacement[3 * i + c], scale);
    }
  }
  return fits ? CRYO_BAND_OK : CRYO_BAND_ERROR_OVERFLOW;
}

int cryo_band_shear_offset(const int64_t sums[CRYO_BAND_SIDE_SUMS], double scale, const double normal[3],
                           double *offset)
{
  *offset = 0.0;
  const int64_t plus = sums[CRYO_BAND_SIDE_PLUS], minus = sums[CRYO_BAND_SIDE_MINUS];
  if (plus == 0 || minus == 0) return 0;
  double jump[3], along_normal = 0.0;
  for (int d = 0; d < 3; ++d) {
    jump[d] = (sums[CRYO_BAND_SIDE_U_PLUS + d] / scale) / plus - (sums[CRYO_BAND_SIDE_U_MINUS + d] / scale) / minus;
    along_normal += jump[d] * normal[d];
  }
  double square = 0.0;
  for (int d = 0; d < 3; ++d) {
    const double tangential = jump[d] - along_normal * normal[d];
    square += tangential * tangential;
  }
  *offset = sqrt(square);
  return 1;
}

cryo_band_status cryo_band_project(int n, const double *offsets, const int *band, const double *axes,
                                   int nbands, double *projection, double *s_min, double *s_max)
{
  if (n < 0 || nbands < 0) return CRYO_BAND_ERROR_INDEX;
  if ((n > 0 && (!offsets || !band || !projection)) || (nbands > 0 && (!axes || !s_min || !s_max)))
    return CRYO_BAND_ERROR_NULL_ARGUMENT;
  for (int i = 0; i < n; ++i) {
    projection[i] = 0.0;
    if (band[i] < 0) continue;
    if (!band_ok(band, i, nbands)) return CRYO_BAND_ERROR_INDEX;
    const double *r = &offsets[3 * i], *a = &axes[3 * band[i]];
    projection[i] = r[0] * a[0] + r[1] * a[1] + r[2] * a[2];
    s_min[band[i]] = fmin(s_min[band[i]], projection[i]);
    s_max[band[i]] = fmax(s_max[band[i]], projection[i]);
  }
  return CRYO_BAND_OK;
}

int cryo_band_in_front(double s, double s_min, double s_max, int free_low, int free_high,
                       double front_length)
{
  return (free_low && s - s_min <= front_length) || (free_high && s_max - s <= front_length);
}
