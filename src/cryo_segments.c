/* cryo_segments: see cryo_segments.h. */
#include "cryo_segments.h"

#include <float.h>

double cryo_segments_tolerance(double tolerance, double elapsed)
{
  return tolerance + 8.0 * DBL_EPSILON * elapsed;
}

int cryo_segments_locate(const cryo_segment *seg, int count, double tau, double tol, double *target)
{
  double begin = 0.0;
  int s = 0;
  while (s < count - 1 && tau >= begin + seg[s].duration - tol) {
    begin += seg[s].duration;
    ++s;
  }
  double into = tau - begin;
  if (into < 0.0) into = 0.0; /* rounding just below a boundary that belongs to segment s */
  double fraction = seg[s].duration > 0.0 ? into / seg[s].duration : 0.0;
  if (fraction > 1.0) fraction = 1.0;
  *target = seg[s].t_begin + fraction * (seg[s].t_end - seg[s].t_begin);
  return s;
}
