// Unit tests of the scan kernel (virtual DSC). Expected values are worked out by hand from the
// definitions in cryo_scan.h (linear segments; half-open bins; central differences of bin means;
// H_rel as the difference of interpolated enthalpy gaps), not taken from the code under test.
#include "cryo_scan.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace {

const double NaN = std::numeric_limits<double>::quiet_NaN();

// 100 K -> 300 K at 20 K per time unit: each ramp lasts 10; a hold of 4 at 100 K before the baseline.
cryo_scan_params heating(int baseline)
{
  return cryo_scan_params{100.0, 300.0, 20.0, baseline, 4.0};
}

cryo_scan_point at(const cryo_scan_params &p, double t, double tolerance = 0.0)
{
  cryo_scan_point point;
  EXPECT_EQ(cryo_scan_evaluate(&p, t, tolerance, &point), CRYO_SCAN_OK) << "t = " << t;
  return point;
}

TEST(Scan, Durations)
{
  const cryo_scan_params once = heating(0), twice = heating(1);
  EXPECT_DOUBLE_EQ(cryo_scan_segment_duration(&once), 10.0);
  EXPECT_DOUBLE_EQ(cryo_scan_total_duration(&once), 10.0);
  EXPECT_DOUBLE_EQ(cryo_scan_total_duration(&twice), 34.0);
}

TEST(Scan, HeatingWithBaseline)
{
  const cryo_scan_params p = heating(1);
  EXPECT_DOUBLE_EQ(at(p, 0.0).target, 100.0);
  EXPECT_EQ(at(p, 0.0).phase, CRYO_SCAN_PHASE_SCAN);
  EXPECT_DOUBLE_EQ(at(p, 2.5).target, 150.0);
  EXPECT_DOUBLE_EQ(at(p, 2.5).time_left, 31.5);
  // the boundary belongs to the segment that starts there
  EXPECT_DOUBLE_EQ(at(p, 10.0).target, 300.0);
  EXPECT_EQ(at(p, 10.0).phase, CRYO_SCAN_PHASE_RETURN);
  EXPECT_DOUBLE_EQ(at(p, 12.5).target, 250.0);    // 300 - 20 * 2.5
  EXPECT_EQ(at(p, 20.0).phase, CRYO_SCAN_PHASE_HOLD);
  EXPECT_DOUBLE_EQ(at(p, 20.0).target, 100.0);
  EXPECT_DOUBLE_EQ(at(p, 23.0).target, 100.0);
  EXPECT_EQ(at(p, 24.0).phase, CRYO_SCAN_PHASE_BASELINE);
  EXPECT_DOUBLE_EQ(at(p, 24.0).target, 100.0);
  EXPECT_DOUBLE_EQ(at(p, 31.0).target, 240.0);    // 100 + 20 * 7
  EXPECT_EQ(at(p, 34.0).phase, CRYO_SCAN_PHASE_DONE);
  EXPECT_DOUBLE_EQ(at(p, 34.0).target, 300.0);
  EXPECT_DOUBLE_EQ(at(p, 1e6).target, 300.0);
  EXPECT_DOUBLE_EQ(at(p, 1e6).time_left, 0.0);
  // within the tolerance before a boundary: on it
  EXPECT_EQ(at(p, 10.0 - 1e-9, 1e-8).phase, CRYO_SCAN_PHASE_RETURN);
  EXPECT_EQ(at(p, 10.0 - 1e-9, 0.0).phase, CRYO_SCAN_PHASE_SCAN);
  // without a hold the return ends where the baseline starts
  cryo_scan_params direct = p;
  direct.hold = 0.0;
  EXPECT_EQ(at(direct, 20.0).phase, CRYO_SCAN_PHASE_BASELINE);
  EXPECT_EQ(at(direct, 19.0).phase, CRYO_SCAN_PHASE_RETURN);
  EXPECT_DOUBLE_EQ(at(direct, 19.0).target, 120.0);
  EXPECT_DOUBLE_EQ(at(direct, 25.0).target, 200.0);
}

