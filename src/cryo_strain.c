/* cryo_strain: see cryo_strain.h. */
#include "cryo_strain.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

const char *cryo_strain_status_message(cryo_strain_status status)
{
  switch (status) {
    case CRYO_STRAIN_OK:
      return "success";
    case CRYO_STRAIN_ERROR_NULL_ARGUMENT:
      return "a required argument is NULL";
    case CRYO_STRAIN_ERROR_DIMENSION:
      return "the dimension must be 2 or 3";
    case CRYO_STRAIN_ERROR_CELL:
      return "a simulation cell is singular or not finite";
    case CRYO_STRAIN_ERROR_OPTION:
      return "an affine, d2min or tensor option is out of range";
    case CRYO_STRAIN_ERROR_COUNT:
      return "a count is negative or the neighbour offsets decrease";
    case CRYO_STRAIN_ERROR_STRIDE:
      return "the output row stride is smaller than the number of output columns";
  }
  return "unknown status";
}

/* ---- 3x3 helpers (row-major m[row][column]) ---- */

static double det3(const double m[3][3])
{
  return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
      m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
      m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

/* inverse by the adjugate; the caller has checked det != 0 */
static void inverse3(const double m[3][3], double det, double inv[3][3])
{
  const double s = 1.0 / det;
  inv[0][0] = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) * s;
  inv[0][1] = (m[0][2] * m[2][1] - m[0][1] * m[2][2]) * s;
  inv[0][2] = (m[0][1] * m[1][2] - m[0][2] * m[1][1]) * s;
  inv[1][0] = (m[1][2] * m[2][0] - m[1][0] * m[2][2]) * s;
  inv[1][1] = (m[0][0] * m[2][2] - m[0][2] * m[2][0]) * s;
  inv[1][2] = (m[0][2] * m[1][0] - m[0][0] * m[1][2]) * s;
  inv[2][0] = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) * s;
  inv[2][1] = (m[0][1] * m[2][0] - m[0][0] * m[2][1]) * s;
  inv[2][2] = (m[0][0] * m[1][1] - m[0][1] * m[1][0]) * s;
}

static void multiply3(const double a[3][3], const double b[3][3], double ab[3][3])
{
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) ab[r][c] = a[r][0] * b[0][c] + a[r][1] * b[1][c] + a[r][2] * b[2][c];
}

static void apply3(const double m[3][3], const double v[3], double mv[3])
{
  for (int r = 0; r < 3; ++r) mv[r] = m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2];
}

static int finite3(const double m[3][3])
{
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c)
      if (!isfinite(m[r][c])) return 0;
  return 1;
}

/* Everything about the two cells that every pair needs, computed once per evaluation. */
typedef struct {
  double h0[3][3], h0_inv[3][3];
  double cell_change[3][3]; /* H - H0: moves an image shift from the reference to the current cell */
  double to_reference[3][3]; /* H0 H^-1 */
  double to_current[3][3];   /* H H0^-1 */
  int periodic[3];
  int dimension;
  cryo_strain_affine affine;
} cells;

static cryo_strain_status prepare_cells(const cryo_strain_config *config, cells *p)
{
  const double det0 = det3(config->reference_cell), det = det3(config->current_cell);
  if (!finite3(config->reference_cell) || !finite3(config->current_cell) || !(fabs(det0) > 0.0) ||
      !(fabs(det) > 0.0) || !isfinite(det0) || !isfinite(det))
    return CRYO_STRAIN_ERROR_CELL;
  double h_inv[3][3];
  memcpy(p->h0, config->reference_cell, sizeof p->h0);
  inverse3(config->reference_cell, det0, p->h0_inv);
  inverse3(config->current_cell, det, h_inv);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) p->cell_change[r][c] = config->current_cell[r][c] - config->reference_cell[r][c];
  multiply3(config->reference_cell, h_inv, p->to_reference);
  multiply3(config->current_cell, p->h0_inv, p->to_current);
  for (int c = 0; c < 3; ++c) p->periodic[c] = config->periodic[c] && (c < config->dimension);
  p->dimension = config->dimension;
  p->affine = config->affine;
  return CRYO_STRAIN_OK;
}

/* d0 and image k of the shortest reference image; see the header. */
static void reference_pair(const cells *p, const double x0_i[3], const double x0_j[3], double d0[3],
                           double k[3])
{
  double delta[3] = {x0_j[0] - x0_i[0], x0_j[1] - x0_i[1], x0_j[2] - x0_i[2]};
  double s[3];
  apply3(p->h0_inv, delta, s);
  for (int c = 0; c < 3; ++c) k[c] = p->periodic[c] ? nearbyint(s[c]) : 0.0;
  double shift[3];
  apply3(p->h0, k, shift);
  for (int c = 0; c < 3; ++c) d0[c] = delta[c] - shift[c];
}

