// Unit tests of the atomic-strain kernel against analytic cases (homogeneous deformations, whose
// strain follows from the definitions in doc/theory.rst), through both paths of
// cryo_strain_evaluate (full sums, and
// the reference moments of fixed lists). Expected values are derived by hand from the definitions
// (E = (F^T F - I)/2 of the applied F), not produced by the code under test.
#include "cryo_strain.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

namespace {

using Vec = std::array<double, 3>;
using Mat = std::array<Vec, 3>;

const Mat IDENTITY = {{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};

Vec mat_vec(const Mat &m, const Vec &v)
{
  Vec r{};
  for (int i = 0; i < 3; ++i) r[i] = m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2];
  return r;
}

Mat multiply(const Mat &a, const Mat &b)
{
  Mat r{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
  return r;
}

// A set of atoms with reference positions x0, displacements u (current positions x = x0 + u),
// the cells, and neighbour lists.
struct System {
  std::vector<Vec> x0, u, x;
  cryo_strain_config config{};
  std::vector<int> center, first, neighbor;
  cryo_strain_atoms rows{};

  const cryo_strain_atoms *atoms()
  {
    x.resize(x0.size());
    for (size_t i = 0; i < x0.size(); ++i)
      for (int c = 0; c < 3; ++c) x[i][c] = x0[i][c] + u[i][c];
    rows = {x0.empty() ? nullptr : x0[0].data(), x.empty() ? nullptr : x[0].data(), 3, 3};
    return &rows;
  }

  void set_cells(const Mat &h0, const Mat &h, int px, int py, int pz, int dimension = 3)
  {
    const double origin[3] = {0.0, 0.0, 0.0};
    const int periodic[3] = {px, py, pz};
    double m0[3][3], m[3][3];
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) {
        m0[r][c] = h0[r][c];
        m[r][c] = h[r][c];
      }
    config.reference = cryo_cell_make(m0, origin, periodic, dimension);
    config.current = cryo_cell_make(m, origin, periodic, dimension);
  }

  // both cells have the dimension
  void set_dimension(int dimension) { config.reference.dimension = config.current.dimension = dimension; }

  // evaluate every centre; returns rows of cryo_strain_columns(config) values
  // (with the reference moments if `moments` is given, else without)
  std::vector<double> run(int nthreads = 1, int *ninvalid = nullptr,
                          cryo_strain_status expect = CRYO_STRAIN_OK,
                          const std::vector<double> *moments = nullptr)
  {
    const int columns = cryo_strain_columns(&config);
    std::vector<double> out(x0.size() * columns, -1.0);
    const auto status = cryo_strain_evaluate(&config, (int) center.size(), center.data(),
                                             first.data(), neighbor.data(), atoms(),
                                             moments ? moments->data() : nullptr, nthreads,
                                             out.data(), columns, ninvalid);
    EXPECT_EQ(status, expect) << cryo_strain_status_message(status);
    return out;
  }
};

// Atom 0 at the origin surrounded by `shell`; current positions x = F x0.
System cluster(const std::vector<Vec> &shell, const Mat &F)
{
  System s;
  s.x0.push_back({0, 0, 0});
  for (const Vec &v : shell) s.x0.push_back(v);
  for (const Vec &p : s.x0) {
    const Vec x = mat_vec(F, p);
    s.u.push_back({x[0] - p[0], x[1] - p[1], x[2] - p[2]});
  }
  const Mat big = {{{100, 0, 0}, {0, 100, 0}, {0, 0, 100}}};
  s.set_cells(big, big, 0, 0, 0);
  s.center = {0};
  s.first = {0, (int) shell.size()};
  for (int j = 1; j <= (int) shell.size(); ++j) s.neighbor.push_back(j);
  return s;
}

std::vector<Vec> fcc_shell(double a)
{
  std::vector<Vec> shell;
  const double h = a / 2;
  for (int s1 : {-1, 1})
    for (int s2 : {-1, 1}) {
      shell.push_back({s1 * h, s2 * h, 0});
      shell.push_back({s1 * h, 0, s2 * h});
      shell.push_back({0, s1 * h, s2 * h});
    }
  return shell;
}

constexpr double TOL = 1e-12;

// The system with every neighbour that crosses a periodic boundary replaced by an explicit copy of
// it in that image (x0 - H0 k, x - H k), as LAMMPS's ghost atoms are: every pair is then its own
// nearest image, which the reference moments require.
System with_copies(System s)
{
  Mat h0, h;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      h0[r][c] = s.config.reference.h[r][c];
      h[r][c] = s.config.current.h[r][c];
    }
  for (size_t n = 0; n < s.neighbor.size(); ++n) {
    size_t c = 0;
    while (!(s.first[c] <= (int) n && (int) n < s.first[c + 1])) ++c;
    const int i = s.center[c], j = s.neighbor[n];
    double d0[3], k[3];
    EXPECT_EQ(cryo_strain_reference_pair(&s.config, s.x0[i].data(), s.x0[j].data(), d0, k), CRYO_STRAIN_OK);
    if (k[0] == 0 && k[1] == 0 && k[2] == 0) continue;
    const Vec shift0 = mat_vec(h0, {k[0], k[1], k[2]}), shift = mat_vec(h, {k[0], k[1], k[2]});
    Vec x0 = s.x0[j], u = s.u[j];
    for (int d = 0; d < 3; ++d) {
      x0[d] -= shift0[d];
      u[d] -= shift[d] - shift0[d];
    }
    s.x0.push_back(x0);
    s.u.push_back(u);
    s.neighbor[n] = (int) s.x0.size() - 1;
  }
  return s;
}

