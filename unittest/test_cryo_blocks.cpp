// Unit tests of the block grid and the routing of points to blocks, against brute force: every
// factorisation of the grid, and every pair within the cutoff by the minimum image over all
// periodic images.
#include "cryo_blocks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <random>
#include <tuple>
#include <vector>

namespace {

using Vec = std::array<double, 3>;

cryo_cell make_cell(const double h[3][3], int px, int py, int pz, int dimension = 3)
{
  const double origin[3] = {-1.0, 2.0, 0.5};
  const int periodic[3] = {px, py, pz};
  return cryo_cell_make(h, origin, periodic, dimension);
}

const double TRICLINIC[3][3] = {{20.0, 3.0, -2.0}, {0.0, 18.0, 4.0}, {0.0, 0.0, 22.0}};

// the block surface the grid minimises (see cryo_blocks.h)
double surface(const cryo_cell &cell, const int p[3])
{
  double width[3];
  cryo_cell_widths(cell.h, cell.dimension, width);
  double s = 0.0;
  for (int c = 0; c < cell.dimension; ++c) {
    double others = 1.0;
    for (int e = 0; e < cell.dimension; ++e)
      if (e != c) others *= p[e];
    s += 1.0 / (width[c] * others);
  }
  return s;
}

// Points inside the cell (fractions in [0, 1)), and along the directions that are not periodic
// also a little outside it (a shrink-wrapped box that no longer holds every atom).
std::vector<Vec> random_points(const cryo_cell &cell, int n, unsigned seed)
{
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0), outside(-0.1, 1.1);
  std::vector<Vec> x(n);
  for (Vec &p : x) {
    double f[3];
    for (int c = 0; c < 3; ++c) f[c] = c >= cell.dimension ? 0.0 : (cell.periodic[c] ? u(rng) : outside(rng));
    cryo_mat3_apply(cell.h, f, p.data());
    for (int c = 0; c < 3; ++c) p[c] += c < cell.dimension ? cell.origin[c] : 0.0;
  }
  return x;
}

struct Routed {
  cryo_blocks_status status;
  std::vector<int> first, block, home;
  std::vector<Vec> x;
};

Routed route(const cryo_cell &cell, const int grid[3], double reach, const std::vector<Vec> &x)
{
  Routed r;
  r.first.assign(x.size() + 1, -1);
  const auto *points = reinterpret_cast<const double(*)[3]>(x.data());
  r.status = cryo_blocks_route(&cell, grid, reach, (int) x.size(), points, 0, r.first.data(), nullptr,
                               nullptr, nullptr, nullptr);
  if (r.status != CRYO_BLOCKS_ERROR_CAPACITY) return r;
  const size_t n = r.first.back();
  r.x.resize(n);
  r.block.resize(n);
  r.home.resize(n);
  int failed = 0;
  r.status = cryo_blocks_route(&cell, grid, reach, (int) x.size(), points, n, r.first.data(),
                               reinterpret_cast<double(*)[3]>(r.x.data()), r.block.data(), r.home.data(),
                               &failed);
  EXPECT_EQ(failed, -1);
  return r;
}

// pair (centre, neighbour) -> the vector from the centre to the neighbour
using Pairs = std::map<std::pair<int, int>, Vec>;

// every ordered pair within `cutoff`, in its nearest periodic image, from all images of the
// neighbour one cell vector around (enough for points inside the cell: below half the smallest
// periodic width a pair spans less than half a cell along every cell vector)
Pairs brute_force(const cryo_cell &cell, const std::vector<Vec> &x, double cutoff)
{
  Pairs pairs;
  int range[3];
  for (int c = 0; c < 3; ++c) range[c] = cryo_cell_wraps(&cell, c) ? 1 : 0;
  for (int i = 0; i < (int) x.size(); ++i)
    for (int j = 0; j < (int) x.size(); ++j) {
      if (i == j) continue;
      for (int n0 = -range[0]; n0 <= range[0]; ++n0)
        for (int n1 = -range[1]; n1 <= range[1]; ++n1)
          for (int n2 = -range[2]; n2 <= range[2]; ++n2) {
            const double n[3] = {(double) n0, (double) n1, (double) n2};
            double shift[3];
            cryo_mat3_apply(cell.h, n, shift);
            const Vec d = {x[j][0] + shift[0] - x[i][0], x[j][1] + shift[1] - x[i][1],
                           x[j][2] + shift[2] - x[i][2]};
            if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] <= cutoff * cutoff) pairs[{i, j}] = d;
          }
    }
  return pairs;
}

