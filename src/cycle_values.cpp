/* ----------------------------------------------------------------------
   CryoCycle: global values for per-cycle reports (see cycle_values.h). The checks and the way
   computes are invoked follow LAMMPS's fix ave/time.
------------------------------------------------------------------------- */

#include "cycle_values.h"

#include "arg_info.h"
#include "compute.h"
#include "error.h"
#include "fix.h"
#include "input.h"
#include "modify.h"
#include "style_support.h"
#include "update.h"
#include "variable.h"

#include <cstring>
#include <limits>

using namespace LAMMPS_NS;

// an element of a variable-length vector or array that does not exist now (e.g. a band row of
// compute sbzone/atom when there are fewer bands): reported as nan, not as a number
static const double MISSING = std::numeric_limits<double>::quiet_NaN();

// The global scalar, vector element or array element a value names must exist. Computes and fixes
// have the same flags, but no common base class that holds them.
template <typename Source>
static void check_global_shape(Error *error, const std::string &owner, const char *kind,
                               const Source *source, const std::string &id, const char *what,
                               int index1, int index2)
{
  if (index1 == 0 && !source->scalar_flag)
    error->all(FLERR, "{}: {} {} for value {} has no global scalar", owner, kind, id, what);
  if (index1 > 0 && index2 == 0 &&
      !(source->vector_flag && (source->size_vector_variable || index1 <= source->size_vector)))
    error->all(FLERR, "{}: value {}: {} {} has no global vector element {}", owner, what, kind, id,
               index1);
  if (index2 > 0 &&
      !(source->array_flag && index2 <= source->size_array_cols &&
        (source->size_array_rows_variable || index1 <= source->size_array_rows)))
    error->all(FLERR, "{}: value {}: {} {} has no global array element [{}][{}]", owner, what, kind,
               id, index1, index2);
}

CycleValues::CycleValues(LAMMPS *lmp, const std::string &owner_) : Pointers(lmp), owner(owner_) {}

bool CycleValues::names_value(const char *word)
{
  return strncmp(word, "c_", 2) == 0 || strncmp(word, "f_", 2) == 0 || strncmp(word, "v_", 2) == 0;
}

void CycleValues::add(const std::string &word)
{
  ArgInfo info(word, ArgInfo::COMPUTE | ArgInfo::FIX | ArgInfo::VARIABLE);
  if (info.get_type() == ArgInfo::NONE || info.get_type() == ArgInfo::UNKNOWN)
    error->all(FLERR, "{}: invalid value {}: use c_ID, c_ID[i], c_ID[i][j], f_ID[...] or v_name",
               owner, word);
  if (info.get_type() == ArgInfo::VARIABLE && info.get_dim() > 0)
    error->all(FLERR, "{}: invalid value {}: a variable takes no index", owner, word);
  Value value;
  value.text = word;
  value.id = info.get_name();
  value.which = info.get_type();
  value.index1 = info.get_dim() >= 1 ? info.get_index1() : 0;
  value.index2 = info.get_dim() >= 2 ? info.get_index2() : 0;
  values.push_back(value);
}

void CycleValues::init()
{
  for (Value &value : values) {
    const char *what = value.text.c_str();
    if (value.which == ArgInfo::COMPUTE) {
      value.compute = modify->get_compute_by_id(value.id);
      if (!value.compute) error->all(FLERR, "{}: compute {} for value {} does not exist", owner, value.id, what);
      check_global_shape(error, owner, "compute", value.compute, value.id, what, value.index1,
                         value.index2);
    } else if (value.which == ArgInfo::FIX) {
      value.fix = modify->get_fix_by_id(value.id);
      if (!value.fix) error->all(FLERR, "{}: fix {} for value {} does not exist", owner, value.id, what);
      check_global_shape(error, owner, "fix", value.fix, value.id, what, value.index1, value.index2);
    } else {
      value.variable = input->variable->find(value.id.c_str());
      if (value.variable < 0)
        error->all(FLERR, "{}: variable {} for value {} does not exist", owner, value.id, what);
      if (!input->variable->equalstyle(value.variable))
        error->all(FLERR, "{}: variable {} for value {} is not equal-style", owner, value.id, what);
    }
  }
}

void CycleValues::check_fix_frequency(int sample_every) const
{
  for (const Value &value : values)
    if (value.fix && sample_every % value.fix->global_freq)
      error->all(FLERR, "{}: fix {} for value {} produces values every {} steps, not on every "
                 "sampled step (every {})", owner, value.id, value.text, value.fix->global_freq,
                 sample_every);
}

uint64_t CycleValues::fields_read() const
{
  uint64_t fields = EMPTY_MASK;
  for (const Value &value : values)
    fields |= value.compute ? fields_read_by_compute(lmp, value.compute->id) : ALL_MASK;
  return fields;
}

void CycleValues::evaluate(std::vector<double> &out)
{
  out.resize(values.size());
  const bigint now = update->ntimestep;
  // Computes, variables and compute reduce decide from the invoked flags whether a compute they
  // use is current; flags from an earlier step would hand out its values (as fix ave/time does).
  modify->clearstep_compute();
  for (size_t k = 0; k < values.size(); ++k) {
    Value &value = values[k];
    if (value.compute) {
      Compute *c = value.compute;
      if (value.index1 == 0) {
        if (c->invoked_scalar != now) c->compute_scalar();
        c->invoked_flag |= Compute::INVOKED_SCALAR;
        out[k] = c->scalar;
      } else if (value.index2 == 0) {
        if (c->invoked_vector != now) c->compute_vector();
        c->invoked_flag |= Compute::INVOKED_VECTOR;
        out[k] = value.index1 <= c->size_vector ? c->vector[value.index1 - 1] : MISSING;
      } else {
        if (c->invoked_array != now) c->compute_array();
        c->invoked_flag |= Compute::INVOKED_ARRAY;
        out[k] = value.index1 <= c->size_array_rows ? c->array[value.index1 - 1][value.index2 - 1] : MISSING;
      }
    } else if (value.fix) {
      Fix *f = value.fix;
      if (value.index1 == 0) out[k] = f->compute_scalar();
      else if (value.index2 == 0) out[k] = f->compute_vector(value.index1 - 1);
      else out[k] = f->compute_array(value.index1 - 1, value.index2 - 1);
    } else {
      out[k] = input->variable->compute_equal(value.variable);
    }
  }
}