std::vector<double> moments_of(System &s, cryo_strain_status expect = CRYO_STRAIN_OK)
{
  std::vector<double> moments(CRYO_STRAIN_MOMENTS * s.center.size(), -1.0);
  EXPECT_EQ(cryo_strain_reference_moments(&s.config, (int) s.center.size(), s.center.data(),
                                          s.first.data(), s.neighbor.data(), s.atoms(), 2,
                                          moments.data()),
            expect);
  return moments;
}

// Both paths: the full sums and, where the fast path applies (3D, affine off), the reference
// moments over explicit periodic copies; they must agree to TOL. Returns the full sums' rows.
std::vector<double> run_both(System &s)
{
  const auto full = s.run();
  if (s.config.reference.dimension == 3 && s.config.affine == CRYO_STRAIN_AFFINE_OFF) {
    System copies = with_copies(s);
    const auto moments = moments_of(copies);
    const auto fast = copies.run(1, nullptr, CRYO_STRAIN_OK, &moments);
    for (size_t k = 0; k < full.size(); ++k) EXPECT_NEAR(fast[k], full[k], TOL) << "entry " << k;
  }
  return full;
}

TEST(Strain, SimpleShear)
{
  const double g = 0.1;
  Mat F = IDENTITY;
  F[0][1] = g;
  System s = cluster(fcc_shell(3.6), F);
  auto out = run_both(s);
  EXPECT_NEAR(out[0], 0.5 * g * std::sqrt(1 + g * g / 3), TOL);
  EXPECT_NEAR(out[0], 0.0500832640, 1e-10);    // the reference sheet's value
  EXPECT_NEAR(out[1], g * g / 6, TOL);
  EXPECT_NEAR(out[1], 0.0016666667, 1e-10);
  EXPECT_NEAR(out[2], 0.0, TOL);
  EXPECT_EQ(out[3], 1.0);
}

