/* CryoCycle: see domain_cell.h. */
#include "domain_cell.h"

#include "domain.h"

cryo_cell LAMMPS_NS::domain_cell(const Domain *domain)
{
  cryo_cell cell{};
  const double h[3][3] = {{domain->xprd, domain->xy, domain->xz},
                          {0.0, domain->yprd, domain->yz},
                          {0.0, 0.0, domain->zprd}};
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) cell.h[r][c] = h[r][c];
  for (int d = 0; d < 3; ++d) cell.origin[d] = domain->boxlo[d];
  cell.periodic[0] = domain->xperiodic;
  cell.periodic[1] = domain->yperiodic;
  cell.periodic[2] = domain->zperiodic;
  cell.dimension = domain->dimension;
  return cell;
}
