/* CryoCycle: see band_reductions.h. */

#include "band_reductions.h"

#include "atom.h"
#include "cryo_band.h"
#include "cryo_fixed.h"
#include "style_support.h"

#include <cmath>
#include <cstdint>

using namespace LAMMPS_NS;

BandReductions::BandReductions(LAMMPS *lmp, const std::string &style, const cryo_cell &box, int count, int n,
                               const double *fractional) :
    Pointers(lmp), who(style), cell(box), nbands(count), npoints(n), f(fractional)
{
}

BandReductions::Members BandReductions::members(int nlocal, const double *f, const int *band)
{
  Members selected;
  for (int i = 0; i < nlocal; ++i)
    if (band[i] >= 0) {
      selected.f.insert(selected.f.end(), f + 3 * i, f + 3 * i + 3);
      selected.band.push_back(band[i]);
    }
  selected.f.resize(3 * selected.band.size() + 3);    // never empty: data() is not NULL
  return selected;
}

double BandReductions::fixed_scale(double largest_here) const
{
  double largest = 0.0;
  MPI_Allreduce(&largest_here, &largest, 1, MPI_DOUBLE, MPI_MAX, world);
  const double scale = cryo_fixed_scale(largest, (double) atom->natoms);
  if (!(scale > 0.0)) error->all(FLERR, "{}: no fixed-point scale for sums of values up to {}", who, largest);
  return scale;
}

std::vector<double> BandReductions::offsets(const int *band, const double *centers, const double *coverage,
                                            double filled, const char *what) const
{
  std::vector<double> result(3 * npoints + 3);
  double largest_square = 0.0;
  check_status(lmp, Ranks::ONE,
               cryo_band_offsets(&cell, npoints, f, band, centers, coverage, filled, nbands, result.data(),
                                 &largest_square),
               who, "offsets from the centres ({})", what);
  return result;
}

std::vector<double> BandReductions::covariances(const int *band, const std::vector<double> &offsets,
                                                const char *what) const
{
  double largest_square = 0.0;    // |r_a r_b| <= |r|^2
  for (int i = 0; i < npoints; ++i)
    if (band[i] >= 0) {
      const double *r = &offsets[3 * i];
      largest_square = std::fmax(largest_square, r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
    }
  const double scale = fixed_scale(largest_square);
  std::vector<int64_t> moments((size_t) nbands * 6 + 1, 0), all_moments(moments.size());
  check_status(lmp, Ranks::ONE, cryo_band_moments(npoints, offsets.data(), band, scale, nbands, moments.data()),
               who, "second moments ({})", what);
  MPI_Allreduce(moments.data(), all_moments.data(), (int) moments.size(), MPI_INT64_T, MPI_SUM, world);
  std::vector<double> result(6 * (size_t) nbands);
  for (size_t k = 0; k < result.size(); ++k) result[k] = all_moments[k] / scale;
  return result;
}

void BandReductions::ends(const int *band, const std::vector<double> &offsets, const double *axes,
                          std::vector<double> &projection, std::vector<double> &low, std::vector<double> &high,
                          const char *what) const
{
  projection.assign(npoints + 1, 0.0);
  std::vector<double> s_min(nbands + 1, 1e300), s_max(nbands + 1, -1e300);
  check_status(lmp, Ranks::ONE,
               cryo_band_project(npoints, offsets.data(), band, axes, nbands, projection.data(), s_min.data(),
                                 s_max.data()),
               who, "positions along the axes ({})", what);
  low.assign(s_min.size(), 0.0);
  high.assign(s_max.size(), 0.0);
  MPI_Allreduce(s_min.data(), low.data(), (int) s_min.size(), MPI_DOUBLE, MPI_MIN, world);
  MPI_Allreduce(s_max.data(), high.data(), (int) s_max.size(), MPI_DOUBLE, MPI_MAX, world);
}
