/* CryoCycle: see internal_stores.h. */

#include "internal_stores.h"

#include "error.h"
#include "modify.h"

#include <algorithm>
#include <vector>

using namespace LAMMPS_NS;

InternalStores::InternalStores(LAMMPS *lmp, const std::string &owner_id, const std::string &suffix,
                               int nglobal, int ncolumns, const std::string &state,
                               const std::function<void(const double *)> &check_restored) :
    Pointers(lmp), owner(owner_id), id_global(owner_id + "_" + suffix + "_GLOBAL"),
    id_atom(owner_id + "_" + suffix + "_ATOM"), what(state), global_store(nullptr),
    atom_store(nullptr), was_restored(false)
{
  global_store = dynamic_cast<FixStoreGlobal *>(
      modify->add_fix(fmt::format("{} all STORE/GLOBAL {} 1", id_global, nglobal)));
  if (global_store && global_store->restart_reset && check_restored) check_restored(global_store->vstore);
  atom_store = dynamic_cast<FixStoreAtom *>(
      modify->add_fix(fmt::format("{} all STORE/ATOM {} 0 0 1", id_atom, ncolumns)));
  if (!global_store || !atom_store)
    error->all(FLERR, "{}: could not create the internal fixes of its {}", owner, what);
  if (atom_store->restart_reset != global_store->restart_reset)
    error->all(FLERR, "{}: the restart file holds only part of its {}", owner, what);
  was_restored = global_store->restart_reset != 0;
  atom_store->restart_reset = global_store->restart_reset = 0;
}

InternalStores::~InternalStores()
{
  // when LAMMPS itself is being destroyed, Modify may already have deleted the fixes
  if (modify && modify->nfix) {
    if (modify->get_fix_by_id(id_atom)) modify->delete_fix(id_atom);
    if (modify->get_fix_by_id(id_global)) modify->delete_fix(id_global);
  }
}

void InternalStores::refresh()
{
  global_store = dynamic_cast<FixStoreGlobal *>(modify->get_fix_by_id(id_global));
  atom_store = dynamic_cast<FixStoreAtom *>(modify->get_fix_by_id(id_atom));
  if (!global_store || !atom_store)
    error->all(FLERR, "{} lost the internal fixes of its {}", owner, what);
}

void InternalStores::resize_global(int n)
{
  if (n == global_size()) return;
  const std::vector<double> kept(global_store->vstore, global_store->vstore + std::min(n, global_size()));
  global_store->reset_global(n, 1);
  // FixStoreGlobal::reset_global() does not update nrow/ncol (LAMMPS 4Feb2025), which
  // global_size() and other readers of the fix use
  global_store->nrow = n;
  global_store->ncol = 1;
  std::copy(kept.begin(), kept.end(), global_store->vstore);
  std::fill(global_store->vstore + kept.size(), global_store->vstore + n, 0.0);
}
