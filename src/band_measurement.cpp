/* ----------------------------------------------------------------------
   CryoCycle: measuring the bands of compute sbzone/atom (see band_measurement.h).
------------------------------------------------------------------------- */

#include "band_measurement.h"

#include "atom.h"
#include "band_reductions.h"
#include "cryo_fixed.h"
#include "style_support.h"

#include <algorithm>
#include <cmath>
#include <utility>

using namespace LAMMPS_NS;

BandMeasurement::BandMeasurement(LAMMPS *lmp, std::string who_, const Definition &definition_) :
    Pointers(lmp), who(std::move(who_)), definition(definition_)
{
}

std::vector<int> BandMeasurement::select(const std::vector<int64_t> &cluster_ids,
                                         const std::vector<int64_t> &cluster_sizes)
{
  bands.clear();
  std::vector<int> band_of_cluster(cluster_ids.size(), -1);
  for (size_t c = 0; c < cluster_ids.size(); ++c) {
    if (cluster_sizes[c] < definition.minsize) continue;
    band_of_cluster[c] = (int) bands.size();
    Band band;
    band.id = cluster_ids[c];
    band.atoms = cluster_sizes[c];
    bands.push_back(band);
  }
  return band_of_cluster;
}

/* fractional coordinates of the owned atoms; the lowest and highest of the group's atoms on any
   processor, per direction */
void BandMeasurement::group_extent(const cryo_cell &cell, int groupbit)
{
  const int nlocal = atom->nlocal;
  double lo_here[3] = {1e300, 1e300, 1e300}, hi_here[3] = {-1e300, -1e300, -1e300};
  std::vector<double> &f = fractional;
  f.assign(3 * nlocal + 3, 0.0);
  for (int i = 0; i < nlocal; ++i) {
    check_status(lmp, Ranks::ONE, cryo_cell_fractional(&cell, atom->x[i], &f[3 * i]), who,
                 "fractional coordinates of atom {}", atom->tag[i]);
    if (!(atom->mask[i] & groupbit)) continue;
    for (int d = 0; d < 3; ++d) {
      lo_here[d] = std::min(lo_here[d], f[3 * i + d]);
      hi_here[d] = std::max(hi_here[d], f[3 * i + d]);
    }
  }
  MPI_Allreduce(lo_here, material_lowest, 3, MPI_DOUBLE, MPI_MIN, world);
  MPI_Allreduce(hi_here, material_highest, 3, MPI_DOUBLE, MPI_MAX, world);
}

/* ----------------------------------------------------------------------
   coverage, centre, principal axis and extent along it of every band
------------------------------------------------------------------------- */

void BandMeasurement::measure(const cryo_cell &cell, const double *eta, int groupbit)
{
  const int nlocal = atom->nlocal, nbands = (int) bands.size(), dimension = cell.dimension;
  fractional.assign(3 * nlocal + 3, 0.0);
  if (nbands == 0) return;    // the same on every processor: bands are global

  // fractional coordinates; extent of the material (the group) along each direction
  group_extent(cell, groupbit);
  const std::vector<double> &f = fractional;
  cryo_band_grid grid;
  check_status(lmp, Ranks::ALL,
               cryo_band_grid_make(&cell, material_lowest, material_highest, definition.link, &grid), who,
               "coverage grid");

  // pass 1: coverage, centres, mean strain. Fixed-point scales that no sum can overflow: the
  // position terms are at most 1, the strains get the scale their largest magnitude allows.
  double largest_eta = 0.0;
  for (int i = 0; i < nlocal; ++i)
    if (band_of_atom[i] >= 0) largest_eta = std::max(largest_eta, std::fabs(eta[i]));
  // the position terms need no reduction: their bound, 1, is the same on every processor
  const double unit_scale = cryo_fixed_scale(1.0, (double) atom->natoms);
  const BandReductions reduce(lmp, who, cell, nbands, nlocal, f.data());
  const double eta_scale = reduce.fixed_scale(largest_eta);
  const int nwords = grid.word_offset[3];
  std::vector<uint64_t> bits((size_t) nbands * nwords + 1, 0), all_bits(bits.size());
  std::vector<int64_t> sums((size_t) nbands * CRYO_BAND_SUMS + 1, 0), all_sums(sums.size());
  check_status(lmp, Ranks::ONE,
               cryo_band_accumulate(&grid, nlocal, f.data(), band_of_atom.data(), eta, unit_scale, eta_scale,
                                    nbands, bits.data(), sums.data()),
               who, "band coverage and position sums");
  MPI_Allreduce(bits.data(), all_bits.data(), (int) bits.size(), MPI_UINT64_T, MPI_BOR, world);
  MPI_Allreduce(sums.data(), all_sums.data(), (int) sums.size(), MPI_INT64_T, MPI_SUM, world);

  // spanning: the band covers the required directions (automatic: the non-periodic ones; all
  // periodic: any dimension-1 of them)
  int required[3] = {0, 0, 0}, required_count = 0;
  const int *span_dims = definition.span_dims;
  const bool automatic = !span_dims[0] && !span_dims[1] && !span_dims[2];
  for (int d = 0; d < dimension; ++d) {
    required[d] = automatic ? !cell.periodic[d] : span_dims[d];
    required_count += required[d];
  }
  const bool automatic_all_periodic = automatic && required_count == 0;
  centers.assign(3 * nbands, 0.0);
  coverage.assign(3 * nbands, 0.0);
  for (int bi = 0; bi < nbands; ++bi) {
    Band &band = bands[bi];
    cryo_band_summarize(&grid, &all_bits[(size_t) bi * nwords], &all_sums[(size_t) bi * CRYO_BAND_SUMS],
                        band.atoms, unit_scale, eta_scale, band.frame.coverage, band.frame.center,
                        &band.mean_eta);
    int covered = 0, spans = 1;
    for (int d = 0; d < dimension; ++d) {
      band.extent[d] = band.frame.coverage[d] * grid.length[d];
      const bool full = band.frame.coverage[d] >= definition.span_fraction;
      covered += full;
      if (required[d] && !full) spans = 0;
    }
    band.spanning = automatic_all_periodic ? covered >= dimension - 1 : spans;
    band.frame.limited = !band.spanning;
    std::copy(band.frame.center, band.frame.center + 3, &centers[3 * bi]);
    std::copy(band.frame.coverage, band.frame.coverage + 3, &coverage[3 * bi]);
  }

  // pass 2: offsets from the centres (without the directions a band fills: where an atom sits
  // across the thickness a band fills says nothing about where the band ends, and in a tilted box
  // the periodic image chosen along such a vector would shift the atom along the others),
  // second moments -> principal axis, positions along it -> the ends
  const std::vector<double> offsets = reduce.offsets(band_of_atom.data(), centers.data(), coverage.data(),
                                                     definition.span_fraction, "band atoms");
  const std::vector<double> covariances = reduce.covariances(band_of_atom.data(), offsets, "band atoms");
  axes.assign(3 * nbands, 0.0);
  const int use[3] = {1, 1, dimension == 3};
  for (int bi = 0; bi < nbands; ++bi) {
    check_status(lmp, Ranks::ALL, cryo_band_principal_axis(&covariances[6 * bi], use, bands[bi].frame.axis), who,
                 "principal axis of band {}", bands[bi].id);
    std::copy(bands[bi].frame.axis, bands[bi].frame.axis + 3, &axes[3 * bi]);
  }
  std::vector<double> s_min, s_max;
  reduce.ends(band_of_atom.data(), offsets, axes.data(), projection, s_min, s_max, "band axes");
  for (int bi = 0; bi < nbands; ++bi) {
    bands[bi].frame.s_min = s_min[bi];
    bands[bi].frame.s_max = s_max[bi];
  }
}