TEST(Strain, RigidRotationIsStrainFree)
{
  // rotation by 0.7 rad about the axis (1, 2, 2)/3 (Rodrigues)
  const Vec n = {1.0 / 3, 2.0 / 3, 2.0 / 3};
  const double c = std::cos(0.7), s = std::sin(0.7);
  Mat R{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) R[i][j] = (i == j ? c : 0.0) + (1 - c) * n[i] * n[j];
  R[0][1] -= s * n[2]; R[0][2] += s * n[1];
  R[1][0] += s * n[2]; R[1][2] -= s * n[0];
  R[2][0] -= s * n[1]; R[2][1] += s * n[0];
  System rotated = cluster(fcc_shell(3.6), R);
  auto out = run_both(rotated);
  EXPECT_NEAR(out[0], 0.0, TOL);
  EXPECT_NEAR(out[1], 0.0, TOL);
  EXPECT_NEAR(out[2], 0.0, TOL);
}

TEST(Strain, Dilation)
{
  const double e = 0.03;
  Mat F = IDENTITY;
  for (int i = 0; i < 3; ++i) F[i][i] = 1 + e;
  System s = cluster(fcc_shell(3.6), F);
  auto out = run_both(s);
  EXPECT_NEAR(out[0], 0.0, TOL);
  EXPECT_NEAR(out[1], e + e * e / 2, TOL);
  EXPECT_NEAR(out[2], 0.0, TOL);
}

TEST(Strain, UniaxialStretch)
{
  const double l = 1.08, a = (l * l - 1) / 2;
  Mat F = IDENTITY;
  F[0][0] = l;
  System s = cluster(fcc_shell(3.6), F);
  auto out = run_both(s);
  EXPECT_NEAR(out[0], a / std::sqrt(3.0), TOL);
  EXPECT_NEAR(out[1], a / 3, TOL);
  EXPECT_NEAR(out[2], 0.0, TOL);
}

TEST(Strain, TensorColumns)
{
  Mat F = {{{1.02, 0.05, -0.01}, {0.03, 0.98, 0.02}, {0.0, -0.04, 1.01}}};
  System s = cluster(fcc_shell(3.6), F);
  s.config.tensor = CRYO_STRAIN_TENSOR_F;
  auto out = run_both(s);
  ASSERT_EQ(out.size(), 13u * s.x0.size());
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) EXPECT_NEAR(out[4 + 3 * r + c], F[r][c], TOL);
  s.config.tensor = CRYO_STRAIN_TENSOR_E;
  out = run_both(s);
  ASSERT_EQ(out.size(), 10u * s.x0.size());
  auto E = [&](int r, int c) {
    double sum = 0;
    for (int k = 0; k < 3; ++k) sum += F[k][r] * F[k][c];
    return 0.5 * (sum - (r == c));
  };
  const double expected[6] = {E(0, 0), E(1, 1), E(2, 2), E(0, 1), E(0, 2), E(1, 2)};
  for (int k = 0; k < 6; ++k) EXPECT_NEAR(out[4 + k], expected[k], TOL);
}

// Case 6: one atom displaced by delta in a perfect fcc crystal, cutoff between the first and
// second shells: that atom has F = I, eta = 0 and D2min = 12 |delta|^2 (rms: |delta|).
TEST(Strain, SingleDisplacedAtomInFcc)
{
  const double a = 3.6, rc = 3.0;
  const int n = 3;
  System s;
  const Vec basis[4] = {{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < n; ++k)
        for (const Vec &b : basis) s.x0.push_back({(i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a});
  const Mat cell = {{{n * a, 0, 0}, {0, n * a, 0}, {0, 0, n * a}}};
  s.set_cells(cell, cell, 1, 1, 1);
  const Vec delta = {0.011, -0.023, 0.017};
  s.u.assign(s.x0.size(), {0, 0, 0});
  s.u[0] = delta;
  // neighbours of atom 0 by brute force over images
  s.center = {0};
  s.first = {0};
  for (int j = 1; j < (int) s.x0.size(); ++j)
    for (int ix = -1; ix <= 1; ++ix)
      for (int iy = -1; iy <= 1; ++iy)
        for (int iz = -1; iz <= 1; ++iz) {
          const Vec d = {s.x0[j][0] + ix * n * a, s.x0[j][1] + iy * n * a, s.x0[j][2] + iz * n * a};
          if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] <= rc * rc) s.neighbor.push_back(j);
        }
  s.first.push_back((int) s.neighbor.size());
  ASSERT_EQ(s.neighbor.size(), 12u);
  const double delta2 = delta[0] * delta[0] + delta[1] * delta[1] + delta[2] * delta[2];
  auto out = run_both(s);
  EXPECT_NEAR(out[0], 0.0, TOL);
  EXPECT_NEAR(out[1], 0.0, TOL);
  EXPECT_NEAR(out[2], 12 * delta2, TOL);
  s.config.d2min = CRYO_STRAIN_D2MIN_RMS;
  out = run_both(s);
  EXPECT_NEAR(out[2], std::sqrt(delta2), TOL);
}

