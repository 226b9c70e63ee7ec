// Unit tests of the schedule kernel. Expected values are worked out by hand from the schedule's
// definition (piecewise linear: ramp, hold, ramp, hold), not taken from the code under test.
#include "cryo_schedule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <climits>
#include <cstdint>
#include <limits>

namespace {

// 300 K <-> 100 K: cooling 200 K at 10 K/t = 20, cold hold 5, heating at 20 K/t = 10, hot hold 3.
// Cycle = 38. Boundaries within a cycle: 20, 25, 35, 38.
cryo_schedule_params asymmetric()
{
  cryo_schedule_params p;
  p.t_high = 300.0;
  p.t_low = 100.0;
  p.rate_cool = 10.0;
  p.rate_heat = 20.0;
  p.hold_low = 5.0;
  p.hold_high = 3.0;
  p.ncycles = 2;
  p.start = CRYO_SCHEDULE_START_HIGH;
  return p;
}

cryo_schedule_point at(const cryo_schedule_params &p, double t, double tolerance = 0.0)
{
  cryo_schedule_point point;
  EXPECT_EQ(cryo_schedule_evaluate(&p, t, tolerance, &point), CRYO_SCHEDULE_OK) << "t = " << t;
  return point;
}

TEST(Schedule, Durations)
{
  const cryo_schedule_params p = asymmetric();
  EXPECT_DOUBLE_EQ(cryo_schedule_cycle_duration(&p), 38.0);
  EXPECT_DOUBLE_EQ(cryo_schedule_total_duration(&p), 76.0);
}

TEST(Schedule, SegmentInteriorsAreLinear)
{
  const cryo_schedule_params p = asymmetric();
  EXPECT_DOUBLE_EQ(at(p, 0.0).target, 300.0);
  EXPECT_DOUBLE_EQ(at(p, 7.5).target, 225.0);     // 300 - 10 * 7.5
  EXPECT_EQ(at(p, 7.5).phase, CRYO_PHASE_COOLING);
  EXPECT_DOUBLE_EQ(at(p, 22.0).target, 100.0);
  EXPECT_EQ(at(p, 22.0).phase, CRYO_PHASE_COLD_HOLD);
  EXPECT_DOUBLE_EQ(at(p, 27.5).target, 150.0);    // 100 + 20 * 2.5
  EXPECT_EQ(at(p, 27.5).phase, CRYO_PHASE_HEATING);
  EXPECT_DOUBLE_EQ(at(p, 36.0).target, 300.0);
  EXPECT_EQ(at(p, 36.0).phase, CRYO_PHASE_HOT_HOLD);
  EXPECT_EQ(at(p, 36.0).completed_cycles, 0);
}

TEST(Schedule, BoundaryBelongsToTheSegmentThatStartsThere)
{
  const cryo_schedule_params p = asymmetric();
  EXPECT_EQ(at(p, 20.0).phase, CRYO_PHASE_COLD_HOLD);
  EXPECT_DOUBLE_EQ(at(p, 20.0).target, 100.0);
  EXPECT_EQ(at(p, 25.0).phase, CRYO_PHASE_HEATING);
  EXPECT_DOUBLE_EQ(at(p, 25.0).target, 100.0);
  EXPECT_EQ(at(p, 35.0).phase, CRYO_PHASE_HOT_HOLD);
  EXPECT_DOUBLE_EQ(at(p, 35.0).target, 300.0);
  const cryo_schedule_point second = at(p, 38.0);
  EXPECT_EQ(second.phase, CRYO_PHASE_COOLING);
  EXPECT_EQ(second.completed_cycles, 1);
  EXPECT_DOUBLE_EQ(second.target, 300.0);
  EXPECT_DOUBLE_EQ(second.time_left, 38.0);
}

TEST(Schedule, ToleranceSnapsRoundingBelowABoundary)
{
  const cryo_schedule_params p = asymmetric();
  const double just_below = std::nextafter(20.0, 0.0) - 1e-12;
  EXPECT_EQ(at(p, just_below, 0.0).phase, CRYO_PHASE_COOLING);
  EXPECT_EQ(at(p, just_below, 1e-9).phase, CRYO_PHASE_COLD_HOLD);
  EXPECT_DOUBLE_EQ(at(p, just_below, 1e-9).target, 100.0);
  // 0.1 * 380 is not exactly 38 in binary; it must still start cycle 2.
  EXPECT_EQ(at(p, 0.1 * 380.0, 1e-9).completed_cycles, 1);
  EXPECT_EQ(at(p, 0.1 * 380.0, 1e-9).phase, CRYO_PHASE_COOLING);
}

TEST(Schedule, ZeroHoldsAreSkipped)
{
  cryo_schedule_params p = asymmetric();
  p.hold_low = 0.0;
  p.hold_high = 0.0;
  EXPECT_DOUBLE_EQ(cryo_schedule_cycle_duration(&p), 30.0);
  EXPECT_EQ(at(p, 20.0).phase, CRYO_PHASE_HEATING);    // no cold hold
  EXPECT_DOUBLE_EQ(at(p, 20.0).target, 100.0);
  EXPECT_EQ(at(p, 30.0).phase, CRYO_PHASE_COOLING);    // no hot hold: next cycle
  EXPECT_EQ(at(p, 30.0).completed_cycles, 1);
  EXPECT_DOUBLE_EQ(at(p, 25.0).target, 200.0);         // 100 + 20 * 5
}

TEST(Schedule, StartLowHeatsFirstAndEndsCold)
{
  cryo_schedule_params p = asymmetric();
  p.start = CRYO_SCHEDULE_START_LOW;
  // heating 10, hot hold 3, cooling 20, cold hold 5
  EXPECT_DOUBLE_EQ(at(p, 0.0).target, 100.0);
  EXPECT_EQ(at(p, 0.0).phase, CRYO_PHASE_HEATING);
  EXPECT_DOUBLE_EQ(at(p, 5.0).target, 200.0);
  EXPECT_EQ(at(p, 10.0).phase, CRYO_PHASE_HOT_HOLD);
  EXPECT_EQ(at(p, 13.0).phase, CRYO_PHASE_COOLING);
  EXPECT_DOUBLE_EQ(at(p, 23.0).target, 200.0);         // 300 - 10 * 10
  EXPECT_EQ(at(p, 33.0).phase, CRYO_PHASE_COLD_HOLD);
  const cryo_schedule_point done = at(p, 80.0);
  EXPECT_EQ(done.phase, CRYO_PHASE_DONE);
  EXPECT_DOUBLE_EQ(done.target, 100.0);
}

TEST(Schedule, DoneHoldsTheFinalTemperature)
{
  const cryo_schedule_params p = asymmetric();
  for (double t : {76.0, 77.0, 1.0e9}) {
    const cryo_schedule_point point = at(p, t);
    EXPECT_EQ(point.phase, CRYO_PHASE_DONE);
    EXPECT_EQ(point.completed_cycles, 2);
    EXPECT_DOUBLE_EQ(point.target, 300.0);
    EXPECT_EQ(point.time_left, 0.0);
  }
  EXPECT_EQ(at(p, 75.9).phase, CRYO_PHASE_HOT_HOLD);
  EXPECT_NEAR(at(p, 75.9).time_left, 0.1, 1e-12);
}

TEST(Schedule, ManyCycles)
{
  cryo_schedule_params p = asymmetric();
  p.ncycles = 2000000;
  const double t = 765432.0 * 38.0 + 27.5;    // cycle 765433, heating, 2.5 into the ramp
  const cryo_schedule_point point = at(p, t, 1e-9);
  EXPECT_EQ(point.completed_cycles, 765432);
  EXPECT_EQ(point.phase, CRYO_PHASE_HEATING);
  EXPECT_NEAR(point.target, 150.0, 1e-6);
  EXPECT_NEAR(point.time_left, 2000000.0 * 38.0 - t, 1e-6);
}

TEST(Schedule, TargetStaysWithinBoundsAndIsContinuous)
{
  const cryo_schedule_params p = asymmetric();
  double previous = at(p, 0.0).target;
  for (int i = 1; i <= 7600; ++i) {
    const double t = 0.01 * i;
    const double target = at(p, t, 1e-9).target;
    ASSERT_GE(target, 100.0);
    ASSERT_LE(target, 300.0);
    ASSERT_LE(std::fabs(target - previous), 20.0 * 0.01 + 1e-9) << "jump at t = " << t;
    previous = target;
  }
}

TEST(Schedule, InvalidParametersHaveSpecificStatus)
{
  cryo_schedule_params p = asymmetric();
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_OK);
  p.t_low = 300.0;
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_ERROR_TEMPERATURE_ORDER);
  p = asymmetric();
  p.t_low = 0.0;
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_ERROR_TEMPERATURE_NOT_POSITIVE);
  p = asymmetric();
  p.t_high = std::numeric_limits<double>::infinity();
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_ERROR_TEMPERATURE_NOT_POSITIVE);
  p = asymmetric();
  p.rate_heat = -1.0;
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_ERROR_RATE);
  p = asymmetric();
  p.rate_cool = 0.0;
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_ERROR_RATE);
  p = asymmetric();
  p.hold_high = -0.5;
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_ERROR_HOLD);
  p = asymmetric();
  p.ncycles = 0;
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_ERROR_CYCLES);
  p = asymmetric();
  p.start = (cryo_schedule_start) 7;
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_ERROR_START);
  EXPECT_EQ(cryo_schedule_validate(nullptr), CRYO_SCHEDULE_ERROR_NULL_ARGUMENT);
  EXPECT_TRUE(std::isnan(cryo_schedule_cycle_duration(&p)));

  p = asymmetric();
  cryo_schedule_point point;
  EXPECT_EQ(cryo_schedule_evaluate(&p, -1.0, 0.0, &point), CRYO_SCHEDULE_ERROR_TIME);
  EXPECT_EQ(cryo_schedule_evaluate(&p, NAN, 0.0, &point), CRYO_SCHEDULE_ERROR_TIME);
  EXPECT_EQ(cryo_schedule_evaluate(&p, 1.0, -1.0, &point), CRYO_SCHEDULE_ERROR_TIME);
  EXPECT_EQ(cryo_schedule_evaluate(&p, 1.0, 0.0, nullptr), CRYO_SCHEDULE_ERROR_NULL_ARGUMENT);
}

