// Unit tests of the segment lookup shared by the cycle schedule and the scan. Expected values are
// worked out by hand from the definition (linear change over each segment, boundaries belong to
// the segment that starts there).
#include "cryo_segments.h"

#include <gtest/gtest.h>

#include <cfloat>

namespace {

// 300 -> 100 K over 20, a zero hold at 100 K, 100 -> 200 K over 10, a hold at 200 K over 4.
const cryo_segment PROGRAM[] = {
    {20.0, 300.0, 100.0, 7}, {0.0, 100.0, 100.0, 8}, {10.0, 100.0, 200.0, 9}, {4.0, 200.0, 200.0, 10}};

double target_at(double tau, double tol, int *index)
{
  double target = -1.0;
  *index = cryo_segments_locate(PROGRAM, 4, tau, tol, &target);
  return target;
}

TEST(Segments, LinearWithinASegment)
{
  int s = -1;
  EXPECT_DOUBLE_EQ(target_at(0.0, 0.0, &s), 300.0);
  EXPECT_EQ(s, 0);
  EXPECT_DOUBLE_EQ(target_at(5.0, 0.0, &s), 250.0);
  EXPECT_EQ(s, 0);
  EXPECT_DOUBLE_EQ(target_at(25.0, 0.0, &s), 150.0);
  EXPECT_EQ(s, 2);
  EXPECT_DOUBLE_EQ(target_at(32.0, 0.0, &s), 200.0);
  EXPECT_EQ(s, 3);
}

TEST(Segments, BoundaryBelongsToTheNextSegmentAndZeroHoldsArePassedOver)
{
  int s = -1;
  EXPECT_DOUBLE_EQ(target_at(20.0, 0.0, &s), 100.0);
  EXPECT_EQ(s, 2);    // not the zero hold (index 1)
  EXPECT_DOUBLE_EQ(target_at(30.0, 0.0, &s), 200.0);
  EXPECT_EQ(s, 3);
}

TEST(Segments, ToleranceMovesAnAlmostBoundaryIntoTheNextSegment)
{
  int s = -1;
  EXPECT_DOUBLE_EQ(target_at(30.0 - 1e-9, 1e-8, &s), 200.0);    // starts segment 3 at 200 K
  EXPECT_EQ(s, 3);
  EXPECT_NEAR(target_at(30.0 - 1e-9, 0.0, &s), 200.0 - 1e-8, 1e-12);
  EXPECT_EQ(s, 2);
}

TEST(Segments, PastTheEndStaysAtTheEndOfTheLastSegment)
{
  int s = -1;
  EXPECT_DOUBLE_EQ(target_at(100.0, 0.0, &s), 200.0);
  EXPECT_EQ(s, 3);
  const cryo_segment ramp_then_zero_hold[] = {{10.0, 100.0, 50.0, 0}, {0.0, 50.0, 50.0, 1}};
  double target = -1.0;
  EXPECT_EQ(cryo_segments_locate(ramp_then_zero_hold, 2, 12.0, 0.0, &target), 1);
  EXPECT_DOUBLE_EQ(target, 50.0);    // a last segment of zero duration: its start, no division
}

TEST(Segments, ToleranceAddsAFewUlpsOfTheElapsedTime)
{
  EXPECT_DOUBLE_EQ(cryo_segments_tolerance(0.0, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(cryo_segments_tolerance(1e-6, 1000.0), 1e-6 + 8.0 * DBL_EPSILON * 1000.0);
}

}    // namespace