/* ----------------------------------------------------------------------
   shear offset of every band: the jump of the mean displacement across its plane (normal: the
   direction of least spread of its atoms), from the matrix atoms within `distance` of the plane
   and between the band's ends
------------------------------------------------------------------------- */

void BandMeasurement::measure_offsets(const cryo_cell &cell, const std::vector<int> &matrix,
                                      const std::vector<double> &u, double distance, const std::vector<char> &wanted,
                                      const std::string &source)
{
  const int nlocal = atom->nlocal, nbands = (int) bands.size();
  std::vector<int> chosen;    // the bands measured, in band order
  for (int bi = 0; bi < nbands; ++bi)
    if (wanted[bi]) chosen.push_back(bi);
  if (chosen.empty()) return;
  const int nchosen = (int) chosen.size();
  const double never_filled = 2.0;    // coverage <= 1: no direction is dropped

  // the plane of each band: the covariance of all offsets of its atoms from its centre
  const BandReductions::Members members = BandReductions::members(nlocal, fractional.data(), band_of_atom.data());
  const BandReductions of_members(lmp, who, cell, nbands, members.count(), members.f.data());
  const std::vector<double> covariances = of_members.covariances(
      members.band.data(),
      of_members.offsets(members.band.data(), centers.data(), coverage.data(), never_filled, "band planes"),
      "band planes");
  const int use[3] = {1, 1, cell.dimension == 3};
  std::vector<cryo_band_frame> frames(nchosen);
  for (int c = 0; c < nchosen; ++c) {
    const int bi = chosen[c];
    check_status(lmp, Ranks::ALL, cryo_band_plane_normal(&covariances[6 * bi], use, bands[bi].frame.normal), who,
                 "plane of band {}", bands[bi].id);
    frames[c] = bands[bi].frame;
  }

  // the matrix atoms within `distance` of each band's plane, between its ends (a spanning band
  // has none), on either side of the plane
  double largest_u = 0.0;
  for (int i = 0; i < nlocal; ++i)
    if (matrix[i])
      for (int d = 0; d < 3; ++d) largest_u = std::max(largest_u, std::fabs(u[3 * i + d]));
  const BandReductions reduce(lmp, who, cell, nbands, nlocal, fractional.data());
  const double u_scale = reduce.fixed_scale(largest_u);
  std::vector<int64_t> sides((size_t) nchosen * CRYO_BAND_SIDE_SUMS + 1, 0), all_sides(sides.size());
  check_status(lmp, Ranks::ONE,
               cryo_band_plane_sums(&cell, nlocal, fractional.data(), matrix.data(), u.data(), nchosen, frames.data(),
                                    definition.span_fraction, distance, u_scale, sides.data()),
               who, "displacements on the two sides of the bands (from {})", source);
  MPI_Allreduce(sides.data(), all_sides.data(), (int) sides.size(), MPI_INT64_T, MPI_SUM, world);
  for (int c = 0; c < nchosen; ++c) {
    Band &band = bands[chosen[c]];
    band.offset_measured = cryo_band_shear_offset(&all_sides[(size_t) c * CRYO_BAND_SIDE_SUMS], u_scale,
                                                  band.frame.normal, &band.offset) != 0;
  }
}
