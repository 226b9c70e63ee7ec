/* cryo_strain: see cryo_strain.h. */
#include "cryo_strain.h"

#include "cryo_cell.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* The fast path's pieces are inlined into one function, compiled once per instruction set. */
#if defined(__GNUC__) || defined(__clang__)
#define CRYO_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define CRYO_ALWAYS_INLINE inline
#endif

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
      return "a simulation cell is singular or not finite, or the reference and current cells differ in "
             "dimension or periodic directions";
    case CRYO_STRAIN_ERROR_OPTION:
      return "an affine, d2min or tensor option is out of range";
    case CRYO_STRAIN_ERROR_COUNT:
      return "a count is negative or the neighbour offsets decrease";
    case CRYO_STRAIN_ERROR_STRIDE:
      return "the output row stride is smaller than the number of output columns";
    case CRYO_STRAIN_ERROR_IMAGE:
      return "a listed pair is not its own nearest periodic image in the reference";
  }
  return "unknown status";
}

/* ---- per-atom rows ---- */

static inline const double *x0_of(const cryo_strain_atoms *a, int i)
{
  return a->x0 + (size_t) i * (size_t) a->x0_stride;
}

static inline const double *x_of(const cryo_strain_atoms *a, int i)
{
  return a->x + (size_t) i * (size_t) a->x_stride;
}

/* The displacement u = x - x0 of atom i. Every path computes it this one way, so they agree to
 * the last bit. */
static inline void displacement(const cryo_strain_atoms *a, int i, double u[3])
{
  const double *x0 = x0_of(a, i), *x = x_of(a, i);
  for (int c = 0; c < 3; ++c) u[c] = x[c] - x0[c];
}

/* Everything about the two cells that every pair needs, computed once per evaluation. */
typedef struct {
  cryo_cell reference;       /* H0: the minimum images of the reference pairs */
  double h0_inv[3][3];
  double cell_change[3][3]; /* H - H0: moves an image shift from the reference to the current cell */
  double to_reference[3][3]; /* H0 H^-1 */
  double to_current[3][3];   /* H H0^-1 */
  double to_reference_minus_identity[3][3], to_current_minus_identity[3][3];
  int dimension;
  cryo_strain_affine affine;
  double unique_image_squared; /* (half the smallest periodic width)^2: shorter differences are their own nearest image */
} cells;

/* 1 if the two cells are one lattice seen twice: the same dimension and periodic directions */
static int same_periodicity(const cryo_cell *a, const cryo_cell *b)
{
  if (a->dimension != b->dimension) return 0;
  for (int c = 0; c < 3; ++c)
    if (cryo_cell_wraps(a, c) != cryo_cell_wraps(b, c)) return 0;
  return 1;
}

static cryo_strain_status prepare_cells(const cryo_strain_config *config, cells *p)
{
  const cryo_cell *h0 = &config->reference, *h = &config->current;
  if (cryo_cell_check(h0) != CRYO_CELL_OK || cryo_cell_check(h) != CRYO_CELL_OK || !same_periodicity(h0, h))
    return CRYO_STRAIN_ERROR_CELL;
  double h_inv[3][3];
  p->reference = *h0;
  cryo_mat3_inverse(h0->h, cryo_mat3_det(h0->h), p->h0_inv);
  cryo_mat3_inverse(h->h, cryo_mat3_det(h->h), h_inv);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) p->cell_change[r][c] = h->h[r][c] - h0->h[r][c];
  cryo_mat3_multiply(h0->h, h_inv, p->to_reference);
  cryo_mat3_multiply(h->h, p->h0_inv, p->to_current);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      p->to_reference_minus_identity[r][c] = p->to_reference[r][c] - (r == c ? 1.0 : 0.0);
      p->to_current_minus_identity[r][c] = p->to_current[r][c] - (r == c ? 1.0 : 0.0);
    }
  p->dimension = h0->dimension;
  p->affine = config->affine;
  const double half_width = cryo_cell_max_cutoff(h0->h, h0->periodic, h0->dimension);
  p->unique_image_squared = half_width * half_width;    // +inf if nothing is periodic
  return CRYO_STRAIN_OK;
}

