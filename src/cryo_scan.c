/* cryo_scan: see cryo_scan.h. */
#include "cryo_scan.h"

#include "cryo_segments.h"

#include <math.h>
#include <stddef.h>

const char *cryo_scan_status_message(cryo_scan_status status)
{
  switch (status) {
    case CRYO_SCAN_OK:
      return "success";
    case CRYO_SCAN_ERROR_NULL_ARGUMENT:
      return "a required argument is NULL";
    case CRYO_SCAN_ERROR_TEMPERATURE:
      return "T1 and T2 must be finite and > 0";
    case CRYO_SCAN_ERROR_SAME_TEMPERATURE:
      return "T1 and T2 must differ";
    case CRYO_SCAN_ERROR_RATE:
      return "the rate must be finite and > 0";
    case CRYO_SCAN_ERROR_HOLD:
      return "the hold before the baseline must be finite and >= 0";
    case CRYO_SCAN_ERROR_DURATION:
      return "the scan time |T2 - T1| / rate must be > 0 and, like the total time, finite";
    case CRYO_SCAN_ERROR_BIN_COUNT:
      return "the number of bins must be >= 1";
    case CRYO_SCAN_ERROR_BIN_RANGE:
      return "the binned range must be finite, have its lower end below its upper end and lie "
             "within the scanned range from T1 to T2";
    case CRYO_SCAN_ERROR_TIME:
      return "elapsed time and tolerance must be finite and >= 0";
    case CRYO_SCAN_ERROR_RELAXATION_RANGE:
      return "the range of the heat of relaxation must be finite with its lower end below its upper end";
    case CRYO_SCAN_ERROR_OUTSIDE_CURVE:
      return "the range of the heat of relaxation must lie within the mean temperatures of the "
             "populated bins of the scan and of the baseline";
    case CRYO_SCAN_ERROR_TOO_FEW_BINS:
      return "a curve needs at least 2 populated bins";
    case CRYO_SCAN_ERROR_FIT_WINDOW:
      return "the fit window of the heat of relaxation must be finite and >= 0";
    case CRYO_SCAN_ERROR_FIT_TOO_FEW_BINS:
      return "a fit window around an end of the heat of relaxation's range must hold populated bins "
             "at 2 or more different temperatures in each curve";
  }
  return "unknown status";
}

cryo_scan_status cryo_scan_validate(const cryo_scan_params *p)
{
  if (!p) return CRYO_SCAN_ERROR_NULL_ARGUMENT;
  if (!isfinite(p->t_start) || !isfinite(p->t_end) || p->t_start <= 0.0 || p->t_end <= 0.0)
    return CRYO_SCAN_ERROR_TEMPERATURE;
  if (p->t_start == p->t_end) return CRYO_SCAN_ERROR_SAME_TEMPERATURE;
  if (!isfinite(p->rate) || p->rate <= 0.0) return CRYO_SCAN_ERROR_RATE;
  if (!isfinite(p->hold) || p->hold < 0.0) return CRYO_SCAN_ERROR_HOLD;
  const double segment = fabs(p->t_end - p->t_start) / p->rate;
  if (!(segment > 0.0) || !isfinite(3.0 * segment + p->hold)) return CRYO_SCAN_ERROR_DURATION;
  return CRYO_SCAN_OK;
}

double cryo_scan_segment_duration(const cryo_scan_params *p)
{
  if (cryo_scan_validate(p) != CRYO_SCAN_OK) return NAN;
  return fabs(p->t_end - p->t_start) / p->rate;
}

double cryo_scan_total_duration(const cryo_scan_params *p)
{
  const double segment = cryo_scan_segment_duration(p);
  return p && p->baseline ? 3.0 * segment + p->hold : segment;
}

/* The segments in order (a valid p); returns their number. */
static int scan_segments(const cryo_scan_params *p, cryo_segment seg[4])
{
  const double d = cryo_scan_segment_duration(p);
  seg[0] = (cryo_segment){d, p->t_start, p->t_end, CRYO_SCAN_PHASE_SCAN};
  if (!p->baseline) return 1;
  seg[1] = (cryo_segment){d, p->t_end, p->t_start, CRYO_SCAN_PHASE_RETURN};
  seg[2] = (cryo_segment){p->hold, p->t_start, p->t_start, CRYO_SCAN_PHASE_HOLD};
  seg[3] = (cryo_segment){d, p->t_start, p->t_end, CRYO_SCAN_PHASE_BASELINE};
  return 4;
}