// Case 5: a random affine map applied to a periodic triclinic "glass" (cell H = F H0, positions
// unwrapped across several images) is recovered exactly at every atom, including pairs that cross
// the periodic boundary; mapped back to the reference cell it is strain free.
struct PeriodicGlass {
  System s;
  Mat F;
  int crossing_pairs = 0;    // neighbour pairs that cross a periodic boundary
};

// The glass's reference cell: triclinic, every cell vector tilted.
const Mat GLASS_CELL = {{{12.0, 2.5, -1.5}, {0.0, 11.0, 1.8}, {0.0, 0.0, 13.0}}};

PeriodicGlass periodic_glass(unsigned seed)
{
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0), small(-0.06, 0.06);
  std::uniform_int_distribution<int> image(-2, 2);
  const Mat &h0 = GLASS_CELL;
  Mat F = IDENTITY;
  for (auto &row : F)
    for (double &v : row) v += small(rng);
  const Mat h = multiply(F, h0);
  PeriodicGlass g;
  g.F = F;
  System &s = g.s;
  const int natoms = 160;
  std::vector<Vec> wrapped;
  for (int i = 0; i < natoms; ++i) {
    const Vec frac = {unit(rng), unit(rng), unit(rng)};
    const Vec w = mat_vec(h0, frac);
    const Vec n = {(double) image(rng), (double) image(rng), (double) image(rng)};
    const Vec shift = mat_vec(h0, n);
    wrapped.push_back(w);
    const Vec x0 = {w[0] + shift[0], w[1] + shift[1], w[2] + shift[2]};    // unwrapped reference
    const Vec x = mat_vec(F, x0);                                            // affine map
    s.x0.push_back(x0);
    s.u.push_back({x[0] - x0[0] + 0.3, x[1] - x0[1] - 0.2, x[2] - x0[2] + 0.1});    // + translation
  }
  s.set_cells(h0, h, 1, 1, 1);
  const double rc = 4.0;
  for (int i = 0; i < natoms; ++i) {
    s.center.push_back(i);
    s.first.push_back((int) s.neighbor.size());
    for (int j = 0; j < natoms; ++j) {
      if (j == i) continue;
      for (int a = -1; a <= 1; ++a)
        for (int b = -1; b <= 1; ++b)
          for (int c = -1; c <= 1; ++c) {
            const Vec shift = mat_vec(h0, {(double) a, (double) b, (double) c});
            const Vec d = {wrapped[j][0] + shift[0] - wrapped[i][0], wrapped[j][1] + shift[1] - wrapped[i][1],
                           wrapped[j][2] + shift[2] - wrapped[i][2]};
            if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] <= rc * rc) {
              s.neighbor.push_back(j);
              if (a || b || c) ++g.crossing_pairs;
            }
          }
    }
  }
  s.first.push_back((int) s.neighbor.size());
  return g;
}

// non-affine motion: normally distributed displacements with standard deviation sigma
void add_noise(System &s, unsigned seed, double sigma)
{
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, sigma);
  for (Vec &u : s.u)
    for (double &v : u) v += noise(rng);
}

