/* cryo_strain: atomic-level strain from the relative motion of neighbours.
 *
 * For a centre atom i with neighbours j, d0_j is the pair vector in the reference configuration and
 * d_j the same pair now. The best local affine map F (d ~ F d0) minimises sum_j |F d0_j - d_j|^2:
 *   V = sum_j d0_j d0_j^T,  W = sum_j d_j d0_j^T,  F = W V^-1,  E = (F^T F - I) / 2,
 *   eta^Mises = sqrt(Exy^2 + Exz^2 + Eyz^2 + ((Exx-Eyy)^2 + (Exx-Ezz)^2 + (Eyy-Ezz)^2) / 6),
 *   eta_vol = (Exx + Eyy + Ezz) / 3,  D2min = sum_j |F d0_j - d_j|^2
 * (Shimizu, Ogata & Li 2007; Falk & Langer 1998), in the conventions of OVITO's atomic strain:
 * neighbours within the cutoff in the reference configuration, D2min a sum, an atom invalid when it
 * has fewer than 3 (2D: 2) neighbours or |det V| or |det W| <= 1e-12 * sum_j |d0_j|^2.
 * 2D (plane strain): eta^Mises = sqrt(Exy^2 + (Exx-Eyy)^2 / 2), eta_vol = (Exx + Eyy) / 2.
 *
 * Pair vectors come from per-atom reference positions x0 and displacements u = x - x0:
 * d0 = x0_j - x0_i - H0 k with k the periodic image that makes d0 shortest in the reference cell
 * H0, and d = d0 + u_j - u_i - (H - H0) k, the vector between the same two periodic images in the
 * current cell H (the image x0_j - H0 k is x_j - H k now). The cells are cryo_cell (cryo_cell.h:
 * the matrix whose columns are the cell vectors, the algebra, the minimum-image convention
 * cryo_cell_nearest_image() and the cutoff limit cryo_cell_max_cutoff()). When the neighbours
 * are periodic copies of atoms in the right images (as LAMMPS's ghost atoms) k is 0, and a fixed
 * neighbour list can keep what depends on the reference alone between evaluations
 * (cryo_strain_reference_moments()).
 *
 * Pure C11; OpenMP over centre atoms with an explicit thread count. Results do not depend on the
 * thread count: every atom is computed independently, summing its neighbours in the given order.
 */
#ifndef CRYO_STRAIN_H
#define CRYO_STRAIN_H

#include "cryo_cell.h"
#include "cryo_status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CRYO_STRAIN_OK = 0,
  CRYO_STRAIN_ERROR_NULL_ARGUMENT,
  CRYO_STRAIN_ERROR_DIMENSION,  /* dimension is neither 2 nor 3 */
  CRYO_STRAIN_ERROR_CELL,       /* a cell matrix is singular or not finite, or the two cells
                                   differ in dimension or periodic directions */
  CRYO_STRAIN_ERROR_OPTION,     /* an affine, d2min or tensor option out of range */
  CRYO_STRAIN_ERROR_COUNT,      /* a negative count or a decreasing neighbour offset */
  CRYO_STRAIN_ERROR_STRIDE,     /* out_stride smaller than the columns written */
  CRYO_STRAIN_ERROR_IMAGE       /* reference moments of a pair that is not its own nearest image */
} cryo_strain_status;

/* A static English sentence describing the status (never NULL). */
const char *cryo_strain_status_message(cryo_strain_status status);

/* OVITO's affine mapping modes. */
typedef enum {
  CRYO_STRAIN_AFFINE_OFF = 0,          /* true pair vectors: F includes the cell deformation */
  CRYO_STRAIN_AFFINE_TO_REFERENCE = 1, /* current vectors mapped back by H0 H^-1 */
  CRYO_STRAIN_AFFINE_TO_CURRENT = 2    /* reference vectors mapped forward by H H0^-1 */
} cryo_strain_affine;

typedef enum {
  CRYO_STRAIN_D2MIN_SUM = 0, /* OVITO: sum over neighbours */
  CRYO_STRAIN_D2MIN_RMS = 1  /* sqrt(sum / N), the first column of LAMMPS fix nonaffine/displacement */
} cryo_strain_d2min;

/* Extra output columns after the four scalars. */
typedef enum {
  CRYO_STRAIN_TENSOR_NONE = 0,
  CRYO_STRAIN_TENSOR_F = 1, /* 9 columns: Fxx Fxy Fxz Fyx Fyy Fyz Fzx Fzy Fzz (row-major) */
  CRYO_STRAIN_TENSOR_E = 2  /* 6 columns: Exx Eyy Ezz Exy Exz Eyz */
} cryo_strain_tensor;

/* The per-atom output columns every config has (then the tensor's): eta^Mises, volumetric
 * strain, D2min, 1 if valid. */
enum {
  CRYO_STRAIN_COLUMN_ETA_MISES = 0,
  CRYO_STRAIN_COLUMN_ETA_VOLUMETRIC = 1,
  CRYO_STRAIN_COLUMN_D2MIN = 2,
  CRYO_STRAIN_COLUMN_VALID = 3,
  CRYO_STRAIN_SCALAR_COLUMNS = 4
};

/* The two cells are in one basis (the current cell's column c is what the reference cell's column
 * c deformed into) and have the same dimension and periodic directions; the origins are not used
 * (pair vectors are differences). */
typedef struct {
  cryo_cell reference;         /* H0, the cell of the reference positions */
  cryo_cell current;           /* H */
  cryo_strain_affine affine;
  cryo_strain_d2min d2min;
  cryo_strain_tensor tensor;
} cryo_strain_config;

