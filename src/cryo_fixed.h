/* cryo_fixed: sums of doubles that do not depend on their order.
 *
 * A value is scaled by a power of 2 and rounded to the nearest integer (ties to even); integer sums
 * are exact in any order, so a sum over atoms is the same for any number of threads and, after an
 * integer reduction, of processors. The scale is chosen from the largest magnitude to be summed
 * (over all processors) and the number of terms, so that no sum can overflow; a term that does not
 * fit (not finite, or beyond the bound the scale was chosen for) is reported, never wrapped.
 *
 * Pure C11, no allocation.
 */
#ifndef CRYO_FIXED_H
#define CRYO_FIXED_H

#include <math.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* |a scaled term| and every sum stay below this (< 2^63 = 9.22e18) */
#define CRYO_FIXED_LIMIT 4.0e18

/* The largest power of 2 with which `count` terms of magnitude up to max_abs sum below
 * CRYO_FIXED_LIMIT; magnitudes below 1 get the scale of 1 (ample resolution, and no infinite
 * scale for zeros). 0 if max_abs is not finite or count < 1. */
double cryo_fixed_scale(double max_abs, double count);

/* *sum += value x scale, rounded; returns 0 (and adds nothing) if the term does not fit. */
static inline int cryo_fixed_add(int64_t *sum, double value, double scale)
{
  const double scaled = nearbyint(value * scale);
  if (!(fabs(scaled) <= CRYO_FIXED_LIMIT)) return 0;    /* also NaN */
  *sum += (int64_t) scaled;
  return 1;
}

#ifdef __cplusplus
}
#endif

#endif
