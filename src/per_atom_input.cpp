/* ----------------------------------------------------------------------
   CryoCycle: one per-atom input of a style (see per_atom_input.h).
------------------------------------------------------------------------- */

#include "per_atom_input.h"

#include "arg_info.h"
#include "atom.h"
#include "compute.h"
#include "error.h"
#include "fix.h"
#include "group.h"
#include "input.h"
#include "modify.h"
#include "update.h"
#include "variable.h"

#include <algorithm>
#include <utility>

using namespace LAMMPS_NS;

PerAtomInput::PerAtomInput(LAMMPS *lmp, std::string style_, std::string owner_, std::string role_,
                           std::string text, std::string bare_meaning_) :
    Pointers(lmp), style(std::move(style_)), owner(std::move(owner_)), role(std::move(role_)),
    text_(std::move(text)), bare_meaning(std::move(bare_meaning_))
{
  // the syntax is checked when the style is defined; the source is found by resolve()
  ArgInfo argi(text_, ArgInfo::COMPUTE | ArgInfo::FIX | ArgInfo::VARIABLE);
  const bool syntax_error = argi.get_type() == ArgInfo::UNKNOWN || argi.get_dim() > 1 ||
                            (argi.get_type() == ArgInfo::NONE && bare_meaning.empty());
  if (syntax_error)
    error->all(FLERR, "{} {}: {} {}: need c_ID, c_ID[N], f_ID, f_ID[N], v_name{}", style, owner, role,
               text_, bare_meaning.empty() ? "" : " or " + bare_meaning);
  bare_ = argi.get_type() == ArgInfo::NONE;
  kind_ = bare_ || argi.get_type() == ArgInfo::COMPUTE ? COMPUTE
          : argi.get_type() == ArgInfo::FIX            ? FIX
                                                       : VARIABLE;
  id_ = bare_ ? text_ : argi.get_name();
  given_column = bare_ ? 0 : argi.get_index1();
}

const char *PerAtomInput::kind_name() const
{
  return kind_ == COMPUTE ? "compute" : kind_ == FIX ? "fix" : "variable";
}

void PerAtomInput::resolve()
{
  column_ = given_column;
  compute_ = nullptr;
  fix_ = nullptr;
  variable = -1;

  if (kind_ == COMPUTE) {
    compute_ = modify->get_compute_by_id(id_);
    if (!compute_) error->all(FLERR, "{} {} compute ID {} does not exist", style, role, id_);
  } else if (kind_ == FIX) {
    fix_ = modify->get_fix_by_id(id_);
    if (!fix_) error->all(FLERR, "{} {} fix ID {} does not exist", style, role, id_);
  } else {
    variable = input->variable->find(id_.c_str());
    if (variable < 0) error->all(FLERR, "{} {} variable {} does not exist", style, role, id_);
    if (!input->variable->atomstyle(variable))
      error->all(FLERR, "{} {} variable {} is not atom-style", style, role, id_);
  }
  // a bare ID's column is the style's to choose first
  if (!bare_) check_shape();
}

/* per-atom values of a compute or a fix: a vector, or the asked column of an array */
void PerAtomInput::check_shape() const
{
  if (kind_ == VARIABLE) return;
  const int flag = compute_ ? compute_->peratom_flag : fix_->peratom_flag;
  const int cols = compute_ ? compute_->size_peratom_cols : fix_->size_peratom_cols;
  const char *kind = kind_name();
  if (!flag)
    error->all(FLERR, "{}: {} {} {} does not calculate per-atom values", style, role, kind, id_);
  if (column_ == 0 && cols > 0)
    error->all(FLERR,
               "{}: {} {} {} calculates a per-atom array, not a per-atom vector: give a column, "
               "e.g. {}_{}[1]",
               style, role, kind, id_, kind[0], id_);
  if (column_ > 0 && cols == 0)
    error->all(FLERR, "{}: {} {} {} calculates a per-atom vector, not an array: give {}_{} without [{}]",
               style, role, kind, id_, kind[0], id_, column_);
  if (column_ > cols && cols > 0)
    error->all(FLERR, "{}: {} {} {} has {} per-atom columns, not column {}", style, role, kind, id_,
               cols, column_);
}

PerAtomInput::Values PerAtomInput::read(int igroup)
{
  const bigint now = update->ntimestep;
  Values values;
  values.column = column_;
  int source_group = -1;    // computes and fixes give atoms outside their group 0, not a value
  if (compute_) {
    if (compute_->invoked_peratom != now) compute_->compute_peratom();
    compute_->invoked_flag |= Compute::INVOKED_PERATOM;
    values.vector = compute_->vector_atom;
    values.array = compute_->array_atom;
    source_group = compute_->igroup;
  } else if (fix_) {
    // as compute reduce and fix ave/atom: a fix has per-atom values only every peratom_freq steps
    if (now % fix_->peratom_freq)
      error->all(FLERR,
                 "{} {}: {} fix {} has no current per-atom values on step {} (it sets them every {} "
                 "steps)",
                 style, owner, role, id_, now, fix_->peratom_freq);
    values.vector = fix_->vector_atom;
    values.array = fix_->array_atom;
    source_group = fix_->igroup;
  } else {
    variable_values.resize(std::max(atom->nmax, 1));
    input->variable->compute_atom(variable, igroup, variable_values.data(), 1, 0);
    values.vector = variable_values.data();
  }
  if (values.column == 0) values.array = nullptr;

  if (source_group >= 0) {
    const int groupbit = group->bitmask[igroup], sourcebit = group->bitmask[source_group];
    for (int i = 0; i < atom->nlocal; ++i)
      if ((atom->mask[i] & groupbit) && !(atom->mask[i] & sourcebit))
        error->one(FLERR, "{} {}: atom {} of group {} is not in the group of {} {} {}", style, owner,
                   atom->tag[i], group->names[igroup], role, kind_name(), id_);
  }
  return values;
}
