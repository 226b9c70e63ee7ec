// Unit tests of the band geometry kernel, with expected values worked out by hand.
#include "cryo_band.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace {

cryo_band_box orthogonal_box(double lx, double ly, double lz, int px, int py, int pz)
{
  cryo_band_box box{};
  box.cell[0][0] = lx;
  box.cell[1][1] = ly;
  box.cell[2][2] = lz;
  box.origin[0] = -1.0;
  box.origin[1] = 2.0;
  box.origin[2] = 0.5;
  box.periodic[0] = px;
  box.periodic[1] = py;
  box.periodic[2] = pz;
  box.dimension = 3;
  return box;
}

TEST(Band, FractionalCoordinates)
{
  cryo_band_box box = orthogonal_box(10, 20, 40, 1, 1, 1);
  box.cell[0][1] = 5.0;    // tilt xy: b = (5, 20, 0)
  const double x[3] = {-1.0 + 5.0 * 0.5 + 10 * 0.3, 2.0 + 20 * 0.5, 0.5 + 40 * 0.25};
  double f[3];
  ASSERT_EQ(cryo_band_fractional(&box, x, f), CRYO_BAND_OK);
  EXPECT_NEAR(f[0], 0.3, 1e-14);
  EXPECT_NEAR(f[1], 0.5, 1e-14);
  EXPECT_NEAR(f[2], 0.25, 1e-14);
  box.cell[2][2] = 0.0;
  EXPECT_EQ(cryo_band_fractional(&box, x, f), CRYO_BAND_ERROR_CELL);
}

TEST(Band, OffsetTakesTheNearestImageAlongPeriodicDirectionsOnly)
{
  const cryo_band_box box = orthogonal_box(10, 20, 40, 1, 0, 1);
  const double center[3] = {0.95, 0.9, 0.95}, f[3] = {0.05, 0.1, 0.4};
  double r[3];
  ASSERT_EQ(cryo_band_offset(&box, f, center, r), CRYO_BAND_OK);
  EXPECT_NEAR(r[0], 1.0, 1e-12);      // 0.1 box across the boundary
  EXPECT_NEAR(r[1], -16.0, 1e-12);    // not periodic: -0.8 box
  EXPECT_NEAR(r[2], 18.0, 1e-12);     // -0.55 box: the nearest image is +0.45 box
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
  for (int s = CRYO_BAND_OK; s <= CRYO_BAND_ERROR_CELL; ++s)
    EXPECT_STRNE(cryo_band_status_message((cryo_band_status) s), "unknown status");
}

}    // namespace
