/* CryoCycle: LAMMPS's simulation box as the kernels' cell (cryo_cell.h), the one adapter from
 * Domain to the kernels' geometry. */
#ifndef CRYOCYCLE_DOMAIN_CELL_H
#define CRYOCYCLE_DOMAIN_CELL_H

#include "cryo_cell.h"

namespace LAMMPS_NS {

// The current box: H = [[xprd, xy, xz], [0, yprd, yz], [0, 0, zprd]] (columns are LAMMPS's box
// vectors a, b, c), origin boxlo, the periodic flags and the dimension.
cryo_cell domain_cell(const class Domain *domain);

}    // namespace LAMMPS_NS

#endif