TEST(Schedule, DurationsMustBeFiniteAndTheCycleLongerThanZero)
{
  // Each hold is finite, their sum is not: 1e308 + 1e308 overflows.
  cryo_schedule_params p = asymmetric();
  p.hold_low = p.hold_high = 1e308;
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_ERROR_DURATION);
  EXPECT_EQ(cryo_schedule_cycle_duration(&p), std::numeric_limits<double>::infinity());
  cryo_schedule_point point;
  EXPECT_EQ(cryo_schedule_evaluate(&p, 0.0, 0.0, &point), CRYO_SCHEDULE_ERROR_DURATION);

  // A finite cycle of 2e300 + 30, but INT_MAX of them overflow.
  p = asymmetric();
  p.hold_low = p.hold_high = 1e300;
  p.ncycles = INT_MAX;
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_ERROR_DURATION);
  EXPECT_DOUBLE_EQ(cryo_schedule_cycle_duration(&p), 2e300);
  EXPECT_EQ(cryo_schedule_total_duration(&p), std::numeric_limits<double>::infinity());
  p.ncycles = 2;
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_OK);

  // Ramps of 1e-300 K at 1e300 K per time unit last 1e-600: zero in double, a cycle of no length.
  p = asymmetric();
  p.t_low = 1e-300;
  p.t_high = 2e-300;
  p.rate_cool = p.rate_heat = 1e300;
  p.hold_low = p.hold_high = 0.0;
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_ERROR_DURATION);
  EXPECT_EQ(cryo_schedule_cycle_duration(&p), 0.0);
  p.hold_high = 1e-3;    // a hold gives the cycle a length again
  EXPECT_EQ(cryo_schedule_validate(&p), CRYO_SCHEDULE_OK);
}