/* d0 and image k of the shortest reference image; see the header. Returns 1 if k != 0. */
static inline int reference_pair(const cells *p, const double x0_i[3], const double x0_j[3],
                                 double d0[3], double k[3])
{
  const double delta[3] = {x0_j[0] - x0_i[0], x0_j[1] - x0_i[1], x0_j[2] - x0_i[2]};
  // Unwrapped reference positions: nearly every pair is its own nearest image, which is certain
  // when it is shorter than half the smallest periodic width.
  if (delta[0] * delta[0] + delta[1] * delta[1] + delta[2] * delta[2] < p->unique_image_squared) {
    for (int c = 0; c < 3; ++c) {
      d0[c] = delta[c];
      k[c] = 0.0;
    }
    return 0;
  }
  double s[3];
  cryo_mat3_apply(p->h0_inv, delta, s);
  if (!cryo_cell_nearest_image(&p->reference, s, k)) {
    for (int c = 0; c < 3; ++c) d0[c] = delta[c];
    return 0;
  }
  double shift[3];
  cryo_mat3_apply(p->reference.h, k, shift);
  for (int c = 0; c < 3; ++c) d0[c] = delta[c] - shift[c];
  return 1;
}

/* The reference pair vector d0 and how the pair changed, delta = d - d0. Working with delta (a
 * small vector) instead of d keeps the strain accurate: nothing close to 1 is subtracted later. */
static inline void pair_change(const cells *p, const double x0_i[3], const double x0_j[3],
                               const double u_i[3], const double u_j[3], double d0[3],
                               double delta[3])
{
  double k[3];
  const int shifted = reference_pair(p, x0_i, x0_j, d0, k);
  for (int c = 0; c < 3; ++c) delta[c] = u_j[c] - u_i[c];
  if (shifted) {
    // the image x0_j - H0 k of the reference is x_j - H k now
    double shift_change[3];
    cryo_mat3_apply(p->cell_change, k, shift_change);
    for (int c = 0; c < 3; ++c) delta[c] -= shift_change[c];
  }
  if (p->affine == CRYO_STRAIN_AFFINE_TO_REFERENCE) {
    // d' = R d with R = H0 H^-1: delta' = R (d0 + delta) - d0 = (R - I) d0 + R delta
    double a[3], b[3];
    cryo_mat3_apply(p->to_reference_minus_identity, d0, a);
    cryo_mat3_apply(p->to_reference, delta, b);
    for (int c = 0; c < 3; ++c) delta[c] = a[c] + b[c];
  } else if (p->affine == CRYO_STRAIN_AFFINE_TO_CURRENT) {
    // d0' = A d0 with A = H H0^-1: delta' = d0 + delta - A d0 = delta - (A - I) d0
    double a[3];
    cryo_mat3_apply(p->to_current_minus_identity, d0, a);
    for (int c = 0; c < 3; ++c) {
      delta[c] -= a[c];
      d0[c] += a[c];
    }
  }
  if (p->dimension == 2) d0[2] = delta[2] = 0.0;
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
  const int dimension = config->reference.dimension;
  if (dimension != 2 && dimension != 3) return CRYO_STRAIN_ERROR_DIMENSION;
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

/* Upper triangle of a symmetric 3x3 matrix: xx, xy, xz, yy, yz, zz. */
static void symmetric_from_upper(const double u[6], double m[3][3])
{
  m[0][0] = u[0], m[0][1] = m[1][0] = u[1], m[0][2] = m[2][0] = u[2];
  m[1][1] = u[3], m[1][2] = m[2][1] = u[4], m[2][2] = u[5];
}

/* The outputs of one centre from G = F - I, B = sum delta d0^T and S = sum |delta|^2 (see
 * evaluate_atom() and fixed_pair_sums()): E = (G + G^T + G^T G) / 2 and
 * D2min = sum |delta - G d0|^2 = S - sum_ij G_ij B_ij, since G V = B. */
static CRYO_ALWAYS_INLINE void strain_from_gradient(const cells *p, const cryo_strain_config *config,
                                                    int count, const double G[3][3],
                                                    const double B[3][3], double S, double *row)
{
  double E[3][3];
  for (int r = 0; r < 3; ++r)
    for (int c = r; c < 3; ++c)
      E[r][c] = E[c][r] =
          0.5 * (G[r][c] + G[c][r] + G[0][r] * G[0][c] + G[1][r] * G[1][c] + G[2][r] * G[2][c]);

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

  double d2min = S;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) d2min -= G[r][c] * B[r][c];
  if (d2min < 0.0) d2min = 0.0;    // rounding below an exact zero
  if (config->d2min == CRYO_STRAIN_D2MIN_RMS) d2min = sqrt(d2min / count);

  row[0] = eta_mises;
  row[1] = eta_vol;
  row[2] = d2min;
  row[3] = 1.0;
  if (config->tensor == CRYO_STRAIN_TENSOR_F) {
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c)
        row[CRYO_STRAIN_SCALAR_COLUMNS + 3 * r + c] = (r == c ? 1.0 : 0.0) + G[r][c];    // F = I + G
  } else if (config->tensor == CRYO_STRAIN_TENSOR_E) {
    double *e = row + CRYO_STRAIN_SCALAR_COLUMNS;
    e[0] = E[0][0];
    e[1] = E[1][1];
    e[2] = E[2][2];
    e[3] = E[0][1];
    e[4] = E[0][2];
    e[5] = E[1][2];
  }
}

