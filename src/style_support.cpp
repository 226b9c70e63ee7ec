/* CryoCycle: see style_support.h. */
#include "style_support.h"

#include "comm.h"
#include "fix.h"
#include "input.h"
#include "modify.h"
#include "neighbor.h"
#include "per_atom_input.h"

#include <cmath>
#include <cstring>
#include <vector>

void LAMMPS_NS::check_ghost_reach(LAMMPS *lmp, const std::string &who, const std::string &what,
                                  double distance)
{
  const double ghost_cutoff = lmp->comm->get_comm_cutoff();
  const double skin = lmp->neighbor->skin;
  if (distance + skin <= ghost_cutoff) return;
  // 1 % more, rounded up to 0.01: enough whatever the rounding of the sum
  const double enough = std::ceil((distance + skin) * 1.01 * 100.0) / 100.0;
  lmp->error->all(FLERR, "{}: {} plus the neighbor skin {} exceeds the ghost cutoff {}: use "
                  "comm_modify cutoff {}", who, what, skin, ghost_cutoff, enough);
}

bool LAMMPS_NS::ghosts_lag_box(LAMMPS *lmp)
{
  const auto &fixes = lmp->modify->get_fix_list();
  for (size_t k = 0; k < fixes.size(); ++k)
    if (fixes[k]->box_change && (lmp->modify->fmask[k] & FixConst::END_OF_STEP)) return true;
  return false;
}

std::map<int64_t, int64_t> LAMMPS_NS::sum_counts(LAMMPS *lmp, const std::map<int64_t, int64_t> &local)
{
  std::vector<int64_t> mine;
  for (const auto &entry : local) {
    mine.push_back(entry.first);
    mine.push_back(entry.second);
  }
  int count = (int) mine.size(), nprocs = lmp->comm->nprocs;
  std::vector<int> counts(nprocs), offsets(nprocs + 1, 0);
  MPI_Allgather(&count, 1, MPI_INT, counts.data(), 1, MPI_INT, lmp->world);
  for (int p = 0; p < nprocs; ++p) offsets[p + 1] = offsets[p] + counts[p];
  std::vector<int64_t> all(offsets[nprocs] + 1);
  MPI_Allgatherv(mine.data(), count, MPI_INT64_T, all.data(), counts.data(), offsets.data(),
                 MPI_INT64_T, lmp->world);
  std::map<int64_t, int64_t> global;
  for (int k = 0; k < offsets[nprocs]; k += 2) global[all[k]] += all[k + 1];
  return global;
}

uint64_t LAMMPS_NS::fields_read_by_compute(LAMMPS *lmp, const char *id)
{
  if (!id) return EMPTY_MASK;
  const Compute *compute = lmp->modify->get_compute_by_id(id);
  if (!compute) return ALL_MASK;
  // two stock computes that declare nothing (ALL_MASK): what their compute_peratom() reads
  const std::string style = base_style(compute->style);
  if (style == "pe/atom") return MASK_MASK;    // and the per-atom energies of the force styles
  if (style == "displace/atom") return X_MASK | IMAGE_MASK | MASK_MASK;
  return compute->datamask_read;
}

uint64_t LAMMPS_NS::fields_read_by_input(LAMMPS *lmp, const PerAtomInput &input)
{
  return input.kind() == PerAtomInput::COMPUTE ? fields_read_by_compute(lmp, input.id().c_str()) : ALL_MASK;
}

bool LAMMPS_NS::in_rerun(LAMMPS *lmp)
{
  return lmp->input->command && strcmp(lmp->input->command, "rerun") == 0;
}
