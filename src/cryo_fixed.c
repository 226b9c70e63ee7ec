/* cryo_fixed: see cryo_fixed.h. */
#include "cryo_fixed.h"

double cryo_fixed_scale(double max_abs, double count)
{
  if (!isfinite(max_abs) || !(count >= 1.0)) return 0.0;
  const double bound = (max_abs > 1.0 ? max_abs : 1.0) * count;
  int exponent;
  frexp(CRYO_FIXED_LIMIT / bound, &exponent);    /* limit / bound = m 2^exponent, 0.5 <= m < 1 */
  return ldexp(1.0, exponent - 1);               /* <= limit / bound */
}