// the pairs the blocks find: each block's home points with every copy it received, as a
// processor does after the rendezvous (no periodicity: the copies are in the right images)
Pairs block_pairs(const Routed &r, double cutoff)
{
  std::map<int, std::vector<std::pair<int, int>>> in_block;    // block -> (point, copy)
  const int n = (int) r.first.size() - 1;
  for (int i = 0; i < n; ++i)
    for (int k = r.first[i]; k < r.first[i + 1]; ++k) in_block[r.block[k]].push_back({i, k});
  Pairs pairs;
  for (const auto &entry : in_block)
    for (const auto &center : entry.second) {
      if (!r.home[center.second]) continue;
      const Vec &xi = r.x[center.second];
      for (const auto &other : entry.second) {
        if (other.first == center.first) continue;
        const Vec &xj = r.x[other.second];
        const Vec d = {xj[0] - xi[0], xj[1] - xi[1], xj[2] - xi[2]};
        if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] > cutoff * cutoff) continue;
        EXPECT_EQ(pairs.count({center.first, other.first}), 0u)
            << "pair " << center.first << " " << other.first << " found twice";
        pairs[{center.first, other.first}] = d;
      }
    }
  return pairs;
}

void expect_same_pairs(const Pairs &found, const Pairs &expected)
{
  ASSERT_EQ(found.size(), expected.size());
  for (const auto &entry : expected) {
    const auto it = found.find(entry.first);
    ASSERT_NE(it, found.end()) << "pair " << entry.first.first << " " << entry.first.second << " missing";
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(it->second[c], entry.second[c], 1e-9);
  }
}

// every point has one home copy: itself wrapped into the cell, in the block of its fractions
void expect_one_home_each(const cryo_cell &cell, const int grid[3], const Routed &r)
{
  const int n = (int) r.first.size() - 1;
  for (int i = 0; i < n; ++i) {
    int homes = 0;
    for (int k = r.first[i]; k < r.first[i + 1]; ++k) {
      if (!r.home[k]) continue;
      ++homes;
      double f[3];
      ASSERT_EQ(cryo_cell_fractional(&cell, r.x[k].data(), f), CRYO_CELL_OK);
      int block[3] = {0, 0, 0};
      for (int c = 0; c < cell.dimension; ++c) {
        if (cryo_cell_wraps(&cell, c)) {
          EXPECT_GE(f[c], -1e-12);
          EXPECT_LT(f[c], 1.0 + 1e-12);
        }
        block[c] = std::min(grid[c] - 1, std::max(0, (int) std::floor(f[c] * grid[c])));
      }
      EXPECT_EQ(r.block[k], cryo_blocks_index(grid, block)) << "point " << i;
    }
    EXPECT_EQ(homes, 1) << "point " << i;
  }
}

void check_routing(const cryo_cell &cell, const int grid[3], double cutoff, int npoints, unsigned seed)
{
  const int nblocks = grid[0] * grid[1] * grid[2];
  const std::vector<Vec> x = random_points(cell, npoints, seed);
  const Routed r = route(cell, grid, cutoff, x);
  ASSERT_EQ(r.status, CRYO_BLOCKS_OK) << cryo_blocks_status_message(r.status);
  for (int b : r.block) {
    EXPECT_GE(b, 0);
    EXPECT_LT(b, nblocks);
  }
  expect_one_home_each(cell, grid, r);
  const Pairs expected = brute_force(cell, x, cutoff);
  EXPECT_GT(expected.size(), (size_t) npoints);
  expect_same_pairs(block_pairs(r, cutoff), expected);
}

void check_routing(const cryo_cell &cell, int nblocks, double cutoff, int npoints, unsigned seed)
{
  int grid[3];
  ASSERT_EQ(cryo_blocks_grid(&cell, nblocks, grid), CRYO_BLOCKS_OK);
  check_routing(cell, grid, cutoff, npoints, seed);
}

TEST(Blocks, GridHasTheSmallestSurfaceOfAllFactorisations)
{
  const double slab[3][3] = {{60.0, 0.0, 0.0}, {0.0, 15.0, 0.0}, {0.0, 0.0, 25.0}};
  for (const cryo_cell &cell : {make_cell(TRICLINIC, 1, 1, 1), make_cell(slab, 1, 1, 1),
                                make_cell(slab, 1, 0, 1, 2), make_cell(TRICLINIC, 1, 1, 1, 2)})
    for (int nblocks = 1; nblocks <= 64; ++nblocks) {
      int grid[3];
      ASSERT_EQ(cryo_blocks_grid(&cell, nblocks, grid), CRYO_BLOCKS_OK);
      EXPECT_EQ(grid[0] * grid[1] * grid[2], nblocks);
      if (cell.dimension == 2) EXPECT_EQ(grid[2], 1);
      double best = INFINITY;
      for (int p0 = 1; p0 <= nblocks; ++p0)
        for (int p1 = 1; p1 <= nblocks; ++p1)
          for (int p2 = 1; p2 <= (cell.dimension == 2 ? 1 : nblocks); ++p2) {
            const int p[3] = {p0, p1, p2};
            if (p0 * p1 * p2 == nblocks) best = std::min(best, surface(cell, p));
          }
      EXPECT_LE(surface(cell, grid), best * (1.0 + 1e-12)) << nblocks << " blocks";
    }
}

