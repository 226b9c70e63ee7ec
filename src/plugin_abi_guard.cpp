/* CryoCycle: the plugin file LAMMPS loads, cryocycleplugin.so: checks the host, then opens the
 * styles (see plugin_abi_guard.h). Uses no LAMMPS C++ symbol, only the C library API. */
#include "plugin_abi_guard.h"

#include "library.h"
#include "lmptype.h"

#include <dlfcn.h>
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

void report_refusal(void *lmp, const std::string &message)
{
  if (lammps_extract_setting(lmp, "world_rank") != 0) return;
  lammps_error(lmp, LMP_ERROR_WARNING, message.c_str());
}

}    // namespace CryoCycle

namespace {

// cryocycle_styles.so in the directory of this file (whatever path LAMMPS opened it by).
std::string styles_path()
{
  Dl_info self;
  if (dladdr(reinterpret_cast<void *>(&CryoCycle::compiled_abi), &self) == 0 || !self.dli_fname)
    return CryoCycle::STYLES_LIBRARY;
  const std::string file = self.dli_fname;
  const auto slash = file.rfind('/');
  return (slash == std::string::npos ? std::string() : file.substr(0, slash + 1)) +
      CryoCycle::STYLES_LIBRARY;
}

}    // namespace

extern "C" __attribute__((visibility("default"))) void lammpsplugin_init(void *lmp, void *handle,
                                                                          void *regfunc)
{
  using namespace CryoCycle;
  const std::string mismatch = abi_mismatch(compiled_abi(), host_abi(lmp));
  if (!mismatch.empty()) {
    report_refusal(lmp, mismatch);
    return;
  }
  // Never closed: LAMMPS keeps pointers to the style factories in it until it exits.
  const std::string path = styles_path();
  void *styles = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  void *entry = styles ? dlsym(styles, REGISTER_STYLES) : nullptr;
  if (!entry) {
    const char *why = dlerror();
    report_refusal(lmp, "CryoCycle plugin not loaded: cannot use " + path + ": " +
                                 (why ? why : "no entry point") + ". No CryoCycle styles were registered.");
    return;
  }
  reinterpret_cast<void (*)(void *, void *, void *)>(entry)(lmp, handle, regfunc);
}