static void pair_vectors(const cells *p, const double x0_i[3], const double x0_j[3],
                         const double u_i[3], const double u_j[3], double d0[3], double d[3])
{
  double k[3], shift_change[3];
  reference_pair(p, x0_i, x0_j, d0, k);
  apply3(p->cell_change, k, shift_change);
  // the image x0_j - H0 k of the reference is x_j - H k now
  for (int c = 0; c < 3; ++c) d[c] = d0[c] + (u_j[c] - u_i[c]) - shift_change[c];
  if (p->affine == CRYO_STRAIN_AFFINE_TO_REFERENCE) {
    double mapped[3];
    apply3(p->to_reference, d, mapped);
    memcpy(d, mapped, sizeof mapped);
  } else if (p->affine == CRYO_STRAIN_AFFINE_TO_CURRENT) {
    double mapped[3];
    apply3(p->to_current, d0, mapped);
    memcpy(d0, mapped, sizeof mapped);
  }
  if (p->dimension == 2) d0[2] = d[2] = 0.0;
}

int cryo_strain_columns(const cryo_strain_config *config)
{
  if (!config) return 0;
  return CRYO_STRAIN_SCALAR_COLUMNS + (config->tensor == CRYO_STRAIN_TENSOR_F ? 9 : 0) +
      (config->tensor == CRYO_STRAIN_TENSOR_E ? 6 : 0);
}

static cryo_strain_status check_config(const cryo_strain_config *config)
{
  if (!config) return CRYO_STRAIN_ERROR_NULL_ARGUMENT;
  if (config->dimension != 2 && config->dimension != 3) return CRYO_STRAIN_ERROR_DIMENSION;
  if ((int) config->affine < 0 || (int) config->affine > 2 || (int) config->d2min < 0 ||
      (int) config->d2min > 1 || (int) config->tensor < 0 || (int) config->tensor > 2)
    return CRYO_STRAIN_ERROR_OPTION;
  return CRYO_STRAIN_OK;
}

cryo_strain_status cryo_strain_reference_pair(const cryo_strain_config *config, const double x0_i[3],
                                              const double x0_j[3], double d0[3], double image[3])
{
  cryo_strain_status status = check_config(config);
  if (status != CRYO_STRAIN_OK) return status;
  if (!x0_i || !x0_j || !d0 || !image) return CRYO_STRAIN_ERROR_NULL_ARGUMENT;
  cells p;
  status = prepare_cells(config, &p);
  if (status != CRYO_STRAIN_OK) return status;
  reference_pair(&p, x0_i, x0_j, d0, image);
  return CRYO_STRAIN_OK;
}