static void invalid_row(const cryo_strain_config *config, double *row)
{
  const int columns = cryo_strain_columns(config);
  for (int c = 0; c < columns; ++c) row[c] = 0.0;
}

/* One centre atom, any mode: one pass over the neighbours accumulates V = sum d0 d0^T,
 * B = sum delta d0^T and S = sum |delta|^2 (delta = d - d0); then W = V + B, G = B V^-1.
 * Writes the output row; returns 1 if valid. */
static int evaluate_atom(const cells *p, const cryo_strain_config *config, int i, int count,
                         const int *neighbors, const cryo_strain_atoms *atoms, double *row)
{
  double v00 = 0, v01 = 0, v02 = 0, v11 = 0, v12 = 0, v22 = 0;    // V is symmetric
  double B[3][3] = {{0}}, S = 0.0;
  const double *x0_i = x0_of(atoms, i);
  double u_i[3];
  displacement(atoms, i, u_i);
  for (int n = 0; n < count; ++n) {
    const int j = neighbors[n];
    double d0[3], delta[3], u_j[3];
    displacement(atoms, j, u_j);
    pair_change(p, x0_i, x0_of(atoms, j), u_i, u_j, d0, delta);
    v00 += d0[0] * d0[0];
    v01 += d0[0] * d0[1];
    v02 += d0[0] * d0[2];
    v11 += d0[1] * d0[1];
    v12 += d0[1] * d0[2];
    v22 += d0[2] * d0[2];
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) B[r][c] += delta[r] * d0[c];
    S += delta[0] * delta[0] + delta[1] * delta[1] + delta[2] * delta[2];
  }
  const double sum_squares = v00 + v11 + v22;
  double V[3][3] = {{v00, v01, v02}, {v01, v11, v12}, {v02, v12, v22}};
  if (p->dimension == 2) V[2][2] = 1.0;    // F_zz = 1 (B_zz = 0): plane strain
  double W[3][3];
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) W[r][c] = V[r][c] + B[r][c];

  const double threshold = 1.0e-12 * sum_squares;
  const double det_v = cryo_mat3_det(V);
  if (count < p->dimension || !(fabs(det_v) > threshold) || !(fabs(cryo_mat3_det(W)) > threshold)) {
    invalid_row(config, row);
    return 0;
  }
  double v_inv[3][3], G[3][3];
  cryo_mat3_inverse(V, det_v, v_inv);
  cryo_mat3_multiply(B, v_inv, G);
  strain_from_gradient(p, config, count, G, B, S, row);
  return 1;
}

