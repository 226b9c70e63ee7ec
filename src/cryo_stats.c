/* cryo_stats: see cryo_stats.h. */
#include "cryo_stats.h"

#include "cryo_fixed.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>


const char *cryo_stats_status_message(cryo_stats_status status)
{
  switch (status) {
    case CRYO_STATS_OK:
      return "success";
    case CRYO_STATS_ERROR_NULL_ARGUMENT:
      return "a required argument is NULL";
    case CRYO_STATS_ERROR_CONFIG:
      return "invalid configuration: need lo < hi, nbins >= 0, max > 0 with bins, scales > 0";
    case CRYO_STATS_ERROR_ROW:
      return "a row index is out of range or a count is negative";
    case CRYO_STATS_ERROR_OVERFLOW:
      return "a value is not finite or too large for the fixed-point sums";
    case CRYO_STATS_ERROR_MEMORY:
      return "out of memory for the per-thread sums";
  }
  return "unknown status";
}

double cryo_stats_scale(double max_abs, int64_t natoms)
{
  /* sums of energies and of changes (up to twice the magnitude) over natoms atoms */
  return cryo_fixed_scale(max_abs, 2.0 * (double) natoms);
}

/* Bin k of x in [lo, hi), edges lo + k * width with width = (hi - lo) / nbins: the division may
   round across a bin edge, so it is settled with the edges a user would compute. */
static int bin_inside(double x, double lo, double hi, int nbins)
{
  const double width = (hi - lo) / nbins;
  int k = (int) floor((x - lo) / width);
  if (k > 0 && x < lo + k * width) --k;
  if (k < nbins - 1 && x >= lo + (k + 1) * width) ++k;
  if (k >= nbins) k = nbins - 1;
  if (k < 0) k = 0;
  return k;
}

int cryo_stats_bin(const cryo_stats_config *config, double eta)
{
  if (eta < 0.0) return -1;
  if (eta >= config->max) return config->nbins;
  return bin_inside(eta, 0.0, config->max, config->nbins);    /* 0 + k w and (eta - 0) / w: as before */
}

void cryo_stats_pack(const cryo_stats_sums *sums, int64_t packed[CRYO_STATS_NSUMS])
{
  const int64_t values[CRYO_STATS_NSUMS] = {sums->atoms, sums->valid, sums->below, sums->window,
                                            sums->above, sums->eta,   sums->energy, sums->change};
  for (int k = 0; k < CRYO_STATS_NSUMS; ++k) packed[k] = values[k];
}

void cryo_stats_unpack(const int64_t packed[CRYO_STATS_NSUMS], cryo_stats_sums *sums)
{
  const cryo_stats_sums values = {packed[0], packed[1], packed[2], packed[3],
                                  packed[4], packed[5], packed[6], packed[7]};
  *sums = values;
}

void cryo_stats_add(cryo_stats_sums *total, const cryo_stats_sums *part)
{
  total->atoms += part->atoms;
  total->valid += part->valid;
  total->below += part->below;
  total->window += part->window;
  total->above += part->above;
  total->eta += part->eta;
  total->energy += part->energy;
  total->change += part->change;
}

cryo_stats_status cryo_stats_accumulate(const cryo_stats_config *config, int n, const int *row,
                                        const double *eta, const int *valid, const double *energy,
                                        const double *reference, int nrows, int nthreads,
                                        cryo_stats_sums *sums, int64_t *histogram)
{
  if (!config || !sums || (n > 0 && (!row || !eta || !valid))) return CRYO_STATS_ERROR_NULL_ARGUMENT;
  if (config->nbins > 0 && !histogram) return CRYO_STATS_ERROR_NULL_ARGUMENT;
  if (!(config->lo < config->hi) || config->nbins < 0 || (config->nbins > 0 && !(config->max > 0.0)) ||
      !(config->eta_scale > 0.0) || (energy && !(config->energy_scale > 0.0)))
    return CRYO_STATS_ERROR_CONFIG;
  if (n < 0 || nrows < 0) return CRYO_STATS_ERROR_ROW;
  for (int i = 0; i < n; ++i)
    if (row[i] >= nrows) return CRYO_STATS_ERROR_ROW;

  const int nhist = config->nbins > 0 ? config->nbins + 1 : 0;
  int overflow = 0, out_of_memory = 0;
  /* integer sums, per thread then added: the same for any number of threads and any order */
#pragma omp parallel num_threads(nthreads > 0 ? nthreads : 1) reduction(| : overflow, out_of_memory)
  {
    cryo_stats_sums *mine = calloc((size_t) nrows + 1, sizeof *mine);
    int64_t *my_histogram = calloc((size_t) nhist + 1, sizeof *my_histogram);
    if (!mine || !my_histogram) out_of_memory = 1;
#pragma omp for schedule(static)
    for (int i = 0; i < n; ++i) {
      if (row[i] < 0 || !mine || !my_histogram) continue;
      cryo_stats_sums *s = &mine[row[i]];
      s->atoms += 1;
      if (energy) {
        if (!cryo_fixed_add(&s->energy, energy[i], config->energy_scale)) overflow = 1;
        if (reference && !cryo_fixed_add(&s->change, energy[i] - reference[i], config->energy_scale))
          overflow = 1;
      }
      if (!valid[i]) continue;
      if (!cryo_fixed_add(&s->eta, eta[i], config->eta_scale)) overflow = 1;
      s->valid += 1;
      s->below += eta[i] <= config->lo;
      s->window += eta[i] > config->lo && eta[i] <= config->hi;
      s->above += eta[i] > config->hi;
      if (nhist) {
        const int k = cryo_stats_bin(config, eta[i]);
        if (k >= 0) my_histogram[k] += 1;
      }
    }
#pragma omp critical(cryo_stats_accumulate)
    if (mine && my_histogram) {
      for (int r = 0; r < nrows; ++r) cryo_stats_add(&sums[r], &mine[r]);
      for (int k = 0; k < nhist; ++k) histogram[k] += my_histogram[k];
    }
    free(mine);
    free(my_histogram);
  }
  if (out_of_memory) return CRYO_STATS_ERROR_MEMORY;
  return overflow ? CRYO_STATS_ERROR_OVERFLOW : CRYO_STATS_OK;
}

