/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: the measurements of bands that need a sum or an extreme over processors, for compute
   sbzone/atom and its band history: offsets from band centres (cryo_band_offsets, per owned atom),
   their covariance per band (fixed-point second moments summed over processors) and the ends of
   each band along an axis (MIN/MAX over processors). Every kernel status is checked.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_BAND_REDUCTIONS_H
#define CRYOCYCLE_BAND_REDUCTIONS_H

#include "cryo_cell.h"
#include "pointers.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class BandReductions : protected Pointers {
 public:
  // nbands bands, n atoms (owned atoms, or a selection of them) at fractional coordinates f (3
  // each), in the cell; `who` names the style in error messages
  BandReductions(class LAMMPS *, const std::string &who, const cryo_cell &cell, int nbands, int n,
                 const double *f);

  // The owned atoms of bands only (band[i] >= 0 of nlocal), for passes that need no other atom:
  // their fractional coordinates (3 each) and band indices.
  struct Members {
    std::vector<double> f;
    std::vector<int> band;
    int count() const { return (int) band.size(); }
  };
  static Members members(int nlocal, const double *f, const int *band);

  // The fixed-point scale for sums over all atoms of values up to the largest on any processor.
  double fixed_scale(double largest_here) const;

  // Per atom, the offset from the centre of its band band[i] (< 0: none; centers fractional,
  // 3 per band) by the minimum image, without the directions whose coverage is at least `filled`.
  std::vector<double> offsets(const int *band, const double *centers, const double *coverage, double filled,
                              const char *what) const;
  // The covariance (xx xy xz yy yz zz, 6 per band) of the offsets of each band's atoms.
  std::vector<double> covariances(const int *band, const std::vector<double> &offsets, const char *what) const;
  // projection[i]: the offset of atom i along its band's axis (axes, 3 per band); low, high: the
  // extremes per band over all processors.
  void ends(const int *band, const std::vector<double> &offsets, const double *axes,
            std::vector<double> &projection, std::vector<double> &low, std::vector<double> &high,
            const char *what) const;

 private:
  std::string who;
  const cryo_cell &cell;
  int nbands, npoints;
  const double *f;
};

}    // namespace LAMMPS_NS

#endif