/* B = sum delta d0^T and S = sum |delta|^2 over the neighbours of centre i, each pair its own
 * nearest image (as cryo_strain_reference_moments() checked), so d0 = x0_j - x0_i. The loop that
 * costs most of an evaluation. With GCC >= 12 or Clang it works on 4-wide vectors: the products
 * of delta with d0 and with d0's two rotations are the diagonal and the two off-diagonals of B,
 * and the 4th lane idles. On x86-64 it is compiled for AVX2 too, chosen when the CPU has it.
 * The unit tests build the other variants as well: CRYO_STRAIN_PORTABLE (the plain C that other
 * compilers get) and CRYO_STRAIN_NO_CLONES (the vectors without the AVX2 copy). */
#if defined(__has_builtin) && !defined(CRYO_STRAIN_PORTABLE)
#if __has_builtin(__builtin_shufflevector)
#define CRYO_STRAIN_VECTOR_LOOP 1
#endif
#endif

#ifdef CRYO_STRAIN_VECTOR_LOOP
// Every function taking or returning these vectors is inlined: no call crosses an ABI boundary.
#pragma GCC diagnostic ignored "-Wpsabi"
typedef double cryo_vec4 __attribute__((vector_size(32)));
typedef double cryo_vec2 __attribute__((vector_size(16)));

/* (p[0], p[1], p[2], 0) with one 2-wide and one scalar load */
static CRYO_ALWAYS_INLINE cryo_vec4 load3(const double *p)
{
  cryo_vec2 low;
  memcpy(&low, p, sizeof low);
  const cryo_vec2 high = {p[2], 0.0};
  return __builtin_shufflevector(low, high, 0, 1, 2, 3);
}

static CRYO_ALWAYS_INLINE void fixed_pair_sums(const cryo_strain_atoms *atoms, int i, int count,
                                               const int *neighbors, double B[3][3], double *S)
{
  const cryo_vec4 reference_i = load3(x0_of(atoms, i));
  const cryo_vec4 u_i = load3(x_of(atoms, i)) - reference_i;
  cryo_vec4 diagonal = {0.0, 0.0, 0.0, 0.0}, upper = diagonal, lower = diagonal, s = diagonal;
  for (int n = 0; n < count; ++n) {
    const cryo_vec4 reference_j = load3(x0_of(atoms, neighbors[n]));
    const cryo_vec4 d0 = reference_j - reference_i;
    const cryo_vec4 delta = (load3(x_of(atoms, neighbors[n])) - reference_j) - u_i;
    diagonal += delta * d0;                                          // B00 B11 B22
    upper += delta * __builtin_shufflevector(d0, d0, 1, 2, 0, 3);    // B01 B12 B20
    lower += delta * __builtin_shufflevector(d0, d0, 2, 0, 1, 3);    // B02 B10 B21
    s += delta * delta;
  }
  B[0][0] = diagonal[0], B[1][1] = diagonal[1], B[2][2] = diagonal[2];
  B[0][1] = upper[0], B[1][2] = upper[1], B[2][0] = upper[2];
  B[0][2] = lower[0], B[1][0] = lower[1], B[2][1] = lower[2];
  *S = s[0] + s[1] + s[2];
}
#else
static CRYO_ALWAYS_INLINE void fixed_pair_sums(const cryo_strain_atoms *atoms, int i, int count,
                                               const int *neighbors, double B[3][3], double *S)
{
  const double *x0_i = x0_of(atoms, i);
  double u_i[3], s[3] = {0.0, 0.0, 0.0};
  displacement(atoms, i, u_i);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) B[r][c] = 0.0;
  for (int n = 0; n < count; ++n) {
    const double *x0_j = x0_of(atoms, neighbors[n]);
    double u_j[3], d0[3], delta[3];
    displacement(atoms, neighbors[n], u_j);
    for (int c = 0; c < 3; ++c) {
      d0[c] = x0_j[c] - x0_i[c];
      delta[c] = u_j[c] - u_i[c];
    }
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) B[r][c] += delta[r] * d0[c];
    for (int c = 0; c < 3; ++c) s[c] += delta[c] * delta[c];
  }
  *S = s[0] + s[1] + s[2];
}
#endif

