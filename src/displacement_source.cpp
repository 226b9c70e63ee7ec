/* ----------------------------------------------------------------------
   CryoCycle: displacements for the shear offset of bands (see displacement_source.h).
------------------------------------------------------------------------- */

#include "displacement_source.h"

#include "atom.h"
#include "compute.h"
#include "error.h"
#include "group.h"
#include "modify.h"
#include "strain_reference.h"
#include "style_support.h"
#include "update.h"

#include <utility>

using namespace LAMMPS_NS;

DisplacementSource::DisplacementSource(LAMMPS *lmp, std::string who_, std::string compute_id_) :
    Pointers(lmp), who(std::move(who_)), compute_id(std::move(compute_id_))
{
}

void DisplacementSource::resolve()
{
  Compute *source = modify->get_compute_by_id(compute_id);
  if (!source) error->all(FLERR, "{}: offset compute ID {} does not exist", who, compute_id);
  strain = StrainReference::of(lmp, compute_id);
  // displace/atom under any accelerator suffix: found by its style, as LAMMPS does
  displace = base_style(source->style) == "displace/atom" ? source : nullptr;
  if (!strain && !displace)
    error->all(FLERR, "{}: offset compute {} is of style {}, which gives no displacements: use a "
               "compute strain/atom or displace/atom", who, compute_id, source->style);
}

void DisplacementSource::displacements(const cryo_cell &cell, int igroup, std::vector<double> &u)
{
  const int nlocal = atom->nlocal;
  u.assign(3 * nlocal + 3, 0.0);
  if (strain) {
    strain->nonaffine_displacements(cell, nlocal, u.data());
    return;
  }
  const int groupbit = group->bitmask[igroup], displace_bit = group->bitmask[displace->igroup];
  int outside = 0, total_outside = 0;
  for (int i = 0; i < nlocal; ++i)
    if ((atom->mask[i] & groupbit) && !(atom->mask[i] & displace_bit)) ++outside;
  MPI_Allreduce(&outside, &total_outside, 1, MPI_INT, MPI_SUM, world);
  if (total_outside > 0)
    error->all(FLERR, "{}: {} atoms of group {} are not in group {} of offset compute {}, which gives "
               "them no displacement: define the displace/atom compute for group all (or a group "
               "containing {})", who, total_outside, group->names[igroup], group->names[displace->igroup],
               displace->id, group->names[igroup]);
  if (displace->invoked_peratom != update->ntimestep) displace->compute_peratom();
  displace->invoked_flag |= Compute::INVOKED_PERATOM;
  for (int i = 0; i < nlocal; ++i)
    for (int d = 0; d < 3; ++d) u[3 * i + d] = displace->array_atom[i][d];
}