TEST(Scan, CoolingWithoutBaseline)
{
  const cryo_scan_params p{500.0, 200.0, 100.0, 0, 7.0};    // the hold is unused    // 3 time units
  EXPECT_DOUBLE_EQ(at(p, 1.0).target, 400.0);
  EXPECT_EQ(at(p, 1.0).phase, CRYO_SCAN_PHASE_SCAN);
  EXPECT_EQ(at(p, 3.0).phase, CRYO_SCAN_PHASE_DONE);
  EXPECT_DOUBLE_EQ(at(p, 3.0).target, 200.0);
}

TEST(Scan, BadSchedules)
{
  cryo_scan_point point;
  cryo_scan_params p = heating(1);
  EXPECT_EQ(cryo_scan_evaluate(nullptr, 0.0, 0.0, &point), CRYO_SCAN_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(cryo_scan_evaluate(&p, 0.0, 0.0, nullptr), CRYO_SCAN_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(cryo_scan_evaluate(&p, -1.0, 0.0, &point), CRYO_SCAN_ERROR_TIME);
  EXPECT_EQ(cryo_scan_evaluate(&p, NaN, 0.0, &point), CRYO_SCAN_ERROR_TIME);
  EXPECT_EQ(cryo_scan_evaluate(&p, 0.0, -1.0, &point), CRYO_SCAN_ERROR_TIME);
  p.t_end = 100.0;
  EXPECT_EQ(cryo_scan_validate(&p), CRYO_SCAN_ERROR_SAME_TEMPERATURE);
  p = heating(1);
  p.t_start = 0.0;
  EXPECT_EQ(cryo_scan_validate(&p), CRYO_SCAN_ERROR_TEMPERATURE);
  p = heating(1);
  p.t_end = std::numeric_limits<double>::infinity();
  EXPECT_EQ(cryo_scan_validate(&p), CRYO_SCAN_ERROR_TEMPERATURE);
  p = heating(1);
  p.rate = 0.0;
  EXPECT_EQ(cryo_scan_validate(&p), CRYO_SCAN_ERROR_RATE);
  p.rate = -3.0;
  EXPECT_EQ(cryo_scan_validate(&p), CRYO_SCAN_ERROR_RATE);
  p.rate = 1e-320;    // 200 K / 1e-320: inf
  EXPECT_EQ(cryo_scan_validate(&p), CRYO_SCAN_ERROR_DURATION);
  p = heating(1);
  p.hold = -1.0;
  EXPECT_EQ(cryo_scan_validate(&p), CRYO_SCAN_ERROR_HOLD);
  p.hold = 1e308;
  p.rate = 200.0 / 1e308;    // ramps of 1e308 each: finite, the total is not
  EXPECT_EQ(cryo_scan_validate(&p), CRYO_SCAN_ERROR_DURATION);
  const cryo_scan_params tiny{2e-300, 1e-300, 1e300, 0, 0.0};    // 1e-600: 0 in double
  EXPECT_EQ(cryo_scan_validate(&tiny), CRYO_SCAN_ERROR_DURATION);
  EXPECT_TRUE(std::isnan(cryo_scan_segment_duration(&tiny)));
  EXPECT_NE(std::string(cryo_scan_status_message(CRYO_SCAN_ERROR_OUTSIDE_CURVE)), "unknown status");
  EXPECT_EQ(std::string(cryo_scan_status_message((cryo_scan_status) 99)), "unknown status");
}

TEST(Scan, BinEdges)
{
  const cryo_scan_params p = heating(0);
  const cryo_scan_bins bins{150.0, 250.0, 4};    // width 25: 150 175 200 225 250
  EXPECT_EQ(cryo_scan_bins_validate(&bins, &p), CRYO_SCAN_OK);
  EXPECT_EQ(cryo_scan_bin_of(&bins, 149.999), -1);
  EXPECT_EQ(cryo_scan_bin_of(&bins, 150.0), 0);
  EXPECT_EQ(cryo_scan_bin_of(&bins, 174.999), 0);
  EXPECT_EQ(cryo_scan_bin_of(&bins, 175.0), 1);    // an inner edge: the upper bin
  EXPECT_EQ(cryo_scan_bin_of(&bins, 200.0), 2);
  EXPECT_EQ(cryo_scan_bin_of(&bins, 249.0), 3);
  EXPECT_EQ(cryo_scan_bin_of(&bins, 250.0), 3);    // the upper end: the last bin
  EXPECT_EQ(cryo_scan_bin_of(&bins, 250.001), -1);
  EXPECT_EQ(cryo_scan_bin_of(&bins, NaN), -1);

  // inside [min, max] of a cooling scan too
  const cryo_scan_params cooling{300.0, 100.0, 20.0, 1, 0.0};
  EXPECT_EQ(cryo_scan_bins_validate(&bins, &cooling), CRYO_SCAN_OK);
  const cryo_scan_bins below{90.0, 200.0, 4}, above{150.0, 301.0, 4}, reversed{200.0, 150.0, 4},
      none{150.0, 250.0, 0};
  EXPECT_EQ(cryo_scan_bins_validate(&below, &p), CRYO_SCAN_ERROR_BIN_RANGE);
  EXPECT_EQ(cryo_scan_bins_validate(&above, &p), CRYO_SCAN_ERROR_BIN_RANGE);
  EXPECT_EQ(cryo_scan_bins_validate(&reversed, &p), CRYO_SCAN_ERROR_BIN_RANGE);
  EXPECT_EQ(cryo_scan_bins_validate(&none, &p), CRYO_SCAN_ERROR_BIN_COUNT);
  EXPECT_EQ(cryo_scan_bins_validate(nullptr, &p), CRYO_SCAN_ERROR_NULL_ARGUMENT);
}

// Bins filled with H = a + c T (exact line): every C equals c, whatever bins are empty.
TEST(Scan, HeatCapacityOfALine)
{
  std::vector<cryo_scan_sums> sums(6, cryo_scan_sums{0, 0.0, 0.0, 0.0, 0.0});
  const double temps[] = {10.0, 11.0, 30.0, 31.0, 52.0};    // bins 0, 0, 2, 2, 4 (1, 3, 5 empty)
  const int bin[] = {0, 0, 2, 2, 4};
  for (int i = 0; i < 5; ++i) cryo_scan_add(&sums[bin[i]], temps[i], 2.0 + 0.5 * temps[i], -temps[i], 7.0);
  std::vector<cryo_scan_means> means(6);
  ASSERT_EQ(cryo_scan_curve(sums.data(), 6, means.data()), CRYO_SCAN_OK);
  EXPECT_DOUBLE_EQ(means[0].target, 10.5);
  EXPECT_DOUBLE_EQ(means[0].enthalpy, 2.0 + 0.5 * 10.5);
  EXPECT_DOUBLE_EQ(means[2].potential, -30.5);
  EXPECT_DOUBLE_EQ(means[4].volume, 7.0);
  for (int k : {0, 2, 4}) EXPECT_DOUBLE_EQ(means[k].heat_capacity, 0.5) << "bin " << k;
  for (int k : {1, 3, 5}) {
    EXPECT_TRUE(std::isnan(means[k].target));
    EXPECT_TRUE(std::isnan(means[k].heat_capacity));
  }
}

// A parabola H = T^2 / 2 at bin means 1, 2, 3, 4: the central difference is exact (C = T) inside;
// at the ends the one-sided differences give the slope at the midpoint of the two bins.
TEST(Scan, HeatCapacityCentralAndOneSided)
{
  std::vector<cryo_scan_sums> sums(4, cryo_scan_sums{0, 0.0, 0.0, 0.0, 0.0});
  for (int k = 0; k < 4; ++k) {
    const double t = k + 1.0;
    cryo_scan_add(&sums[k], t, 0.5 * t * t, 0.0, 0.0);
  }
  std::vector<cryo_scan_means> m(4);
  ASSERT_EQ(cryo_scan_curve(sums.data(), 4, m.data()), CRYO_SCAN_OK);
  EXPECT_DOUBLE_EQ(m[1].heat_capacity, 2.0);    // (4.5 - 0.5) / (3 - 1)
  EXPECT_DOUBLE_EQ(m[2].heat_capacity, 3.0);    // (8 - 2) / (4 - 2)
  EXPECT_DOUBLE_EQ(m[0].heat_capacity, 1.5);    // (2 - 0.5) / (2 - 1)
  EXPECT_DOUBLE_EQ(m[3].heat_capacity, 3.5);    // (8 - 4.5) / (4 - 3)
}

TEST(Scan, TooFewBins)
{
  std::vector<cryo_scan_sums> sums(3, cryo_scan_sums{0, 0.0, 0.0, 0.0, 0.0});
  cryo_scan_add(&sums[1], 5.0, 1.0, 0.0, 0.0);
  std::vector<cryo_scan_means> m(3);
  EXPECT_EQ(cryo_scan_curve(sums.data(), 3, m.data()), CRYO_SCAN_ERROR_TOO_FEW_BINS);
  EXPECT_DOUBLE_EQ(m[1].enthalpy, 1.0);
  EXPECT_TRUE(std::isnan(m[1].heat_capacity));
  EXPECT_EQ(cryo_scan_curve(nullptr, 3, m.data()), CRYO_SCAN_ERROR_NULL_ARGUMENT);
  EXPECT_EQ(cryo_scan_curve(sums.data(), 0, m.data()), CRYO_SCAN_ERROR_BIN_COUNT);
}

std::vector<cryo_scan_means> curve(const std::vector<double> &t, const std::vector<double> &h)
{
  std::vector<cryo_scan_sums> sums(t.size(), cryo_scan_sums{0, 0.0, 0.0, 0.0, 0.0});
  for (size_t k = 0; k < t.size(); ++k)
    if (!std::isnan(t[k])) cryo_scan_add(&sums[k], t[k], h[k], 0.0, 0.0);
  std::vector<cryo_scan_means> m(t.size());
  EXPECT_EQ(cryo_scan_curve(sums.data(), (int) t.size(), m.data()), CRYO_SCAN_OK);
  return m;
}

// Two exact lines: H_scan = 1 + 2 T, H_base = 3 T. Over [1.5, 3.5]:
// gap(T) = 1 - T, H_rel = gap(1.5) - gap(3.5) = -0.5 - (-2.5) = 2 = integral of (3 - 2) dT.
// Lines have no scatter: the uncertainty is 0.
TEST(Scan, RelaxationOfTwoLines)
{
  const std::vector<double> t = {1.0, 2.0, 3.0, 4.0};
  const auto scan = curve(t, {3.0, 5.0, 7.0, 9.0});
  const auto base = curve(t, {3.0, 6.0, 9.0, 12.0});
  double h = 0.0, sigma = -1.0;
  ASSERT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 4, 1.5, 3.5, 0.0, &h, &sigma), CRYO_SCAN_OK);
  EXPECT_NEAR(h, 2.0, 1e-14);
  EXPECT_NEAR(sigma, 0.0, 1e-14);
}