/* One centre atom with its reference moments given (3D, affine off: V does not change between
 * evaluations): the pass over the neighbours accumulates only B and S, and the validity test
 * |det W| > threshold uses det W = det(I + G) det V. This is the kernel's common case and its
 * cost; kept short enough for the registers. */
static CRYO_ALWAYS_INLINE int evaluate_atom_fixed(const cells *p, const cryo_strain_config *config,
                                                  int i, int count, const int *neighbors,
                                                  const cryo_strain_atoms *atoms,
                                                  const double *moment, double *row)
{
  const double det_v = moment[CRYO_STRAIN_MOMENT_DET_V];
  if (count < 3 || det_v == 0.0) {
    invalid_row(config, row);
    return 0;
  }
  double B[3][3], S;
  fixed_pair_sums(atoms, i, count, neighbors, B, &S);
  double v_inv[3][3], G[3][3];
  symmetric_from_upper(moment + CRYO_STRAIN_MOMENT_V_INVERSE, v_inv);
  cryo_mat3_multiply(B, v_inv, G);
  const double F[3][3] = {{1.0 + G[0][0], G[0][1], G[0][2]},
                          {G[1][0], 1.0 + G[1][1], G[1][2]},
                          {G[2][0], G[2][1], 1.0 + G[2][2]}};
  if (!(fabs(cryo_mat3_det(F) * det_v) > moment[CRYO_STRAIN_MOMENT_THRESHOLD])) {
    invalid_row(config, row);
    return 0;
  }
  strain_from_gradient(p, config, count, G, B, S, row);
  return 1;
}

/* Centres begin .. end-1 in the fast path (see evaluate_atom_fixed()); returns the number of
 * invalid ones. One call per thread, so the instruction set is chosen once. While one centre is
 * summed, the rows of a later centre's neighbours are fetched: the loop waits for memory, not
 * arithmetic, and the hardware cannot guess these addresses. */
// (target_clones needs ifunc: x86-64 Linux with glibc)
#if defined(__x86_64__) && defined(__linux__) && defined(__GLIBC__) && defined(__has_attribute) && \
    defined(CRYO_STRAIN_VECTOR_LOOP) && !defined(CRYO_STRAIN_NO_CLONES)
#if __has_attribute(target_clones)
__attribute__((target_clones("avx2", "default")))
#endif
#endif
static int evaluate_fixed_range(const cells *p, const cryo_strain_config *config, int begin, int end,
                                const int *center, const int *first, const int *neighbor,
                                const cryo_strain_atoms *atoms, const double *moments, double *out,
                                int out_stride)
{
  enum { AHEAD = 4 };    // centres
  int invalid = 0;
  for (int c = begin; c < end; ++c) {
#if defined(__GNUC__) || defined(__clang__)
    if (c + AHEAD < end)
      for (int n = first[c + AHEAD]; n < first[c + AHEAD + 1]; ++n) {
        __builtin_prefetch(x0_of(atoms, neighbor[n]));
        __builtin_prefetch(x_of(atoms, neighbor[n]));
      }
#endif
    const int count = first[c + 1] - first[c];
    double *row = out + (size_t) center[c] * (size_t) out_stride;
    if (!evaluate_atom_fixed(p, config, center[c], count, neighbor + first[c], atoms,
                             moments + (size_t) c * CRYO_STRAIN_MOMENTS, row))
      ++invalid;
  }
  return invalid;
}

