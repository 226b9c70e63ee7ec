// Unit tests of the band geometry kernel, with expected values worked out by hand.
#include "cryo_band.h"
#include "cryo_fixed.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace {

// A band of 4 atoms in a 20 x 10 x 10 cell, free along x, periodic along y and z, wrapping
// around y: fractional x 0.1 .. 0.7, y alternately 0.95 and 0.05 (across the boundary), z 0.5.
struct FourAtoms {
  cryo_cell cell{};
  double f[12] = {0.1, 0.95, 0.5, 0.3, 0.05, 0.5, 0.5, 0.95, 0.5, 0.7, 0.05, 0.5};
  int band[4] = {0, 0, 0, 0};
  double eta[4] = {1.0, 2.0, 3.0, 4.0};
  cryo_band_grid grid{};
  FourAtoms()
  {
    cell.h[0][0] = 20.0;
    cell.h[1][1] = 10.0;
    cell.h[2][2] = 10.0;
    cell.periodic[1] = cell.periodic[2] = 1;
    cell.dimension = 3;
    const double lo[3] = {0.0, 0.0, 0.0}, hi[3] = {1.0, 1.0, 1.0};
    EXPECT_EQ(cryo_band_grid_make(&cell, lo, hi, 2.0, &grid), CRYO_BAND_OK);
  }
};

TEST(Band, GridHasBinsOfAboutTheLinkDistance)
{
  FourAtoms a;
  // x: 20 A of material in bins of 2 A; y, z: the periodic 10 A in 5
  EXPECT_EQ(a.grid.bins[0], 10);
  EXPECT_EQ(a.grid.bins[1], 5);
  EXPECT_EQ(a.grid.bins[2], 5);
  EXPECT_DOUBLE_EQ(a.grid.length[0], 20.0);
  EXPECT_EQ(cryo_band_grid_bin(&a.grid, 0, 0.0), 0);    // the lowest atom is inside bin 0
  EXPECT_EQ(cryo_band_grid_bin(&a.grid, 0, 1.0), 9);
  EXPECT_EQ(cryo_band_grid_bin(&a.grid, 1, 1.25), 1);   // periodic: wrapped
  EXPECT_EQ(cryo_band_grid_bin(&a.grid, 1, NAN), 0);
  const double lo[3] = {0, 0, 0}, hi[3] = {1, 1, 1};
  cryo_band_grid g;
  ASSERT_EQ(cryo_band_grid_make(&a.cell, lo, hi, 1e-300, &g), CRYO_BAND_OK);
  EXPECT_EQ(g.bins[0], CRYO_BAND_MAX_BINS);
  ASSERT_EQ(cryo_band_grid_make(&a.cell, lo, hi, 1e300, &g), CRYO_BAND_OK);
  EXPECT_EQ(g.bins[0], 1);
  ASSERT_EQ(cryo_band_grid_make(&a.cell, lo, hi, NAN, &g), CRYO_BAND_OK);
  EXPECT_EQ(g.bins[0], 1);
  cryo_cell flat = a.cell;
  flat.h[2][2] = 0.0;
  EXPECT_EQ(cryo_band_grid_make(&flat, lo, hi, 2.0, &g), CRYO_BAND_ERROR_CELL);
}