TEST(Strain, RandomAffineMapOfAPeriodicGlassIsRecoveredEverywhere)
{
  PeriodicGlass g = periodic_glass(2025);
  g.s.config.tensor = CRYO_STRAIN_TENSOR_F;
  int invalid = -1;
  auto out = g.s.run(1, &invalid);
  EXPECT_EQ(invalid, 0);
  const int columns = 13;
  EXPECT_GT(g.crossing_pairs, 300);
  for (size_t c = 0; c < g.s.center.size(); ++c) {
    const double *row = &out[c * columns];
    ASSERT_EQ(row[3], 1.0) << "atom " << c;
    for (int r = 0; r < 3; ++r)
      for (int k = 0; k < 3; ++k) EXPECT_NEAR(row[4 + 3 * r + k], g.F[r][k], TOL) << "atom " << c;
    EXPECT_NEAR(row[2], 0.0, TOL);    // D2min of an exact affine map: rounding only
  }

  g.s.config.affine = CRYO_STRAIN_AFFINE_TO_REFERENCE;
  out = g.s.run();
  for (size_t c = 0; c < g.s.center.size(); ++c) {
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(out[c * 13 + k], 0.0, TOL);
    for (int r = 0; r < 3; ++r)
      for (int k = 0; k < 3; ++k) EXPECT_NEAR(out[c * 13 + 4 + 3 * r + k], IDENTITY[r][k], TOL);
  }
  g.s.config.affine = CRYO_STRAIN_AFFINE_TO_CURRENT;
  out = g.s.run();
  for (size_t c = 0; c < g.s.center.size(); ++c)
    for (int k = 0; k < 3; ++k) EXPECT_NEAR(out[c * 13 + k], 0.0, TOL);
}

// Case 7: wrapped or unwrapped reference coordinates (any periodic image of an atom) give the
// same values. Another image n of atom i is x0_i + H0 n in the reference and x_i + H n now, so its
// displacement changes by (H - H0) n when the cell has deformed.
TEST(Strain, ImagesOfReferencePositionsDoNotMatter)
{
  PeriodicGlass g = periodic_glass(7);
  const auto before = g.s.run();
  const Mat &h0 = GLASS_CELL;
  const Mat h = multiply(g.F, h0);
  const Vec n = {3.0, -2.0, 1.0};
  const Vec shift0 = mat_vec(h0, n), shift = mat_vec(h, n);
  for (size_t i = 0; i < g.s.x0.size(); i += 3)
    for (int k = 0; k < 3; ++k) {
      g.s.x0[i][k] += shift0[k];
      g.s.u[i][k] += shift[k] - shift0[k];
    }
  const auto after = g.s.run();
  for (size_t k = 0; k < before.size(); ++k) EXPECT_NEAR(after[k], before[k], 1e-12);
}

TEST(Strain, ThreadCountDoesNotChangeAnyBit)
{
  PeriodicGlass g = periodic_glass(11);
  add_noise(g.s, 3, 0.05);
  g.s.config.tensor = CRYO_STRAIN_TENSOR_E;
  const auto one = g.s.run(1);
  const auto three = g.s.run(3);
  ASSERT_EQ(one.size(), three.size());
  EXPECT_EQ(std::memcmp(one.data(), three.data(), one.size() * sizeof(double)), 0);
}