static int atoms_ok(const cryo_strain_atoms *atoms, int need_x)
{
  return atoms && atoms->x0 && atoms->x0_stride >= 3 && (!need_x || (atoms->x && atoms->x_stride >= 3));
}

/* The checks every list-taking function makes; ncenters > 0 needs the list arrays. */
static cryo_strain_status check_lists(int ncenters, const int *center, const int *first,
                                      const int *neighbor)
{
  if (ncenters < 0) return CRYO_STRAIN_ERROR_COUNT;
  if (ncenters > 0 && (!center || !first)) return CRYO_STRAIN_ERROR_NULL_ARGUMENT;
  for (int c = 0; c < ncenters; ++c)
    if (first[c] < 0 || first[c + 1] < first[c]) return CRYO_STRAIN_ERROR_COUNT;
  /* lists without any pair (a cutoff below the nearest-neighbour distance) need no array */
  if (ncenters > 0 && first[ncenters] > 0 && !neighbor) return CRYO_STRAIN_ERROR_NULL_ARGUMENT;
  return CRYO_STRAIN_OK;
}

/* What every list-taking function checks first, and the cells it needs. */
static cryo_strain_status prepare_lists(const cryo_strain_config *config, int ncenters,
                                        const int *center, const int *first, const int *neighbor,
                                        cells *p)
{
  cryo_strain_status status = check_config(config);
  if (status != CRYO_STRAIN_OK) return status;
  status = check_lists(ncenters, center, first, neighbor);
  if (status != CRYO_STRAIN_OK) return status;
  return prepare_cells(config, p);
}

cryo_strain_status cryo_strain_reference_moments(const cryo_strain_config *config, int ncenters,
                                                 const int *center, const int *first,
                                                 const int *neighbor, const cryo_strain_atoms *atoms,
                                                 int nthreads, double *moments)
{
  cells p;
  const cryo_strain_status status = prepare_lists(config, ncenters, center, first, neighbor, &p);
  if (status != CRYO_STRAIN_OK) return status;
  if (ncenters > 0 && (!atoms_ok(atoms, 0) || !moments)) return CRYO_STRAIN_ERROR_NULL_ARGUMENT;
  int other_images = 0;
#pragma omp parallel for num_threads(nthreads > 0 ? nthreads : 1) schedule(static) \
    reduction(+ : other_images)
  for (int c = 0; c < ncenters; ++c) {
    const double *x0_i = x0_of(atoms, center[c]);
    double v[6] = {0, 0, 0, 0, 0, 0};
    for (int n = first[c]; n < first[c + 1]; ++n) {
      double d0[3], k[3];
      other_images += reference_pair(&p, x0_i, x0_of(atoms, neighbor[n]), d0, k);
      v[0] += d0[0] * d0[0];
      v[1] += d0[0] * d0[1];
      v[2] += d0[0] * d0[2];
      v[3] += d0[1] * d0[1];
      v[4] += d0[1] * d0[2];
      v[5] += d0[2] * d0[2];
    }
    double *moment = moments + (size_t) c * CRYO_STRAIN_MOMENTS;
    double V[3][3], v_inv[3][3];
    symmetric_from_upper(v, V);
    const double threshold = 1.0e-12 * (v[0] + v[3] + v[5]), det_v = cryo_mat3_det(V);
    for (int k = 0; k < CRYO_STRAIN_MOMENTS; ++k) moment[k] = 0.0;    // det V = 0: invalid
    if (!(fabs(det_v) > threshold)) continue;
    cryo_mat3_inverse(V, det_v, v_inv);
    const double upper[6] = {v_inv[0][0], v_inv[0][1], v_inv[0][2], v_inv[1][1], v_inv[1][2], v_inv[2][2]};
    for (int k = 0; k < 6; ++k) moment[CRYO_STRAIN_MOMENT_V_INVERSE + k] = upper[k];
    moment[CRYO_STRAIN_MOMENT_DET_V] = det_v;
    moment[CRYO_STRAIN_MOMENT_THRESHOLD] = threshold;
  }
  return other_images ? CRYO_STRAIN_ERROR_IMAGE : CRYO_STRAIN_OK;
}

