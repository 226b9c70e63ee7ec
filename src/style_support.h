/* CryoCycle: what every style class needs from LAMMPS in the same way.
 *
 * - check_status(): a kernel status turned into a LAMMPS error naming the style, what was asked and the
 *   kernel's message (status_message(), overloaded in each kernel header for C++);
 * - check_ghost_reach(): a distance searched among ghost atoms must fit in the ghost cutoff, with one
 *   wording and the comm_modify cutoff that would do;
 * - base_style(): a style name without its accelerator suffix ("langevin/kk/host" -> "langevin");
 * - the per-atom fields (atom_masks.h) a style reads, for its datamask_read: under KOKKOS, LAMMPS
 *   copies exactly these to the host before a fix hook (src/KOKKOS/modify_kokkos.cpp).
 */
#ifndef CRYOCYCLE_STYLE_SUPPORT_H
#define CRYOCYCLE_STYLE_SUPPORT_H

#include "atom_masks.h"
#include "compute.h"
#include "error.h"
#include "fix.h"
#include "fmt/format.h"
#include "lammps.h"
#include "modify.h"


#include <cstdint>
#include <map>
#include <string>

namespace LAMMPS_NS {

/* "Compute strain/atom s", "Fix thermal/cycle ctc": how messages name a style instance */
inline std::string style_name(const Compute *compute)
{
  return fmt::format("Compute {} {}", compute->style, compute->id);
}
inline std::string style_name(const Fix *fix)
{
  return fmt::format("Fix {} {}", fix->style, fix->id);
}

/* The style an accelerated variant stands for: `style` without one trailing accelerator suffix
 * (/kk/host, /kk/device, /kk, /omp, /gpu, /intel, /opt), whatever -sf or `suffix` is active.
 * (utils::strip_style_suffix() strips only the active suffixes, and not /kk/host or /kk/device.)
 * Header-only: unittest/test_style_support.cpp checks it by name for every suffix. */
inline std::string base_style(const std::string &style)
{
  for (const char *suffix : {"/kk/host", "/kk/device", "/kk", "/omp", "/gpu", "/intel", "/opt"}) {
    const std::string tail(suffix);
    if (style.size() > tail.size() && style.compare(style.size() - tail.size(), tail.size(), tail) == 0)
      return style.substr(0, style.size() - tail.size());
  }
  return style;
}

/* Fields read per atom (atom_masks.h; the masks are 32 bits in LAMMPS 4Feb2025, 64 in 4Jul2026:
 * held in uint64_t here). The strain reference and compute strain/atom: positions,
 * image flags, tags, group masks. Compute temp and compute ke (what fix thermal/cycle and
 * thermal/scan sample): velocities, group masks, types (per-type masses) and per-atom masses. */
constexpr uint64_t STRAIN_FIELDS = X_MASK | IMAGE_MASK | TAG_MASK | MASK_MASK;
constexpr uint64_t KINETIC_FIELDS = V_MASK | MASK_MASK | TYPE_MASK | RMASS_MASK;

/* What invoking compute `id` reads per atom, for the datamask_read of a style that invokes it: its
 * own datamask_read (LAMMPS's default ALL_MASK where a stock compute declares none; pe/atom and
 * displace/atom from their sources), ALL_MASK if it is not defined (yet); nothing for a null ID. */
uint64_t fields_read_by_compute(LAMMPS *lmp, const char *id);
/* ... and reading a per-atom input (per_atom_input.h): its compute's, everything for a fix or a
 * variable */
uint64_t fields_read_by_input(LAMMPS *lmp, const class PerAtomInput &input);

/* Whether a failing kernel call fails on every rank alike (the same input everywhere: error->all,
 * one clean message) or possibly on this rank alone (per-rank data: error->one, which ends all). */
enum class Ranks { ALL, ONE };

/* Every kernel status is checked through this: OK returns; anything else ends the run with
 * "<who>: <what>: <kernel message>", `what` formatted from `format` and `args` only then. */
template <typename Status, typename... Args>
void check_status(LAMMPS *lmp, Ranks ranks, Status status, const std::string &who,
                  fmt::string_view format, Args &&...args)
{
  if (status == static_cast<Status>(0)) return;    // every kernel's OK is 0
  const std::string what = fmt::vformat(format, fmt::make_format_args(args...));
  if (ranks == Ranks::ALL)
    lmp->error->all(FLERR, "{}: {}: {}", who, what, status_message(status));
  else
    lmp->error->one(FLERR, "{}: {}: {}", who, what, status_message(status));
}

/* `distance` (named `what`, e.g. "link 3") plus the neighbor skin must fit in the ghost cutoff:
 * atoms may have moved by up to half the skin since the ghosts were placed, in either direction. */
void check_ghost_reach(LAMMPS *lmp, const std::string &who, const std::string &what, double distance);

/* Ghost atoms get their positions early in a step. A fix that changes the box at the end of the
 * step (fix deform, fix press/berendsen) also moves the owned atoms then, so a per-atom compute
 * evaluated after it must send the positions again (comm->forward_comm()) to see both ends of
 * every pair as they are now. (fix npt changes the box before the ghosts get theirs.) Ask in
 * init(): the fixes do not change during a run. */
bool ghosts_lag_box(LAMMPS *lmp);

/* true while the rerun command runs (frames read from a dump, no dynamics) */
bool in_rerun(LAMMPS *lmp);

/* Counts by key summed over all processors, the same map on every processor (keys sorted). For
 * small global tables (clusters, bands): every processor sends its few entries to all. */
std::map<int64_t, int64_t> sum_counts(LAMMPS *lmp, const std::map<int64_t, int64_t> &local);

}    // namespace LAMMPS_NS

#endif
