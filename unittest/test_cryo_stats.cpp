// Unit tests of the statistics kernel: hand-counted cases, a direct double-precision reference
// on random data, and independence of the atom order and of the thread count.
#include "cryo_stats.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

namespace {

cryo_stats_config config(int nbins = 0, double max = 1.0)
{
  cryo_stats_config c{};
  c.lo = 0.3;
  c.hi = 0.7;
  c.nbins = nbins;
  c.max = max;
  c.eta_scale = 1u << 30;
  c.energy_scale = 1u << 30;
  return c;
}

TEST(CryoStats, HandCountedRows)
{
  // atom:        0     1     2     3     4     5
  const std::vector<int> row{0, 0, 1, 1, -1, 0};
  const std::vector<double> eta{0.3, 0.31, 0.7, 0.71, 0.5, 0.0};
  const std::vector<int> valid{1, 1, 1, 1, 1, 0};
  const std::vector<double> energy{-4.0, -4.5, -5.0, -5.5, -6.0, -3.0};
  const std::vector<double> reference{-4.25, -4.5, -5.5, -5.5, -6.0, -3.5};
  const cryo_stats_config c = config();
  std::vector<cryo_stats_sums> sums(2);
  ASSERT_EQ(cryo_stats_accumulate(&c, 6, row.data(), eta.data(), valid.data(), energy.data(),
                                  reference.data(), 2, 1, sums.data(), nullptr),
            CRYO_STATS_OK);
  EXPECT_EQ(sums[0].atoms, 3);
  EXPECT_EQ(sums[0].valid, 2);
  EXPECT_EQ(sums[0].below, 1);     // 0.3 <= lo
  EXPECT_EQ(sums[0].window, 1);    // 0.31
  EXPECT_EQ(sums[0].above, 0);
  EXPECT_NEAR(sums[0].eta / c.eta_scale, 0.61, 2.0 / c.eta_scale);    // each value rounded to 1/scale
  EXPECT_DOUBLE_EQ(sums[0].energy / c.energy_scale, -11.5);
  EXPECT_DOUBLE_EQ(sums[0].change / c.energy_scale, 0.25 + 0.0 + 0.5);
  EXPECT_EQ(sums[1].atoms, 2);
  EXPECT_EQ(sums[1].window, 1);    // 0.7 <= hi
  EXPECT_EQ(sums[1].above, 1);     // 0.71
  EXPECT_DOUBLE_EQ(sums[1].change / c.energy_scale, 0.5);
}

TEST(CryoStats, HistogramBinsAndOverflow)
{
  const cryo_stats_config c = config(4, 1.0);    // width 0.25
  EXPECT_EQ(cryo_stats_bin(&c, 0.0), 0);
  EXPECT_EQ(cryo_stats_bin(&c, 0.2499), 0);
  EXPECT_EQ(cryo_stats_bin(&c, 0.25), 1);
  EXPECT_EQ(cryo_stats_bin(&c, 0.75), 3);
  EXPECT_EQ(cryo_stats_bin(&c, 0.9999), 3);
  EXPECT_EQ(cryo_stats_bin(&c, 1.0), 4);
  EXPECT_EQ(cryo_stats_bin(&c, 7.0), 4);
  EXPECT_EQ(cryo_stats_bin(&c, -0.1), -1);
  // an edge that the division rounds down: 0.3 / 0.1 = 2.9999999999999996
  const cryo_stats_config tenth = config(10, 1.0);
  const double edge = 3 * (tenth.max / tenth.nbins);
  EXPECT_EQ(cryo_stats_bin(&tenth, edge), 3);
  EXPECT_EQ(cryo_stats_bin(&tenth, std::nextafter(edge, 0.0)), 2);

  const std::vector<int> row{0, 0, 0, 0, 0};
  const std::vector<double> eta{0.1, 0.3, 0.3, 2.0, 0.6};
  const std::vector<int> valid{1, 1, 1, 1, 0};
  std::vector<cryo_stats_sums> sums(1);
  std::vector<int64_t> histogram(5, 0);
  ASSERT_EQ(cryo_stats_accumulate(&c, 5, row.data(), eta.data(), valid.data(), nullptr, nullptr, 1,
                                  1, sums.data(), histogram.data()),
            CRYO_STATS_OK);
  EXPECT_EQ(histogram, (std::vector<int64_t>{1, 2, 0, 0, 1}));    // the invalid atom is not counted
}

TEST(CryoStats, RandomDataAgainstDirectSumsAnyOrderAnyThreads)
{
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> strain(0.0, 1.2), pe(-6.0, -3.0), shift(-0.01, 0.01);
  const int n = 20000, nrows = 5;
  std::vector<int> row(n), valid(n);
  std::vector<double> eta(n), energy(n), reference(n);
  for (int i = 0; i < n; ++i) {
    row[i] = (int) (rng() % (nrows + 1)) - 1;
    valid[i] = rng() % 10 != 0;
    eta[i] = strain(rng);
    energy[i] = pe(rng);
    reference[i] = energy[i] + shift(rng);
  }
  cryo_stats_config c = config(12, 1.0);
  c.eta_scale = cryo_stats_scale(1.2, n);
  c.energy_scale = cryo_stats_scale(6.0, n);
  ASSERT_GT(c.energy_scale, 0.0);

  std::vector<cryo_stats_sums> sums(nrows);
  std::vector<int64_t> histogram(13, 0);
  ASSERT_EQ(cryo_stats_accumulate(&c, n, row.data(), eta.data(), valid.data(), energy.data(),
                                  reference.data(), nrows, 1, sums.data(), histogram.data()),
            CRYO_STATS_OK);
  // direct double sums
  for (int r = 0; r < nrows; ++r) {
    double eta_sum = 0, energy_sum = 0, change_sum = 0;
    int64_t atoms = 0, nvalid = 0, window = 0;
    for (int i = 0; i < n; ++i) {
      if (row[i] != r) continue;
      ++atoms;
      energy_sum += energy[i];
      change_sum += energy[i] - reference[i];
      if (!valid[i]) continue;
      ++nvalid;
      eta_sum += eta[i];
      window += eta[i] > 0.3 && eta[i] <= 0.7;
    }
    EXPECT_EQ(sums[r].atoms, atoms);
    EXPECT_EQ(sums[r].valid, nvalid);
    EXPECT_EQ(sums[r].window, window);
    EXPECT_EQ(sums[r].below + sums[r].window + sums[r].above, nvalid);
    EXPECT_NEAR(sums[r].eta / c.eta_scale, eta_sum, 1e-9);
    EXPECT_NEAR(sums[r].energy / c.energy_scale, energy_sum, 1e-9);
    EXPECT_NEAR(sums[r].change / c.energy_scale, change_sum, 1e-9);
  }
  int64_t counted = 0;    // valid atoms with a row (all eta >= 0)
  for (int i = 0; i < n; ++i) counted += row[i] >= 0 && valid[i];
  EXPECT_EQ(std::accumulate(histogram.begin(), histogram.end(), int64_t{0}), counted);
  EXPECT_GT(histogram[12], 0);    // eta up to 1.2 > max: the overflow entry

  // reversed order and 4 threads: identical integers
  std::vector<int> row_r(row.rbegin(), row.rend()), valid_r(valid.rbegin(), valid.rend());
  std::vector<double> eta_r(eta.rbegin(), eta.rend()), energy_r(energy.rbegin(), energy.rend()),
      reference_r(reference.rbegin(), reference.rend());
  std::vector<cryo_stats_sums> sums_r(nrows);
  std::vector<int64_t> histogram_r(13, 0);
  ASSERT_EQ(cryo_stats_accumulate(&c, n, row_r.data(), eta_r.data(), valid_r.data(), energy_r.data(),
                                  reference_r.data(), nrows, 4, sums_r.data(), histogram_r.data()),
            CRYO_STATS_OK);
  for (int r = 0; r < nrows; ++r) {
    int64_t a[CRYO_STATS_NSUMS], b[CRYO_STATS_NSUMS];
    cryo_stats_pack(&sums[r], a);
    cryo_stats_pack(&sums_r[r], b);
    for (int k = 0; k < CRYO_STATS_NSUMS; ++k) EXPECT_EQ(a[k], b[k]) << "row " << r << " sum " << k;
  }
  EXPECT_EQ(histogram, histogram_r);
}

TEST(CryoStats, ScaleKeepsSumsInRange)
{
  const double scale = cryo_stats_scale(6.0, 1000000);
  EXPECT_GT(scale, 0.0);
  EXPECT_LE(2.0 * 6.0 * 1e6 * scale, 4.0e18);
  EXPECT_GT(2.0 * 2.0 * 6.0 * 1e6 * scale, 4.0e18);    // and is the largest such power of 2
  EXPECT_EQ(std::log2(scale), std::floor(std::log2(scale)));
  EXPECT_EQ(cryo_stats_scale(0.0, 1000000), cryo_stats_scale(1.0, 1000000));    // finite for zeros
  EXPECT_EQ(cryo_stats_scale(INFINITY, 10), 0.0);
  EXPECT_EQ(cryo_stats_scale(1.0, 0), 0.0);
}

TEST(CryoStats, InvalidInput)
{
  // nrows is the length of sums (2 rows): row 2 is out of range, rows 0 and 1 are valid
  const std::vector<int> bad_row{0, 2};
  const std::vector<int> row{0, 1};
  const std::vector<double> eta{0.1, 0.2};
  const std::vector<int> valid{1, 1};
  cryo_stats_sums sums[2] = {};
  const int nrows = 2;
  cryo_stats_config c = config();
  EXPECT_EQ(cryo_stats_accumulate(&c, 2, bad_row.data(), eta.data(), valid.data(), nullptr, nullptr,
                                  nrows, 1, sums, nullptr),
            CRYO_STATS_ERROR_ROW);
  EXPECT_EQ(cryo_stats_accumulate(&c, 2, nullptr, eta.data(), valid.data(), nullptr, nullptr,
                                  nrows, 1, sums, nullptr),
            CRYO_STATS_ERROR_NULL_ARGUMENT);
  c.lo = 0.7;
  EXPECT_EQ(cryo_stats_accumulate(&c, 2, row.data(), eta.data(), valid.data(), nullptr, nullptr,
                                  nrows, 1, sums, nullptr),
            CRYO_STATS_ERROR_CONFIG);
  c = config(4, 0.0);
  int64_t histogram[5] = {};
  EXPECT_EQ(cryo_stats_accumulate(&c, 2, row.data(), eta.data(), valid.data(), nullptr, nullptr,
                                  nrows, 1, sums, histogram),
            CRYO_STATS_ERROR_CONFIG);
  c = config();
  const std::vector<double> huge{1e300, 0.1};
  EXPECT_EQ(cryo_stats_accumulate(&c, 2, row.data(), huge.data(), valid.data(), nullptr, nullptr,
                                  nrows, 1, sums, nullptr),
            CRYO_STATS_ERROR_OVERFLOW);
  for (int k = CRYO_STATS_OK; k <= CRYO_STATS_ERROR_MEMORY; ++k)
    EXPECT_STRNE(cryo_stats_status_message((cryo_stats_status) k), "unknown status");
}

}    // namespace

