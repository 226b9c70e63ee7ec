/* CryoCycle: see domain_cell.h. */
#include "domain_cell.h"

#include "domain.h"

cryo_cell LAMMPS_NS::domain_cell(const Domain *domain)
{
  const double h[3][3] = {{domain->xprd, domain->xy, domain->xz},
                          {0.0, domain->yprd, domain->yz},
                          {0.0, 0.0, domain->zprd}};
  const int periodic[3] = {domain->xperiodic, domain->yperiodic, domain->zperiodic};
  return cryo_cell_make(h, domain->boxlo, periodic, domain->dimension);
}