// The fast path (reference moments given) computes what the full sums compute, to rounding:
// F, E, eta, D2min (sum and rms) of a deformed periodic glass with non-affine noise; and it does
// not depend on the thread count.
TEST(Strain, ReferenceMomentsGiveTheSameValuesAsTheFullSums)
{
  PeriodicGlass g = periodic_glass(23);
  add_noise(g.s, 5, 0.08);
  // pairs across the boundary are not their own nearest images: refused
  moments_of(g.s, CRYO_STRAIN_ERROR_IMAGE);
  System copies = with_copies(g.s);
  ASSERT_GT(copies.x0.size(), g.s.x0.size() + 300);
  const std::vector<double> moments = moments_of(copies);
  for (auto tensor : {CRYO_STRAIN_TENSOR_F, CRYO_STRAIN_TENSOR_E}) {
    for (auto d2min : {CRYO_STRAIN_D2MIN_SUM, CRYO_STRAIN_D2MIN_RMS}) {
      g.s.config.tensor = copies.config.tensor = tensor;
      g.s.config.d2min = copies.config.d2min = d2min;
      int invalid_full = -1, invalid_fast = -1;
      const auto full = g.s.run(1, &invalid_full);
      const auto fast = copies.run(1, &invalid_fast, CRYO_STRAIN_OK, &moments);
      EXPECT_EQ(invalid_fast, invalid_full);
      EXPECT_EQ(invalid_full, 0);
      for (size_t k = 0; k < full.size(); ++k) EXPECT_NEAR(fast[k], full[k], 1e-12) << "entry " << k;
      const auto threads = copies.run(3, nullptr, CRYO_STRAIN_OK, &moments);
      EXPECT_EQ(std::memcmp(fast.data(), threads.data(), fast.size() * sizeof(double)), 0);
    }
  }
  // the D2min column is not trivially zero here
  double largest = 0;
  for (size_t c = 0; c < g.s.center.size(); ++c) largest = std::max(largest, g.s.run()[c * 10 + 2]);
  EXPECT_GT(largest, 1e-3);
}

TEST(Strain, TwoDimensionalSimpleShear)
{
  const double g = 0.12;
  std::vector<Vec> hexagon;
  for (int k = 0; k < 6; ++k) hexagon.push_back({std::cos(k * M_PI / 3), std::sin(k * M_PI / 3), 0.0});
  Mat F = IDENTITY;
  F[0][1] = g;
  System s = cluster(hexagon, F);
  s.set_dimension(2);
  auto out = s.run();
  // E = [[0, g/2], [g/2, g^2/2]]: eta = sqrt((g/2)^2 + (g^2/2)^2 / 2), eta_vol = g^2/4
  EXPECT_NEAR(out[0], std::sqrt(g * g / 4 + g * g * g * g / 8), TOL);
  EXPECT_NEAR(out[1], g * g / 4, TOL);
  EXPECT_NEAR(out[2], 0.0, TOL);
  EXPECT_EQ(out[3], 1.0);
}

TEST(Strain, InvalidAtomsGetZerosAndAreCounted)
{
  System too_few = cluster({{1, 0, 0}, {0, 1, 0}}, IDENTITY);    // 2 neighbours in 3D
  System planar = cluster({{1, 0, 0}, {0, 1, 0}, {1, 1, 0}, {-1, 0.5, 0}}, IDENTITY);    // det V = 0
  Mat flatten = IDENTITY;
  flatten[2][2] = 0.0;    // every current vector lies in the xy plane: det W = 0
  System collapsed = cluster(fcc_shell(3.6), flatten);
  for (System *s : {&too_few, &planar, &collapsed}) {
    s->config.tensor = CRYO_STRAIN_TENSOR_F;
    const std::vector<double> moments = moments_of(*s);
    for (const std::vector<double> *m : {(const std::vector<double> *) nullptr, &moments}) {
      int invalid = -1;
      auto out = s->run(1, &invalid, CRYO_STRAIN_OK, m);
      EXPECT_EQ(invalid, 1);
      for (int k = 0; k < cryo_strain_columns(&s->config); ++k) EXPECT_EQ(out[k], 0.0);    // row 0
    }
  }
  System fine = cluster(fcc_shell(3.6), IDENTITY);
  int invalid = -1;
  fine.run(1, &invalid);
  EXPECT_EQ(invalid, 0);
  // 2D needs only 2 neighbours
  System two = cluster({{1, 0, 0}, {0, 1, 0}}, IDENTITY);
  two.set_dimension(2);
  EXPECT_EQ(two.run()[3], 1.0);
}