TEST(Band, MeasuringFourAtomsByHand)
{
  FourAtoms a;
  const double unit = 1099511627776.0, eta_scale = 1048576.0;    // 2^40, 2^20
  std::vector<uint64_t> bits(a.grid.word_offset[3], 0);
  std::vector<int64_t> sums(CRYO_BAND_SUMS, 0);
  ASSERT_EQ(cryo_band_accumulate(&a.grid, 4, a.f, a.band, a.eta, unit, eta_scale, 1, bits.data(), sums.data()),
            CRYO_BAND_OK);
  double coverage[3], center[3], mean_eta;
  cryo_band_summarize(&a.grid, bits.data(), sums.data(), 4, unit, eta_scale, coverage, center, &mean_eta);
  EXPECT_DOUBLE_EQ(coverage[0], 0.4);    // x bins 1, 3, 5, 7 of 10
  EXPECT_DOUBLE_EQ(coverage[1], 0.4);    // y bins 4 and 0 of 5
  EXPECT_DOUBLE_EQ(coverage[2], 0.2);    // z bin 2 of 5
  EXPECT_NEAR(center[0], 0.4, 1e-12);    // mean along the free direction
  EXPECT_NEAR(std::remainder(center[1], 1.0), 0.0, 1e-12);    // across the boundary
  EXPECT_NEAR(center[2], 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(mean_eta, 2.5);

  // offsets from the centre by the minimum image: x -6 -2 2 6, y -0.5 0.5 -0.5 0.5 (A)
  double centers[3] = {center[0], center[1], center[2]}, offsets[12], largest = -1;
  ASSERT_EQ(cryo_band_offsets(&a.cell, 4, a.f, a.band, centers, coverage, 0.9, 1, offsets, &largest),
            CRYO_BAND_OK);
  const double expected[4][3] = {{-6, -0.5, 0}, {-2, 0.5, 0}, {2, -0.5, 0}, {6, 0.5, 0}};
  for (int i = 0; i < 4; ++i)
    for (int d = 0; d < 3; ++d) EXPECT_NEAR(offsets[3 * i + d], expected[i][d], 1e-9) << i << " " << d;
  EXPECT_NEAR(largest, 36.25, 1e-9);
  // moments: xx 80, xy 3 - 1 - 1 + 3 = 4, yy 1
  int64_t moments[6] = {0};
  const double scale = 1024.0;
  ASSERT_EQ(cryo_band_moments(4, offsets, a.band, scale, 1, moments), CRYO_BAND_OK);
  const double expected_moments[6] = {80, 4, 0, 1, 0, 0};
  for (int k = 0; k < 6; ++k) EXPECT_NEAR(moments[k] / scale, expected_moments[k], 4 / scale) << k;
  // the axis of [[80, 4], [4, 1]]: (4, lambda - 80), lambda = (81 + sqrt(79^2 + 64)) / 2
  const double lambda = 0.5 * (81 + std::sqrt(79.0 * 79.0 + 64.0)), norm = std::hypot(4.0, lambda - 80);
  const double axis[3] = {4 / norm, (lambda - 80) / norm, 0};
  double projection[4], s_min = INFINITY, s_max = -INFINITY;
  ASSERT_EQ(cryo_band_project(4, offsets, a.band, axis, 1, projection, &s_min, &s_max), CRYO_BAND_OK);
  EXPECT_NEAR(s_min, -6 * axis[0] - 0.5 * axis[1], 1e-9);
  EXPECT_NEAR(s_max, 6 * axis[0] + 0.5 * axis[1], 1e-9);
  EXPECT_NEAR(projection[1], -2 * axis[0] + 0.5 * axis[1], 1e-9);

  // directions the band fills count as the centre: with filled = 0.4, x and y are dropped
  ASSERT_EQ(cryo_band_offsets(&a.cell, 4, a.f, a.band, centers, coverage, 0.4, 1, offsets, &largest),
            CRYO_BAND_OK);
  EXPECT_EQ(largest, 0.0);
}

TEST(Band, MeasuringRefusesBadInput)
{
  FourAtoms a;
  std::vector<uint64_t> bits(2 * a.grid.word_offset[3], 0);
  std::vector<int64_t> sums(2 * CRYO_BAND_SUMS, 0);
  int beyond[4] = {0, 2, 0, 0};    // band 2 of 2
  EXPECT_EQ(cryo_band_accumulate(&a.grid, 4, a.f, beyond, a.eta, 1.0, 1.0, 2, bits.data(), sums.data()),
            CRYO_BAND_ERROR_INDEX);
  double nan_eta[4] = {1.0, NAN, 1.0, 1.0};
  EXPECT_EQ(cryo_band_accumulate(&a.grid, 4, a.f, a.band, nan_eta, 1.0, 1.0, 2, bits.data(), sums.data()),
            CRYO_BAND_ERROR_OVERFLOW);
  EXPECT_EQ(cryo_band_accumulate(&a.grid, 4, nullptr, a.band, a.eta, 1.0, 1.0, 2, bits.data(), sums.data()),
            CRYO_BAND_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(cryo_band_accumulate(&a.grid, -1, a.f, a.band, a.eta, 1.0, 1.0, 2, bits.data(), sums.data()),
            CRYO_BAND_ERROR_INDEX);
  double offsets[12] = {1e200, 0, 0, 1e200, 0, 0, 0, 0, 0, 0, 0, 0};
  int64_t moments[12] = {0};
  EXPECT_EQ(cryo_band_moments(2, offsets, a.band, 1.0, 2, moments), CRYO_BAND_ERROR_OVERFLOW);
  EXPECT_EQ(cryo_band_moments(4, offsets, beyond, 1.0, 2, moments), CRYO_BAND_ERROR_INDEX);
  // no atoms and no bands: nothing to do, no arrays needed
  EXPECT_EQ(cryo_band_accumulate(&a.grid, 0, nullptr, nullptr, nullptr, 1.0, 1.0, 0, nullptr, nullptr),
            CRYO_BAND_OK);
}

TEST(Band, CircularCenterOfAClusterAcrossTheBoundary)
{
  auto center = [](std::initializer_list<double> fs) {
    double c = 0, s = 0;
    for (double f : fs) {
      c += std::cos(2 * M_PI * f);
      s += std::sin(2 * M_PI * f);
    }
    return cryo_band_circular_center(c, s);
  };
  EXPECT_NEAR(center({0.2, 0.3}), 0.25, 1e-12);
  const double across = center({0.95, 0.05});
  EXPECT_TRUE(across < 1e-12 || across > 1 - 1e-12);
  EXPECT_NEAR(center({0.9, 0.95, 0.0, 0.05, 0.1}), 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(center({0.0, 0.25, 0.5, 0.75}), 0.5);    // evenly spread: no centre
}

TEST(Band, PrincipalAxisOfPointsAlongALine)
{
  // points along (1, 2, 0)/sqrt(5) with small noise: covariance dominated by that direction
  std::mt19937 rng(1);
  std::normal_distribution<double> along(0.0, 10.0), noise(0.0, 0.5);
  double cov[6] = {0};
  for (int k = 0; k < 2000; ++k) {
    const double t = along(rng);
    const double p[3] = {t / std::sqrt(5.0) + noise(rng), 2 * t / std::sqrt(5.0) + noise(rng), noise(rng)};
    cov[0] += p[0] * p[0];
    cov[1] += p[0] * p[1];
    cov[2] += p[0] * p[2];
    cov[3] += p[1] * p[1];
    cov[4] += p[1] * p[2];
    cov[5] += p[2] * p[2];
  }
  const int all[3] = {1, 1, 1};
  double axis[3];
  ASSERT_EQ(cryo_band_principal_axis(cov, all, axis), CRYO_BAND_OK);
  EXPECT_NEAR(axis[0], 1 / std::sqrt(5.0), 0.01);
  EXPECT_NEAR(axis[1], 2 / std::sqrt(5.0), 0.01);    // positive: the largest component
  EXPECT_NEAR(axis[2], 0.0, 0.01);
  EXPECT_NEAR(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2], 1.0, 1e-12);
}

TEST(Band, PrincipalAxisIgnoresDirectionsNotUsed)
{
  // largest spread along y (a band filling a periodic thickness), then x: with y excluded -> x
  const double cov[6] = {40.0, 0.0, 3.0, 100.0, 0.0, 5.0};
  const int skip_y[3] = {1, 0, 1}, none[3] = {0, 0, 0};
  double axis[3];
  ASSERT_EQ(cryo_band_principal_axis(cov, skip_y, axis), CRYO_BAND_OK);
  EXPECT_EQ(axis[1], 0.0);
  // eigenvector of [[40, 3], [3, 5]] with the larger eigenvalue
  const double lambda = 22.5 + std::sqrt(17.5 * 17.5 + 9.0);
  const double ex = 3.0, ez = lambda - 40.0, norm = std::hypot(ex, ez);
  EXPECT_NEAR(axis[0], ex / norm, 1e-12);
  EXPECT_NEAR(axis[2], ez / norm, 1e-12);
  ASSERT_EQ(cryo_band_principal_axis(cov, none, axis), CRYO_BAND_OK);
  EXPECT_EQ(axis[0], 0.0);
  EXPECT_EQ(axis[1], 0.0);
  EXPECT_EQ(axis[2], 0.0);
  const int all[3] = {1, 1, 1};
  const double diagonal[6] = {1.0, 0.0, 0.0, 7.0, 0.0, 2.0};
  ASSERT_EQ(cryo_band_principal_axis(diagonal, all, axis), CRYO_BAND_OK);
  EXPECT_EQ(axis[1], 1.0);
}

TEST(Band, FrontsAtFreeEnds)
{
  // band from s = 0 to 10, front length 2.5
  EXPECT_EQ(cryo_band_in_front(1.0, 0, 10, 1, 0, 2.5), 1);    // free low end
  EXPECT_EQ(cryo_band_in_front(9.0, 0, 10, 1, 0, 2.5), 0);    // attached high end: tail
  EXPECT_EQ(cryo_band_in_front(9.0, 0, 10, 0, 1, 2.5), 1);
  EXPECT_EQ(cryo_band_in_front(5.0, 0, 10, 1, 1, 2.5), 0);    // middle of a band with two fronts
  EXPECT_EQ(cryo_band_in_front(2.5, 0, 10, 1, 1, 2.5), 1);    // boundary belongs to the front
  EXPECT_EQ(cryo_band_in_front(1.0, 0, 10, 0, 0, 2.5), 0);    // both ends attached: all tail
  for (int s = CRYO_BAND_OK; s <= CRYO_BAND_ERROR_OVERFLOW; ++s)
    EXPECT_STRNE(cryo_band_status_message((cryo_band_status) s), "unknown status");
}

}    // namespace

TEST(Band, PlaneNormalIsTheDirectionOfLeastSpread)
{
  // points of a plane tilted 30 degrees about y, spread 10 along it, 6 along y, 1 across it
  const double c = std::cos(M_PI / 6), s = std::sin(M_PI / 6);
  const double along[3] = {c, 0, s}, across[3] = {-s, 0, c};
  double cov[6] = {0};
  const int index[3][3] = {{0, 1, 2}, {1, 3, 4}, {2, 4, 5}};
  for (int a = 0; a < 3; ++a)
    for (int b = a; b < 3; ++b)
      cov[index[a][b]] = 100.0 * along[a] * along[b] + 36.0 * (a == 1) * (b == 1) + across[a] * across[b];
  const int all[3] = {1, 1, 1};
  double normal[3];
  ASSERT_EQ(cryo_band_plane_normal(cov, all, normal), CRYO_BAND_OK);
  // +-(-s, 0, c); the largest component (c) positive
  EXPECT_NEAR(normal[0], -s, 1e-12);
  EXPECT_NEAR(normal[1], 0.0, 1e-12);
  EXPECT_NEAR(normal[2], c, 1e-12);
  // in 2d (z unused) the normal lies in the xy plane, perpendicular to the spread along x
  const double flat[6] = {25.0, 0.0, 0.0, 4.0, 0.0, 0.0};
  const int xy[3] = {1, 1, 0};
  ASSERT_EQ(cryo_band_plane_normal(flat, xy, normal), CRYO_BAND_OK);
  EXPECT_EQ(normal[0], 0.0);
  EXPECT_EQ(normal[1], 1.0);
  EXPECT_EQ(normal[2], 0.0);
  // no spread: no plane
  const double zero[6] = {0};
  ASSERT_EQ(cryo_band_plane_normal(zero, all, normal), CRYO_BAND_OK);
  EXPECT_EQ(normal[0] * normal[0] + normal[1] * normal[1] + normal[2] * normal[2], 0.0);
}

TEST(Band, ShearOffsetIsTheTangentialJumpOfTheMeanDisplacement)
{
  // a periodic 10 A cube; band 0 centred at the middle, normal z, axis x, ends at s = -2 and 2.
  // Counted (within 3 A of the plane, between the ends): two atoms above (+) moved by (1, 0, 0.2)
  // and (1.2, 0.4, 0.2), two below moved by (0, 0, 0) and (0.2, 0, 0). Ignored: an atom on the
  // plane, one 4 A above it, one beyond the end (s = 3; counted when the band is not limited),
  // one that is not a matrix atom. Jump of the means: (1.1, 0.2, 0.2) - (0.1, 0, 0) = (1, 0.2, 0.2),
  // tangential (1, 0.2, 0).
  cryo_cell cell = {{{10, 0, 0}, {0, 10, 0}, {0, 0, 10}}, {0, 0, 0}, {1, 1, 1}, 3};
  const double f[] = {0.5, 0.5, 0.7, 0.6, 0.5, 0.75, 0.5, 0.5, 0.3, 0.4, 0.6, 0.4,
                      0.5, 0.5, 0.5, 0.5, 0.5, 0.9, 0.8, 0.5, 0.6, 0.5, 0.5, 0.6};
  const int matrix[] = {1, 1, 1, 1, 1, 1, 1, 0};
  const double u[] = {1, 0, 0.2, 1.2, 0.4, 0.2, 0, 0, 0, 0.2, 0, 0, 7, 7, 7, 9, 9, 9, 5, 5, 5, 8, 8, 8};
  const cryo_band_frame limited = {{0.5, 0.5, 0.5}, {0, 0, 0}, {1, 0, 0}, -2.0, 2.0, {0, 0, 1}, 1};
  cryo_band_frame unlimited = limited;
  unlimited.limited = 0;
  const double *normal = limited.normal;
  const double scale = cryo_fixed_scale(10.0, 8);
  int64_t sums[CRYO_BAND_SIDE_SUMS] = {0};
  ASSERT_EQ(cryo_band_plane_sums(&cell, 8, f, matrix, u, 1, &limited, 0.9, 3.0, scale, sums),
            CRYO_BAND_OK);
  EXPECT_EQ(sums[CRYO_BAND_SIDE_PLUS], 2);
  EXPECT_EQ(sums[CRYO_BAND_SIDE_MINUS], 2);
  double offset = -1.0;
  EXPECT_EQ(cryo_band_shear_offset(sums, scale, normal, &offset), 1);
  EXPECT_NEAR(offset, std::sqrt(1.0 + 0.04), 1e-12);
  // not limited along the axis (a spanning band): the atom at s = 3 counts on the + side, whose
  // mean becomes (2.4, 1.8, 1.8): tangential jump (2.3, 1.8)
  int64_t all[CRYO_BAND_SIDE_SUMS] = {0};
  ASSERT_EQ(cryo_band_plane_sums(&cell, 8, f, matrix, u, 1, &unlimited, 0.9, 3.0, scale, all),
            CRYO_BAND_OK);
  EXPECT_EQ(all[CRYO_BAND_SIDE_PLUS], 3);
  EXPECT_EQ(cryo_band_shear_offset(all, scale, normal, &offset), 1);
  EXPECT_NEAR(offset, std::sqrt(2.3 * 2.3 + 1.8 * 1.8), 1e-12);
  // one side empty: no offset
  int64_t half[CRYO_BAND_SIDE_SUMS] = {0};
  const int only_first[] = {1, 0, 0, 0, 0, 0, 0, 0};
  ASSERT_EQ(cryo_band_plane_sums(&cell, 8, f, only_first, u, 1, &limited, 0.9, 3.0, scale, half),
            CRYO_BAND_OK);
  EXPECT_EQ(cryo_band_shear_offset(half, scale, normal, &offset), 0);
  EXPECT_EQ(offset, 0.0);
  // a displacement the scale cannot hold is reported
  const double huge[] = {1e300, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(cryo_band_plane_sums(&cell, 8, f, matrix, huge, 1, &limited, 0.9, 3.0, scale, half),
            CRYO_BAND_ERROR_OVERFLOW);
  EXPECT_EQ(cryo_band_plane_sums(&cell, 8, f, matrix, u, 1, nullptr, 0.9, 3.0, scale, half),
            CRYO_BAND_ERROR_NULL_ARGUMENT);
}