/* Per-atom reference positions x0 and current positions x: atom i's are at x0 + i*x0_stride and
 * x + i*x_stride (strides in doubles, >= 3), both unwrapped or both in the same periodic image;
 * u = x - x0 is the atom's displacement. */
typedef struct {
  const double *x0;
  const double *x;
  int x0_stride;
  int x_stride;
} cryo_strain_atoms;

/* Number of output columns for the config: 4, plus 9 (F) or 6 (E). */
int cryo_strain_columns(const cryo_strain_config *config);

/* Per-centre reference moments: what a fixed neighbour list needs from the reference alone, so an
 * evaluation need not recompute it. CRYO_STRAIN_MOMENTS doubles per centre: V^-1 (upper triangle
 * xx xy xz yy yz zz), det V and the validity threshold 1e-12 * sum_j |d0_j|^2; all zero when V
 * is singular (the centre is invalid). */
enum {
  CRYO_STRAIN_MOMENT_V_INVERSE = 0,
  CRYO_STRAIN_MOMENT_DET_V = 6,
  CRYO_STRAIN_MOMENT_THRESHOLD = 7,
  CRYO_STRAIN_MOMENTS = 8
};

/* The moments of the lists below, into moments + c*CRYO_STRAIN_MOMENTS (atoms->x is not used).
 * Every listed pair must be its own nearest periodic image in the reference, d0 = x0_j - x0_i
 * (as when neighbours are periodic copies of atoms, like LAMMPS's ghost atoms, with reference
 * positions to match): else CRYO_STRAIN_ERROR_IMAGE. */
CRYO_MUST_CHECK cryo_strain_status cryo_strain_reference_moments(const cryo_strain_config *config, int ncenters,
                                                 const int *center, const int *first,
                                                 const int *neighbor, const cryo_strain_atoms *atoms,
                                                 int nthreads, double *moments);

/* Evaluate ncenters atoms. Centre c is atom center[c]; its neighbours are
 * neighbor[first[c]] .. neighbor[first[c+1]-1] (first has ncenters+1 entries; neighbor may be NULL
 * when the lists hold no pair, first[ncenters] == 0, here and below). Atom indices refer
 * to `atoms` and the rows of `out`: row center[c] (out + center[c]*out_stride) receives eta^Mises,
 * eta_vol, D2min, valid (1.0 or 0.0) and the tensor columns; an invalid atom gets zeros and valid
 * 0; other rows are not touched. *ninvalid (if not NULL) receives the number of invalid centres.
 * moments: NULL, or the result of cryo_strain_reference_moments() for the same lists and
 * reference positions; in 3D without an affine mapping the evaluation then skips the reference
 * sums and the periodic images (about twice as fast), and gives the same values up to rounding. */
CRYO_MUST_CHECK cryo_strain_status cryo_strain_evaluate(const cryo_strain_config *config, int ncenters,
                                        const int *center, const int *first, const int *neighbor,
                                        const cryo_strain_atoms *atoms, const double *moments,
                                        int nthreads, double *out, int out_stride, int *ninvalid);

/* The reference pair vector d0 = x0_j - x0_i - H0 k (shortest image along periodic cell vectors)
 * and its image k; what cryo_strain_evaluate uses, exposed for neighbour selection. */
CRYO_MUST_CHECK cryo_strain_status cryo_strain_reference_pair(const cryo_strain_config *config, const double x0_i[3],
                                              const double x0_j[3], double d0[3], double image[3]);

/* ---- the cutoff ----
 * A pair belongs to a centre's neighbours when its pair vector d is no longer than the cutoff,
 * |d|^2 <= cutoff^2 exactly: cryo_strain_within_cutoff(), the one test (reference neighbours in
 * cryo_strain_select_reference(), current neighbours in the compute). A search that must find at
 * least those pairs works on positions that were wrapped into a cell, shifted by cell vectors or
 * copied to another processor, whose differences agree with d only up to rounding: it looks as far
 * as cryo_strain_cutoff_reach() (a halo of blocks, a cell list, the local copy of a stored
 * neighbour), and the cell must keep even pairs that far apart their own single nearest image. */
static inline int cryo_strain_within_cutoff(const double d[3], double cutoff)
{
  return d[0] * d[0] + d[1] * d[1] + d[2] * d[2] <= cutoff * cutoff;
}

/* The cutoff with room for rounding: relative 1e-6, far above the rounding of coordinates
 * (~1e-15 relative) and far below any spacing of atoms that matters. */
static inline double cryo_strain_cutoff_reach(double cutoff)
{
  return cutoff * (1.0 + 1.0e-6);
}

/* Reference neighbour selection: of the candidates neighbor[first[c]] .. neighbor[first[c+1]-1] of
 * centre c (atom center[c]), keep those whose reference pair vector d0 is no longer than `cutoff`,
 * moved in order to the front of that range; count[c] receives how many were kept (atoms->x is
 * not used). */
CRYO_MUST_CHECK cryo_strain_status cryo_strain_select_reference(const cryo_strain_config *config, double cutoff,
                                                int ncenters, const int *center, const int *first,
                                                int *neighbor, const cryo_strain_atoms *atoms,
                                                int nthreads, int *count);

#ifdef __cplusplus
}
/* C++: the message by overload, which check_status() of the style classes finds */
inline const char *status_message(cryo_strain_status status) { return cryo_strain_status_message(status); }
#endif

#endif