/* One centre atom: writes its output row; returns 1 if valid. */
static int evaluate_atom(const cells *p, const cryo_strain_config *config, int i, int count,
                         const int *neighbors, const double (*x0)[3], const double (*u)[3],
                         double *row)
{
  const int columns = cryo_strain_columns(config);
  double V[3][3] = {{0}}, W[3][3] = {{0}}, sum_squares = 0.0;
  for (int n = 0; n < count; ++n) {
    const int j = neighbors[n];
    double d0[3], d[3];
    pair_vectors(p, x0[i], x0[j], u[i], u[j], d0, d);
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) {
        V[r][c] += d0[r] * d0[c];
        W[r][c] += d[r] * d0[c];
      }
    sum_squares += d0[0] * d0[0] + d0[1] * d0[1] + d0[2] * d0[2];
  }
  if (p->dimension == 2) V[2][2] = W[2][2] = 1.0;    // F_zz = 1: plane strain

  const double threshold = 1.0e-12 * sum_squares;
  const double det_v = det3(V);
  if (count < p->dimension || !(fabs(det_v) > threshold) || !(fabs(det3(W)) > threshold)) {
    for (int c = 0; c < columns; ++c) row[c] = 0.0;
    return 0;
  }

  double v_inv[3][3], F[3][3];
  inverse3(V, det_v, v_inv);
  multiply3(W, v_inv, F);
  double E[3][3];
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c)
      E[r][c] = 0.5 * (F[0][r] * F[0][c] + F[1][r] * F[1][c] + F[2][r] * F[2][c] - (r == c ? 1.0 : 0.0));

  double eta_mises, eta_vol;
  if (p->dimension == 3) {
    const double xy = E[0][0] - E[1][1], xz = E[0][0] - E[2][2], yz = E[1][1] - E[2][2];
    eta_mises = sqrt(E[0][1] * E[0][1] + E[0][2] * E[0][2] + E[1][2] * E[1][2] +
                     (xy * xy + xz * xz + yz * yz) / 6.0);
    eta_vol = (E[0][0] + E[1][1] + E[2][2]) / 3.0;
  } else {
    const double xy = E[0][0] - E[1][1];
    eta_mises = sqrt(E[0][1] * E[0][1] + 0.5 * xy * xy);
    eta_vol = 0.5 * (E[0][0] + E[1][1]);
  }

  double d2min = 0.0;
  for (int n = 0; n < count; ++n) {
    double d0[3], d[3], fd0[3];
    pair_vectors(p, x0[i], x0[neighbors[n]], u[i], u[neighbors[n]], d0, d);
    apply3(F, d0, fd0);
    for (int c = 0; c < 3; ++c) d2min += (fd0[c] - d[c]) * (fd0[c] - d[c]);
  }
  if (config->d2min == CRYO_STRAIN_D2MIN_RMS) d2min = sqrt(d2min / count);

  row[0] = eta_mises;
  row[1] = eta_vol;
  row[2] = d2min;
  row[3] = 1.0;
  if (config->tensor == CRYO_STRAIN_TENSOR_F) {
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) row[CRYO_STRAIN_SCALAR_COLUMNS + 3 * r + c] = F[r][c];
  } else if (config->tensor == CRYO_STRAIN_TENSOR_E) {
    double *e = row + CRYO_STRAIN_SCALAR_COLUMNS;
    e[0] = E[0][0];
    e[1] = E[1][1];
    e[2] = E[2][2];
    e[3] = E[0][1];
    e[4] = E[0][2];
    e[5] = E[1][2];
  }
  return 1;
}

cryo_strain_status cryo_strain_evaluate(const cryo_strain_config *config, int ncenters,
                                        const int *center, const int *first, const int *neighbor,
                                        const double (*x0)[3], const double (*u)[3], int nthreads,
                                        double *out, int out_stride, int *ninvalid)
{
  cryo_strain_status status = check_config(config);
  if (status != CRYO_STRAIN_OK) return status;
  if (ncenters < 0) return CRYO_STRAIN_ERROR_COUNT;
  if (ncenters > 0 && (!center || !first || !neighbor || !x0 || !u || !out))
    return CRYO_STRAIN_ERROR_NULL_ARGUMENT;
  if (out_stride < cryo_strain_columns(config)) return CRYO_STRAIN_ERROR_STRIDE;
  cells p;
  status = prepare_cells(config, &p);
  if (status != CRYO_STRAIN_OK) return status;
  for (int c = 0; c < ncenters; ++c)
    if (first[c] < 0 || first[c + 1] < first[c]) return CRYO_STRAIN_ERROR_COUNT;

  int invalid = 0;
#pragma omp parallel for num_threads(nthreads > 0 ? nthreads : 1) schedule(static) \
    reduction(+ : invalid)
  for (int c = 0; c < ncenters; ++c) {
    const int count = first[c + 1] - first[c];
    if (!evaluate_atom(&p, config, center[c], count, neighbor + first[c], x0, u,
                       out + (size_t) center[c] * (size_t) out_stride))
      ++invalid;
  }
  if (ninvalid) *ninvalid = invalid;
  return CRYO_STRAIN_OK;
}

cryo_strain_status cryo_strain_select_reference(const cryo_strain_config *config, double cutoff,
                                                int ncenters, const int *center, const int *first,
                                                int *neighbor, const double (*x0)[3], int nthreads,
                                                int *count)
{
  cryo_strain_status status = check_config(config);
  if (status != CRYO_STRAIN_OK) return status;
  if (ncenters < 0) return CRYO_STRAIN_ERROR_COUNT;
  if (ncenters > 0 && (!center || !first || !neighbor || !x0 || !count))
    return CRYO_STRAIN_ERROR_NULL_ARGUMENT;
  cells p;
  status = prepare_cells(config, &p);
  if (status != CRYO_STRAIN_OK) return status;
  for (int c = 0; c < ncenters; ++c)
    if (first[c] < 0 || first[c + 1] < first[c]) return CRYO_STRAIN_ERROR_COUNT;
  const double cutoff_squared = cutoff * cutoff;
#pragma omp parallel for num_threads(nthreads > 0 ? nthreads : 1) schedule(static)
  for (int c = 0; c < ncenters; ++c) {
    int kept = first[c];
    for (int n = first[c]; n < first[c + 1]; ++n) {
      double d0[3], k[3];
      reference_pair(&p, x0[center[c]], x0[neighbor[n]], d0, k);
      if (p.dimension == 2) d0[2] = 0.0;
      if (d0[0] * d0[0] + d0[1] * d0[1] + d0[2] * d0[2] <= cutoff_squared) neighbor[kept++] = neighbor[n];
    }
    count[c] = kept - first[c];
  }
  return CRYO_STRAIN_OK;
}