// A step in the scan (heat taken up between T = 2 and 3): H_scan = 0 at T <= 2, 1 at T >= 3;
// H_base = 0. Over [1, 4]: gap(1) - gap(4) = 0 - 1 = -1.
// Scatter: one kink residual each side. Scan bin means at T = 1, 2, 3, 4 are 0, 0, 1, 1; the
// residuals of bins 2 and 3 (T = 2 and 3) about their neighbours' line are -0.5 and +0.5, each
// with variance factor 1 + 1/4 + 1/4 = 1.5: sigma^2 = (0.25 / 1.5 + 0.25 / 1.5) / 2 = 1/6.
// Ends at bin means (w = 1 at T = 1 and w = 0 at T = 4): variance factor 1 each, so
// var(H_rel) = 2 sigma^2 = 1/3 (the baseline, a line, adds 0).
TEST(Scan, RelaxationUncertaintyFromScatter)
{
  const std::vector<double> t = {1.0, 2.0, 3.0, 4.0};
  const auto scan = curve(t, {0.0, 0.0, 1.0, 1.0});
  const auto base = curve(t, {0.0, 0.0, 0.0, 0.0});
  double h = 0.0, sigma = 0.0;
  ASSERT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 4, 1.0, 4.0, 0.0, &h, &sigma), CRYO_SCAN_OK);
  EXPECT_DOUBLE_EQ(h, -1.0);
  EXPECT_NEAR(sigma, std::sqrt(1.0 / 3.0), 1e-14);
}

