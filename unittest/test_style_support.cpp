// Unit test of base_style() (src/style_support.h): every accelerator suffix LAMMPS has is stripped
// by name, whether or not the host has its package (the integration tests run the ones it has:
// test_accelerators.py), whatever suffix is active, once, and nothing else is.
#include "style_support.h"

#include <gtest/gtest.h>

using LAMMPS_NS::base_style;

TEST(StyleSupport, EveryAcceleratorSuffixStripped)
{
  for (const char *base : {"langevin", "temp/rescale", "nvt", "npt", "temp/berendsen", "nvt/sllod"}) {
    const std::string plain(base);
    for (const char *suffix : {"/kk", "/kk/host", "/kk/device", "/omp", "/gpu", "/intel", "/opt"})
      EXPECT_EQ(base_style(plain + suffix), plain) << plain + suffix;
    EXPECT_EQ(base_style(plain), plain);
  }
}

TEST(StyleSupport, OnlyOneTrailingSuffixAndNothingElse)
{
  EXPECT_EQ(base_style("temp/rescale/eff"), "temp/rescale/eff");    // a different style, not a variant
  EXPECT_EQ(base_style("langevin/drude"), "langevin/drude");
  EXPECT_EQ(base_style("omp/kk"), "omp");                             // one suffix only
  EXPECT_EQ(base_style("nvt/omp/kk"), "nvt/omp");
  EXPECT_EQ(base_style("nvt/kk/hostile"), "nvt/kk/hostile");           // whole components only
  EXPECT_EQ(base_style("nvtomp"), "nvtomp");
  EXPECT_EQ(base_style("/kk"), "/kk");                                 // nothing left: not a suffix
  EXPECT_EQ(base_style(""), "");
}