TEST(Strain, BadArgumentsHaveSpecificStatus)
{
  System s = cluster(fcc_shell(3.6), IDENTITY);
  s.set_dimension(4);
  s.run(1, nullptr, CRYO_STRAIN_ERROR_DIMENSION);
  s.set_dimension(3);
  s.config.affine = (cryo_strain_affine) 5;
  s.run(1, nullptr, CRYO_STRAIN_ERROR_OPTION);
  s.config.affine = CRYO_STRAIN_AFFINE_OFF;
  s.config.current.h[2][2] = 0.0;
  s.run(1, nullptr, CRYO_STRAIN_ERROR_CELL);
  s.config.current.h[2][2] = 100.0;
  // the two cells are one lattice: the same periodic directions and dimension
  s.config.current.periodic[1] = 1;
  s.run(1, nullptr, CRYO_STRAIN_ERROR_CELL);
  s.config.current.periodic[1] = 0;
  s.config.current.dimension = 2;
  s.run(1, nullptr, CRYO_STRAIN_ERROR_CELL);
  s.config.current.dimension = 3;
  s.first = {5, 2};
  s.run(1, nullptr, CRYO_STRAIN_ERROR_COUNT);
  double out[4];
  EXPECT_EQ(cryo_strain_evaluate(&s.config, 0, nullptr, nullptr, nullptr, nullptr, nullptr, 1, out, 3,
                                 nullptr),
            CRYO_STRAIN_ERROR_STRIDE);
  EXPECT_EQ(cryo_strain_evaluate(nullptr, 0, nullptr, nullptr, nullptr, nullptr, nullptr, 1, out, 4,
                                 nullptr),
            CRYO_STRAIN_ERROR_NULL_ARGUMENT);
  s.first = {0, 12};
  s.atoms();
  cryo_strain_atoms bad_stride = {s.x0[0].data(), s.x[0].data(), 3, 2};
  EXPECT_EQ(cryo_strain_evaluate(&s.config, 1, s.center.data(), s.first.data(), s.neighbor.data(),
                                 &bad_stride, nullptr, 1, out, 4, nullptr),
            CRYO_STRAIN_ERROR_NULL_ARGUMENT);
  double moments[CRYO_STRAIN_MOMENTS];
  EXPECT_EQ(cryo_strain_reference_moments(&s.config, 1, s.center.data(), s.first.data(),
                                          s.neighbor.data(), s.atoms(), 1, nullptr),
            CRYO_STRAIN_ERROR_NULL_ARGUMENT);
  s.first = {3, 1};
  EXPECT_EQ(cryo_strain_reference_moments(&s.config, 1, s.center.data(), s.first.data(),
                                          s.neighbor.data(), s.atoms(), 1, moments),
            CRYO_STRAIN_ERROR_COUNT);
  for (int k = CRYO_STRAIN_OK; k <= CRYO_STRAIN_ERROR_IMAGE; ++k)
    EXPECT_STRNE(cryo_strain_status_message((cryo_strain_status) k), "unknown status");
}

TEST(Strain, SelectReferenceKeepsExactlyThePairsWithinTheCutoff)
{
  // candidates: every other atom; the kept ones must be the brute-force neighbours (cutoff 4.0)
  PeriodicGlass g = periodic_glass(19);
  const int natoms = (int) g.s.x0.size();
  std::vector<int> first = {0}, candidates;
  for (int i = 0; i < natoms; ++i) {
    for (int j = 0; j < natoms; ++j)
      if (j != i) candidates.push_back(j);
    first.push_back((int) candidates.size());
  }
  std::vector<int> count(natoms);
  ASSERT_EQ(cryo_strain_select_reference(&g.s.config, 4.0, natoms, g.s.center.data(), first.data(),
                                         candidates.data(), g.s.atoms(), 2, count.data()),
            CRYO_STRAIN_OK);
  for (int i = 0; i < natoms; ++i) {
    std::vector<int> kept(candidates.begin() + first[i], candidates.begin() + first[i] + count[i]);
    std::vector<int> expected(g.s.neighbor.begin() + g.s.first[i], g.s.neighbor.begin() + g.s.first[i + 1]);
    EXPECT_EQ(kept, expected) << "atom " << i;
  }
}