// Interpolation between bin means with a gap (bin 1 empty): T = 1, 3 with H_scan 0, 4 and a line
// base H = T. At Ta = 2: scan 2 (w = 1/2), base 2 -> gap 0; at Tb = 3.5 (bins at 3 and 4, scan 4
// and 6): scan 5, base 3.5 -> gap 1.5; H_rel = 0 - 1.5 = -1.5.
TEST(Scan, RelaxationInterpolatesAcrossEmptyBins)
{
  const auto scan = curve({1.0, NaN, 3.0, 4.0}, {0.0, NaN, 4.0, 6.0});
  const auto base = curve({1.0, 2.0, 3.0, 4.0}, {1.0, 2.0, 3.0, 4.0});
  double h = 0.0, sigma = 0.0;
  ASSERT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 4, 2.0, 3.5, 0.0, &h, &sigma), CRYO_SCAN_OK);
  EXPECT_DOUBLE_EQ(h, -1.5);
}

TEST(Scan, RelaxationBadRanges)
{
  const std::vector<double> t = {1.0, 2.0, 3.0, 4.0};
  const auto scan = curve(t, {3.0, 5.0, 7.0, 9.0});
  const auto base = curve(t, {3.0, 6.0, 9.0, 12.0});
  double h, sigma;
  EXPECT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 4, 3.0, 2.0, 0.0, &h, &sigma),
            CRYO_SCAN_ERROR_RELAXATION_RANGE);
  EXPECT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 4, 2.0, 2.0, 0.0, &h, &sigma),
            CRYO_SCAN_ERROR_RELAXATION_RANGE);
  EXPECT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 4, 0.5, 2.0, 0.0, &h, &sigma),
            CRYO_SCAN_ERROR_OUTSIDE_CURVE);
  EXPECT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 4, 2.0, 4.5, 0.0, &h, &sigma),
            CRYO_SCAN_ERROR_OUTSIDE_CURVE);
  EXPECT_EQ(cryo_scan_relaxation(scan.data(), nullptr, 4, 2.0, 3.0, 0.0, &h, &sigma),
            CRYO_SCAN_ERROR_NULL_ARGUMENT);
  // a baseline that never got past its first bin (a run stopped early)
  std::vector<cryo_scan_means> one(4, cryo_scan_means{NaN, NaN, NaN, NaN, NaN});
  one[0] = cryo_scan_means{1.0, 3.0, 0.0, 0.0, NaN};
  EXPECT_EQ(cryo_scan_relaxation(scan.data(), one.data(), 4, 2.0, 3.0, 0.0, &h, &sigma),
            CRYO_SCAN_ERROR_TOO_FEW_BINS);
}

