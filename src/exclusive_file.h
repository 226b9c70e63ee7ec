/* -*- c++ -*- ----------------------------------------------------------
   CryoCycle: a text file with one writer, the output of a fix (the report of fix thermal/cycle,
   the curves of fix thermal/scan).

   Rank 0 opens it for appending and takes an exclusive lock (flock) before it empties anything:
   a file that another LAMMPS process writes (another partition of a multi-partition run, another
   lmp) is refused with an error, not truncated or interleaved under it. The lock is held until
   the file is closed (the fix is deleted). Every failure ends all ranks with one message naming
   the fix, the file and the cause.
------------------------------------------------------------------------- */

#ifndef CRYOCYCLE_EXCLUSIVE_FILE_H
#define CRYOCYCLE_EXCLUSIVE_FILE_H

#include "pointers.h"

#include <cstdio>
#include <string>

namespace LAMMPS_NS {

class Fix;

class ExclusiveFile : protected Pointers {
 public:
  // How messages name the file: `role` ("report file"), the keyword that gives it ("report") and
  // the stem of an example name per partition ("cycles": cycles.${p}.txt).
  struct Role {
    const char *name, *keyword, *example;
  };
  ExclusiveFile(class LAMMPS *, const Fix *owner, const Role &role);
  ~ExclusiveFile() override;
  ExclusiveFile(const ExclusiveFile &) = delete;
  ExclusiveFile &operator=(const ExclusiveFile &) = delete;

  // On all ranks: open and lock `path`; its contents are kept if `keep`, else emptied.
  void open(const std::string &path, bool keep);
  // On all ranks: empty the file to write it anew. Returns the stream on rank 0, else nullptr.
  FILE *rewrite();
  // The open stream on rank 0, nullptr on other ranks.
  FILE *stream() const { return fp; }
  const std::string &path() const { return file_path; }
  const Role &role() const { return file_role; }

 private:
  const Fix *owner;
  Role file_role;
  std::string file_path;
  FILE *fp;    // rank 0 only
};

}    // namespace LAMMPS_NS

#endif