TEST(Blocks, GridOfACubeIsEvenAndOfASlabFollowsItsLength)
{
  const double cube[3][3] = {{30.0, 0.0, 0.0}, {0.0, 30.0, 0.0}, {0.0, 0.0, 30.0}};
  const double slab[3][3] = {{120.0, 0.0, 0.0}, {0.0, 30.0, 0.0}, {0.0, 0.0, 30.0}};
  const cryo_cell cube_cell = make_cell(cube, 1, 1, 1), slab_cell = make_cell(slab, 1, 1, 1),
                  square = make_cell(cube, 1, 1, 1, 2);
  int grid[3];
  ASSERT_EQ(cryo_blocks_grid(&cube_cell, 8, grid), CRYO_BLOCKS_OK);
  EXPECT_EQ(std::make_tuple(grid[0], grid[1], grid[2]), std::make_tuple(2, 2, 2));
  ASSERT_EQ(cryo_blocks_grid(&cube_cell, 2, grid), CRYO_BLOCKS_OK);
  EXPECT_EQ(std::make_tuple(grid[0], grid[1], grid[2]), std::make_tuple(1, 1, 2));    // the first of three
  ASSERT_EQ(cryo_blocks_grid(&slab_cell, 4, grid), CRYO_BLOCKS_OK);
  EXPECT_EQ(std::make_tuple(grid[0], grid[1], grid[2]), std::make_tuple(4, 1, 1));
  ASSERT_EQ(cryo_blocks_grid(&square, 4, grid), CRYO_BLOCKS_OK);
  EXPECT_EQ(std::make_tuple(grid[0], grid[1], grid[2]), std::make_tuple(2, 2, 1));
  ASSERT_EQ(cryo_blocks_grid(&cube_cell, 7, grid), CRYO_BLOCKS_OK);
  EXPECT_EQ(grid[0] * grid[1] * grid[2], 7);
}

TEST(Blocks, RoutingFindsEveryPairOfTheBruteForcePeriodic)
{
  const cryo_cell cell = make_cell(TRICLINIC, 1, 1, 1);
  for (int nblocks : {1, 2, 3, 6, 8, 12}) check_routing(cell, nblocks, 3.5, 1000, 10u + nblocks);
}

TEST(Blocks, RoutingWithADirectionThatIsNotPeriodic)
{
  // points a little outside the cell along z belong to the edge blocks
  const cryo_cell cell = make_cell(TRICLINIC, 1, 1, 0);
  for (int nblocks : {1, 4, 9}) check_routing(cell, nblocks, 3.5, 1000, 20u + nblocks);
}

TEST(Blocks, RoutingInTwoDimensions)
{
  // LAMMPS marks z periodic in 2d: the cell does not wrap along it (cryo_cell_wraps())
  const double h[3][3] = {{20.0, 5.0, 0.0}, {0.0, 17.0, 0.0}, {0.0, 0.0, 1.0}};
  const cryo_cell cell = make_cell(h, 1, 1, 1, 2);
  for (int nblocks : {1, 2, 6}) check_routing(cell, nblocks, 2.5, 800, 30u + nblocks);
}

TEST(Blocks, ReachBeyondABlockReachesFurtherBlocks)
{
  // 12 blocks along the long side of a slab, 5 wide, are thinner than the reach: a point's copies
  // go to blocks two away
  const double slab[3][3] = {{60.0, 0.0, 0.0}, {0.0, 15.0, 0.0}, {0.0, 0.0, 15.0}};
  const int grid[3] = {12, 1, 1};
  check_routing(make_cell(slab, 1, 1, 1), grid, 7.0, 600, 40u);
}