TEST(CryoStats, PackUnpackAndAddKeepEveryField)
{
  const cryo_stats_sums a = {1, 2, 3, 4, 5, 6, 7, 8}, b = {10, 20, 30, 40, 50, 60, 70, 80};
  int64_t packed[CRYO_STATS_NSUMS];
  cryo_stats_pack(&a, packed);
  const int64_t expected[CRYO_STATS_NSUMS] = {1, 2, 3, 4, 5, 6, 7, 8};
  for (int k = 0; k < CRYO_STATS_NSUMS; ++k) EXPECT_EQ(packed[k], expected[k]);
  cryo_stats_sums back = {};
  cryo_stats_unpack(packed, &back);
  cryo_stats_add(&back, &b);
  EXPECT_EQ(back.atoms, 11);
  EXPECT_EQ(back.valid, 22);
  EXPECT_EQ(back.below, 33);
  EXPECT_EQ(back.window, 44);
  EXPECT_EQ(back.above, 55);
  EXPECT_EQ(back.eta, 66);
  EXPECT_EQ(back.energy, 77);
  EXPECT_EQ(back.change, 88);
}

TEST(CryoStats, ValueSumsGiveMeanAndSpreadPerRow)
{
  // row 0: 1, 2, 3 (mean 2, squared deviations 1 + 0 + 1 = 2); row 1: -4, -6 (mean -5, 1 + 1);
  // one atom skipped (row -1)
  const int row[] = {0, 1, 0, -1, 1, 0};
  const double x[] = {1.0, -4.0, 2.0, 100.0, -6.0, 3.0};
  const double scale = cryo_stats_scale(36.0, 6);
  int64_t first[2 * CRYO_STATS_VALUE_SUMS] = {0}, second[2 * CRYO_STATS_VALUE_SUMS] = {0};
  ASSERT_EQ(cryo_stats_value_sums(6, row, x, nullptr, scale, 2, 2, first), CRYO_STATS_OK);
  EXPECT_EQ(first[CRYO_STATS_VALUE_SUM] / scale, 6.0);
  EXPECT_EQ(first[CRYO_STATS_VALUE_SUMS + CRYO_STATS_VALUE_SUM] / scale, -10.0);
  const double mean[2] = {2.0, -5.0};
  ASSERT_EQ(cryo_stats_value_sums(6, row, x, mean, scale, 2, 1, second), CRYO_STATS_OK);
  EXPECT_EQ(second[CRYO_STATS_VALUE_SUM], 0);
  EXPECT_EQ(second[CRYO_STATS_VALUE_SQUARES] / scale, 2.0);
  EXPECT_EQ(second[CRYO_STATS_VALUE_SUMS + CRYO_STATS_VALUE_SQUARES] / scale, 2.0);
}

