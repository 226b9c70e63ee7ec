/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: global values named in an input (c_ID, c_ID[i], c_ID[i][j], f_ID, f_ID[i],
   f_ID[i][j], v_name), evaluated on request; for the per-cycle report of fix thermal/cycle.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_CYCLE_VALUES_H
#define CRYOCYCLE_CYCLE_VALUES_H

#include "pointers.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class CycleValues : protected Pointers {
 public:
  CycleValues(class LAMMPS *, const std::string &owner);
  // true for a word that names a value (c_, f_ or v_ prefix)
  static bool names_value(const char *word);
  void add(const std::string &word);    // errors for a malformed reference
  size_t size() const { return values.size(); }
  const std::string &name(size_t k) const { return values[k].text; }
  // resolve the IDs and check that each names a global scalar, vector element or array element
  void init();
  // the current values (computes are invoked if they were not on this step); `sample_every`:
  // fixes must produce global values on the sampled steps
  void evaluate(std::vector<double> &out);
  void check_fix_frequency(int sample_every) const;
  // after init(): the per-atom fields (atom_masks.h) evaluate() may read: those of the computes;
  // anything for a fix's or a variable's value
  uint64_t fields_read() const;

 private:
  struct Value {
    std::string text, id;
    int which = 0, index1 = 0, index2 = 0;    // which: ArgInfo type; indices from 1, 0 if none
    class Compute *compute = nullptr;
    class Fix *fix = nullptr;
    int variable = -1;
  };
  std::string owner;    // e.g. "Fix thermal/cycle ID": the start of every error message
  std::vector<Value> values;
};

}    // namespace LAMMPS_NS

#endif
