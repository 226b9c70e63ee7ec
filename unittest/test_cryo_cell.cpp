// Unit tests of the shared geometry kernel (cryo_cell), with expected values worked out by hand.
#include "cryo_cell.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace {

cryo_cell orthogonal_cell(double lx, double ly, double lz, int px, int py, int pz)
{
  cryo_cell cell{};
  cell.h[0][0] = lx;
  cell.h[1][1] = ly;
  cell.h[2][2] = lz;
  cell.origin[0] = -1.0;
  cell.origin[1] = 2.0;
  cell.origin[2] = 0.5;
  cell.periodic[0] = px;
  cell.periodic[1] = py;
  cell.periodic[2] = pz;
  cell.dimension = 3;
  return cell;
}

TEST(Cell, NearestIntegerRoundsHalvesUp)
{
  // the one convention: n = floor(s + 1/2), so that s - n lies in [-1/2, 1/2)
  const double cases[][2] = {{0.0, 0.0},   {0.49, 0.0},  {0.5, 1.0},    {0.51, 1.0},   {-0.49, 0.0},
                             {-0.5, 0.0},  {-0.51, -1.0}, {2.5, 3.0},   {-2.5, -2.0},  {-3.7, -4.0},
                             {1e15 + 0.5, 1e15 + 1.0}, {-7.0, -7.0}};
  for (const auto &c : cases) EXPECT_EQ(cryo_cell_nearest_integer(c[0]), c[1]) << "s = " << c[0];
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> any(-1e6, 1e6);
  for (int k = 0; k < 10000; ++k) {
    const double s = any(rng);
    EXPECT_EQ(cryo_cell_nearest_integer(s), std::floor(s + 0.5)) << "s = " << s;
  }
}

TEST(Cell, InverseAndSolve)
{
  const double m[3][3] = {{2, 1, 0}, {0, 3, 1}, {1, 0, 4}};
  EXPECT_DOUBLE_EQ(cryo_mat3_det(m), 2 * 12 - 1 * (0 - 1) + 0);    // 25
  double inv[3][3], product[3][3];
  cryo_mat3_inverse(m, cryo_mat3_det(m), inv);
  cryo_mat3_multiply(m, inv, product);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(product[r][c], r == c ? 1.0 : 0.0, 1e-15);
  // m x = v for x = (1, -2, 3): v = (0, -3, 13)
  const double v[3] = {0, -3, 13};
  double x[3];
  ASSERT_EQ(cryo_mat3_solve(m, v, x), CRYO_CELL_OK);
  EXPECT_NEAR(x[0], 1.0, 1e-14);
  EXPECT_NEAR(x[1], -2.0, 1e-14);
  EXPECT_NEAR(x[2], 3.0, 1e-14);
  const double singular[3][3] = {{1, 2, 3}, {2, 4, 6}, {0, 0, 1}};
  EXPECT_EQ(cryo_mat3_solve(singular, v, x), CRYO_CELL_ERROR_SINGULAR);
  double with_nan[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
  EXPECT_EQ(cryo_mat3_finite(with_nan), 1);
  with_nan[1][2] = NAN;
  EXPECT_EQ(cryo_mat3_finite(with_nan), 0);
}

TEST(Cell, FractionalCoordinates)
{
  cryo_cell cell = orthogonal_cell(10, 20, 40, 1, 1, 1);
  cell.h[0][1] = 5.0;    // tilt xy: b = (5, 20, 0)
  const double x[3] = {-1.0 + 5.0 * 0.5 + 10 * 0.3, 2.0 + 20 * 0.5, 0.5 + 40 * 0.25};
  double f[3];
  ASSERT_EQ(cryo_cell_fractional(&cell, x, f), CRYO_CELL_OK);
  EXPECT_NEAR(f[0], 0.3, 1e-14);
  EXPECT_NEAR(f[1], 0.5, 1e-14);
  EXPECT_NEAR(f[2], 0.25, 1e-14);
  EXPECT_EQ(cryo_cell_check(&cell), CRYO_CELL_OK);
  cell.h[2][2] = 0.0;
  EXPECT_EQ(cryo_cell_fractional(&cell, x, f), CRYO_CELL_ERROR_SINGULAR);
  EXPECT_EQ(cryo_cell_check(&cell), CRYO_CELL_ERROR_SINGULAR);
  cell.h[2][2] = 40.0;
  cell.dimension = 4;
  EXPECT_EQ(cryo_cell_check(&cell), CRYO_CELL_ERROR_SINGULAR);
  EXPECT_EQ(cryo_cell_fractional(nullptr, x, f), CRYO_CELL_ERROR_NULL_ARGUMENT);
}

TEST(Cell, NearestImageOfAFractionalDifference)
{
  // the image n that cryo_cell_minimum_image() subtracts: along the directions the cell wraps
  const cryo_cell cell = orthogonal_cell(10, 20, 40, 1, 0, 1);
  const double d[3] = {0.9, -0.8, -0.55};
  double n[3];
  EXPECT_EQ(cryo_cell_nearest_image(&cell, d, n), 1);
  EXPECT_EQ(n[0], 1.0);
  EXPECT_EQ(n[1], 0.0);    // not periodic
  EXPECT_EQ(n[2], -1.0);
  const double own[3] = {0.3, -0.5, 0.49};    // -1/2 is its own nearest image, +1/2 is not
  EXPECT_EQ(cryo_cell_nearest_image(&cell, own, n), 0);
  EXPECT_EQ(n[0] == 0.0 && n[1] == 0.0 && n[2] == 0.0, true);
  // in 2d the third direction never wraps, periodic flag or not (LAMMPS sets it)
  cryo_cell flat = cell;
  flat.dimension = 2;
  const double across[3] = {0.0, 0.0, 0.8};
  EXPECT_EQ(cryo_cell_wraps(&flat, 2), 0);
  EXPECT_EQ(cryo_cell_nearest_image(&flat, across, n), 0);
  EXPECT_EQ(n[2], 0.0);
}

TEST(Cell, MakeAssemblesEveryMember)
{
  const double h[3][3] = {{10, 2, 3}, {0, 20, 4}, {0, 0, 30}}, origin[3] = {-1, 2, 0.5};
  const int periodic[3] = {1, 0, 1};
  const cryo_cell cell = cryo_cell_make(h, origin, periodic, 3);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) EXPECT_EQ(cell.h[r][c], h[r][c]);
  for (int c = 0; c < 3; ++c) {
    EXPECT_EQ(cell.origin[c], origin[c]);
    EXPECT_EQ(cell.periodic[c], periodic[c]);
  }
  EXPECT_EQ(cell.dimension, 3);
}

