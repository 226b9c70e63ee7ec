// Unit tests of the cell-list neighbour search against a brute-force search.
#include "cryo_neighbors.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>
#include <vector>

namespace {

using Points = std::vector<std::array<double, 3>>;

struct Result {
  cryo_neighbors_status status;
  std::vector<std::vector<int>> lists;    // sorted, per centre
  std::vector<int> count;
  int overflow;
};

Result find(const Points &x, const std::vector<int> &centers, double cutoff, int max_neighbors,
            int nthreads = 1)
{
  const auto *xp = reinterpret_cast<const double(*)[3]>(x.data());
  const size_t ncells = cryo_neighbors_grid_cells((int) x.size(), xp, cutoff);
  std::vector<int> head(std::max<size_t>(ncells, 1)), next(x.size() + 1);
  std::vector<int> count(centers.size()), neighbor(centers.size() * max_neighbors + 1);
  Result r;
  r.status = cryo_neighbors_find((int) x.size(), xp, (int) centers.size(), centers.data(), cutoff,
                                 max_neighbors, nthreads, head.data(), ncells, next.data(),
                                 count.data(), neighbor.data(), &r.overflow);
  r.count = count;
  for (size_t c = 0; c < centers.size(); ++c) {
    const int stored = std::min(count[c], max_neighbors);
    std::vector<int> list(neighbor.begin() + c * max_neighbors, neighbor.begin() + c * max_neighbors + stored);
    std::sort(list.begin(), list.end());
    r.lists.push_back(list);
  }
  return r;
}

std::vector<int> brute_force(const Points &x, int i, double cutoff)
{
  std::vector<int> list;
  for (int j = 0; j < (int) x.size(); ++j) {
    if (j == i) continue;
    double r2 = 0;
    for (int d = 0; d < 3; ++d) r2 += (x[j][d] - x[i][d]) * (x[j][d] - x[i][d]);
    if (r2 <= cutoff * cutoff) list.push_back(j);
  }
  return list;
}

Points random_points(int n, double box, unsigned seed)
{
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> u(-box / 2, box);
  Points x(n);
  for (auto &p : x) p = {u(rng), u(rng), 0.7 * u(rng)};
  return x;
}

TEST(Neighbors, MatchBruteForce)
{
  const Points x = random_points(3000, 30.0, 1);
  std::vector<int> centers;
  for (int i = 0; i < 3000; i += 7) centers.push_back(i);
  const Result r = find(x, centers, 3.5, 200);
  ASSERT_EQ(r.status, CRYO_NEIGHBORS_OK);
  EXPECT_EQ(r.overflow, -1);
  size_t pairs = 0;
  for (size_t c = 0; c < centers.size(); ++c) {
    EXPECT_EQ(r.lists[c], brute_force(x, centers[c], 3.5)) << "centre " << centers[c];
    pairs += r.lists[c].size();
  }
  EXPECT_GT(pairs, 1000u);
}

TEST(Neighbors, PointsExactlyAtTheCutoffAreIncluded)
{
  const Points x = {{0, 0, 0}, {2.0, 0, 0}, {0, 2.0, 0}, {0, 0, 2.0000001}, {-1.25, -1.5, 0}};
  const Result r = find(x, {0}, 2.0, 10);
  EXPECT_EQ(r.lists[0], (std::vector<int>{1, 2, 4}));    // 1.25^2 + 1.5^2 = 3.8125 <= 4
}

TEST(Neighbors, ThreadCountDoesNotChangeTheLists)
{
  const Points x = random_points(2000, 25.0, 5);
  std::vector<int> centers(2000);
  for (int i = 0; i < 2000; ++i) centers[i] = i;
  const auto *xp = reinterpret_cast<const double(*)[3]>(x.data());
  const size_t ncells = cryo_neighbors_grid_cells(2000, xp, 3.0);
  std::vector<int> head(ncells), next(2000), c1(2000), c3(2000), n1(2000 * 64), n3(2000 * 64);
  ASSERT_EQ(cryo_neighbors_find(2000, xp, 2000, centers.data(), 3.0, 64, 1, head.data(), ncells,
                                next.data(), c1.data(), n1.data(), nullptr), CRYO_NEIGHBORS_OK);
  ASSERT_EQ(cryo_neighbors_find(2000, xp, 2000, centers.data(), 3.0, 64, 3, head.data(), ncells,
                                next.data(), c3.data(), n3.data(), nullptr), CRYO_NEIGHBORS_OK);
  EXPECT_EQ(c1, c3);
  EXPECT_EQ(n1, n3);    // same order, not only the same sets
}

TEST(Neighbors, TooManyReportsTheFirstCentreAndTheTrueCount)
{
  Points x = {{0, 0, 0}};
  for (int k = 1; k <= 6; ++k) x.push_back({0.1 * k, 0, 0});
  const Result r = find(x, {1, 0, 6}, 1.0, 4);
  EXPECT_EQ(r.status, CRYO_NEIGHBORS_ERROR_TOO_MANY);
  EXPECT_EQ(r.overflow, 0);    // centre index 0 (point 1) is the first with 6 neighbours
  EXPECT_EQ(r.count[0], 6);
  EXPECT_EQ(r.lists[0].size(), 4u);
}

TEST(Neighbors, DegenerateAndSparseInputs)
{
  // all points on top of each other: one cell
  const Points same(50, {1.0, 2.0, 3.0});
  Result r = find(same, {0, 49}, 0.5, 64);
  ASSERT_EQ(r.status, CRYO_NEIGHBORS_OK);
  EXPECT_EQ(r.lists[0].size(), 49u);
  // two far-apart clusters: the grid is coarsened instead of allocating 1e9 cells
  Points sparse = {{0, 0, 0}, {0.5, 0, 0}, {1e5, 1e5, 1e5}, {1e5 + 0.4, 1e5, 1e5}};
  const auto *xp = reinterpret_cast<const double(*)[3]>(sparse.data());
  EXPECT_LE(cryo_neighbors_grid_cells(4, xp, 1.0), 8u * 4 + 27);
  r = find(sparse, {0, 1, 2, 3}, 1.0, 8);
  EXPECT_EQ(r.lists[0], (std::vector<int>{1}));
  EXPECT_EQ(r.lists[2], (std::vector<int>{3}));
  // no points at all
  r = find({}, {}, 1.0, 8);
  EXPECT_EQ(r.status, CRYO_NEIGHBORS_OK);
}

TEST(Neighbors, BadArgumentsHaveSpecificStatus)
{
  const Points x = random_points(10, 5.0, 2);
  EXPECT_EQ(find(x, {0}, 0.0, 8).status, CRYO_NEIGHBORS_ERROR_CUTOFF);
  EXPECT_EQ(find(x, {10}, 1.0, 8).status, CRYO_NEIGHBORS_ERROR_COUNT);
  Points bad = x;
  bad[3][1] = NAN;
  EXPECT_EQ(find(bad, {0}, 1.0, 8).status, CRYO_NEIGHBORS_ERROR_CUTOFF);
  const auto *xp = reinterpret_cast<const double(*)[3]>(x.data());
  int head[1], next[10], count[1], neighbor[8];
  const int center = 0;
  EXPECT_EQ(cryo_neighbors_find(10, xp, 1, &center, 0.1, 8, 1, head, 0, next, count, neighbor, nullptr),
            CRYO_NEIGHBORS_ERROR_COUNT);    // too few cells
  EXPECT_EQ(cryo_neighbors_find(10, nullptr, 1, &center, 1.0, 8, 1, head, 1, next, count, neighbor, nullptr),
            CRYO_NEIGHBORS_ERROR_NULL_ARGUMENT);
  for (int k = CRYO_NEIGHBORS_OK; k <= CRYO_NEIGHBORS_ERROR_TOO_MANY; ++k)
    EXPECT_STRNE(cryo_neighbors_status_message((cryo_neighbors_status) k), "unknown status");
}

}    // namespace
