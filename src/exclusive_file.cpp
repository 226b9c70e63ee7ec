/* CryoCycle: see exclusive_file.h. */
#include "exclusive_file.h"

#include "comm.h"
#include "error.h"
#include "fix.h"

#include <sys/file.h>    // flock: one writer per file across LAMMPS processes
#include <sys/stat.h>
#include <unistd.h>      // ftruncate

using namespace LAMMPS_NS;

namespace {
enum Outcome { DONE, FAILED, LOCKED };

// Empty a regular file; anything else (/dev/null, a pipe) has nothing to empty.
bool empty_file(FILE *fp)
{
  struct stat status;
  if (fstat(fileno(fp), &status) == 0 && !S_ISREG(status.st_mode)) return true;
  return ftruncate(fileno(fp), 0) == 0;
}
}    // namespace

ExclusiveFile::ExclusiveFile(LAMMPS *lmp, const Fix *owner, const Role &role) :
    Pointers(lmp), owner(owner), file_role(role), fp(nullptr)
{
}

ExclusiveFile::~ExclusiveFile()
{
  if (fp) fclose(fp);    // releases the lock
}

void ExclusiveFile::open(const std::string &path, bool keep)
{
  int outcome = DONE;
  std::string why;
  if (comm->me == 0) {
    // opened for appending and locked before it is emptied: a file that another partition of a
    // multi-partition run (or another lmp) writes is refused, not truncated under it
    fp = fopen(path.c_str(), "a");
    if (!fp) {
      outcome = FAILED;
      why = utils::getsyserror();
    } else if (flock(fileno(fp), LOCK_EX | LOCK_NB) != 0) {
      outcome = LOCKED;
    } else if (!keep && !empty_file(fp)) {
      outcome = FAILED;
      why = utils::getsyserror();
    }
    if (fp && outcome != DONE) {
      fclose(fp);
      fp = nullptr;
    }
    if (fp) fseek(fp, 0, SEEK_END);    // where the position is after the truncation
  }
  MPI_Bcast(&outcome, 1, MPI_INT, 0, world);
  if (outcome == LOCKED)
    error->all(FLERR, "Fix {} {}: {} {} is being written by another LAMMPS (another partition of this "
               "run?); give each partition a file of its own, e.g. {} {}.${{p}}.txt after variable p "
               "world 1 2 ...", owner->style, owner->id, file_role.name, path, file_role.keyword,
               file_role.example);
  if (outcome == FAILED)
    error->all(FLERR, "Cannot open fix {} {} {}: {}", owner->style, file_role.name, path,
               comm->me == 0 ? why : std::string("see rank 0"));
  file_path = path;
}

FILE *ExclusiveFile::rewrite()
{
  int outcome = DONE;
  std::string why;
  if (fp) {
    fflush(fp);
    if (!empty_file(fp)) {
      outcome = FAILED;
      why = utils::getsyserror();
    }
    fseek(fp, 0, SEEK_SET);
  }
  MPI_Bcast(&outcome, 1, MPI_INT, 0, world);
  if (outcome == FAILED)
    error->all(FLERR, "Cannot write fix {} {} {}: {}", owner->style, file_role.name, file_path,
               comm->me == 0 ? why : std::string("see rank 0"));
  return fp;
}