// Line fits at the ends (window 3 around Ta = 2 and Tb = 5, bins at T = 1 ... 6): the scan is
// H = 2 T with the noise +e, -e, +e, ... (e = 0.3), the baseline H = 3 T exactly.
// At Ta the window holds T = 1, 2, 3 with H = 2 + e, 4 - e, 6 + e: mean T 2, mean H 4 + e/3,
// Sxx = 2, Sxy = 4, slope 2, value at 2: 4 + e/3; residuals 2e/3, -4e/3, 2e/3, RSS = 8 e^2 / 3,
// s^2 = RSS / (3 - 2), variance of the value at the mean T: s^2 / 3 = 8 e^2 / 9. At Tb likewise
// (T = 4, 5, 6 with H = 8 - e, 10 + e, 12 - e): 10 - e/3, variance 8 e^2 / 9. The baseline fits
// are exact (variance 0). H_rel = (4 + e/3 - 6) - (10 - e/3 - 15) = 3 + 2e/3 = 3.2, uncertainty
// sqrt(16 e^2 / 9) = 4e/3 = 0.4. Interpolation (window 0) takes the bins at 2 and 5 alone:
// (4 - e - 6) - (10 + e - 15) = 3 - 2e = 2.4.
TEST(Scan, RelaxationFromLineFitsAtTheEnds)
{
  const double e = 0.3;
  const std::vector<double> t = {1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
  const auto scan = curve(t, {2.0 + e, 4.0 - e, 6.0 + e, 8.0 - e, 10.0 + e, 12.0 - e});
  const auto base = curve(t, {3.0, 6.0, 9.0, 12.0, 15.0, 18.0});
  double h = 0.0, sigma = 0.0;
  ASSERT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 6, 2.0, 5.0, 3.0, &h, &sigma), CRYO_SCAN_OK);
  EXPECT_NEAR(h, 3.2, 1e-13);
  EXPECT_NEAR(sigma, 0.4, 1e-13);
  ASSERT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 6, 2.0, 5.0, 0.0, &h, &sigma), CRYO_SCAN_OK);
  EXPECT_NEAR(h, 2.4, 1e-13);
  // a window edge exactly on a bin counts it (|T - Ta| <= window/2): width 2 is the same fit
  ASSERT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 6, 2.0, 5.0, 2.0, &h, &sigma), CRYO_SCAN_OK);
  EXPECT_NEAR(h, 3.2, 1e-13);
}