TEST(Blocks, CountsWithoutArraysThenCopiesAsCounted)
{
  const cryo_cell cell = make_cell(TRICLINIC, 1, 1, 1);
  int grid[3];
  ASSERT_EQ(cryo_blocks_grid(&cell, 4, grid), CRYO_BLOCKS_OK);
  const std::vector<Vec> x = random_points(cell, 200, 5u);
  const auto *points = reinterpret_cast<const double(*)[3]>(x.data());
  std::vector<int> counted(x.size() + 1), first(x.size() + 1);
  ASSERT_EQ(cryo_blocks_route(&cell, grid, 3.0, (int) x.size(), points, 0, counted.data(), nullptr, nullptr,
                              nullptr, nullptr),
            CRYO_BLOCKS_ERROR_CAPACITY);
  const int n = counted.back();
  EXPECT_GE(n, (int) x.size());
  // one copy short: the same counts, and still too few
  std::vector<double> copy_x(3 * n);
  std::vector<int> block(n), home(n);
  auto *copies = reinterpret_cast<double(*)[3]>(copy_x.data());
  EXPECT_EQ(cryo_blocks_route(&cell, grid, 3.0, (int) x.size(), points, n - 1, first.data(), copies,
                              block.data(), home.data(), nullptr),
            CRYO_BLOCKS_ERROR_CAPACITY);
  EXPECT_EQ(first, counted);
  EXPECT_EQ(cryo_blocks_route(&cell, grid, 3.0, (int) x.size(), points, n, first.data(), copies, block.data(),
                              home.data(), nullptr),
            CRYO_BLOCKS_OK);
  EXPECT_EQ(first, counted);
  // no points: no copies, no arrays needed
  EXPECT_EQ(cryo_blocks_route(&cell, grid, 3.0, 0, nullptr, 0, first.data(), nullptr, nullptr, nullptr, nullptr),
            CRYO_BLOCKS_OK);
  EXPECT_EQ(first[0], 0);
}

TEST(Blocks, BadArgumentsHaveSpecificStatus)
{
  const cryo_cell cell = make_cell(TRICLINIC, 1, 1, 1);
  int grid[3];
  EXPECT_EQ(cryo_blocks_grid(nullptr, 4, grid), CRYO_BLOCKS_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(cryo_blocks_grid(&cell, 0, grid), CRYO_BLOCKS_ERROR_COUNT);
  cryo_cell flat = cell;
  flat.h[2][2] = 0.0;
  EXPECT_EQ(cryo_blocks_grid(&flat, 4, grid), CRYO_BLOCKS_ERROR_CELL);
  cryo_cell four = cell;
  four.dimension = 4;
  EXPECT_EQ(cryo_blocks_grid(&four, 4, grid), CRYO_BLOCKS_ERROR_CELL);

  const std::vector<Vec> x = {{1.0, 2.0, 3.0}, {NAN, 0.0, 0.0}, {INFINITY, 0.0, 0.0}};
  const auto *points = reinterpret_cast<const double(*)[3]>(x.data());
  std::vector<int> first(x.size() + 1);
  const int ok_grid[3] = {2, 1, 1}, zero_grid[3] = {0, 1, 1}, flat_grid[3] = {1, 1, 2};
  int failed = 7;
  EXPECT_EQ(cryo_blocks_route(&cell, ok_grid, 3.0, 3, points, 0, first.data(), nullptr, nullptr, nullptr, &failed),
            CRYO_BLOCKS_ERROR_POSITION);
  EXPECT_EQ(failed, 1);
  EXPECT_EQ(cryo_blocks_route(&cell, zero_grid, 3.0, 1, points, 0, first.data(), nullptr, nullptr, nullptr, &failed),
            CRYO_BLOCKS_ERROR_COUNT);
  EXPECT_EQ(failed, -1);
  const cryo_cell plane = make_cell(TRICLINIC, 1, 1, 1, 2);
  EXPECT_EQ(cryo_blocks_route(&plane, flat_grid, 3.0, 1, points, 0, first.data(),
                              nullptr, nullptr, nullptr, nullptr),
            CRYO_BLOCKS_ERROR_COUNT);
  EXPECT_EQ(cryo_blocks_route(&cell, ok_grid, -1.0, 1, points, 0, first.data(), nullptr, nullptr, nullptr, nullptr),
            CRYO_BLOCKS_ERROR_REACH);
  EXPECT_EQ(cryo_blocks_route(&cell, ok_grid, NAN, 1, points, 0, first.data(), nullptr, nullptr, nullptr, nullptr),
            CRYO_BLOCKS_ERROR_REACH);
  EXPECT_EQ(cryo_blocks_route(&cell, ok_grid, 3.0, -1, points, 0, first.data(), nullptr, nullptr, nullptr, nullptr),
            CRYO_BLOCKS_ERROR_COUNT);
  EXPECT_EQ(cryo_blocks_route(&cell, ok_grid, 3.0, 1, nullptr, 0, first.data(), nullptr, nullptr, nullptr, nullptr),
            CRYO_BLOCKS_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(cryo_blocks_route(&cell, ok_grid, 3.0, 1, points, 5, first.data(), nullptr, nullptr, nullptr, nullptr),
            CRYO_BLOCKS_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(cryo_blocks_route(&flat, ok_grid, 3.0, 1, points, 0, first.data(), nullptr, nullptr, nullptr, nullptr),
            CRYO_BLOCKS_ERROR_CELL);
  for (int s = CRYO_BLOCKS_OK; s <= CRYO_BLOCKS_ERROR_CAPACITY; ++s)
    EXPECT_STRNE(cryo_blocks_status_message((cryo_blocks_status) s), "unknown status");
}

}    // namespace
