// Unit tests of the fixed-point sums (cryo_fixed): the scale's bound, worked out by hand, and the
// refusal of terms that do not fit.
#include "cryo_fixed.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace {

TEST(Fixed, ScaleIsTheLargestPowerOfTwoWithinTheLimit)
{
  for (double max_abs : {1.0, 6.0, 3e7, 1e10}) {
    for (double count : {1.0, 864.0, 1e6, 7.2e5}) {
      const double scale = cryo_fixed_scale(max_abs, count);
      int exponent;
      EXPECT_EQ(std::frexp(scale, &exponent), 0.5) << "not a power of 2: " << scale;
      EXPECT_LE(max_abs * count * scale, CRYO_FIXED_LIMIT);
      EXPECT_GT(max_abs * count * 2 * scale, CRYO_FIXED_LIMIT);    // the largest such
    }
  }
  EXPECT_EQ(cryo_fixed_scale(0.0, 100.0), cryo_fixed_scale(1.0, 100.0));    // finite for zeros
  EXPECT_EQ(cryo_fixed_scale(0.25, 100.0), cryo_fixed_scale(1.0, 100.0));
  EXPECT_EQ(cryo_fixed_scale(INFINITY, 10.0), 0.0);
  EXPECT_EQ(cryo_fixed_scale(NAN, 10.0), 0.0);
  EXPECT_EQ(cryo_fixed_scale(1.0, 0.0), 0.0);
}

TEST(Fixed, SumsOfTheLargestTermsDoNotOverflowAndDoNotDependOnOrder)
{
  const double count = 100000, largest = 3.5;
  const double scale = cryo_fixed_scale(largest, count);
  int64_t all_largest = 0;
  for (int k = 0; k < (int) count; ++k) ASSERT_TRUE(cryo_fixed_add(&all_largest, -largest, scale));
  EXPECT_LT(std::fabs((double) all_largest), 9.2e18);
  EXPECT_DOUBLE_EQ(all_largest / scale, -largest * count);
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> value(-largest, largest);
  std::vector<double> values(10000);
  for (double &v : values) v = value(rng);
  int64_t forward = 0, backward = 0;
  for (double v : values) cryo_fixed_add(&forward, v, scale);
  std::reverse(values.begin(), values.end());
  for (double v : values) cryo_fixed_add(&backward, v, scale);
  EXPECT_EQ(forward, backward);
}

TEST(Fixed, TermsThatDoNotFitAreRefusedAndNotAdded)
{
  int64_t sum = 7;
  EXPECT_FALSE(cryo_fixed_add(&sum, NAN, 1.0));
  EXPECT_FALSE(cryo_fixed_add(&sum, INFINITY, 1.0));
  EXPECT_FALSE(cryo_fixed_add(&sum, 1e19, 1.0));
  EXPECT_FALSE(cryo_fixed_add(&sum, 2.0, CRYO_FIXED_LIMIT));
  EXPECT_EQ(sum, 7);
  EXPECT_TRUE(cryo_fixed_add(&sum, 2.5, 2.0));    // 5
  EXPECT_TRUE(cryo_fixed_add(&sum, 0.25, 2.0));   // 0.5: ties to even, 0
  EXPECT_TRUE(cryo_fixed_add(&sum, 0.75, 2.0));   // 1.5: ties to even, 2
  EXPECT_EQ(sum, 14);
}

}    // namespace
