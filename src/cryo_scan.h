/* cryo_scan: the heating (or cooling) scan of `fix thermal/scan`, a virtual DSC.
 *
 * Schedule. The target goes linearly from T1 to T2 at `rate` (phase SCAN). With a baseline it then
 * goes back to T1 at the same rate (RETURN), stays at T1 for `hold` (HOLD) and goes from T1 to T2
 * once more (BASELINE): the sample, relaxed by the first scan, is heated (or cooled) again as its
 * own reference. The hold lets the temperature lag of the return ramp die out, so that the baseline
 * starts from T1 as the scan did (a thermostat with time constant tau lags r tau behind a ramp of
 * rate r, on the other side after the turn). Afterwards T2 is held (DONE). As in cryo_schedule, a boundary belongs to the segment that starts there, and a time
 * within `tolerance` before it counts as on it; time comes from cryo_schedule's step clock.
 *
 * Bins. `nbins` equal bins of the target temperature between `lo` and `hi` (inside the scanned
 * range). Bin k holds targets T with lo + k w <= T < lo + (k+1) w, w = (hi - lo) / nbins; the
 * upper edge `hi` belongs to the last bin. A target on an inner edge therefore goes to the upper
 * bin, whether the scan heats or cools.
 *
 * Sums. Per bin and curve (scan, baseline) the count and the sums of the target, the enthalpy per
 * atom H, the potential energy per atom and the volume. The caller adds global quantities (the
 * same on every processor) in the order of the steps, so the sums need no order-independent
 * arithmetic (cryo_fixed): every rank adds the same numbers in the same order.
 *
 * Curves. A bin's means are its sums over its count. The apparent heat capacity of a populated bin
 * is the central difference of the enthalpy means of its populated neighbours,
 *   C_k = (H_next - H_prev) / (T_next - T_prev),
 * at the mean targets of those bins; at the first or last populated bin the bin itself takes the
 * place of the missing neighbour (a one-sided difference).
 *
 * Heat of relaxation. Each curve H(T) is the piecewise-linear interpolant of its bin means at
 * their mean targets, so its derivative is C between bins and
 *   H_rel = integral over [Ta, Tb] of (C_baseline - C_scan) dT
 *         = [H_scan(Ta) - H_base(Ta)] - [H_scan(Tb) - H_base(Tb)]
 * exactly. Relaxation that releases heat during the scan (the scan's H rising less than the
 * baseline's) makes it positive.
 * Uncertainty: the noise sigma of one bin mean of a curve is estimated from the scatter of every
 * bin mean in [Ta, Tb] about the straight line through its two neighbours,
 *   d_k = H_k - (a H_prev + b H_next),  var(d_k) = sigma^2 (1 + a^2 + b^2),
 * averaged over the bins (the curvature of the true curve only adds to d_k: the estimate errs on
 * the large side). The interpolated H at Ta or Tb, w H_j + (1 - w) H_j+1, then has the variance
 * sigma^2 (w^2 + (1 - w)^2); the four interpolated values are taken as independent. Bins far
 * shorter than the correlation time of H make neighbouring means correlated and the estimate low.
 * Fit window. The interpolant uses the two bins around Ta (or Tb): their noise sets the
 * uncertainty. Where a curve is straight (the glass below the onset of relaxation, the liquid
 * above Tg) a least-squares line through all bin means (at their mean targets) within window/2 of
 * Ta, evaluated at Ta, averages over more bins: with n bins the noise of H(Ta) falls roughly as
 * 1/sqrt(n). Its variance is the textbook one of a fitted value, s^2 (1/n + (Ta - mean)^2 / Sxx),
 * with s^2 the residual sum of squares over n - 2, for each of the four ends (independent). A
 * window that reaches into a curved part of a curve (the relaxation exotherm, the glass
 * transition) biases the value; the curvature also inflates s^2, so the uncertainty shows it.
 *
 * Pure C11, no allocation, thread-safe (no global state).
 */
#ifndef CRYO_SCAN_H
#define CRYO_SCAN_H

#include "cryo_status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  CRYO_SCAN_OK = 0,
  CRYO_SCAN_ERROR_NULL_ARGUMENT,
  CRYO_SCAN_ERROR_TEMPERATURE,      /* T1 or T2 not finite or <= 0 */
  CRYO_SCAN_ERROR_SAME_TEMPERATURE, /* T1 == T2 */
  CRYO_SCAN_ERROR_RATE,             /* rate <= 0 or not finite */
  CRYO_SCAN_ERROR_HOLD,             /* hold < 0 or not finite */
  CRYO_SCAN_ERROR_DURATION,         /* |T2 - T1| / rate is 0, or the total time is not finite */
  CRYO_SCAN_ERROR_BIN_COUNT,        /* nbins < 1 */
  CRYO_SCAN_ERROR_BIN_RANGE,        /* lo >= hi, not finite, or outside [min(T1,T2), max(T1,T2)] */
  CRYO_SCAN_ERROR_TIME,             /* elapsed time or tolerance < 0 or not finite */
  CRYO_SCAN_ERROR_RELAXATION_RANGE, /* Ta >= Tb or not finite */
  CRYO_SCAN_ERROR_OUTSIDE_CURVE,    /* Ta or Tb outside the mean targets of a curve's populated bins */
  CRYO_SCAN_ERROR_TOO_FEW_BINS,     /* a curve with fewer than 2 populated bins */
  CRYO_SCAN_ERROR_FIT_WINDOW,       /* fit window < 0 or not finite */
  CRYO_SCAN_ERROR_FIT_TOO_FEW_BINS  /* a fit window with fewer than 2 bins of different targets */
} cryo_scan_status;

