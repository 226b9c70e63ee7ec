/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: one per-atom input of a style, named as LAMMPS names per-atom values in input
   scripts (ArgInfo): c_ID, c_ID[N], f_ID, f_ID[N], v_name, and optionally a bare compute ID whose
   meaning the style decides (sbzone/atom: a compute strain/atom; rejuvenation zones: a compute
   sbzone/atom or chunk/atom). It finds the source, checks that it gives per-atom values of the
   asked shape, and reads the values of owned atoms the way compute reduce and fix ave/atom do
   (a compute is invoked if it was not on this step; a fix must have set its values on this
   step; a variable is evaluated for the style's group). Every error names the style, the role of
   the input ("zones", "strain") and the argument as the user wrote it.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_PER_ATOM_INPUT_H
#define CRYOCYCLE_PER_ATOM_INPUT_H

#include "pointers.h"

#include <string>
#include <vector>

namespace LAMMPS_NS {

class PerAtomInput : protected Pointers {
 public:
  enum Kind { COMPUTE, FIX, VARIABLE };

  // `style`: "Compute rejuvenation", `owner`: its ID, `role`: "zones", `text`: as given in the
  // input script; `bare_meaning`: what a bare ID may name ("the ID of a compute chunk/atom"), or
  // empty if only c_, f_ and v_ are allowed
  PerAtomInput(class LAMMPS *, std::string style, std::string owner, std::string role, std::string text,
               std::string bare_meaning);

  // The syntax is checked on construction. resolve() finds the source (again at init: it may have
  // been redefined). A bare ID is a compute whose column the style sets with bare_column() before
  // the shape is checked by check_shape().
  void resolve();
  void bare_column(int column) { column_ = column; }
  void check_shape() const;

  // The values of owned atoms, current on this step; atoms of the style's group `igroup` must be
  // in the source's group (a compute or fix gives others 0, which is not a value): error if not.
  class Values {
   public:
    double operator[](int i) const { return array ? array[i][column - 1] : vector[i]; }

   private:
    friend class PerAtomInput;
    const double *vector = nullptr;
    double *const *array = nullptr;
    int column = 0;
  };
  Values read(int igroup);

  const std::string &text() const { return text_; }
  const std::string &id() const { return id_; }
  Kind kind() const { return kind_; }
  bool bare() const { return bare_; }
  int column() const { return column_; }    // 0: a per-atom vector or a variable
  class Compute *compute() const { return compute_; }
  class Fix *fix() const { return fix_; }

 private:
  std::string style, owner, role, text_, bare_meaning, id_;
  bool bare_ = false;
  Kind kind_ = COMPUTE;
  int given_column = 0, column_ = 0;
  class Compute *compute_ = nullptr;
  class Fix *fix_ = nullptr;
  int variable = -1;
  std::vector<double> variable_values;
  const char *kind_name() const;
};

}    // namespace LAMMPS_NS

#endif
