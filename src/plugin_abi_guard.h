/* CryoCycle: refuse to register styles in a LAMMPS that does not match the one we were built for.
 *
 * LAMMPS itself only warns when a plugin's version differs and registers it anyway; a plugin built
 * for other integer sizes, another version or without MPI would then corrupt memory. The guard asks
 * the host through its C library API, which is stable across versions.
 */
#ifndef CRYOCYCLE_PLUGIN_ABI_GUARD_H
#define CRYOCYCLE_PLUGIN_ABI_GUARD_H

#include <string>

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

// Empty if the host matches; otherwise one sentence naming every difference.
std::string abi_mismatch(const HostAbi &compiled, const HostAbi &host);

// Print the message through LAMMPS' warning channel (screen and log file) on rank 0.
void report_abi_mismatch(void *lmp, const std::string &message);

}    // namespace CryoCycle

#endif