/* A static English sentence describing the status (never NULL). */
const char *cryo_scan_status_message(cryo_scan_status status);

/* Phase codes are part of the user interface (fix output vector): keep their values. */
typedef enum {
  CRYO_SCAN_PHASE_SCAN = 0,
  CRYO_SCAN_PHASE_RETURN = 1,
  CRYO_SCAN_PHASE_HOLD = 2,
  CRYO_SCAN_PHASE_BASELINE = 3,
  CRYO_SCAN_PHASE_DONE = 4
} cryo_scan_phase;

typedef struct {
  double t_start; /* T1, > 0 */
  double t_end;   /* T2, > 0, != T1; above T1 for a heating scan, below for a cooling one */
  double rate;    /* temperature per time unit, > 0 */
  int baseline;   /* nonzero: return to T1, hold, and scan again as the baseline */
  double hold;    /* time at T1 before the baseline, >= 0 (unused without a baseline) */
} cryo_scan_params;

typedef struct {
  double target; /* the temperature the thermostat should hold */
  cryo_scan_phase phase;
  double time_left; /* until the (last) scan is complete, >= 0 */
} cryo_scan_point;

CRYO_MUST_CHECK cryo_scan_status cryo_scan_validate(const cryo_scan_params *params);
/* Duration of one segment (|T2 - T1| / rate) and of the whole schedule; NaN if a parameter is
 * invalid. */
double cryo_scan_segment_duration(const cryo_scan_params *params);
double cryo_scan_total_duration(const cryo_scan_params *params);
CRYO_MUST_CHECK cryo_scan_status cryo_scan_evaluate(const cryo_scan_params *params, double elapsed, double tolerance,
                                    cryo_scan_point *point);

typedef struct {
  double lo, hi; /* the binned range of target temperatures, lo < hi */
  int nbins;     /* >= 1 */
} cryo_scan_bins;

CRYO_MUST_CHECK cryo_scan_status cryo_scan_bins_validate(const cryo_scan_bins *bins, const cryo_scan_params *params);
/* The bin of target temperature t (edges as in the header comment); -1 outside [lo, hi]. */
int cryo_scan_bin_of(const cryo_scan_bins *bins, double t);

/* Sums of one bin of one curve. */
typedef struct {
  int64_t count;
  double target, enthalpy, potential, volume;
} cryo_scan_sums;

static inline void cryo_scan_add(cryo_scan_sums *bin, double target, double enthalpy, double potential,
                                 double volume)
{
  ++bin->count;
  bin->target += target;
  bin->enthalpy += enthalpy;
  bin->potential += potential;
  bin->volume += volume;
}

/* Means of one bin of one curve, NaN for an empty bin; heat_capacity from cryo_scan_curve. */
typedef struct {
  double target, enthalpy, potential, volume, heat_capacity;
} cryo_scan_means;

/* means[k] for each of the nbins bins, with heat capacities by central differences (header
 * comment). CRYO_SCAN_ERROR_TOO_FEW_BINS leaves the means filled but every heat capacity NaN. */
CRYO_MUST_CHECK cryo_scan_status cryo_scan_curve(const cryo_scan_sums *sums, int nbins, cryo_scan_means *means);

/* H_rel over [t_a, t_b] from the two curves (cryo_scan_curve) and its standard uncertainty.
 * window 0: the curves' interpolants at t_a and t_b (uncertainty NaN if a curve has fewer than 3
 * populated bins in the range, whose scatter it needs); window > 0: least-squares lines through
 * the bins within window/2 of t_a and of t_b (uncertainty NaN if a window holds fewer than 3 bins
 * of a curve). Header comment. */
CRYO_MUST_CHECK cryo_scan_status cryo_scan_relaxation(const cryo_scan_means *scan, const cryo_scan_means *baseline,
                                      int nbins, double t_a, double t_b, double window,
                                      double *h_rel, double *uncertainty);

#ifdef __cplusplus
}
/* C++: the message by overload, which check_status() of the style classes finds */
inline const char *status_message(cryo_scan_status status) { return cryo_scan_status_message(status); }
#endif

#endif