TEST(Strain, CutoffIsInclusiveAndItsReachSlightlyLonger)
{
  // a pair exactly at the cutoff belongs to the neighbours; a search looks a little further
  const double at[3] = {3.0, 4.0, 0.0}, beyond[3] = {3.0, 4.0 + 1e-9, 0.0};
  EXPECT_TRUE(cryo_strain_within_cutoff(at, 5.0));
  EXPECT_FALSE(cryo_strain_within_cutoff(beyond, 5.0));
  EXPECT_TRUE(cryo_strain_within_cutoff(beyond, cryo_strain_cutoff_reach(5.0)));
  EXPECT_GT(cryo_strain_cutoff_reach(5.0), 5.0);
  EXPECT_LT(cryo_strain_cutoff_reach(5.0), 5.0 * (1.0 + 1e-5));
}

TEST(Strain, ListsWithoutPairsNeedNoNeighborArray)
{
  // a cutoff below the nearest-neighbour distance: every centre has an empty list, the glue has
  // no pair array to pass; the centres are invalid, not an error
  System s = cluster(fcc_shell(3.6), IDENTITY);
  const std::vector<int> empty_first = {0, 0};
  int count = -1;
  EXPECT_EQ(cryo_strain_select_reference(&s.config, 0.5, 1, s.center.data(), empty_first.data(),
                                         nullptr, s.atoms(), 1, &count),
            CRYO_STRAIN_OK);
  EXPECT_EQ(count, 0);
  double moments[CRYO_STRAIN_MOMENTS];
  EXPECT_EQ(cryo_strain_reference_moments(&s.config, 1, s.center.data(), empty_first.data(), nullptr,
                                          s.atoms(), 1, moments),
            CRYO_STRAIN_OK);
  double out[4] = {1, 1, 1, 1};
  int invalid = -1;
  EXPECT_EQ(cryo_strain_evaluate(&s.config, 1, s.center.data(), empty_first.data(), nullptr, s.atoms(),
                                 nullptr, 1, out, 4, &invalid),
            CRYO_STRAIN_OK);
  EXPECT_EQ(invalid, 1);
  EXPECT_EQ(out[3], 0.0);
  // a list that does hold pairs still needs the array
  const std::vector<int> one_pair = {0, 1};
  EXPECT_EQ(cryo_strain_select_reference(&s.config, 0.5, 1, s.center.data(), one_pair.data(), nullptr,
                                         s.atoms(), 1, &count),
            CRYO_STRAIN_ERROR_NULL_ARGUMENT);
}

TEST(Strain, ReferencePairPicksTheNearestImage)
{
  System s;
  const Mat cell = {{{10, 0, 0}, {0, 10, 0}, {0, 0, 10}}};
  s.set_cells(cell, cell, 1, 1, 0);
  const double a[3] = {0.5, 9.5, 3.0}, b[3] = {29.0, 0.2, 5.0};
  double d0[3], k[3];
  ASSERT_EQ(cryo_strain_reference_pair(&s.config, a, b, d0, k), CRYO_STRAIN_OK);
  EXPECT_NEAR(d0[0], -1.5, TOL);    // 28.5 - 3*10
  EXPECT_NEAR(d0[1], 0.7, TOL);     // -9.3 + 10
  EXPECT_NEAR(d0[2], 2.0, TOL);     // z not periodic
  EXPECT_EQ(k[0], 3.0);
  EXPECT_EQ(k[1], -1.0);
  EXPECT_EQ(k[2], 0.0);
}

}    // namespace
