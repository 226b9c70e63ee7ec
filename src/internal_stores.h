/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: the pair of internal fixes (STORE/GLOBAL and STORE/ATOM) in which a style keeps
   state that must follow atoms between processors and survive write_restart/read_restart.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_INTERNAL_STORES_H
#define CRYOCYCLE_INTERNAL_STORES_H

#include "fix_store_atom.h"
#include "fix_store_global.h"
#include "pointers.h"

#include <functional>
#include <string>

namespace LAMMPS_NS {

class InternalStores : protected Pointers {
 public:
  // Creates (or, after read_restart, restores) the fixes <owner>_<suffix>_GLOBAL with `nglobal`
  // values and <owner>_<suffix>_ATOM with `ncolumns` per-atom values. `what` names the state in
  // error messages ("reference", "reference energies"). After read_restart, `check_restored`
  // sees the restored global values before the per-atom values are restored: a layout that does
  // not match `ncolumns` must end in an error there, not in a misread restart file.
  InternalStores(class LAMMPS *, const std::string &owner, const std::string &suffix,
                 int nglobal, int ncolumns, const std::string &what,
                 const std::function<void(const double *)> &check_restored = nullptr);
  ~InternalStores() override;
  InternalStores(const InternalStores &) = delete;
  InternalStores &operator=(const InternalStores &) = delete;

  bool restored() const { return was_restored; }    // the values came from a restart file
  // Looks the fixes up again (in init(): a fix may have been deleted or recreated meanwhile).
  void refresh();
  // inline: the evaluation reads per-atom values through them in its inner loops
  double *global() const { return global_store->vstore; }
  double **atom() const { return atom_store->astore; }
  // The global values are a vector whose length may change (a restart file restores it).
  int global_size() const { return global_store->nrow; }
  void resize_global(int n);    // keeps the first values

 private:
  std::string owner, id_global, id_atom, what;
  class FixStoreGlobal *global_store;
  class FixStoreAtom *atom_store;
  bool was_restored;
};

}    // namespace LAMMPS_NS

#endif
