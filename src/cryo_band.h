/* cryo_band: measuring shear bands, for compute sbzone/atom.
 *
 * A band is a cluster of atoms (found elsewhere, cryo_cluster), possibly wrapping around periodic
 * directions. Measuring it takes two passes over its atoms, each followed by a sum over processors
 * that the caller does (the sums are integers, cryo_fixed, so the results do not depend on the
 * number of processors or threads):
 *  1. cryo_band_accumulate(): which bins of the material's extent the band covers along each
 *     direction (bit sets, OR-reduced) and position and strain sums; cryo_band_summarize() turns
 *     the reduced sums into the coverage per direction, the centre (per periodic direction the
 *     circular mean of the fractional coordinates, well defined for a band across the boundary;
 *     else the mean) and the mean strain.
 *  2. cryo_band_offsets(): each atom relative to the centre by the minimum image, with the
 *     directions the band fills dropped (a band through a thin periodic sample fills that
 *     thickness, which says nothing about where it ends); cryo_band_moments() their second
 *     moments; cryo_band_principal_axis() the direction of largest spread; cryo_band_project() the
 *     position of each atom along it and the band's ends (MIN/MAX-reduced).
 * Along the axis the band has two ends; a free end (not attached to a surface) is followed by a
 * front of given length, the rest is tail (cryo_band_in_front()).
 *
 * Pure C11, caller-owned arrays, no allocation. Geometry: cryo_cell.
 */
#ifndef CRYO_BAND_H
#define CRYO_BAND_H

#include "cryo_status.h"

#include "cryo_cell.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The zones of compute sbzone/atom (its per-atom column 1): 0 for atoms outside its group. */
typedef enum {
  CRYO_ZONE_OUTSIDE = 0,
  CRYO_ZONE_MATRIX = 1,
  CRYO_ZONE_SPANNING = 2, /* a spanning band (SSB) */
  CRYO_ZONE_TAIL = 3,     /* a non-spanning band (NSB) away from its free ends */
  CRYO_ZONE_FRONT = 4,    /* a non-spanning band within the front length of a free end */
  CRYO_ZONE_SMALL = 5     /* a cluster below the band size */
} cryo_zone;
enum { CRYO_ZONE_COUNT = 5 };

/* The per-atom columns of compute sbzone/atom: zone, cluster ID, strain class (0 invalid, 1-3). */
enum { CRYO_SBZONE_COLUMN_ZONE = 0, CRYO_SBZONE_COLUMN_CLUSTER = 1, CRYO_SBZONE_COLUMN_STRAIN_CLASS = 2, CRYO_SBZONE_COLUMNS = 3 };

typedef enum {
  CRYO_BAND_OK = 0,
  CRYO_BAND_ERROR_NULL_ARGUMENT,
  CRYO_BAND_ERROR_CELL,       /* the cell is singular or not finite, or the dimension not 2 or 3 */
  CRYO_BAND_ERROR_INDEX,      /* a band index >= nbands, or a negative count */
  CRYO_BAND_ERROR_OVERFLOW    /* a value not finite or too large for the fixed-point sums */
} cryo_band_status;

/* A static English sentence describing the status (never NULL). */
const char *cryo_band_status_message(cryo_band_status status);

/* Bins of the material along each cell vector, for the coverage of a band: along a periodic
 * direction the whole cell [0, 1), else the material's extent [lo, lo + span) (fractional). */
enum { CRYO_BAND_MAX_BINS = 4096 };
typedef struct {
  int bins[3];
  int words[3];            /* 64-bit words of the bit set per direction */
  int word_offset[4];      /* of direction d in a band's bit set; word_offset[3]: words per band */
  double lo[3], span[3];   /* fractional */
  double length[3];        /* the cell's diagonal (LAMMPS's box lengths) x span: the extent */
  int periodic[3];
  int dimension;
} cryo_band_grid;

/* The grid of a material that lies within [material_lo, material_hi] (fractional, along the
 * non-periodic directions), with bins of about bin_length (at least 1, at most
 * CRYO_BAND_MAX_BINS per direction). */
CRYO_MUST_CHECK cryo_band_status cryo_band_grid_make(const cryo_cell *cell, const double material_lo[3],
                                     const double material_hi[3], double bin_length,
                                     cryo_band_grid *grid);

/* The bin of fractional coordinate f along direction d. */
int cryo_band_grid_bin(const cryo_band_grid *grid, int d, double f);

/* Position and strain sums of one band: per direction two (cos and sin of 2 pi f if periodic, else
 * f and 0), then eta; fixed point with scales unit_scale (the position terms, at most 1 in
 * magnitude) and eta_scale. */
enum { CRYO_BAND_SUM_ETA = 6, CRYO_BAND_SUMS = 7 };

/* Pass 1 over n atoms: atom i, at fractional coordinates f[3i..3i+2], belongs to band band[i]
 * (< 0: none). Adds to bits (word_offset[3] words per band) and sums (CRYO_BAND_SUMS per band),
 * without clearing them first. */
CRYO_MUST_CHECK cryo_band_status cryo_band_accumulate(const cryo_band_grid *grid, int n, const double *f, const int *band,
                                      const double *eta, double unit_scale, double eta_scale, int nbands,
                                      uint64_t *bits, int64_t *sums);