cryo_strain_status cryo_strain_evaluate(const cryo_strain_config *config, int ncenters,
                                        const int *center, const int *first, const int *neighbor,
                                        const cryo_strain_atoms *atoms, const double *moments,
                                        int nthreads, double *out, int out_stride, int *ninvalid)
{
  cells p;
  const cryo_strain_status status = prepare_lists(config, ncenters, center, first, neighbor, &p);
  if (status != CRYO_STRAIN_OK) return status;
  if (out_stride < cryo_strain_columns(config)) return CRYO_STRAIN_ERROR_STRIDE;
  if (ncenters > 0 && (!atoms_ok(atoms, 1) || !out)) return CRYO_STRAIN_ERROR_NULL_ARGUMENT;
  // the moments describe the reference vectors as they are: not with an affine mapping, not in 2D
  const int fixed = moments && p.affine == CRYO_STRAIN_AFFINE_OFF && p.dimension == 3;

  int invalid = 0;
  if (fixed) {
    // one contiguous block of centres per thread
    const int blocks = nthreads > 0 ? nthreads : 1;
#pragma omp parallel for num_threads(blocks) schedule(static) reduction(+ : invalid)
    for (int block = 0; block < blocks; ++block) {
      const int begin = (int) ((long long) ncenters * block / blocks);
      const int end = (int) ((long long) ncenters * (block + 1) / blocks);
      invalid += evaluate_fixed_range(&p, config, begin, end, center, first, neighbor, atoms,
                                      moments, out, out_stride);
    }
  } else {
#pragma omp parallel for num_threads(nthreads > 0 ? nthreads : 1) schedule(static) \
    reduction(+ : invalid)
    for (int c = 0; c < ncenters; ++c) {
      const int count = first[c + 1] - first[c];
      if (!evaluate_atom(&p, config, center[c], count, neighbor + first[c], atoms,
                         out + (size_t) center[c] * (size_t) out_stride))
        ++invalid;
    }
  }
  if (ninvalid) *ninvalid = invalid;
  return CRYO_STRAIN_OK;
}

cryo_strain_status cryo_strain_select_reference(const cryo_strain_config *config, double cutoff,
                                                int ncenters, const int *center, const int *first,
                                                int *neighbor, const cryo_strain_atoms *atoms,
                                                int nthreads, int *count)
{
  cells p;
  const cryo_strain_status status = prepare_lists(config, ncenters, center, first, neighbor, &p);
  if (status != CRYO_STRAIN_OK) return status;
  if (ncenters > 0 && (!atoms_ok(atoms, 0) || !count)) return CRYO_STRAIN_ERROR_NULL_ARGUMENT;
#pragma omp parallel for num_threads(nthreads > 0 ? nthreads : 1) schedule(static)
  for (int c = 0; c < ncenters; ++c) {
    int kept = first[c];
    for (int n = first[c]; n < first[c + 1]; ++n) {
      double d0[3], k[3];
      reference_pair(&p, x0_of(atoms, center[c]), x0_of(atoms, neighbor[n]), d0, k);
      if (p.dimension == 2) d0[2] = 0.0;    // as in pair_change()
      if (cryo_strain_within_cutoff(d0, cutoff)) neighbor[kept++] = neighbor[n];
    }
    count[c] = kept - first[c];
  }
  return CRYO_STRAIN_OK;
}
