/* CryoCycle: refuse to register styles in a LAMMPS that does not match the one we were built for.
 *
 * LAMMPS itself only warns when a plugin's version differs and registers it anyway; a plugin built
 * for other integer sizes, another version or without MPI would then corrupt memory. The guard asks
 * the host through its C library API, which is stable across versions, in lammpsplugin_init()
 * before any style is registered, and refuses naming both versions.
 *
 * Its limit: it runs only if the plugin file opens at all. LAMMPS opens plugins with RTLD_NOW, so a
 * plugin using a C++ symbol the host lacks is rejected by the dynamic linker first ("undefined
 * symbol"), and the guard never runs. Hence the plugin uses no C++ symbol that exists in only one
 * of the supported versions (e.g. Error::message(), removed in 22Jul2025: utils::logmesg() instead).
 */
#ifndef CRYOCYCLE_PLUGIN_ABI_GUARD_H
#define CRYOCYCLE_PLUGIN_ABI_GUARD_H

#include <string>

#ifndef CRYOCYCLE_LAMMPS_VERSION
#error "CRYOCYCLE_LAMMPS_VERSION (the numeric LAMMPS version of the headers) must be defined"
#endif

namespace CryoCycle {

// What this plugin was compiled for.
struct HostAbi {
  int version;   // LAMMPS version as a number, e.g. 20250204
  int bigint;    // sizeof(bigint)
  int tagint;    // sizeof(tagint)
  int imageint;  // sizeof(imageint)
  int mpi;       // 0 for the MPI STUBS library, else sizeof(MPI_Comm)
};

HostAbi compiled_abi();
HostAbi host_abi(void *lmp);

// "4 Feb 2025 (20250204)": a version number as LAMMPS prints its version, and the number itself.
inline std::string version_text(int version)
{
  static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const int day = version % 100, month = version / 100 % 100, year = version / 10000;
  const std::string number = std::to_string(version);
  if (month < 1 || month > 12 || day < 1 || day > 31) return number;
  return std::to_string(day) + " " + months[month - 1] + " " + std::to_string(year) + " (" + number + ")";
}

// One line for the log: which LAMMPS version this plugin was compiled for (worded so that it does
// not match the "compiled for LAMMPS version" of mismatch messages the tests look for).
inline std::string built_for()
{
  return "CryoCycle plugin built for LAMMPS " + version_text(CRYOCYCLE_LAMMPS_VERSION);
}

// Empty if the host matches; otherwise one sentence naming every difference.
std::string abi_mismatch(const HostAbi &compiled, const HostAbi &host);

// Print the message through LAMMPS' warning channel (screen and log file) on rank 0.
void report_abi_mismatch(void *lmp, const std::string &message);

}    // namespace CryoCycle

#endif
