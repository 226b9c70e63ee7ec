/* CryoCycle: the LAMMPS plugin entry point. `plugin load cryocycleplugin.so` calls
 * lammpsplugin_init(), which checks the host (plugin_abi_guard.h) and registers every CryoCycle style. */
#include "lammpsplugin.h"
#include "library.h"
#include "utils.h"
#include "version.h"

#include "box_flips.h"
#include "compute_rejuvenation.h"
#include "compute_sbzone_atom.h"
#include "compute_strain_atom.h"
#include "fix_thermal_cycle.h"
#include "fix_thermal_scan.h"
#include "plugin_abi_guard.h"

using namespace LAMMPS_NS;

namespace {

// the factories LAMMPS calls to create a style of class T, returning the base class pointer
template <class T> Fix *create_fix(LAMMPS *lmp, int argc, char **argv)
{
  return new T(lmp, argc, argv);
}

template <class T> Compute *create_compute(LAMMPS *lmp, int argc, char **argv)
{
  return new T(lmp, argc, argv);
}

void register_style(const char *style, const char *name, const char *info,
                    lammpsplugin_factory2 *creator, void *handle,
                    lammpsplugin_regfunc register_plugin, void *lmp)
{
  lammpsplugin_t plugin;
  plugin.version = LAMMPS_VERSION;
  plugin.style = style;
  plugin.name = name;
  plugin.info = info;
  plugin.author = "CryoCycle developers";
  plugin.creator.v2 = creator;
  plugin.handle = handle;
  register_plugin(&plugin, lmp);
}

}    // namespace

extern "C" __attribute__((visibility("default"))) void lammpsplugin_init(void *lmp, void *handle,
                                                                          void *regfunc)
{
  // The guard first: nothing is registered in a host that does not match.
  const std::string mismatch =
      CryoCycle::abi_mismatch(CryoCycle::compiled_abi(), CryoCycle::host_abi(lmp));
  if (!mismatch.empty()) {
    CryoCycle::report_abi_mismatch(lmp, mismatch);
    return;
  }
  // Names the version in the log, next to LAMMPS's own "Loading plugin" lines.
  if (lammps_extract_setting(lmp, "world_rank") == 0)
    utils::logmesg(static_cast<LAMMPS *>(lmp), CryoCycle::built_for() + "\n");
  auto register_plugin = (lammpsplugin_regfunc) regfunc;
  register_style("fix", "thermal/cycle", "CryoCycle: cyclic temperature schedule driving a thermostat fix",
               (lammpsplugin_factory2 *) &create_fix<FixThermalCycle>, handle, register_plugin, lmp);
  register_style("fix", "thermal/scan",
                 "CryoCycle: virtual DSC (heating scan with baseline, heat capacity, heat of relaxation)",
                 (lammpsplugin_factory2 *) &create_fix<FixThermalScan>, handle, register_plugin, lmp);
  // internal (upper case, as LAMMPS's STORE fixes): created by the strain reference
  register_style("fix", FixBoxFlips::STYLE, "CryoCycle internal: the box's lattice basis through box flips",
                 (lammpsplugin_factory2 *) &create_fix<FixBoxFlips>, handle, register_plugin, lmp);
  register_style("compute", "strain/atom",
                 "CryoCycle: atomic shear strain eta^Mises, volumetric strain and D2min",
                 (lammpsplugin_factory2 *) &create_compute<ComputeStrainAtom>, handle, register_plugin, lmp);
  register_style("compute", "sbzone/atom",
                 "CryoCycle: shear-band zones (spanning band, tail and front of non-spanning bands)",
                 (lammpsplugin_factory2 *) &create_compute<ComputeSBZoneAtom>, handle, register_plugin, lmp);
  register_style("compute", "rejuvenation",
                 "CryoCycle: strain and energy statistics of a group and its shear-band zones",
                 (lammpsplugin_factory2 *) &create_compute<ComputeRejuvenation>, handle, register_plugin, lmp);
}