TEST(Cell, MinimumImageAlongPeriodicDirectionsOnly)
{
  const cryo_cell cell = orthogonal_cell(10, 20, 40, 1, 0, 1);
  const double center[3] = {0.95, 0.9, 0.95}, f[3] = {0.05, 0.1, 0.4};
  double r[3];
  ASSERT_EQ(cryo_cell_minimum_image(&cell, f, center, r), CRYO_CELL_OK);
  EXPECT_NEAR(r[0], 1.0, 1e-12);      // 0.1 box across the boundary
  EXPECT_NEAR(r[1], -16.0, 1e-12);    // not periodic: -0.8 box
  EXPECT_NEAR(r[2], 18.0, 1e-12);     // -0.55 box: the nearest image is +0.45 box
  // exactly half a box: -1/2, whichever point comes first
  const double a[3] = {0.0, 0.0, 0.0}, b[3] = {0.5, 0.0, 0.0};
  ASSERT_EQ(cryo_cell_minimum_image(&cell, b, a, r), CRYO_CELL_OK);
  EXPECT_EQ(r[0], -5.0);
  ASSERT_EQ(cryo_cell_minimum_image(&cell, a, b, r), CRYO_CELL_OK);
  EXPECT_EQ(r[0], -5.0);
  cryo_cell flat = cell;
  flat.dimension = 2;
  ASSERT_EQ(cryo_cell_minimum_image(&flat, f, center, r), CRYO_CELL_OK);
  EXPECT_EQ(r[2], 0.0);
}

TEST(Cell, MaxCutoffIsHalfTheSmallestFaceDistance)
{
  const double cube[3][3] = {{10, 0, 0}, {0, 12, 0}, {0, 0, 14}};
  const int all[3] = {1, 1, 1}, yz[3] = {0, 1, 1}, none[3] = {0, 0, 0};
  EXPECT_DOUBLE_EQ(cryo_cell_max_cutoff(cube, all, 3), 5.0);
  EXPECT_DOUBLE_EQ(cryo_cell_max_cutoff(cube, yz, 3), 6.0);
  EXPECT_TRUE(std::isinf(cryo_cell_max_cutoff(cube, none, 3)));
  // a = (10,0,0), b = (5,10,0), c = (0,0,10): the faces spanned by b and c are 1000/|b x c| =
  // 1000/sqrt(100^2 + 50^2) = 8.944 apart
  const double tilted[3][3] = {{10, 5, 0}, {0, 10, 0}, {0, 0, 10}};
  EXPECT_NEAR(cryo_cell_max_cutoff(tilted, all, 3), 0.5 * 1000 / std::sqrt(12500.0), 1e-12);
  EXPECT_NEAR(cryo_cell_max_cutoff(tilted, all, 2), 0.5 * 100 / std::sqrt(125.0), 1e-12);
}

