/* cryo_band: geometry of shear-band clusters, for compute sbzone/atom.
 *
 * A band is a cluster of atoms, possibly wrapping around periodic directions. Its centre is taken
 * per periodic direction as the circular mean of the fractional coordinates (well defined for a
 * cluster that crosses the boundary), and atoms are placed relative to it by the minimum image.
 * Its principal axis is the direction of largest spread, restricted to the directions in which the
 * band does not fill the material (a band through a thin periodic sample fills that thickness,
 * which says nothing about where it ends). Along that axis the band has two ends; a free end (not
 * attached to a surface) is followed by a front of given length, the rest is tail.
 *
 * Pure C11, no allocation.
 */
#ifndef CRYO_BAND_H
#define CRYO_BAND_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CRYO_BAND_OK = 0,
  CRYO_BAND_ERROR_NULL_ARGUMENT,
  CRYO_BAND_ERROR_CELL    /* the cell is singular or not finite, or the dimension not 2 or 3 */
} cryo_band_status;

/* A static English sentence describing the status (never NULL). */
const char *cryo_band_status_message(cryo_band_status status);

typedef struct {
  double cell[3][3];   /* cell[row][column]; column c is cell vector c */
  double origin[3];    /* lower corner */
  int periodic[3];
  int dimension;
} cryo_band_box;

/* f with x = origin + cell f (fractional coordinates; in [0,1) inside the box). */
cryo_band_status cryo_band_fractional(const cryo_band_box *box, const double x[3], double f[3]);

/* Cartesian vector from a centre (fractional) to a point (fractional): the nearest periodic image
 * along periodic directions. */
cryo_band_status cryo_band_offset(const cryo_band_box *box, const double f[3], const double center[3],
                                  double r[3]);

/* Centre in [0,1) of fractional coordinates around a periodic direction, from the sums of
 * cos(2 pi f) and sin(2 pi f) over the atoms: their circular mean (0.5 if they are spread evenly). */
double cryo_band_circular_center(double sum_cos, double sum_sin);

/* Unit eigenvector of the largest eigenvalue of the symmetric matrix covariance (xx xy xz yy yz
 * zz), restricted to the directions with use[c] != 0 (the others are ignored). Its largest
 * component is positive. All zero if no direction is used or the matrix is zero there. */
cryo_band_status cryo_band_principal_axis(const double covariance[6], const int use[3], double axis[3]);

/* 1 if an atom at position s along the axis lies in a front: within front_length of a free end
 * (the end at s_min if free_low, at s_max if free_high); 0 if it is in the tail. */
int cryo_band_in_front(double s, double s_min, double s_max, int free_low, int free_high,
                       double front_length);

#ifdef __cplusplus
}
#endif

#endif