TEST(CryoStats, ValueSumsAnyOrderAnyThreadsAgainstDirectSums)
{
  std::mt19937_64 random(11);
  std::normal_distribution<double> energy(-4.3, 0.07);
  const int n = 5000, nrows = 4;
  std::vector<int> row(n);
  std::vector<double> x(n);
  for (int i = 0; i < n; ++i) {
    row[i] = (int) (random() % (nrows + 1)) - 1;
    x[i] = energy(random);
  }
  const double scale = cryo_stats_scale(4.6 * 4.6, n);
  std::vector<int64_t> mean_sums(nrows * CRYO_STATS_VALUE_SUMS, 0);
  ASSERT_EQ(cryo_stats_value_sums(n, row.data(), x.data(), nullptr, scale, nrows, 1, mean_sums.data()), CRYO_STATS_OK);
  std::vector<double> count(nrows, 0.0), mean(nrows, 0.0), direct_mean(nrows, 0.0), direct_spread(nrows, 0.0);
  for (int i = 0; i < n; ++i)
    if (row[i] >= 0) {
      count[row[i]] += 1.0;
      direct_mean[row[i]] += x[i];
    }
  for (int r = 0; r < nrows; ++r) {
    direct_mean[r] /= count[r];
    mean[r] = mean_sums[r * CRYO_STATS_VALUE_SUMS + CRYO_STATS_VALUE_SUM] / scale / count[r];
    EXPECT_NEAR(mean[r], direct_mean[r], 1e-12);
  }
  for (int i = 0; i < n; ++i)
    if (row[i] >= 0) direct_spread[row[i]] += (x[i] - direct_mean[row[i]]) * (x[i] - direct_mean[row[i]]);
  std::vector<int64_t> spread(nrows * CRYO_STATS_VALUE_SUMS, 0);
  ASSERT_EQ(cryo_stats_value_sums(n, row.data(), x.data(), mean.data(), scale, nrows, 3, spread.data()), CRYO_STATS_OK);
  for (int r = 0; r < nrows; ++r)
    EXPECT_NEAR(spread[r * CRYO_STATS_VALUE_SUMS + CRYO_STATS_VALUE_SQUARES] / scale, direct_spread[r],
                1e-9 * direct_spread[r]);
  // the same integers for the atoms in reverse order and any thread count
  std::vector<int> reversed_row(row.rbegin(), row.rend());
  std::vector<double> reversed_x(x.rbegin(), x.rend());
  std::vector<int64_t> again(spread.size(), 0);
  ASSERT_EQ(cryo_stats_value_sums(n, reversed_row.data(), reversed_x.data(), mean.data(), scale, nrows, 2, again.data()),
            CRYO_STATS_OK);
  EXPECT_EQ(again, spread);
  // bad input
  EXPECT_EQ(cryo_stats_value_sums(n, row.data(), x.data(), nullptr, 0.0, nrows, 1, again.data()), CRYO_STATS_ERROR_CONFIG);
  EXPECT_EQ(cryo_stats_value_sums(n, row.data(), x.data(), nullptr, scale, 2, 1, again.data()), CRYO_STATS_ERROR_ROW);
  EXPECT_EQ(cryo_stats_value_sums(n, row.data(), nullptr, nullptr, scale, nrows, 1, again.data()),
            CRYO_STATS_ERROR_NULL_ARGUMENT);
  const double huge[] = {1e300};
  const int zero[] = {0};
  EXPECT_EQ(cryo_stats_value_sums(1, zero, huge, nullptr, scale, 1, 1, again.data()), CRYO_STATS_ERROR_OVERFLOW);
}

