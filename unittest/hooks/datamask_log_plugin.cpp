/* Test-only LAMMPS plugin (never installed): fix datamask/log records, step by step, the KOKKOS
 * data masks another fix requests, so that test_accelerators.py can check them on a host without
 * KOKKOS. Under KOKKOS, src/KOKKOS/modify_kokkos.cpp copies a fix's datamask_read fields to its
 * execution_space before its end_of_step() and marks its datamask_modify fields changed after it.
 *
 *   fix ID group datamask/log file fix-ID compute-ID
 *
 * Defined after fix fix-ID, so that its end_of_step() runs after that fix's. Each step it writes
 * "step read modify sampled": `read` the mask in effect for that step's end_of_step() of fix-ID
 * (as fix-ID left it on the step before, or in setup()), `modify` the mask after it, `sampled` 1
 * if compute compute-ID (one only fix-ID invokes) was invoked on the step. At init it writes
 * "# compute ID style read modify" for every compute and "# fix ID style space read modify" for
 * fix-ID (space: 0 Host, 1 Device). */
#include "lammpsplugin.h"

#include "comm.h"
#include "compute.h"
#include "error.h"
#include "fix.h"
#include "modify.h"
#include "update.h"
#include "version.h"

#include <cstdint>
#include <cstdio>
#include <string>

using namespace LAMMPS_NS;

namespace {

class FixDatamaskLog : public Fix {
 public:
  FixDatamaskLog(LAMMPS *lmp, int narg, char **arg) : Fix(lmp, narg, arg)
  {
    if (narg != 6) error->all(FLERR, "Illegal fix datamask/log command: file fix-ID compute-ID");
    path = arg[3];
    fix_id = arg[4];
    compute_id = arg[5];
    datamask_read = datamask_modify = 0;    // itself: reads nothing
    if (comm->me == 0) {
      file = fopen(path.c_str(), "w");
      if (!file) error->one(FLERR, "fix datamask/log cannot open {}", path);
    }
  }
  ~FixDatamaskLog() override
  {
    if (file) fclose(file);
  }
  int setmask() override { return FixConst::END_OF_STEP; }

  void init() override
  {
    target = modify->get_fix_by_id(fix_id);
    probe = modify->get_compute_by_id(compute_id);
    if (!target || !probe) error->all(FLERR, "fix datamask/log: no fix {} or compute {}", fix_id, compute_id);
    int me = -1, it = -1;
    const auto &fixes = modify->get_fix_list();
    for (int k = 0; k < (int) fixes.size(); ++k) {
      if (fixes[k] == this) me = k;
      if (fixes[k] == target) it = k;
    }
    if (it > me) error->all(FLERR, "fix datamask/log must be defined after fix {}", fix_id);
    if (!file) return;
    for (const Compute *compute : modify->get_compute_list())
      fprintf(file, "# compute %s %s %llu %llu\n", compute->id, compute->style, mask(compute->datamask_read),
              mask(compute->datamask_modify));
    fprintf(file, "# fix %s %s %d %llu %llu\n", target->id, target->style, (int) target->execution_space,
            mask(target->datamask_read), mask(target->datamask_modify));
  }
  // after fix-ID's setup (defined later, set up later): the mask for the first step
  void setup(int) override { pending_read = target->datamask_read; }
  void end_of_step() override
  {
    const bigint step = update->ntimestep;
    const int sampled = probe->invoked_scalar == step || probe->invoked_vector == step ||
        probe->invoked_peratom == step;
    if (file)
      fprintf(file, "%lld %llu %llu %d\n", (long long) step, mask(pending_read), mask(target->datamask_modify),
              sampled);
    pending_read = target->datamask_read;    // what fix-ID asks for the next step
  }

 private:
  std::string path, fix_id, compute_id;
  FILE *file = nullptr;
  Fix *target = nullptr;
  Compute *probe = nullptr;
  uint64_t pending_read = 0;
  // the masks are 32 bits in LAMMPS 4Feb2025, 64 in 4Jul2026
  static unsigned long long mask(uint64_t fields) { return fields; }
};

Fix *create(LAMMPS *lmp, int narg, char **arg)
{
  return new FixDatamaskLog(lmp, narg, arg);
}

}    // namespace

extern "C" __attribute__((visibility("default"))) void lammpsplugin_init(void *lmp, void *handle, void *regfunc)
{
  lammpsplugin_t plugin;
  plugin.version = LAMMPS_VERSION;
  plugin.style = "fix";
  plugin.name = "datamask/log";
  plugin.info = "CryoCycle test hook: the KOKKOS data masks of a fix, step by step";
  plugin.author = "CryoCycle developers";
  plugin.creator.v2 = (lammpsplugin_factory2 *) &create;
  plugin.handle = handle;
  ((lammpsplugin_regfunc) regfunc)(&plugin, lmp);
}