cryo_scan_status cryo_scan_evaluate(const cryo_scan_params *p, double elapsed, double tolerance,
                                    cryo_scan_point *point)
{
  if (!point) return CRYO_SCAN_ERROR_NULL_ARGUMENT;
  const cryo_scan_status status = cryo_scan_validate(p);
  if (status != CRYO_SCAN_OK) return status;
  if (!isfinite(elapsed) || !isfinite(tolerance) || elapsed < 0.0 || tolerance < 0.0)
    return CRYO_SCAN_ERROR_TIME;

  cryo_segment seg[4];
  const int count = scan_segments(p, seg);
  const double tol = cryo_segments_tolerance(tolerance, elapsed);
  const double total = cryo_scan_total_duration(p);
  point->time_left = total - elapsed > 0.0 ? total - elapsed : 0.0;
  if (elapsed >= total - tol) {
    point->phase = CRYO_SCAN_PHASE_DONE;
    point->target = p->t_end;
    return CRYO_SCAN_OK;
  }
  const int s = cryo_segments_locate(seg, count, elapsed, tol, &point->target);
  point->phase = (cryo_scan_phase) seg[s].phase;
  return CRYO_SCAN_OK;
}

cryo_scan_status cryo_scan_bins_validate(const cryo_scan_bins *bins, const cryo_scan_params *p)
{
  if (!bins) return CRYO_SCAN_ERROR_NULL_ARGUMENT;
  const cryo_scan_status status = cryo_scan_validate(p);
  if (status != CRYO_SCAN_OK) return status;
  if (bins->nbins < 1) return CRYO_SCAN_ERROR_BIN_COUNT;
  const double low = fmin(p->t_start, p->t_end), high = fmax(p->t_start, p->t_end);
  if (!isfinite(bins->lo) || !isfinite(bins->hi) || !(bins->lo < bins->hi) || bins->lo < low ||
      bins->hi > high)
    return CRYO_SCAN_ERROR_BIN_RANGE;
  return CRYO_SCAN_OK;
}

int cryo_scan_bin_of(const cryo_scan_bins *bins, double t)
{
  if (!(t >= bins->lo && t <= bins->hi)) return -1;    /* also NaN */
  const int k = (int) floor((t - bins->lo) / (bins->hi - bins->lo) * bins->nbins);
  return k < bins->nbins ? k : bins->nbins - 1;        /* t == hi: the last bin */
}

cryo_scan_status cryo_scan_curve(const cryo_scan_sums *sums, int nbins, cryo_scan_means *means)
{
  if (!sums || !means) return CRYO_SCAN_ERROR_NULL_ARGUMENT;
  if (nbins < 1) return CRYO_SCAN_ERROR_BIN_COUNT;
  int populated = 0;
  for (int k = 0; k < nbins; ++k) {
    const double n = (double) sums[k].count;
    cryo_scan_means *m = &means[k];
    m->target = m->enthalpy = m->potential = m->volume = m->heat_capacity = NAN;
    if (sums[k].count < 1) continue;
    ++populated;
    m->target = sums[k].target / n;
    m->enthalpy = sums[k].enthalpy / n;
    m->potential = sums[k].potential / n;
    m->volume = sums[k].volume / n;
  }
  if (populated < 2) return CRYO_SCAN_ERROR_TOO_FEW_BINS;
  int prev = -1;
  for (int k = 0; k < nbins; ++k) {
    if (sums[k].count < 1) continue;
    int next = k + 1;
    while (next < nbins && sums[next].count < 1) ++next;
    const int lower = prev >= 0 ? prev : k;
    const int upper = next < nbins ? next : k;
    means[k].heat_capacity =
        (means[upper].enthalpy - means[lower].enthalpy) / (means[upper].target - means[lower].target);
    prev = k;
  }
  return CRYO_SCAN_OK;
}

/* The populated bins j < j+ that bracket temperature t (at their mean targets) and the weight w of
   bin j in the interpolant w H_j + (1 - w) H_j+; 0 if t is outside the populated bins. */
static int bracket(const cryo_scan_means *m, int nbins, double t, int *j, int *jplus, double *w)
{
  int last = -1;
  for (int k = 0; k < nbins; ++k) {
    if (isnan(m[k].target)) continue;
    if (last >= 0 && m[last].target <= t && t <= m[k].target) {
      *j = last;
      *jplus = k;
      *w = (m[k].target - t) / (m[k].target - m[last].target);
      return 1;
    }
    last = k;
  }
  return 0;
}

static double interpolate(const cryo_scan_means *m, int j, int jplus, double w)
{
  return w * m[j].enthalpy + (1.0 - w) * m[jplus].enthalpy;
}

/* sigma^2 of one bin mean of a curve from the bins with mean targets in [t_a, t_b] (header
   comment); NaN with fewer than 3 such bins */