TEST(Scan, RelaxationFitWindowRefusals)
{
  const std::vector<double> t = {1.0, 2.0, 3.0, 4.0};
  const auto scan = curve(t, {3.0, 5.0, 7.0, 9.0});
  const auto base = curve(t, {3.0, 6.0, 9.0, 12.0});
  double h, sigma;
  EXPECT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 4, 2.0, 3.0, -1.0, &h, &sigma),
            CRYO_SCAN_ERROR_FIT_WINDOW);
  EXPECT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 4, 2.0, 3.0, NaN, &h, &sigma),
            CRYO_SCAN_ERROR_FIT_WINDOW);
  // window 0.5 around 2.5 holds no bin mean
  EXPECT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 4, 2.5, 3.0, 0.5, &h, &sigma),
            CRYO_SCAN_ERROR_FIT_TOO_FEW_BINS);
  // two bins: a value, but no residuals for an uncertainty
  ASSERT_EQ(cryo_scan_relaxation(scan.data(), base.data(), 4, 1.5, 3.5, 1.0, &h, &sigma), CRYO_SCAN_OK);
  EXPECT_NEAR(h, 2.0, 1e-14);
  EXPECT_TRUE(std::isnan(sigma));
  EXPECT_STRNE(cryo_scan_status_message(CRYO_SCAN_ERROR_FIT_WINDOW), "unknown status");
  EXPECT_STRNE(cryo_scan_status_message(CRYO_SCAN_ERROR_FIT_TOO_FEW_BINS), "unknown status");
}

}    // namespace
