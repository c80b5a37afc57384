#pragma once
// Reading one file into an archive while others may be writing to it. The
// tar header has already promised `before.st_size` bytes, so exactly that
// many are delivered whatever happens: a file that grew is cut at the
// promised size, one that shrank is padded with zeros. Whether it changed
// (size or mtime differ before and after reading) is reported, so the backup
// can say that this copy is not trustworthy.

#include <ops/compress.hpp>

#include <cstdint>
#include <string>
#include <sys/stat.h>

namespace opsbackup {

struct CopyOutcome {
  bool changed = false;
  std::string why;  // "it shrank from 100 to 40 bytes while being read", …
};

// Reads fd (open on a regular file whose fstat was `before`) from its start
// into sink. A read error is an ops::Error (critical) naming `what`.
CopyOutcome copy_file_data(int fd, const struct stat& before, const std::string& what, const ops::ByteSink& sink);

}  // namespace opsbackup
