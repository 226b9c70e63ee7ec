/* cryo_cell: the geometry every kernel shares.
 *
 * - 3x3 algebra on row-major matrices m[row][column] (cryo_mat3_*): determinant, inverse by the
 *   adjugate, solution by Cramer's rule, products;
 * - a cell (a simulation box): its matrix H, whose column c is cell vector c, its lower corner, the
 *   periodic directions and the dimension; fractional coordinates f with x = origin + H f;
 * - the one minimum-image convention: a fractional difference d is shifted by the integer nearest
 *   to it, halves rounded up, n = floor(d + 1/2), so that d - n lies in [-1/2, 1/2);
 * - the widths of a cell (distances between opposite faces) and the largest cutoff below which every
 *   pair has a single nearest periodic image.
 *
 * Pure C11, no allocation. The small functions called once per pair are inline.
 */
#ifndef CRYO_CELL_H
#define CRYO_CELL_H

#include "cryo_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CRYO_CELL_OK = 0,
  CRYO_CELL_ERROR_NULL_ARGUMENT,
  CRYO_CELL_ERROR_SINGULAR    /* the matrix is singular or not finite, or the dimension not 2 or 3 */
} cryo_cell_status;

/* A static English sentence describing the status (never NULL). */
const char *cryo_cell_status_message(cryo_cell_status status);

typedef struct {
  double h[3][3];      /* H[row][column]; column c is cell vector c */
  double origin[3];    /* lower corner */
  int periodic[3];     /* 1 if periodic along cell vector c */
  int dimension;       /* 2 or 3 */
} cryo_cell;

/* ---- 3x3 algebra ---- */

static inline double cryo_mat3_det(const double m[3][3])
{
  return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
      m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
      m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

static inline void cryo_mat3_apply(const double m[3][3], const double v[3], double mv[3])
{
  for (int r = 0; r < 3; ++r) mv[r] = m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2];
}

static inline void cryo_mat3_multiply(const double a[3][3], const double b[3][3], double ab[3][3])
{
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) ab[r][c] = a[r][0] * b[0][c] + a[r][1] * b[1][c] + a[r][2] * b[2][c];
}

/* 1 if every element is finite */
int cryo_mat3_finite(const double m[3][3]);

/* The inverse by the adjugate, for a matrix with determinant `det` (!= 0, as cryo_mat3_det()). */
static inline void cryo_mat3_inverse(const double m[3][3], double det, double inv[3][3])
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

/* x with m x = v by Cramer's rule (each component a ratio of determinants, exact for diagonal m);
 * CRYO_CELL_ERROR_SINGULAR if det m is 0 or not finite. */
cryo_cell_status cryo_mat3_solve(const double m[3][3], const double v[3], double x[3]);

/* ---- the minimum-image convention ---- */

/* floor(s + 1/2) without a libm call (it is taken three times per pair); |s| < 2^62 */
static inline double cryo_cell_nearest_integer(double s)
{
  const double t = s + 0.5;
  const double n = (double) (long long) t;    /* towards zero */
  return n > t ? n - 1.0 : n;
}

/* ---- cells ---- */

/* The cell with these members: the one way a cell is assembled from a matrix H (columns the cell
 * vectors), its lower corner, the periodic flags and the dimension. Nothing is checked here
 * (cryo_cell_check() does that). */
static inline cryo_cell cryo_cell_make(const double h[3][3], const double origin[3], const int periodic[3],
                                       int dimension)
{
  cryo_cell cell;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) cell.h[r][c] = h[r][c];
  for (int c = 0; c < 3; ++c) {
    cell.origin[c] = origin[c];
    cell.periodic[c] = periodic[c];
  }
  cell.dimension = dimension;
  return cell;
}

/* 1 if the cell repeats along cell vector c: periodic and within the dimension (LAMMPS marks z
 * periodic in 2d, where it is not a direction of the cell) */
static inline int cryo_cell_wraps(const cryo_cell *cell, int c)
{
  return cell->periodic[c] && c < cell->dimension;
}

/* The minimum image of a fractional difference d (e.g. f_j - f_i): n[c] = floor(d[c] + 1/2)
 * along the directions the cell wraps (cryo_cell_wraps()), 0 along the others, so that d - n is
 * the difference to the nearest periodic image, in [-1/2, 1/2) where it wraps. Returns 1 if n
 * is not 0 (the pair is not its own nearest image). The one place the convention is applied:
 * every kernel that needs a nearest image calls this (inline: it is taken once per pair). */
static inline int cryo_cell_nearest_image(const cryo_cell *cell, const double d[3], double n[3])
{
  int shifted = 0;
  for (int c = 0; c < 3; ++c) {
    n[c] = cryo_cell_wraps(cell, c) ? cryo_cell_nearest_integer(d[c]) : 0.0;
    shifted |= n[c] != 0.0;
  }
  return shifted;
}

/* CRYO_CELL_OK if the dimension is 2 or 3 and H finite and non-singular */
CRYO_MUST_CHECK cryo_cell_status cryo_cell_check(const cryo_cell *cell);

/* f with x = origin + H f (in [0,1) inside the cell) */
CRYO_MUST_CHECK cryo_cell_status cryo_cell_fractional(const cryo_cell *cell, const double x[3], double f[3]);

/* The Cartesian vector from fractional point `from` to fractional point `to`, by the minimum-image
 * convention along the periodic directions (cryo_cell_nearest_image(); r[2] = 0 in 2d). */
CRYO_MUST_CHECK cryo_cell_status cryo_cell_minimum_image(const cryo_cell *cell, const double to[3], const double from[3],
                                         double r[3]);

/* Distance between the faces of the cell spanned by the other cell vectors, per cell vector (in 2d
 * the distance between the edges; width[2] = inf). */
void cryo_cell_widths(const double h[3][3], int dimension, double width[3]);

/* Half the smallest width along a periodic direction (inf if none is periodic): pairs shorter than
 * this are their own nearest periodic image, the limit of every cutoff. */
double cryo_cell_max_cutoff(const double h[3][3], const int periodic[3], int dimension);

/* ---- box flips ---- */

/* The change of basis b between two observations of a periodic cell, h_after ~ h_before b: b is
 * unit upper triangular with integer elements, nonzero off the diagonal only where a flip can
 * happen (b[0][1], b[0][2] if direction 0 is periodic, b[1][2] if direction 1 is). LAMMPS flips a
 * triclinic box (fix deform, fix npt ... flip yes) by replacing a cell vector with itself minus
 * another one: the lattice of periodic images stays, its basis changes (Domain::image_flip).
 * Between the two observations the cell may also deform a little: each off-diagonal element of
 * h_before^-1 h_after is rounded to the nearest integer, which is the flip as long as the tilt
 * factors changed by less than half a cell length otherwise. */
CRYO_MUST_CHECK cryo_cell_status cryo_cell_basis_change(const double h_before[3][3], const double h_after[3][3],
                                        const int periodic[3], double b[3][3]);

#ifdef __cplusplus
}
/* C++: the message by overload, which check_status() of the style classes finds */
inline const char *status_message(cryo_cell_status status) { return cryo_cell_status_message(status); }
#endif

#endif