/* From the reduced bits and sums of one band of `atoms` atoms: the fraction of the bins covered per
 * direction (0 beyond the dimension), the centre (fractional) and the mean strain. */
void cryo_band_summarize(const cryo_band_grid *grid, const uint64_t *bits, const int64_t *sums,
                         int64_t atoms, double unit_scale, double eta_scale, double coverage[3],
                         double center[3], double *mean_eta);

/* Centre in [0,1) of fractional coordinates around a periodic direction, from the sums of
 * cos(2 pi f) and sin(2 pi f) over the atoms: their circular mean (0.5 if they are spread evenly). */
double cryo_band_circular_center(double sum_cos, double sum_sin);

/* Pass 2: offsets[3i..] = the Cartesian vector from the centre of atom i's band (centers, 3 per
 * band) to the atom, by the minimum image; along a direction whose coverage (3 per band) is at
 * least `filled` the atom is taken at the centre. *largest_square: the largest |offset|^2, from
 * which the caller chooses the scale of the moments. Atoms without a band get zeros. */
CRYO_MUST_CHECK cryo_band_status cryo_band_offsets(const cryo_cell *cell, int n, const double *f, const int *band,
                                   const double *centers, const double *coverage, double filled,
                                   int nbands, double *offsets, double *largest_square);

/* Adds the second moments (xx xy xz yy yz zz) of the offsets, x scale, per band (6 per band). */
CRYO_MUST_CHECK cryo_band_status cryo_band_moments(int n, const double *offsets, const int *band, double scale,
                                   int nbands, int64_t *moments);

/* Unit eigenvector of the largest eigenvalue of the symmetric matrix covariance (xx xy xz yy yz
 * zz), restricted to the directions with use[c] != 0 (the others are ignored). Its largest
 * component is positive. All zero if no direction is used or the matrix is zero there. */
CRYO_MUST_CHECK cryo_band_status cryo_band_principal_axis(const double covariance[6], const int use[3], double axis[3]);

/* Unit normal of the plane of a band: the eigenvector of the smallest eigenvalue of covariance
 * within the used directions (use[c] != 0), largest component positive. All zero if the matrix
 * has no spread there. */
CRYO_MUST_CHECK cryo_band_status cryo_band_plane_normal(const double covariance[6], const int use[3], double normal[3]);

/* Where a band lies, for the passes that measure around it: its centre (fractional) and coverage
 * per direction, its axis and the positions of its ends along it, the normal of its plane (unit
 * vectors, Cartesian), and whether atoms count only between its ends (a non-spanning band). */
typedef struct {
  double center[3], coverage[3];
  double axis[3], s_min, s_max;
  double normal[3];
  int limited;
} cryo_band_frame;

/* The two sides of a band's plane, for its shear offset. Matrix atom i (matrix[i] != 0, fractional
 * coordinates f[3i..], displacement displacement[3i..]) counts for band b if its distance from the
 * plane of frames[b] (through its centre, with its normal; offsets by the minimum image) is at most
 * `distance` but not 0, and, if the frame is limited, its position along the band's axis (the
 * offset without the directions whose coverage is at least `filled`, as for the ends) lies within
 * [s_min, s_max]. Per band it adds the atoms on the + side (offset . normal > 0) and on the - side,
 * and the sums of their displacements (fixed point, x scale) to sums (CRYO_BAND_SIDE_SUMS per band).
 * Cost: n x nbands offsets. */
enum {
  CRYO_BAND_SIDE_PLUS = 0, CRYO_BAND_SIDE_MINUS = 1, CRYO_BAND_SIDE_U_PLUS = 2, CRYO_BAND_SIDE_U_MINUS = 5,
  CRYO_BAND_SIDE_SUMS = 8
};
CRYO_MUST_CHECK cryo_band_status cryo_band_plane_sums(const cryo_cell *cell, int n, const double *f, const int *matrix,
                                      const double *displacement, int nbands, const cryo_band_frame *frames,
                                      double filled, double distance, double scale, int64_t *sums);

/* *offset = the length of the jump of the mean displacement from the - to the + side of the plane,
 * without its component along the normal (the slip across the band), from its reduced side sums.
 * Returns 1, or 0 with *offset = 0 if a side has no atoms. */
int cryo_band_shear_offset(const int64_t sums[CRYO_BAND_SIDE_SUMS], double scale, const double normal[3],
                           double *offset);

/* projection[i] = offset of atom i along its band's axis (axes, 3 per band); s_min and s_max (one
 * per band, set by the caller to +-inf or earlier values) receive the extremes. */
CRYO_MUST_CHECK cryo_band_status cryo_band_project(int n, const double *offsets, const int *band, const double *axes,
                                   int nbands, double *projection, double *s_min, double *s_max);

/* 1 if an atom at position s along the axis lies in a front: within front_length of a free end
 * (the end at s_min if free_low, at s_max if free_high); 0 if it is in the tail. */
int cryo_band_in_front(double s, double s_min, double s_max, int free_low, int free_high,
                       double front_length);

#ifdef __cplusplus
}
/* C++: the message by overload, which check_status() of the style classes finds */
inline const char *status_message(cryo_band_status status) { return cryo_band_status_message(status); }
#endif

#endif