TEST(ScheduleSteps, AreTheStepsOnWhichCyclesComplete)
{
  int64_t cycle = -1, total = -1;
  // dt = 2^-10 is exact: 38 * 1024 steps per cycle.
  const cryo_schedule_params p = asymmetric();
  ASSERT_EQ(cryo_schedule_steps(&p, 1.0 / 1024.0, 1e-6 / 1024.0, &cycle, &total), CRYO_SCHEDULE_OK);
  EXPECT_EQ(cycle, 38912);
  EXPECT_EQ(total, 77824);

  // 300 K -> 80 K at 400 K per time unit is 0.55; 0.55 + 0.1 + 0.55 + 0.1 = 1.3 is 1300 steps of
  // 0.001, although the sum in double is 1.3000000000000003 and 1.3 / 0.001 rounds above 1300.
  cryo_schedule_params q = asymmetric();
  q.t_high = 300.0;
  q.t_low = 80.0;
  q.rate_cool = q.rate_heat = 400.0;
  q.hold_low = q.hold_high = 0.1;
  ASSERT_GT(cryo_schedule_cycle_duration(&q), 1.3);
  ASSERT_GT(std::ceil(cryo_schedule_cycle_duration(&q) / 0.001), 1300.0);
  ASSERT_EQ(cryo_schedule_steps(&q, 0.001, 1e-9, &cycle, &total), CRYO_SCHEDULE_OK);
  EXPECT_EQ(cycle, 1300);
  EXPECT_EQ(total, 2600);
  q.start = CRYO_SCHEDULE_START_LOW;
  q.ncycles = 3;
  ASSERT_EQ(cryo_schedule_steps(&q, 0.001, 1e-9, &cycle, &total), CRYO_SCHEDULE_OK);
  EXPECT_EQ(cycle, 1300);
  EXPECT_EQ(total, 3900);

  // 2 cycles of 30 (zero holds) at dt = 0.7: 42.86 steps per cycle, so step 43 completes the first
  // and step 86 (60.2) the second.
  cryo_schedule_params r = asymmetric();
  r.hold_low = r.hold_high = 0.0;
  ASSERT_EQ(cryo_schedule_steps(&r, 0.7, 0.7e-6, &cycle, &total), CRYO_SCHEDULE_OK);
  EXPECT_EQ(cycle, 43);
  EXPECT_EQ(total, 86);

  // 2e7 cycles at dt = 2^-10: 7.8e11 steps, beyond 32-bit counts.
  cryo_schedule_params many = asymmetric();
  many.ncycles = 20000000;
  ASSERT_EQ(cryo_schedule_steps(&many, 1.0 / 1024.0, 1e-6 / 1024.0, &cycle, &total), CRYO_SCHEDULE_OK);
  EXPECT_EQ(cycle, 38912);
  EXPECT_EQ(total, INT64_C(38912) * 20000000);
}