static double bin_variance(const cryo_scan_means *m, int nbins, double t_a, double t_b)
{
  double sum = 0.0;
  int terms = 0, prev = -1;
  for (int k = 0; k < nbins; ++k) {
    if (isnan(m[k].target)) continue;
    int next = k + 1;
    while (next < nbins && isnan(m[next].target)) ++next;
    if (prev >= 0 && next < nbins && m[k].target >= t_a && m[k].target <= t_b) {
      const double span = m[next].target - m[prev].target;
      const double a = (m[next].target - m[k].target) / span, b = (m[k].target - m[prev].target) / span;
      const double d = m[k].enthalpy - (a * m[prev].enthalpy + b * m[next].enthalpy);
      sum += d * d / (1.0 + a * a + b * b);
      ++terms;
    }
    prev = k;
  }
  return terms > 0 ? sum / terms : NAN;
}

static int in_window(const cryo_scan_means *bin, double t, double window)
{
  return !isnan(bin->target) && fabs(bin->target - t) <= 0.5 * window;
}

/* Least-squares line through the bin means with mean targets within window/2 of t, evaluated at
   t: the value and its variance from the fit's residuals, s^2 (1/n + (t - mean)^2 / Sxx) with
   s^2 = sum of squared residuals / (n - 2) (header comment). The value is NaN without 2 bins of
   different targets, the variance NaN with fewer than 3 bins. */
static void fit_at(const cryo_scan_means *m, int nbins, double t, double window, double *value,
                   double *variance)
{
  int n = 0;
  double mean_t = 0.0, mean_h = 0.0;
  for (int k = 0; k < nbins; ++k)
    if (in_window(&m[k], t, window)) {
      ++n;
      mean_t += m[k].target;
      mean_h += m[k].enthalpy;
    }
  *value = *variance = NAN;
  if (n < 2) return;
  mean_t /= n;
  mean_h /= n;
  double sxx = 0.0, sxy = 0.0;
  for (int k = 0; k < nbins; ++k)
    if (in_window(&m[k], t, window)) {
      sxx += (m[k].target - mean_t) * (m[k].target - mean_t);
      sxy += (m[k].target - mean_t) * (m[k].enthalpy - mean_h);
    }
  if (!(sxx > 0.0)) return;
  const double slope = sxy / sxx;
  *value = mean_h + slope * (t - mean_t);
  if (n < 3) return;
  double rss = 0.0;
  for (int k = 0; k < nbins; ++k)
    if (in_window(&m[k], t, window)) {
      const double r = m[k].enthalpy - (mean_h + slope * (m[k].target - mean_t));
      rss += r * r;
    }
  *variance = rss / (n - 2) * (1.0 / n + (t - mean_t) * (t - mean_t) / sxx);
}

cryo_scan_status cryo_scan_relaxation(const cryo_scan_means *scan, const cryo_scan_means *baseline,
                                      int nbins, double t_a, double t_b, double window,
                                      double *h_rel, double *uncertainty)
{
  if (!scan || !baseline || !h_rel || !uncertainty) return CRYO_SCAN_ERROR_NULL_ARGUMENT;
  if (nbins < 1) return CRYO_SCAN_ERROR_BIN_COUNT;
  if (!isfinite(t_a) || !isfinite(t_b) || !(t_a < t_b)) return CRYO_SCAN_ERROR_RELAXATION_RANGE;
  if (!isfinite(window) || window < 0.0) return CRYO_SCAN_ERROR_FIT_WINDOW;
  const cryo_scan_means *curves[2] = {scan, baseline};
  double h[2][2], variance = 0.0;    /* h[curve][end] */
  for (int c = 0; c < 2; ++c) {
    int populated = 0;
    for (int k = 0; k < nbins; ++k) populated += !isnan(curves[c][k].target);
    if (populated < 2) return CRYO_SCAN_ERROR_TOO_FEW_BINS;
    const double ends[2] = {t_a, t_b};
    if (window > 0.0) {
      for (int e = 0; e < 2; ++e) {
        int j, jplus;
        double w, var;
        if (!bracket(curves[c], nbins, ends[e], &j, &jplus, &w)) return CRYO_SCAN_ERROR_OUTSIDE_CURVE;
        fit_at(curves[c], nbins, ends[e], window, &h[c][e], &var);
        if (isnan(h[c][e])) return CRYO_SCAN_ERROR_FIT_TOO_FEW_BINS;
        variance += var;
      }
      continue;
    }
    const double sigma2 = bin_variance(curves[c], nbins, t_a, t_b);
    for (int e = 0; e < 2; ++e) {
      int j, jplus;
      double w;
      if (!bracket(curves[c], nbins, ends[e], &j, &jplus, &w)) return CRYO_SCAN_ERROR_OUTSIDE_CURVE;
      h[c][e] = interpolate(curves[c], j, jplus, w);
      variance += sigma2 * (w * w + (1.0 - w) * (1.0 - w));
    }
  }
  *h_rel = (h[0][0] - h[1][0]) - (h[0][1] - h[1][1]);
  *uncertainty = sqrt(variance);
  return CRYO_SCAN_OK;
}
