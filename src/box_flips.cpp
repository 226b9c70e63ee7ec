/* CryoCycle: see box_flips.h. */

#include "box_flips.h"

#include "comm.h"
#include "cryo_cell.h"
#include "domain.h"
#include "domain_cell.h"
#include "error.h"
#include "modify.h"
#include "style_support.h"

#include <cstring>

using namespace LAMMPS_NS;
using namespace FixConst;

namespace {
constexpr const char *ID = "CRYOCYCLE_BOX_FLIPS";
constexpr int RESTART_VALUES = 18;    // seen, product
}    // namespace

FixBoxFlips::FixBoxFlips(LAMMPS *lmp, int narg, char **arg) : Fix(lmp, narg, arg)
{
  if (narg != 3) error->all(FLERR, "Illegal fix {} command: it takes no arguments", STYLE);
  restart_global = 1;
  // reads only the box: no per-atom data to synchronise under KOKKOS (EMPTY_MASK)
  datamask_read = datamask_modify = 0;
  const cryo_cell box = domain_cell(domain);
  std::memcpy(seen, box.h, sizeof seen);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) product[r][c] = r == c ? 1.0 : 0.0;
}

FixBoxFlips *FixBoxFlips::of(LAMMPS *lmp)
{
  Fix *fix = lmp->modify->get_fix_by_id(ID);
  if (!fix) fix = lmp->modify->add_fix(fmt::format("{} all {}", ID, STYLE));
  auto *flips = dynamic_cast<FixBoxFlips *>(fix);
  if (!flips) lmp->error->all(FLERR, "Fix ID {} is reserved for CryoCycle's box-flip tracking", ID);
  return flips;
}

int FixBoxFlips::setmask()
{
  return PRE_NEIGHBOR | MIN_PRE_NEIGHBOR;
}

void FixBoxFlips::observe()
{
  const cryo_cell box = domain_cell(domain);
  double flip[3][3], total[3][3];
  check_status(lmp, Ranks::ALL, cryo_cell_basis_change(seen, box.h, box.periodic, flip), STYLE,
               "the change of basis of the box");
  cryo_mat3_multiply(product, flip, total);
  std::memcpy(product, total, sizeof product);
  std::memcpy(seen, box.h, sizeof seen);
}

void FixBoxFlips::basis(double b[3][3])
{
  observe();
  std::memcpy(b, product, sizeof product);
}

cryo_cell FixBoxFlips::unflipped(const cryo_cell &box)
{
  double b[3][3], b_inverse[3][3];
  basis(b);
  cryo_mat3_inverse(b, 1.0, b_inverse);    // unit triangular with integer elements: exact
  cryo_cell cell = box;
  cryo_mat3_multiply(box.h, b_inverse, cell.h);
  return cell;
}

void FixBoxFlips::write_restart(FILE *fp)
{
  if (comm->me != 0) return;
  double values[RESTART_VALUES];
  std::memcpy(values, seen, sizeof seen);
  std::memcpy(values + 9, product, sizeof product);
  const int size = (int) sizeof values;
  fwrite(&size, sizeof(int), 1, fp);
  fwrite(values, sizeof values, 1, fp);
}

void FixBoxFlips::restart(char *buf)
{
  const auto *values = reinterpret_cast<const double *>(buf);
  std::memcpy(seen, values, sizeof seen);
  std::memcpy(product, values + 9, sizeof product);
}