TEST(ScheduleSteps, MoreThanTwoToThe53AreRejected)
{
  int64_t cycle = -1, total = -1;
  cryo_schedule_params p = asymmetric();
  p.hold_low = p.hold_high = 1e20;    // 4e20 time units: 4e23 steps of 0.001
  EXPECT_EQ(cryo_schedule_steps(&p, 0.001, 1e-9, &cycle, &total), CRYO_SCHEDULE_ERROR_STEPS);
  EXPECT_EQ(cycle, -1);
  p.ncycles = 1;
  p.hold_high = 0.0;
  p.hold_low = 9007199254740992.0;    // 20 + 2^53 + 10: 2^53 + 30 steps of 1
  EXPECT_EQ(cryo_schedule_steps(&p, 1.0, 1e-6, &cycle, &total), CRYO_SCHEDULE_ERROR_STEPS);
  p.hold_low = 1e10;                  // fits: 1e10 + 30 steps
  ASSERT_EQ(cryo_schedule_steps(&p, 1.0, 1e-6, &cycle, &total), CRYO_SCHEDULE_OK);
  EXPECT_EQ(cycle, INT64_C(10000000030));
  EXPECT_EQ(total, INT64_C(10000000030));
}

TEST(ScheduleSteps, InvalidArgumentsHaveSpecificStatus)
{
  int64_t cycle = -1, total = -1;
  cryo_schedule_params p = asymmetric();
  EXPECT_EQ(cryo_schedule_steps(&p, 0.0, 0.0, &cycle, &total), CRYO_SCHEDULE_ERROR_TIMESTEP);
  EXPECT_EQ(cryo_schedule_steps(&p, -0.001, 0.0, &cycle, &total), CRYO_SCHEDULE_ERROR_TIMESTEP);
  EXPECT_EQ(cryo_schedule_steps(&p, NAN, 0.0, &cycle, &total), CRYO_SCHEDULE_ERROR_TIMESTEP);
  EXPECT_EQ(cryo_schedule_steps(&p, 0.001, -1.0, &cycle, &total), CRYO_SCHEDULE_ERROR_TIME);
  EXPECT_EQ(cryo_schedule_steps(&p, 0.001, 0.0, nullptr, &total), CRYO_SCHEDULE_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(cryo_schedule_steps(nullptr, 0.001, 0.0, &cycle, &total), CRYO_SCHEDULE_ERROR_NULL_ARGUMENT);
  p.t_low = 400.0;
  EXPECT_EQ(cryo_schedule_steps(&p, 0.001, 0.0, &cycle, &total), CRYO_SCHEDULE_ERROR_TEMPERATURE_ORDER);
  p = asymmetric();
  p.hold_low = p.hold_high = 1e308;
  EXPECT_EQ(cryo_schedule_steps(&p, 0.001, 0.0, &cycle, &total), CRYO_SCHEDULE_ERROR_DURATION);
  // the time of the step after a cycle of 1.5e308 at dt = 1e308 is not finite
  p = asymmetric();
  p.ncycles = 1;
  p.hold_low = 1.5e308;
  EXPECT_EQ(cryo_schedule_steps(&p, 1e308, 0.0, &cycle, &total), CRYO_SCHEDULE_ERROR_TIME);
  EXPECT_EQ(cycle, -1);
  EXPECT_EQ(total, -1);
}

TEST(Schedule, EveryStatusHasAMessage)
{
  for (int s = CRYO_SCHEDULE_OK; s <= CRYO_SCHEDULE_ERROR_STEPS; ++s) {
    const char *message = cryo_schedule_status_message((cryo_schedule_status) s);
    ASSERT_NE(message, nullptr);
    EXPECT_STRNE(message, "unknown status") << s;
  }
  EXPECT_STREQ(cryo_schedule_status_message(CRYO_SCHEDULE_ERROR_TEMPERATURE_ORDER),
               "Tlow must be < Thigh");
}

TEST(Clock, TimeIsExactOverBigintStepCounts)
{
  // dt = 2^-10 is exact in binary, so n * dt is exact for every n below 2^53.
  cryo_schedule_clock clock;
  ASSERT_EQ(cryo_schedule_clock_start(&clock, 0.0, 0, 1.0 / 1024.0), CRYO_SCHEDULE_OK);
  const int64_t huge = INT64_C(3000000000000);    // 3e12 steps: beyond 32-bit step counters
  EXPECT_EQ(cryo_schedule_clock_time(&clock, huge), 3000000000000.0 / 1024.0);

  // Adding dt step by step drifts; the anchored clock does not.
  cryo_schedule_clock fs;
  ASSERT_EQ(cryo_schedule_clock_start(&fs, 0.0, INT64_C(5000000000), 0.001), CRYO_SCHEDULE_OK);
  double summed = 0.0;
  for (int i = 0; i < 10000000; ++i) summed += 0.001;
  const double anchored = cryo_schedule_clock_time(&fs, INT64_C(5000000000) + 10000000);
  EXPECT_DOUBLE_EQ(anchored, 10000.0);
  EXPECT_GT(std::fabs(summed - 10000.0), std::fabs(anchored - 10000.0));
}

TEST(Clock, RebaseKeepsTimeContinuousAcrossTimestepChanges)
{
  cryo_schedule_clock clock;
  ASSERT_EQ(cryo_schedule_clock_start(&clock, 5.0, 100, 0.002), CRYO_SCHEDULE_OK);
  // 500 steps at 0.002 -> 6.0; then the timestep becomes 0.001 for the next 1000 steps -> 7.0.
  ASSERT_EQ(cryo_schedule_clock_rebase(&clock, 600, 0.001), CRYO_SCHEDULE_OK);
  EXPECT_DOUBLE_EQ(cryo_schedule_clock_time(&clock, 600), 6.0);
  EXPECT_DOUBLE_EQ(cryo_schedule_clock_time(&clock, 1600), 7.0);
  EXPECT_EQ(cryo_schedule_clock_rebase(&clock, 1600, 0.0), CRYO_SCHEDULE_ERROR_TIMESTEP);
  EXPECT_EQ(cryo_schedule_clock_start(&clock, -1.0, 0, 0.001), CRYO_SCHEDULE_ERROR_TIME);
  EXPECT_EQ(cryo_schedule_clock_start(nullptr, 0.0, 0, 0.001), CRYO_SCHEDULE_ERROR_NULL_ARGUMENT);
}

TEST(Clock, ScheduleAtAHugeStepCount)
{
  // 38 time units per cycle; at dt = 2^-10 one cycle is 38912 steps. Step 38912 * 10^7 + 20480
  // (20 time units into cycle 10^7 + 1) is the first step of that cycle's cold hold.
  cryo_schedule_params p = asymmetric();
  p.ncycles = 20000000;
  cryo_schedule_clock clock;
  ASSERT_EQ(cryo_schedule_clock_start(&clock, 0.0, 0, 1.0 / 1024.0), CRYO_SCHEDULE_OK);
  const int64_t step = INT64_C(38912) * 10000000 + 20480;
  const cryo_schedule_point point = at(p, cryo_schedule_clock_time(&clock, step), 1e-6 / 1024.0);
  EXPECT_EQ(point.completed_cycles, 10000000);
  EXPECT_EQ(point.phase, CRYO_PHASE_COLD_HOLD);
  EXPECT_DOUBLE_EQ(point.target, 100.0);
  const cryo_schedule_point before = at(p, cryo_schedule_clock_time(&clock, step - 1), 1e-6 / 1024.0);
  EXPECT_EQ(before.phase, CRYO_PHASE_COOLING);
  EXPECT_NEAR(before.target, 100.0 + 10.0 / 1024.0, 1e-6);
}

}    // namespace
