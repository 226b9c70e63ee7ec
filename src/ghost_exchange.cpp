/* ----------------------------------------------------------------------
   CryoCycle: owned and ghost atoms of a per-atom compute (see ghost_exchange.h).
------------------------------------------------------------------------- */

#include "ghost_exchange.h"

#include "atom.h"
#include "comm.h"
#include "compute.h"
#include "cryo_cluster.h"
#include "style_support.h"

#include <algorithm>
#include <cstdint>
#include <utility>

using namespace LAMMPS_NS;

namespace {
constexpr int MAX_ROUNDS = 100000;
}

GhostExchange::GhostExchange(LAMMPS *lmp, Compute &owner_, std::string who_) :
    Pointers(lmp), owner(owner_), who(std::move(who_))
{
}

void GhostExchange::forward(double *values)
{
  const int nlocal = atom->nlocal, nall = nlocal + atom->nghost;
  exchange.resize(std::max(nall, 1));
  std::copy(values, values + nlocal, exchange.begin());
  comm->forward_comm(&owner);
  std::copy(exchange.begin() + nlocal, exchange.begin() + nall, values + nlocal);
}

int GhostExchange::pack(int n, const int *list, double *buf) const
{
  for (int k = 0; k < n; ++k) buf[k] = exchange[list[k]];
  return n;
}

void GhostExchange::unpack(int n, int first, const double *buf)
{
  std::copy(buf, buf + n, exchange.begin() + first);
}

NeighborSearch &GhostExchange::find_within(double radius, const std::vector<int> &points,
                                           const std::vector<int> &centers)
{
  std::vector<double> xyz(3 * points.size() + 3);
  for (size_t k = 0; k < points.size(); ++k)
    for (int d = 0; d < 3; ++d) xyz[3 * k + d] = atom->x[points[k]][d];
  // centres as indices into points: both lists are sorted by atom index
  std::vector<int> center_points(centers.size());
  for (size_t c = 0; c < centers.size(); ++c)
    center_points[c] = (int) (std::lower_bound(points.begin(), points.end(), centers[c]) - points.begin());
  const auto *x = reinterpret_cast<const double(*)[3]>(xyz.data());
  const cryo_neighbors_status status = search.find((int) points.size(), x, center_points, radius, comm->nthreads);
  check_status(lmp, Ranks::ONE, status, who, "neighbor search within {}", radius);
  return search;
}

/* ----------------------------------------------------------------------
   Each processor finds the components of its points once (cryo_cluster), then gives every
   component its smallest value and passes the values of owned atoms on to their ghost copies,
   until no value changes on any processor: the rounds count the processor domains a component
   crosses, not its atoms. Afterwards the ghosts hold their owners' values. The values are
   integers (atom IDs, codes) stored as doubles.
------------------------------------------------------------------------- */

void GhostExchange::propagate_min_labels(const std::vector<int> &points, double *values, double link,
                                         const char *what)
{
  find_within(link, points, points);
  std::vector<int> links;
  for (size_t c = 0; c < points.size(); ++c)
    for (int n = 0; n < search.count(c); ++n) {
      const int q = search.neighbors(c)[n];
      if (q > (int) c) {
        links.push_back((int) c);
        links.push_back(q);
      }
    }
  std::vector<int> component(points.size() + 1);
  check_status(lmp, Ranks::ONE,
               cryo_cluster_components((int) points.size(), (int) links.size() / 2, links.data(),
                                       component.data()),
               who, "connected components of {} {}", points.size(), what);

  std::vector<int64_t> point_label(points.size() + 1);
  for (int round = 0;; ++round) {
    if (round > MAX_ROUNDS) error->all(FLERR, "{}: the labels of the {} did not converge", who, what);
    for (size_t k = 0; k < points.size(); ++k) point_label[k] = (int64_t) values[points[k]];
    int changed = 0, any = 0;
    check_status(lmp, Ranks::ONE,
                 cryo_cluster_min_labels((int) points.size(), component.data(), point_label.data(), &changed),
                 who, "smallest labels of the {}", what);
    for (size_t k = 0; k < points.size(); ++k) values[points[k]] = (double) point_label[k];
    MPI_Allreduce(&changed, &any, 1, MPI_INT, MPI_MAX, world);
    if (!any) break;
    forward(values);
  }
}

double GhostExchange::memory_usage() const
{
  return (double) exchange.capacity() * sizeof(double) + search.memory_usage();
}