cryo_strain_status cryo_strain_nonaffine_range(const cryo_strain_config *config, const double origin0[3],
                                               const double origin[3], int count, const int *atoms,
                                               const double (*x0)[3], const double (*u)[3],
                                               double lo[3], double hi[3])
{
  cryo_strain_status status = check_config(config);
  if (status != CRYO_STRAIN_OK) return status;
  if (count < 0) return CRYO_STRAIN_ERROR_COUNT;
  if (!origin0 || !origin || !lo || !hi || (count > 0 && (!x0 || !u)))
    return CRYO_STRAIN_ERROR_NULL_ARGUMENT;
  cells p;
  status = prepare_cells(config, &p);
  if (status != CRYO_STRAIN_OK) return status;
  for (int c = 0; c < 3; ++c) {
    lo[c] = INFINITY;
    hi[c] = -INFINITY;
  }
  for (int k = 0; k < count; ++k) {
    const int i = atoms ? atoms[k] : k;
    const double relative[3] = {x0[i][0] - origin0[0], x0[i][1] - origin0[1], x0[i][2] - origin0[2]};
    double image[3];
    apply3(p.to_current, relative, image);
    for (int c = 0; c < 3; ++c) {
      const double nonaffine = x0[i][c] + u[i][c] - origin[c] - image[c];
      if (nonaffine < lo[c]) lo[c] = nonaffine;
      if (nonaffine > hi[c]) hi[c] = nonaffine;
    }
  }
  return CRYO_STRAIN_OK;
}

double cryo_strain_pair_length_bound(const cryo_strain_config *config, double cutoff,
                                     const double lo[3], const double hi[3])
{
  cells p;
  if (!lo || !hi || check_config(config) != CRYO_STRAIN_OK || prepare_cells(config, &p) != CRYO_STRAIN_OK)
    return NAN;
  double spread = 0.0;    // no atoms (lo > hi): nothing moved
  for (int c = 0; c < 3; ++c)
    if (hi[c] > lo[c]) spread += (hi[c] - lo[c]) * (hi[c] - lo[c]);
  // |A|_2 <= sqrt(|A|_1 |A|_inf): exact (1) for the identity, unlike the Frobenius norm (sqrt 3)
  double column_sum_max = 0.0, row_sum_max = 0.0;
  for (int k = 0; k < 3; ++k) {
    double column = 0.0, row = 0.0;
    for (int m = 0; m < 3; ++m) {
      column += fabs(p.to_current[m][k]);
      row += fabs(p.to_current[k][m]);
    }
    if (column > column_sum_max) column_sum_max = column;
    if (row > row_sum_max) row_sum_max = row;
  }
  return sqrt(column_sum_max * row_sum_max) * cutoff + sqrt(spread);
}

double cryo_strain_max_cutoff(const double cell[3][3], const int periodic[3], int dimension)
{
  double columns[3][3];    // columns[c] = cell vector c
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 3; ++r) columns[c][r] = cell[r][c];
  double smallest = INFINITY;
  for (int c = 0; c < dimension; ++c) {
    if (!periodic[c]) continue;
    double width;
    if (dimension == 3) {
      // distance between the faces spanned by the other two vectors: volume / |cross product|
      const double *a = columns[(c + 1) % 3], *b = columns[(c + 2) % 3];
      const double n[3] = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2],
                           a[0] * b[1] - a[1] * b[0]};
      width = fabs(det3(cell)) / sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    } else {
      const double *other = columns[1 - c];
      const double area = fabs(columns[0][0] * columns[1][1] - columns[0][1] * columns[1][0]);
      width = area / sqrt(other[0] * other[0] + other[1] * other[1]);
    }
    if (width < smallest) smallest = width;
  }
  return 0.5 * smallest;
}