cryo_stats_status cryo_stats_value_sums(int n, const int *row, const double *x, const double *center,
                                        double scale, int nrows, int nthreads, int64_t *sums)
{
  if (!sums || (n > 0 && (!row || !x))) return CRYO_STATS_ERROR_NULL_ARGUMENT;
  if (!(scale > 0.0)) return CRYO_STATS_ERROR_CONFIG;
  if (n < 0 || nrows < 0) return CRYO_STATS_ERROR_ROW;
  for (int i = 0; i < n; ++i)
    if (row[i] >= nrows) return CRYO_STATS_ERROR_ROW;

  const size_t nsums = (size_t) nrows * CRYO_STATS_VALUE_SUMS;
  int overflow = 0, out_of_memory = 0;
  /* integer sums, per thread then added: the same for any number of threads and any order */
#pragma omp parallel num_threads(nthreads > 0 ? nthreads : 1) reduction(| : overflow, out_of_memory)
  {
    int64_t *mine = calloc(nsums + 1, sizeof *mine);
    if (!mine) out_of_memory = 1;
#pragma omp for schedule(static)
    for (int i = 0; i < n; ++i) {
      if (row[i] < 0 || !mine) continue;
      const double d = x[i] - (center ? center[row[i]] : 0.0);
      int64_t *s = &mine[(size_t) row[i] * CRYO_STATS_VALUE_SUMS];
      if (!cryo_fixed_add(&s[CRYO_STATS_VALUE_SUM], d, scale)) overflow = 1;
      if (!cryo_fixed_add(&s[CRYO_STATS_VALUE_SQUARES], d * d, scale)) overflow = 1;
    }
#pragma omp critical(cryo_stats_value_sums)
    if (mine)
      for (size_t k = 0; k < nsums; ++k) sums[k] += mine[k];
    free(mine);
  }
  if (out_of_memory) return CRYO_STATS_ERROR_MEMORY;
  return overflow ? CRYO_STATS_ERROR_OVERFLOW : CRYO_STATS_OK;
}

int cryo_stats_value_bin(double x, double lo, double hi, int nbins)
{
  if (x != x) return -1;
  if (x < lo) return nbins;
  if (x >= hi) return nbins + 1;
  return bin_inside(x, lo, hi, nbins);
}

cryo_stats_status cryo_stats_value_histogram(int n, const int *row, const double *x, double lo, double hi, int nbins,
                                             int nrows, int nthreads, int64_t *counts)
{
  if (!counts || (n > 0 && (!row || !x))) return CRYO_STATS_ERROR_NULL_ARGUMENT;
  if (nbins < 1 || !(lo < hi) || !isfinite(lo) || !isfinite(hi)) return CRYO_STATS_ERROR_CONFIG;
  if (n < 0 || nrows < 0) return CRYO_STATS_ERROR_ROW;
  for (int i = 0; i < n; ++i)
    if (row[i] >= nrows) return CRYO_STATS_ERROR_ROW;

  const size_t width = (size_t) nbins + CRYO_STATS_HISTOGRAM_EXTRA, ncounts = (size_t) nrows * width;
  int not_finite = 0, out_of_memory = 0;
  /* integer counts, per thread then added: the same for any number of threads and any order */
#pragma omp parallel num_threads(nthreads > 0 ? nthreads : 1) reduction(| : not_finite, out_of_memory)
  {
    int64_t *mine = calloc(ncounts + 1, sizeof *mine);
    if (!mine) out_of_memory = 1;
#pragma omp for schedule(static)
    for (int i = 0; i < n; ++i) {
      if (row[i] < 0 || !mine) continue;
      if (!isfinite(x[i])) {
        not_finite = 1;
        continue;
      }
      mine[(size_t) row[i] * width + (size_t) cryo_stats_value_bin(x[i], lo, hi, nbins)] += 1;
    }
#pragma omp critical(cryo_stats_value_histogram)
    if (mine)
      for (size_t k = 0; k < ncounts; ++k) counts[k] += mine[k];
    free(mine);
  }
  if (out_of_memory) return CRYO_STATS_ERROR_MEMORY;
  return not_finite ? CRYO_STATS_ERROR_OVERFLOW : CRYO_STATS_OK;
}