TEST(Cell, WidthsAreTheFaceDistances)
{
  // a = (10,0,0), b = (5,10,0), c = (0,0,10): volume 1000; |b x c| = sqrt(100^2 + 50^2),
  // |c x a| = 100, |a x b| = 100; in 2D the edges: area 100 over |b| = sqrt(125) and |a| = 10
  const double tilted[3][3] = {{10, 5, 0}, {0, 10, 0}, {0, 0, 10}};
  double width[3];
  cryo_cell_widths(tilted, 3, width);
  EXPECT_NEAR(width[0], 1000 / std::sqrt(12500.0), 1e-12);
  EXPECT_NEAR(width[1], 10.0, 1e-12);
  EXPECT_NEAR(width[2], 10.0, 1e-12);
  cryo_cell_widths(tilted, 2, width);
  EXPECT_NEAR(width[0], 100 / std::sqrt(125.0), 1e-12);
  EXPECT_NEAR(width[1], 10.0, 1e-12);
  EXPECT_TRUE(std::isinf(width[2]));
  for (int s = CRYO_CELL_OK; s <= CRYO_CELL_ERROR_SINGULAR; ++s)
    EXPECT_STRNE(cryo_cell_status_message((cryo_cell_status) s), "unknown status");
}

// LAMMPS's flips (fix_deform.cpp, end_of_step and pre_exchange), written out by hand: an xy flip
// replaces b by b -+ a (xy -= lx), an xz flip c by c -+ a (xz -= lx), a yz flip c by c -+ b
// (yz -= ly and xz -= xy); each in a box that also deformed a little since it was last seen.
TEST(Cell, BasisChangeIsTheFlip)
{
  const int all[3] = {1, 1, 1};
  const double before[3][3] = {{10, 4.9, 1.0}, {0, 12, 5.9}, {0, 0, 14}};
  double b[3][3];
  // no flip: only a small shear and stretch
  const double sheared[3][3] = {{10.01, 4.99, 1.02}, {0, 11.99, 5.95}, {0, 0, 14.01}};
  ASSERT_EQ(cryo_cell_basis_change(before, sheared, all, b), CRYO_CELL_OK);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) EXPECT_EQ(b[r][c], r == c ? 1.0 : 0.0) << r << c;
  // xy flip (tilt 5.01 > lx/2): xy 5.01 - 10 = -4.99, so b' = b - a
  const double xy_flip[3][3] = {{10, -4.99, 1.0}, {0, 12, 5.9}, {0, 0, 14}};
  ASSERT_EQ(cryo_cell_basis_change(before, xy_flip, all, b), CRYO_CELL_OK);
  EXPECT_EQ(b[0][1], -1.0);
  EXPECT_EQ(b[0][2], 0.0);
  EXPECT_EQ(b[1][2], 0.0);
  // yz flip (6.01 > ly/2): yz 6.01 - 12, xz 1.0 - xy = 1.0 - 4.9: c' = c - b
  const double yz_flip[3][3] = {{10, 4.9, 1.0 - 4.9}, {0, 12, 6.01 - 12}, {0, 0, 14}};
  ASSERT_EQ(cryo_cell_basis_change(before, yz_flip, all, b), CRYO_CELL_OK);
  EXPECT_EQ(b[1][2], -1.0);
  EXPECT_EQ(b[0][2], 0.0);
  EXPECT_EQ(b[0][1], 0.0);
  // all three at once, the other way (tilts below -1/2): + a, + a, + b
  const double start[3][3] = {{10, -4.9, -4.0}, {0, 12, -5.9}, {0, 0, 14}};
  const double all_flips[3][3] = {{10, -4.9 + 10, -4.0 + 10 - 4.9}, {0, 12, -5.9 + 12}, {0, 0, 14}};
  ASSERT_EQ(cryo_cell_basis_change(start, all_flips, all, b), CRYO_CELL_OK);
  EXPECT_EQ(b[0][1], 1.0);
  EXPECT_EQ(b[0][2], 1.0);
  EXPECT_EQ(b[1][2], 1.0);
  // along a non-periodic x nothing flips (LAMMPS does not flip there either)
  const int yz_only[3] = {0, 1, 1};
  ASSERT_EQ(cryo_cell_basis_change(before, xy_flip, yz_only, b), CRYO_CELL_OK);
  EXPECT_EQ(b[0][1], 0.0);
  const double singular[3][3] = {{0, 0, 0}, {0, 12, 0}, {0, 0, 14}};
  EXPECT_EQ(cryo_cell_basis_change(singular, before, all, b), CRYO_CELL_ERROR_SINGULAR);
  EXPECT_EQ(cryo_cell_basis_change(nullptr, before, all, b), CRYO_CELL_ERROR_NULL_ARGUMENT);
}

}    // namespace
