/* cryo_stats: strain and energy statistics of sets of atoms (e.g. shear-band zones), for compute
 * rejuvenation.
 *
 * Every atom belongs to one row (a zone) or to none. Per row the kernel counts atoms, atoms with a
 * valid strain and how many of them lie in the strain classes eta <= lo, lo < eta <= hi, eta > hi,
 * and sums eta, the potential energy and its change since a reference; over all rows it fills a
 * histogram of eta. Sums are accumulated in fixed point (integers, value x scale rounded to the
 * nearest integer), so that they are exact and do not depend on the order of the atoms, the number
 * of threads or, after an integer reduction, the number of processors.
 *
 * Pure C11, caller-owned arrays, OpenMP inside.
 */
#ifndef CRYO_STATS_H
#define CRYO_STATS_H

#include "cryo_status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CRYO_STATS_OK = 0,
  CRYO_STATS_ERROR_NULL_ARGUMENT,
  CRYO_STATS_ERROR_CONFIG,     /* lo >= hi, nbins < 0, max <= 0 with bins, or a scale <= 0 */
  CRYO_STATS_ERROR_ROW,        /* a row index >= nrows, or a negative count */
  CRYO_STATS_ERROR_OVERFLOW,   /* a value times its scale does not fit the fixed-point sums */
  CRYO_STATS_ERROR_MEMORY      /* no memory for the per-thread sums */
} cryo_stats_status;

/* A static English sentence describing the status (never NULL). */
const char *cryo_stats_status_message(cryo_stats_status status);

typedef struct {
  double lo, hi;          /* strain classes: eta <= lo, lo < eta <= hi, eta > hi */
  int nbins;              /* histogram bins of width max / nbins over [0, max), 0 for none */
  double max;
  double eta_scale;       /* fixed-point units per unit of eta */
  double energy_scale;    /* fixed-point units per energy unit */
} cryo_stats_config;

/* The sums of one row. */
typedef struct {
  int64_t atoms;        /* atoms in the row */
  int64_t valid;        /* of them with a valid strain */
  int64_t below;        /* valid, eta <= lo */
  int64_t window;       /* valid, lo < eta <= hi */
  int64_t above;        /* valid, eta > hi */
  int64_t eta;          /* sum of eta over the valid atoms, x eta_scale */
  int64_t energy;       /* sum of the energy over all atoms of the row, x energy_scale */
  int64_t change;       /* sum of energy - reference energy, x energy_scale */
} cryo_stats_sums;

/* The sums as CRYO_STATS_NSUMS integers in the order above (for a message-passing reduction), and
 * back; and the sums of two rows added. */
#define CRYO_STATS_NSUMS 8
void cryo_stats_pack(const cryo_stats_sums *sums, int64_t packed[CRYO_STATS_NSUMS]);
void cryo_stats_unpack(const int64_t packed[CRYO_STATS_NSUMS], cryo_stats_sums *sums);
void cryo_stats_add(cryo_stats_sums *total, const cryo_stats_sums *part);

/* The largest scale, a power of 2, with which natoms values of magnitude up to max_abs (and their
 * differences from references of the same magnitude) can be summed in fixed point: choose it from
 * the largest magnitude over all processors, so that all use the same. 0 if max_abs is not finite
 * or natoms < 1. */
double cryo_stats_scale(double max_abs, int64_t natoms);

/* Bin of eta in the histogram: k with k*w <= eta < (k+1)*w, w = max/nbins (computed as written,
 * so that a test may use the same expression); nbins for eta >= max; -1 for eta < 0. */
int cryo_stats_bin(const cryo_stats_config *config, double eta);

/* Adds the n atoms to the nrows rows of sums and to the histogram (nbins + 1 entries: the bins,
 * then the atoms with eta >= max), without clearing them first. row[i] < 0: atom i is skipped.
 * valid[i] != 0: atom i has a strain eta[i]. energy and reference may be NULL (no energy sums);
 * reference alone may be NULL (no change sums). */
CRYO_MUST_CHECK cryo_stats_status cryo_stats_accumulate(const cryo_stats_config *config, int n, const int *row,
                                        const double *eta, const int *valid, const double *energy,
                                        const double *reference, int nrows, int nthreads,
                                        cryo_stats_sums *sums, int64_t *histogram);

/* Statistics of any per-atom value x per row, in two passes: first the mean (center NULL), then
 * the spread about it (center: the mean of each row). Adds to sums, 2 per row, the sums over the
 * atoms of row r (row[i] < 0: skipped) of d = x[i] - center[r] and of d * d, in fixed point with
 * one scale, which the caller chooses for the larger of |d| and d * d (cryo_stats_scale). */
enum { CRYO_STATS_VALUE_SUM = 0, CRYO_STATS_VALUE_SQUARES = 1, CRYO_STATS_VALUE_SUMS = 2 };
CRYO_MUST_CHECK cryo_stats_status cryo_stats_value_sums(int n, const int *row, const double *x, const double *center,
                                                        double scale, int nrows, int nthreads, int64_t *sums);

/* Histogram of any per-atom value x per row: for row r, counts[r * (nbins + 2) + k] counts its atoms
 * (row[i] < 0: skipped) in bin k of width (hi - lo) / nbins over [lo, hi) (k < nbins), below lo
 * (k = nbins) and at or above hi (k = nbins + 1); added to counts, which is not cleared first. A
 * value that is not finite is an error (CRYO_STATS_ERROR_OVERFLOW). */
#define CRYO_STATS_HISTOGRAM_EXTRA 2
CRYO_MUST_CHECK cryo_stats_status cryo_stats_value_histogram(int n, const int *row, const double *x, double lo,
                                                             double hi, int nbins, int nrows, int nthreads,
                                                             int64_t *counts);
/* Its bin of x, as above (nbins: below lo, nbins + 1: at or above hi; edges lo + k * width, computed
 * as written); -1 for a value that is not a number. */
int cryo_stats_value_bin(double x, double lo, double hi, int nbins);

#ifdef __cplusplus
}
/* C++: the message by overload, which check_status() of the style classes finds */
inline const char *status_message(cryo_stats_status status) { return cryo_stats_status_message(status); }
#endif

#endif