// bins of width 0.5 over [-1, 1): edges -1, -0.5, 0, 0.5; values on edges go up, lo itself is in
// bin 0, hi is "at or above"; counted by hand
TEST(CryoStats, ValueHistogramPerRowCountedByHand)
{
  const double x[] = {-1.0, -0.75, -0.5, 0.0, 0.49, 0.5, 0.999, 1.0, -1.5, 7.0, 0.25, -0.25};
  const int row[] = {0, 0, 0, 0, 1, 1, 1, 1, 0, 1, -1, 1};
  const int nbins = 4, width = nbins + CRYO_STATS_HISTOGRAM_EXTRA;
  for (int threads : {1, 2, 3}) {
    std::vector<int64_t> counts(2 * width, 0);
    ASSERT_EQ(cryo_stats_value_histogram(12, row, x, -1.0, 1.0, nbins, 2, threads, counts.data()), CRYO_STATS_OK);
    // row 0: -1 and -0.75 in bin 0, -0.5 in bin 1, 0 in bin 2, -1.5 below
    const std::vector<int64_t> row0 = {2, 1, 1, 0, 1, 0};
    // row 1: 0.49 in bin 2, 0.5 and 0.999 in bin 3, -0.25 in bin 1, 1.0 and 7.0 at or above
    const std::vector<int64_t> row1 = {0, 1, 1, 2, 0, 2};
    EXPECT_EQ(std::vector<int64_t>(counts.begin(), counts.begin() + width), row0) << threads << " threads";
    EXPECT_EQ(std::vector<int64_t>(counts.begin() + width, counts.end()), row1) << threads << " threads";
  }
  EXPECT_EQ(cryo_stats_value_bin(std::nan(""), -1.0, 1.0, nbins), -1);
}

TEST(CryoStats, ValueHistogramRefusesBadInput)
{
  const double x[] = {0.1, std::numeric_limits<double>::infinity()};
  const int row[] = {0, 0}, far_row[] = {0, 3};
  std::vector<int64_t> counts(2 * 6, 0);
  EXPECT_EQ(cryo_stats_value_histogram(2, row, x, 0.0, 1.0, 4, 2, 1, counts.data()), CRYO_STATS_ERROR_OVERFLOW);
  EXPECT_EQ(cryo_stats_value_histogram(1, row, x, 1.0, 1.0, 4, 2, 1, counts.data()), CRYO_STATS_ERROR_CONFIG);
  EXPECT_EQ(cryo_stats_value_histogram(1, row, x, 0.0, 1.0, 0, 2, 1, counts.data()), CRYO_STATS_ERROR_CONFIG);
  EXPECT_EQ(cryo_stats_value_histogram(2, far_row, x, 0.0, 1.0, 4, 2, 1, counts.data()), CRYO_STATS_ERROR_ROW);
  EXPECT_EQ(cryo_stats_value_histogram(1, row, nullptr, 0.0, 1.0, 4, 2, 1, counts.data()),
            CRYO_STATS_ERROR_NULL_ARGUMENT);
}
