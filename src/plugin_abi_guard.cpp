/* CryoCycle: see plugin_abi_guard.h. */
#include "plugin_abi_guard.h"

#include "library.h"
#include "lmptype.h"

#include <mpi.h>

// As lammps_config_has_mpi_support() reports it: 0 for the STUBS library, else sizeof(MPI_Comm),
// which also tells MPI implementations apart (Open MPI 8, MPICH 4).
#ifdef MPI_STUBS
#define CRYOCYCLE_MPI_COMM_SIZE 0
#else
#define CRYOCYCLE_MPI_COMM_SIZE ((int) sizeof(MPI_Comm))
#endif

namespace CryoCycle {

HostAbi compiled_abi()
{
  return {CRYOCYCLE_LAMMPS_VERSION, (int) sizeof(LAMMPS_NS::bigint),
          (int) sizeof(LAMMPS_NS::tagint), (int) sizeof(LAMMPS_NS::imageint), CRYOCYCLE_MPI_COMM_SIZE};
}

HostAbi host_abi(void *lmp)
{
  return {lammps_version(lmp), lammps_extract_setting(lmp, "bigint"),
          lammps_extract_setting(lmp, "tagint"), lammps_extract_setting(lmp, "imageint"),
          lammps_config_has_mpi_support()};
}

std::string abi_mismatch(const HostAbi &compiled, const HostAbi &host)
{
  std::string differences;
  auto add = [&](const char *what, const std::string &built_for, const std::string &found) {
    if (!differences.empty()) differences += ", ";
    differences += std::string(what) + " " + built_for + " but the host has " + found;
  };
  auto compare = [&](const char *what, int built_for, int found) {
    if (built_for != found) add(what, std::to_string(built_for), std::to_string(found));
  };
  if (compiled.version != host.version)
    add("LAMMPS version", version_text(compiled.version), version_text(host.version));
  compare("sizeof(bigint)", compiled.bigint, host.bigint);
  compare("sizeof(tagint)", compiled.tagint, host.tagint);
  compare("sizeof(imageint)", compiled.imageint, host.imageint);
  compare("MPI (0 = STUBS, else sizeof(MPI_Comm))", compiled.mpi, host.mpi);
  if (differences.empty()) return differences;
  return "CryoCycle plugin not loaded: it was compiled for " + differences +
      "; rebuild it against this LAMMPS's src/ directory (cmake -D LAMMPS_SOURCE_DIR=...). "
      "No CryoCycle styles were registered.";
}

void report_abi_mismatch(void *lmp, const std::string &message)
{
  if (lammps_extract_setting(lmp, "world_rank") != 0) return;
  lammps_error(lmp, LMP_ERROR_WARNING, message.c_str());
}

}    // namespace CryoCycle
